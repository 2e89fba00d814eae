"""A learner reads citations as linked names, never as keys (tools/render_citations.py).

Markdown cells hold `([Lau et al. 2019](#ref-lau2019))`, rendered from `[@lau2019]` by the tool;
each link's text is the short name data/references.yaml gives, and its target is an entry of the
lesson's own reference list (`show_references(...)` gives each entry the id `ref-<id>`).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from physiology import data
from tools.render_citations import KEYS, LINK, render_notebook
from widgets.citations import short_citation
from widgets.content import reference_list_html

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def markdown(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def listed_references(nb: dict) -> set[str]:
    code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    call = code.split("show_references(", 1)[1].split(")", 1)[0]
    return set(re.findall(r"['\"]([a-z][a-z0-9_]*)['\"]", call))


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def nb(request) -> dict:
    return json.loads(request.param.read_text(encoding="utf-8"))


def test_no_citation_key_is_left_for_a_learner_to_read(nb):
    keys = [m.group(0) for text in markdown(nb) for m in KEYS.finditer(text)]
    assert not keys, f"raw keys {keys[:5]}: run python tools/render_citations.py"


def test_every_link_names_its_reference_as_references_yaml_does(nb):
    refs = data.references()
    links = [(m.group(1), m.group(2)) for text in markdown(nb) for m in LINK.finditer(text)]
    assert links, "a lesson cites its sources"
    unknown = sorted({i for _, i in links if i not in refs})
    assert not unknown, f"cited ids missing from data/references.yaml: {unknown}"
    wrong = [(name, i) for name, i in links if name != short_citation(i)]
    assert not wrong, f"link text differs from references.yaml: {wrong[:3]} (run the tool)"


def test_every_link_points_at_an_entry_of_the_lessons_reference_list(nb):
    cited = {m.group(2) for text in markdown(nb) for m in LINK.finditer(text)}
    listed = listed_references(nb)
    assert not cited - listed, f"cited but not in show_references(...): {sorted(cited - listed)}"
    anchors = set(re.findall(r'id="ref-([a-z0-9_]+)"', reference_list_html(sorted(listed))))
    assert cited <= anchors


def test_the_tool_has_nothing_left_to_do(nb):
    assert render_notebook(nb) is False


def test_the_tool_renders_keys_and_refreshes_links():
    nb = {"cells": [{"cell_type": "markdown", "source": [
        "Cramps [@katzberg2015; @allenkirby2012]; see [Old name](#ref-katzberg2015)."]}]}
    assert render_notebook(nb) is True
    assert "".join(nb["cells"][0]["source"]) == (
        "Cramps ([Katzberg 2015](#ref-katzberg2015); [Allen and Kirby 2012](#ref-allenkirby2012)); "
        "see [Katzberg 2015](#ref-katzberg2015).")
    assert render_notebook(nb) is False
