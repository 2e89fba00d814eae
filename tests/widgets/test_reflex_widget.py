"""The reflex explorer, loop diagram and evidence figure, driven from Python.

Expected firing rates are the hand-solved steady states of tests/models/test_reflex.py:
about 19.6 Hz during a 60 % effort in a rested muscle, 16.5 Hz self-sustained at 75 % fatigue.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from physiology.evidence_studies import evidence
from widgets.reflex import (DIRECTION_STYLE, ReflexExplorer, evidence_figure, evidence_table,
                            explore_reflex, reflex_loop_diagram)
from widgets.theme import PALETTE


@pytest.fixture
def lab(monkeypatch) -> ReflexExplorer:
    monkeypatch.delenv("QUERY_STRING", raising=False)
    return explore_reflex()


def firing_at(lab: ReflexExplorer, t: float) -> float:
    trace = lab.figure.data[lab._index["firing"]]
    return float(np.interp(t, trace.x, trace.y))


def test_starts_rested_and_the_firing_stops_with_the_effort(lab):
    assert lab.values["fatigue_pct"] == 10
    assert firing_at(lab, 1.4) == pytest.approx(19.6, abs=0.6)  # during the effort
    assert firing_at(lab, 2.5) < 1 and firing_at(lab, 4.9) < 1  # after it
    assert "no cramp" in lab.summary_text
    assert lab.stretch_button.description == "Stretch now"


def test_fatigued_scenario_shows_a_cramp_in_the_same_figure(lab):
    figure, n_traces = lab.figure, len(lab.figure.data)
    lab.select_scenario("fatigued_late_in_race")
    assert lab.figure is figure and len(figure.data) == n_traces  # updated, not rebuilt
    assert firing_at(lab, 4.5) == pytest.approx(16.5, abs=0.5)
    assert firing_at(lab, 9.9) == pytest.approx(16.5, abs=0.5)
    assert "kept firing on their own at 17 Hz - a cramp" in lab.summary_text
    assert "Stretch now" in lab.summary_text


def test_stretch_now_ends_the_cramp_and_reports_the_time_to_relief(lab):
    lab.select_scenario("fatigued_late_in_race")
    before = list(lab.figure.data[lab._index["firing"]].y)
    lab.stretch_now()
    after = list(lab.figure.data[lab._index["firing"]].y)
    assert after != before
    assert lab.values["stretch_intensity_pct"] == 50
    assert firing_at(lab, 4.9) > 6  # still cramping when the stretch begins at 5 s
    assert firing_at(lab, 8.0) < 1  # relieved
    relief = float(re.search(r"stopped it ([\d.]+) s after it began", lab.summary_text).group(1))
    assert 1.0 <= relief <= 1.8  # the window worked out by hand in the model tests
    assert lab.stretch_button.description == "Release the stretch"
    assert any(s.type == "rect" and s.x0 == 5.0 for s in lab.figure.layout.shapes)
    # pressing again releases the stretch and the cramp goes on
    lab.stretch_now()
    assert lab.values["stretch_intensity_pct"] == 0
    assert firing_at(lab, 9.9) > 6
    assert lab.stretch_button.description == "Stretch now"


def test_the_inputs_panel_shows_excitation_above_and_inhibition_below_zero(lab):
    lab.select_scenario("fatigued_late_in_race")
    tendon = np.array(lab.figure.data[lab._index["tendon"]].y)
    spindle = np.array(lab.figure.data[lab._index["spindle"]].y)
    assert tendon.max() <= 0 < spindle.min()
    # at 75 % fatigue the spindle drive is 0.3 + 0.4 x 0.75 = 0.6 rheobase throughout
    assert spindle[0] == pytest.approx(0.6)


def test_the_loop_diagram_follows_the_model_state_and_the_moment(lab):
    lab.select_scenario("fatigued_late_in_race")
    command = lab.loop.figure.data[lab.loop._edges["firing"]]
    # 16.5 Hz on a 60 Hz full scale: width 1 + 11 x 16.5 / 60 = 4.0
    assert command.line.width == pytest.approx(1 + 11 * 16.5 / 60, abs=0.15)
    assert "fire at 17 Hz" in lab.loop.summary_text
    lab.stretch_now()
    lab.loop.moment.value = 8.0  # after the relief
    assert command.line.width == pytest.approx(1.0, abs=0.05)
    assert lab.loop.figure.layout.title.text == "The reflex loop at 8.0 s"
    assert "fire at 0 Hz" in lab.loop.summary_text
    moment_line = lab.figure.layout.shapes[-1]
    assert moment_line.type == "line" and moment_line.x0 == 8.0


def test_stronger_persistent_inward_current_lowers_the_reported_threshold(lab):
    def threshold() -> float:
        return float(re.search(r"cramps from (\d+) % fatigue", lab.summary_text).group(1))
    typical = threshold()
    lab.sliders["pic_strength_pct"].value = 125
    assert threshold() < typical - 10
    lab.sliders["pic_strength_pct"].value = 0
    assert "no level of fatigue makes this effort cramp" in lab.summary_text


def test_bad_input_shows_a_message_and_changes_nothing(lab):
    lab.select_scenario("fatigued_late_in_race")
    before = dict(lab.values)
    lab.set_values(fatigue_pct=150)
    assert "Muscle fatigue" in lab.message.text and "Nothing was changed" in lab.message.text
    assert lab.values == before
    lab.set_values(calf_size=3)
    assert "fatigue_pct" in lab.message.text  # lists the real controls
    assert lab.values == before
    lab.set_values(fatigue_pct=80)  # a good value clears the message
    assert lab.message.text == ""
    assert lab.values["fatigue_pct"] == 80


def test_reset_returns_to_the_defaults(lab):
    lab.select_scenario("stretch_relieves_it")
    lab.reset()
    assert lab.values == {"fatigue_pct": 10, "pic_strength_pct": 100, "drive_amplitude_pct": 60,
                          "drive_duration_s": 1, "stretch_intensity_pct": 0}
    assert "no cramp" in lab.summary_text


def test_the_page_address_can_choose_the_scenario(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "reflex=stretch_relieves_it")
    lab = explore_reflex()
    assert lab.values["stretch_intensity_pct"] == 50
    assert "stopped it" in lab.summary_text


def test_standalone_loop_diagram_and_unknown_scenario():
    diagram = reflex_loop_diagram("rested", moment_s=1.2)  # during the effort
    assert "voluntary drive +1.2" in diagram.summary_text  # 60 % of 2.0 rheobase
    with pytest.raises(KeyError, match="Valid scenarios: rested"):
        reflex_loop_diagram("marathon")


def test_evidence_figure_puts_both_hypotheses_side_by_side_with_sizes_and_levels():
    panel = evidence_figure()
    fig = panel.figure
    file = evidence()
    for hypothesis in file.hypotheses:   # the summary line tallies each side
        tally = file.tally(hypothesis.id)
        assert f"{hypothesis.label}: {tally['supports']} supporting" in panel.summary_text
    assert [a.text for a in fig.layout.annotations[:2]] == [h.label for h in file.hypotheses]
    for axis, hypothesis in (("x", "dehydration_electrolyte"), ("x2", "neuromuscular")):
        bars = [t for t in fig.data if t.xaxis == axis]
        sizes = sorted(n for t in bars for n in t.x)
        assert sizes == sorted(s.n for s in file.studies_on(hypothesis))
        for trace in bars:
            colour, pattern = DIRECTION_STYLE[trace.name]
            assert trace.marker.color == colour and trace.marker.pattern.shape == pattern
    texts = [t for trace in fig.data for t in trace.text]
    assert "n=209 · moderate" in texts and "n=10,553 · moderate" in texts and "n=10 · weak" in texts
    assert fig.layout.xaxis.type == "log"
    assert all(c in PALETTE.values() for c, _ in DIRECTION_STYLE.values())


def test_evidence_table_lists_every_study_with_its_size():
    text = evidence_table().value
    for study in evidence().studies:
        assert study.label in text.replace("&amp;", "&")
        assert f"n = {study.n:,}" in text
