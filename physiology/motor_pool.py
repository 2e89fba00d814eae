"""The cramp lab's model: a pool of motor units whose motor neurons can keep firing on their own.

What a cramp is, in this model (as the physiology defines it, not by a stimulation frequency):
**involuntary firing that outlasts its drive at the discharge rates measured in cramps**
(motor units at about 6-25 pps, Minetto 2009). The cramp threshold frequency is something else:
the lowest frequency of a nerve-stimulation train after which such firing goes on
(Miller & Knight 2009, 2012).

The pool (every parameter, with unit and source, is in data/motor_pool.yaml):

- `n_units` motor units, recruited small to large: unit i starts firing when its net input
  reaches its threshold thr_i (1 for the smallest, `recruitment_range` for the largest), at
  `min_rate` pps, and fires faster by `rate_gain` pps per rheobase above it.
- Each motor neuron has a **persistent inward current** (PIC; Booth, Rinzel & Kiehn 1997;
  Heckman 2005, 2008): a gate m that opens when the unit is depolarised, with a time constant
  of ~150 ms, and adds `pic_amplitude` x m to its input. Because the PIC depolarises the very
  neuron that switches it on, a unit is bistable: once on, it stays on after its input falls
  back, until inhibition (or slow adaptation) pulls it below the PIC's switch-off level. The
  PIC grows with serotonin/noradrenaline (`monoamine_pct`) and declines with age above 60.
- The net input of unit i (rheobase units):

      voluntary drive + spindle Ia(length, fatigue) + Ia from nerve stimulation + pain
      + fluid term (the sodium dilution after water: an EMPIRICAL link) + calcium term
      - tendon organ Ib (active force x gain(length, cramp-prone, fatigue) + passive stretch)
      - tendon-afferent stimulation - slow adaptation + fluctuating input + PIC

  The calcium term is the membrane model's gating shift (physiology/membrane.py: lower
  ionized Ca2+ shifts the gates negative) times a gain derived so that the smallest unit
  fires on its own at the ionized calcium where the membrane model does.
- Nerve stimulation does two things: each pulse excites the motor neurons through the Ia
  afferents (an EPSP that decays in `ia_epsp_decay`; pulses sum when they come fast), and it
  fires every motor axon directly, so during a train the muscle follows the stimulator.
- Force: each unit's fibres follow its rate (or the stimulator's) through the reduced fibre
  model of physiology/twitch.py, fitted to physiology/calcium.py; the tendon organs feel the
  total, which closes the loop.

Numerics: fixed-step exponential Euler, vectorised over units and over trains (the threshold
protocol runs all its trains at once), 1 ms during stimulation, 5 ms after it; the 200 s cramp
timeline uses 20 ms around its events and 200 ms between them. Discharge times are drawn from
each unit's rate by time rescaling (a gamma renewal process in 'operational time'), and the
EMG-like trace puts one biphasic motor-unit potential at each discharge (and the M-wave of
every unit at each stimulus pulse).

    result = threshold_protocol(cramp_prone=1)    # trains 4, 6, 8 ... Hz, muscle shortened
    result.threshold_hz                           # about 15 Hz
    summarise(result)
    run = simulate(**values_of("late_in_race"))   # the cramp timeline of a named scenario
    summarise(run)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import ClassVar

import numpy as np

from physiology import data
from physiology.controls import check_controls
from physiology.twitch import ReducedFibre

DATA_FILE = "motor_pool.yaml"
SCENARIO_FILE = "cramp_lab"

# The unit each parameter must be written in (the model reads the numbers as they are).
EXPECTED_UNITS: dict[str, dict[str, str]] = {
    "pool": {"n_units": "count", "recruitment_range": "ratio", "twitch_force_range": "ratio",
             "contraction_time_smallest": "ms", "contraction_time_largest": "ms"},
    "motoneuron": {"min_rate": "pps", "rate_gain": "pps per rheobase", "max_rate": "pps",
                   "pic_amplitude": "rheobase", "pic_half_activation": "rheobase",
                   "pic_width": "rheobase", "pic_time_constant": "ms",
                   "pic_threshold_monoamine_shift": "rheobase",
                   "pic_loss_per_decade": "fraction per decade", "pic_loss_from_age": "years",
                   "adaptation_rate": "rheobase per s per pps", "adaptation_recovery_time": "s",
                   "noise_sd": "rheobase", "noise_time_constant": "ms",
                   "common_noise_fraction": "fraction", "discharge_regularity": "gamma shape"},
    "inputs": {"max_voluntary_drive": "rheobase", "spindle_rest": "rheobase",
               "spindle_length_gain": "rheobase per %", "spindle_fatigue_gain": "rheobase",
               "tendon_gain": "rheobase", "tendon_length_gain": "fraction per %",
               "tendon_prone_factor": "fraction", "tendon_fatigue_loss": "fraction",
               "passive_tension_gain": "rheobase per %", "stretch_length": "%",
               "stretch_ramp": "s", "pain_gain": "rheobase", "tendon_stimulation": "rheobase",
               "tendon_stimulation_duration": "s", "slack_length": "%"},
    "stimulation": {"ia_epsp": "rheobase", "ia_epsp_decay": "ms", "train_duration": "s",
                    "start_frequency": "Hz", "frequency_step": "Hz", "max_frequency": "Hz",
                    "rest_before_train": "s", "observation": "s", "cramp_check_start": "s",
                    "cramp_check_end": "s", "cramp_min_units": "count"},
    "fluid": {"body_mass": "kg", "body_water_fraction": "fraction", "plasma_sodium": "mM",
              "sweat_sodium": "mM", "sodium_excitability": "rheobase per mM",
              "dehydration_excitability": "rheobase per %"},
    "calcium": {"calcium_link_reference_length": "%"},
    "force_model": {"ca_decay": "ms", "ca_half_activation": "pulses", "hill": "dimensionless",
                    "force_lag": "ms"},
    "emg": {"muap_duration": "ms", "muap_size_exponent": "dimensionless"},
    "simulation": {"fine_step": "ms", "step": "ms", "timeline_step": "ms",
                   "timeline_slow_step": "ms", "timeline_duration": "s", "emg_step": "ms",
                   "seed": "dimensionless"},
}


class MotorPoolFile(data.ParameterFile):
    """Schema of data/motor_pool.yaml: the groups and units above, every parameter present."""

    expected_units: ClassVar[dict[str, dict[str, str]]] = EXPECTED_UNITS


data.register(DATA_FILE, MotorPoolFile)


def parameter_file() -> MotorPoolFile:
    return data.load(DATA_FILE, MotorPoolFile)


class _Params:
    """The parameter file as attributes: P.motoneuron.min_rate -> 6.0."""

    def __init__(self, spec: MotorPoolFile):
        for group, values in spec.parameters.items():
            setattr(self, group, type(group, (), {k: q.value for k, q in values.items()}))


@lru_cache(maxsize=1)
def params() -> _Params:
    return _Params(parameter_file())


def reduced_fibre() -> ReducedFibre:
    """The reduced fibre model with the fitted parameters of data/motor_pool.yaml."""
    f = params().force_model
    return ReducedFibre(f.ca_decay, f.ca_half_activation, f.hill, f.force_lag)


# --- the pool's fixed properties -------------------------------------------------------------

@dataclass(frozen=True)
class Pool:
    thresholds: np.ndarray      # recruitment threshold of each unit (rheobase), small to large
    twitch: np.ndarray          # peak twitch force of each unit, as a share of the pool's total
    time_scale: np.ndarray      # each unit's time constants / the reference fibre's
    muap: np.ndarray            # MUAP amplitude (arbitrary units, the largest = 1)
    force_table_hz: np.ndarray  # rates at which the mean-force table is given
    force_table: np.ndarray     # mean force of each unit (row) at each rate, fraction of max


@lru_cache(maxsize=1)
def pool() -> Pool:
    p = params()
    n = int(p.pool.n_units)
    rank = np.arange(n) / max(1, n - 1)
    thresholds = p.pool.recruitment_range ** rank
    twitch = p.pool.twitch_force_range ** rank
    twitch = twitch / twitch.sum()
    ct = p.pool.contraction_time_smallest * (
        p.pool.contraction_time_largest / p.pool.contraction_time_smallest) ** rank
    time_scale = ct / p.pool.contraction_time_largest   # the largest unit = the reference fibre
    muap = (twitch / twitch.max()) ** p.emg.muap_size_exponent
    rates = np.arange(0.0, 201.0, 1.0)
    fibre = reduced_fibre()
    # a unit with time scale s at rate r behaves like the reference fibre at rate r * s
    table = np.array([fibre.mean_force(rates * s) for s in time_scale])
    return Pool(thresholds, twitch, time_scale, muap, rates, table)


# --- the controls ----------------------------------------------------------------------------

PARTICIPANT_CONTROLS = ("cramp_prone", "age_years", "fatigue_pct", "body_mass_loss_pct",
                        "drink_volume_l", "drink_sodium_mm", "monoamine_pct", "pain_pct",
                        "muscle_length_pct", "calcium_mm")
TIMELINE_CONTROLS = ("effort_pct", "effort_s", "stretch_at_s", "tendon_stim_at_s")


def control_specs() -> dict[str, data.Control]:
    """The controls of data/scenarios/cramp_lab.yaml, by name (labels, units, ranges)."""
    return {c.name: c for c in data.scenarios(SCENARIO_FILE).controls}


def defaults() -> dict[str, float]:
    return {name: c.default for name, c in control_specs().items()}


def values_of(scenario_id: str) -> dict[str, float]:
    """Every control's value in a named scenario (defaults for those it leaves out)."""
    scenario = data.scenarios(SCENARIO_FILE).scenario(scenario_id)   # KeyError lists the ids
    return {**defaults(), **scenario.values}


def checked(values: dict) -> dict[str, float]:
    """The shared limits check (physiology.controls) with the scenario file's ranges."""
    return check_controls(values, control_specs().values())


@dataclass(frozen=True)
class Participant:
    """A virtual participant: who they are and the state they are in (units as the controls)."""

    cramp_prone: float = 0.0          # 1 = cramp-prone, 0 = not
    age_years: float = 25.0
    fatigue_pct: float = 0.0
    body_mass_loss_pct: float = 0.0   # dehydration
    drink_volume_l: float = 0.0       # drunk after the dehydration
    drink_sodium_mm: float = 0.0      # 0 = plain water; about 130 = an oral rehydration solution
    monoamine_pct: float = 100.0      # serotonin/noradrenaline (arousal), % of typical
    pain_pct: float = 0.0
    muscle_length_pct: float = -10.0  # -10 shortened, 0 neutral, +10 stretched
    calcium_mm: float = 1.2           # ionized calcium around the nerve

    def __post_init__(self):
        checked({name: getattr(self, name) for name in PARTICIPANT_CONTROLS})

    @classmethod
    def from_values(cls, values: dict) -> "Participant":
        return cls(**{k: v for k, v in checked(values).items() if k in PARTICIPANT_CONTROLS})


# --- what a participant's state does to the motor neurons -------------------------------------

@lru_cache(maxsize=1)
def calcium_gain_per_mv() -> float:
    """Excitation (rheobase) per mV of negative gating shift, derived from the membrane model:
    at neutral length and rest, the smallest unit starts firing by itself (its PIC switches on
    with no input) at the ionized calcium where physiology/membrane.py fires by itself."""
    from physiology import membrane  # imported here: only the calcium link needs it

    p = params()
    spontaneous_mm = membrane.spontaneous_firing_calcium_mm()
    shift = membrane.gating_shift_mv(spontaneous_mm)               # negative, mV
    reference = Participant(muscle_length_pct=p.calcium.calcium_link_reference_length)
    amplitude, half = (x[0] for x in _pic(reference, 1))
    missing = pic_switch_on_input(amplitude, half) - (
        _resting_input(reference) - pool().thresholds[0])
    return missing / -shift


def pic_switch_on_input(amplitude: float, half: float) -> float:
    """The net input (without the PIC, relative to recruitment) at which a resting unit's PIC
    switches itself on: the PIC's low, off state stops existing there.

    The off states are the fixed points of m = sigmoid((v + amplitude m - half) / width) with
    m <= 0.5. Solved for v, a fixed point at m needs v = half - amplitude m + width logit(m);
    the off state is gone once v exceeds the largest of these, reached where the derivative
    width / (m (1 - m)) - amplitude is zero (or at m = 0.5 for a PIC too weak to latch)."""
    width = params().motoneuron.pic_width
    if amplitude > 4.0 * width:
        m = 0.5 * (1.0 - np.sqrt(1.0 - 4.0 * width / amplitude))
    else:
        m = 0.5
    return float(half - amplitude * m + width * np.log(m / (1.0 - m)))


def spontaneous_calcium_mm() -> float:
    """The ionized calcium below which the membrane model fires by itself (mM)."""
    from physiology import membrane
    return membrane.spontaneous_firing_calcium_mm()


def calcium_excitation(calcium_mm: float) -> float:
    from physiology import membrane
    return -membrane.gating_shift_mv(calcium_mm) * calcium_gain_per_mv()


def sodium_change_mm(part: Participant) -> float:
    """How far the drink moves body sodium (mmol/L) from where a sweat-like drink would leave
    it: negative for plain water (dilution), positive for a drink saltier than sweat."""
    f = params().fluid
    water_l = f.body_water_fraction * f.body_mass
    return (part.drink_sodium_mm - f.sweat_sodium) * part.drink_volume_l / water_l


def fluid_excitation(part: Participant) -> float:
    """The EMPIRICAL fluid term (rheobase): sodium dilution after a drink, plus dehydration."""
    f = params().fluid
    return (-f.sodium_excitability * sodium_change_mm(part)
            + f.dehydration_excitability * part.body_mass_loss_pct)


def pic_scale(part: Participant) -> float:
    """PIC strength as a share of a young adult's at typical monoamine level."""
    m = params().motoneuron
    decades = max(0.0, part.age_years - m.pic_loss_from_age) / 10.0
    return part.monoamine_pct / 100.0 * max(0.0, 1.0 - m.pic_loss_per_decade * decades)


def spindle_input(part: Participant, length_pct):
    i = params().inputs
    return (i.spindle_rest + i.spindle_length_gain * np.asarray(length_pct)
            + i.spindle_fatigue_gain * part.fatigue_pct / 100.0)


def tendon_gain(part: Participant, length_pct):
    """Ib inhibition (rheobase) per unit of active force (fraction of max) at this length."""
    i = params().inputs
    prone = i.tendon_prone_factor if part.cramp_prone >= 0.5 else 1.0
    by_length = np.clip(1.0 + i.tendon_length_gain * np.asarray(length_pct), 0.05, None)
    return i.tendon_gain * prone * (1.0 - i.tendon_fatigue_loss * part.fatigue_pct / 100.0) \
        * by_length


def passive_inhibition(length_pct):
    """Length-dependent inhibition (rheobase): none at the slack length, more as the muscle
    lengthens (the proposed way a stretch inhibits the motor neurons)."""
    i = params().inputs
    return i.passive_tension_gain * np.clip(np.asarray(length_pct) - i.slack_length, 0.0, None)


def _resting_input(part: Participant, length_pct=None) -> float:
    """The net input without drive, stimulation, calcium term or force feedback."""
    length = part.muscle_length_pct if length_pct is None else length_pct
    return float(spindle_input(part, length) - passive_inhibition(length)
                 + params().inputs.pain_gain * part.pain_pct / 100.0 + fluid_excitation(part))


def background_input(part: Participant, length_pct=None) -> float:
    """Everything that excites or inhibits the pool at rest, apart from force feedback."""
    return _resting_input(part, length_pct) + calcium_excitation(part.calcium_mm)


# --- the engine --------------------------------------------------------------------------------

@dataclass
class _Inputs:
    """Inputs on the time grid: shapes (steps,) or (steps, batch)."""

    dt_ms: np.ndarray            # (steps,)
    external: np.ndarray         # everything but force feedback, PIC, adaptation, noise
    ib_gain: np.ndarray          # Ib inhibition per unit of active force
    direct_hz: np.ndarray        # rate at which the stimulator fires every motor axon (0: none)
    pic_amplitude: np.ndarray    # (batch,)
    pic_half_activation: np.ndarray  # (batch,) relative to recruitment


@dataclass(frozen=True)
class _Trace:
    t_s: np.ndarray              # (steps + 1,) time at the start of each step, then the end
    input: np.ndarray            # (steps, batch, units) net input relative to recruitment
    force: np.ndarray            # (steps, batch) total force, fraction of the pool's maximum
    pic: np.ndarray              # (steps, batch) mean PIC gate over the units
    inhibition: np.ndarray       # (steps, batch) Ib inhibition from force (rheobase)


def rate_from_input(v):
    """Discharge rate (pps) at net input v relative to recruitment: 0 below it, then
    min_rate + rate_gain * v, at most max_rate."""
    mn = params().motoneuron
    return np.where(v > 0.0, np.minimum(mn.min_rate + mn.rate_gain * v, mn.max_rate), 0.0)


_TABLE_PER_HZ = 4  # the reference fibre's mean-force table: 0.25 Hz resolution


@lru_cache(maxsize=1)
def _reference_force_table() -> np.ndarray:
    rates = np.arange(0.0, 400.0 + 1e-9, 1.0 / _TABLE_PER_HZ)
    return reduced_fibre().mean_force(rates)


def _integrate(inp: _Inputs) -> _Trace:
    """The time loop (exponential Euler; deterministic: the fluctuating input is added when
    discharge times are drawn)."""
    p, pl = params(), pool()
    mn = p.motoneuron
    steps, batch = inp.external.shape
    n = len(pl.thresholds)
    thr = pl.thresholds[None, :]
    twitch = pl.twitch
    table = _reference_force_table()
    per_unit = (pl.time_scale * _TABLE_PER_HZ)[None, :]   # unit rate -> reference table index
    dt = inp.dt_ms
    pic_keep = np.exp(-dt / mn.pic_time_constant)
    force_keep = np.exp(-dt[:, None] / (p.force_model.force_lag * pl.time_scale[None, :]))
    adapt_gain = mn.adaptation_rate * dt / 1000.0
    adapt_keep = np.exp(-dt / 1000.0 / mn.adaptation_recovery_time)
    pic_amp = inp.pic_amplitude[:, None]
    half = inp.pic_half_activation[:, None]
    inv_width = 1.0 / mn.pic_width
    rmin, gain, rmax = mn.min_rate, mn.rate_gain, mn.max_rate

    m = np.zeros((batch, n))
    unit_force = np.zeros((batch, n))
    adapt = np.zeros((batch, n))
    inputs = np.empty((steps, batch, n))
    force = np.empty((steps, batch))
    pic = np.empty((steps, batch, n))
    inhib = np.empty((steps, batch))
    v, r, work = np.empty((batch, n)), np.empty((batch, n)), np.empty((batch, n))
    total = np.zeros(batch)
    mul, add, sub = np.multiply, np.add, np.subtract
    for k in range(steps):
        ib = inp.ib_gain[k] * total
        # net input v, relative to each unit's recruitment threshold
        sub((inp.external[k] - ib)[:, None], thr, out=v)
        v += mul(pic_amp, m, out=work)
        v -= adapt
        # PIC gate: exact step towards its sigmoid target
        np.exp(mul(sub(half, v, out=work), inv_width, out=work), out=work)
        work += 1.0
        np.reciprocal(work, out=work)                    # m_inf
        sub(m, work, out=m)
        m *= pic_keep[k]
        m += work
        # discharge rate, then each unit's force (the stimulator fires every axon in a train)
        mul(v, gain, out=r)
        r += rmin
        np.minimum(r, rmax, out=r)
        r *= v > 0.0
        np.maximum(r, inp.direct_hz[k][:, None], out=work)
        work *= per_unit
        target = table.take(work.astype(np.intp), mode="clip")
        sub(unit_force, target, out=unit_force)
        unit_force *= force_keep[k]
        unit_force += target
        adapt *= adapt_keep[k]
        adapt += mul(r, adapt_gain[k], out=work)
        inputs[k] = v
        force[k] = total
        pic[k] = m
        inhib[k] = ib
        total = unit_force @ twitch
    t_s = np.concatenate([[0.0], np.cumsum(dt)]) / 1000.0
    return _Trace(t_s, inputs, force, pic.mean(axis=2), inhib)


def _grid(pieces: list[tuple[float, float]]) -> np.ndarray:
    """Step lengths (ms) for consecutive pieces (duration s, step ms)."""
    return np.concatenate([np.full(max(1, int(round(dur * 1000.0 / step))), step)
                           for dur, step in pieces if dur > 0])


def _pulse_input(t_ms: np.ndarray, frequency_hz: float, start_ms: float, end_ms: float,
                 size: float, decay_ms: float) -> np.ndarray:
    """Summed EPSPs of a pulse train (exact for the exponential decay), on the grid t_ms."""
    if frequency_hz <= 0:
        return np.zeros_like(t_ms)
    period = 1000.0 / frequency_hz
    pulses = start_ms + period * np.arange(int(math.ceil((end_ms - start_ms) / period - 1e-9)))
    count = np.searchsorted(pulses, t_ms, side="right")         # pulses up to each time
    last = pulses[np.maximum(count - 1, 0)]
    since = t_ms - last
    decay = math.exp(-period / decay_ms)
    # the sum over the pulses so far of exp(-(t - t_k)/tau): a geometric series
    total = (1.0 - decay ** count) / (1.0 - decay) * np.exp(-since / decay_ms)
    return np.where(count > 0, size * total, 0.0)


def stimulus_pulses_s(frequency_hz: float, start_s: float, duration_s: float) -> np.ndarray:
    if frequency_hz <= 0:
        return np.array([])
    return start_s + np.arange(int(math.ceil(duration_s * frequency_hz - 1e-9))) / frequency_hz


# --- discharge times and the EMG-like trace ---------------------------------------------------

def fluctuating_input(t_s: np.ndarray, units: int, seed: int) -> np.ndarray:
    """Slow random synaptic input (rheobase), shape (steps, units): an Ornstein-Uhlenbeck
    process with a part common to every unit (common drive) and a part of each unit's own."""
    mn = params().motoneuron
    rng = np.random.default_rng(seed)
    dt = np.diff(t_s) * 1000.0
    keep = np.exp(-dt / mn.noise_time_constant)
    kick = np.sqrt(1.0 - keep ** 2)
    c = math.sqrt(mn.common_noise_fraction)
    draws = rng.standard_normal((len(dt), units + 1)) * kick[:, None]
    out = np.empty((len(dt), units + 1))
    x = rng.standard_normal(units + 1)
    for k in range(len(dt)):
        x = x * keep[k] + draws[k]
        out[k] = x
    return mn.noise_sd * (c * out[:, :1] + math.sqrt(1.0 - c * c) * out[:, 1:])


def discharge_times(t_s: np.ndarray, net_input: np.ndarray, seed: int) -> list[np.ndarray]:
    """Each unit's discharge times (s) from its net input (steps, units) plus the fluctuating
    input: the rate drives a gamma renewal process in operational time (time rescaling), so
    intervals vary with CV 1/sqrt(shape) at constant input and follow every change of rate.
    The fluctuations matter most near recruitment, where they start and stop the discharge."""
    shape = params().motoneuron.discharge_regularity
    rate = rate_from_input(net_input + fluctuating_input(t_s, net_input.shape[1], seed))
    rng = np.random.default_rng(seed + 1)
    dt = np.diff(t_s)
    operational = np.concatenate([np.zeros((1, rate.shape[1])),
                                  np.cumsum(rate * dt[:, None], axis=0)])
    times = []
    ramp = 1e-9 * np.arange(len(t_s))   # strictly increasing operational time, also when silent
    for u in range(rate.shape[1]):
        total = operational[-1, u]
        if total < 1.0:
            times.append(np.array([]))
            continue
        marks = np.cumsum(rng.gamma(shape, 1.0 / shape, size=int(total * 1.3 + 20)))
        marks = marks[marks < total] + rng.uniform(0.0, 0.5)
        times.append(np.interp(marks[marks < total], operational[:, u] + ramp, t_s))
    return times


def _muap_kernel(step_ms: float) -> np.ndarray:
    width = params().emg.muap_duration
    t = np.arange(-width, width + step_ms, step_ms)
    sigma = width / 4.0
    return -t / sigma * np.exp(-0.5 * (t / sigma) ** 2)   # biphasic, peak about 1


def emg_trace(t0_s: float, t1_s: float, spikes: list[np.ndarray],
              stimulus_s: np.ndarray = np.array([])) -> tuple[np.ndarray, np.ndarray]:
    """(time s, EMG-like signal, arbitrary units) between t0 and t1: one MUAP per discharge,
    the M-wave of the whole pool at each stimulus pulse."""
    step_ms = params().simulation.emg_step
    n = int(round((t1_s - t0_s) * 1000.0 / step_ms)) + 1
    impulses = np.zeros(n)
    amplitude = pool().muap
    for u, times in enumerate(spikes):
        index = np.round((times[(times >= t0_s) & (times <= t1_s)] - t0_s) * 1000.0 / step_ms)
        np.add.at(impulses, index.astype(np.intp), amplitude[u])
    index = np.round((stimulus_s[(stimulus_s >= t0_s) & (stimulus_s <= t1_s)] - t0_s)
                     * 1000.0 / step_ms).astype(np.intp)
    np.add.at(impulses, index, amplitude.sum())
    signal = np.convolve(impulses, _muap_kernel(step_ms), mode="same")
    return t0_s + np.arange(n) * step_ms / 1000.0, signal


def discharge_statistics(spikes: list[np.ndarray], t0_s: float, t1_s: float) -> dict:
    """Mean, lowest and highest discharge rate (pps) and ISI CV of the units firing in a window.

    Each unit's rate is 1 / its mean interval; the lowest and highest are over units; the CV is
    the mean over units of (SD / mean of its intervals). Units with fewer than 4 discharges in
    the window are left out.
    """
    rates, cvs = [], []
    for times in spikes:
        inside = times[(times >= t0_s) & (times <= t1_s)]
        if len(inside) < 4:
            continue
        isi = np.diff(inside)
        rates.append(1.0 / isi.mean())
        cvs.append(isi.std() / isi.mean())
    if not rates:
        return {"units": 0, "mean_pps": 0.0, "min_pps": 0.0, "max_pps": 0.0, "isi_cv": 0.0}
    return {"units": len(rates), "mean_pps": float(np.mean(rates)),
            "min_pps": float(np.min(rates)), "max_pps": float(np.max(rates)),
            "isi_cv": float(np.mean(cvs))}


# --- the threshold protocol --------------------------------------------------------------------

@dataclass(frozen=True)
class TrainResult:
    """One stimulation train of the protocol and what followed it."""

    frequency_hz: float
    t_s: np.ndarray              # grid times (start of each step, and the end)
    net_input: np.ndarray        # (steps, units) rheobase, relative to each unit's threshold
    force: np.ndarray            # (steps,) fraction of the pool's maximum
    pic: np.ndarray              # (steps,) mean PIC gate
    train_start_s: float
    train_end_s: float
    units_firing_after: int      # units firing throughout the cramp-check window
    cramp: bool
    seed: int

    @property
    def stimulus_s(self) -> np.ndarray:
        return stimulus_pulses_s(self.frequency_hz, self.train_start_s,
                                 self.train_end_s - self.train_start_s)

    @property
    def rate(self) -> np.ndarray:
        """(steps, units) discharge rate without the fluctuating input, pps."""
        return rate_from_input(self.net_input)

    def spikes(self) -> list[np.ndarray]:
        return discharge_times(self.t_s, self.net_input, self.seed)

    def emg(self) -> tuple[np.ndarray, np.ndarray]:
        return emg_trace(0.0, float(self.t_s[-1]), self.spikes(), self.stimulus_s)


@dataclass(frozen=True)
class ProtocolResult:
    """The cramp threshold frequency protocol for one participant."""

    participant: Participant
    trains: tuple[TrainResult, ...]   # every train tried, 4 Hz upwards (all are simulated)

    @property
    def threshold_hz(self) -> float | None:
        """The lowest train frequency after which a cramp went on (None: none up to the top)."""
        for train in self.trains:
            if train.cramp:
                return train.frequency_hz
        return None

    @property
    def trains_until_cramp(self) -> tuple[TrainResult, ...]:
        """The trains a laboratory would deliver: up to and including the first cramp."""
        out = []
        for train in self.trains:
            out.append(train)
            if train.cramp:
                break
        return tuple(out)


def protocol_frequencies() -> np.ndarray:
    s = params().stimulation
    return np.arange(s.start_frequency, s.max_frequency + 1e-9, s.frequency_step)


def threshold_protocol(frequencies_hz=None, observation_s: float | None = None,
                       **controls) -> ProtocolResult:
    """Stimulation trains from 4 Hz in 2 Hz steps (each from rest), muscle as the participant's
    `muscle_length_pct` (the laboratory protocol holds it shortened, the default)."""
    part = Participant.from_values(controls) if controls else Participant()
    freqs = protocol_frequencies() if frequencies_hz is None else np.atleast_1d(
        np.asarray(frequencies_hz, dtype=float))
    p = params()
    s = p.stimulation
    rest, train, after = s.rest_before_train, s.train_duration, (
        s.observation if observation_s is None else observation_s)
    settle = min(after, s.observation)   # a long observation goes on with the timeline's slow step
    dt = _grid([(rest, p.simulation.step), (train, p.simulation.fine_step),
                (settle, p.simulation.step), (after - settle, p.simulation.timeline_slow_step)])
    t_ms = np.concatenate([[0.0], np.cumsum(dt)])[:-1]
    start_ms, end_ms = rest * 1000.0, (rest + train) * 1000.0
    in_train = (t_ms >= start_ms) & (t_ms < end_ms)
    batch = len(freqs)
    external = np.empty((len(dt), batch))
    base = background_input(part)
    for b, f in enumerate(freqs):
        external[:, b] = base + _pulse_input(t_ms, f, start_ms, end_ms, s.ia_epsp,
                                             s.ia_epsp_decay)
    ib_gain = np.full((len(dt), batch), float(tendon_gain(part, part.muscle_length_pct)))
    direct = np.where(in_train[:, None], freqs[None, :], 0.0)
    seed = int(p.simulation.seed)
    trace = _integrate(_Inputs(dt, external, ib_gain, direct, *_pic(part, batch)))
    t = trace.t_s[:-1]
    check = (t >= end_ms / 1000.0 + s.cramp_check_start) & (t <= end_ms / 1000.0 + s.cramp_check_end)
    trains = []
    for b, f in enumerate(freqs):
        firing = int(np.all(trace.input[check, b, :] > 0.0, axis=0).sum()) if check.any() else 0
        trains.append(TrainResult(
            frequency_hz=float(f), t_s=trace.t_s, net_input=trace.input[:, b, :],
            force=trace.force[:, b],
            pic=trace.pic[:, b], train_start_s=start_ms / 1000.0, train_end_s=end_ms / 1000.0,
            units_firing_after=firing, cramp=firing >= s.cramp_min_units, seed=seed + b))
    return ProtocolResult(part, tuple(trains))


def _pic(part: Participant, batch: int) -> tuple[np.ndarray, np.ndarray]:
    """PIC amplitude and half-activation (relative to recruitment) for `batch` runs."""
    mn = params().motoneuron
    half = mn.pic_half_activation - mn.pic_threshold_monoamine_shift * (
        part.monoamine_pct - 100.0) / 100.0
    return (np.full(batch, mn.pic_amplitude * pic_scale(part)), np.full(batch, half))


@lru_cache(maxsize=256)
def _cached_threshold(items: tuple) -> float | None:
    return threshold_protocol(**dict(items)).threshold_hz


def threshold_hz(**controls) -> float | None:
    """The cramp threshold frequency for these controls (cached: the comparison table and a
    notebook ask for the same participants again)."""
    return _cached_threshold(tuple(sorted(checked(controls).items())))


def spontaneous_units(**controls) -> int:
    """How many units fire with no drive and no stimulation at all (after 2 s at rest)."""
    result = threshold_protocol(frequencies_hz=[0.0], **controls)
    return result.trains[0].units_firing_after


# --- the cramp timeline ------------------------------------------------------------------------

EFFORT_START_S = 2.0
EVENT_WINDOW_S = 4.0   # the timeline takes fine steps for this long after each event


@dataclass(frozen=True)
class TimelineResult:
    """A cramp from start to finish: a voluntary effort, then what the pool does on its own."""

    controls: dict
    t_s: np.ndarray              # start of each step, and the end
    net_input: np.ndarray        # (steps, units) rheobase, relative to each unit's threshold
    force: np.ndarray            # (steps,)
    pic: np.ndarray
    drive: np.ndarray            # (steps,) voluntary drive, rheobase
    length_pct: np.ndarray       # (steps,)
    tendon_stim: np.ndarray      # (steps,) tendon-afferent inhibition, rheobase
    effort_end_s: float
    seed: int

    @property
    def rate(self) -> np.ndarray:
        return rate_from_input(self.net_input)

    @property
    def step_start_s(self) -> np.ndarray:
        return self.t_s[:-1]

    def firing_units(self) -> np.ndarray:
        return (self.net_input > 0).sum(axis=1)

    @property
    def cramp(self) -> bool:
        """Involuntary firing that outlasts the effort: units still firing 1-3 s after it,
        at cramp discharge rates (no drive then, so every discharge is involuntary)."""
        s = params().stimulation
        t = self.step_start_s
        window = (t >= self.effort_end_s + s.cramp_check_start) & (
            t <= self.effort_end_s + s.cramp_check_end)
        if not window.any():
            return False
        return int(np.all(self.net_input[window] > 0, axis=0).sum()) >= s.cramp_min_units

    @property
    def cramp_end_s(self) -> float | None:
        """When the involuntary firing stopped (fewer than cramp_min_units firing), None if it
        had not stopped by the end (or there was no cramp)."""
        if not self.cramp:
            return None
        t = self.step_start_s
        after = t > self.effort_end_s + params().stimulation.cramp_check_start
        quiet = after & (self.firing_units() < params().stimulation.cramp_min_units)
        if not quiet.any():
            return None
        return float(t[np.argmax(quiet)])

    @property
    def cramp_duration_s(self) -> float | None:
        end = self.cramp_end_s
        return None if end is None else end - self.effort_end_s

    def spikes(self) -> list[np.ndarray]:
        return discharge_times(self.t_s, self.net_input, self.seed)

    def emg_envelope(self, spikes=None, bin_s: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
        """Rectified EMG averaged in bins (what a cramp EMG panel shows over minutes)."""
        spikes = self.spikes() if spikes is None else spikes
        edges = np.arange(0.0, float(self.t_s[-1]) + bin_s, bin_s)
        amp = pool().muap
        counts = sum(amp[u] * np.histogram(times, edges)[0] for u, times in enumerate(spikes))
        return edges[:-1] + bin_s / 2, np.asarray(counts, dtype=float) / bin_s


def simulate(**controls) -> TimelineResult:
    """The cramp timeline: rest, a voluntary effort from 2 s, then the pool on its own for
    200 s, with a stretch and/or tendon-afferent stimulation at their times (0 = none)."""
    values = checked({**defaults(), **controls})
    part = Participant.from_values(values)
    p = params()
    inputs = p.inputs
    sim = p.simulation
    effort_end = EFFORT_START_S + values["effort_s"]
    # fine steps where something changes: from the effort's start to 4 s after its end, and
    # 4 s from a stretch or a tendon stimulation; the slow step elsewhere
    windows = [(EFFORT_START_S - 0.1, effort_end + EVENT_WINDOW_S)] + [
        (values[k], values[k] + EVENT_WINDOW_S) for k in ("stretch_at_s", "tendon_stim_at_s")
        if values[k] > 0]
    pieces, t = [], 0.0
    duration = sim.timeline_duration
    for start, end in sorted(windows):
        start, end = max(t, start), min(duration, end)
        if start > t:
            pieces.append((start - t, sim.timeline_slow_step))
        if end > start:
            pieces.append((end - start, sim.timeline_step))
        t = max(t, end)
    if t < duration:
        pieces.append((duration - t, sim.timeline_slow_step))
    dt = _grid(pieces)
    t_s = np.concatenate([[0.0], np.cumsum(dt)])[:-1] / 1000.0
    drive = np.where((t_s >= EFFORT_START_S) & (t_s < effort_end),
                     inputs.max_voluntary_drive * values["effort_pct"] / 100.0, 0.0)
    length = np.full_like(t_s, part.muscle_length_pct)
    if values["stretch_at_s"] > 0:
        ramp = np.clip((t_s - values["stretch_at_s"]) / inputs.stretch_ramp, 0.0, 1.0)
        length = length + (inputs.stretch_length - part.muscle_length_pct) * ramp
    tendon_stim = np.zeros_like(t_s)
    if values["tendon_stim_at_s"] > 0:
        on = (t_s >= values["tendon_stim_at_s"]) & (
            t_s < values["tendon_stim_at_s"] + inputs.tendon_stimulation_duration)
        tendon_stim[on] = inputs.tendon_stimulation
    background = (background_input(part, 0.0) - _length_terms(part, 0.0)
                  + _length_terms(part, length))
    external = (background + drive - tendon_stim)[:, None]
    ib_gain = tendon_gain(part, length)[:, None]
    seed = int(sim.seed)
    trace = _integrate(_Inputs(dt, external, ib_gain, np.zeros_like(external), *_pic(part, 1)))
    return TimelineResult(values, trace.t_s, trace.input[:, 0, :], trace.force[:, 0],
                          trace.pic[:, 0],
                          drive, length, tendon_stim, effort_end, seed)


def _length_terms(part: Participant, length_pct):
    """The parts of the background input that depend on muscle length."""
    return spindle_input(part, length_pct) - passive_inhibition(length_pct)


# --- what an explorer says -------------------------------------------------------------------

def summarise(result) -> str:
    """One sentence on a threshold protocol or a cramp timeline."""
    if isinstance(result, ProtocolResult):
        return _summarise_protocol(result)
    if isinstance(result, TimelineResult):
        return _summarise_timeline(result)
    raise TypeError(f"summarise() takes a ProtocolResult or a TimelineResult, not {type(result)}")


def _summarise_protocol(result: ProtocolResult) -> str:
    top = result.trains[-1].frequency_hz
    threshold = result.threshold_hz
    if threshold is None:
        return (f"No cramp after any train from {result.trains[0].frequency_hz:g} to {top:g} Hz: "
                "the motor units stopped firing when each train ended.")
    cramp = next(t for t in result.trains if t.cramp)
    return (f"Cramp threshold frequency {threshold:g} Hz: after that train "
            f"{cramp.units_firing_after} of {cramp.rate.shape[1]} motor units kept firing on "
            "their own (a cramp); every slower train ended without one.")


def _summarise_timeline(run: TimelineResult) -> str:
    values = run.controls
    if not run.cramp:
        return ("No cramp: the motor units stopped firing within a second or two of the end of "
                f"the {values['effort_pct']:g} % effort.")
    end = run.cramp_end_s
    text = (f"Cramp: after the effort ended at {run.effort_end_s:g} s, "
            f"{int(run.firing_units()[np.searchsorted(run.step_start_s, run.effort_end_s + 2.0)])} motor "
            "units kept firing on their own")
    if end is None:
        return text + "; it was still going at the end of the timeline."
    cause = _ended_by(run, end)
    fewer = params().stimulation.cramp_min_units
    return text + (f"; the cramp ended at {end:.0f} s ({cause}), when fewer than {fewer:g} were "
                   "still firing.")


def _ended_by(run: TimelineResult, end_s: float) -> str:
    values = run.controls
    for key, what in (("stretch_at_s", "the stretch began"),
                      ("tendon_stim_at_s", "tendon stimulation began")):
        start = values[key]
        if start > 0 and start <= end_s <= start + 8.0:
            delay = end_s - start
            return (f"{delay:.1f} s after {what}" if delay >= 0.1
                    else f"less than 0.1 s after {what}")
    return f"on its own, {end_s - run.effort_end_s:.0f} s after the effort"


# --- the model against the papers ----------------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    """One published result beside the model's."""

    claim: str
    published: str
    model: str
    met: bool
    refs: tuple[str, ...]


def _untreated_duration_s(**controls) -> float | None:
    f = threshold_hz(**controls)
    if f is None:
        return None
    train = threshold_protocol(frequencies_hz=[f], observation_s=200, **controls).trains[0]
    t = train.t_s[:-1]
    quiet = (t > train.train_end_s + 1.0) & (
        (train.net_input > 0).sum(axis=1) < params().stimulation.cramp_min_units)
    return float(t[np.argmax(quiet)] - train.train_end_s) if quiet.any() else None


def published_comparison() -> list[Comparison]:
    """Every target of tests/models/test_motor_pool.py, computed now: published vs model."""
    prone, not_prone = dict(cramp_prone=1), dict(cramp_prone=0)
    ctf = {k: threshold_hz(**v) for k, v in
           (("prone", prone), ("not", not_prone))}

    def hz(x):
        return "no cramp up to 40 Hz" if x is None else f"{x:g} Hz"

    def shift(a, b):
        return None if a is None or b is None else b - a

    rows = [Comparison("Cramp threshold frequency, cramp-prone", "14.9 ± 1.3 Hz (met if 12-18 Hz)",
                       hz(ctf["prone"]), ctf["prone"] is not None and abs(ctf["prone"] - 15) <= 3,
                       ("miller2009",)),
            Comparison("Cramp threshold frequency, not cramp-prone", "25.5 ± 1.6 Hz (met if 22-28 Hz)",
                       hz(ctf["not"]), ctf["not"] is not None and abs(ctf["not"] - 25) <= 3,
                       ("miller2009",))]
    run = simulate(**values_of("late_in_race"))
    stats = discharge_statistics(run.spikes(), run.effort_end_s + 0.5, run.effort_end_s + 10.5)
    rows.append(Comparison(
        "Motor-unit discharge during a cramp", "6-25 pps, mean 14.5 ± 5.1 pps, ISI CV 45 %",
        f"{stats['min_pps']:.0f}-{stats['max_pps']:.0f} pps, mean {stats['mean_pps']:.1f} pps, "
        f"CV {100 * stats['isi_cv']:.0f} %",
        6 <= stats["min_pps"] and stats["max_pps"] <= 25 and 10 <= stats["mean_pps"] <= 19
        and stats["isi_cv"] >= 0.3, ("minetto2009",)))
    neutral = [threshold_hz(muscle_length_pct=L, **prone) for L in (0, 10)]
    rows.append(Comparison("Neutral or lengthened muscle, same stimulation", "no cramp",
                           "no cramp" if neutral == [None, None] else
                           f"cramps at {hz(neutral[0])} / {hz(neutral[1])}",
                           neutral == [None, None], ("bertolasi1993",)))
    for scenario, what in (("stretch_ends_it", "A stretch"),
                           ("tendon_stimulation_ends_it", "Tendon-afferent stimulation")):
        r = simulate(**values_of(scenario))
        start = r.controls["stretch_at_s"] or r.controls["tendon_stim_at_s"]
        delay = None if r.cramp_end_s is None else r.cramp_end_s - start
        rows.append(Comparison(f"{what} ends a running cramp", "within a few seconds",
                               "did not end it" if delay is None else f"after {delay:.1f} s",
                               delay is not None and delay <= 5.0,
                               ("bertolasi1993", "khan2007")))
    untreated = _untreated_duration_s(**prone)
    rows.append(Comparison("An untreated electrically induced cramp fades", "in about 150 s (1-3 min)",
                           "did not fade" if untreated is None else f"after {untreated:.0f} s",
                           untreated is not None and 60 <= untreated <= 180, ("miller2010p",)))
    base = ctf["not"]
    dehydrated = threshold_hz(body_mass_loss_pct=2, **not_prone)
    water = threshold_hz(body_mass_loss_pct=2, drink_volume_l=1.4, **not_prone)
    ors = threshold_hz(body_mass_loss_pct=2, drink_volume_l=1.4, drink_sodium_mm=130,
                             **not_prone)
    d, w, o = shift(base, dehydrated), shift(dehydrated, water), shift(dehydrated, ors)
    rows += [
        Comparison("Dehydration alone (2 % of body mass)", "threshold moves < 3 Hz",
                   f"{d:+g} Hz" if d is not None else "-", d is not None and abs(d) < 3,
                   ("lau2019", "miller2010h")),
        Comparison("Then plain water (one laboratory's result; proposed mechanism: diluted sodium)",
                   "threshold falls 4-5 Hz (met if 3-6)", f"{w:+g} Hz" if w is not None else "-",
                   w is not None and -6 <= w <= -3, ("lau2019",)),
        Comparison("Or an oral rehydration solution (same laboratory)",
                   "threshold rises 4-5 Hz (met if 3-6)", f"{o:+g} Hz" if o is not None else "-",
                   o is not None and 3 <= o <= 6, ("lau2019",)),
    ]
    more = threshold_hz(monoamine_pct=130, **prone)
    none = threshold_hz(monoamine_pct=0, **prone)
    pain = threshold_hz(pain_pct=100, **prone)
    low_ca = threshold_hz(calcium_mm=1.05, **prone)
    spont = spontaneous_units(calcium_mm=0.45, muscle_length_pct=0)
    rows += [
        Comparison("More serotonin/noradrenaline", "lower threshold (PICs grow)",
                   f"{hz(ctf['prone'])} -> {hz(more)}",
                   more is not None and ctf["prone"] is not None and more < ctf["prone"],
                   ("heckman2008",)),
        Comparison("No persistent inward current", "no cramp at any frequency up to 40 Hz",
                   hz(none), none is None, ("heckman2008",)),
        Comparison("Muscle pain", "lower threshold (31.2 -> 25.7 Hz)",
                   f"{hz(ctf['prone'])} -> {hz(pain)}",
                   pain is not None and ctf["prone"] is not None and pain < ctf["prone"],
                   ("serrao2007",)),
        Comparison("Lower ionized calcium (1.05 mM)", "lower threshold (notebook 03's membrane)",
                   f"{hz(ctf['prone'])} -> {hz(low_ca)}",
                   low_ca is not None and ctf["prone"] is not None and low_ca < ctf["prone"],
                   ("fh1957", "hille2001")),
        Comparison("Very low ionized calcium (0.45 mM)", "units fire by themselves",
                   f"{spont} unit(s) fire with no input", spont >= 1, ("fh1957", "hille2001")),
    ]
    return rows


def resting_margin(**controls) -> np.ndarray:
    """For each unit (small to large): how far its input at rest lies below the level at which
    its PIC switches itself on (rheobase; negative = below, quiet; positive = it fires by itself).
    A stimulation train has to make up this margin."""
    part = Participant.from_values(controls) if controls else Participant()
    amplitude, half = (x[0] for x in _pic(part, 1))
    # without a PIC the unit simply has to reach its recruitment threshold (0)
    switch_on = pic_switch_on_input(amplitude, half) if amplitude > 0 else 0.0
    return background_input(part) - pool().thresholds - switch_on
