"""Self-check quiz from data/quizzes/<quiz_id>.yaml: single, multiple and numeric questions.

Each question has its control, a Check button, feedback that explains why (for every option),
and a Try again button; the quiz shows a running score and can be started again. It is
self-assessment only: answers are kept in the learner's own browser (widgets.learner_state),
never sent to a grading server.

    show_quiz("07_prevention_and_relief")
"""
from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as ipw
from IPython.display import display

from physiology.data import QuizFile, QuizQuestion, quiz as load_quiz
from widgets.form_css import form_css
from widgets.learner_state import BrowserStore
from widgets.safety import Message, guarded
from widgets.theme import css

STATE_KIND = "knee-cramp-lab/quiz"
STATE_VERSION = 1

_CSS = css("""<style>
.kcl-quiz { max-width: 52em; }
.kcl-quiz .kcl-question { border-left: 4px solid $blue; padding: 0.3em 0 0.5em 0.8em; margin: 0.6em 0; }
.kcl-feedback-correct { background:$success_bg; border-left:4px solid $bluish_green; padding:0.35em 0.6em; }
.kcl-feedback-wrong { background:$warning_bg; border-left:4px solid $orange; padding:0.35em 0.6em; }
.kcl-feedback-correct ul, .kcl-feedback-wrong ul { margin: 0.3em 0 0 1.2em; padding: 0; }
</style>""")


# --- grading (pure functions: the rules a teacher may want to read) -------------------------

def parse_number(text: str, unit: str = "") -> float:
    """Read a learner's number: "926", "926 mg", "2,2" (decimal comma). ValueError otherwise."""
    cleaned = text.strip()
    if unit and cleaned.lower().endswith(unit.lower()):
        cleaned = cleaned[: -len(unit)].strip()
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    example = f"for example 42{' ' + unit if unit else ''}"
    if not cleaned:
        raise ValueError(f"Type a number first ({example}).")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"\u201c{text.strip()}\u201d is not a number. Type a number, {example}.") from None
    if not math.isfinite(value):
        raise ValueError(f"Type an ordinary number, {example}.")
    return value


def is_correct(question: QuizQuestion, answer: Any) -> bool:
    """True when `answer` (option index, list of indices, or a number) is right."""
    if question.kind == "single":
        return answer is not None and question.options[answer].correct
    if question.kind == "multiple":
        return set(answer) == {i for i, o in enumerate(question.options) if o.correct}
    return abs(float(answer) - question.answer) <= question.tolerance


def feedback_html(question: QuizQuestion, answer: Any) -> str:
    """The explanation shown after Check: for every option the learner chose, and what is missing."""
    correct = is_correct(question, answer)
    verdict = "\u2713 Correct." if correct else "\u2717 Not quite."
    if question.kind == "single":
        body = html.escape(question.options[answer].feedback)
    elif question.kind == "multiple":
        lines = [f"<li><em>{html.escape(question.options[i].text)}</em><br>"
                 f"{html.escape(question.options[i].feedback)}</li>" for i in sorted(answer)]
        missed = sum(1 for i, o in enumerate(question.options) if o.correct and i not in answer)
        body = "<ul>" + "".join(lines) + "</ul>"
        if missed:
            body += f"<p>{missed} more correct option{'s' if missed > 1 else ''} not ticked yet.</p>"
    else:
        given = f"You answered {answer:g} {html.escape(question.unit)}. "
        body = given + html.escape(question.feedback_correct if correct else question.feedback_incorrect)
    css = "kcl-feedback-correct" if correct else "kcl-feedback-wrong"
    return f'<div class="{css}" role="status"><strong>{verdict}</strong> {body}</div>'


# --- one question --------------------------------------------------------------------------

class QuestionCard(ipw.VBox):
    """A question with its control, Check, feedback and Try again."""

    def __init__(self, number: int, question: QuizQuestion, on_change):
        self.question = question
        self.checked = False
        self.correct = False
        self._on_change = on_change
        self.message = Message()
        self.feedback = ipw.HTML()
        self.check_button = ipw.Button(description="Check", button_style="primary",
                                       tooltip=f"Check your answer to question {number}")
        self.try_again_button = ipw.Button(description="Try again",
                                           tooltip=f"Clear your answer to question {number}")
        self.try_again_button.layout.display = "none"
        self._on_answer = guarded(self.message)(lambda _change: self._answer_changed())
        self.control = self._make_control()
        self.check_button.on_click(guarded(self.message)(lambda _b: self.check()))
        self.try_again_button.on_click(guarded(self.message)(lambda _b: self.try_again()))
        prompt = ipw.HTML(f"<p><strong>Question {number}.</strong> {html.escape(question.prompt)}</p>")
        # The message sits beside the field of a numeric question, beside the buttons otherwise.
        beside_buttons = [] if question.kind == "numeric" else [self.message]
        buttons = ipw.HBox([self.check_button, self.try_again_button, *beside_buttons])
        super().__init__([prompt, self.control, buttons, self.feedback])
        self.add_class("kcl-question")

    def _make_control(self) -> ipw.Widget:
        q = self.question
        if q.kind == "single":
            self.radio = ipw.RadioButtons(options=[(o.text, i) for i, o in enumerate(q.options)],
                                          value=None, layout=ipw.Layout(width="auto"))
            self.radio.observe(self._on_answer, "value")
            return self.radio
        if q.kind == "multiple":
            self.boxes = [ipw.Checkbox(value=False, description=o.text, indent=False,
                                       layout=ipw.Layout(width="auto"))
                          for o in q.options]
            for box in self.boxes:
                box.observe(self._on_answer, "value")
            return ipw.VBox(self.boxes)
        self.text = ipw.Text(description=f"Answer ({q.unit})", placeholder="a number",
                             style={"description_width": "initial"},
                             layout=ipw.Layout(width="16em"))
        self.text.observe(self._on_answer, "value")
        return ipw.HBox([self.text, self.message])

    # the learner's answer, as stored: an index, a list of indices, or the typed text
    @property
    def answer(self) -> Any:
        if self.question.kind == "single":
            return self.radio.value
        if self.question.kind == "multiple":
            return [i for i, box in enumerate(self.boxes) if box.value]
        return self.text.value

    def set_answer(self, answer: Any) -> None:
        q = self.question
        if q.kind == "single":
            valid = isinstance(answer, int) and 0 <= answer < len(q.options)
            self.radio.value = answer if valid else None
        elif q.kind == "multiple":
            chosen = {i for i in answer if isinstance(i, int)} if isinstance(answer, list) else set()
            for i, box in enumerate(self.boxes):
                box.value = i in chosen
        else:
            self.text.value = answer if isinstance(answer, str) else ""

    def check(self) -> None:
        """Grade the current answer and show why; a missing or bad answer gets a message instead."""
        q = self.question
        if q.kind == "single" and self.radio.value is None:
            raise ValueError("Choose an answer first, then press Check.")
        if q.kind == "multiple" and not self.answer:
            raise ValueError("Tick at least one option first, then press Check.")
        graded = parse_number(self.text.value, q.unit) if q.kind == "numeric" else self.answer
        self.message.clear()
        self.correct = is_correct(q, graded)
        self.checked = True
        self.feedback.value = feedback_html(q, graded)
        self.try_again_button.layout.display = None
        self._on_change()

    def try_again(self) -> None:
        """Clear the answer and the feedback of this question."""
        self.set_answer(None)
        self.clear_feedback()
        self._on_change()

    def _answer_changed(self) -> None:
        # Changing the answer after Check makes the old feedback stale: it is cleared.
        if self.checked:
            self.clear_feedback()
        self.message.clear()
        self._on_change()

    def clear_feedback(self) -> None:
        self.checked = False
        self.correct = False
        self.feedback.value = ""
        self.message.clear()
        self.try_again_button.layout.display = "none"


# --- the quiz ------------------------------------------------------------------------------

class Quiz(ipw.VBox):
    """All questions of one quiz file, a score line, Start again, and browser-side memory."""

    def __init__(self, quiz_id: str, store: BrowserStore | None = None):
        self.quiz: QuizFile = load_quiz(quiz_id)
        self.store = store or BrowserStore(f"{quiz_id}/quiz")
        self._restoring = False
        self.cards = [QuestionCard(n, q, self._changed) for n, q in enumerate(self.quiz.questions, 1)]
        self.score = ipw.HTML()
        self.message = Message()
        self.start_again_button = ipw.Button(description="Start the quiz again", icon="refresh",
                                             tooltip="Clear every answer of this quiz",
                                             layout=ipw.Layout(width="auto"))
        self.start_again_button.on_click(guarded(self.message)(lambda _b: self.start_again()))
        title = ipw.HTML(f"{_CSS}{form_css('kcl-quiz')}<h3>Self-check: {html.escape(self.quiz.title)}</h3>"
                         "<p>Answers stay in this browser only; nothing is graded or sent anywhere.</p>")
        footer = ipw.HBox([self.score, self.start_again_button])
        super().__init__([title, *self.cards, footer, self.message, self.store])
        self.add_class("kcl-quiz")
        self._show_score()
        self.store.on_restore(guarded(self.message)(self.restore))

    @property
    def n_correct(self) -> int:
        return sum(card.correct for card in self.cards)

    @property
    def n_checked(self) -> int:
        return sum(card.checked for card in self.cards)

    @property
    def score_text(self) -> str:
        total = len(self.cards)
        text = f"Score: {self.n_correct} of {total} correct"
        unchecked = total - self.n_checked
        return text + (f" ({unchecked} not checked yet)." if unchecked else ".")

    def card(self, question_id: str) -> QuestionCard:
        for card in self.cards:
            if card.question.id == question_id:
                return card
        raise KeyError(f"No question '{question_id}' in quiz '{self.quiz.id}'")

    def start_again(self) -> None:
        for card in self.cards:
            card.set_answer(None)
            card.clear_feedback()
        self._changed()

    def state(self) -> dict:
        """What is kept in the browser: each answer and whether it was checked."""
        answers = {c.question.id: {"answer": c.answer, "checked": c.checked} for c in self.cards}
        return {"kind": STATE_KIND, "version": STATE_VERSION, "id": self.quiz.id, "answers": answers}

    def restore(self, stored: dict) -> None:
        """Put back answers saved in this browser (unknown or malformed entries are skipped)."""
        if stored.get("kind") != STATE_KIND or stored.get("id") != self.quiz.id:
            return
        answers = stored.get("answers")
        if not isinstance(answers, dict):
            return
        self._restoring = True
        try:
            for card in self.cards:
                saved = answers.get(card.question.id)
                if not isinstance(saved, dict):
                    continue
                card.set_answer(saved.get("answer"))
                if saved.get("checked") and _has_answer(card):
                    try:
                        card.check()
                    except ValueError:
                        card.clear_feedback()
        finally:
            self._restoring = False
        self._show_score()

    def _changed(self) -> None:
        self._show_score()
        if not self._restoring and self.store.loaded:
            self.store.save(self.state())

    def _show_score(self) -> None:
        self.score.value = f'<p role="status"><strong>{html.escape(self.score_text)}</strong></p>'


def _has_answer(card: QuestionCard) -> bool:
    answer = card.answer
    return answer not in (None, [], "")


def show_quiz(quiz_id: str) -> None:
    """Display the self-check quiz data/quizzes/<quiz_id>.yaml."""
    display(Quiz(quiz_id))
