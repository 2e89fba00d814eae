"""The notebook-03 widgets driven from Python: move sliders, pick scenarios, reset, type lab
values (good and bad), and check the figures change in place with the right numbers.

Expected numbers are worked out by hand: Nernst potentials from EL-07/EL-08, the GHK rest from
the worked example in tests/models/test_electrolytes.py (-77.3 mV; -71.2 mV with 7 mM K+),
the HH rest of -65 mV (EL-16), EL-05 conversions (4.7 mEq/L Ca = 2.35 mmol/L).
"""
from __future__ import annotations

import pytest

from physiology import data
from physiology.electrolytes import default_ions, default_permeabilities
from widgets import electrolytes as ew


@pytest.fixture(autouse=True)
def no_query_string(monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)


# --- Nernst / GHK panel ---------------------------------------------------------------------

@pytest.fixture
def nernst() -> ew.NernstExplorer:
    return ew.explore_nernst()


def test_nernst_slider_defaults_are_the_data_file_values():
    controls = {c.name: c.default for c in data.scenarios("nernst").controls}
    ions = default_ions()
    assert controls["k_out_mm"] == ions["k"].out_mm
    assert controls["na_out_mm"] == ions["na"].out_mm
    assert controls["cl_out_mm"] == ions["cl"].out_mm
    assert controls["ca_out_mm"] == ions["ca"].out_mm
    perms = default_permeabilities()
    assert (controls["p_na"], controls["p_cl"]) == (perms["na"], perms["cl"])


def test_nernst_bars_start_at_the_el07_potentials_and_the_ghk_rest(nernst):
    bars = nernst.figure.data[0].y
    assert bars == pytest.approx((-97.7, 66.6, -90.3, 128.5, -77.3), abs=0.5)
    assert nernst.summary_text.startswith("Resting potential -77.3 mV (as in normal plasma)")


def test_raising_potassium_moves_e_k_and_the_rest_in_place(nernst):
    figure, n_traces = nernst.figure, len(nernst.figure.data)
    normal_marks = nernst.figure.data[1].y
    nernst.sliders["k_out_mm"].value = 7.0  # what a learner's slider move does
    assert nernst.figure is figure and len(figure.data) == n_traces
    bars = figure.data[0].y
    assert bars[0] == pytest.approx(-82.8, abs=0.5)  # EL-08
    assert bars[4] == pytest.approx(-71.2, abs=0.5)  # GHK by hand
    assert figure.data[1].y == normal_marks  # the normal-plasma marks stay put
    assert "(+6.1 mV from normal plasma)" in nernst.summary_text


def test_low_calcium_scenario_changes_e_ca_but_not_the_rest(nernst):
    nernst.select_scenario("low_calcium")
    bars = nernst.figure.data[0].y
    # 13.37 mV x ln(0.8 / 0.0001) = +120.1 mV
    assert bars[3] == pytest.approx(120.1, abs=0.5)
    assert bars[4] == pytest.approx(-77.3, abs=0.5)
    assert "as in normal plasma" in nernst.summary_text


def test_nernst_reset_returns_to_normal(nernst):
    nernst.select_scenario("potassium_around_working_fibres")
    assert nernst.figure.data[0].y[0] == pytest.approx(-73.3, abs=0.5)  # EL-08
    nernst.reset()
    assert nernst.figure.data[0].y[0] == pytest.approx(-97.7, abs=0.5)
    assert nernst.values["k_out_mm"] == 4.0


# --- membrane explorer ----------------------------------------------------------------------

@pytest.fixture
def membrane() -> ew.MembraneExplorer:
    return ew.explore_membrane()


def test_membrane_controls_carry_units_in_their_labels(membrane):
    units = {name: s.unit for name, s in membrane.sliders.items()}
    assert units == {"stimulus_ua_cm2": "uA/cm2", "ca_mm": "mM", "mg_mm": "mM", "k_mm": "mM"}


def test_membrane_starts_at_rest(membrane):
    assert membrane.summary_text.startswith("Rests at -65.0 mV: no action potentials")
    voltage = membrane.figure.data[1].y
    assert max(voltage) < -60 and min(voltage) > -70
    assert membrane.figure.data[2].y == pytest.approx((-77.0, -77.0))  # E_K line
    assert len(membrane.figure.data[4].y) == 0  # no firing rate


def test_strong_stimulus_fires_repetitively_and_fills_the_rate_panel(membrane):
    figure, n_traces = membrane.figure, len(membrane.figure.data)
    membrane.sliders["stimulus_ua_cm2"].value = 10.0
    assert membrane.figure is figure and len(figure.data) == n_traces  # updated in place
    assert max(figure.data[1].y) > 20.0  # full action potentials
    rates = figure.data[4].y
    assert len(rates) >= 20 and 50 < rates[-1] < 100  # HH at 6.3 degC: 50-100 Hz
    assert "fires repetitively at" in membrane.summary_text.lower()
    assert "Hz during the 10 uA/cm2 stimulus" in membrane.summary_text
    assert membrane.stimulus_shaded  # the stimulus period is shaded, from onset to the end
    shading = figure.data[0]
    assert (min(shading.x), max(shading.x)) == (membrane.run.stimulus_onset_ms,
                                               membrane.run.duration_ms)


def test_tetany_scenario_fires_spontaneously(membrane):
    membrane.select_scenario("very_low_calcium_tetany")
    assert membrane.values["ca_mm"] == 0.4 and membrane.values["stimulus_ua_cm2"] == 0
    assert membrane.summary_text.startswith("Fires spontaneously at ")
    assert " Hz with no stimulus" in membrane.summary_text
    assert not membrane.stimulus_shaded  # no stimulus to shade


def test_raising_potassium_moves_the_e_k_line_and_rest(membrane):
    membrane.set_values(k_mm=7.0)
    # E_K = -77 + 26.73 x ln(7/4) = -62.0 mV
    assert membrane.figure.data[2].y == pytest.approx((-62.0, -62.0), abs=0.1)
    assert membrane.run.rest_mv > -65.0


def test_same_small_stimulus_fails_at_normal_calcium_but_fires_at_low_calcium(membrane):
    membrane.set_values(stimulus_ua_cm2=1.5)
    assert "no action potential" in membrane.summary_text.lower()
    membrane.select_scenario("low_calcium")
    assert "1 action potential at the start" in membrane.summary_text


def test_membrane_reset_and_unknown_scenario(membrane):
    membrane.select_scenario("steady_firing")
    membrane.reset()
    assert membrane.values == {"stimulus_ua_cm2": 0.0, "ca_mm": 1.2, "mg_mm": 0.85, "k_mm": 4.0}
    assert membrane.summary_text.startswith("Rests at -65.0 mV")
    membrane.picker.value = "custom"
    with pytest.raises(KeyError, match="Valid scenarios: normal"):
        membrane.select_scenario("banana")


def test_membrane_opens_on_a_scenario_from_the_page_address(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "membrane=very_low_calcium_tetany")
    explorer = ew.explore_membrane()
    assert explorer.values["ca_mm"] == 0.4
    assert explorer.summary_text.startswith("Fires spontaneously")


# --- threshold vs calcium ---------------------------------------------------------------------

def test_threshold_plot_falls_with_calcium_and_marks_the_tetany_zone():
    plot = ew.threshold_vs_calcium_plot()
    x, y = plot.figure.data[0].x, plot.figure.data[0].y
    assert x[0] == pytest.approx(0.2) and x[-1] == pytest.approx(3.0)
    positive = [t for t in y if t > 0]
    assert all(a < b for a, b in zip(positive, positive[1:]))  # rises with calcium
    assert y[0] == 0.0  # 0.2 mM: fires by itself
    low, high = plot.tetany_range_mm
    assert low < plot.tetany_level_mm < high
    assert "the model fires by itself" in plot.summary_text
    assert f"below about {plot.tetany_level_mm:.2f} mM" in plot.summary_text


# --- read a lab report ------------------------------------------------------------------------

@pytest.fixture
def report() -> ew.LabReport:
    return ew.lab_report()


def _marker(report: ew.LabReport, analyte_id: str):
    index = list(report.rows).index(analyte_id)
    return report.figure.data[2 * index + 1]


def test_lab_report_starts_empty(report):
    assert report.summary_text.startswith("No values yet")
    assert all(len(_marker(report, a).x) == 0 for a in report.rows)


def test_typing_a_value_places_it_on_its_range_with_an_explanation(report):
    report.rows["potassium"].value.value = "3.0"  # what typing + Enter does
    row = report.rows["potassium"]
    assert row.reading.status == "low"
    assert _marker(report, "potassium").x == (3.0,)
    assert "below the usual adult range (3.5-5.0 mmol/L)" in row.explanation.value
    assert "E_K = -105.4 mV" in row.explanation.value  # EL-08
    assert report.summary_text == "1 value read (1 outside the usual range): potassium low."


def test_a_value_in_mg_per_dl_is_converted(report):
    report.enter("total_calcium", "9.4", "mg/dL")
    assert _marker(report, "total_calcium").x[0] == pytest.approx(2.345, abs=0.002)  # EL-05
    assert "inside the usual adult range (8.6-10.3 mg/dL)" in \
        report.rows["total_calcium"].explanation.value


@pytest.mark.parametrize("typed, message", [
    ("abc", "'abc' is not a number"),
    ("-3", "cannot be negative"),
    ("40", "outside what this tool accepts for potassium"),
    ("4,2", "Use a dot for decimals: 4.2"),
])
def test_bad_input_shows_a_message_beside_the_field_and_loses_nothing(report, typed, message):
    report.enter("sodium", "140")
    report.enter("potassium", typed)
    row = report.rows["potassium"]
    assert message in row.message.text
    assert row.value.value == typed  # what was typed stays for correcting
    assert report.rows["sodium"].reading.mmol_l == 140  # the other field is untouched
    assert report.rows["sodium"].message.text == ""
    assert len(_marker(report, "potassium").x) == 0
    assert report.summary_text.startswith("1 value read")
    report.enter("potassium", "4.2")  # correcting it clears the message
    assert row.message.text == "" and row.reading.status == "normal"


def test_a_unit_the_analyte_is_not_reported_in_is_explained(report):
    report.enter("potassium", "4.1", "mg/dL")
    assert "Potassium is reported in mmol/L" in report.rows["potassium"].message.text
    report.enter("magnesium", "2", "g/L")
    assert "Unknown unit 'g/L'" in report.rows["magnesium"].message.text


def test_example_reports_fill_the_fields_and_reset_clears_them(report):
    report.picker.value = "units_practice"
    assert report.rows["total_calcium"].value.value == "4.7"
    assert report.rows["total_calcium"].unit.value == "mEq/L"
    assert _marker(report, "total_calcium").x[0] == pytest.approx(2.35)  # 4.7 mEq/L / 2
    assert "all inside their usual ranges" in report.summary_text
    assert '<a href="#ref-labref">' in report.note.value and "[labref]" not in report.note.value
    report.picker.value = "low_albumin_pattern"
    assert report.rows["total_calcium"].reading.status == "low"
    assert report.rows["ionized_calcium"].reading.status == "normal"
    assert report.rows["magnesium"].value.value == ""  # not part of this example
    report.reset()
    assert all(row.value.value == "" for row in report.rows.values())
    assert report.summary_text.startswith("No values yet")


def test_the_report_never_diagnoses(report):
    report.load_example("ironman_crampers")
    page_text = " ".join(w.value for w in report.widget.children if hasattr(w, "value")
                         and isinstance(w.value, str))
    assert "not a diagnosis" in page_text
    for row in report.rows.values():
        assert "diagnos" not in row.explanation.value.lower()


def test_unknown_example_shows_a_message(report):
    report.load_example("banana")
    assert "Unknown example report 'banana'" in report.message.text
