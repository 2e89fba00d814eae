"""The calcium explorer and its two summary plots, driven from Python.

The widget must draw exactly what the model computes (checked against physiology.calcium for
the same settings) and react to scenarios, sliders, Reset, the log-axis switch and bad input.
Physiological expectations (fused tetanus near full force, a silent contracture, a busy cramp)
are the ones worked out in tests/models/test_calcium.py.
"""
from __future__ import annotations

import numpy as np
import pytest

from physiology import calcium
from widgets import calcium as widget
from widgets.calcium import PLOT_EVERY, explore_calcium, force_frequency_plot, relaxation_vs_serca_plot


@pytest.fixture
def lab(monkeypatch) -> widget.CalciumExplorer:
    monkeypatch.delenv("QUERY_STRING", raising=False)
    return explore_calcium()


def y(lab, key: str) -> np.ndarray:
    return np.asarray(lab.trace(key).y, dtype=float)


def test_starts_on_the_defaults_and_draws_the_models_run(lab):
    assert lab.values == dict(frequency_hz=50, duration_s=0.5, serca_pct=100, atp_pct=100,
                              release_pct=100)
    expected = calcium.simulate(frequency_hz=50, duration_s=0.5)
    np.testing.assert_allclose(y(lab, "force"), expected.force_pct[::PLOT_EVERY])
    np.testing.assert_allclose(y(lab, "cytosol"), expected.cytosolic_ca_um[::PLOT_EVERY])
    np.testing.assert_allclose(y(lab, "sr"), expected.sr_free_ca_um[::PLOT_EVERY])
    assert len(lab.trace("force").x) == len(lab.trace("force").y) == 2001     # 0-2 s, 1 ms
    assert y(lab, "force").max() > 90                                           # fused tetanus
    assert len(lab.trace("aps").x) == 25                                        # 50 Hz x 0.5 s
    assert lab.summary_text == calcium.summarise(expected)
    assert "same as rested" in lab.summary_text


def test_every_axis_and_trace_carries_its_unit(lab):
    layout = lab.figure.layout
    titles = [layout.yaxis.title.text, layout.yaxis2.title.text, layout.yaxis3.title.text,
              layout.xaxis3.title.text]
    assert titles == ["Free Ca2+ (µM)", "SR Ca2+ (µM)", "Force (% of max)", "Time (s)"]
    for slider in lab.sliders.values():
        assert slider.unit


def test_scenarios_update_the_same_figure_in_place(lab):
    figure, n_traces = lab.figure, len(lab.figure.data)
    lab.select_scenario("contracture")
    assert lab.figure is figure and len(figure.data) == n_traces
    aps = np.asarray(lab.trace("aps").x)
    assert len(aps) == 15 and aps.max() == pytest.approx(0.38)      # silent after 0.38 s
    assert y(lab, "force")[-1] > 50                                   # yet still contracted
    assert y(lab, "rested")[-1] < 1                                   # a rested fibre let go
    assert "contracture-like" in lab.summary_text

    lab.select_scenario("cramp_motor_neuron_firing")
    assert np.asarray(lab.trace("aps").x).max() > 1.9                 # firing to the end
    assert y(lab, "force")[-1] > 60
    assert "cramp-like" in lab.summary_text

    lab.select_scenario("fatigued_low_atp")
    assert "slower than rested" in lab.summary_text
    assert not np.allclose(y(lab, "force"), y(lab, "rested"))


def test_a_slider_change_redraws_and_reset_restores(lab):
    before = y(lab, "force").copy()
    lab.sliders["serca_pct"].value = 40        # what moving the slider does
    assert lab.values["serca_pct"] == 40
    after = y(lab, "force")
    assert not np.allclose(before, after)
    assert "slower than rested" in lab.summary_text
    lab.reset()
    assert lab.values["serca_pct"] == 100
    np.testing.assert_allclose(y(lab, "force"), before)


def test_no_stimulation_shows_a_resting_fibre(lab):
    lab.set_values(frequency_hz=0)
    assert len(lab.trace("aps").x) == 0
    assert y(lab, "force").max() < 0.1
    np.testing.assert_allclose(y(lab, "cytosol"), 0.05, atol=0.001)      # 50 nM throughout
    assert lab.summary_text.startswith("No action potentials")


def test_log_axis_switch_changes_only_the_calcium_axis(lab):
    data_before = y(lab, "cytosol").copy()
    lab.log_scale.value = True
    assert lab.figure.layout.yaxis.type == "log"
    low, high = lab.figure.layout.yaxis.range
    assert 10 ** low <= 0.05 and 10 ** high >= 100       # shows 50 nM rest and the peaks
    assert lab.figure.layout.yaxis3.type in (None, "-", "linear")
    lab.log_scale.value = False
    assert lab.figure.layout.yaxis.type == "linear"
    np.testing.assert_allclose(y(lab, "cytosol"), data_before)


def test_bad_input_shows_a_message_and_changes_nothing(lab):
    values, force = dict(lab.values), y(lab, "force").copy()
    lab.set_values(serca_pct=250, atp_pct=50)
    assert "SERCA capacity" in lab.message_text and "Nothing was changed" in lab.message_text
    assert lab.values == values
    np.testing.assert_allclose(y(lab, "force"), force)
    lab.set_values(frequency_hz="fast")
    assert "Stimulation frequency" in lab.message_text
    lab.set_values(atp_pct=True)        # a yes/no is not a percentage, though float(True) is 1
    assert "ATP availability must be a number between 0 and 100 % of normal (got True, a yes/no)" in lab.message_text
    assert lab.values == values
    lab.set_values(stiffness=3)
    assert "no control 'stiffness'" in lab.message_text
    lab.set_values(atp_pct=50)          # a good value clears the message and redraws
    assert lab.message_text == ""
    assert lab.values["atp_pct"] == 50


def test_an_unexpected_failure_never_reaches_the_page(lab, monkeypatch):
    def broken(**_):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(widget.calcium, "simulate", broken)
    lab.set_values(atp_pct=50)          # must not raise
    assert "Something went wrong" in lab.message_text
    assert "solver exploded" not in lab.message_text


def test_opens_on_the_scenario_named_in_the_page_address(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "calcium=contracture")
    lab = explore_calcium()
    assert lab.picker.value == "contracture"
    assert lab.values["serca_pct"] == 10
    monkeypatch.setenv("QUERY_STRING", "calcium=no_such_thing")
    lab = explore_calcium()
    assert "Valid scenarios" in lab.message_text and "rested" in lab.message_text


def test_force_frequency_plot_rises_to_a_fused_tetanus():
    plot = force_frequency_plot()
    force = np.asarray(plot.figure.data[0].y)
    assert np.all(np.diff(force) >= -0.01)
    assert force[0] < 0.7 * force[-1]               # a twitch is well below a tetanus
    assert plot.figure.layout.xaxis.title.text == "Stimulation frequency (Hz)"
    assert plot.figure.layout.yaxis.title.text == "Peak force (% of maximum)"
    assert f"twitch of {force[0]:.0f}%" in plot.summary_text


def test_relaxation_plot_shows_slower_relaxation_with_fewer_pumps_and_less_atp():
    plot = relaxation_vs_serca_plot()
    normal, low_atp = (np.asarray(trace.y) for trace in plot.figure.data)
    serca = np.asarray(plot.figure.data[0].x)
    assert serca[0] == 100 and np.all(np.diff(serca) < 0)
    assert np.all(np.diff(normal) > 0)               # half-time grows as pumps fail
    assert np.all(low_atp > normal)                  # and is longer with less ATP
    assert plot.figure.layout.yaxis.title.text == "Relaxation half-time (ms)"
    assert "halving SERCA capacity" in plot.summary_text
