# Voila settings for presenting Knee Cramp Lab (`./run present`; docs/educators.md).
#
# Loaded on top of the repository's voila.json, which every Voila run uses (no tracebacks for
# students, .ipynb/.py/.yaml/.md downloads refused, idle kernels culled, no kernel pools, and
# up to 2 min for a cell's outputs to arrive: nbclient's default of 4 s dropped every output of
# the pages of a class of 30 opening a lesson at once on 2 cores, benchmarks/README.md):
#     voila notebooks --Voila.config_file_paths=share/voila/present --Voila.config_file_paths=.
# The first path wins where both set a value. This file adds:
# - the landing page: Voila's folder page lists every lesson (title, question, time) read from
#   the notebooks (template share/jupyter/voila/templates/kcl, hook share/voila/collection.py);
# - everything a page needs served by this server, for a classroom without internet: font-awesome
#   icons for the pages, reveal.js and jQuery for slides (?template=kcl-reveal, or Voila's own
#   ?template=reveal).
# A JupyterHub or Binder server loads it as the Voila server extension's configuration when this
# folder is on JUPYTER_CONFIG_PATH (docs/educators.md, "Beyond one machine").
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (traitlets provides get_config in configuration files)

REPO = Path(__file__).resolve().parents[3]
TEMPLATES = REPO / "share" / "jupyter"   # holds voila/templates/kcl, kcl-projector, kcl-reveal
VENDOR = "voila/templates/kcl/static/vendor"

# Voila looks for templates on the Jupyter data path; it reads JUPYTER_PATH when it needs them.
_paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
if str(TEMPLATES) not in _paths:
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(TEMPLATES), *_paths])
if str(REPO) not in sys.path:  # for share.voila.collection (widgets/ is pip install -e'd)
    sys.path.append(str(REPO))

from share.voila.collection import landing_page_config  # noqa: E402

# Only this computer can open the pages until you bind to the network (--Voila.ip=0.0.0.0 with
# --token: docs/educators.md, "A class on one network").
c.Voila.ip = "127.0.0.1"
c.VoilaConfiguration.template = "kcl"
c.VoilaConfiguration.page_config_hook = landing_page_config

# Voila's built-in reveal template loads reveal.js styles and jQuery from CDNs unless told
# otherwise. Absolute addresses: under JupyterHub or Binder the server lives below a prefix.
_prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
c.VoilaConfiguration.resources = {
    "reveal": {"url_prefix": f"{_prefix}{VENDOR}/reveal.js-6.0.1", "theme": "white", "scroll": True},
}
c.VoilaExporter.jquery_url = f"{_prefix}{VENDOR}/jquery-3.7.1/jquery.min.js"
