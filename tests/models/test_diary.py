"""The cramp diary model: entries, validation, files, patterns, trend, red flags, summary.

Every expected number below is counted by hand from the episodes written in the test (or, for
the sample diary, from the rows of data/sample_diary.csv), never copied from the code's output.
"""
from __future__ import annotations

import datetime as dt
import math

import pytest

from physiology import data, diary
from physiology.diary import Diary, EntryError, ImportRefused, new_episode

NOW = dt.datetime(2024, 5, 1, 12, 0)   # "now" is injected, so these tests cannot rot


def values(**changes) -> dict:
    """A valid form: a 2-minute left calf cramp at night, changed by the keyword arguments."""
    base = {"date": "2024-04-20", "time": "03:10", "muscle_group": "calf", "side": "left",
            "duration_min": 2, "intensity": 6, "context": "night", "triggers": [],
            "relieved_by": ["stretching"], "also_noticed": [], "notes": ""}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}   # `...` means "leave the field out"


def episode(**changes) -> diary.Episode:
    return new_episode(values(**changes), now=NOW)


def problems(**changes) -> dict[str, str]:
    with pytest.raises(EntryError) as caught:
        new_episode(values(**changes), now=NOW)
    return caught.value.problems


# --- entries --------------------------------------------------------------------------------

def test_a_valid_entry_keeps_what_was_typed():
    e = episode(duration_min="2.5", intensity="7", triggers="heavy_sweating_or_heat;other")
    assert (e.date, e.time) == (dt.date(2024, 4, 20), dt.time(3, 10))
    assert episode(duration_min="2,5").duration_min == 2.5            # a decimal comma
    assert e.duration_min == 2.5 and e.intensity == 7
    assert e.triggers == ("heavy_sweating_or_heat", "other")


def test_add_edit_delete_return_new_diaries_and_keep_time_order():
    first = episode(date="2024-04-20")
    earlier = episode(date="2024-04-02", muscle_group="hamstrings")
    one = Diary().add(first)
    two = one.add(earlier)
    assert len(one) == 1                                    # adding made a new diary
    assert [e.date.day for e in two.episodes] == [2, 20]    # sorted by time, not entry order

    edited = two.replace(1, episode(date="2024-04-20", duration_min=4))
    assert edited.episodes[1].duration_min == 4
    assert two.episodes[1].duration_min == 2                # the original is untouched

    deleted = edited.remove(0)
    assert [e.muscle_group for e in deleted.episodes] == ["calf"]
    with pytest.raises(IndexError, match="no entry number 5"):
        deleted.remove(4)


# --- every bad input gives a message on its own field, and the diary stays as it was ---------

BAD_INPUTS = [
    # (field changes, the field that must complain, words the message must contain)
    ({"date": "2024-05-02"}, "date", "future"),                 # tomorrow
    ({"date": "2024-05-01", "time": "12:30"}, "time", "later than now"),   # today, 30 min ahead
    ({"date": "2024-02-30"}, "date", "YYYY-MM-DD"),              # no such day
    ({"duration_min": -3}, "duration_min", "more than 0"),
    ({"duration_min": 0}, "duration_min", "more than 0"),
    ({"duration_min": 1441}, "duration_min", "at most 24 h (1440 min)"),   # 24 h + 1 min
    ({"duration_min": "abc"}, "duration_min", "in minutes"),
    ({"intensity": 11}, "intensity", "0 (no pain) to 10"),
    ({"intensity": -1}, "intensity", "0 (no pain) to 10"),
    ({"intensity": 7.5}, "intensity", "whole number"),
    ({"muscle_group": ...}, "muscle_group", "Choose a muscle group"),      # not given at all
    ({"muscle_group": None}, "muscle_group", "Choose a muscle group"),     # form left empty
    ({"muscle_group": ""}, "muscle_group", "Choose a muscle group"),
    ({"muscle_group": "shin"}, "muscle_group", "'shin' is not a choice"),
    ({"triggers": ["full_moon"]}, "triggers", "'full_moon' is not a choice"),
]


@pytest.mark.parametrize("changes, field, words", BAD_INPUTS)
def test_bad_input_names_its_field_and_leaves_the_diary_unchanged(changes, field, words):
    kept = Diary().add(episode(date="2024-04-01")).add(episode(date="2024-04-03"))
    before = kept.episodes
    with pytest.raises(EntryError) as caught:
        kept.add(new_episode(values(**changes), now=NOW))
    assert list(caught.value.problems) == [field]
    assert words in caught.value.problems[field]
    assert kept.episodes == before


def test_limits_themselves_are_accepted():
    assert episode(date="2024-05-01", time="12:00").time == dt.time(12, 0)   # exactly now
    assert episode(duration_min=1440).duration_min == 1440                  # exactly 24 h
    assert episode(intensity=0).intensity == 0 and episode(intensity=10).intensity == 10


def test_several_bad_fields_are_all_reported():
    found = problems(date="2024-06-01", duration_min=-1, intensity=12, muscle_group=...)
    assert set(found) == {"date", "duration_min", "intensity", "muscle_group"}


# --- files ----------------------------------------------------------------------------------

def three_episodes() -> Diary:
    return Diary((
        episode(date="2024-04-02", time="02:30", duration_min=0.5, triggers=["nothing_noticed"]),
        episode(date="2024-04-05", time="11:00", muscle_group="hamstrings", side="right",
                context="during_exercise", triggers=["long_or_hard_exercise", "heavy_sweating_or_heat"],
                notes='Said "ouch", then stretched, slowly'),
        episode(date="2024-04-09", time="23:45", muscle_group="quadriceps", side="both",
                duration_min=12, intensity=9, also_noticed=["numbness"]),
    ))


def test_csv_and_json_round_trip_every_field():
    kept = three_episodes()
    assert diary.parse_csv(diary.to_csv(kept.episodes), now=NOW) == list(kept.episodes)
    assert diary.parse_json(diary.to_json(kept.episodes), now=NOW) == list(kept.episodes)


def test_csv_has_the_documented_header_and_one_line_per_episode():
    lines = diary.to_csv(three_episodes().episodes).splitlines()
    assert lines[0] == ("date,time,muscle_group,side,duration_min,intensity,context,triggers,"
                        "relieved_by,also_noticed,notes")
    assert lines[2].startswith("2024-04-05,11:00,hamstrings,right,2,6,during_exercise,"
                               "long_or_hard_exercise;heavy_sweating_or_heat,")
    assert len(lines) == 4


def test_good_import_adds_episodes_and_a_second_import_adds_nothing():
    csv_bytes = diary.to_csv(three_episodes().episodes).encode("utf-8")
    kept = Diary().add(episode(date="2024-03-01"))
    once = kept.with_import("my diary.csv", csv_bytes, now=NOW)
    assert len(once) == 4
    assert len(once.with_import("my diary.csv", csv_bytes, now=NOW)) == 4   # duplicates skipped
    from_json = Diary().with_import("diary.JSON", diary.to_json(three_episodes().episodes), NOW)
    assert len(from_json) == 3


def test_csv_with_comment_lines_a_bom_and_blank_lines_imports():
    text = "\ufeff# my diary\n" + diary.to_csv(three_episodes().episodes) + "\n\n"
    assert len(diary.import_file("d.csv", text.encode("utf-8"), NOW)) == 3


def csv_with_bad_date_in_row(row: int, n_rows: int = 10) -> str:
    header = ",".join(diary.CSV_COLUMNS)
    rows = [f"2024-04-{day:02d},22:00,calf,left,2,5,night,,,," for day in range(1, n_rows + 1)]
    rows[row - 1] = rows[row - 1].replace(f"2024-04-{row:02d}", "2024-13-07")
    return "\n".join([header, *rows]) + "\n"


def refused(filename: str, content: str | bytes) -> str:
    """Import into a diary of two episodes; assert it is refused and leaves them; the message."""
    kept = Diary().add(episode(date="2024-04-01")).add(episode(date="2024-04-03"))
    before = kept.episodes
    with pytest.raises(ImportRefused) as caught:
        kept.with_import(filename, content, now=NOW)
    assert kept.episodes == before
    return str(caught.value)


def test_a_bad_date_in_row_7_refuses_the_whole_file_naming_row_and_field():
    message = refused("diary.csv", csv_with_bad_date_in_row(7))
    assert "Row 7 (line 8)" in message        # row 7 of the data is line 8, after the header
    assert "field 'date'" in message and "YYYY-MM-DD" in message
    assert "Nothing was imported" in message


def test_good_rows_before_and_after_the_bad_one_are_not_imported_either():
    good = csv_with_bad_date_in_row(7).replace("2024-13-07", "2024-04-07")
    assert len(diary.parse_csv(good, NOW)) == 10         # the same file, fixed, has 10 episodes


def test_wrong_columns_are_refused_naming_them():
    text = diary.to_csv(three_episodes().episodes).replace("duration_min", "duration", 1)
    message = refused("diary.csv", text)
    assert "Wrong columns" in message
    assert "missing duration_min" in message and "unexpected 'duration'" in message


def test_windows_line_endings_import_and_semicolon_separated_files_get_a_hint():
    text = diary.to_csv(three_episodes().episodes)
    assert len(diary.import_file("d.csv", text.replace("\n", "\r\n").encode(), NOW)) == 3
    assert "separates its columns with ';'" in refused("d.csv", text.replace(",", ";"))


def test_a_row_with_too_few_values_is_refused():
    text = diary.to_csv(three_episodes().episodes) + "2024-04-10,03:00,calf\n"
    assert "Row 4 (line 5) has 3 values but the header has 11 columns" in refused("d.csv", text)


@pytest.mark.parametrize("filename, content, words", [
    ("diary.xlsx", b"PK\x03\x04 spreadsheet", "not a CSV or JSON file"),
    ("diary", "date,time\n", "not a CSV or JSON file"),
    ("diary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    ("diary.csv", b"\xff\xfe\xfa bytes that are not UTF-8", "not a text file"),
])
def test_files_that_are_not_csv_are_refused(filename, content, words):
    assert words in refused(filename, content)


@pytest.mark.parametrize("content", ["", "   \n\n", b""])
def test_empty_files_are_refused(content):
    assert "is empty" in refused("diary.csv", content)


def test_comment_only_and_header_only_files_are_refused():
    assert "no header row" in refused("diary.csv", "# nothing here yet\n")
    assert "no episodes" in refused("diary.csv", ",".join(diary.CSV_COLUMNS) + "\n")


def test_a_10_mb_file_is_refused_before_it_is_read():
    ten_mb = ("x" * 99 + "\n") * 100_000          # 100 bytes x 100,000 lines = 10,000,000 bytes
    message = refused("diary.csv", ten_mb.encode("ascii"))
    assert "10.0 MB" in message and "at most 1 MB" in message


def test_a_file_just_under_1_mb_is_read_normally():
    kept = Diary()
    row = "2024-04-01,22:00,calf,left,2,5,night,,,,\n"               # 41 bytes
    header = ",".join(diary.CSV_COLUMNS) + "\n"                        # 96 bytes
    n_rows = (1_000_000 - len(header)) // len(row)                     # 24,387 rows
    imported = kept.with_import("big.csv", header + row * n_rows, now=NOW)
    assert len(imported) == 1          # identical rows are one episode, imported once


@pytest.mark.parametrize("text, words", [
    ("{not json", "not valid JSON"),
    ('{"entries": []}', "not a cramp diary"),
    ('{"format": "knee-cramp-lab/checklist", "episodes": [{}]}', "not a cramp diary"),
    ('{"episodes": []}', "no episodes"),
    ('{"episodes": ["2024-04-01"]}', "Entry 1 is not an episode"),
    ('{"episodes": [{"date": "2024-04-01", "time": "03:00", "side": "left", "duration_min": 2,'
     ' "intensity": 5, "context": "night"}]}', "Entry 1, field 'muscle_group'"),
    ('{"version": 2, "episodes": [{}]}', "version 2"),
])
def test_bad_json_files_are_refused(text, words):
    assert words in refused("diary.json", text)


def test_json_with_an_unknown_field_is_refused():
    document = diary.to_document(three_episodes().episodes)
    document["episodes"][1]["mood"] = "grumpy"
    import json
    assert "Entry 2, field 'mood'" in refused("diary.json", json.dumps(document))


# --- patterns (hand-counted) ----------------------------------------------------------------

def four_episodes() -> list[diary.Episode]:
    return [
        episode(date="2024-03-04", time="02:30", duration_min=0.5, intensity=4),      # Monday
        episode(date="2024-03-06", time="02:10", duration_min=10, intensity=6),
        episode(date="2024-03-10", time="23:59", duration_min=12, intensity=8,        # Sunday
                muscle_group="hamstrings", triggers=["long_or_hard_exercise", "other"]),
        episode(date="2024-03-25", time="14:00", duration_min=2, intensity=5,         # Monday
                muscle_group="quadriceps", triggers=["long_or_hard_exercise"]),
    ]


def test_episodes_per_week_includes_the_empty_weeks_between():
    weeks = diary.episodes_per_week(four_episodes())
    assert weeks == [(dt.date(2024, 3, 4), 3), (dt.date(2024, 3, 11), 0),
                     (dt.date(2024, 3, 18), 0), (dt.date(2024, 3, 25), 1)]


def test_time_of_day_counts_by_starting_hour():
    hours = diary.time_of_day_counts(four_episodes())
    assert len(hours) == 24 and sum(hours) == 4
    assert (hours[2], hours[14], hours[23]) == (2, 1, 1)


def test_duration_bars_include_their_upper_edge():
    # 0.5 -> up to 1; 2 -> 1-2; 10 -> 5-10 (exactly 10 is not "over 10"); 12 -> over 10
    assert diary.duration_bins() == ["up to 1 min", "1-2 min", "2-5 min", "5-10 min", "over 10 min"]
    assert diary.duration_counts(four_episodes()) == [1, 1, 0, 1, 1]


def test_muscle_group_and_trigger_counts():
    assert [n for _, n in diary.option_counts(four_episodes(), "muscle_group")] == [1, 1, 2]
    triggers = dict(diary.option_counts(four_episodes(), "triggers"))
    assert triggers["Long or unusually hard exercise"] == 2       # one episode can name several
    assert triggers["Something else (say what in the notes)"] == 1
    assert sum(triggers.values()) == 3


# --- trend ----------------------------------------------------------------------------------

def on_days(*days: dt.date) -> list[diary.Episode]:
    return [episode(date=d.isoformat(), time="03:00") for d in days]


def trend_of(earlier: int, recent: int) -> diary.Trend:
    """`earlier` episodes in the 28 days before the last 28, `recent` in the last 28.

    The last episode is on 2024-04-28, so the last window is 04-01..04-28 and the one before
    is 03-04..03-31. The first episode is put on 03-04 so the diary spans more than 28 days.
    """
    end = dt.date(2024, 4, 28)
    earlier_days = [dt.date(2024, 3, 4) + dt.timedelta(days=i) for i in range(earlier)]
    recent_days = [end - dt.timedelta(days=i) for i in range(recent)]
    return diary.trend(on_days(*earlier_days, *recent_days))


@pytest.mark.parametrize("earlier, recent, direction", [
    (3, 5, "more frequent"),      # +2 and +67 %
    (0, 2, "more frequent"),      # +2 from nothing
    (4, 5, "about the same"),     # +1 is a chance wobble
    (10, 12, "about the same"),   # +2 but only +20 %
    (6, 2, "less frequent"),
])
def test_trend_needs_a_change_large_in_number_and_in_proportion(earlier, recent, direction):
    if earlier == 0:   # keep the diary spanning > 28 days with an entry before both windows
        found = diary.trend(on_days(dt.date(2024, 3, 1), dt.date(2024, 4, 27), dt.date(2024, 4, 28)))
    else:
        found = trend_of(earlier, recent)
    assert found.direction == direction
    assert (found.earlier_count, found.recent_count) == (earlier, recent)


def test_the_first_day_of_the_last_window_counts_as_recent():
    found = diary.trend(on_days(dt.date(2024, 3, 31), dt.date(2024, 4, 1), dt.date(2024, 4, 28)))
    assert (found.earlier_count, found.recent_count) == (1, 2)


def test_no_trend_from_a_diary_shorter_than_the_window():
    found = diary.trend(on_days(*(dt.date(2024, 4, 1) + dt.timedelta(days=i) for i in range(20))))
    assert found.direction == "not enough data"


# --- red flags in the checklist's words -----------------------------------------------------

def checklist_text(item_id: str) -> str:
    """The checklist's heading + item label, read straight from the YAML file."""
    raw = data.read_yaml(data.DATA_DIR / "checklists" / "when_to_see_a_doctor.yaml")
    for group in raw["groups"]:
        for item in group["items"]:
            if item["id"] == item_id:
                return group["title"].rstrip(".…").rstrip() + " " + item["label"]
    raise AssertionError(item_id)


def test_an_episode_over_10_minutes_is_a_red_flag_but_exactly_10_is_not():
    assert diary.red_flags([episode(duration_min=10)]) == []
    flags = diary.red_flags([episode(duration_min=10.5)])
    # a past episode is "worth mentioning" (see a doctor), not the urgent sign for a cramp
    # that is still going on: the diary does not record whether it eased (review finding I5)
    assert [f.item_id for f in flags] == ["long_cramps_in_the_past"]
    assert flags[0].wording == checklist_text("long_cramps_in_the_past")
    assert flags[0].level == "see_doctor"
    assert "1 episode over 10 min: 2024-04-20 (10.5 min)" in flags[0].because


def test_cramps_with_numbness_swelling_or_weakness_are_red_flags():
    flags = diary.red_flags([episode(also_noticed=["numbness"]),
                             episode(date="2024-04-21", also_noticed=["weakness"]),
                             episode(date="2024-04-22", also_noticed=["swelling"])])
    by_item = {f.item_id: f for f in flags}
    # all three signs share the checklist's "see a doctor" item (NHS, CG-01)
    assert set(by_item) == {"numbness_or_weakness"}
    assert by_item["numbness_or_weakness"].wording == checklist_text("numbness_or_weakness")
    assert by_item["numbness_or_weakness"].because.startswith("3 episodes with")


def test_cramps_getting_more_frequent_is_a_red_flag():
    episodes = [episode(date=d, time="03:00") for d in
                ("2024-03-05", "2024-03-20", "2024-04-10", "2024-04-15", "2024-04-20", "2024-04-25")]
    # last 28 days (03-29..04-25): 4; the 28 before (03-01..03-28): 2 -> +2 and +100 %
    flags = diary.red_flags(episodes)
    assert [f.item_id for f in flags] == ["frequent_cramps"]
    assert flags[0].wording == checklist_text("frequent_cramps")
    assert "4 episodes in the diary's last 4 weeks, 2 in the 4 weeks before" in flags[0].because


def test_ordinary_entries_raise_no_red_flag():
    assert diary.red_flags(four_episodes()[:2]) == []


# --- the appointment summary ----------------------------------------------------------------

def test_appointment_summary_counts_longest_and_trend():
    summary = diary.appointment_summary(Diary(tuple(four_episodes())))
    assert summary.total == 4 and summary.weeks == 4 and summary.per_week == pytest.approx(1.0)
    assert (summary.first, summary.last) == (dt.date(2024, 3, 4), dt.date(2024, 3, 25))
    assert summary.longest.duration_min == 12 and summary.longest.muscle_group == "hamstrings"
    assert summary.median_duration_min == pytest.approx(6.0)     # median of 0.5, 2, 10, 12
    assert summary.median_intensity == pytest.approx(5.5)        # median of 4, 5, 6, 8
    assert summary.trend.direction == "not enough data"          # 21 days from first to last


def test_summary_text_is_what_a_clinician_reads():
    text = diary.summary_text(diary.appointment_summary(Diary(tuple(four_episodes()))))
    assert "Episodes recorded: 4, from 2024-03-04 to 2024-03-25 (4 calendar weeks, 1.0 per week" in text
    assert "longest 12 min on 2024-03-10 at 23:59 (hamstrings, left)" in text
    assert checklist_text("long_cramps_in_the_past") in text
    assert "not a diagnosis" in text


def test_summary_of_an_empty_diary_says_so():
    assert "No episodes recorded yet." in diary.summary_text(diary.appointment_summary(Diary()))


# --- the sample diary and the options file --------------------------------------------------

def test_the_sample_diary_is_fictional_and_shows_the_taught_patterns():
    sample = diary.sample_diary()
    raw = (data.DATA_DIR / "sample_diary.csv").read_text(encoding="utf-8")
    assert raw.startswith("# FICTIONAL SAMPLE DIARY")
    assert all(e.notes.startswith("Fictional sample") for e in sample.episodes)
    assert len(sample) == 23                                          # 23 data rows in the file
    assert dict(diary.option_counts(sample.episodes, "muscle_group"))["Calf (back of the lower leg)"] == 17
    found = diary.trend(sample.episodes)
    # last entry 2024-03-17: 02-19..03-17 holds 12 rows, 01-22..02-18 holds 6
    assert (found.direction, found.recent_count, found.earlier_count) == ("more frequent", 12, 6)
    assert [f.item_id for f in diary.red_flags(sample.episodes)] == [
        "long_cramps_in_the_past", "frequent_cramps"]                # the 12-min cramp on 03-05


def test_data_files_validate_through_the_registry():
    assert len(data.validate_file(data.DATA_DIR / "sample_diary.csv")) == 23
    assert isinstance(data.validate_file(data.DATA_DIR / "diary_options.yaml"), diary.DiaryOptions)


def test_options_cite_known_sources_and_name_real_checklist_items():
    opts = diary.options()
    refs, facts = data.references(), data.facts()
    cited = [o for name in diary.FIELD_OPTIONS.values() for o in getattr(opts, name)]
    rules = opts.red_flags
    cited += [rules.long_episode, rules.more_frequent, rules.with_symptoms]
    for thing in cited:
        assert set(thing.refs) <= set(refs), thing
        assert set(thing.facts) <= set(facts), thing
    checklist = data.checklist(rules.checklist)
    flagged = {i.id: i.red_flag for i in checklist.items}
    for item_id in [rules.long_episode.item, rules.more_frequent.item, *rules.with_symptoms.items.values()]:
        assert flagged[item_id] in ("see_doctor", "urgent")
    assert [o.id for o in opts.muscle_groups] == ["quadriceps", "hamstrings", "calf"]
    assert [o.id for o in opts.contexts] == ["night", "during_exercise", "after_exercise", "at_rest"]


# --- the one-line summaries beside the plots ------------------------------------------------

def test_pattern_summaries_state_the_hand_counted_numbers():
    lines = diary.pattern_summaries(four_episodes())
    assert lines["per_week"].startswith("4 episodes over 4 weeks (1.0 per week); the most in one "
                                        "week was 3 (week of 2024-03-04)")
    assert lines["time_of_day"] == "Most episodes started at 02:00-02:59 (2 of 4)."
    assert lines["durations"] == "Median 6 min, longest 12 min; 1 of 4 over 10 min."
    assert lines["muscle_groups"] == "Calf 2, Hamstrings 1, Quadriceps 1 (of 4 episodes)."
    assert lines["triggers"].startswith("Most often noted: Long or unusually hard exercise (2)")


def test_pattern_summaries_of_an_empty_diary_invite_a_first_entry():
    assert set(diary.pattern_summaries([]).values()) == {diary.NO_EPISODES}


def test_chance_of_weekly_counts_follows_the_poisson_formula():
    # 2 cramps a week on average: P(0) = e^-2 = 0.1353; P(>= 4) = 1 - e^-2 (1 + 2 + 2 + 4/3)
    assert diary.chance_of_weekly_count(0, 2) == pytest.approx(math.exp(-2))
    assert diary.chance_of_weekly_count(4, 2, at_least=True) == pytest.approx(
        1 - math.exp(-2) * (1 + 2 + 2 + 4 / 3))
    assert diary.chance_of_weekly_count(0, 2, at_least=True) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        diary.chance_of_weekly_count(-1, 2)
