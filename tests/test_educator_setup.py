"""What educators rely on, checked without a browser: the landing page's lesson list is read from
the notebooks, and the present / projector / classroom configurations say what docs/educators.md
says they do (no tracebacks, refused downloads, preheating only what a teacher names, culling that
spares open pages, assets served locally)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from share.voila.collection import landing_page_config, lessons, read_lesson

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
TEMPLATES = REPO / "share" / "jupyter" / "voila" / "templates"


# --- the lesson list ----------------------------------------------------------------------

def write_notebook(path: Path, first_cell: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(first_cell), nbformat.v4.new_code_cell("1 + 1")]
    nbformat.write(nb, path)
    return path


def test_title_question_and_time_come_from_the_first_cell(tmp_path):
    notebook = write_notebook(tmp_path / "03_ions.ipynb", (
        "# Ions and *nerves*\n\n"
        "**The question:** why does low calcium\nmake nerves **fire**?\n"
        "**Time:** about 45 minutes.\n"))
    assert asdict(read_lesson(notebook, "notebooks")) == {
        "number": "03", "path": "notebooks/03_ions.ipynb", "title": "Ions and nerves",
        "question": "why does low calcium make nerves fire?", "time": "about 45 minutes.",
    }


def test_a_time_without_its_label_and_missing_parts_are_handled(tmp_path):
    # the template's first cell labels the time (docs/conventions.md); an unlabelled one is not read
    labelled_differently = write_notebook(tmp_path / "06_risk.ipynb", (
        "# 6 · Risk factors\n\n**The question:** how sure are we?\n\n*About 35 minutes.*\n"))
    bare = write_notebook(tmp_path / "extra_notes.ipynb", "Some text without a heading.")
    assert read_lesson(labelled_differently).time == ""
    assert asdict(read_lesson(bare)) == {
        "number": "", "path": "extra_notes.ipynb", "title": "extra notes", "question": "", "time": ""}


def test_every_notebook_is_a_lesson_with_title_question_and_time():
    listed = lessons()
    assert [lesson.path for lesson in listed] == [nb.name for nb in NOTEBOOKS]
    for lesson, notebook in zip(listed, NOTEBOOKS):
        first = nbformat.read(notebook, as_version=4).cells[0].source
        assert lesson.number == notebook.name[:2]
        assert first.startswith("# ") and lesson.title in first.splitlines()[0]
        assert lesson.question and lesson.question.endswith("?"), f"{notebook.name}: no question"
        assert re.search(r"\d+ (minutes|hours)", lesson.time), f"{notebook.name}: no time"


def test_the_hook_lists_lessons_on_folder_pages_and_keeps_mathjax_local():
    settings = {"contents_manager": SimpleNamespace(root_dir=str(REPO))}
    args = dict(base_url="/", settings=settings, log=None, voila_configuration=None)
    cdn = {"fullMathjaxUrl": "https://cdn.example/mathjax.js", "mathjaxConfig": "TeX"}
    folder_page = landing_page_config(dict(cdn), notebook_path="notebooks", **args)
    # Voila as a Jupyter server extension (JupyterHub, Binder) names the folder "/notebooks".
    assert landing_page_config(dict(cdn), notebook_path="/notebooks", **args) == folder_page
    notebook_page = landing_page_config(dict(cdn), notebook_path="notebooks/00_start_here.ipynb",
                                        **args)
    assert [lesson["path"] for lesson in folder_page["kclLessons"]] == [
        f"notebooks/{nb.name}" for nb in NOTEBOOKS]
    # Both None: Voila's page then typesets with the MathJax it bundles, not one from a CDN.
    assert notebook_page == {"fullMathjaxUrl": None, "mathjaxConfig": None}
    json.dumps(folder_page)  # Voila writes page_config into the page as JSON


# --- the configurations -------------------------------------------------------------------

# Each case: (directory under share/voila, or None for plain `voila notebooks`; environment).
CASES = {
    "plain": (None, {}),
    "present": ("present", {}),
    "projector": ("projector", {}),
    "classroom": ("classroom", {}),
    "classroom_named": ("classroom", {"KCL_PREHEAT": "02 04_fatigue_reflexes_and_stretching",
                                      "KCL_POOL_SIZE": "3"}),
    "classroom_unknown": ("classroom", {"KCL_PREHEAT": "02 99"}),
}

# Runs in a separate Python: Voila reads its configuration files the way `./run <mode>` does.
PROBE = """
import json, os, sys
from voila.app import Voila
results = {}
for name, (mode, env) in json.loads(sys.argv[1]).items():
    for key in ("KCL_PREHEAT", "KCL_POOL_SIZE"):
        os.environ.pop(key, None)
    os.environ.update(env)
    paths = [f"--Voila.config_file_paths=share/voila/{mode}", "--Voila.config_file_paths=."]
    app = Voila()
    try:
        app.initialize(["notebooks", *(paths if mode else [])])
    except SystemExit as exc:
        results[name] = {"exit": str(exc)}
        continue
    vc = app.voila_configuration
    results[name] = {
        "template": vc.template, "theme": vc.theme, "show_tracebacks": vc.show_tracebacks,
        "preheat_kernel": vc.preheat_kernel, "file_denylist": vc.file_denylist,
        "resources": vc.resources, "ip": app.ip,
        "hook": getattr(vc.page_config_hook, "__name__", None),
        "pools": app.config.VoilaKernelManager.get("kernel_pools_config"),
        "culling": dict(app.config.MappingKernelManager),
        "jquery_url": app.config.VoilaExporter.get("jquery_url"),
        "iopub_timeout": app.config.VoilaExecutor.get("iopub_timeout"),
    }
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def voila_settings() -> dict:
    """The settings Voila ends up with in each case (one Python process for all of them)."""
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(CASES)], cwd=REPO,
                            text=True, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", ["plain", "present", "projector", "classroom"])
def test_students_never_see_tracebacks_or_download_code(voila_settings, case):
    settings = voila_settings[case]
    assert settings["show_tracebacks"] is False
    for name in ("a.ipynb", "b.py", "c.yaml", "teacher_notes/02_calcium_handling.md"):
        assert any(re.fullmatch(rule, name) for rule in settings["file_denylist"]), name
    assert settings["pools"]["default"] == {"pool_size": 0}  # no kernels start unasked


@pytest.mark.parametrize("case", ["plain", "present", "projector", "classroom"])
def test_a_busy_server_still_delivers_every_output(voila_settings, case):
    # nbclient waits 4 s for a cell's outputs after the cell has run, then drops them: a class
    # of 30 opening a lesson at once on 2 cores got pages with no outputs (benchmarks/README.md)
    assert voila_settings[case]["iopub_timeout"] >= 60


def test_present_and_projector_serve_the_landing_page_from_this_computer_only(voila_settings):
    present, projector = voila_settings["present"], voila_settings["projector"]
    assert (present["template"], present["theme"], present["hook"]) == (
        "kcl", "light", "landing_page_config")
    assert (projector["template"], projector["theme"], projector["hook"]) == (
        "kcl-projector", "dark", "landing_page_config")
    assert present["ip"] == projector["ip"] == "127.0.0.1"
    assert projector["resources"]["reveal"]["theme"] == "black"
    assert present["preheat_kernel"] is False


def test_slide_and_icon_assets_are_local_files(voila_settings):
    present = voila_settings["present"]
    prefix = "/voila/templates/kcl/static/vendor/"
    reveal = present["resources"]["reveal"]["url_prefix"]
    assert reveal.startswith(prefix) and present["jquery_url"].startswith(prefix)
    vendor = TEMPLATES / "kcl" / "static" / "vendor"
    local = [reveal.removeprefix(prefix) + "/dist/reveal.css",
             reveal.removeprefix(prefix) + "/dist/theme/white.css",
             reveal.removeprefix(prefix) + "/dist/theme/black.css",
             present["jquery_url"].removeprefix(prefix)]
    missing = [path for path in local if not (vendor / path).is_file()]
    assert not missing, f"configured but not in {vendor}: {missing}"
    for template in ("kcl/index.html.j2", "kcl-reveal/index.html.j2"):
        text = (TEMPLATES / template).read_text()
        fontawesome = re.search(r"vendor/(fontawesome-free-[\d.]+/css/)", text).group(1)
        assert (vendor / fontawesome / "all.min.css").is_file(), template


def test_classroom_preheats_only_the_named_notebooks_and_spares_open_pages(voila_settings):
    assert voila_settings["classroom"]["pools"] == {"default": {"pool_size": 0}}
    settings = voila_settings["classroom_named"]
    assert settings["preheat_kernel"] is True
    assert settings["pools"] == {
        "default": {"pool_size": 0},
        "02_calcium_handling.ipynb": {"pool_size": 3},
        "04_fatigue_reflexes_and_stretching.ipynb": {"pool_size": 3},
    }
    culling = settings["culling"]
    assert culling["cull_connected"] is False      # an open page (the presenter's) is never culled
    assert 0 < culling["cull_interval"] <= 300
    assert 10 * 60 <= culling["cull_idle_timeout"] <= 60 * 60


def test_classroom_refuses_a_notebook_name_it_cannot_find(voila_settings):
    message = voila_settings["classroom_unknown"]["exit"]
    assert "Cannot preheat '99'" in message and "08_cramp_diary.ipynb" in message


def test_run_commands_use_these_configurations():
    run = (REPO / "run").read_text()
    for mode in ("present", "projector", "classroom"):
        assert (REPO / "share" / "voila" / mode / "voila.py").is_file()
    assert '--Voila.config_file_paths="share/voila/$cmd"' in run       # present|projector
    assert "--Voila.config_file_paths=share/voila/classroom" in run
