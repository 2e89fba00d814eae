# Voila settings for a projector (`./run projector`; docs/educators.md): everything that
# share/voila/present/voila.py sets, with the dark theme, larger type (template kcl-projector)
# and dark slides (reveal.js "black" theme).
#     voila notebooks --Voila.config_file_paths=share/voila/projector --Voila.config_file_paths=.
from pathlib import Path

c = get_config()  # noqa: F821 (traitlets provides get_config in configuration files)

PRESENT = Path(__file__).resolve().parents[1] / "present" / "voila.py"
load_subconfig(str(PRESENT))  # noqa: F821 (traitlets provides load_subconfig too)

c.VoilaConfiguration.template = "kcl-projector"
c.VoilaConfiguration.theme = "dark"
c.VoilaConfiguration.resources["reveal"]["theme"] = "black"
