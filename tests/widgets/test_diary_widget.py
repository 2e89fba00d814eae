"""The diary widget driven from Python: fill the form, press the buttons, pick files.

Expected numbers are counted by hand from the entries each test makes (or from the rows of
data/sample_diary.csv: 23 episodes, 12 in its last 4 weeks and 6 in the 4 before).
"""
from __future__ import annotations

import datetime as dt

import pytest

from physiology import diary
from widgets.diary import DiaryWidget
from widgets.learner_state import BrowserStore

NOW = dt.datetime(2024, 5, 1, 12, 0)


class RecordingStore(BrowserStore):
    """A BrowserStore that remembers what it asked the browser to download."""

    def __init__(self, key: str):
        super().__init__(key)
        self.downloads: list[tuple[str, str, str]] = []

    def download(self, filename: str, text: str, mime: str = "application/json") -> None:
        super().download(filename, text, mime)
        self.downloads.append((filename, text, mime))


def browser_sends(store: BrowserStore, message: dict) -> None:
    """What the store's front end sends: {"type": "restore", ...} or {"type": "upload", ...}."""
    store._on_front_end_message(store, message)


@pytest.fixture
def widget() -> DiaryWidget:
    w = DiaryWidget(RecordingStore("test/08_cramp_diary"), clock=lambda: NOW)
    browser_sends(w.store, {"type": "restore", "state": {}, "available": True})
    return w


def fill(w: DiaryWidget, **changes) -> None:
    """Fill the form with a 2-minute left calf cramp at night, changed by the keywords."""
    values = {"date": dt.date(2024, 4, 20), "time": "03:10", "muscle_group": "calf",
              "side": "left", "duration_min": "2", "intensity": "6", "context": "night",
              "notes": ""}
    values.update({k: v for k, v in changes.items() if k not in w.form.ticks})
    for field, value in values.items():
        w.form.controls[field].value = value
    for field, ticked in changes.items():
        if field in w.form.ticks:
            for option_id, box in w.form.ticks[field].items():
                box.value = option_id in ticked


def add(w: DiaryWidget, **changes) -> None:
    fill(w, **changes)
    w.submit()


def per_week(w: DiaryWidget) -> tuple[tuple, tuple]:
    bar = w.bars["per_week"]
    return tuple(bar.x), tuple(bar.y)


# --- adding, and bad input ------------------------------------------------------------------

def test_adding_an_episode_updates_table_plots_summary_and_browser_state(widget):
    figure, bar = widget.figure, widget.bars["per_week"]
    assert per_week(widget) == (("2024-04-29",), (0,))         # empty: this week (Mon 04-29), 0
    add(widget, triggers=["long_or_hard_exercise"])
    assert len(widget.diary) == 1
    assert "Added: 2024-04-20 03:10, calf (left), 2 min" in widget.form_status.text
    assert "2024-04-20" in widget.entries.value
    assert per_week(widget) == (("2024-04-15",), (1,))          # 04-20 is in the week of Mon 04-15
    assert widget.figure is figure and figure.data[0] is bar      # updated in place
    assert widget.bars["time_of_day"].y[3] == 1
    assert widget.pattern_texts["durations"] == "Median 2 min, longest 2 min; 0 of 1 over 10 min."
    assert widget.store.state["episodes"][0]["triggers"] == ["long_or_hard_exercise"]
    assert widget.form.controls["time"].value == ""              # the form is ready for the next


@pytest.mark.parametrize("changes, field, words", [
    ({"date": dt.date(2024, 5, 2)}, "date", "in the future"),
    ({"date": None}, "date", "YYYY-MM-DD"),
    ({"duration_min": "-3"}, "duration_min", "more than 0"),
    ({"duration_min": "0"}, "duration_min", "more than 0"),
    ({"duration_min": "1500"}, "duration_min", "at most 24 h"),
    ({"duration_min": "abc"}, "duration_min", "in minutes"),
    ({"intensity": "11"}, "intensity", "0 (no pain) to 10"),
    ({"muscle_group": ""}, "muscle_group", "Choose a muscle group"),
])
def test_bad_input_shows_beside_its_field_and_changes_nothing(widget, changes, field, words):
    add(widget, date=dt.date(2024, 4, 2))
    state_before, plot_before = dict(widget.store.state), per_week(widget)
    add(widget, **changes)
    assert words in widget.form.messages[field].text
    others = [f for f, m in widget.form.messages.items() if m.text and f != field]
    assert others == []
    assert "Your diary has not changed" in widget.form_status.text
    assert len(widget.diary) == 1
    assert widget.store.state == state_before and per_week(widget) == plot_before
    assert widget.form.controls["intensity"].value == changes.get("intensity", "6")  # input kept


def test_fixing_the_field_clears_its_message(widget):
    add(widget, duration_min="-3")
    add(widget, duration_min="3")
    assert widget.form.messages["duration_min"].text == ""
    assert len(widget.diary) == 1


# --- edit, delete, undo ---------------------------------------------------------------------

def test_edit_fills_the_form_and_save_replaces_the_entry(widget):
    add(widget, date=dt.date(2024, 4, 2))
    add(widget, date=dt.date(2024, 4, 9), muscle_group="hamstrings")
    widget.entry_picker.value = 1
    widget.start_edit(widget.entry_picker.value)
    assert widget.form.controls["muscle_group"].value == "hamstrings"
    assert widget.add_button.description == "Save changes"
    widget.form.controls["duration_min"].value = "12"
    widget.submit()
    assert [e.duration_min for e in widget.diary.episodes] == [2, 12]
    assert widget.add_button.description == "Add episode"
    assert widget.pattern_texts["durations"] == "Median 7 min, longest 12 min; 1 of 2 over 10 min."


def test_a_bad_edit_keeps_the_original_entry(widget):
    add(widget)
    widget.start_edit(0)
    widget.form.controls["intensity"].value = "15"
    widget.submit()
    assert widget.diary.episodes[0].intensity == 6
    assert "you entered 15" in widget.form.messages["intensity"].text


def test_delete_and_undo(widget):
    add(widget, date=dt.date(2024, 4, 2))
    add(widget, date=dt.date(2024, 4, 9))
    widget.entry_picker.value = 0
    widget.delete_button.click()
    assert [e.date.day for e in widget.diary.episodes] == [9]
    assert len(widget.store.state["episodes"]) == 1
    assert widget.undo_button.description == "Undo delete"
    widget.undo_button.click()
    assert [e.date.day for e in widget.diary.episodes] == [2, 9]
    assert len(widget.store.state["episodes"]) == 2


def test_edit_or_delete_with_no_entries_shows_a_message(widget):
    widget.delete_button.click()
    assert "no entries yet" in widget.entries_message.text


# --- the browser store: restore, import, export ---------------------------------------------

def test_restore_puts_back_the_saved_diary_and_keeps_entries_made_before(widget):
    saved = diary.to_document(diary.sample_diary().episodes[:5])
    fresh = DiaryWidget(BrowserStore("test/other"), clock=lambda: NOW)
    add(fresh, date=dt.date(2024, 4, 25))                  # typed before the browser answered
    browser_sends(fresh.store, {"type": "restore", "state": saved, "available": True})
    assert len(fresh.diary) == 6
    assert len(fresh.store.state["episodes"]) == 6          # and written back to the browser


def test_an_unreadable_stored_diary_is_left_alone_until_cleared(widget):
    broken = {"format": diary.JSON_FORMAT, "episodes": [{"date": "yesterday"}]}
    fresh = DiaryWidget(BrowserStore("test/broken"), clock=lambda: NOW)
    browser_sends(fresh.store, {"type": "restore", "state": broken, "available": True})
    assert "could not be read" in fresh.entries_message.text
    add(fresh)
    assert fresh.store.state == broken                     # not overwritten by the new entry
    fresh.clear_all()
    assert fresh.store.state["episodes"] == []


def upload(w: DiaryWidget, filename: str, text: str) -> None:
    browser_sends(w.store, {"type": "upload", "filename": filename, "text": text})


def test_importing_a_good_file_adds_its_episodes(widget):
    add(widget, date=dt.date(2024, 4, 28))
    upload(widget, "mine.csv", diary.to_csv(diary.sample_diary().episodes))
    assert len(widget.diary) == 24
    assert "Imported 23 new episodes" in widget.files_message.text
    assert widget.store.upload_error == ""
    assert sum(per_week(widget)[1]) == 24


def bad_row_7() -> str:
    rows = diary.to_csv(diary.sample_diary().episodes[:10]).splitlines()
    rows[7] = rows[7].replace("2024-", "2024/", 1)          # line 8 = data row 7
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("filename, text, words", [
    ("mine.csv", bad_row_7(), "Row 7 (line 8), field 'date'"),
    ("mine.csv", "when,what\n2024-04-01,calf\n", "Wrong columns"),
    ("mine.pdf", "%PDF-1.4", "not a CSV or JSON file"),
    ("mine.csv", "", "is empty"),
    ("mine.json", '{"episodes": [{"date": "2024-04-01"}]}', "Entry 1, field"),
])
def test_a_bad_file_is_refused_beside_the_import_control_and_changes_nothing(widget, filename,
                                                                              text, words):
    add(widget)
    state_before = dict(widget.store.state)
    upload(widget, filename, text)
    assert words in widget.store.upload_error
    assert len(widget.diary) == 1 and widget.store.state == state_before


def test_a_file_over_1_mb_is_refused(widget):
    upload(widget, "huge.csv", "x" * 10_000_000)
    assert "10.0 MB" in widget.store.upload_error
    assert len(widget.diary) == 0


def test_export_csv_json_and_the_summary_download_in_the_browser(widget):
    widget.csv_button.click()
    assert "nothing to export" in widget.files_message.text and widget.store.downloads == []
    add(widget)
    widget.csv_button.click()
    widget.json_button.click()
    widget.summary_button.click()
    names = [name for name, _, _ in widget.store.downloads]
    assert names == ["cramp_diary.csv", "cramp_diary.json", "cramp_diary_summary.txt"]
    csv_text, json_text = widget.store.downloads[0][1], widget.store.downloads[1][1]
    assert diary.parse_csv(csv_text, NOW) == list(widget.diary.episodes)
    assert diary.parse_json(json_text, NOW) == list(widget.diary.episodes)
    assert widget.store.downloads[2][1].startswith("Cramp diary summary")


# --- sample diary, red flags, summary -------------------------------------------------------

def test_the_sample_diary_shows_its_patterns_and_red_flags(widget):
    widget.sample_button.click()
    assert len(widget.diary) == 23 and "fictional" in widget.entries_message.text
    assert sum(per_week(widget)[1]) == 23 and len(per_week(widget)[0]) == 10   # 10 weeks, 01-08..03-11
    assert list(widget.bars["muscle_groups"].y) == [2, 4, 17]   # quadriceps, hamstrings, calf
    assert list(widget.bars["durations"].y)[-1] == 1           # the one 12-min cramp
    panel = widget.red_flag_panel.value
    assert "Talk to a doctor if cramps have lasted more than 10 minutes" in panel   # not urgent (I5)
    assert "Get urgent advice" not in panel
    assert "Talk to a doctor if cramps happen often" in panel
    assert "12 episodes in the diary&#x27;s last 4 weeks, 6 in the 4 weeks before" in panel
    assert "Episodes recorded: 23" in widget.summary_text


def test_the_sample_does_not_mix_with_a_learners_own_entries(widget):
    add(widget)
    widget.sample_button.click()
    assert "would mix with them" in widget.entries_message.text
    assert len(widget.diary) == 1


def test_an_entry_with_numbness_raises_the_checklist_red_flag(widget):
    add(widget)
    assert "None of the entries matches a red flag" in widget.red_flag_panel.value
    add(widget, date=dt.date(2024, 4, 21), also_noticed=["numbness"])
    assert "Talk to a doctor if cramps come with numbness, tingling, swelling, redness or skin changes, or weakness" in widget.red_flag_panel.value


def test_clear_all_and_undo(widget):
    widget.sample_button.click()
    widget.clear_all_button.click()
    assert len(widget.diary) == 0 and widget.store.state["episodes"] == []
    assert widget.pattern_texts["per_week"] == diary.NO_EPISODES
    widget.undo_button.click()
    assert len(widget.diary) == 23


def test_the_entry_picker_always_points_at_an_entry(widget):
    assert widget.entry_picker.value is None                   # no entries, nothing to pick
    add(widget, date=dt.date(2024, 4, 2))
    add(widget, date=dt.date(2024, 4, 9))
    assert widget.entry_picker.value == 0
    widget.entry_picker.value = 1
    widget.delete_button.click()                               # the last entry goes...
    assert widget.entry_picker.value == 0                      # ...the picker moves to one left
