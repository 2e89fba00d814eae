"""Teacher notes exist for every notebook, answer every Think! question, and cite real sources.

A notebook asks its Think! questions in one of these ways (docs/conventions.md):
- `<details><summary><strong>Think!</strong> question</summary>answer</details>`;
- a `### Think!` heading, then a numbered list of questions, then one or more
  `<details><summary>Show answer</summary>` blocks (one after the list, or one per item);
- `**Think!** question`, then `<details><summary>Show answer</summary>`;
- `<details><summary>Show answer: question</summary>` (the question is the summary).
teacher_notes/<notebook>.md repeats each question after `**Q:**` and answers it after `**A:**`.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from physiology import data

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
NOTES = REPO / "teacher_notes"
SECTIONS = ["Objectives", "Timing", "Suggested order", "Answers to the Think! questions",
            "Discussion prompts", "Common misconceptions"]
MIN_ANSWER_WORDS = 12

SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.DOTALL)
DETAILS = re.compile(r"<details>.*?</details>", re.DOTALL)
THINK_HEADING = re.compile(r"^#+\s*Think!(?:\s+\d+)?\s*$", re.MULTILINE)  # "### Think! 2"
# A paragraph that starts with **Think!** and is followed by its answer block.
THINK_INLINE = re.compile(r"^\*\*Think!\*\*(.+?)\n\s*\n\s*<details>", re.DOTALL | re.MULTILINE)
LIST_ITEM = re.compile(r"^\d+\.\s+(.+?)(?=^\d+\.\s|\Z)", re.DOTALL | re.MULTILINE)
CITATION = re.compile(r"\[@([^\]]+)\]")
# a citation rendered by tools/render_citations.py: "([Lau et al. 2019](#ref-lau2019); [...](...))"
RENDERED_CITATION = re.compile(r"\((?:\[[^\]]*\]\(#ref-[a-z0-9_]+\)(?:;\s*)?)+\)")


def normalise(text: str) -> str:
    """What a question says, whatever its markup: no tags, emphasis, citations or line breaks."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = CITATION.sub("", text)
    text = RENDERED_CITATION.sub("", text)
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"\s+([),.?;:!])", r"\1", text)  # where a citation stood: "spikes [@x])"
    return " ".join(text.split()).lower()


def markdown_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def think_questions(cells: list[str]) -> list[str]:
    """Every Think! question asked in these markdown cells, normalised."""
    questions = []
    for cell in cells:
        for summary in SUMMARY.findall(cell):
            if "Think!" in summary:
                questions.append(summary.replace("Think!", ""))
            elif summary.strip().startswith("Show answer:"):
                questions.append(summary.split(":", 1)[1])
        heading = THINK_HEADING.search(cell)
        if heading:
            after = DETAILS.sub("", cell[heading.end():])  # answers out, questions stay
            questions.extend(LIST_ITEM.findall(after))
        questions.extend(THINK_INLINE.findall(cell))
    return [q for q in map(normalise, questions) if q]


def answered_questions(notes: str) -> dict[str, str]:
    """{normalised question: answer} for every **Q:** ... **A:** ... pair in a notes file."""
    pairs = re.findall(r"\*\*Q:\*\*(.+?)\*\*A:\*\*(.+?)(?=\*\*Q:\*\*|^#|\Z)", notes,
                       re.DOTALL | re.MULTILINE)
    return {normalise(q): a.strip() for q, a in pairs}


def missing_answers(questions: list[str], notes: str) -> list[str]:
    answered = answered_questions(notes)
    return [q for q in questions
            if not any(q in asked and len(answer.split()) >= MIN_ANSWER_WORDS
                       for asked, answer in answered.items())]


# --- the checker itself: each form of question is found, a missing answer is caught ---------

SAMPLE_CELLS = [
    "<details><summary><strong>Think!</strong> Why is the sky blue?</summary>\n\nBecause.</details>",
    "### Think!\n\n1. Why does force *lag* calcium?\n2. Why is E<sub>K</sub> so\n   sensitive?\n\n"
    "<details><summary>Show answer</summary>\n\n1. Cross-bridges.\n2. The log.\n</details>",
    "### Think!\n\n1. Why a log axis?\n   <details><summary>Show answer</summary>\n   Ratios.\n"
    "   </details>\n2. Why grey bands [@usda]?\n   <details><summary>Show answer</summary>\n"
    "   Unknown.\n   </details>",
    "**Think!** Which way do you move the knee?\n\n<details><summary>Show answer</summary>Bend it."
    "</details>",
    "<details><summary>Show answer: why does the threshold stop falling?</summary>PICs.</details>",
    "Plain text with <details><summary>Show answer</summary>no question</details>.",
]


def test_every_form_of_think_question_is_found():
    assert think_questions(SAMPLE_CELLS) == [
        "why is the sky blue?",
        "why does force lag calcium?",
        "why is ek so sensitive?",
        "why a log axis?",
        "why grey bands?",
        "which way do you move the knee?",
        "why does the threshold stop falling?",
    ]


def test_a_question_without_an_answer_is_reported():
    questions = ["why is the sky blue?", "which way do you move the knee?"]
    notes = ("## Answers\n\n**Q:** Why is the sky *blue*?\n\n**A:** Air molecules scatter short "
             "wavelengths of sunlight far more than long ones, so blue reaches us from every "
             "direction.\n\n**Q:** Which way do you move the knee?\n\n**A:** Bend it.\n")
    assert missing_answers(questions, notes) == ["which way do you move the knee?"]  # too short
    assert missing_answers(questions, notes.replace("**Q:** Why", "**Q:** How")) == questions


# --- the real notebooks and notes --------------------------------------------------------------

def notes_for(notebook: Path) -> str:
    path = NOTES / f"{notebook.stem}.md"
    assert path.exists(), f"no teacher notes for {notebook.name}: write {path.relative_to(REPO)}"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notes_have_every_section(notebook):
    headings = re.findall(r"^##\s+(.+?)\s*$", notes_for(notebook), re.MULTILINE)
    missing = [s for s in SECTIONS if s not in headings]
    assert not missing, f"teacher_notes/{notebook.stem}.md lacks the sections {missing}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_think_question_is_answered(notebook):
    questions = think_questions(markdown_cells(notebook))
    assert questions, f"{notebook.name}: no Think! question found"
    missing = missing_answers(questions, notes_for(notebook))
    assert not missing, (f"teacher_notes/{notebook.stem}.md does not answer (after **Q:** the "
                         f"question as the notebook asks it, then **A:** an answer):\n"
                         + "\n".join(missing))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notes_cite_only_known_sources(notebook):
    cited = {part.strip().lstrip("@") for group in CITATION.findall(notes_for(notebook))
             for part in group.split(";")}
    unknown = sorted(cited - set(data.references()))
    assert not unknown, f"cited ids missing from data/references.yaml: {unknown}"


def test_no_notes_without_a_notebook():
    stems = {nb.stem for nb in NOTEBOOKS}
    orphans = sorted(p.name for p in NOTES.glob("*.md") if p.stem not in stems | {"README"})
    assert not orphans, f"teacher notes for notebooks that do not exist: {orphans}"
