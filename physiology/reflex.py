"""Why a tired muscle can keep firing after you stop: a motor-neuron pool in its reflex loop.

The altered-neuromuscular-control hypothesis of exercise cramps (HYP-02) says that fatigue
raises the excitatory drive from muscle spindles and lowers the inhibition from Golgi tendon
organs, until the motor neurons keep firing on their own. This module is a small rate model of
that idea. One lumped pool of alpha motor neurons (NM-01) receives four inputs, all measured in
multiples of rheobase (1 = the net input at which the pool just starts to fire):

    net input  u = voluntary drive + spindle (Ia) - tendon organ (Ib) + PIC
    spindle    Ia  = resting level + more with fatigue + more with stretch
    tendon     Ib  = tension feedback (weakened by fatigue) + extra when the muscle is stretched
    PIC            = persistent inward current, switched on by strong depolarisation (NM-05)

and three slow variables, each nudged every time step towards its target:

    firing rate r  towards  rate_from_input(u)        (time constant rate_time_constant_s)
    PIC gate    p  towards  pic_activation(u)         (time constant pic_time_constant_s)
    force       f  towards  force_from_rate(r)        (time constant force_time_constant_s)

Force feeds the tendon organs, so the loop closes. The PIC is positive feedback: once it is on
it can hold the input above its own switch-on level after the voluntary drive has stopped -
self-sustained firing (NM-06), which the model calls a cramp when it outlasts the effort at the
motor-unit discharge rates measured in cramps (6-25 pps, Minetto 2009; the cramp threshold
frequency is a stimulation frequency, not a discharge rate). Inhibition from a stretch pulls
the input down, the PIC switches off and the firing stops (NM-02, NM-03).

It is a teaching model: every parameter is in data/reflex_parameters.yaml with its unit and
source; numbers marked "model choice" were picked so that the behaviour is right and readable,
not measured. It is the one-pool summary of the cramp lab's motor-unit pool
(physiology/motor_pool.py): on the shared scenarios both give the same verdict, cramp or no
cramp (`motor_pool_controls` translates a setting; tests/models/test_reflex.py checks it).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import ClassVar

import numpy as np

from physiology import data
from physiology.controls import Limit, check_controls

# --- parameters: data/reflex_parameters.yaml ---------------------------------------------
# `refs` name the sources for what a parameter stands for (its role and direction); a value
# whose note starts with "model choice" was picked for the teaching model, not measured.

MODEL_CHOICE = "model choice"
DATA_FILE = "reflex_parameters.yaml"


@dataclass(frozen=True)
class ReflexParameters:
    """All parameters of the reflex model, in the units their names end in (Hz, s, rheobase,
    fraction). `describe()` lists units, sources and notes from the parameter file."""

    rate_gain_hz: float
    max_rate_hz: float
    rate_time_constant_s: float
    pic_max_rheobase: float
    pic_half_activation_rheobase: float
    pic_activation_width_rheobase: float
    pic_time_constant_s: float
    spindle_rest_rheobase: float
    spindle_fatigue_gain_rheobase: float
    spindle_stretch_gain_rheobase: float
    tendon_tension_gain_rheobase: float
    tendon_fatigue_loss_fraction: float
    tendon_stretch_gain_rheobase: float
    stretch_ramp_s: float
    force_half_rate_hz: float
    force_time_constant_s: float
    max_voluntary_drive_rheobase: float
    time_step_s: float

    def describe(self) -> list[dict]:
        """One row per parameter: name, value, unit, refs and note (for tables and tests)."""
        quantities = _quantities()
        return [{"name": f.name, "value": getattr(self, f.name), "unit": quantities[f.name].unit,
                 "refs": tuple(quantities[f.name].refs), "note": quantities[f.name].note}
                for f in fields(self)]


_UNITS = {"rate_gain_hz": "Hz per rheobase", "max_rate_hz": "Hz", "rate_time_constant_s": "s",
          "pic_max_rheobase": "rheobase", "pic_half_activation_rheobase": "rheobase",
          "pic_activation_width_rheobase": "rheobase", "pic_time_constant_s": "s",
          "spindle_rest_rheobase": "rheobase", "spindle_fatigue_gain_rheobase": "rheobase",
          "spindle_stretch_gain_rheobase": "rheobase",
          "tendon_tension_gain_rheobase": "rheobase", "tendon_fatigue_loss_fraction": "fraction",
          "tendon_stretch_gain_rheobase": "rheobase", "stretch_ramp_s": "s",
          "force_half_rate_hz": "Hz", "force_time_constant_s": "s",
          "max_voluntary_drive_rheobase": "rheobase", "time_step_s": "s"}
_GROUPS = {"pool": ("rate_gain_hz", "max_rate_hz", "rate_time_constant_s"),
           "pic": ("pic_max_rheobase", "pic_half_activation_rheobase",
                   "pic_activation_width_rheobase", "pic_time_constant_s"),
           "spindle": ("spindle_rest_rheobase", "spindle_fatigue_gain_rheobase",
                       "spindle_stretch_gain_rheobase"),
           "tendon": ("tendon_tension_gain_rheobase", "tendon_fatigue_loss_fraction",
                      "tendon_stretch_gain_rheobase", "stretch_ramp_s"),
           "muscle": ("force_half_rate_hz", "force_time_constant_s"),
           "effort": ("max_voluntary_drive_rheobase",),
           "simulation": ("time_step_s",)}


class ReflexParameterFile(data.ParameterFile):
    """Schema of data/reflex_parameters.yaml: every parameter present, in its unit."""

    expected_units: ClassVar[dict[str, dict[str, str]]] = {
        group: {name: _UNITS[name] for name in names} for group, names in _GROUPS.items()}


data.register(DATA_FILE, ReflexParameterFile)


def _quantities() -> dict[str, data.Quantity]:
    spec = data.load(DATA_FILE, ReflexParameterFile)
    return {name: q for group in spec.parameters.values() for name, q in group.items()}


def _load_parameters() -> ReflexParameters:
    quantities = _quantities()
    return ReflexParameters(**{f.name: quantities[f.name].value for f in fields(ReflexParameters)})


PARAMETERS = _load_parameters()

# A cramp is self-sustained firing that outlasts the effort at the discharge rates measured in
# cramps: motor units fire at about 6-25 pps (Minetto 2009: mean 14.5 +/- 5.1, lowest 6.0,
# highest 25 pps). The model calls firing a cramp from the lowest of these rates up.
CRAMP_DISCHARGE_PPS: tuple[float, float] = (6.0, 25.0)
CRAMP_DISCHARGE_REFS: tuple[str, ...] = ("minetto2009",)
# Cramp threshold frequency: a different thing, the frequency of a nerve-stimulation TRAIN
# after which a cramp goes on ("mid-teens to mid-20s Hz"); it is not a discharge rate
# (science review M1). Kept for the texts that quote it; the cramp lab measures it.
CRAMP_THRESHOLD_FREQUENCY_HZ: tuple[float, float] = (15.0, 25.0)
CRAMP_THRESHOLD_REFS: tuple[str, ...] = ("miller2012t", "lau2019", "lau2021")

# The timeline of one run of the explorer.
DRIVE_START_S = 0.5  # the voluntary effort starts here
STRETCH_START_S = 5.0  # "stretch now": the stretch begins here (at least 1.5 s after the effort)
RUN_DURATION_S = 10.0
# Firing is checked 1.0-1.5 s after the effort ends: a rested pool has long stopped by then.
POST_DRIVE_WINDOW_S = (1.0, 1.5)
SILENT_BELOW_HZ = 1.0  # firing slower than this counts as stopped


# --- the settings a learner can change (the explorer's sliders) ---------------------------

@dataclass(frozen=True)
class ReflexSettings:
    """The explorer's controls, in the units of data/scenarios/reflex.yaml."""

    fatigue_pct: float = 0.0
    pic_strength_pct: float = 100.0
    drive_amplitude_pct: float = 60.0
    drive_duration_s: float = 1.0
    stretch_intensity_pct: float = 0.0

    # what the model accepts (the explorer's sliders, in the scenario file, stay inside these)
    LIMITS: ClassVar[tuple[Limit, ...]] = (
        Limit("fatigue_pct", "Muscle fatigue", "%", 0.0, 100.0),
        Limit("pic_strength_pct", "Persistent inward current strength", "% of typical", 0.0, 200.0),
        Limit("drive_amplitude_pct", "Voluntary effort", "% of maximal effort", 0.0, 100.0),
        Limit("drive_duration_s", "Effort duration", "s", 0.1, STRETCH_START_S - DRIVE_START_S - 1.5),
        Limit("stretch_intensity_pct", "Stretch intensity", "% of a full stretch", 0.0, 100.0),
    )

    def __post_init__(self):
        check_controls({limit.name: getattr(self, limit.name) for limit in self.LIMITS},
                       self.LIMITS)


def scenario_settings(scenario_id: str) -> ReflexSettings:
    """The settings of a named scenario in data/scenarios/reflex.yaml (defaults for the rest)."""
    spec = data.scenarios("reflex")
    values = {c.name: c.default for c in spec.controls}
    values.update(spec.scenario(scenario_id).values)  # KeyError lists the valid ids
    return ReflexSettings(**values)


# --- the model's building blocks ----------------------------------------------------------

def rate_from_input(u: float, p: ReflexParameters = PARAMETERS) -> float:
    """Firing rate (Hz) the pool settles at for net input u (rheobase units); 0 below 1."""
    if u <= 1.0:
        return 0.0
    return p.max_rate_hz * (1.0 - math.exp(-p.rate_gain_hz * (u - 1.0) / p.max_rate_hz))


def pic_activation(u: float, p: ReflexParameters = PARAMETERS) -> float:
    """Steady-state fraction of the PIC that is on at net input u (a sigmoid switch)."""
    x = (u - p.pic_half_activation_rheobase) / p.pic_activation_width_rheobase
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))


def force_from_rate(rate_hz: float, p: ReflexParameters = PARAMETERS) -> float:
    """Steady-state force (fraction of maximum) at a firing rate: the force-frequency curve."""
    r2 = rate_hz * rate_hz
    return r2 / (r2 + p.force_half_rate_hz ** 2)


def spindle_drive(fatigue: float, stretch: float, p: ReflexParameters = PARAMETERS) -> float:
    """Group Ia excitation (rheobase); fatigue and stretch are fractions 0-1."""
    return (p.spindle_rest_rheobase + p.spindle_fatigue_gain_rheobase * fatigue
            + p.spindle_stretch_gain_rheobase * stretch)


def tendon_inhibition(force: float, fatigue: float, stretch: float,
                      p: ReflexParameters = PARAMETERS) -> float:
    """Group Ib inhibition (rheobase): tension feedback, weakened by fatigue, plus stretch."""
    per_unit_force = p.tendon_tension_gain_rheobase * (1.0 - p.tendon_fatigue_loss_fraction * fatigue)
    return per_unit_force * force + p.tendon_stretch_gain_rheobase * stretch


# --- what happens over time ---------------------------------------------------------------

@dataclass(frozen=True)
class Protocol:
    """The inputs over time: voluntary drive pulses and one stretch (held unless released)."""

    drive_pulses: tuple[tuple[float, float, float], ...]  # (start s, duration s, fraction 0-1)
    stretch_start_s: float | None = None
    stretch_intensity: float = 0.0  # fraction of a full stretch
    stretch_end_s: float | None = None  # None: held to the end of the run
    duration_s: float = RUN_DURATION_S

    def drive(self, time_s: np.ndarray) -> np.ndarray:
        """Voluntary drive (fraction of maximal effort) at each time."""
        total = np.zeros_like(time_s)
        for start, duration, amplitude in self.drive_pulses:
            total += amplitude * ((time_s >= start) & (time_s < start + duration))
        return total

    def stretch(self, time_s: np.ndarray, ramp_s: float) -> np.ndarray:
        """Stretch (fraction of a full stretch) at each time: eased in over ramp_s, then held."""
        if self.stretch_start_s is None:
            return np.zeros_like(time_s)
        stretch = self.stretch_intensity * np.clip((time_s - self.stretch_start_s) / ramp_s, 0.0, 1.0)
        if self.stretch_end_s is not None:
            stretch[time_s >= self.stretch_end_s] = 0.0
        return stretch

    @property
    def last_drive_end_s(self) -> float:
        return max((start + dur for start, dur, _ in self.drive_pulses), default=0.0)


def standard_protocol(settings: ReflexSettings, duration_s: float = RUN_DURATION_S) -> Protocol:
    """One effort starting at DRIVE_START_S; a stretch from STRETCH_START_S if intensity > 0."""
    stretch = settings.stretch_intensity_pct / 100.0
    return Protocol(
        drive_pulses=((DRIVE_START_S, settings.drive_duration_s,
                       settings.drive_amplitude_pct / 100.0),),
        stretch_start_s=STRETCH_START_S if stretch > 0 else None,
        stretch_intensity=stretch,
        duration_s=duration_s,
    )


@dataclass(frozen=True)
class ReflexRun:
    """One simulated run: the time courses and the numbers a learner reads off them."""

    settings: ReflexSettings
    protocol: Protocol
    time_s: np.ndarray
    firing_hz: np.ndarray
    force: np.ndarray  # fraction of maximal force
    drive: np.ndarray  # the four inputs, rheobase units
    spindle: np.ndarray
    tendon: np.ndarray
    pic: np.ndarray

    def index_at(self, t: float) -> int:
        return int(min(len(self.time_s) - 1, max(0, round(t / (self.time_s[1] - self.time_s[0])))))

    @property
    def drive_end_s(self) -> float:
        return self.protocol.last_drive_end_s

    @property
    def peak_rate_hz(self) -> float:
        """Fastest firing from the start of the first effort to the end of the last."""
        first_start = min(start for start, _, _ in self.protocol.drive_pulses)
        start, end = self.index_at(first_start), self.index_at(self.drive_end_s)
        return float(self.firing_hz[start:end + 1].max())

    @property
    def post_drive_rate_hz(self) -> float:
        """Mean firing 1.0-1.5 s after the effort ended (before any stretch begins)."""
        start = self.index_at(self.drive_end_s + POST_DRIVE_WINDOW_S[0])
        end = self.index_at(self.drive_end_s + POST_DRIVE_WINDOW_S[1])
        return float(self.firing_hz[start:end + 1].mean())

    @property
    def cramp(self) -> bool:
        """Self-sustained firing that outlasts the effort, at cramp discharge rates (>= 6 pps)."""
        return self.post_drive_rate_hz >= CRAMP_DISCHARGE_PPS[0]

    @property
    def stops_after_s(self) -> float | None:
        """Seconds from the end of the effort until firing falls silent (None: it does not)."""
        return self._silent_after(self.drive_end_s, until=self.protocol.stretch_start_s)

    @property
    def time_to_relief_s(self) -> float | None:
        """Seconds from the start of the stretch until a cramp falls silent (None: no relief,
        no cramp, or no stretch)."""
        if not self.cramp or self.protocol.stretch_start_s is None:
            return None
        return self._silent_after(self.protocol.stretch_start_s)

    def _silent_after(self, t0: float, until: float | None = None) -> float | None:
        """Time from t0 until firing falls below SILENT_BELOW_HZ for good (within the window)."""
        start = self.index_at(t0)
        end = self.index_at(until) if until is not None else len(self.time_s) - 1
        firing = self.firing_hz[start:end + 1] >= SILENT_BELOW_HZ
        if firing[-1]:
            return None  # still firing at the end of the window
        last_firing = np.flatnonzero(firing)
        if len(last_firing) == 0:
            return 0.0
        return float(self.time_s[start + last_firing[-1] + 1] - t0)


def simulate(settings: ReflexSettings, protocol: Protocol | None = None,
             params: ReflexParameters = PARAMETERS) -> ReflexRun:
    """Run the model from rest through the protocol (default: the explorer's timeline)."""
    protocol = protocol or standard_protocol(settings)
    p = params
    dt = p.time_step_s
    n = int(round(protocol.duration_s / dt)) + 1
    fatigue = settings.fatigue_pct / 100.0
    pic_max = p.pic_max_rheobase * settings.pic_strength_pct / 100.0

    time_s = np.arange(n) * dt
    # Everything that does not depend on the model's state is computed up front: the drive,
    # the spindle input and the stretch part of the tendon-organ input.
    drive = p.max_voluntary_drive_rheobase * protocol.drive(time_s)
    stretch = protocol.stretch(time_s, p.stretch_ramp_s)
    spindle = spindle_drive(fatigue, stretch, p)
    tendon_from_stretch = tendon_inhibition(0.0, fatigue, stretch, p)
    tension_gain = tendon_inhibition(1.0, fatigue, 0.0, p)  # Ib per unit of force
    outside_input = (drive + spindle - tendon_from_stretch).tolist()

    firing, force_trace, gate_trace = [0.0] * n, [0.0] * n, [0.0] * n
    rate = gate = force = 0.0  # the model starts at rest
    rate_step = dt / p.rate_time_constant_s
    gate_step = dt / p.pic_time_constant_s
    force_step = dt / p.force_time_constant_s
    for i in range(n):
        u = outside_input[i] - tension_gain * force + pic_max * gate
        firing[i], force_trace[i], gate_trace[i] = rate, force, gate
        # each variable moves a fraction dt/tau of the way towards its target
        rate += rate_step * (rate_from_input(u, p) - rate)
        gate += gate_step * (pic_activation(u, p) - gate)
        force += force_step * (force_from_rate(rate, p) - force)

    force_trace = np.array(force_trace)
    return ReflexRun(settings=settings, protocol=protocol, time_s=time_s,
                     firing_hz=np.array(firing), force=force_trace, drive=drive, spindle=spindle,
                     tendon=tendon_from_stretch + tension_gain * force_trace,
                     pic=pic_max * np.array(gate_trace))


def cramps(settings: ReflexSettings, params: ReflexParameters = PARAMETERS) -> bool:
    """Does this effort leave a cramp? (runs only until the post-effort check is done)"""
    check_done_s = DRIVE_START_S + settings.drive_duration_s + POST_DRIVE_WINDOW_S[1]
    run = simulate(settings, standard_protocol(settings, duration_s=check_done_s), params)
    return run.cramp


def fatigue_threshold_pct(settings: ReflexSettings, params: ReflexParameters = PARAMETERS,
                          resolution_pct: float = 1.0) -> float | None:
    """The lowest fatigue (%) at which this effort leaves a cramp; None if even 100 % does not.

    Below the returned value the same effort ends without a cramp. Only the effort and the PIC
    strength matter: the settings' own fatigue and stretch are ignored.
    """
    return threshold_for_effort(settings.pic_strength_pct, settings.drive_amplitude_pct,
                                settings.drive_duration_s, params, resolution_pct)


@lru_cache(maxsize=256)
def threshold_for_effort(pic_strength_pct: float, drive_amplitude_pct: float,
                         drive_duration_s: float, params: ReflexParameters = PARAMETERS,
                         resolution_pct: float = 1.0) -> float | None:
    """Bisection on fatigue for one effort (cached: moving the fatigue slider reuses it)."""
    def cramps_at(fatigue: float) -> bool:
        return cramps(ReflexSettings(fatigue_pct=fatigue, pic_strength_pct=pic_strength_pct,
                                     drive_amplitude_pct=drive_amplitude_pct,
                                     drive_duration_s=drive_duration_s), params)

    if not cramps_at(100.0):
        return None
    if cramps_at(0.0):
        return 0.0
    low, high = 0.0, 100.0  # no cramp at low, cramp at high
    while high - low > resolution_pct:
        middle = (low + high) / 2
        if cramps_at(middle):
            high = middle
        else:
            low = middle
    return high


def summary_numbers(settings: ReflexSettings, params: ReflexParameters = PARAMETERS) -> dict:
    """The key numbers of one setting, rounded for printing (used by the notebook)."""
    run = simulate(settings, params=params)
    threshold = fatigue_threshold_pct(settings, params)
    return {
        "peak_rate_hz": round(run.peak_rate_hz, 1),
        "post_drive_rate_hz": round(run.post_drive_rate_hz, 1),
        "cramp": run.cramp,
        "stops_after_s": None if run.stops_after_s is None else round(run.stops_after_s, 2),
        "time_to_relief_s": None if run.time_to_relief_s is None else round(run.time_to_relief_s, 2),
        "fatigue_threshold_pct": None if threshold is None else round(threshold),
    }


# --- the same setting in the cramp lab's motor-unit pool -----------------------------------------

# The reflex model has no muscle length and no cramp-proneness: its push-off is made with the
# calf a little shortened, by someone prone to cramps (the people in whom the 1997 hypothesis
# was proposed). These two are the translation's only assumptions.
POOL_MUSCLE_LENGTH_PCT = -6.0
POOL_CRAMP_PRONE = 1.0


def motor_pool_controls(settings: ReflexSettings) -> dict[str, float]:
    """The controls of physiology.motor_pool.simulate for the same effort, fatigue, PIC and
    stretch (the pool's effort starts at 2 s, so its stretch starts as long after it)."""
    from physiology import motor_pool

    stretch_at = (motor_pool.EFFORT_START_S + STRETCH_START_S - DRIVE_START_S
                  if settings.stretch_intensity_pct > 0 else 0.0)
    return {"cramp_prone": POOL_CRAMP_PRONE, "muscle_length_pct": POOL_MUSCLE_LENGTH_PCT,
            "fatigue_pct": settings.fatigue_pct, "monoamine_pct": settings.pic_strength_pct,
            "effort_pct": settings.drive_amplitude_pct,
            "effort_s": max(0.5, settings.drive_duration_s), "stretch_at_s": stretch_at}
