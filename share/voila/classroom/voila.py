# Voila settings for serving a whole class from one computer (`./run classroom`;
# docs/educators.md): everything share/voila/present/voila.py sets, plus
# - preheated kernels for the notebooks the teacher names, so the first students to open them
#   do not wait for Python, numpy and plotly to start (KCL_PREHEAT, set by ./run classroom);
# - culling of idle kernels that no page is connected to any more (a closed laptop, a tab
#   closed without saying goodbye), never of a page that is still open, such as the presenter's;
# - no tracebacks for students, and no downloads of .ipynb, .py, .yaml or .md files (voila.json).
#
#     KCL_PREHEAT="02 04" KCL_POOL_SIZE=3 \
#       voila notebooks --Voila.config_file_paths=share/voila/classroom --Voila.config_file_paths=.
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (traitlets provides get_config in configuration files)

HERE = Path(__file__).resolve().parent
load_subconfig(str(HERE.parent / "present" / "voila.py"))  # noqa: F821

NOTEBOOKS = HERE.parents[2] / "notebooks"
POOL_SIZE = int(os.environ.get("KCL_POOL_SIZE", "2"))  # kernels kept ready per named notebook


def notebook_file(name: str) -> str:
    """'02', '02_calcium_handling' or '02_calcium_handling.ipynb' -> '02_calcium_handling.ipynb'."""
    names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    matches = [n for n in names if n in (name, f"{name}.ipynb") or n.startswith(f"{name}_")]
    if len(matches) != 1:
        sys.exit(f"Cannot preheat {name!r}: name one of these notebooks (or its number):\n  "
                 + "\n  ".join(names))
    return matches[0]


preheat = [notebook_file(n) for n in os.environ.get("KCL_PREHEAT", "").replace(",", " ").split()]

c.VoilaConfiguration.preheat_kernel = True
c.VoilaConfiguration.show_tracebacks = False
# Voila preheats every notebook in the folder unless the default pool is empty.
c.VoilaKernelManager.kernel_pools_config = {
    "default": {"pool_size": 0},
    **{name: {"pool_size": POOL_SIZE} for name in preheat},
}
# A page that is open keeps its kernel (cull_connected false), however long it sits idle; a
# kernel that no page is connected to any more is shut down after 20 idle minutes.
c.MappingKernelManager.cull_interval = 120
c.MappingKernelManager.cull_idle_timeout = 1200
c.MappingKernelManager.cull_connected = False
c.MappingKernelManager.cull_busy = False
