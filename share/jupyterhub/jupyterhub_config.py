# Knee Cramp Lab on JupyterHub: the lesson settings, one file for every hub.
#
# The same file is used by the JupyterHub test (tests/hub/test_jupyterhub.py, which adds only a
# test login and local processes) and given in docs/educators.md for:
# - The Littlest JupyterHub: a file in /opt/tljh/config/jupyterhub_config.d/ that loads this one
#   (load_subconfig("/srv/knee-cramp-lab/share/jupyterhub/jupyterhub_config.py")), then
#   `sudo tljh-config reload`;
# - Zero to JupyterHub: `helm upgrade ... --set-file hub.extraConfig.knee-cramp-lab=<this file>`
#   with `hub.extraEnv.KCL_REPO` set to where the image holds the repository (/home/jovyan).
# Your hub's own configuration chooses how people log in and where their servers run.
#
# What it sets: each user's server opens the Voila landing page (every lesson, code hidden), in
# ./run present's settings (share/voila/present: local assets, no tracebacks, no downloads of
# code). Each user has their own server and kernels; their ticks, answers and diary stay in their
# browser, under a key that carries their server's address (/user/<name>/), so the next student
# at a shared computer sees none of it (widgets/learner_state.py).
import os
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides get_config in configuration files)


def _repository() -> str:
    """Where the users' servers find the repository: KCL_REPO if set, else the repository this
    file is in (TLJH loads it from there), else /home/jovyan (repo2docker's place, for a hub
    that runs this text as Zero to JupyterHub's extraConfig)."""
    if os.environ.get("KCL_REPO"):
        return os.environ["KCL_REPO"]
    try:
        here = Path(__file__).resolve().parents[2]
    except (NameError, IndexError):
        here = None
    return str(here) if here and (here / "notebooks").is_dir() else "/home/jovyan"


REPO = _repository()

c.Spawner.notebook_dir = REPO
# Voila as the page a user lands on: the lesson list, served by the Voila server extension.
c.Spawner.default_url = "/voila/tree/notebooks"
# ./run present's settings: the Voila extension reads share/voila/present/voila.py, then the
# repository's voila.json (the first folder wins where both set a value).
c.Spawner.environment.update({
    "JUPYTER_CONFIG_PATH": os.pathsep.join([f"{REPO}/share/voila/present", REPO]),
})
