"""A fast, reduced version of the fibre calcium model: calcium pulses in, force out.

physiology/calcium.py follows every buffer and pump of one fibre and takes tens of ms per run;
the motor-unit pool (physiology/motor_pool.py) needs the force of many units over minutes, so
it uses this three-line summary of the same chain (action potential -> Ca2+ -> troponin ->
cross-bridges), with its parameters fitted to physiology/calcium.py (data/motor_pool.yaml,
group `force_model`; tests/models/test_motor_pool.py checks that the two agree):

    c   jumps by 1 at each action potential and decays with time constant tau_c  (free Ca2+)
    A = c^n / (c^n + K^n)                                   (thin-filament activation, CA-10)
    dF/dt = (A - F) / tau_f                                  (cross-bridges follow with a lag)

Slower motor units are the same model with every time constant multiplied by `time_scale`,
so a unit with time scale s at rate r behaves like the reference fibre at rate r * s.
Because F follows A through a linear first-order lag, the mean force during steady firing at
rate r is the mean of A over one inter-spike interval; `mean_force` computes that exactly.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ReducedFibre:
    """Parameters of the reduced model (times in ms; calcium in units of one pulse)."""

    ca_decay_ms: float
    ca_half_activation: float
    hill: float
    force_lag_ms: float

    def activation(self, c):
        cn = np.power(np.maximum(c, 0.0), self.hill)
        return cn / (cn + self.ca_half_activation ** self.hill)

    def calcium(self, spike_times_ms: np.ndarray, t_ms: np.ndarray, time_scale: float = 1.0
                ) -> np.ndarray:
        """c(t) on the grid t_ms: the sum of one decaying pulse per action potential."""
        tau = self.ca_decay_ms * time_scale
        c = np.zeros_like(t_ms, dtype=float)
        for spike in np.asarray(spike_times_ms, dtype=float):
            after = t_ms >= spike
            c[after] += np.exp(-(t_ms[after] - spike) / tau)
        return c

    def force(self, spike_times_ms: np.ndarray, t_ms: np.ndarray, time_scale: float = 1.0
              ) -> np.ndarray:
        """Force (fraction of maximum) on a regular grid t_ms for these action potentials."""
        activation = self.activation(self.calcium(spike_times_ms, t_ms, time_scale))
        dt = float(t_ms[1] - t_ms[0])
        keep = math.exp(-dt / (self.force_lag_ms * time_scale))
        force = np.empty_like(activation)
        f = 0.0
        for i, a in enumerate(activation.tolist()):   # exact step of the linear lag
            f = a + (f - a) * keep
            force[i] = f
        return force

    def mean_force(self, rate_hz: np.ndarray, time_scale: float = 1.0,
                   samples: int = 64) -> np.ndarray:
        """Mean force (fraction of maximum) during steady firing at each rate (0 at 0 Hz)."""
        rate = np.atleast_1d(np.asarray(rate_hz, dtype=float))
        out = np.zeros_like(rate)
        firing = rate > 0
        period = 1000.0 / rate[firing]                                   # ms
        tau = self.ca_decay_ms * time_scale
        phase = (np.arange(samples) + 0.5) / samples                     # within one interval
        since = period[:, None] * phase[None, :]
        c = np.exp(-since / tau) / (1.0 - np.exp(-period[:, None] / tau))  # periodic steady state
        out[firing] = self.activation(c).mean(axis=1)
        return out
