"""The cramp lab widgets (widgets/cramp_lab.py), driven from Python like a learner would."""
from __future__ import annotations

import pytest

from widgets import cramp_lab
from widgets.theme import PALETTE


@pytest.fixture(scope="module")
def experiment():
    return cramp_lab.run_the_experiment(animate_s=0)


def test_run_finds_the_threshold_and_shows_the_published_value_beside_it(experiment):
    experiment.reset()
    assert "Press Run" in experiment.summary_text
    assert list(experiment.figure.data[0].y) == [0.0, 0.0]  # a flat line before Run
    assert len(experiment.stairs.data[3].y) == 19            # every train still to come
    result = experiment.run()
    assert result.threshold_hz == 16.0
    assert "Cramp threshold frequency 16 Hz" in experiment.summary_text
    assert "14.9 ± 1.3 Hz" in experiment.summary_text     # Miller & Knight 2009, cramp-prone
    # the staircase shows every train delivered, 4 Hz upwards, the last one starred
    assert tuple(experiment.stairs.data[0].y) == (4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0)
    assert tuple(experiment.stairs.data[1].y) == (16.0,)
    assert len(experiment.stairs.data[3].y) == 0             # no train after the cramp
    assert experiment.progress.value == experiment.progress.max == 7
    assert len(experiment.figure.data[0].x) > 1000         # the EMG of the last train
    assert max(experiment.figure.data[1].y) > 10           # and its force, % of maximum


def test_a_not_prone_participant_needs_a_faster_train(experiment):
    experiment.select_scenario("not_prone")
    assert experiment.run().threshold_hz == 26.0
    assert "25.5 ± 1.6 Hz" in experiment.summary_text


def test_neutral_position_runs_every_train_without_a_cramp(experiment):
    experiment.select_scenario("neutral_position")
    assert experiment.run().threshold_hz is None
    assert experiment.summary_text.startswith("No cramp after any train from 4 to 40 Hz")
    assert len(experiment.stairs.data[1].y) == 0


def test_changing_the_participant_clears_the_last_run(experiment):
    experiment.select_scenario("cramp_prone")
    experiment.run()
    before = list(experiment.readiness.data[0].y)
    experiment.set_values(pain_pct=50)
    assert len(experiment.stairs.data[0].y) == 0
    assert experiment.progress.value == 0
    # pain excites every unit: each sits 0.15 x 50 % = 0.075 rheobase closer to switching on
    after = list(experiment.readiness.data[0].y)
    assert all(abs(a - b - 0.075) < 1e-9 for a, b in zip(after, before))


def test_bad_input_shows_the_usual_message_and_changes_nothing(experiment):
    experiment.reset()
    before = experiment.values
    assert experiment.set_values(fatigue_pct=150) is False
    assert "Muscle fatigue must be between 0 and 100" in experiment.explorer.message.text
    assert experiment.values == before
    assert experiment.set_values(drink="cola") is False
    assert "Drink must be one of" in experiment.explorer.message.text


def test_timeline_scenarios_draw_the_cramp_and_its_end():
    timeline = cramp_lab.cramp_timeline("late_in_race")
    fig = timeline.figures[0]
    assert "on its own" in timeline.summary_text
    firing_before = max(fig.data[0].y)
    assert firing_before >= 2
    timeline.select_scenario("stretch_ends_it")
    assert "after the stretch began" in timeline.summary_text
    assert any(s.label.text == "stretch" for s in fig.layout.shapes)
    timeline.select_scenario("rested_push_off")
    assert timeline.summary_text.startswith("No cramp")
    timeline.reset()
    assert timeline.values["stretch_at_s"] == 0
    assert timeline.set_values(calcium_mm=5) is False
    assert "Ionized calcium around the nerve must be between" in timeline.message.text


def test_figures_use_the_palette_and_have_units_in_their_labels():
    experiment = cramp_lab.run_the_experiment(animate_s=0)
    assert experiment.figure.data[0].line.color == PALETTE["blue"]
    assert "(Hz)" in experiment.stairs.layout.yaxis.title.text
    assert "(% of maximum)" in experiment.figure.layout.yaxis2.title.text
    assert "(s)" in experiment.figure.layout.xaxis2.title.text


def test_interventions_table_names_the_evidence_levels():
    text = cramp_lab.interventions_table().value
    assert "Pickle juice" in text and "weak" in text and "moderate" in text


def _count_updates(monkeypatch, figure) -> list:
    """Every restyle/relayout/update message the figure sends to the browser."""
    sent = []
    for name in ("_send_restyle_msg", "_send_relayout_msg", "_send_update_msg"):
        original = getattr(figure, name)
        monkeypatch.setattr(figure, name,
                            lambda *a, _o=original, _n=name, **k: (sent.append(_n), _o(*a, **k)))
    return sent


def test_a_move_before_any_run_sends_only_the_readiness_bars(experiment, monkeypatch):
    experiment.reset()
    sent = {name: _count_updates(monkeypatch, getattr(experiment, name))
            for name in ("readiness", "figure", "stairs")}
    experiment.set_values(pain_pct=30)
    assert sent["readiness"] and not sent["figure"] and not sent["stairs"]
    experiment.run()                       # a drawn run is cleared by the next move
    for messages in sent.values():
        messages.clear()
    experiment.set_values(pain_pct=40)
    assert sent["figure"] and sent["stairs"]
    assert list(experiment.figure.data[0].y) == [0.0, 0.0]
