"""Checklists driven from Python: tick, progress, red flags, reset, export and import (good and bad)."""
from __future__ import annotations

import json
import os

import pytest

from physiology import data
from tests.widgets.fake_browser import RecordingStore, browser_restores, browser_uploads
from widgets.checklist import Checklist

PREVENTION = "prevention_routine"
DOCTOR = "when_to_see_a_doctor"


def make(checklist_id: str, key: str = "test") -> Checklist:
    checklist = Checklist(checklist_id, store=RecordingStore(f"{key}/{checklist_id}",
                                                             upload_label="Import"))
    browser_restores(checklist.store, {})
    return checklist


def tick(checklist: Checklist, *item_ids: str) -> None:
    for item_id in item_ids:
        checklist.checkboxes[item_id].value = True


@pytest.fixture
def routine():
    return make(PREVENTION)


@pytest.fixture
def doctor():
    return make(DOCTOR)


# --- the science in the checklist files -------------------------------------------------------

def test_prevention_items_carry_the_evidence_named_in_the_science_base():
    items = {i.id: i for i in data.checklist(PREVENTION).items}
    # TX-05 and TX-09: two randomised trials in older adults that disagree -> moderate
    assert items["stretch_before_bed"].refs == ["hallegraeff2012", "coppin2005"]
    assert items["stretch_before_bed"].evidence_level == "moderate"
    assert "over 55" in items["stretch_before_bed"].label
    # TX-04 / MC-05: Cochrane review -> strong evidence that magnesium does not help
    assert items["magnesium_not_for_night_cramps"].refs == ["garrison2020"]
    assert items["magnesium_not_for_night_cramps"].evidence_level == "strong"
    # TX-03 / MC-06: FDA warning and AAN guideline -> strong
    assert set(items["quinine_not_recommended"].refs) == {"fda2010", "katzberg2010"}
    assert items["quinine_not_recommended"].evidence_level == "strong"
    assert all(i.red_flag == "none" for i in items.values())


def test_red_flags_follow_nhs_guidance_with_urgent_ones_marked_urgent():
    items = {i.id: i for i in data.checklist(DOCTOR).items}
    # CG-02: a cramp over 10 minutes that does not ease, tetanus or toxic exposure -> urgent
    for urgent in ("cramp_over_10_minutes", "contaminated_wound", "toxic_exposure"):
        assert items[urgent].red_flag == "urgent" and "nhs" in items[urgent].refs
    assert "more than 10 minutes" in items["cramp_over_10_minutes"].label
    # CG-01: frequent cramps, sleep disturbance, numbness/weakness, wasting -> see a doctor
    for routine_visit in ("frequent_cramps", "disturb_sleep_or_life", "numbness_or_weakness",
                          "muscle_shrinking"):
        assert items[routine_visit].red_flag == "see_doctor"
    assert all(i.red_flag != "none" for i in items.values())


# --- ticking and progress ---------------------------------------------------------------------

def test_progress_counts_ticks(routine):
    assert routine.progress_text == "0 of 8 done"          # 2 + 2 + 3 + 1 items in the file
    tick(routine, "stretch_before_bed", "quinine_not_recommended")
    assert routine.progress_text == "2 of 8 done"
    assert "2 of 8 done" in routine.progress.value and 'value="2" max="8"' in routine.progress.value
    assert routine.ticked == ["stretch_before_bed", "quinine_not_recommended"]


def test_each_item_shows_its_evidence_and_a_why_with_short_citations(routine):
    html = "".join(w.value for w in _html_widgets(routine))
    assert "moderate evidence" in html and "strong evidence" in html
    assert "<summary>Why?" in html
    assert '<a href="#ref-hallegraeff2012">Hallegraeff et al. 2012</a>' in html
    assert '<a href="#ref-garrison2020">Garrison et al. 2020</a>' in html
    assert "[hallegraeff2012]" not in html   # a learner reads names, never citation keys


# --- red flags --------------------------------------------------------------------------------

def test_no_alert_until_a_red_flag_is_ticked(doctor):
    assert doctor.alert_text == ""


def test_a_see_doctor_item_shows_the_see_a_doctor_message(doctor):
    tick(doctor, "frequent_cramps")
    assert doctor.alert_text.startswith("Talk to a doctor:")
    assert "happen often" in doctor.alert_text
    assert "Urgent" not in doctor.alert_text
    assert 'role="alert"' in doctor.alert.value


def test_an_urgent_item_shows_urgent_wording_first(doctor):
    tick(doctor, "frequent_cramps", "cramp_over_10_minutes")
    text = doctor.alert_text
    assert text.startswith("Urgent: Get urgent medical advice now.")
    assert "NHS 111" in text and "emergency services" in text
    assert text.index("Urgent:") < text.index("Talk to a doctor:")
    doctor.checkboxes["cramp_over_10_minutes"].value = False
    assert not doctor.alert_text.startswith("Urgent")


def test_ticking_every_prevention_item_raises_no_alarm(routine):
    tick(routine, *routine.checkboxes)
    assert routine.progress_text == "8 of 8 done" and routine.alert_text == ""


def test_reset_unticks_everything_and_clears_the_alert(doctor):
    tick(doctor, "frequent_cramps", "toxic_exposure")
    doctor.reset_button.click()
    assert doctor.ticked == [] and doctor.alert_text == ""
    assert doctor.progress_text == "0 of 17 done"
    assert doctor.store.state["ticked"] == []


# --- browser storage --------------------------------------------------------------------------

def test_ticks_are_saved_to_the_browser_store(routine):
    tick(routine, "stretch_before_bed")
    assert routine.store.state == {"kind": "knee-cramp-lab/checklist", "version": 1,
                                   "checklist": PREVENTION, "ticked": ["stretch_before_bed"]}


def test_ticks_come_back_from_the_browser_after_a_reload(routine):
    tick(routine, "stretch_before_bed", "pacing_and_training")
    reloaded = Checklist(PREVENTION, store=RecordingStore("test/reloaded"))
    browser_restores(reloaded.store, routine.store.state)
    assert reloaded.ticked == ["stretch_before_bed", "pacing_and_training"]
    assert reloaded.progress_text == "2 of 8 done"


def test_another_browser_starts_empty(routine):
    tick(routine, "stretch_before_bed")
    other_student = make(PREVENTION, key="other")
    assert other_student.ticked == []


def test_unreadable_saved_ticks_start_empty_with_a_note():
    checklist = Checklist(PREVENTION, store=RecordingStore("test/corrupt"))
    browser_restores(checklist.store, {"kind": "something else", "ticked": 7})
    assert checklist.ticked == []
    assert "could not be read" in checklist.message.text


def test_the_store_key_is_notebook_and_checklist():
    checklist = Checklist(PREVENTION, notebook="07_prevention_and_relief")
    assert checklist.store.key == "07_prevention_and_relief/prevention_routine"


# --- export and import ------------------------------------------------------------------------

def test_export_downloads_a_json_file_of_the_ticks(doctor):
    tick(doctor, "frequent_cramps", "toxic_exposure")
    doctor.export_button.click()
    [download] = doctor.store.downloads
    assert download["filename"] == "when_to_see_a_doctor.json"
    assert download["mime"] == "application/json"
    assert json.loads(download["text"])["ticked"] == ["frequent_cramps", "toxic_exposure"]
    assert "Saved 2 of 17 done" in doctor.message.text


def test_import_of_an_exported_file_restores_the_ticks(doctor):
    tick(doctor, "frequent_cramps", "toxic_exposure")
    exported = doctor.export_text()
    fresh = make(DOCTOR, key="fresh")
    browser_uploads(fresh.store, "when_to_see_a_doctor.json", exported)
    assert fresh.ticked == ["frequent_cramps", "toxic_exposure"]
    assert fresh.alert_text.startswith("Urgent")
    assert "Imported 2 ticked item(s)" in fresh.message.text
    assert fresh.store.state["ticked"] == ["frequent_cramps", "toxic_exposure"]


BAD_FILES = {
    "not JSON": ("notes.txt", "these are my ticks", "is not a saved checklist: it is not valid JSON"),
    "JSON list": ("list.json", "[1, 2, 3]", "is not a Knee Cramp Lab checklist file"),
    "wrong schema": ("other.json", json.dumps({"ticks": ["frequent_cramps"]}),
                     "is not a Knee Cramp Lab checklist file"),
    "extra field": ("extra.json", json.dumps({"kind": "knee-cramp-lab/checklist", "version": 1,
                                              "checklist": DOCTOR, "ticked": [], "owner": "x"}),
                    "is not a Knee Cramp Lab checklist file"),
    "a diary file": ("diary.json", json.dumps({"kind": "knee-cramp-lab/diary", "version": 1,
                                               "entries": []}),
                     "is not a Knee Cramp Lab checklist file"),
    "another checklist": ("prevention_routine.json",
                          json.dumps({"kind": "knee-cramp-lab/checklist", "version": 1,
                                      "checklist": PREVENTION, "ticked": ["stretch_before_bed"]}),
                          "holds ticks for the checklist \u201cprevention_routine\u201d, "
                          "not \u201cwhen_to_see_a_doctor\u201d"),
    "unknown items": ("old.json", json.dumps({"kind": "knee-cramp-lab/checklist", "version": 1,
                                              "checklist": DOCTOR, "ticked": ["leg_fell_off"]}),
                      "names items this checklist does not have (leg_fell_off)"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_changes(doctor, case):
    filename, text, says = BAD_FILES[case]
    tick(doctor, "frequent_cramps", "disturb_sleep_or_life")
    saved_before = dict(doctor.store.state)

    browser_uploads(doctor.store, filename, text)

    assert doctor.ticked == ["frequent_cramps", "disturb_sleep_or_life"]
    assert doctor.store.state == saved_before
    assert says in doctor.message.text
    assert f"\u201c{filename}\u201d" in doctor.message.text
    assert "Nothing was changed." in doctor.message.text


def test_a_huge_file_is_refused_before_it_is_read(doctor):
    tick(doctor, "frequent_cramps")
    huge = json.dumps({"kind": "knee-cramp-lab/checklist", "version": 1, "checklist": DOCTOR,
                       "ticked": [], "exported": "x" * 1_200_000})
    browser_uploads(doctor.store, "huge.json", huge)
    assert doctor.ticked == ["frequent_cramps"]
    assert "the limit is 1.0 MB" in doctor.store.upload_error
    assert "Imported" not in doctor.message.text


def test_nothing_is_written_to_a_server_side_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    checklist = make(DOCTOR)
    tick(checklist, "frequent_cramps")
    checklist.export_button.click()
    browser_uploads(checklist.store, "when_to_see_a_doctor.json", checklist.export_text())
    checklist.reset_button.click()
    assert os.listdir(tmp_path) == []


def _html_widgets(widget):
    import ipywidgets as ipw

    if isinstance(widget, ipw.HTML):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _html_widgets(child)
