"""Every lesson in notebooks/ follows the template of docs/conventions.md, section by section.

The rules, in the words of docs/conventions.md ("The lesson template"):
1. The first cell is markdown: `# Title`, then `**The question:**` and `**Time:**`; it holds the
   notebook's only level-1 heading.
2. The level-2 headings are, in this order and with no others:
   `## You will be able to…` (3 to 5 list items), the numbered sections `## 1. ...`, `## 2. ...`
   (at least one, numbered from 1 without gaps), `## What this <thing> leaves out`,
   `## Self-check`, `## Key takeaways`, `## References`.
3. Heading levels never skip (a `####` only under a `###`, a `###` only under a `##`).
4. Think! questions: `### Think! N` (numbered from 1 in each notebook, without gaps) inside the
   numbered sections; under it a numbered list of questions, each followed by exactly one
   `<details><summary>Show answer</summary>`. Every `<details>` in a notebook is such an answer.
5. Code: imports only in the first code cell; the Self-check section has a `show_quiz(` cell, the
   References heading is followed by a `show_references(` cell, and the last cell is
   `show_disclaimer()`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
FIXED_AFTER = ["What this * leaves out", "Self-check", "Key takeaways", "References"]
OBJECTIVES = "You will be able to…"
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
NUMBERED = re.compile(r"^(\d+)\. \S")
LEAVES_OUT = re.compile(r"^What this \w+ leaves out\b")
THINK = re.compile(r"^Think! (\d+)$")
DETAILS = re.compile(r"<details>\s*<summary>(.*?)</summary>", re.DOTALL)
IMPORT = re.compile(r"^\s*(from\s+\S+\s+import|import)\s", re.MULTILINE)


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def headings(nb: list[dict]) -> list[tuple[int, int, str]]:
    """(cell index, level, text) of every markdown heading, outside code fences."""
    found = []
    for i, cell in enumerate(nb):
        if cell["cell_type"] != "markdown":
            continue
        fenced = False
        for line in source(cell).splitlines():
            if line.lstrip().startswith("```"):
                fenced = not fenced
            m = None if fenced else HEADING.match(line)
            if m:
                found.append((i, len(m.group(1)), m.group(2)))
    return found


def h2_kind(text: str) -> str:
    if text == OBJECTIVES:
        return "objectives"
    if NUMBERED.match(text):
        return "section"
    if LEAVES_OUT.match(text):
        return "What this * leaves out"
    return text


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def nb(request) -> list[dict]:
    return cells(request.param)


def test_the_first_cell_gives_title_question_and_time(nb):
    first = source(nb[0])
    assert nb[0]["cell_type"] == "markdown" and first.startswith("# ")
    assert "**The question:**" in first and "**Time:**" in first
    assert [h for h in headings(nb) if h[1] == 1] == [(0, 1, first.splitlines()[0][2:].strip())]


def test_level_two_headings_follow_the_template_in_order(nb):
    kinds = [h2_kind(text) for _, level, text in headings(nb) if level == 2]
    assert kinds[0] == "objectives", f"the first section is '## {OBJECTIVES}'"
    sections = [k for k in kinds[1:] if k == "section"]
    assert sections, "at least one numbered section '## 1. ...'"
    expected = ["objectives"] + ["section"] * len(sections) + FIXED_AFTER
    assert kinds == expected, f"headings in this order: {expected}; found {kinds}"


def test_sections_are_numbered_from_one_without_gaps(nb):
    numbers = [int(NUMBERED.match(t).group(1)) for _, level, t in headings(nb)
               if level == 2 and NUMBERED.match(t)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_three_to_five_objectives(nb):
    i = next(i for i, level, t in headings(nb) if level == 2 and t == OBJECTIVES)
    items = [line for line in source(nb[i]).splitlines() if re.match(r"^(- |\* |\d+\. )", line)]
    assert 3 <= len(items) <= 5, f"{len(items)} learning objectives"


def test_heading_levels_never_skip(nb):
    previous = 0
    for i, level, text in headings(nb):
        assert level <= previous + 1, f"cell {i}: '{'#' * level} {text}' after a level-{previous} heading"
        previous = level


def test_think_questions_have_one_format_and_one_answer_each(nb):
    found = headings(nb)
    thinks = [(i, int(THINK.match(t).group(1))) for i, level, t in found
              if level == 3 and t.startswith("Think!")]
    assert all(THINK.match(t) for _, level, t in found if t.startswith("Think!")), \
        "a Think! heading is '### Think! N'"
    assert [n for _, n in thinks] == list(range(1, len(thinks) + 1)), "numbered from 1 without gaps"
    assert thinks, "every lesson asks at least one Think! question"
    section_cells = [i for i, level, t in found if level == 2 and NUMBERED.match(t)]
    end = next(i for i, level, t in found if level == 2 and LEAVES_OUT.match(t))
    think_cells = {i for i, _ in thinks}
    for i in think_cells:
        assert section_cells[0] <= i < end, f"cell {i}: a Think! sits inside a numbered section"
        after = source(nb[i]).split("### Think!", 1)[1]
        questions = [line for line in after.splitlines() if NUMBERED.match(line)]
        answers = DETAILS.findall(after)
        assert questions and len(answers) == len(questions), \
            f"cell {i}: {len(questions)} questions, {len(answers)} answers (one <details> each)"
    for i, cell in enumerate(nb):
        if cell["cell_type"] == "markdown":
            summaries = DETAILS.findall(source(cell))
            assert all(s == "Show answer" for s in summaries), f"cell {i}: <summary>Show answer</summary>"
            assert not summaries or i in think_cells, f"cell {i}: a <details> outside a Think!"


def test_imports_only_in_the_first_code_cell(nb):
    code = [(i, source(c)) for i, c in enumerate(nb) if c["cell_type"] == "code"]
    later = [i for i, text in code[1:] if IMPORT.search(text)]
    assert not later, f"imports in cells {later}: put them in the first code cell"


def test_quiz_references_and_disclaimer_cells(nb):
    found = headings(nb)
    self_check = next(i for i, level, t in found if level == 2 and t == "Self-check")
    takeaways = next(i for i, level, t in found if level == 2 and t == "Key takeaways")
    assert any("show_quiz(" in source(c) for c in nb[self_check:takeaways] if c["cell_type"] == "code")
    references = next(i for i, level, t in found if level == 2 and t == "References")
    following = next(c for c in nb[references + 1:] if c["cell_type"] == "code")
    assert source(following).lstrip().startswith("show_references(")
    assert nb[-1]["cell_type"] == "code" and source(nb[-1]).strip() == "show_disclaimer()"
