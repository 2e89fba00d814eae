"""Age-related changes (physiology.aging) against the figures in the sources.

Expected values are worked out here by hand from the published rates (facts AG-01..AG-07),
not copied from the code's output: e.g. eGFR from 30 to 75 = 20 years x 0.97 + 25 years x 1.15.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from physiology import aging, data
from physiology.data import DataFileError

CURVES = ("muscle_mass", "muscle_strength", "egfr", "nerve_conduction")
AGES = np.arange(20.0, 90.01, 0.5)


# --- data: every curve validates and has its sources -----------------------------------------

def test_data_file_is_registered_and_validates():
    path = data.DATA_DIR / "aging.yaml"
    assert data.schema_for(path) is aging.AgingFile
    assert isinstance(data.validate_file(path), aging.AgingFile)


def test_every_curve_and_sourced_segment_cites_known_references_and_facts():
    refs, facts = data.references(), data.facts()
    spec = aging.aging_data()
    assert {c.id for c in spec.curves} == set(CURVES)
    for c in spec.curves:
        assert c.refs and c.facts, c.id
        for seg in c.segments:
            if seg.basis == "source":
                assert seg.refs, f"{c.id} {seg.from_years}-{seg.to_years}"
            if any((seg.loss_low_per_year, seg.loss_high_per_year)):
                assert seg.basis == "source", f"{c.id}: a non-zero rate needs a source"
    assert set(aging.cited_refs()) <= set(refs)
    assert set(aging.cited_facts()) <= set(facts)
    # the facts this notebook is built on are all used
    assert {"AG-01", "AG-02", "AG-03", "AG-04", "AG-05", "AG-06", "AG-07", "AG-08"} <= set(aging.cited_facts())


def test_facts_flagged_verify_are_used_only_as_ranges():
    """AG-01 and AG-04 still need checking: every non-zero rate built on them is a real range."""
    facts = data.facts()
    for c in aging.aging_data().curves:
        if any(facts[f].verify for f in c.facts):
            for seg in c.segments:
                if seg.loss_high_per_year > 0:
                    assert seg.loss_low_per_year < seg.loss_high_per_year, (c.id, seg.from_years)


def test_prevalence_studies_state_recall_window_and_source():
    studies = aging.prevalence_studies()
    assert len(studies) == 7  # EP-05 .. EP-11
    assert {f for s in studies for f in s.facts} == {f"EP-{n:02d}" for n in range(5, 12)}
    for s in studies:
        assert s.recall_window in ("past month", "lifetime", "not stated")
        assert s.refs and s.question
    # misleading claim 12: lifetime recall gives bigger numbers than past-month recall
    past_month = next(s for s in studies if s.recall_window == "past month")
    lifetime = next(s for s in studies if s.recall_window == "lifetime")
    assert (past_month.low_pct, past_month.high_pct) == (30, 31)  # 24-25 % mild + 6 % mod-severe
    assert lifetime.low_pct > past_month.high_pct


def _raw():
    return data.read_yaml(data.DATA_DIR / "aging.yaml")


def test_a_rate_band_in_the_wrong_order_is_rejected_with_file_and_field():
    raw = _raw()
    seg = raw["curves"][0]["segments"][1]
    seg["loss_low_per_year"], seg["loss_high_per_year"] = 0.5, 0.4
    with pytest.raises(DataFileError, match=r"aging\.yaml.*muscle_mass.*low <= central <= high"):
        data.validate(raw, aging.AgingFile, data.DATA_DIR / "aging.yaml")


def test_segments_with_a_gap_in_age_are_rejected():
    raw = _raw()
    raw["curves"][2]["segments"][1]["from_years"] = 35  # eGFR: 20-30 then 35-50 leaves 30-35 uncovered
    with pytest.raises(DataFileError, match="starts at 35"):
        data.validate(raw, aging.AgingFile, data.DATA_DIR / "aging.yaml")


def test_a_sourced_segment_without_refs_is_rejected():
    raw = _raw()
    raw["curves"][2]["segments"][0]["refs"] = []
    with pytest.raises(DataFileError, match="needs refs"):
        data.validate(raw, aging.AgingFile, data.DATA_DIR / "aging.yaml")


# --- ages outside 20-90 ----------------------------------------------------------------------

@pytest.mark.parametrize("age", [19.9, 90.5, -5, float("nan"), "abc", None])
def test_ages_outside_the_sources_give_a_clear_error(age):
    with pytest.raises(ValueError, match="between 20 and 90"):
        aging.muscle_mass(age)


def test_the_ends_of_the_range_are_allowed():
    assert aging.egfr_change(20).central > 0 > aging.egfr_change(90).central


# --- kidney: Cohen 2014 (eGFR), Eriksen 2020 (measured GFR) -----------------------------------

def test_egfr_falls_about_1_ml_per_min_per_year():
    # Cohen 2014: 0.97 per year overall (used for 30-50), 1.15 per year at 50 and over
    assert aging.egfr_change(50).central - aging.egfr_change(40).central == pytest.approx(-9.7)
    assert aging.egfr_change(70).central - aging.egfr_change(60).central == pytest.approx(-11.5)
    # 0.82 per year at 20-30: at 20, eGFR was 8.2 higher than at 30
    assert aging.egfr_change(20).central == pytest.approx(8.2)
    average_30_to_75 = -aging.egfr_change(75).central / 45
    assert 0.9 < average_30_to_75 < 1.2


def test_egfr_at_75_matches_the_sources_by_hand():
    band = aging.egfr_change(75)
    assert band.central == pytest.approx(-(20 * 0.97 + 25 * 1.15))       # -48.15
    assert band.low == pytest.approx(-(20 * 1.15 + 25 * 1.15))           # fastest: -51.75
    assert band.high == pytest.approx(-(20 * 0.82 + 25 * 0.72))          # slowest: -34.4
    # the slow edge after 50 follows measured GFR, 0.72 per year (Eriksen 2020)
    assert aging.egfr_change(70).high - aging.egfr_change(60).high == pytest.approx(-7.2)


# --- muscle: Mitchell 2012, von Haehling 2010 --------------------------------------------------

def _yearly_loss_pct(function, age):
    """Loss over the year before `age`, in % of what was there a year earlier."""
    before, after = function(age - 1), function(age)
    return tuple(100 * (1 - a / b) for b, a in zip(before, after))


def test_muscle_mass_at_75_matches_the_rates_by_hand():
    # 0.45 %/yr (cross-sectional medians 0.4-0.5) from 30 to 50, then 0.8 %/yr (longitudinal 0.6-1.0)
    expected = 100 * (1 - 0.0045) ** 20 * (1 - 0.008) ** 25
    assert expected == pytest.approx(74.75, abs=0.01)
    band = aging.muscle_mass(75)
    assert band.central == pytest.approx(expected)
    assert band.low == pytest.approx(100 * 0.995 ** 20 * 0.99 ** 25)   # 70.4
    assert band.high == pytest.approx(100 * 0.996 ** 20 * 0.994 ** 25)  # 79.4


def test_muscle_mass_loss_around_75_lies_in_the_longitudinal_range():
    # Mitchell 2012: at about 75, 0.6-0.7 %/yr (women) to 0.8-1.0 %/yr (men)
    _, typical, _ = _yearly_loss_pct(aging.muscle_mass, 75)
    assert 0.6 <= typical <= 1.0
    # and in mid-life, the cross-sectional medians of about 0.4-0.5 %/yr
    _, typical_40, _ = _yearly_loss_pct(aging.muscle_mass, 40)
    assert 0.37 <= typical_40 <= 0.5


def test_strength_is_lost_several_times_faster_than_mass():
    # after 75, the ~3 %/yr the longitudinal studies measured at about that age (AG-01, AG-02)
    strength_rate = _yearly_loss_pct(aging.muscle_strength, 76)[1]
    mass_rate = _yearly_loss_pct(aging.muscle_mass, 76)[1]
    assert strength_rate == pytest.approx(3.0)
    assert strength_rate / mass_rate >= 3
    # mid-life mass rate 0.45 %/yr to 50 (no strength rate is quoted before 50), then 1 %/yr to 75
    # (anchored to the review's 20-40 % loss by the 70s-80s, AG-10):
    # 100 x 0.9955^20 x 0.99^25 = 71.1 % at 75
    assert aging.muscle_strength(75).central == pytest.approx(71.08, abs=0.01)
    assert _yearly_loss_pct(aging.muscle_strength, 70)[1] == pytest.approx(1.0)
    # strength is never better preserved than mass, and is clearly worse after 50
    for age in range(31, 51):
        assert aging.muscle_strength(age) == pytest.approx(aging.muscle_mass(age))
    for age in range(51, 91):
        assert aging.muscle_strength(age).central < aging.muscle_mass(age).central


def test_strength_in_the_70s_and_80s_matches_the_review_range():
    """M2 (review of December 2026): by the seventh and eighth decade maximal strength is on
    average 20-40 % lower (Doherty 2003, AG-10), i.e. 60-80 % remains; not about half at 75."""
    for age in range(70, 80):
        assert 60 <= aging.muscle_strength(age).central <= 80, age
    band = aging.muscle_strength(75)
    assert 60 <= band.low < band.central < band.high <= 80
    # by hand at 75: slowest 0.996^20 x 0.993^25 = 77.4 %, fastest 0.995^20 x 0.985^25 = 62.0 %
    band = aging.muscle_strength(75)
    assert band.high == pytest.approx(100 * 0.996 ** 20 * 0.993 ** 25)
    assert band.low == pytest.approx(100 * 0.995 ** 20 * 0.985 ** 25)
    # the very old lose more: about half at 88
    assert aging.muscle_strength(88).central == pytest.approx(71.08 * 0.97 ** 13, abs=0.01)


def test_overview_figure_loses_muscle_faster_than_the_longitudinal_studies():
    """Misleading claim 11: 1-2 %/yr after 50 is above the measured 0.6-1.0 %/yr."""
    for age in (60, 75, 90):
        overview = aging.comparison_at("muscle_mass", 0, age)
        # same mid-life rate (0.45 %/yr) to 50, then the overview's 1.5 %/yr
        assert overview.central == pytest.approx(100 * 0.9955 ** 20 * 0.985 ** (age - 50))
        assert overview.central < aging.muscle_mass(age).low
    assert aging.comparison_at("muscle_mass", 0, 50) == pytest.approx(aging.muscle_mass(50))


# --- nerves: Taylor 1984 (peak in the fourth decade), Werner 2012 (~0.3-0.4 m/s per year) ------

def test_nerve_conduction_holds_its_peak_then_slows():
    assert aging.nerve_conduction_change(40).central == 0
    assert aging.nerve_conduction_change(50).central == pytest.approx(-3.5)   # 10 y x 0.35 m/s
    band = aging.nerve_conduction_change(75)
    assert (band.low, band.central, band.high) == pytest.approx((-35 * 0.4, -35 * 0.35, -35 * 0.3))


# --- properties at every age -------------------------------------------------------------------

@pytest.mark.parametrize("curve_id", CURVES)
def test_band_contains_central_value_at_every_age(curve_id):
    for age in AGES:
        band = aging.value_at(curve_id, age)
        assert band.low <= band.central <= band.high, (curve_id, age, band)


def test_comparison_band_contains_its_central_value():
    for age in AGES:
        band = aging.comparison_at("muscle_mass", 0, age)
        assert band.low <= band.central <= band.high


@pytest.mark.parametrize("curve_id", CURVES)
def test_every_curve_declines_or_holds_with_age(curve_id):
    """The sources describe losses only: no curve may rise with age, band edges included."""
    table = aging.curve_over_ages(curve_id, step_years=0.5)
    for column in ("low", "central", "high"):
        assert np.all(np.diff(table[column]) <= 1e-12), (curve_id, column)
    assert table["central"][-1] < table["central"][0]


def test_all_curves_meet_at_the_reference_age_30():
    for curve_id in CURVES:
        band = aging.value_at(curve_id, 30)
        reference = 100.0 if aging.curve(curve_id).kind == "percent_of_reference" else 0.0
        assert band == pytest.approx((reference, reference, reference))


def test_egfr_declines_strictly_over_the_whole_range():
    assert np.all(np.diff(aging.curve_over_ages("egfr")["central"]) < 0)


def test_curve_over_ages_matches_single_age_values():
    table = aging.curve_over_ages("muscle_strength")
    assert table["age"][0] == 20 and table["age"][-1] == 90 and len(table["age"]) == 71
    i = int(np.where(table["age"] == 75)[0][0])
    assert table["central"][i] == pytest.approx(aging.muscle_strength(75).central)


# --- changes since 30 and their mechanisms ---------------------------------------------------

def test_changes_at_75_link_to_the_three_mechanisms():
    changes = aging.changes_since_reference(75)
    assert {c.mechanism.id for c in changes} == {"motor_units", "kidney_reserve", "medications"}
    by_id = {c.id: c for c in changes}
    assert by_id["egfr"].text == "about 48 mL/min/1.73 m² lower (34-52)"
    assert by_id["muscle_mass"].text == "about 75 % of the age-30 value (70-79 %)"
    assert by_id["motor_unit_number"].band is None
    # the link from kidney change to cramps is expert opinion, and says so
    kidney = by_id["egfr"].mechanism
    assert kidney.link_evidence_level == "expert-opinion"
    assert "not been shown" in kidney.cramp_link


def test_unquantified_changes_respect_the_ages_the_sources_studied():
    at_40 = {c.id: c.text for c in aging.changes_since_reference(40)}
    assert "50 and over" in at_40["medicines"]           # Garrison 2012 studied adults 50+
    at_30 = {c.id: c.text for c in aging.changes_since_reference(30)}
    assert "after 30" in at_30["motor_unit_number"]


def test_prevalence_studies_covering_an_age():
    assert [s.id for s in aging.studies_covering(30)] == [
        "nhanes_past_month", "lifetime_adults", "europe_nlc", "uk_general_practice"]
    assert len(aging.studies_covering(75)) == 7
    older = next(s for s in aging.prevalence_studies() if s.id == "outpatients_over_65")
    assert (older.low_pct, older.high_pct) == (40, 56)  # men 40 %, women 56 % (Abdulla 1999)
    assert not math.isclose(older.low_pct, older.high_pct)


def test_scenarios_cover_the_age_range():
    spec = data.scenarios("aging")
    (control,) = spec.controls
    assert (control.name, control.unit, control.min, control.max) == ("age", "years", 20, 90)
    ages = {s.id: s.values["age"] for s in spec.scenarios}
    assert ages == {"young_adult_30": 30, "midlife_55": 55, "older_adult_75": 75, "oldest_old_88": 88}


# --- the same task at an older age --------------------------------------------------------------

def test_the_same_task_takes_a_larger_share_of_a_weaker_muscle():
    assert aging.relative_effort_pct(20, 30) == pytest.approx((20, 20, 20))
    strength_75 = 0.9955 ** 20 * 0.99 ** 25                 # 0.711 of the age-30 strength
    band = aging.relative_effort_pct(20, 75)
    assert band.central == pytest.approx(20 / strength_75)  # 28.1 %
    # notebook 05's task: 30 % of a 30-year-old's maximum is about 42 % (39-48 %) at 75
    task = aging.relative_effort_pct(30, 75)
    assert task.central == pytest.approx(30 / strength_75)  # 42.2 %
    assert (round(task.low), round(task.high)) == (39, 48)
    assert band.low <= band.central <= band.high
    assert aging.relative_effort_pct(60, 90).high == 100    # beyond the maximum: capped
    with pytest.raises(ValueError, match="between 0 and 100"):
        aging.relative_effort_pct(0, 75)


def test_in_the_reflex_model_the_same_task_cramps_at_lower_fatigue_when_older():
    effort_30, threshold_30 = aging.same_task_cramp_threshold(30, 30)
    effort_75, threshold_75 = aging.same_task_cramp_threshold(30, 75)
    assert (effort_30, effort_75) == (30, 42)
    assert threshold_75 is not None
    assert threshold_30 is None or threshold_75 < threshold_30
