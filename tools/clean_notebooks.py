"""Strip outputs, execution counts and saved widget state from notebooks before committing.

Cells whose source contains NBVAL_CHECK_OUTPUT keep their outputs (nbval compares them), minus
any widget views. Every cell gets slide metadata (Voila's reveal template uses it): cells that
start with a level-1 or level-2 heading become slides, everything else continues the slide.

    python tools/clean_notebooks.py notebooks/*.ipynb
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def slide_type(cell: dict) -> str:
    text = "".join(cell.get("source", "")).lstrip()
    if cell["cell_type"] == "markdown" and (text.startswith("# ") or text.startswith("## ")):
        return "slide"
    if cell["cell_type"] == "markdown" and text.startswith("### "):
        return "subslide"
    return "-"


def clean(nb: dict) -> dict:
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb["cells"]:
        meta = cell.setdefault("metadata", {})
        meta.setdefault("slideshow", {}).setdefault("slide_type", slide_type(cell))
        meta.pop("execution", None)
        if cell["cell_type"] != "code":
            continue
        if "NBVAL_CHECK_OUTPUT" in "".join(cell.get("source", "")):
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if "application/vnd.jupyter.widget-view+json" not in o.get("data", {})]
            continue
        cell["outputs"] = []
        cell["execution_count"] = None
    return nb


def main(paths: list[str]) -> None:
    for path in map(Path, paths):
        before = path.read_text(encoding="utf-8")
        after = json.dumps(clean(json.loads(before)), indent=1, ensure_ascii=False) + "\n"
        if after != before:
            path.write_text(after, encoding="utf-8")
            print(f"cleaned {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
