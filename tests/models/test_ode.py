"""The Dormand-Prince solver (physiology/ode.py) on problems with known answers."""
from __future__ import annotations

import math

import pytest

from physiology import ode


def test_decay_and_oscillation_match_their_exact_solutions():
    # y1' = -y1 (decay), (y2, y3) a harmonic oscillator: exact e^-t, cos t, -sin t
    times, states = ode.solve(lambda t, y: (-y[0], y[2], -y[1]), 0.0, 10.0, [1.0, 1.0, 0.0],
                              rtol=1e-8, atol=(1e-10,) * 3)
    assert times[0] == 0.0 and times[-1] == 10.0
    assert all(b > a for a, b in zip(times, times[1:]))
    for t, (decay, x, v) in zip(times, states):
        assert decay == pytest.approx(math.exp(-t), abs=1e-7)
        assert x == pytest.approx(math.cos(t), abs=1e-6)
        assert v == pytest.approx(-math.sin(t), abs=1e-6)


def test_looser_tolerance_takes_fewer_steps():
    rates = lambda t, y: (y[1], -y[0])  # noqa: E731
    tight, _ = ode.solve(rates, 0.0, 20.0, [1.0, 0.0], rtol=1e-9, atol=(1e-12, 1e-12))
    loose, _ = ode.solve(rates, 0.0, 20.0, [1.0, 0.0], rtol=1e-4, atol=(1e-7, 1e-7))
    assert len(loose) < len(tight) / 3


def test_a_blow_up_stops_with_a_clear_error():
    with pytest.raises(RuntimeError, match="step"):
        ode.solve(lambda t, y: (y[0] ** 2,), 0.0, 2.0, [1.0], rtol=1e-6, atol=(1e-9,))
