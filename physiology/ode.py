"""A small adaptive Runge-Kutta solver (Dormand-Prince 5(4)) for the fibre model.

It is the method of scipy's `solve_ivp(method="RK45")`, with the same step-size control, written
for a handful of states held as plain Python floats. The calcium model has 8 states and is solved
in many short stretches; for that, plain floats are several times quicker per step than numpy
arrays, and not importing scipy saves every learner's kernel about 50 MB and 0.4 s.
tests/models/test_calcium.py checks the results against scipy's tightly solved DOP853.
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

# Dormand and Prince (1980): the nodes, the stage weights, the 5th-order solution weights, and the
# difference between the 5th- and the embedded 4th-order solution (the error estimate).
_C = (0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0)
_A = ((),
      (1 / 5,),
      (3 / 40, 9 / 40),
      (44 / 45, -56 / 15, 32 / 9),
      (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
      (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656))
_B = (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84)
_E = (-71 / 57600, 0.0, 71 / 16695, -71 / 1920, 17253 / 339200, -22 / 525, 1 / 40)

_SAFETY, _MIN_FACTOR, _MAX_FACTOR = 0.9, 0.2, 10.0
_ERROR_EXPONENT = -1 / 5          # the error estimate is of order 4

Rates = Callable[[float, list], Sequence[float]]


def _rms(values) -> float:
    values = list(values)
    return math.sqrt(sum(v * v for v in values) / len(values))


def _stage(y: list, h: float, weights: Sequence[float], *slopes) -> list:
    """y + h * (weights[0] slopes[0] + weights[1] slopes[1] + ...), element by element."""
    if len(slopes) == 1:
        (w1,), (k1,) = weights, slopes
        return [yi + h * w1 * a for yi, a in zip(y, k1)]
    if len(slopes) == 2:
        w1, w2 = weights
        return [yi + h * (w1 * a + w2 * b) for yi, a, b in zip(y, *slopes)]
    if len(slopes) == 3:
        w1, w2, w3 = weights
        return [yi + h * (w1 * a + w2 * b + w3 * c) for yi, a, b, c in zip(y, *slopes)]
    if len(slopes) == 4:
        w1, w2, w3, w4 = weights
        return [yi + h * (w1 * a + w2 * b + w3 * c + w4 * d) for yi, a, b, c, d in zip(y, *slopes)]
    if len(slopes) == 5:
        w1, w2, w3, w4, w5 = weights
        return [yi + h * (w1 * a + w2 * b + w3 * c + w4 * d + w5 * e)
                for yi, a, b, c, d, e in zip(y, *slopes)]
    w1, _, w3, w4, w5, w6 = weights          # the 5th-order weights: the 2nd is zero
    return [yi + h * (w1 * a + w3 * c + w4 * d + w5 * e + w6 * g)
            for yi, a, _, c, d, e, g in zip(y, *slopes)]


def _first_step(rates: Rates, t0: float, y0: list, f0: Sequence[float], rtol: float,
                atol: Sequence[float]) -> float:
    """A first step from the size of the state and of its rates (Hairer et al., as scipy)."""
    scale = [a + abs(y) * rtol for y, a in zip(y0, atol)]
    d0 = _rms(y / s for y, s in zip(y0, scale))
    d1 = _rms(f / s for f, s in zip(f0, scale))
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    f1 = rates(t0 + h0, [y + h0 * f for y, f in zip(y0, f0)])
    d2 = _rms((b - a) / s for a, b, s in zip(f0, f1, scale)) / h0
    if d1 <= 1e-15 and d2 <= 1e-15:
        h1 = max(1e-6, h0 * 1e-3)
    else:
        h1 = (0.01 / max(d1, d2)) ** (1 / 5)
    return min(100 * h0, h1)


def solve(rates: Rates, t0: float, t1: float, y0: Sequence[float], rtol: float,
          atol: Sequence[float], first_step: float | None = None,
          max_steps: int = 100_000) -> tuple[list[float], list[list[float]]]:
    """Integrate dy/dt = rates(t, y) from t0 to t1; returns every accepted step's time and state
    (the first is t0, y0). rates takes a list of floats and returns a sequence of floats."""
    y = [float(v) for v in y0]
    f = rates(t0, y)
    h = first_step or _first_step(rates, t0, y, f, rtol, atol)
    t, times, states = t0, [t0], [y]
    while t < t1:
        if len(times) > max_steps:
            raise RuntimeError(f"more than {max_steps} steps between {t0} and {t1}")
        rejected = False
        while True:
            last = h >= t1 - t
            h = min(h, t1 - t)
            k1 = f
            k2 = rates(t + _C[1] * h, _stage(y, h, _A[1], k1))
            k3 = rates(t + _C[2] * h, _stage(y, h, _A[2], k1, k2))
            k4 = rates(t + _C[3] * h, _stage(y, h, _A[3], k1, k2, k3))
            k5 = rates(t + _C[4] * h, _stage(y, h, _A[4], k1, k2, k3, k4))
            k6 = rates(t + _C[5] * h, _stage(y, h, _A[5], k1, k2, k3, k4, k5))
            y_new = _stage(y, h, _B, k1, k2, k3, k4, k5, k6)
            f_new = rates(t + h, y_new)
            e1, _, e3, e4, e5, e6, e7 = _E
            error = _rms(h * (e1 * a + e3 * c + e4 * d + e5 * e + e6 * g + e7 * fn)
                         / (tol + max(abs(y0_), abs(y1_)) * rtol)
                         for a, c, d, e, g, fn, tol, y0_, y1_
                         in zip(k1, k3, k4, k5, k6, f_new, atol, y, y_new))
            if error < 1.0:
                factor = _MAX_FACTOR if error == 0 else min(
                    _MAX_FACTOR, _SAFETY * error ** _ERROR_EXPONENT)
                t_new = t1 if last else t + h
                h *= min(1.0, factor) if rejected else factor
                break
            h *= max(_MIN_FACTOR, _SAFETY * error ** _ERROR_EXPONENT)
            rejected = True
            if h < 1e-12 * max(1.0, abs(t)):
                raise RuntimeError(f"the step size fell below the resolution at t = {t}")
        t, y, f = t_new, y_new, f_new
        times.append(t)
        states.append(y)
    return times, states
