"""The stretch hold timer: kernel-side traits, limits and messages (the countdown itself runs in the
browser and is tested in tests/browser/test_prevention_page.py)."""
from __future__ import annotations

import pytest
import traitlets

from widgets.timer import MAX_HOLD_S, MIN_HOLD_S, HoldTimer


class RecordingTimer(HoldTimer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent = []

    def send(self, content, buffers=None):
        self.sent.append(content)


def test_defaults_and_a_chosen_hold_time():
    assert HoldTimer().hold_s == 30
    timer = HoldTimer(hold_s=10, label="Calf stretch")
    assert (timer.hold_s, timer.label, timer.status) == (10, "Calf stretch", "ready")


@pytest.mark.parametrize("seconds", [MIN_HOLD_S, MAX_HOLD_S, 10, 60])
def test_hold_times_from_5_to_300_s_are_accepted(seconds):
    assert (MIN_HOLD_S, MAX_HOLD_S) == (5, 300)
    assert HoldTimer(hold_s=seconds).hold_s == seconds


@pytest.mark.parametrize("seconds", [0, 4, 301, -10])
def test_hold_times_outside_5_to_300_s_are_refused_and_the_old_one_kept(seconds):
    timer = HoldTimer(hold_s=20)
    with pytest.raises(traitlets.TraitError, match="outside 5-300 s"):
        timer.hold_s = seconds
    assert timer.hold_s == 20


def test_start_and_reset_are_sent_to_the_browser_countdown():
    timer = RecordingTimer(hold_s=10)
    timer.start()
    timer.reset()
    assert timer.sent == [{"type": "start"}, {"type": "reset"}]


def test_on_done_runs_each_time_the_browser_reports_a_finished_hold():
    timer = HoldTimer(hold_s=10)
    done = []
    timer.on_done(lambda: done.append(timer.completed_count))
    for status, count in [("running", 0), ("paused", 0), ("running", 0), ("done", 1),
                          ("ready", 1), ("running", 1), ("done", 2)]:
        timer.completed_count = count   # the browser sends the count with the status
        timer.status = status
    assert done == [1, 2]


def test_the_countdown_is_computed_in_the_browser_from_the_clock():
    esm = HoldTimer._esm
    assert "Date.now()" in esm          # a deadline, not a count of kernel messages
    assert 'aria-live' in esm and 'for: id + "-input"' in esm   # announced, labelled input
    assert 'Hold time (s)' in esm                                 # the unit is in the label
