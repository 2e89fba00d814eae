"""The excitable membrane: physiological behaviour with numbers.

Expected values come from the literature or are worked out by hand:
- Hodgkin & Huxley 1952 (EL-16): at normal plasma values the model IS the classic squid-axon
  membrane, which rests at -65 mV; its steady-state analysis (Rinzel & Miller 1980, Math
  Biosci 49:27) puts the onset of periodic firing for a steady current at about
  6.3 uA/cm2 and the loss of a stable rest at about 9.8 uA/cm2; it then fires in the
  50-100 Hz range at 6.3 degC.
- Nernst (EL-07/EL-08): E_K rises by 26.73 * ln(7/4) = 14.96 mV when K+ goes from 4 to 7 mM.
- Surface-charge shift (EL-09): about 10-15 mV for a fivefold fall of Ca2+, only about 2-4 mV
  for a fall from 1.2 to 0.85 mM.
"""
import math
import statistics
import time

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from physiology import membrane as mb
from physiology.membrane import Electrolytes, simulate

NORMAL = Electrolytes.normal()


def peak_after(run, t_ms):
    return float(run.v_mv[run.t_ms >= t_ms].max())


# --- electrolytes -> reversal potentials and gating ------------------------------------------

def test_normal_plasma_gives_the_classic_hh_reversal_potentials_and_rest():
    e_na, e_k = mb.reversal_potentials_mv(NORMAL)
    assert (e_na, e_k) == pytest.approx((50.0, -77.0))
    assert mb.resting_potential_mv(NORMAL) == pytest.approx(-65.0, abs=0.5)


@pytest.mark.parametrize("ca_mm", [1.2, 0.6])
def test_resting_potential_is_where_the_steady_current_is_zero(ca_mm):
    membrane = Electrolytes.normal(ca_mm=ca_mm)
    rest = mb.resting_potential_mv(membrane)
    e_na, e_k = mb.reversal_potentials_mv(membrane)
    shift = mb.gating_shift_mv(membrane.ca_mm, membrane.mg_mm)
    current = lambda v: float(mb._steady_current(np.array(v), e_na, e_k, shift))  # noqa: E731
    # zero within the 1e-6 mV the root finder promises: the current changes sign across it
    assert current(rest - 1e-5) < 0 < current(rest + 1e-5)


def test_e_k_follows_plasma_potassium_by_the_nernst_change():
    # 26.73 mV * ln(7/4) = +14.96 mV; 26.73 mV * ln(3/4) = -7.69 mV (EL-08: +14.9, -7.7)
    assert mb.reversal_potentials_mv(Electrolytes.normal(k_mm=7))[1] == pytest.approx(-62.04, abs=0.05)
    assert mb.reversal_potentials_mv(Electrolytes.normal(k_mm=3))[1] == pytest.approx(-84.69, abs=0.05)


def test_gating_shift_for_a_fivefold_fall_of_calcium_is_within_el09():
    shift = mb.gating_shift_mv(1.2 / 5)
    assert -15.0 <= shift <= -10.0
    low, high = mb.gating_shift_range_mv(1.2 / 5)
    # the ends of the range reproduce EL-09's 10 and 15 mV (14 and 21 mV per tenfold)
    assert low == pytest.approx(-14.7, abs=0.1) and high == pytest.approx(-9.8, abs=0.1)


def test_clinical_fall_of_ionized_calcium_shifts_gating_only_a_few_mv():
    # EL-09 note: only ~2-4 mV for 1.2 -> 0.85 mM
    assert -4.0 <= mb.gating_shift_mv(0.85) <= -2.0


def test_magnesium_shifts_gating_less_than_calcium_for_the_same_fall():
    ca_half = mb.gating_shift_mv(0.6, 0.85)
    mg_half = mb.gating_shift_mv(1.2, 0.425)
    assert ca_half < mg_half < 0
    assert mb.gating_shift_mv(1.2, 0.85) == 0.0


# --- normal calcium: quiet at rest, a clear threshold --------------------------------------

def test_normal_membrane_stays_at_rest_without_stimulus():
    run = simulate(0.0, NORMAL)
    assert len(run.spike_times_ms) == 0
    assert run.pattern() == "silent" and not run.spontaneous
    assert abs(run.v_mv[-1] - (-65.0)) < 0.5


def test_normal_membrane_has_a_clear_all_or_none_threshold():
    threshold = mb.threshold_current_ua_cm2(NORMAL)
    assert 1.0 < threshold < 5.0
    below = simulate(0.95 * threshold, NORMAL, duration_ms=60, stimulus_onset_ms=10)
    above = simulate(1.05 * threshold, NORMAL, duration_ms=60, stimulus_onset_ms=10)
    # 5% less current: a small local response; 5% more: a full action potential
    assert peak_after(below, 10) < -40.0
    assert peak_after(above, 10) > 20.0


def test_steady_current_below_the_periodic_onset_gives_at_most_one_spike():
    run = simulate(5.0, NORMAL)  # below ~6.3 uA/cm2
    assert len(run.spikes_between(run.stimulus_onset_ms, math.inf)) <= 1
    assert run.rate_hz() == 0.0


def test_steady_current_above_the_hopf_point_fires_repetitively_at_squid_rates():
    run = simulate(10.0, NORMAL)  # above ~9.8 uA/cm2
    assert run.pattern() == "repetitive"
    assert 50.0 < run.rate_hz() < 100.0


# --- calcium: threshold falls, then spontaneous firing (tetany) ----------------------------

def test_threshold_falls_monotonically_as_calcium_falls():
    calcium = [2.5, 2.0, 1.5, 1.2, 1.0, 0.8, 0.7, 0.6]
    thresholds = mb.threshold_curve(np.array(calcium))
    assert all(np.diff(thresholds) < 0), dict(zip(calcium, thresholds))
    assert thresholds[-1] > 0  # 0.6 mM: still needs a stimulus


def test_low_calcium_mainly_shifts_gating_not_the_resting_potential():
    # misleading claim 3 / MC-03: halving Ca shifts gating by 18*log10(0.5) = -5.4 mV
    low = Electrolytes.normal(ca_mm=0.6)
    shift = mb.gating_shift_mv(0.6)
    assert shift == pytest.approx(-5.42, abs=0.01)
    change_of_rest = mb.resting_potential_mv(low) - mb.resting_potential_mv(NORMAL)
    assert change_of_rest <= 0.5  # it does not depolarize the rest...
    assert abs(change_of_rest) < abs(shift) / 2  # ...and moves it far less than the gating
    assert mb.threshold_current_ua_cm2(low) < mb.threshold_current_ua_cm2(NORMAL)


def test_below_a_calcium_level_the_membrane_fires_spontaneously_and_repetitively():
    level = mb.spontaneous_firing_calcium_mm()
    print(f"\nmodel fires by itself below {level:.2f} mM ionized Ca")
    # below the lower end of the ionized-Ca reference range (1.12 mM, EL-03)
    assert 0.2 < level < 1.12
    tetany = simulate(0.0, Electrolytes.normal(ca_mm=0.9 * level))
    assert tetany.spontaneous and tetany.pattern() == "repetitive"
    assert 30.0 < tetany.rate_hz() < 150.0
    assert len(tetany.spike_times_ms) >= 10  # keeps firing over 500 ms
    quiet = simulate(0.0, Electrolytes.normal(ca_mm=1.1 * level))
    assert not quiet.spontaneous
    assert mb.threshold_current_ua_cm2(Electrolytes.normal(ca_mm=0.9 * level)) == 0.0


def test_the_tetany_level_moves_with_the_el09_uncertainty():
    steep = mb.spontaneous_firing_calcium_mm(ca_shift_per_tenfold=21.0)
    shallow = mb.spontaneous_firing_calcium_mm(ca_shift_per_tenfold=14.0)
    # a steeper Ca dependence reaches the same gating shift after a smaller fall
    assert shallow < mb.spontaneous_firing_calcium_mm() < steep


def test_low_magnesium_adds_to_low_calcium():
    assert mb.spontaneous_firing_calcium_mm(mg_mm=0.4) > mb.spontaneous_firing_calcium_mm()


# --- potassium: rest follows E_K part of the way ---------------------------------------------

def test_raised_potassium_depolarizes_rest_by_less_than_the_change_of_e_k():
    change = mb.resting_potential_mv(Electrolytes.normal(k_mm=7)) - mb.resting_potential_mv(NORMAL)
    assert 0.0 < change < 14.96  # E_K rises 14.96 mV; the leak holds the rest back


def test_lowered_potassium_hyperpolarizes_rest_by_less_than_the_change_of_e_k():
    change = mb.resting_potential_mv(Electrolytes.normal(k_mm=3)) - mb.resting_potential_mv(NORMAL)
    assert -7.69 < change < 0.0


def test_potassium_moves_the_threshold_the_way_el12_and_el13_describe():
    normal = mb.threshold_current_ua_cm2(NORMAL)
    assert mb.threshold_current_ua_cm2(Electrolytes.normal(k_mm=3)) > normal  # EL-12
    assert mb.threshold_current_ua_cm2(Electrolytes.normal(k_mm=5.5)) < normal  # EL-13


# --- the integrator --------------------------------------------------------------------------

def hh_reference(stimulus, e_na, e_k, shift, duration_ms, onset_ms):
    """The HH equations written out from EL-16 and solved with a tight adaptive solver."""
    def rates(v):
        u = v - shift
        am = 0.1 * (u + 40) / (1 - math.exp(-(u + 40) / 10))
        bm = 4 * math.exp(-(u + 65) / 18)
        ah = 0.07 * math.exp(-(u + 65) / 20)
        bh = 1 / (1 + math.exp(-(u + 35) / 10))
        an = 0.01 * (u + 55) / (1 - math.exp(-(u + 55) / 10))
        bn = 0.125 * math.exp(-(u + 65) / 80)
        return am, bm, ah, bh, an, bn

    def rhs(t, y):
        v, m, h, n = y
        am, bm, ah, bh, an, bn = rates(v)
        current = stimulus if t >= onset_ms else 0.0
        i_ion = 120 * m**3 * h * (v - e_na) + 36 * n**4 * (v - e_k) + 0.3 * (v + 54.4)
        return [current - i_ion, am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n]

    rest = -65.0 if shift == 0 else None
    assert rest is not None  # the reference is only used at normal Ca, whose rest is -65 mV
    am, bm, ah, bh, an, bn = rates(rest)
    y0 = [rest + 1.0, am / (am + bm), ah / (ah + bh), an / (an + bn)]
    sol = solve_ivp(rhs, (0, duration_ms), y0, method="DOP853", rtol=1e-9, atol=1e-9,
                    max_step=0.05, dense_output=True)
    t = np.arange(0, duration_ms, 0.005)
    v = sol.sol(t)[0]
    idx = np.nonzero((v[:-1] < 0) & (v[1:] >= 0))[0]
    return t[idx]


def test_exponential_euler_matches_a_tight_adaptive_solver():
    reference = hh_reference(10.0, 50.0, -77.0, 0.0, duration_ms=120, onset_ms=20)
    run = simulate(10.0, NORMAL, duration_ms=120, stimulus_onset_ms=20)
    assert len(run.spike_times_ms) == len(reference) >= 6
    assert np.max(np.abs(run.spike_times_ms - reference)) < 0.1  # ms, over 6+ spikes


def test_one_explorer_update_of_500_ms_computes_well_under_100_ms():
    # CPU time of this process, so that other jobs sharing the machine do not count
    simulate(5.0, NORMAL)  # builds the rate tables once
    times = []
    for _ in range(5):
        start = time.process_time()
        simulate(5.0, Electrolytes.normal(ca_mm=0.8, k_mm=5.0))
        times.append(time.process_time() - start)
    median_ms = 1000 * statistics.median(times)
    print(f"\n500 ms of membrane time: median {median_ms:.1f} ms of CPU time")
    assert median_ms < 100.0


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["k_mm", "na_mm", "ca_mm", "mg_mm"])
@pytest.mark.parametrize("value", [0.0, -1.0, float("nan"), float("inf")])
def test_electrolytes_must_be_positive_finite_concentrations(field, value):
    with pytest.raises(ValueError, match=f"{field} must be a concentration above 0 mM"):
        Electrolytes.normal(**{field: value})


def test_unknown_electrolyte_name_is_a_clear_error():
    with pytest.raises(KeyError, match="Unknown electrolyte"):
        Electrolytes.normal(calcium=1.0)


def test_absurd_stimulus_is_refused():
    with pytest.raises(ValueError, match="Stimulus must be between"):
        simulate(1000.0)
