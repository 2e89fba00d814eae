"""The calcium-handling fibre model (physiology.calcium) against physiology and the CA-* facts.

Expected values come from the facts and references, or are worked out here by hand from the
parameter file (e.g. total calcium at rest); none is copied from the model's own output.
Time is in ms and concentrations in uM unless a name says otherwise.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from physiology import calcium, data
from physiology.data import DataFileError

RESTED_TETANUS = dict(frequency_hz=50, duration_s=0.5)


def simulate(**kw) -> calcium.FibreResult:
    return calcium.simulate(**kw)


def full_width_at_half_max_ms(t_ms: np.ndarray, y: np.ndarray) -> float:
    """FDHM of a single peak, on a 0.01 ms grid interpolated from the solver's points."""
    grid = np.arange(t_ms[0], t_ms[-1], 0.01)
    values = np.interp(grid, t_ms, y)
    above = grid[values >= (values.max() + values[0]) / 2]
    return float(above[-1] - above[0])


def ripple(result: calcium.FibreResult, start_ms: float, end_ms: float) -> float:
    """(max - min) / max of force over a window of a train."""
    window = (result.t_ms >= start_ms) & (result.t_ms <= end_ms)
    force = result.force_pct[window]
    return float((force.max() - force.min()) / force.max())


# --- the parameter file ----------------------------------------------------------------------

def test_parameter_file_is_registered_validates_and_cites_known_references():
    path = data.DATA_DIR / calcium.DATA_FILE
    assert data.schema_for(path) is calcium.CalciumParametersFile
    assert isinstance(data.validate_file(path), calcium.CalciumParametersFile)
    assert set(calcium.cited_refs()) <= set(data.references())


def test_parameter_in_the_wrong_unit_is_rejected_with_its_name(tmp_path):
    text = (data.DATA_DIR / calcium.DATA_FILE).read_text(encoding="utf-8")
    changed = text.replace("max_rate: {value: 4.0, unit: uM/ms", "max_rate: {value: 4.0, unit: mM/s")
    assert changed != text
    (tmp_path / "bad.yaml").write_text(changed, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"serca\.max_rate must be in uM/ms"):
        data.load("bad.yaml", calcium.CalciumParametersFile, data_dir=tmp_path)


def test_parameters_carry_the_fact_values():
    p = calcium.parameters()
    assert p.resting_ca == 0.05                  # CA-09: 50 nM teaching value
    assert p.sr_free_at_rest == 390.0            # CA-08: ~390 uM free in the SR lumen
    assert p.ca_per_atp == 2.0                   # CA-03: 2 Ca2+ per ATP
    assert p.recovery_rate == pytest.approx(7.0 / 1000)   # CA-06: ~7 s^-1, in 1/ms
    # CA-07: 8 mM ATP binds ~64 uM Ca2+ when free Ca2+ rises ~18 uM
    assert p.atp_ratio == pytest.approx(64 / 18, rel=0.02)


# --- rest --------------------------------------------------------------------------------------

def test_at_rest_calcium_stays_at_50_nm_and_force_near_zero():
    result = simulate()   # no stimulation, 2 s
    assert result.t_ms[-1] == pytest.approx(2000.0)
    np.testing.assert_allclose(result.cytosolic_ca_um, 0.050, atol=0.0005)   # 50 +/- 0.5 nM
    assert result.resting_ca_nm == pytest.approx(50.0, abs=0.5)
    np.testing.assert_allclose(result.sr_free_ca_um, 390.0, atol=0.5)         # CA-08
    assert result.force_pct.max() < 0.1
    assert len(result.ap_times_ms) == 0 and not result.electrically_active_at_end


def test_resting_state_is_an_equilibrium():
    p = calcium.parameters()
    rates = calcium._derivatives(0.0, calcium.resting_state(p), -1e9,
                                 calcium._drive(calcium.Conditions(), p), p)
    # every compartment rate is zero; the last two are running totals (pumping = leak at rest)
    np.testing.assert_allclose(rates[:6], 0.0, atol=1e-9)


# --- one action potential ---------------------------------------------------------------------

def test_one_action_potential_gives_a_twitch_with_a_calcium_transient_of_10_to_20_um():
    result = simulate(frequency_hz=50, duration_s=0.01)
    assert len(result.ap_times_ms) == 1
    # CA-04: ~18.5 uM in mouse fast-twitch fibres; the model should be of that order
    assert 10.0 <= result.peak_ca_um <= 20.0
    # a twitch is a partial contraction that ends: well below full force, back to rest
    assert 20.0 < result.peak_force_pct < 80.0
    assert result.final_force_pct < 0.5


def test_release_after_one_action_potential_matches_ca06():
    result = simulate(frequency_hz=50, duration_s=0.01)
    first = result.t_ms <= 130.0
    rate = result.release_rate_um_per_ms
    # CA-06: peak ~200-225 uM/ms with a full duration at half maximum of ~1.6 ms
    assert 200.0 <= rate.max() <= 225.0
    assert full_width_at_half_max_ms(result.t_ms[first], rate[first]) == pytest.approx(1.6, abs=0.2)


def test_release_to_later_spikes_of_a_67_hz_train_falls_to_015_025_of_the_first():
    release = simulate(frequency_hz=67, duration_s=0.5).release_per_action_potential_um()
    relative = release / release[0]
    assert len(release) == 34                       # ceil(0.5 s * 67 Hz)
    assert np.all((relative[5:] >= 0.15) & (relative[5:] <= 0.25)), relative.round(3)


# --- trains: fusion and the force-frequency relation -------------------------------------------

def test_trains_at_50_to_100_hz_fuse_while_10_hz_gives_separate_twitches():
    # over the last 100 ms of a 0.5 s train (starting at 100 ms)
    assert ripple(simulate(frequency_hz=100, duration_s=0.5), 500, 600) < 0.05
    assert ripple(simulate(frequency_hz=50, duration_s=0.5), 500, 600) < 0.10
    assert ripple(simulate(frequency_hz=10, duration_s=0.5), 500, 600) > 0.50


def test_force_rises_with_stimulation_frequency():
    curve = calcium.force_frequency((1, 5, 10, 20, 30, 50, 80, 100))
    force = curve.peak_force_pct
    assert np.all(np.diff(force) >= -0.01), force.round(2)     # never falls
    assert np.all(np.diff(force[2:]) > 0), force.round(2)       # rises from 10 Hz up
    twitch, tetanus = force[0], force[-1]
    assert tetanus > 95.0
    assert twitch < 0.7 * tetanus


def test_steady_force_calcium_relation_is_steep_with_half_activation_near_1_um():
    # CA-10: sigmoidal, Hill coefficient ~2-5, half-activation ~1 uM in intact fibres
    assert 0.4 <= calcium.steady_force_fraction(1.0) <= 0.6
    low, high = 0.8, 1.25
    f_low, f_high = calcium.steady_force_fraction([low, high])
    hill = (np.log(f_high / (1 - f_high)) - np.log(f_low / (1 - f_low))) / np.log(high / low)
    assert 2.0 <= hill <= 5.0
    assert calcium.steady_force_fraction(0.05) < 1e-4      # rest: no force


# --- conservation -----------------------------------------------------------------------------

def test_total_calcium_at_rest_matches_a_hand_calculation():
    # free 0.05 uM x (1 + 3.5 ATP-bound) + troponin 240 x 0.05/(0.05 + 1.3)
    # + parvalbumin 1500 x (0.05/0.01199) / (1 + 0.05/0.01199 + 1000/90.91) + SR 2500
    k_ca, k_mg = 0.0005 / 0.0417, 0.003 / 3.3e-5
    parvalbumin = 1500 * (0.05 / k_ca) / (1 + 0.05 / k_ca + 1000 / k_mg)
    expected = 0.05 * 4.5 + 240 * 0.05 / 1.35 + parvalbumin + 2500
    assert expected == pytest.approx(2895.9, abs=0.1)
    assert simulate().total_ca_um[0] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("settings", [
    RESTED_TETANUS,
    dict(frequency_hz=100, duration_s=1.9, release_pct=200),
    dict(frequency_hz=50, duration_s=0.3, serca_pct=10, atp_pct=10),
    dict(frequency_hz=20, duration_s=1.0, serca_pct=0),
])
def test_total_calcium_is_conserved(settings):
    total = simulate(**settings).total_ca_um
    assert np.max(np.abs(total - total[0])) / total[0] < 1e-9


# --- relaxation -------------------------------------------------------------------------------

def test_after_a_tetanus_a_rested_fibre_relaxes_within_300_ms():
    result = simulate(**RESTED_TETANUS)
    assert result.time_to_relax_ms(0.05) < 300.0          # below 5 % of its force
    assert result.force_pct[result.t_ms >= result.last_ap_ms + 300].max() < 0.05 * result.peak_force_pct
    assert result.final_ca_um < 0.2                        # calcium back towards rest


def test_relaxation_slows_steadily_as_serca_capacity_falls():
    curve = calcium.relaxation_vs_serca((100, 80, 60, 40, 20))
    assert np.all(np.isfinite(curve.half_time_ms))
    assert np.all(np.diff(curve.half_time_ms) > 0), curve.half_time_ms.round(1)
    assert curve.half_time_ms[-1] > 3 * curve.half_time_ms[0]


def test_relaxation_slows_steadily_as_atp_falls():
    halves = [simulate(**RESTED_TETANUS, atp_pct=a).relaxation_half_time_ms()
              for a in (100, 80, 60, 40, 20)]
    assert all(h is not None for h in halves)
    assert np.all(np.diff(halves) > 0), np.round(halves, 1)


def test_more_serca_relaxes_faster():
    assert (simulate(**RESTED_TETANUS, serca_pct=200).relaxation_half_time_ms()
            < simulate(**RESTED_TETANUS).relaxation_half_time_ms())


# --- cramp versus contracture ------------------------------------------------------------------

def test_cramp_firing_sustains_force_while_the_fibre_stays_electrically_active():
    cramp = simulate(frequency_hz=40, duration_s=1.9)
    assert cramp.electrically_active_at_end
    assert cramp.action_potentials_between(1000, 2000) == 40       # 40 Hz x 1 s
    assert cramp.final_force_pct > 60.0
    # the same, normal fibre relaxes as soon as its motor neuron stops firing
    stopped = simulate(frequency_hz=40, duration_s=0.5)
    assert not stopped.electrically_active_at_end
    assert stopped.time_to_relax_ms(0.05) < 300.0


def test_contracture_keeps_force_with_no_excitation():
    contracture = simulate(frequency_hz=50, duration_s=0.3, serca_pct=10, atp_pct=10)
    # last action potential at 100 + 14 x 20 = 380 ms: then 1620 ms of silence
    assert contracture.last_ap_ms == pytest.approx(380.0)
    assert contracture.action_potentials_between(400, 2000) == 0
    assert not contracture.electrically_active_at_end
    assert contracture.silent_for_ms == pytest.approx(1620.0)
    assert contracture.final_force_pct > 0.5 * contracture.peak_force_pct
    assert contracture.relaxation_half_time_ms() is None
    # the same burst in a rested fibre is long over
    assert simulate(frequency_hz=50, duration_s=0.3).final_force_pct < 1.0


def test_summary_names_cramp_and_contracture():
    assert "cramp-like" in calcium.summarise(simulate(frequency_hz=40, duration_s=1.9))
    text = calcium.summarise(simulate(frequency_hz=50, duration_s=0.3, serca_pct=10, atp_pct=10))
    assert "contracture-like" in text and "silent for the last 1.6 s" in text


# --- the summary line ---------------------------------------------------------------------------

def test_summary_compares_relaxation_with_a_rested_fibre():
    rested = calcium.summarise(simulate(**RESTED_TETANUS))
    assert re.fullmatch(r"Peak force \d+% of maximum; relaxation half-time \d+ ms, same as rested\.",
                        rested)
    tired = simulate(**RESTED_TETANUS, atp_pct=30, release_pct=70)
    ratio = calcium.relaxation_ratio(tired)
    assert ratio > 1.2
    assert re.search(rf"relaxation half-time \d+ ms, {ratio:.1f}x slower than rested",
                     calcium.summarise(tired))


def test_summary_without_stimulation_or_release():
    assert "No action potentials" in calcium.summarise(simulate())
    assert "no contraction" in calcium.summarise(simulate(**RESTED_TETANUS, release_pct=0))


# --- the controls ---------------------------------------------------------------------------------

def test_action_potential_times():
    p = calcium.parameters()
    assert len(calcium.Conditions(50, 0.5).action_potential_times_ms()) == 25
    np.testing.assert_allclose(calcium.Conditions(50, 0.06).action_potential_times_ms(),
                               [p.onset, p.onset + 20, p.onset + 40])
    assert len(calcium.Conditions(50, 0.01).action_potential_times_ms()) == 1
    assert len(calcium.Conditions(0, 1.0).action_potential_times_ms()) == 0


@pytest.mark.parametrize("settings, message", [
    (dict(frequency_hz=-5), r"Stimulation frequency must be between 0 and 150 Hz \(got -5 Hz\)"),
    (dict(duration_s=3.0), r"Stimulation duration must be between 0 and 1.9 s"),
    (dict(serca_pct=250), r"SERCA capacity must be between 0 and 200 % of normal"),
    (dict(atp_pct=float("nan")), r"ATP availability must be a number"),
    (dict(release_pct="abc"), r"Release strength must be a number"),
])
def test_bad_settings_raise_a_clear_message(settings, message):
    with pytest.raises(ValueError, match=message):
        calcium.simulate(**settings)


def test_every_scenario_runs_and_shows_what_it_is_named_for():
    spec = data.scenarios("calcium")
    defaults = {c.name: c.default for c in spec.controls}
    results = {s.id: simulate(**{**defaults, **s.values}) for s in spec.scenarios}
    assert {"rested", "fatigued_low_atp", "cramp_motor_neuron_firing", "contracture"} <= set(results)
    assert results["rested"].time_to_relax_ms(0.05) < 300
    assert calcium.relaxation_ratio(results["fatigued_low_atp"]) > 1.2
    assert results["cramp_motor_neuron_firing"].electrically_active_at_end
    assert results["cramp_motor_neuron_firing"].final_force_pct > 60
    assert not results["contracture"].electrically_active_at_end
    assert results["contracture"].final_force_pct > 50


# --- numerics -------------------------------------------------------------------------------------

def test_solution_matches_a_tightly_solved_reference():
    """The fast solver settings and the regular-grid interpolation lose nothing that matters."""
    from scipy.integrate import solve_ivp

    conditions = calcium.Conditions(frequency_hz=50, duration_s=0.2, serca_pct=50, atp_pct=50)
    p = calcium.parameters()
    drive = calcium._drive(conditions, p)
    aps = conditions.action_potential_times_ms()
    fast = calcium.run(conditions)
    state, reference = calcium.resting_state(p), np.empty_like(fast.states)
    for start, end, last_ap in zip([0.0, *aps], [*aps, p.window], [-1e9, *aps]):
        inside = (fast.t_ms >= start) & (fast.t_ms <= end)
        solution = solve_ivp(calcium._derivatives, (start, end), state, method="DOP853",
                             args=(last_ap, drive, p), rtol=1e-10, atol=1e-10, max_step=0.1,
                             dense_output=True)
        reference[:, inside] = solution.sol(fast.t_ms[inside])
        state = solution.y[:, -1]
    ca_reference = calcium.free_ca(reference[calcium.FAST_POOL], p)
    assert np.max(np.abs(fast.cytosolic_ca_um - ca_reference)) < 0.01 * ca_reference.max()
    assert np.max(np.abs(fast.force_pct - 100 * reference[calcium.ATTACHED])) < 0.1   # % points


def test_hermite_interpolation_is_exact_for_a_cubic():
    # y = t^3 - 2t with slope 3t^2 - 2, known at 4 uneven points: the cubic is reproduced exactly
    t = np.array([0.0, 0.3, 1.0, 2.5])
    at = np.linspace(0.0, 2.5, 41)
    y = calcium.hermite_interpolate(t, (t**3 - 2 * t)[None, :], (3 * t**2 - 2)[None, :], at)
    assert y.shape == (1, 41)
    np.testing.assert_allclose(y[0], at**3 - 2 * at, atol=1e-12)


def test_a_rested_run_is_its_own_rested_counterpart():
    rested = calcium.simulate(frequency_hz=50, duration_s=0.5)
    assert calcium.rested_counterpart(rested) is rested          # no second run of the same fibre
    tired = calcium.simulate(frequency_hz=50, duration_s=0.5, atp_pct=30, release_pct=70)
    counterpart = calcium.rested_counterpart(tired)
    assert counterpart.conditions == tired.conditions.rested()
    np.testing.assert_allclose(counterpart.force_pct, rested.force_pct)
