"""The self-check quiz, driven from Python: answer, check, try again, score, and browser memory."""
from __future__ import annotations

import pytest

from physiology import foods
from tests.widgets.fake_browser import browser_restores
from widgets.learner_state import BrowserStore
from widgets.quiz import Quiz, is_correct, parse_number

QUIZ_ID = "07_prevention_and_relief"


@pytest.fixture
def quiz():
    q = Quiz(QUIZ_ID, store=BrowserStore("test/quiz"))
    browser_restores(q.store, {})
    return q


def option_index(card, starts_with: str) -> int:
    return next(i for i, o in enumerate(card.question.options) if o.text.startswith(starts_with))


# --- reading numbers ------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("926", 926.0), (" 926 mg ", 926.0), ("926MG", 926.0), ("2,2", 2.2), ("2.2", 2.2), ("-3", -3.0),
])
def test_numbers_are_read_with_an_optional_unit_and_decimal_comma(text, expected):
    assert parse_number(text, "mg") == pytest.approx(expected)


@pytest.mark.parametrize("text, says", [
    ("abc", "is not a number"), ("", "Type a number first"), ("   ", "Type a number first"),
    ("nan", "ordinary number"), ("inf", "ordinary number"), ("1,000,5", "is not a number"),
])
def test_bad_numbers_get_a_message_that_says_what_to_type(text, says):
    with pytest.raises(ValueError, match=says):
        parse_number(text, "mg")


# --- the quiz file agrees with the data it asks about ---------------------------------------

def test_the_potato_answer_is_the_usda_value_scaled_by_hand():
    # FD-09: 535 mg per 100 g x 173 g / 100 g = 925.55 mg
    q = Quiz(QUIZ_ID).card("potato_potassium").question
    assert abs(q.answer - 925.55) <= 1
    assert foods.food("baked_potato").mg_per_serving("potassium") == pytest.approx(925.55)
    assert is_correct(q, 926 - 15) and is_correct(q, 926 + 15)   # the tolerance, both sides
    assert not is_correct(q, 926 + 16) and not is_correct(q, 422)


def test_bananas_per_potato_is_926_over_422():
    q = Quiz(QUIZ_ID).card("bananas_per_potato").question
    assert q.answer == pytest.approx(926 / 422, abs=0.02)   # 2.19
    assert is_correct(q, 2.19) and not is_correct(q, 1.0) and not is_correct(q, 3.0)


def test_the_trial_hold_time_is_10_seconds_exactly():
    q = Quiz(QUIZ_ID).card("trial_hold_time").question
    assert is_correct(q, 10) and not is_correct(q, 30) and not is_correct(q, 9.5)


# --- answering in the widget ----------------------------------------------------------------

def test_a_fresh_quiz_scores_nothing(quiz):
    assert quiz.n_correct == 0 and quiz.n_checked == 0
    assert quiz.score_text == "Score: 0 of 7 correct (7 not checked yet)."


def test_a_right_single_answer_says_correct_and_explains(quiz):
    card = quiz.card("first_aid")
    card.radio.value = option_index(card, "A gentle, sustained stretch")
    card.check_button.click()
    assert card.checked and card.correct
    assert "Correct" in card.feedback.value and "first-line" in card.feedback.value
    assert quiz.score_text == "Score: 1 of 7 correct (6 not checked yet)."
    assert card.try_again_button.layout.display is None  # Try again appears


def test_a_wrong_single_answer_explains_why_it_is_wrong(quiz):
    card = quiz.card("first_aid")
    card.radio.value = option_index(card, "Eating a banana")
    card.check_button.click()
    assert card.checked and not card.correct
    assert "Not quite" in card.feedback.value and "about an hour" in card.feedback.value
    assert quiz.score_text == "Score: 0 of 7 correct (6 not checked yet)."


def test_check_without_an_answer_asks_for_one(quiz):
    card = quiz.card("urgent_sign")
    card.check_button.click()
    assert not card.checked
    assert "Choose an answer first" in card.message.text


def test_multiple_choice_needs_every_correct_option_and_no_wrong_one(quiz):
    card = quiz.card("evidence_statements")
    right = [i for i, o in enumerate(card.question.options) if o.correct]
    wrong = [i for i, o in enumerate(card.question.options) if not o.correct]
    assert len(right) == 3 and len(wrong) == 1

    card.boxes[right[0]].value = card.boxes[right[1]].value = True
    card.check_button.click()
    assert not card.correct and "1 more correct option not ticked yet" in card.feedback.value

    card.boxes[right[2]].value = True
    card.check_button.click()
    assert card.correct

    card.boxes[wrong[0]].value = True
    card.check_button.click()
    assert not card.correct and "0.2 mmol/L" in card.feedback.value  # the wrong option's why


def test_multiple_choice_with_nothing_ticked_asks_for_a_tick(quiz):
    card = quiz.card("evidence_statements")
    card.check_button.click()
    assert not card.checked and "Tick at least one option" in card.message.text


def test_a_numeric_answer_of_abc_gets_a_message_beside_the_field_and_is_kept(quiz):
    card = quiz.card("potato_potassium")
    card.text.value = "abc"
    card.check_button.click()
    assert not card.checked
    assert "\u201cabc\u201d is not a number" in card.message.text
    assert card.message in card.control.children          # beside the field
    assert card.text.value == "abc"                          # nothing typed is lost
    assert quiz.n_checked == 0


def test_a_numeric_answer_with_its_unit_is_graded(quiz):
    card = quiz.card("potato_potassium")
    card.text.value = "926 mg"
    card.check_button.click()
    assert card.correct and "926 mg" in card.feedback.value
    card.text.value = "422"
    assert not card.checked and card.feedback.value == ""   # a changed answer clears old feedback
    card.check_button.click()
    assert not card.correct and "535 mg x 173 g / 100 g" in card.feedback.value


def test_try_again_clears_one_question_and_start_again_clears_all(quiz):
    first = quiz.card("first_aid")
    first.radio.value = option_index(first, "A gentle")
    first.check_button.click()
    hold = quiz.card("trial_hold_time")
    hold.text.value = "10"
    hold.check_button.click()
    assert quiz.n_correct == 2

    first.try_again_button.click()
    assert first.radio.value is None and first.feedback.value == "" and quiz.n_correct == 1

    quiz.start_again_button.click()
    assert hold.text.value == "" and quiz.n_checked == 0
    assert quiz.score_text == "Score: 0 of 7 correct (7 not checked yet)."


# --- kept in the browser ----------------------------------------------------------------------

def test_answers_are_saved_to_the_browser_and_restored_in_a_new_kernel(quiz):
    first = quiz.card("first_aid")
    first.radio.value = option_index(first, "A gentle")
    first.check_button.click()
    potato = quiz.card("potato_potassium")
    potato.text.value = "900"          # checked and wrong
    potato.check_button.click()
    quiz.card("bananas_per_potato").text.value = "2.2"   # typed, not checked
    saved = quiz.store.state
    assert saved["answers"]["first_aid"] == {"answer": first.radio.value, "checked": True}

    again = Quiz(QUIZ_ID, store=BrowserStore("test/quiz-again"))   # kernel restart, page reload
    browser_restores(again.store, saved)
    assert again.card("first_aid").correct
    assert again.card("potato_potassium").checked and not again.card("potato_potassium").correct
    assert again.card("bananas_per_potato").text.value == "2.2"
    assert not again.card("bananas_per_potato").checked
    assert again.score_text == "Score: 1 of 7 correct (5 not checked yet)."


def test_answers_of_another_quiz_or_malformed_answers_are_ignored():
    q = Quiz(QUIZ_ID, store=BrowserStore("test/quiz-foreign"))
    browser_restores(q.store, {"kind": "knee-cramp-lab/quiz", "version": 1, "id": "05_aging",
                               "answers": {"first_aid": {"answer": 0, "checked": True}}})
    assert q.n_checked == 0

    q2 = Quiz(QUIZ_ID, store=BrowserStore("test/quiz-malformed"))
    browser_restores(q2.store, {"kind": "knee-cramp-lab/quiz", "version": 1, "id": QUIZ_ID,
                                "answers": {"first_aid": {"answer": 99, "checked": True},
                                            "evidence_statements": {"answer": "x", "checked": True},
                                            "potato_potassium": {"answer": "abc", "checked": True},
                                            "urgent_sign": "not a dict"}})
    assert q2.n_checked == 0
    assert q2.card("first_aid").radio.value is None
    assert q2.card("potato_potassium").text.value == "abc"
    assert q2.message.text == ""


def test_nothing_is_written_to_the_browser_before_it_has_restored():
    q = Quiz(QUIZ_ID, store=BrowserStore("test/quiz-early"))
    card = q.card("trial_hold_time")
    card.text.value = "10"
    card.check_button.click()
    assert q.store.state == {}   # an early save could overwrite what the browser holds
    browser_restores(q.store, {})
    card.check_button.click()
    assert q.store.state["answers"]["trial_hold_time"]["checked"] is True


def test_every_control_has_a_visible_name():
    q = Quiz(QUIZ_ID)
    for card in q.cards:
        kind = card.question.kind
        if kind == "single":
            assert all(label for label, _ in card.radio.options)
        elif kind == "multiple":
            assert all(box.description for box in card.boxes)
        else:
            assert card.text.description == f"Answer ({card.question.unit})"
        assert card.check_button.description == "Check"
    assert len(q.cards) == 7
