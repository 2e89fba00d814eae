"""Learner text for the science-review tests: every string in data/, every markdown cell of the
notebooks and every teacher note, so a corrected fact cannot survive in one place under its old
wording (review: ../shared/science/review-2026-12.md)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from physiology import data

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
NOTES = sorted((REPO / "teacher_notes").glob("*.md"))


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def markdown(notebook: str) -> str:
    nb = json.loads((REPO / "notebooks" / notebook).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def learner_texts() -> dict[str, str]:
    """Where a learner or teacher reads text -> that text (one line per string)."""
    texts = {}
    for path in sorted(data.DATA_DIR.rglob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts[str(path.relative_to(REPO))] = "\n".join(" ".join(s.split()) for s in _strings(raw))
    for path in NOTEBOOKS:
        texts[str(path.relative_to(REPO))] = " ".join(markdown(path.name).split())
    for path in NOTES:
        texts[str(path.relative_to(REPO))] = " ".join(path.read_text(encoding="utf-8").split())
    return texts


TEXTS = learner_texts()


def places(pattern: str) -> list[str]:
    found = re.compile(pattern, re.IGNORECASE)
    return [f"{where}: ...{m.group(0)}..." for where, text in TEXTS.items() for m in found.finditer(text)]


def doctor_items() -> dict:
    return {i.id: i for i in data.checklist("when_to_see_a_doctor").items}


def cites(text: str, key: str) -> bool:
    """Whether notebook text cites a reference: as a key, [@key], or rendered, (#ref-key)."""
    return f"@{key}" in text or f"#ref-{key}" in text
