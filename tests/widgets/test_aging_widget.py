"""The ageing explorer driven from Python: move the age, pick scenarios, reset, bad input.

Expected marker heights are worked out by hand from the published rates (see
tests/models/test_aging.py), e.g. eGFR at 75 = -(20 x 0.97 + 25 x 1.15) = -48.15 mL/min/1.73 m2.
"""
from __future__ import annotations

import json
import re

import pytest
from plotly.utils import PlotlyJSONEncoder

from widgets.aging import AgingExplorer, explore_aging, mechanisms_html, same_task_in_reflex_explorer
from widgets.theme import PALETTE, ROLE_COLOURS

# curve id -> value at 75 by hand (percent of the age-30 value, or change since 30)
AT_75 = {
    "muscle_mass": 100 * 0.9955 ** 20 * 0.992 ** 25,                 # 74.75 %
    "muscle_strength": 100 * 0.9955 ** 20 * 0.99 ** 25,                # 71.1 %
    "egfr": -(20 * 0.97 + 25 * 1.15),                                  # -48.15
    "nerve_conduction": -(35 * 0.35),                                  # -12.25 m/s
}


@pytest.fixture
def explorer(monkeypatch) -> AgingExplorer:
    monkeypatch.delenv("QUERY_STRING", raising=False)
    return explore_aging()


def _marker(explorer: AgingExplorer, curve_id: str) -> tuple[float, float]:
    return explorer.marker_position(curve_id)


def test_starts_at_the_reference_age_with_markers_on_the_reference(explorer):
    assert explorer.age == 30
    assert "reference" in explorer.summary_text
    for curve_id in AT_75:
        age, value = _marker(explorer, curve_id)
        expected = 100.0 if curve_id.startswith("muscle") else 0.0
        assert age == 30 and value == pytest.approx(expected)


def test_moving_the_age_moves_every_marker_in_place(explorer):
    figure = explorer.figure
    n_traces, layout_before = len(figure.data), figure.layout.to_plotly_json()
    moving = set(explorer._marker_index.values()) | set(explorer._guide_index.values())
    curves_before = [t for i, t in enumerate(figure.data) if i not in moving]
    curves_json = json.dumps([t.to_plotly_json() for t in curves_before], cls=PlotlyJSONEncoder)
    explorer.sliders["age"].value = 75  # what a learner's slider move does
    assert figure is explorer.figure and len(figure.data) == n_traces  # not rebuilt
    # only the eight marker and guide traces move; the curves, axes and layout stay as they were
    # (so plotly.js can redraw just those traces: widgets.figures.batch_redraw)
    assert json.dumps([t.to_plotly_json() for i, t in enumerate(figure.data) if i not in moving],
                      cls=PlotlyJSONEncoder) == curves_json
    assert figure.layout.to_plotly_json() == layout_before
    for curve_id, expected in AT_75.items():
        age, value = _marker(explorer, curve_id)
        assert age == 75
        assert value == pytest.approx(expected)
        assert explorer.guide_ages(curve_id) == (75, 75)  # the dotted guide line
    assert explorer.summary_text == (
        "Age 75, relative to 30: muscle mass 75 % (70-79); strength 71 % (62-77); "
        "eGFR -48 (-52 to -34) mL/min/1.73 m²; nerve conduction -12 (-14 to -10) m/s.")


def test_changes_table_links_each_change_to_its_mechanism(explorer):
    explorer.set_values(age=75)
    table = explorer.changes.value
    assert "At 75 years, compared with 30" in table
    for mechanism in ("motor_units", "kidney_reserve", "medications"):
        assert f'href="#kcl-mech-{mechanism}"' in table
    assert "about 48 mL/min/1.73 m² lower (34-52)" in table
    # every link has a target on the page
    cards = mechanisms_html()
    for target in set(re.findall(r'href="#(kcl-mech-[a-z_]+)"', table)):
        assert f'id="{target}"' in cards
    # the kidney-to-cramp step is labelled as expert opinion
    assert "expert-opinion evidence" in cards


def test_prevalence_chart_highlights_studies_that_include_the_age(explorer):
    explorer.set_values(age=40)
    opacity = {t.y[0].split("<br>")[0]: t.opacity for t in explorer.prevalence_figure.data}
    assert opacity["US adults (NHANES)"] == 1.0
    for older_only in ("People over 50", "Primary-care patients aged 60+",
                       "Older outpatients aged 65+ (mean 78.5)"):
        assert opacity[older_only] < 0.5
    assert "4 of 7 studies" in explorer.prevalence.summary_text
    explorer.set_values(age=70)
    assert all(t.opacity == 1.0 for t in explorer.prevalence_figure.data)
    assert "all 7 studies" in explorer.prevalence.summary_text


def test_prevalence_chart_names_every_recall_window_and_source(explorer):
    legend = {t.name for t in explorer.prevalence_figure.data}
    assert legend == {"recall: past month", "recall: lifetime", "recall window not stated"}
    labels = " ".join(t.y[0] for t in explorer.prevalence_figure.data)
    assert "Grandner and Winkelman 2017" in labels and "Allen and Kirby 2012" in labels
    nhanes = next(t for t in explorer.prevalence_figure.data if "NHANES" in t.y[0])
    assert nhanes.x == (30, 31) and nhanes.text[-1] == "30-31 %"


def test_scenarios_and_reset(explorer):
    explorer.select_scenario("older_adult_75")
    assert explorer.age == 75
    assert explorer.picker.value == "older_adult_75"
    explorer.picker.value = "oldest_old_88"
    assert explorer.age == 88 and _marker(explorer, "egfr")[0] == 88
    explorer.reset()
    assert explorer.age == 30 and _marker(explorer, "egfr")[0] == 30


def test_an_age_outside_the_sources_shows_a_message_and_changes_nothing(explorer):
    explorer.set_values(age=60)
    before = (explorer.summary_text, _marker(explorer, "egfr"))
    explorer.show_age(95)
    assert "between 20 and 90 years" in explorer.message.text
    assert explorer.age == 60
    assert (explorer.summary_text, _marker(explorer, "egfr")) == before
    explorer.show_age(62)  # a good value clears the message
    assert explorer.message.text == "" and explorer.age == 62


def test_unknown_scenario_lists_the_valid_ones(monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    e = explore_aging(scenario="ancient_99")
    assert "Valid scenarios: young_adult_30, midlife_55, older_adult_75, oldest_old_88" in e.message.text
    assert e.age == 30


def test_page_address_opens_a_scenario(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "aging=midlife_55")
    assert explore_aging().age == 55


def test_slider_label_has_its_unit(explorer):
    slider = explorer.sliders["age"]
    assert (slider.label, slider.unit, slider.min, slider.max) == ("Age", "years", 20, 90)


def test_figures_use_only_okabe_ito_colours_and_label_units(explorer):
    allowed = set(PALETTE.values()) | {ROLE_COLOURS["reference_band"], "white"}
    for fig in (explorer.figure, explorer.prevalence_figure):
        for trace in fig.data:
            for colour in (trace.line.color, trace.marker.color, trace.fillcolor):
                assert colour is None or colour in allowed, colour
    y_titles = [explorer.figure.layout[f"yaxis{i if i > 1 else ''}"].title.text for i in range(1, 5)]
    assert y_titles == ["Muscle mass (% of age-30 value)", "Strength (% of age-30 value)",
                        "eGFR change since 30 (mL/min/1.73 m²)",
                        "Conduction velocity change since 30 (m/s)"]
    assert explorer.prevalence_figure.layout.xaxis.title.text == "People reporting cramps (%)"


def test_the_older_adult_feeds_the_reflex_explorer(monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    older = same_task_in_reflex_explorer(age=75, effort_at_30_pct=30, fatigue_pct=50)
    # 30 % at 30 / 0.711 (strength at 75 as a fraction of age 30, by hand) = 42 %
    assert older.values["drive_amplitude_pct"] == 42
    assert older.values["fatigue_pct"] == 50
    young = same_task_in_reflex_explorer(age=30, effort_at_30_pct=30, fatigue_pct=50)
    assert young.values["drive_amplitude_pct"] == 30
    # in the reflex model the older adult's effort ends in a cramp, the young adult's does not
    assert older.run.cramp and not young.run.cramp
