"""The reflex model (physiology/reflex.py): rested, fatigued, stretched, threshold, speed.

Expected numbers are worked out by hand from the model's equations (module docstring) and its
parameters, or taken from the literature (NM-05, NM-07); the working is in each test. Default
parameters: rate = 60 Hz * (1 - exp(-40 (u - 1) / 60)) above rheobase, force = r^2/(r^2 + 15^2),
spindle Ia = 0.3 + 0.6 F + 0.3 S, tendon Ib = 2.0 (1 - 0.8 F) force + 3.0 S, PIC up to
2.0 rheobase at 100 % strength, half on at u = 1.4; effort 60 % = 1.2 rheobase.
"""
from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import brentq

from physiology import data
from physiology import reflex
from physiology.reflex import (CRAMP_THRESHOLD_FREQUENCY_HZ, PARAMETERS, Protocol, ReflexSettings,
                               fatigue_threshold_pct, simulate)

RESTED = ReflexSettings(fatigue_pct=10)
FATIGUED = ReflexSettings(fatigue_pct=75)
CTF_LOW_HZ, CTF_HIGH_HZ = CRAMP_THRESHOLD_FREQUENCY_HZ


def firing_at(run, t: float) -> float:
    return float(run.firing_hz[run.index_at(t)])


# --- rested: the firing ends with the effort ------------------------------------------------

def test_rested_muscle_fires_during_the_effort_at_the_hand_solved_rate():
    # F = 0.1: u = 1.2 + 0.36 + 2.0 - 1.84 f. Iterating u -> r -> f by hand:
    # u = 2.074, r = 30.7 Hz, f = 0.81. Forward Euler lags a little, so allow 0.5 Hz.
    run = simulate(RESTED)
    assert firing_at(run, 1.45) == pytest.approx(30.7, abs=0.5)


def test_rested_muscle_stops_firing_within_0_3_s_of_the_end_of_the_effort():
    # Without drive, u = 0.36 + PIC - Ib. Firing can only continue while the PIC alone lifts
    # u above 1: 2.0 p > 0.64, i.e. p > 0.32, which lasts at most 0.2 s * ln(1/0.32) = 0.23 s;
    # then firing decays from ~31 Hz to 1 Hz in 0.02 s * ln(31) = 0.07 s: 0.30 s in all.
    run = simulate(RESTED)
    assert run.stops_after_s is not None
    assert 0.0 < run.stops_after_s <= 0.30
    assert run.post_drive_rate_hz < reflex.SILENT_BELOW_HZ
    assert not run.cramp
    assert run.firing_hz[-1] < reflex.SILENT_BELOW_HZ  # and it stays silent to the end


# --- fatigued: the same effort leaves self-sustained firing (a cramp) -----------------------

def test_fatigued_muscle_keeps_firing_above_the_cramp_threshold_range_after_the_effort():
    # F = 0.75, PIC on: u = 0.75 + 2.0 - 0.8 f. By hand: u = 2.10 -> r = 60 (1 - e^-0.733)
    # = 31.2 Hz -> f = 0.812 -> u = 2.10 (self-consistent). That is above the whole range of
    # cramp threshold frequencies measured in people (mid-teens to mid-20s Hz, NM-07).
    run = simulate(FATIGUED)
    assert run.cramp
    assert run.post_drive_rate_hz == pytest.approx(31.2, abs=0.5)
    assert run.post_drive_rate_hz > CTF_HIGH_HZ
    assert run.stops_after_s is None
    assert firing_at(run, 9.9) == pytest.approx(31.2, abs=0.5)  # no stretch: it never stops


def test_sustained_rate_is_the_steady_state_of_the_loop_equations():
    # The same fixed point, solved with a root finder instead of by hand, for 60 % and 100 %.
    p = PARAMETERS
    for fatigue in (0.6, 1.0):
        def mismatch(u):
            rate = p.max_rate_hz * (1 - math.exp(-p.rate_gain_hz * (u - 1) / p.max_rate_hz))
            force = rate ** 2 / (rate ** 2 + p.force_half_rate_hz ** 2)
            return (0.3 + 0.6 * fatigue + 2.0 - 2.0 * (1 - 0.8 * fatigue) * force) - u
        u_star = brentq(mismatch, 1.5, 3.0)
        rate_star = 60 * (1 - math.exp(-40 * (u_star - 1) / 60))
        run = simulate(ReflexSettings(fatigue_pct=fatigue * 100))
        assert run.post_drive_rate_hz == pytest.approx(rate_star, abs=0.5)


def test_without_a_persistent_inward_current_nothing_sustains_the_firing():
    # With PIC 0 %, the input after the effort is Ia - Ib <= 0.3 + 0.6 = 0.9 rheobase even at
    # 100 % fatigue: below 1, so the pool must fall silent.
    run = simulate(ReflexSettings(fatigue_pct=100, pic_strength_pct=0))
    assert not run.cramp
    assert run.post_drive_rate_hz < reflex.SILENT_BELOW_HZ
    assert fatigue_threshold_pct(ReflexSettings(pic_strength_pct=0)) is None


# --- stretching ends the cramp ----------------------------------------------------------------

def test_gentle_stretch_ends_the_cramp_and_the_time_to_relief_is_reported():
    # With stretch S the cramp state is u = 2.75 - 2.7 S - 0.8 f. The PIC starts to let go
    # when u nears 1.5 (r = 17 Hz, f = 0.56): S = 0.30; it is gone by u = 1.4 (r = 13.9 Hz,
    # f = 0.46): S = 0.36. A 50 % stretch eased in over 2 s passes 0.30-0.36 at 1.2-1.44 s,
    # and the firing then takes under 0.3 s to die away: relief within 1.0-1.8 s.
    run = simulate(replace(FATIGUED, stretch_intensity_pct=50))
    assert run.cramp  # it was a cramp before the stretch began
    assert run.time_to_relief_s is not None
    assert 1.0 <= run.time_to_relief_s <= 1.8
    assert run.firing_hz[-1] < reflex.SILENT_BELOW_HZ


def test_a_stronger_stretch_relieves_sooner_and_a_too_gentle_one_not_at_all():
    # 100 %: the needed 0.30-0.36 is reached at 0.6-0.72 s, relief by about 1.0 s.
    # 10 %: never reaches 0.30, so the cramp goes on.
    firm = simulate(replace(FATIGUED, stretch_intensity_pct=100)).time_to_relief_s
    gentle = simulate(replace(FATIGUED, stretch_intensity_pct=50)).time_to_relief_s
    too_gentle = simulate(replace(FATIGUED, stretch_intensity_pct=10))
    assert 0.5 <= firm <= 1.0
    assert firm < gentle
    assert too_gentle.time_to_relief_s is None
    assert firing_at(too_gentle, 9.9) > CTF_LOW_HZ


def test_after_the_stretch_the_same_effort_brings_the_cramp_back():
    # NM-04: one stretch bout did not make muscles less cramp-prone. In the model the stretch
    # changes nothing that lasts: release it and the next identical effort cramps again.
    protocol = Protocol(drive_pulses=((0.5, 1.0, 0.6), (8.0, 1.0, 0.6)),
                        stretch_start_s=3.0, stretch_intensity=0.5, stretch_end_s=7.0,
                        duration_s=11.0)
    run = simulate(FATIGUED, protocol)
    assert firing_at(run, 2.9) > CTF_HIGH_HZ  # cramp after the first effort
    assert firing_at(run, 6.9) < reflex.SILENT_BELOW_HZ  # relieved by the stretch
    assert firing_at(run, 7.9) < reflex.SILENT_BELOW_HZ  # stays quiet after release
    assert firing_at(run, 10.9) > CTF_HIGH_HZ  # the next effort cramps again


# --- the fatigue threshold -----------------------------------------------------------------------

def test_a_fatigue_threshold_separates_no_cramp_from_cramp():
    threshold = fatigue_threshold_pct(ReflexSettings())
    assert threshold is not None
    # the scenarios sit on either side of it: rested (10 %) below, late in a race (75 %) above
    assert 10 < threshold < 75
    below = simulate(ReflexSettings(fatigue_pct=threshold - 2))
    above = simulate(ReflexSettings(fatigue_pct=threshold + 2))
    assert not below.cramp and below.post_drive_rate_hz < reflex.SILENT_BELOW_HZ
    assert above.cramp and above.post_drive_rate_hz > CTF_LOW_HZ


def test_no_effort_at_all_can_cramp_below_the_fatigue_where_the_loop_has_no_sustained_state():
    # Solve the loop equations at rest (no drive) on a fine grid of u > 1: the self-sustained
    # state is a root of g(u) = Ia + PIC(u) - Ib(force(rate(u))) - u. g is negative at u = 1
    # and at u = 4, so a firing steady state exists exactly when g > 0 somewhere between.
    # Below the lowest such fatigue no effort, however hard or long, can leave a cramp.
    u = np.linspace(1.0, 4.0, 30001)
    p = PARAMETERS

    def sustained_state_exists(fatigue: float) -> bool:
        rate = p.max_rate_hz * (1 - np.exp(-p.rate_gain_hz * (u - 1) / p.max_rate_hz))
        force = rate ** 2 / (rate ** 2 + p.force_half_rate_hz ** 2)
        pic = 2.0 / (1 + np.exp(-(u - 1.4) / 0.05))
        g = 0.3 + 0.6 * fatigue + pic - 2.0 * (1 - 0.8 * fatigue) * force - u
        assert g[0] < 0 and g[-1] < 0
        return bool(np.any(g > 0))

    existence = next(f for f in np.arange(0, 1.001, 0.005) if sustained_state_exists(f))
    strongest_effort = ReflexSettings(fatigue_pct=(existence - 0.03) * 100,
                                      drive_amplitude_pct=100, drive_duration_s=3.0)
    assert not simulate(strongest_effort).cramp
    # and the reported threshold for the standard effort cannot be lower than that floor
    assert fatigue_threshold_pct(ReflexSettings()) >= existence * 100 - 1


def test_stronger_persistent_inward_current_lowers_the_fatigue_threshold():
    weak = fatigue_threshold_pct(ReflexSettings(pic_strength_pct=75))
    typical = fatigue_threshold_pct(ReflexSettings(pic_strength_pct=100))
    strong = fatigue_threshold_pct(ReflexSettings(pic_strength_pct=125))
    # each 25 % step of PIC moves the threshold by well over 10 fatigue points
    assert weak - typical > 10
    assert typical - strong > 10
    assert 0 <= strong < typical < weak <= 100


# --- sanity of the parts ----------------------------------------------------------------

def test_fatigue_raises_spindle_drive_and_weakens_tendon_organ_inhibition():
    # HYP-02: the direction of both changes
    assert reflex.spindle_drive(1.0, 0.0) > reflex.spindle_drive(0.0, 0.0)
    assert reflex.tendon_inhibition(1.0, 1.0, 0.0) < reflex.tendon_inhibition(1.0, 0.0, 0.0)
    # a stretch adds more tendon-organ inhibition than spindle excitation (net braking)
    assert reflex.tendon_inhibition(0.0, 1.0, 1.0) > reflex.spindle_drive(0.0, 1.0) - reflex.spindle_drive(0.0, 0.0)


def test_pic_amplifies_synaptic_input_no_more_than_about_fivefold():
    # NM-05: PICs amplify synaptic input up to about 5x. Here the PIC (at most 3.0 rheobase at
    # 150 %) switches on only when synaptic input already nears 1.4, so (syn + PIC) / syn stays
    # below (1.3 + 3.0) / 1.3 = 3.3. Check over every effort level.
    for pic_pct in (100, 150):
        for effort in range(10, 101, 10):
            run = simulate(ReflexSettings(pic_strength_pct=pic_pct, drive_amplitude_pct=effort))
            during = (run.time_s >= 0.5) & (run.time_s < 1.5)
            synaptic = run.drive[during] + run.spindle[during]
            amplification = (synaptic + run.pic[during]) / synaptic
            assert amplification.max() < 5.0


def test_one_slider_move_computes_in_well_under_50_ms():
    # A PIC or effort slider move needs a new run and a new threshold (up to 9 short runs).
    def one_update(pic):
        reflex.threshold_for_effort.cache_clear()
        simulate(ReflexSettings(fatigue_pct=75, pic_strength_pct=pic, stretch_intensity_pct=50))
        fatigue_threshold_pct(ReflexSettings(pic_strength_pct=pic))

    timings = []
    for pic in (90, 100, 110, 95, 105):
        start = time.perf_counter()
        one_update(pic)
        timings.append(time.perf_counter() - start)
    # best of five: the cost of the computation itself, not of other jobs on a shared machine
    assert min(timings) < 0.050


def test_settings_outside_the_model_range_give_a_clear_message():
    with pytest.raises(ValueError, match="fatigue_pct = 120 is outside"):
        ReflexSettings(fatigue_pct=120)
    with pytest.raises(ValueError, match="must be a number"):
        ReflexSettings(drive_duration_s=float("nan"))


# --- parameters and the scenario file -----------------------------------------------------

def test_every_parameter_has_a_unit_and_known_sources():
    known = data.references()
    for row in PARAMETERS.describe():
        assert row["unit"], row["name"]
        assert row["note"], row["name"]
        assert all(ref in known for ref in row["refs"]), row
        if row["name"] != "time_step_s":
            assert row["refs"], f"{row['name']} names no source"
    assert all(ref in known for ref in reflex.CRAMP_THRESHOLD_REFS)


def test_scenario_controls_stay_inside_what_the_model_accepts():
    spec = data.scenarios("reflex")
    for control in spec.controls:
        low, high, _unit = ReflexSettings.LIMITS[control.name]
        assert low <= control.min and control.max <= high, control.name
    for scenario in spec.scenarios:
        defaults = {c.name: c.default for c in spec.controls}
        ReflexSettings(**{**defaults, **scenario.values})  # raises if out of range
    assert {s.id for s in spec.scenarios} >= {"rested", "fatigued_late_in_race",
                                              "stretch_relieves_it"}


def test_the_three_scenarios_behave_as_their_descriptions_say():
    spec = data.scenarios("reflex")
    runs = {s.id: simulate(reflex.scenario_settings(s.id)) for s in spec.scenarios}
    assert not runs["rested"].cramp
    assert runs["fatigued_late_in_race"].cramp
    assert runs["fatigued_late_in_race"].time_to_relief_s is None  # nobody stretched
    assert runs["stretch_relieves_it"].time_to_relief_s is not None
