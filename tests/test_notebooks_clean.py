"""Committed notebooks are clean, cite real references, and follow the template."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from physiology import data

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
CITATION = re.compile(r"\[@([^\]]+)\]")
RENDERED_CITATION = re.compile(r"\]\(#ref-([a-z0-9_]+)\)")
TEMPLATE_HEADINGS = ["You will be able to", "Key takeaways", "References"]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell.get("source", ""))


def cited_ids(nb: dict) -> set[str]:
    ids: set[str] = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for group in CITATION.findall(source(cell)):
                ids.update(part.strip().lstrip("@") for part in group.split(";"))
            ids.update(RENDERED_CITATION.findall(source(cell)))   # tools/render_citations.py
    return ids


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_outputs_or_widget_state(path):
    nb = load(path)
    assert "widgets" not in nb["metadata"], "saved widget state in metadata.widgets"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and "NBVAL_CHECK_OUTPUT" not in source(cell):
            assert cell.get("outputs") == [], f"cell {i} has stored outputs"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_citation_exists_and_is_listed(path):
    nb = load(path)
    refs = data.references()
    cited = cited_ids(nb)
    unknown = sorted(cited - set(refs))
    assert not unknown, f"cited ids missing from data/references.yaml: {unknown}"
    listed = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "show_references(" in source(cell):
            listed |= set(re.findall(r"['\"]([a-z][a-z0-9_]*)['\"]", source(cell).split("show_references(", 1)[1]))
    missing = sorted(cited - listed)
    assert not missing, f"cited in the text but not in the references cell: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_follows_the_template(path):
    nb = load(path)
    text = "\n".join(source(c) for c in nb["cells"])
    assert nb["cells"][0]["cell_type"] == "markdown" and source(nb["cells"][0]).startswith("# ")
    for heading in TEMPLATE_HEADINGS:
        assert heading in text, f"missing template part '{heading}'"
    assert "show_disclaimer()" in text, "the disclaimer is missing"
    assert "TODO" not in text and "placeholder" not in text.lower()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_has_slide_metadata(path):
    nb = load(path)
    for i, cell in enumerate(nb["cells"]):
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        assert kind in {"slide", "subslide", "fragment", "-", "skip", "notes"}, f"cell {i}: slide_type {kind!r}"
