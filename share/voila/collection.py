"""The list of lessons, read from the notebooks themselves, for the Voila landing page.

Every notebook opens with the same first cell (docs/conventions.md):

    # Title
    **The question:** the one-line question the notebook answers
    **Time:** about 20 minutes.

`lessons()` reads that cell from each notebook in a folder, so a list built from it cannot drift
from the notebooks. `landing_page_config` hands the list to Voila's folder page (the landing
page of `./run present`, template share/jupyter/voila/templates/kcl/tree.html), and keeps
MathJax local on every page.
This module only reads JSON files: the Voila server imports it (share/voila/present/voila.py),
and no kernel is needed; it lives beside the Voila configuration it serves, not in widgets/.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

_TITLE = re.compile(r"^#\s+(.+)$", re.MULTILINE)
# A labelled line runs until a blank line or the next **Label:** line.
_QUESTION = re.compile(r"\*\*The question:\*\*\s*(.+?)(?=\n\s*\n|\n\s*\*\*\w+:\*\*|\Z)", re.DOTALL)
_TIME = re.compile(r"\*\*Time:\*\*\s*(.+?)(?=\n\s*\n|\n\s*\*\*\w+:\*\*|\Z)", re.DOTALL)
_NUMBER = re.compile(r"^(\d+)_")


@dataclass(frozen=True)
class Lesson:
    number: str     # "02", from the file name
    path: str       # relative to the folder Voila serves, e.g. "02_calcium_handling.ipynb"
    title: str
    question: str   # "" when the notebook states none
    time: str       # "" when the notebook states none


def plain(markdown: str) -> str:
    """Markdown emphasis and line breaks removed: the text a reader sees."""
    text = re.sub(r"(\*\*|\*|__|`)", "", markdown)
    text = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text)
    return " ".join(text.split())


def first_markdown(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            return "".join(cell["source"])
    return ""


def read_lesson(notebook: Path, folder_path: str = "") -> Lesson:
    """The title, question and time stated in a notebook's first markdown cell."""
    text = first_markdown(notebook)
    title = _TITLE.search(text)
    question = _QUESTION.search(text)
    time = _TIME.search(text)
    number = _NUMBER.match(notebook.name)
    return Lesson(
        number=number.group(1) if number else "",
        path=f"{folder_path.strip('/')}/{notebook.name}".lstrip("/"),
        title=plain(title.group(1)) if title else notebook.stem.replace("_", " "),
        question=plain(question.group(1)) if question else "",
        time=plain(time.group(1)) if time else "",
    )


def lessons(folder: Path = NOTEBOOKS, folder_path: str = "") -> list[Lesson]:
    """Every notebook in `folder`, in file-name order (00, 01, ...)."""
    return [read_lesson(nb, folder_path) for nb in sorted(folder.glob("*.ipynb"))
            if not nb.name.startswith(".")]


def landing_page_config(page_config: dict, base_url: str, settings: dict, log,
                        voila_configuration, notebook_path: str) -> dict:
    """Voila page_config_hook: on a folder page, add the folder's lessons (for the landing page).

    Voila calls it for folder pages and for notebook pages. On every page, equations are typeset
    by the MathJax that the page bundles, as standalone Voila does: run inside a Jupyter server
    (JupyterHub, Binder) Voila would otherwise fetch MathJax from a CDN.
    """
    page_config["fullMathjaxUrl"] = page_config["mathjaxConfig"] = None
    contents_manager = settings.get("contents_manager")
    if contents_manager is None:
        return page_config
    folder_path = notebook_path.strip("/")  # the Jupyter server extension passes "/notebooks"
    folder = Path(contents_manager.root_dir) / folder_path
    if folder.is_dir():
        try:
            page_config["kclLessons"] = [asdict(lesson) for lesson in lessons(folder, folder_path)]
        except (OSError, ValueError, KeyError) as exc:  # an unreadable notebook: plain listing
            log.warning("Landing page: could not read the lessons in %s: %s", folder, exc)
    return page_config
