"""Render the citations in the notebooks' markdown as short, linked names.

Authors write a citation as a key, `[@lau2019]` or `[@lau2019; @miller2010h]` (docs/conventions.md).
A learner must never read a key, and the page must read the same in JupyterLab, Notebook 7 and
Voila. This tool rewrites every key in a markdown cell as

    ([Lau et al. 2019](#ref-lau2019); [Miller et al. 2010](#ref-miller2010h))

a plain markdown link to the entry of the lesson's reference list (`show_references(...)` gives
each entry the id `ref-<key>`). The name comes from data/references.yaml through
`widgets.citations.short_citation`. Running it again re-renders the links already there, so a
corrected reference is picked up; a notebook already rendered is left byte for byte as it was.

Why here and not when the page is shown: JupyterLab renders markdown cells itself, with no hook
for a preprocessing step, so a Voila-only template filter would leave raw keys in JupyterLab.
Rendering the source once works in every front end, needs no kernel, and nbval does not look at
markdown. tests/test_notebook_citations.py checks that no key is left and that every link's text
matches references.yaml.

    python tools/render_citations.py                 # every notebook in notebooks/
    python tools/render_citations.py notebooks/03_electrolytes_and_nerves.ipynb
    python tools/render_citations.py --check         # exit 1 if a notebook would change
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from widgets.citations import anchor, markdown_citation, short_citation  # noqa: E402

KEYS = re.compile(r"\[@([a-z0-9_]+(?:\s*;\s*@?[a-z0-9_]+)*)\]")
LINK = re.compile(r"\[([^\]\[]*)\]\(#ref-([a-z0-9_]+)\)")


def render_markdown(text: str) -> str:
    """Keys to linked names; links already rendered get their names from references.yaml again."""
    text = LINK.sub(lambda m: f"[{short_citation(m.group(2))}](#{anchor(m.group(2))})", text)
    return KEYS.sub(lambda m: markdown_citation(
        [k.strip().lstrip("@") for k in m.group(1).split(";")]), text)


def cited_ids(text: str) -> list[str]:
    """Every reference id a markdown text cites, as a key or as a rendered link."""
    ids = [m.group(2) for m in LINK.finditer(text)]
    for m in KEYS.finditer(text):
        ids += [k.strip().lstrip("@") for k in m.group(1).split(";")]
    return ids


def render_notebook(notebook: dict) -> bool:
    """Render every markdown cell in place; True when something changed."""
    changed = False
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        before = "".join(cell["source"])
        after = render_markdown(before)
        if after != before:
            cell["source"] = after.splitlines(keepends=True)
            changed = True
    return changed


def render_file(path: Path, check: bool = False) -> bool:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    changed = render_notebook(notebook)
    if changed and not check:
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if needed")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((REPO / "notebooks").glob("*.ipynb"))
    changed = [p for p in paths if render_file(p, check=args.check)]
    for p in changed:
        print(f"{'would render' if args.check else 'rendered'} citations in {p}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
