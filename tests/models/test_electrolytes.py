"""Nernst and Goldman-Hodgkin-Katz potentials against hand-computed values.

Expected values are facts EL-07 and EL-08 (Hille 2001, computed at 310.15 K with
RT/F = 26.73 mV), or worked out by hand in the comments.
"""
import pytest

from physiology import electrolytes as el
from physiology.electrolytes import ghk_mv, nernst_mv, rt_over_f_mv

BODY_K = 310.15


def test_rt_over_f_at_body_temperature():
    # 8.3145 * 310.15 / 96485 = 0.026727 V
    assert rt_over_f_mv(BODY_K) == pytest.approx(26.73, abs=0.01)
    assert el.body_temperature_k() == pytest.approx(BODY_K)


def test_61_5_mv_per_tenfold_for_monovalent_half_for_divalent():
    # EL-07: 26.73 mV * ln(10) = 61.5 mV per tenfold gradient
    assert nernst_mv(10, 1, 1, BODY_K) == pytest.approx(61.5, abs=0.1)
    assert nernst_mv(10, 1, 2, BODY_K) == pytest.approx(30.8, abs=0.1)
    assert nernst_mv(10, 1, -1, BODY_K) == pytest.approx(-61.5, abs=0.1)


@pytest.mark.parametrize("ion_id, expected_mv", [
    ("k", -97.7), ("na", +66.6), ("cl", -90.3), ("ca", +128.5),  # EL-07
])
def test_nernst_at_default_concentrations_matches_el07(ion_id, expected_mv):
    ion = el.default_ions()[ion_id]
    assert el.ion_nernst_mv(ion) == pytest.approx(expected_mv, abs=0.5)


@pytest.mark.parametrize("k_out_mm, expected_mv", [
    (3, -105.4), (4, -97.7), (7, -82.8), (10, -73.3),  # EL-08, K+ inside 155 mM
])
def test_potassium_equilibrium_potential_follows_plasma_k(k_out_mm, expected_mv):
    assert nernst_mv(k_out_mm, 155, 1, BODY_K) == pytest.approx(expected_mv, abs=0.5)


def test_lower_temperature_gives_smaller_rt_over_f():
    # 6.3 degC = 279.45 K: 8.3145 * 279.45 / 96485 = 24.08 mV
    assert rt_over_f_mv(279.45) == pytest.approx(24.08, abs=0.01)


def test_ghk_resting_potential_by_hand():
    # P_K : P_Na : P_Cl = 1 : 0.04 : 0.45, concentrations of EL-06:
    # numerator   = 1*4 (K out) + 0.04*145 (Na out) + 0.45*4.2 (Cl in) = 11.69
    # denominator = 1*155 (K in) + 0.04*12 (Na in) + 0.45*123 (Cl out) = 210.83
    # V = 26.73 * ln(11.69 / 210.83) = 26.73 * (-2.8923) = -77.3 mV
    rest = ghk_mv(el.default_ions().values(), el.default_permeabilities())
    assert rest == pytest.approx(-77.3, abs=0.5)


def test_ghk_with_only_potassium_permeable_is_the_potassium_nernst_potential():
    ions = el.default_ions().values()
    assert ghk_mv(ions, {"k": 1.0}) == pytest.approx(-97.7, abs=0.5)


def test_ghk_equal_sodium_and_potassium_permeability():
    # V = 26.73 * ln((4 + 145) / (155 + 12)) = 26.73 * ln(0.8922) = -3.05 mV
    ions = el.default_ions().values()
    assert ghk_mv(ions, {"k": 1.0, "na": 1.0}) == pytest.approx(-3.05, abs=0.5)


def test_raising_plasma_potassium_depolarizes_the_ghk_rest_less_than_e_k():
    # K out 4 -> 7 mM: numerator 11.69 -> 14.69, so V = 26.73 * ln(14.69 / 210.83) = -71.2 mV,
    # 6.1 mV up, much less than the 14.9 mV rise of E_K (other ions hold the rest back; EL-08).
    ions = el.default_ions()
    perms = el.default_permeabilities()
    before = ghk_mv(ions.values(), perms)
    after = ghk_mv(el.with_outside(ions, k=7).values(), perms)
    assert after == pytest.approx(-71.2, abs=0.5)
    assert after - before == pytest.approx(6.1, abs=0.3)


def test_with_outside_changes_only_the_named_ion():
    ions = el.with_outside(el.default_ions(), k=7)
    assert ions["k"].out_mm == 7 and ions["k"].in_mm == 155
    assert ions["na"].out_mm == 145
    with pytest.raises(KeyError, match="Unknown ion"):
        el.with_outside(el.default_ions(), potassium=7)


@pytest.mark.parametrize("out_mm, in_mm", [(0, 155), (-4, 155), (4, 0)])
def test_nernst_refuses_concentrations_that_are_not_positive(out_mm, in_mm):
    with pytest.raises(ValueError, match="must be above 0 mM"):
        nernst_mv(out_mm, in_mm, 1)


def test_nernst_refuses_an_uncharged_ion():
    with pytest.raises(ValueError, match="charged ion"):
        nernst_mv(4, 155, 0)


def test_ghk_refuses_divalent_ions_and_negative_permeability():
    ions = el.default_ions()
    with pytest.raises(ValueError, match="monovalent"):
        ghk_mv(ions.values(), {"k": 1.0, "ca": 0.1})
    with pytest.raises(ValueError, match="cannot be negative"):
        ghk_mv(ions.values(), {"k": 1.0, "na": -0.1})
    with pytest.raises(ValueError, match="permeable ion"):
        ghk_mv(ions.values(), {})


def test_nernst_report_lists_every_ion_and_the_rest():
    report = el.nernst_report()
    assert "E = -97.7 mV" in report and "E = +66.6 mV" in report
    assert "E = -90.3 mV" in report and "E = +128.5 mV" in report
    assert "-77.3 mV" in report
