"""Safety findings of the December 2026 science review (issue 16): W2, M4, M5, I4, I5, F12.

Each test names the review finding it pins (../shared/science/review-2026-12.md).
"""
from __future__ import annotations

import re

from physiology import data, diary
from physiology import lab_values as lv
from tests.data.review_text import doctor_items, markdown, places

def test_tetany_signs_are_urgent_with_an_emergency_line_and_hyperventilation_named():
    """M4: tingling round the mouth or in the fingers with hand spasms is urgent (Society for
    Endocrinology 2016); throat tightness, breathing trouble or a seizure -> emergency services."""
    items = doctor_items()
    tetany = items["tetany_signs"]
    assert tetany.red_flag == "urgent"
    assert "turner2016" in tetany.refs
    assert re.search(r"hyperventilat|breathing too fast|over-breathing", tetany.why, re.I)
    emergency = [i for i in items.values() if "seizure" in i.label.lower()]
    assert emergency and emergency[0].red_flag == "urgent"
    assert "throat" in emergency[0].label.lower() and "breath" in emergency[0].label.lower()
    # the clinician-review list no longer treats these signs as a routine, diagnostic-sounding visit
    review = data.checklist("review_with_a_clinician")
    assert "tetany_signs" not in {i.id for i in review.items}
    assert not places(r"can come from low blood calcium or magnesium, which a doctor")


def test_an_emergency_line_names_breathlessness_with_a_swollen_leg():
    """I4a: a painful swollen leg with breathlessness or chest pain -> call 999 (possible PE)."""
    items = doctor_items()
    lines = [i for i in items.values() if "breath" in i.label.lower() and "swollen" in i.label.lower()]
    assert len(lines) == 1 and lines[0].red_flag == "urgent"
    assert "chest pain" in lines[0].label.lower()
    assert re.search(r"999|emergency services", lines[0].why)
    message = data.checklist("when_to_see_a_doctor").messages["urgent"]
    assert "breathless" in message.lower() and "emergency services" in message


def test_the_mainstream_see_a_doctor_items_are_there():
    """I4b (Mayo Clinic) and F12 (AAN 2010, Katzberg 2015)."""
    labels = {i.id: i.label.lower() for i in doctor_items().values() if i.red_flag == "see_doctor"}
    text = " | ".join(labels.values())
    assert "self-care" in text and "obvious cause" in text and "very painful" in text
    assert "skin changes" in text
    twitching = [k for k, v in labels.items() if "twitching" in v]
    assert twitching and re.search(r"weak", labels[twitching[0]]) and "wasting" in labels[twitching[0]]


def test_a_long_episode_in_the_diary_is_worth_mentioning_not_urgent():
    """I5: the diary cannot know whether a past cramp eased, so it is not the urgent sign."""
    rules = diary.options().red_flags
    assert rules.long_episode.item != "cramp_over_10_minutes"
    assert doctor_items()[rules.long_episode.item].red_flag == "see_doctor"
    assert doctor_items()["cramp_over_10_minutes"].red_flag == "urgent"


def test_notebook_08_says_where_swelling_and_long_episodes_really_go():
    """W2: swelling is matched to the numbness/swelling/weakness item, not the urgent leg sign."""
    text = " ".join(markdown("08_cramp_diary.ipynb").split())
    assert "its sign about a painful, swollen, warm leg" not in text
    assert not re.search(r"over 10 minutes\*\*, matched to \*\"Get urgent", text)
    assert "cannot record" in text


def test_potassium_explanations_name_the_heart():
    """M5: a high (and a very low) potassium can be dangerous for the heart."""
    k = lv.analyte("potassium")
    for status in ("low", "high"):
        assert "heart" in getattr(k, status), status
        assert "promptly" in getattr(k, status), status
    assert "heart" in lv.explain(lv.read("potassium", "6.5", "mmol/L"))
    assert "heart" in lv.explain(lv.read("potassium", "2.4", "mmol/L"))


def test_the_squid_model_potassium_scenario_is_labelled_as_an_exaggeration():
    high = {s.id: s for s in data.scenarios("membrane").scenarios}["high_potassium"]
    assert "squid" in high.description.lower() and "exaggerat" in high.description.lower()


