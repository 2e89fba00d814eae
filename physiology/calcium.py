"""Calcium handling in one fast-twitch muscle fibre: release, buffering, reuptake and force.

A teaching model of excitation-contraction coupling (facts CA-01..CA-12):

    action potential -> RyR1 opens -> Ca2+ leaves the SR -> binds troponin -> cross-bridges pull
    SERCA pumps Ca2+ back into the SR, 2 Ca2+ per ATP -> troponin lets go -> the fibre relaxes

    result = simulate(frequency_hz=50, duration_s=0.5)    # a 50 Hz tetanus of 0.5 s
    result.peak_force_pct                                  # about 98 (% of maximum)
    result.relaxation_half_time_ms()                       # about 65 (ms)
    summarise(result)   # 'Peak force 98% of maximum; relaxation half-time 65 ms, same as rested.'

What is in it (all parameters, with units and sources, are in data/calcium_parameters.yaml):
- free cytosolic Ca2+, with two buffers that bind in well under a millisecond treated as always in
  equilibrium: ATP (weak, proportional to free Ca2+) and the regulatory sites of troponin C;
- parvalbumin, a slow buffer: Mg2+ has to leave it before Ca2+ can bind;
- the SR store, whose free Ca2+ is a fixed fraction of its content (calsequestrin binds the rest);
- release through RyR1: a pulse of about 2 ms after each action potential, proportional to the
  Ca2+ gradient; it partly switches itself off (so the flux lasts about 1.6 ms at half height)
  and recovers at about 7 per second (CA-06);
- a small steady leak from the SR, set so that the leak and SERCA balance at rest;
- SERCA, saturating, scaled by the SERCA-capacity and ATP-availability controls;
- force: activation is a steep Hill function of troponin occupancy; attached cross-bridges follow
  activation with a lag, and detaching them needs ATP.

Calcium only moves between the cytosol (free + ATP + troponin), parvalbumin and the SR: nothing
crosses the cell membrane, so the total is conserved exactly (the tests check this).

Time is in ms and concentrations in uM inside the model; the controls use the units of the
explorer (Hz, s, % of normal). A Dormand-Prince solver (physiology/ode.py, the method of scipy's
RK45) integrates one stretch between two action potentials at a time, so no release pulse can fall between two solver steps; results are then
interpolated onto a regular 0.25 ms grid. Re-simulating the 2 s window takes tens of ms
(tests/models/benchmark_calcium.py measures it).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from pydantic import model_validator

from physiology import data, ode
from physiology.controls import Limit, check_controls
from physiology.data import Quantity, Strict

DATA_FILE = "calcium_parameters.yaml"


# --- schema of data/calcium_parameters.yaml ------------------------------------------------

class Cytosol(Strict):
    resting_free_ca: Quantity
    atp_bound_per_free_ca: Quantity
    troponin_sites: Quantity
    troponin_kd: Quantity


class Parvalbumin(Strict):
    total_sites: Quantity
    ca_on_rate: Quantity
    ca_off_rate: Quantity
    mg_on_rate: Quantity
    mg_off_rate: Quantity
    free_mg: Quantity


class SarcoplasmicReticulum(Strict):
    free_ca_at_rest: Quantity
    content_at_rest: Quantity


class Release(Strict):
    opening_fdhm: Quantity
    permeability: Quantity
    inactivation_rate: Quantity
    recovery_rate: Quantity


class Serca(Strict):
    max_rate: Quantity
    half_saturation: Quantity
    hill: Quantity
    ca_per_atp: Quantity


class Energy(Strict):
    atp_half_effect: Quantity


class Force(Strict):
    ca_half_activation: Quantity
    hill_on_occupancy: Quantity
    crossbridge_rate: Quantity


class SimulationSettings(Strict):
    window: Quantity
    stimulus_onset: Quantity
    output_step: Quantity
    max_frequency: Quantity
    active_window: Quantity
    contracture_silence: Quantity
    relative_tolerance: Quantity


# The unit each parameter must be written in: the model reads the numbers as they are, so a
# parameter given in other units is an error at load time, never a silent factor of 1000.
EXPECTED_UNITS: dict[str, dict[str, str]] = {
    "cytosol": {"resting_free_ca": "uM", "atp_bound_per_free_ca": "uM/uM",
                "troponin_sites": "uM", "troponin_kd": "uM"},
    "parvalbumin": {"total_sites": "uM", "ca_on_rate": "1/(uM*ms)", "ca_off_rate": "1/ms",
                    "mg_on_rate": "1/(uM*ms)", "mg_off_rate": "1/ms", "free_mg": "uM"},
    "sarcoplasmic_reticulum": {"free_ca_at_rest": "uM", "content_at_rest": "uM"},
    "release": {"opening_fdhm": "ms", "permeability": "1/ms", "inactivation_rate": "1/ms",
                "recovery_rate": "1/s"},
    "serca": {"max_rate": "uM/ms", "half_saturation": "uM", "hill": "dimensionless",
              "ca_per_atp": "Ca2+ per ATP"},
    "energy": {"atp_half_effect": "fraction of normal"},
    "force": {"ca_half_activation": "uM", "hill_on_occupancy": "dimensionless",
              "crossbridge_rate": "1/ms"},
    "simulation": {"window": "ms", "stimulus_onset": "ms", "output_step": "ms",
                   "max_frequency": "Hz", "active_window": "ms", "contracture_silence": "ms",
                   "relative_tolerance": "dimensionless"},
}


class CalciumParametersFile(Strict):
    title: str
    cytosol: Cytosol
    parvalbumin: Parvalbumin
    sarcoplasmic_reticulum: SarcoplasmicReticulum
    release: Release
    serca: Serca
    energy: Energy
    force: Force
    simulation: SimulationSettings

    @model_validator(mode="after")
    def _units_and_signs(self) -> "CalciumParametersFile":
        for group, units in EXPECTED_UNITS.items():
            for name, unit in units.items():
                q: Quantity = getattr(getattr(self, group), name)
                if q.unit != unit:
                    raise ValueError(f"{group}.{name} must be in {unit} (got {q.unit})")
                if not q.value > 0:
                    raise ValueError(f"{group}.{name} must be above 0 (got {q.value})")
        if self.sarcoplasmic_reticulum.content_at_rest.value < \
                self.sarcoplasmic_reticulum.free_ca_at_rest.value:
            raise ValueError("the SR content cannot be smaller than its free Ca2+")
        return self


data.register(DATA_FILE, CalciumParametersFile)


def parameter_file() -> CalciumParametersFile:
    """data/calcium_parameters.yaml, validated (cached by the loader)."""
    return data.load(DATA_FILE, CalciumParametersFile)


def cited_refs() -> list[str]:
    """Every reference id the parameter file cites, in order of first use."""
    spec = parameter_file()
    ids: list[str] = []
    for group in EXPECTED_UNITS:
        for q in dict(getattr(spec, group)).values():
            ids += [r for r in q.refs if r not in ids]
    return ids


@dataclass(frozen=True)
class FibreParameters:
    """The parameter file as plain numbers in model units (uM, ms), plus derived constants."""

    resting_ca: float
    atp_ratio: float
    troponin_sites: float
    troponin_kd: float
    pv_total: float
    pv_ca_on: float
    pv_ca_off: float
    pv_mg_on: float
    pv_mg_off: float
    free_mg: float
    sr_free_at_rest: float
    sr_content_at_rest: float
    release_tau: float          # ms; the pulse x*exp(1-x), x = t/tau, has FDHM = 2.446 tau
    release_permeability: float
    inactivation_rate: float
    recovery_rate: float        # 1/ms
    serca_max: float
    serca_km: float
    serca_hill: float
    ca_per_atp: float
    atp_half_effect: float
    occupancy_half: float       # troponin occupancy giving half activation
    activation_hill: float
    crossbridge_rate: float
    leak_rate: float            # 1/ms, set so that leak = SERCA at rest
    window: float
    onset: float
    output_step: float
    max_frequency_hz: float
    active_window: float
    contracture_silence: float
    rtol: float

    @property
    def sr_free_per_content(self) -> float:
        return self.sr_free_at_rest / self.sr_content_at_rest


# Width of the pulse x * exp(1 - x) at half its maximum, in units of its time constant.
_PULSE_FDHM_PER_TAU = 2.4464


@lru_cache(maxsize=1)
def parameters() -> FibreParameters:
    f = parameter_file()
    cyt, pv, sr, rel, pump, force, sim = (f.cytosol, f.parvalbumin, f.sarcoplasmic_reticulum,
                                          f.release, f.serca, f.force, f.simulation)
    rest = cyt.resting_free_ca.value
    ca50 = force.ca_half_activation.value
    kd = cyt.troponin_kd.value
    pump_at_rest = _hill(rest, pump.max_rate.value, pump.half_saturation.value, pump.hill.value)
    return FibreParameters(
        resting_ca=rest,
        atp_ratio=cyt.atp_bound_per_free_ca.value,
        troponin_sites=cyt.troponin_sites.value,
        troponin_kd=kd,
        pv_total=pv.total_sites.value,
        pv_ca_on=pv.ca_on_rate.value,
        pv_ca_off=pv.ca_off_rate.value,
        pv_mg_on=pv.mg_on_rate.value,
        pv_mg_off=pv.mg_off_rate.value,
        free_mg=pv.free_mg.value,
        sr_free_at_rest=sr.free_ca_at_rest.value,
        sr_content_at_rest=sr.content_at_rest.value,
        release_tau=rel.opening_fdhm.value / _PULSE_FDHM_PER_TAU,
        release_permeability=rel.permeability.value,
        inactivation_rate=rel.inactivation_rate.value,
        recovery_rate=rel.recovery_rate.value / 1000.0,
        serca_max=pump.max_rate.value,
        serca_km=pump.half_saturation.value,
        serca_hill=pump.hill.value,
        ca_per_atp=pump.ca_per_atp.value,
        atp_half_effect=f.energy.atp_half_effect.value,
        occupancy_half=ca50 / (ca50 + kd),
        activation_hill=force.hill_on_occupancy.value,
        crossbridge_rate=force.crossbridge_rate.value,
        leak_rate=pump_at_rest / (sr.free_ca_at_rest.value - rest),
        window=sim.window.value,
        onset=sim.stimulus_onset.value,
        output_step=sim.output_step.value,
        max_frequency_hz=sim.max_frequency.value,
        active_window=sim.active_window.value,
        contracture_silence=sim.contracture_silence.value,
        rtol=sim.relative_tolerance.value,
    )


def _hill(x, vmax, half, n):
    """vmax * x^n / (x^n + half^n): works on numbers and numpy arrays."""
    xn = x ** n
    return vmax * xn / (xn + half ** n)


# --- the controls ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Conditions:
    """The five explorer controls, in their own units. Bad values raise a ValueError for learners."""

    frequency_hz: float = 0.0
    duration_s: float = 0.0
    serca_pct: float = 100.0
    atp_pct: float = 100.0
    release_pct: float = 100.0

    def __post_init__(self) -> None:
        p = parameters()
        limits = (
            Limit("frequency_hz", "Stimulation frequency", "Hz", 0.0, p.max_frequency_hz),
            Limit("duration_s", "Stimulation duration", "s", 0.0, (p.window - p.onset) / 1000.0),
            Limit("serca_pct", "SERCA capacity", "% of normal", 0.0, 200.0),
            Limit("atp_pct", "ATP availability", "% of normal", 0.0, 100.0),
            Limit("release_pct", "Release strength", "% of normal", 0.0, 200.0),
        )
        check_controls({limit.name: getattr(self, limit.name) for limit in limits}, limits)

    def action_potential_times_ms(self) -> np.ndarray:
        """One action potential every 1/f, from the stimulus onset for `duration_s`."""
        p = parameters()
        if self.frequency_hz == 0 or self.duration_s == 0:
            return np.array([])
        interval = 1000.0 / self.frequency_hz
        count = max(1, math.ceil(self.duration_s * 1000.0 / interval - 1e-9))
        return p.onset + interval * np.arange(count)

    def rested(self) -> "Conditions":
        """The same stimulation delivered to a rested fibre (normal SERCA, ATP and release)."""
        return Conditions(self.frequency_hz, self.duration_s)


def atp_supply_factor(atp_pct: float, p: FibreParameters | None = None) -> float:
    """Rate of the ATP-using steps as a fraction of normal: a(1+K)/(a+K), 1 at a = 100 %."""
    p = p or parameters()
    a = atp_pct / 100.0
    return a * (1.0 + p.atp_half_effect) / (a + p.atp_half_effect)


# --- the equations ---------------------------------------------------------------------------

# State vector, in this order (uM of cytosol unless said otherwise):
#   fast_pool  Ca2+ in the cytosol that is free or bound to ATP or troponin
#   ca_pv      Ca2+ bound to parvalbumin
#   mg_pv      Mg2+ bound to parvalbumin
#   sr         Ca2+ stored in the SR, counted per volume of cytosol
#   ready      fraction of release channels not inactivated (0-1)
#   attached   cross-bridges attached, as a fraction of all (0-1) = force / maximal force
#   released   running total of Ca2+ released through RyR1 (bookkeeping only)
#   pumped     running total of Ca2+ pumped by SERCA (bookkeeping only)
STATE = ("fast_pool", "ca_pv", "mg_pv", "sr", "ready", "attached", "released", "pumped")
FAST_POOL, CA_PV, MG_PV, SR, READY, ATTACHED, RELEASED, PUMPED = range(len(STATE))


@dataclass(frozen=True)
class _Drive:
    """Control settings as model factors (1 = normal)."""

    serca: float
    atp: float
    release: float


def free_ca(fast_pool, p: FibreParameters):
    """Free Ca2+ (uM) from the fast pool = free * (1 + ATP ratio) + troponin-bound.

    Solves a c^2 + b c - pool Kd = 0 for c (works on numbers and numpy arrays).
    """
    a = 1.0 + p.atp_ratio
    b = a * p.troponin_kd + p.troponin_sites - fast_pool
    root = (b * b + 4.0 * a * fast_pool * p.troponin_kd) ** 0.5
    return 2.0 * fast_pool * p.troponin_kd / (b + root)


def troponin_occupancy(ca, p: FibreParameters):
    """Fraction of troponin regulatory sites holding Ca2+ (rapid equilibrium, CA-02)."""
    return ca / (ca + p.troponin_kd)


def activation(occupancy, p: FibreParameters):
    """Thin-filament activation (0-1): steep Hill function of troponin occupancy (CA-10)."""
    return _hill(occupancy, 1.0, p.occupancy_half, p.activation_hill)


def steady_force_fraction(ca_um, p: FibreParameters | None = None):
    """Force (fraction of maximum) once it has settled at a constant free Ca2+ (normal ATP)."""
    p = p or parameters()
    return activation(troponin_occupancy(np.asarray(ca_um, dtype=float), p), p)


def release_pulse(time_since_ap_ms, p: FibreParameters):
    """Shape of RyR1 opening after an action potential: x exp(1 - x), x = t / tau: 0 -> 1 -> 0."""
    x = time_since_ap_ms / p.release_tau
    # math.exp is much faster for the single numbers the solver passes; np.exp for arrays
    return x * (math.exp(1.0 - x) if isinstance(x, float) else np.exp(1.0 - x))


class Fluxes(NamedTuple):
    """Rates of every process at one moment (uM/ms; 1/ms for `ready` and `attached`)."""

    release: float       # SR -> cytosol through RyR1
    leak: float          # SR -> cytosol, always
    pump: float          # cytosol -> SR by SERCA
    pv_ca: float         # net Ca2+ binding to parvalbumin
    pv_mg: float         # net Mg2+ binding to parvalbumin
    ready_change: float
    force_change: float


def fluxes(time_since_ap_ms, state, drive: _Drive, p: FibreParameters) -> Fluxes:
    """Every rate of the model at one moment (numbers) or at many (numpy arrays)."""
    fast_pool, ca_pv, mg_pv, sr, ready, attached = state[:6]
    ca = free_ca(fast_pool, p)
    gradient = sr * p.sr_free_per_content - ca

    # Release: the action potential opens RyR1 via the t-tubule voltage sensor (CA-01);
    # Ca2+ flows down its gradient, and part of the channels inactivate as they open (CA-06).
    pulse = release_pulse(time_since_ap_ms, p)
    release = p.release_permeability * drive.release * ready * pulse * gradient
    ready_change = p.recovery_rate * (1.0 - ready) - p.inactivation_rate * pulse * ready

    # SERCA pumps Ca2+ back, 2 per ATP (CA-03); a small leak balances it at rest.
    pump = drive.serca * drive.atp * _hill(ca, p.serca_max, p.serca_km, p.serca_hill)
    leak = p.leak_rate * gradient

    # Parvalbumin: Ca2+ can bind only to sites Mg2+ has left.
    pv_free = p.pv_total - ca_pv - mg_pv
    pv_ca = p.pv_ca_on * ca * pv_free - p.pv_ca_off * ca_pv
    pv_mg = p.pv_mg_on * p.free_mg * pv_free - p.pv_mg_off * mg_pv

    # Cross-bridges attach when troponin lets them and detach (which needs ATP) when it does not.
    a = activation(troponin_occupancy(ca, p), p)
    force_change = p.crossbridge_rate * (a * (1.0 - attached) - drive.atp * (1.0 - a) * attached)
    return Fluxes(release, leak, pump, pv_ca, pv_mg, ready_change, force_change)


def state_rates(f: Fluxes) -> tuple:
    """d(state)/dt, in the order of STATE, from the fluxes."""
    into_cytosol = f.release + f.leak - f.pump
    # Every Ca2+ that leaves one compartment enters another: the fast pool, parvalbumin and SR
    # rates add up to zero, so total calcium is conserved.
    return (into_cytosol - f.pv_ca, f.pv_ca, f.pv_mg, -into_cytosol, f.ready_change,
            f.force_change, f.release, f.pump)


def _derivatives(t, state, last_ap_ms, drive, p):
    # plain Python numbers: far quicker than numpy scalars for these few operations
    return state_rates(fluxes(float(t - last_ap_ms), state.tolist(), drive, p))


def resting_state(p: FibreParameters | None = None) -> np.ndarray:
    """The rested fibre in equilibrium at resting Ca2+ (every rate above is zero)."""
    p = p or parameters()
    ca = p.resting_ca
    fast_pool = ca * (1.0 + p.atp_ratio) + p.troponin_sites * troponin_occupancy(ca, p)
    ca_term = ca * p.pv_ca_on / p.pv_ca_off           # Ca-bound / free parvalbumin
    mg_term = p.free_mg * p.pv_mg_on / p.pv_mg_off    # Mg-bound / free parvalbumin
    pv_free = p.pv_total / (1.0 + ca_term + mg_term)
    return np.array([fast_pool, pv_free * ca_term, pv_free * mg_term, p.sr_content_at_rest,
                     1.0, activation(troponin_occupancy(ca, p), p), 0.0, 0.0])


# Absolute error tolerances per state (uM for Ca2+, fractions for ready and attached).
_ATOL = (1e-3, 1e-2, 1e-2, 1e-2, 1e-5, 1e-5, 1e-2, 1e-2)
_NO_ACTION_POTENTIAL = -1e9   # 'last AP' long ago: the release pulse is exactly 0


# --- running it ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FibreResult:
    """One simulated run: time courses on a regular time grid, and the measures to quote."""

    conditions: Conditions
    t_ms: np.ndarray
    states: np.ndarray = field(repr=False)        # shape (8, len(t_ms)), rows as STATE
    ap_times_ms: np.ndarray
    params: FibreParameters = field(repr=False)

    # --- time courses
    @property
    def t_s(self) -> np.ndarray:
        return self.t_ms / 1000.0

    @property
    def cytosolic_ca_um(self) -> np.ndarray:
        return free_ca(self.states[FAST_POOL], self.params)

    @property
    def sr_free_ca_um(self) -> np.ndarray:
        """Free Ca2+ inside the SR lumen (uM of SR volume, CA-08)."""
        return self.states[SR] * self.params.sr_free_per_content

    @property
    def troponin_occupancy(self) -> np.ndarray:
        return troponin_occupancy(self.cytosolic_ca_um, self.params)

    @property
    def force_pct(self) -> np.ndarray:
        """Force as % of the maximal (fully activated) force of a rested fibre."""
        return 100.0 * self.states[ATTACHED]

    @property
    def total_ca_um(self) -> np.ndarray:
        """Free + ATP-, troponin- and parvalbumin-bound + SR calcium, per cytosol volume."""
        return self.states[FAST_POOL] + self.states[CA_PV] + self.states[SR]

    @property
    def release_rate_um_per_ms(self) -> np.ndarray:
        since = self.t_ms - self._last_ap_before(self.t_ms)
        return fluxes(since, self.states, self._drive(), self.params).release

    # --- numbers
    @property
    def peak_force_pct(self) -> float:
        return float(self.force_pct.max())

    @property
    def peak_ca_um(self) -> float:
        return float(self.cytosolic_ca_um.max())

    @property
    def resting_ca_nm(self) -> float:
        """Free Ca2+ at the start of the run, before any action potential (nM)."""
        return float(1000.0 * self.cytosolic_ca_um[0])

    @property
    def final_force_pct(self) -> float:
        return float(self.force_pct[-1])

    @property
    def final_ca_um(self) -> float:
        return float(self.cytosolic_ca_um[-1])

    @property
    def ca_pumped_um(self) -> float:
        return float(self.states[PUMPED, -1])

    @property
    def atp_used_by_serca_um(self) -> float:
        """ATP the pumps used over the run: Ca2+ pumped / 2 (CA-03), uM of cytosol."""
        return self.ca_pumped_um / self.params.ca_per_atp

    def release_per_action_potential_um(self) -> np.ndarray:
        """Ca2+ released by each action potential (uM of cytosol), counted up to the next one."""
        edges = np.append(self.ap_times_ms, self.t_ms[-1])
        return np.diff(np.interp(edges, self.t_ms, self.states[RELEASED]))

    @property
    def last_ap_ms(self) -> float | None:
        return float(self.ap_times_ms[-1]) if len(self.ap_times_ms) else None

    def action_potentials_between(self, start_ms: float, end_ms: float) -> int:
        return int(np.count_nonzero((self.ap_times_ms >= start_ms) & (self.ap_times_ms <= end_ms)))

    @property
    def electrically_active_at_end(self) -> bool:
        """Did action potentials still reach the fibre in the last stretch (what EMG would see)?"""
        end = float(self.t_ms[-1])
        return self.action_potentials_between(end - self.params.active_window, end) > 0

    @property
    def silent_for_ms(self) -> float:
        """Time from the last action potential to the end of the run (the whole run if none)."""
        end = float(self.t_ms[-1])
        return end - (self.last_ap_ms if self.last_ap_ms is not None else float(self.t_ms[0]))

    def time_to_relax_ms(self, fraction: float) -> float | None:
        """Time from the last action potential until force falls below `fraction` of the force
        the fibre held when stimulation stopped (its highest value from the last AP on).

        None if there was nothing to relax (force below 1 % of maximum), or force had not fallen
        that far by the end of the run.
        """
        if self.last_ap_ms is None:
            return None
        force = self.force_pct
        after = np.flatnonzero(self.t_ms >= self.last_ap_ms)
        top = after[np.argmax(force[after])]          # force still rises briefly after the last AP
        if force[top] < 1.0:
            return None
        level = fraction * force[top]
        below = np.flatnonzero(force[top:] < level)
        if len(below) == 0:
            return None
        i = top + below[0]
        # straight line between the time points either side of the crossing
        t0, t1, f0, f1 = self.t_ms[i - 1], self.t_ms[i], force[i - 1], force[i]
        return float(t0 + (f0 - level) / (f0 - f1) * (t1 - t0) - self.last_ap_ms)

    def relaxation_half_time_ms(self) -> float | None:
        return self.time_to_relax_ms(0.5)

    def _last_ap_before(self, t_ms: np.ndarray) -> np.ndarray:
        return _last_ap_before(t_ms, self.ap_times_ms)

    def _drive(self) -> _Drive:
        return _drive(self.conditions, self.params)


def _last_ap_before(t_ms: np.ndarray, ap_times_ms: np.ndarray) -> np.ndarray:
    """For each time, the latest action potential at or before it (long ago if none)."""
    if not len(ap_times_ms):
        return np.full_like(t_ms, _NO_ACTION_POTENTIAL)
    index = np.searchsorted(ap_times_ms, t_ms, side="right") - 1
    return np.where(index >= 0, ap_times_ms[np.maximum(index, 0)], _NO_ACTION_POTENTIAL)


def _drive(conditions: Conditions, p: FibreParameters) -> _Drive:
    return _Drive(serca=conditions.serca_pct / 100.0,
                  atp=atp_supply_factor(conditions.atp_pct, p),
                  release=conditions.release_pct / 100.0)


def simulate(frequency_hz: float = 0.0, duration_s: float = 0.0, serca_pct: float = 100.0,
             atp_pct: float = 100.0, release_pct: float = 100.0) -> FibreResult:
    """Stimulate a rested fibre with a train of action potentials and follow it for 2 s.

    The train starts at 0.1 s; `duration_s` = 0 or `frequency_hz` = 0 means no stimulation.
    SERCA capacity, ATP availability and release strength are % of a rested fibre's.
    """
    return run(Conditions(frequency_hz, duration_s, serca_pct, atp_pct, release_pct))


def run(conditions: Conditions) -> FibreResult:
    """Simulate one run; `simulate()` is the same with the controls as keywords."""
    p = parameters()
    drive = _drive(conditions, p)
    aps = conditions.action_potential_times_ms()
    state = resting_state(p)
    times, states = [np.array([0.0])], [state[:, None]]

    def solve(start, end, last_ap):
        nonlocal state
        t, y = ode.solve(lambda t, y: state_rates(fluxes(t - last_ap, y, drive, p)),
                         start, end, state, rtol=p.rtol, atol=_ATOL,
                         # a release pulse starts here: begin with a small step, it grows
                         first_step=0.1 if start == last_ap else None)
        times.append(np.array(t[1:]))         # its first point is the previous stretch's last
        states.append(np.array(y[1:]).T)
        state = y[-1]

    # One stretch per 'last action potential': the rest before the train, then from each AP to
    # the next (the last one to the end of the window). A release pulse always starts a solver
    # call, so it can never fall between two solver steps.
    for start, end, last_ap in zip([0.0, *aps], [*aps, p.window], [_NO_ACTION_POTENTIAL, *aps]):
        if end > start:
            solve(start, end, last_ap)
    grid, on_grid = _onto_grid(np.concatenate(times), np.concatenate(states, axis=1), aps, drive, p)
    return FibreResult(conditions, grid, on_grid, aps, p)


def _onto_grid(t_ms, states, aps, drive, p):
    """The solver's points (dense in a release pulse, sparse elsewhere) onto a regular grid.

    Cubic Hermite interpolation with the model's own rates at each point: as accurate as the
    solver's own interpolant, and much cheaper than asking the solver for every grid point.
    """
    rates = np.array(state_rates(fluxes(t_ms - _last_ap_before(t_ms, aps), states, drive, p)))
    grid = time_grid_ms()
    return grid, hermite_interpolate(t_ms, states, rates, grid)


def hermite_interpolate(t, values, slopes, at):
    """Cubic Hermite interpolation: between two known points, the cubic that matches both values
    and both slopes. values and slopes have shape (n_states, len(t)); returns (n_states, len(at))."""
    i = np.clip(np.searchsorted(t, at, side="right") - 1, 0, len(t) - 2)
    h = t[i + 1] - t[i]
    s = (at - t[i]) / h                      # 0 at the left point, 1 at the right one
    h00 = (1 + 2 * s) * (1 - s) ** 2          # the four Hermite basis functions
    h10 = s * (1 - s) ** 2
    h01 = s * s * (3 - 2 * s)
    h11 = s * s * (s - 1)
    return (h00 * values[:, i] + h10 * h * slopes[:, i]
            + h01 * values[:, i + 1] + h11 * h * slopes[:, i + 1])


def time_grid_ms() -> np.ndarray:
    """The times every result is given at: 0 to 2000 ms in steps of 0.25 ms."""
    p = parameters()
    return np.arange(0.0, p.window + p.output_step / 2, p.output_step)


# --- what the notebook quotes ----------------------------------------------------------------

@lru_cache(maxsize=64)
def rested_reference(conditions: Conditions) -> FibreResult:
    """The same stimulation in a rested fibre (cached: the explorer asks for it often)."""
    return run(conditions.rested())


def rested_counterpart(result: FibreResult) -> FibreResult:
    """The same stimulation in a rested fibre: the run itself if its fibre was rested already
    (no second run of the same conditions)."""
    if result.conditions == result.conditions.rested():
        return result
    return rested_reference(result.conditions)


def relaxation_ratio(result: FibreResult) -> float | None:
    """Relaxation half-time divided by a rested fibre's after the same stimulation."""
    half = result.relaxation_half_time_ms()
    rested = rested_counterpart(result)
    rested_half = rested.relaxation_half_time_ms()
    if half is None or rested_half is None:
        return None
    return half / rested_half


def summarise(result: FibreResult) -> str:
    """One line on what the run shows, e.g.
    'Peak force 98% of maximum; relaxation half-time 84 ms, 1.3x slower than rested.'
    """
    p = result.params
    if len(result.ap_times_ms) == 0:
        return (f"No action potentials: free Ca2+ stays at {result.resting_ca_nm:.0f} nM and "
                f"force at {result.final_force_pct:.0f}% of maximum (a resting fibre).")
    if result.peak_force_pct < 1.0:
        return (f"{len(result.ap_times_ms)} action potential(s) but force stays below 1% of "
                "maximum: without Ca2+ release from the SR there is no contraction.")
    peak = f"Peak force {result.peak_force_pct:.0f}% of maximum"
    if result.electrically_active_at_end:
        return (f"{peak}; action potentials still arriving at {result.t_s[-1]:.1f} s hold force "
                f"at {result.final_force_pct:.0f}%: electrically active, cramp-like.")
    half = result.relaxation_half_time_ms()
    silent_s = result.silent_for_ms / 1000.0
    if half is None and result.silent_for_ms >= p.contracture_silence:
        return (f"{peak}; electrically silent for the last {silent_s:.1f} s, yet force is still "
                f"{result.final_force_pct:.0f}%: contracture-like (Ca2+ is not pumped back).")
    if half is None:
        return (f"{peak}; stimulation stopped {silent_s:.2f} s before the end, too soon to see "
                "half relaxation.")
    return f"{peak}; relaxation half-time {half:.0f} ms, {_compare_with_rested(result)}."


def _compare_with_rested(result: FibreResult) -> str:
    ratio = relaxation_ratio(result)
    if ratio is None:
        return "no rested value to compare"
    if abs(ratio - 1.0) < 0.05:
        return "same as rested"
    if ratio > 1.0:
        return f"{ratio:.1f}x slower than rested"
    return f"{1.0 / ratio:.1f}x faster than rested"


class ForceFrequency(NamedTuple):
    frequencies_hz: np.ndarray
    peak_force_pct: np.ndarray


@lru_cache(maxsize=8)
def force_frequency(frequencies_hz: tuple[float, ...] = (1, 5, 10, 20, 30, 40, 50, 60, 80, 100),
                    duration_s: float = 0.5) -> ForceFrequency:
    """Peak force of trains of `duration_s` at each frequency (1 Hz over 0.5 s is one twitch)."""
    peaks = [simulate(frequency_hz=f, duration_s=duration_s).peak_force_pct for f in frequencies_hz]
    return ForceFrequency(np.array(frequencies_hz, dtype=float), np.array(peaks))


def summarise_force_frequency(curve: ForceFrequency) -> str:
    """The force-frequency curve in one sentence: the twitch, where it nears fusion, the top."""
    twitch, top = curve.peak_force_pct[0], curve.peak_force_pct[-1]
    fused = curve.frequencies_hz[np.argmax(curve.peak_force_pct >= 0.9 * top)]
    return (f"A single action potential gives a twitch of {twitch:.0f}% of maximum; as the "
            f"frequency rises the twitches sum, reaching 90% of the top force by "
            f"{fused:.0f} Hz and {top:.0f}% at {curve.frequencies_hz[-1]:.0f} Hz (a fused tetanus).")


class RelaxationCurve(NamedTuple):
    serca_pct: np.ndarray
    half_time_ms: np.ndarray     # nan where force had not fallen to half by the end


@lru_cache(maxsize=8)
def relaxation_vs_serca(serca_pct: tuple[float, ...] = (100, 90, 80, 70, 60, 50, 40, 30, 20),
                        atp_pct: float = 100.0, frequency_hz: float = 50.0,
                        duration_s: float = 0.5) -> RelaxationCurve:
    """Relaxation half-time after the same tetanus for each SERCA capacity."""
    halves = []
    for serca in serca_pct:
        half = simulate(frequency_hz=frequency_hz, duration_s=duration_s, serca_pct=serca,
                        atp_pct=atp_pct).relaxation_half_time_ms()
        halves.append(np.nan if half is None else half)
    return RelaxationCurve(np.array(serca_pct, dtype=float), np.array(halves))


def summarise_relaxation(curves: dict[float, RelaxationCurve]) -> str:
    """Relaxation against SERCA capacity in one sentence; `curves` maps ATP % to its curve, the
    first one the reference (it must include 100 % and 50 % SERCA)."""
    (atp, normal), *others = curves.items()
    at = dict(zip(normal.serca_pct.tolist(), normal.half_time_ms.tolist()))
    text = (f"With ATP at {atp:.0f}%, halving SERCA capacity lengthens the relaxation half-time "
            f"from {at[100.0]:.0f} ms to {at[50.0]:.0f} ms ({at[50.0] / at[100.0]:.1f}x)")
    if others:
        low_atp, low = others[0]
        text += (f"; with ATP at {low_atp:.0f}% every value is longer "
                 f"({low.half_time_ms[0]:.0f} ms even with all pumps)")
    return text + "."
