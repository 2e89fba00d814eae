"""An excitable membrane whose behaviour follows the electrolytes around it.

The model is the Hodgkin-Huxley squid-axon membrane (Hodgkin & Huxley 1952 [hh1952], fact
EL-16) with two teaching additions, both set in data/membrane_model.yaml:

1. Reversal potentials follow outside K+ and Na+ by the Nernst equation (EL-07, EL-08). At the
   normal plasma concentrations they are the classic E_K = -77 mV and E_Na = +50 mV; a change
   of outside concentration moves them by (RT/zF) ln(new/normal), the same number of millivolts
   as the Nernst panel shows (K+ 4 -> 7 mM: +14.9 mV).
2. Calcium (and, more weakly, magnesium) outside the cell screen fixed negative charges on the
   membrane surface. With less of them every gate "sees" a more depolarized membrane, i.e. its
   voltage dependence shifts to more negative voltages (EL-09, Frankenhaeuser & Hodgkin 1957
   [fh1957]; Hille 2001 [hille2001]). We use a shift proportional to log10(c / c_normal):
   about 14-21 mV per tenfold for Ca2+ (EL-09 gives it only approximately), and a smaller,
   assumed slope for Mg2+.

Integration: fixed-step exponential Euler with tabulated rates, in plain Python.
Why not an adaptive solver? One explorer update simulates 500 ms. For a membrane that fires
repetitively, scipy's solve_ivp (rtol 1e-6) took about 0.2 s of CPU with LSODA and 0.5 s with
RK45 on the project machine: several times the 50 ms a slider move may take, while this loop
takes about 15-25 ms whatever the membrane does. The exponential Euler step
is exact for each gate while V is held for one step (each gate obeys a linear ODE
dx/dt = (x_inf - x)/tau), and the voltage update is the same exponential step for the linear
membrane equation, so it stays stable for any step size; the only error comes from V changing
within a step (first order in dt). This is the Rush-Larsen scheme, also GENESIS's default
method; rates are looked up in tables as NEURON does. With dt = 0.025 ms the spike times agree
with a tight adaptive solver within 0.1 ms over six spikes (tests/models/test_membrane.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from physiology import data
from physiology.controls import Limit, check_value
from physiology.data import Quantity, Strict
from physiology.electrolytes import rt_over_f_mv

# --- parameters: data/membrane_model.yaml ---------------------------------------------------


class HodgkinHuxleyParams(Strict):
    capacitance: Quantity
    g_na_max: Quantity
    g_k_max: Quantity
    g_leak: Quantity
    e_na_normal: Quantity
    e_k_normal: Quantity
    e_leak: Quantity
    kinetics_temperature: Quantity


class NormalPlasma(Strict):
    k_out: Quantity
    na_out: Quantity
    ca_ionized: Quantity
    mg: Quantity


class SurfaceCharge(Strict):
    ca_shift_per_tenfold: Quantity
    ca_shift_per_tenfold_low: Quantity
    ca_shift_per_tenfold_high: Quantity
    mg_shift_per_tenfold: Quantity


class SimulationSettings(Strict):
    duration: Quantity
    time_step: Quantity
    stimulus_onset: Quantity
    nudge: Quantity
    spike_detection: Quantity


class MembraneModelFile(Strict):
    title: str
    hodgkin_huxley: HodgkinHuxleyParams
    normal_plasma: NormalPlasma
    surface_charge: SurfaceCharge
    simulation: SimulationSettings


data.register("membrane_model.yaml", MembraneModelFile)


def parameters() -> MembraneModelFile:
    return data.load("membrane_model.yaml", MembraneModelFile)


@dataclass(frozen=True)
class Electrolytes:
    """Outside concentrations the membrane sits in (mM)."""

    k_mm: float
    na_mm: float
    ca_mm: float
    mg_mm: float

    @classmethod
    def normal(cls, **changes: float) -> "Electrolytes":
        """Normal plasma values, with any of k_mm, na_mm, ca_mm, mg_mm changed."""
        p = parameters().normal_plasma
        values = dict(k_mm=p.k_out.value, na_mm=p.na_out.value, ca_mm=p.ca_ionized.value,
                      mg_mm=p.mg.value)
        unknown = set(changes) - set(values)
        if unknown:
            raise KeyError(f"Unknown electrolyte(s) {', '.join(sorted(unknown))}; "
                           f"use {', '.join(values)}")
        values.update({k: float(v) for k, v in changes.items()})
        return cls(**values)

    def __post_init__(self) -> None:
        for name in ("k_mm", "na_mm", "ca_mm", "mg_mm"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a concentration above 0 mM (got {value!r})")


# --- electrolytes -> reversal potentials and gating shift ----------------------------------

def reversal_potentials_mv(electrolytes: Electrolytes) -> tuple[float, float]:
    """(E_Na, E_K) in mV: the classic values moved by the Nernst change from normal plasma."""
    hh, normal = parameters().hodgkin_huxley, parameters().normal_plasma
    rt_f = rt_over_f_mv()
    e_na = hh.e_na_normal.value + rt_f * math.log(electrolytes.na_mm / normal.na_out.value)
    e_k = hh.e_k_normal.value + rt_f * math.log(electrolytes.k_mm / normal.k_out.value)
    return e_na, e_k


def gating_shift_mv(ca_mm: float, mg_mm: float | None = None,
                    ca_shift_per_tenfold: float | None = None) -> float:
    """Shift (mV) of every gate's voltage dependence relative to normal Ca2+ and Mg2+.

    Negative when Ca2+ or Mg2+ is below normal: the channels then behave as if the membrane
    were that many mV more depolarized. `ca_shift_per_tenfold` defaults to the model's value.
    """
    sc, normal = parameters().surface_charge, parameters().normal_plasma
    mg_mm = normal.mg.value if mg_mm is None else mg_mm
    if not (ca_mm > 0 and mg_mm > 0):
        raise ValueError(f"Ca2+ and Mg2+ must be above 0 mM (got Ca {ca_mm}, Mg {mg_mm})")
    slope = sc.ca_shift_per_tenfold.value if ca_shift_per_tenfold is None else ca_shift_per_tenfold
    return (slope * math.log10(ca_mm / normal.ca_ionized.value)
            + sc.mg_shift_per_tenfold.value * math.log10(mg_mm / normal.mg.value))


def gating_shift_range_mv(ca_mm: float, mg_mm: float | None = None) -> tuple[float, float]:
    """The gating shift at the two ends of the EL-09 range (14 and 21 mV per tenfold Ca2+)."""
    sc = parameters().surface_charge
    ends = [gating_shift_mv(ca_mm, mg_mm, s.value)
            for s in (sc.ca_shift_per_tenfold_low, sc.ca_shift_per_tenfold_high)]
    return min(ends), max(ends)


# --- Hodgkin-Huxley gating (EL-16; V in mV, rates in 1/ms, at 6.3 degC) --------------------

def _x_over_1_minus_exp(x: np.ndarray, k: float) -> np.ndarray:
    """x / (1 - exp(-x/k)), with its limit k at x = 0 (the HH alpha_m and alpha_n form)."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x / k) < 1e-6
    safe = np.where(small, 1.0, x)
    return np.where(small, k + x / 2, safe / (1.0 - np.exp(-safe / k)))


def rate_constants(v_mv: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(alpha, beta) of each gate m, h, n at membrane potential v (unshifted)."""
    v = np.asarray(v_mv, dtype=float)
    return {
        "m": (0.1 * _x_over_1_minus_exp(v + 40.0, 10.0), 4.0 * np.exp(-(v + 65.0) / 18.0)),
        "h": (0.07 * np.exp(-(v + 65.0) / 20.0), 1.0 / (1.0 + np.exp(-(v + 35.0) / 10.0))),
        "n": (0.01 * _x_over_1_minus_exp(v + 55.0, 10.0), 0.125 * np.exp(-(v + 65.0) / 80.0)),
    }


def steady_state_gates(v_mv: np.ndarray, shift_mv: float = 0.0) -> dict[str, np.ndarray]:
    """m_inf, h_inf, n_inf at v for gates shifted by shift_mv."""
    return {g: a / (a + b) for g, (a, b) in rate_constants(np.asarray(v_mv) - shift_mv).items()}


# Gate update tables: x_next = A[i] + B[i] * x, i the index of (V - shift) on this grid.
_TABLE_MIN_MV, _TABLE_MAX_MV, _TABLE_STEP_MV = -250.0, 250.0, 0.02


@lru_cache(maxsize=4)
def _gate_tables(dt_ms: float) -> dict[str, tuple[list[float], list[float]]]:
    v = np.linspace(_TABLE_MIN_MV, _TABLE_MAX_MV,
                    int(round((_TABLE_MAX_MV - _TABLE_MIN_MV) / _TABLE_STEP_MV)) + 1)
    tables = {}
    for gate, (a, b) in rate_constants(v).items():
        decay = np.exp(-dt_ms * (a + b))
        tables[gate] = ((a / (a + b) * (1.0 - decay)).tolist(), decay.tolist())
    return tables


# --- resting state ---------------------------------------------------------------------------

def _steady_current(v_mv: np.ndarray, e_na: float, e_k: float, shift_mv: float) -> np.ndarray:
    hh = parameters().hodgkin_huxley
    x = steady_state_gates(v_mv, shift_mv)
    return (hh.g_na_max.value * x["m"] ** 3 * x["h"] * (v_mv - e_na)
            + hh.g_k_max.value * x["n"] ** 4 * (v_mv - e_k)
            + hh.g_leak.value * (v_mv - hh.e_leak.value))


def resting_potential_mv(electrolytes: Electrolytes, ca_shift_per_tenfold: float | None = None
                         ) -> float:
    """The most negative voltage at which no net current flows (the resting state, mV)."""
    e_na, e_k = reversal_potentials_mv(electrolytes)
    shift = gating_shift_mv(electrolytes.ca_mm, electrolytes.mg_mm, ca_shift_per_tenfold)
    grid = np.arange(-150.0, 60.0, 0.5)
    current = _steady_current(grid, e_na, e_k, shift)
    crossings = np.nonzero((current[:-1] < 0) & (current[1:] >= 0))[0]
    if len(crossings) == 0:
        raise ValueError("This membrane has no resting state between -150 and +60 mV")
    # Bisection inside the 0.5 mV bracket: 20 halvings narrow it below 1e-6 mV.
    low, high = grid[crossings[0]], grid[crossings[0] + 1]
    for _ in range(20):
        middle = 0.5 * (low + high)
        if _steady_current(np.array(middle), e_na, e_k, shift) < 0:
            low = middle
        else:
            high = middle
    return float(0.5 * (low + high))


# --- simulation -----------------------------------------------------------------------------

Pattern = Literal["silent", "onset_only", "repetitive"]


@dataclass(frozen=True)
class MembraneRun:
    """One simulated run: the voltage trace and what it means."""

    t_ms: np.ndarray
    v_mv: np.ndarray
    spike_times_ms: np.ndarray
    electrolytes: Electrolytes
    stimulus_ua_cm2: float
    stimulus_onset_ms: float
    rest_mv: float
    e_na_mv: float
    e_k_mv: float
    shift_mv: float

    @property
    def duration_ms(self) -> float:
        return float(self.t_ms[-1])

    def spikes_between(self, start_ms: float, end_ms: float) -> np.ndarray:
        s = self.spike_times_ms
        return s[(s >= start_ms) & (s < end_ms)]

    def pattern(self, start_ms: float | None = None) -> Pattern:
        """Firing from start_ms (default: the stimulus onset, or 0 without stimulus) to the end."""
        return firing_pattern(self.spikes_between(self._window_start(start_ms), np.inf),
                              self._window_start(start_ms), self.duration_ms)

    def rate_hz(self, start_ms: float | None = None) -> float:
        """Steady firing rate (Hz) from start_ms to the end; 0 unless firing is repetitive."""
        start = self._window_start(start_ms)
        spikes = self.spikes_between(start, np.inf)
        if firing_pattern(spikes, start, self.duration_ms) != "repetitive":
            return 0.0
        return steady_rate_hz(spikes)

    @property
    def spontaneous(self) -> bool:
        """True when the membrane fires repetitively with no stimulus at all."""
        stimulus_free_end = (self.duration_ms if self.stimulus_ua_cm2 == 0
                             else self.stimulus_onset_ms)
        spikes = self.spikes_between(0.0, stimulus_free_end)
        return firing_pattern(spikes, 0.0, stimulus_free_end) == "repetitive"

    def _window_start(self, start_ms: float | None) -> float:
        if start_ms is not None:
            return start_ms
        return self.stimulus_onset_ms if self.stimulus_ua_cm2 != 0 else 0.0


def firing_pattern(spike_times_ms: np.ndarray, start_ms: float, end_ms: float) -> Pattern:
    """silent: no spike; repetitive: 3 or more spikes and still firing in the last third."""
    if len(spike_times_ms) == 0:
        return "silent"
    last_third = end_ms - (end_ms - start_ms) / 3.0
    if len(spike_times_ms) >= 3 and spike_times_ms[-1] >= last_third:
        return "repetitive"
    return "onset_only"


def steady_rate_hz(spike_times_ms: np.ndarray) -> float:
    """1 / mean interval of the later half of the spikes (after the first, irregular ones)."""
    later = spike_times_ms[len(spike_times_ms) // 2:]
    if len(later) < 2:
        later = spike_times_ms[-2:]
    return 1000.0 / float(np.mean(np.diff(later)))


def simulate(stimulus_ua_cm2: float = 0.0, electrolytes: Electrolytes | None = None,
             duration_ms: float | None = None, stimulus_onset_ms: float | None = None,
             stimulus_end_ms: float | None = None, ca_shift_per_tenfold: float | None = None,
             *, ca_mm: float | None = None, mg_mm: float | None = None, k_mm: float | None = None,
             ) -> MembraneRun:
    """Simulate the membrane from rest (plus a small nudge) with a current step.

    The stimulus (uA/cm2, positive = depolarizing) is on from stimulus_onset_ms until
    stimulus_end_ms (default: the end of the run). The explorer's controls
    (data/scenarios/membrane.yaml) can be given by name instead of `electrolytes`:
    `simulate(stimulus_ua_cm2=2, ca_mm=0.6, mg_mm=0.9, k_mm=4)`.
    """
    p = parameters()
    sim, hh = p.simulation, p.hodgkin_huxley
    if electrolytes is not None and (ca_mm, mg_mm, k_mm) != (None, None, None):
        raise ValueError("Give either the electrolytes or ca_mm/mg_mm/k_mm, not both")
    named = {k: v for k, v in dict(ca_mm=ca_mm, mg_mm=mg_mm, k_mm=k_mm).items() if v is not None}
    el = electrolytes or Electrolytes.normal(**named)
    duration = sim.duration.value if duration_ms is None else duration_ms
    onset = sim.stimulus_onset.value if stimulus_onset_ms is None else stimulus_onset_ms
    end = duration if stimulus_end_ms is None else stimulus_end_ms
    stimulus_ua_cm2 = check_value(Limit("stimulus_ua_cm2", "Stimulus", "uA/cm2", -100, 100),
                                  stimulus_ua_cm2)
    duration = check_value(Limit("duration_ms", "Duration", "ms", 1, 5000), duration)

    e_na, e_k = reversal_potentials_mv(el)
    shift = gating_shift_mv(el.ca_mm, el.mg_mm, ca_shift_per_tenfold)
    rest = resting_potential_mv(el, ca_shift_per_tenfold)
    gates = steady_state_gates(np.array(rest), shift)
    v0 = rest + sim.nudge.value
    _check_table_covers(v0, e_na, e_k, hh.e_leak.value, stimulus_ua_cm2, hh.g_leak.value, shift)

    v = _integrate(v0, float(gates["m"]), float(gates["h"]), float(gates["n"]), e_na, e_k,
                   shift, stimulus_ua_cm2, onset, end, duration, sim.time_step.value)
    dt = sim.time_step.value
    t = dt * np.arange(1, len(v) + 1)
    return MembraneRun(
        t_ms=t, v_mv=v, spike_times_ms=_upward_crossings(t, v, sim.spike_detection.value),
        electrolytes=el, stimulus_ua_cm2=stimulus_ua_cm2, stimulus_onset_ms=onset,
        rest_mv=rest, e_na_mv=e_na, e_k_mv=e_k, shift_mv=shift,
    )


def _check_table_covers(v0, e_na, e_k, e_leak, stimulus, g_leak, shift) -> None:
    # Each exponential-Euler step moves V towards a weighted mean of the reversal potentials
    # plus stimulus/g_total (g_total >= g_leak), so V stays within these bounds.
    low = min(v0, e_na, e_k, e_leak) + min(stimulus, 0.0) / g_leak
    high = max(v0, e_na, e_k, e_leak) + max(stimulus, 0.0) / g_leak
    if low - shift < _TABLE_MIN_MV or high - shift > _TABLE_MAX_MV:
        raise ValueError("These conditions are outside the range the membrane model covers")


def _integrate(v, m, h, n, e_na, e_k, shift, stimulus, onset, end, duration, dt) -> np.ndarray:
    """The time loop: Rush-Larsen gate updates, then an exponential step for V."""
    hh = parameters().hodgkin_huxley
    g_na, g_k, g_l = hh.g_na_max.value, hh.g_k_max.value, hh.g_leak.value
    e_l, c_m = hh.e_leak.value, hh.capacitance.value
    tables = _gate_tables(dt)
    m_a, m_b = tables["m"]
    h_a, h_b = tables["h"]
    n_a, n_b = tables["n"]
    offset = _TABLE_MIN_MV + shift  # index of V on the grid of (V - shift)
    per_mv = 1.0 / _TABLE_STEP_MV
    exp = math.exp
    n_steps = int(round(duration / dt))
    on_step, off_step = int(round(onset / dt)), int(round(end / dt))
    trace = [0.0] * n_steps
    for step in range(n_steps):
        i = int((v - offset) * per_mv + 0.5)
        m = m_a[i] + m_b[i] * m
        h = h_a[i] + h_b[i] * h
        n = n_a[i] + n_b[i] * n
        current = stimulus if on_step <= step < off_step else 0.0
        gna = g_na * m * m * m * h
        gk = g_k * n * n * n * n
        g_total = gna + gk + g_l
        v_inf = (gna * e_na + gk * e_k + g_l * e_l + current) / g_total
        v = v_inf + (v - v_inf) * exp(-dt * g_total / c_m)
        trace[step] = v
    return np.array(trace)


def _upward_crossings(t: np.ndarray, v: np.ndarray, level: float) -> np.ndarray:
    idx = np.nonzero((v[:-1] < level) & (v[1:] >= level))[0]
    # interpolate the crossing time between the two samples
    frac = (level - v[idx]) / (v[idx + 1] - v[idx])
    return t[idx] + frac * (t[idx + 1] - t[idx])


# --- questions a notebook asks ----------------------------------------------------------------

# Threshold test: a 50 ms current step from 10 ms; at least one spike counts as "fires".
_THRESHOLD_ONSET_MS, _THRESHOLD_RUN_MS = 10.0, 60.0
_SPONTANEOUS_RUN_MS = 300.0
# The surface-charge rule is used from 0.2 mM up: far below that every gate is shifted so far
# that the squid-axon gating leaves the range it was measured in (the model falls silent again).
CA_MODEL_MIN_MM = 0.2
MAX_TEST_CURRENT_UA_CM2 = 30.0


def fires_spontaneously(electrolytes: Electrolytes, ca_shift_per_tenfold: float | None = None
                        ) -> bool:
    """Does the membrane, nudged 1 mV from rest, keep firing with no stimulus?"""
    run = simulate(0.0, electrolytes, duration_ms=_SPONTANEOUS_RUN_MS,
                   ca_shift_per_tenfold=ca_shift_per_tenfold)
    return run.spontaneous


def _fires_with_step(current: float, electrolytes: Electrolytes, slope: float | None) -> bool:
    run = simulate(current, electrolytes, duration_ms=_THRESHOLD_RUN_MS,
                   stimulus_onset_ms=_THRESHOLD_ONSET_MS, ca_shift_per_tenfold=slope)
    return len(run.spikes_between(_THRESHOLD_ONSET_MS, np.inf)) > 0


@lru_cache(maxsize=512)
def threshold_current_ua_cm2(electrolytes: Electrolytes, ca_shift_per_tenfold: float | None = None,
                             tolerance: float = 0.01) -> float:
    """Smallest steady current step (uA/cm2) that triggers an action potential.

    0 when the membrane fires by itself; inf when no step up to 30 uA/cm2 triggers a spike.
    """
    if fires_spontaneously(electrolytes, ca_shift_per_tenfold):
        return 0.0
    low, high = 0.0, MAX_TEST_CURRENT_UA_CM2
    if not _fires_with_step(high, electrolytes, ca_shift_per_tenfold):
        return math.inf
    while high - low > tolerance:
        middle = 0.5 * (low + high)
        if _fires_with_step(middle, electrolytes, ca_shift_per_tenfold):
            high = middle
        else:
            low = middle
    return high


@lru_cache(maxsize=64)
def spontaneous_firing_calcium_mm(mg_mm: float | None = None, k_mm: float | None = None,
                                  ca_shift_per_tenfold: float | None = None,
                                  tolerance_mm: float = 0.005) -> float:
    """The ionized Ca2+ (mM) below which the model fires by itself (tetany in the model).

    Found by bisection between CA_MODEL_MIN_MM and normal; assumes one such level.
    """
    normal = Electrolytes.normal()
    base = dict(mg_mm=normal.mg_mm if mg_mm is None else mg_mm,
                k_mm=normal.k_mm if k_mm is None else k_mm)
    low, high = CA_MODEL_MIN_MM, normal.ca_mm
    if fires_spontaneously(Electrolytes.normal(ca_mm=high, **base), ca_shift_per_tenfold):
        raise ValueError("The membrane already fires by itself at normal calcium")
    if not fires_spontaneously(Electrolytes.normal(ca_mm=low, **base), ca_shift_per_tenfold):
        raise ValueError(f"The membrane does not fire by itself even at {low} mM calcium")
    while high - low > tolerance_mm:
        middle = 0.5 * (low + high)
        if fires_spontaneously(Electrolytes.normal(ca_mm=middle, **base), ca_shift_per_tenfold):
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def threshold_curve(ca_values_mm: np.ndarray, mg_mm: float | None = None,
                    k_mm: float | None = None, ca_shift_per_tenfold: float | None = None
                    ) -> np.ndarray:
    """Threshold current (uA/cm2) at each Ca2+ value; 0 where the membrane fires by itself."""
    normal = Electrolytes.normal()
    mg = normal.mg_mm if mg_mm is None else mg_mm
    k = normal.k_mm if k_mm is None else k_mm
    return np.array([
        threshold_current_ua_cm2(Electrolytes.normal(ca_mm=float(ca), mg_mm=mg, k_mm=k),
                                 ca_shift_per_tenfold)
        for ca in ca_values_mm
    ])


# --- what the explorer says about a run --------------------------------------------------------

def instantaneous_rate_hz(run: MembraneRun) -> tuple[np.ndarray, np.ndarray]:
    """(time of each spike after the first, ms; 1 / the interval before it, Hz)."""
    spikes = run.spike_times_ms
    if len(spikes) < 2:
        return np.array([]), np.array([])
    return spikes[1:], 1000.0 / np.diff(spikes)


def _spikes(n: int) -> str:
    return "1 action potential" if n == 1 else f"{n} action potentials"


def summarise(run: MembraneRun) -> str:
    """One sentence on what the membrane does, with the gating shift and the rest."""
    stimulus = run.stimulus_ua_cm2
    shift = 0.0 if abs(run.shift_mv) < 0.05 else run.shift_mv
    conditions = f"gating shift {shift:+.1f} mV, E_K {run.e_k_mv:.1f} mV"
    context = f"{conditions}, rest {run.rest_mv:.1f} mV"
    if stimulus == 0:
        if run.spontaneous:
            return (f"Fires spontaneously at {run.rate_hz():.0f} Hz with no stimulus: "
                    f"the model's tetany ({context}).")
        if len(run.spike_times_ms):
            return f"Fires {_spikes(len(run.spike_times_ms))}, then settles ({context})."
        return f"Rests at {run.rest_mv:.1f} mV: no action potentials ({conditions})."
    during = run.spikes_between(run.stimulus_onset_ms, np.inf)
    before = "Already fires by itself before the stimulus; " if run.spontaneous else ""
    pattern = run.pattern()
    if pattern == "repetitive":
        text = (f"fires repetitively at {run.rate_hz():.0f} Hz during the {stimulus:g} uA/cm2 "
                "stimulus")
    elif pattern == "onset_only":
        text = (f"fires {_spikes(len(during))} at the start of the {stimulus:g} uA/cm2 stimulus, "
                f"then settles")
    else:
        peak = float(run.v_mv[run.t_ms >= run.stimulus_onset_ms].max())
        text = (f"no action potential: the {stimulus:g} uA/cm2 stimulus only raises the voltage "
                f"to {peak:.0f} mV")
    sentence = before + text if before else text[0].upper() + text[1:]
    return f"{sentence} ({context})."


def summarise_threshold(ca_mm: np.ndarray, thresholds: np.ndarray, tetany_level_mm: float,
                        tetany_range_mm: tuple[float, float]) -> str:
    """The threshold curve (on a grid holding 0.6, 1.2 and 3.0 mM) in one sentence."""
    at = dict(zip(np.round(ca_mm, 2).tolist(), np.asarray(thresholds).tolist()))
    low, high = tetany_range_mm
    return (f"Threshold {at[1.2]:.1f} uA/cm2 at 1.2 mM Ca2+, {at[0.6]:.1f} at 0.6 mM and "
            f"{at[3.0]:.1f} at 3.0 mM; below about {tetany_level_mm:.2f} mM "
            f"({low:.2f}-{high:.2f} mM across the uncertain size of the gating shift) "
            f"the model fires by itself.")
