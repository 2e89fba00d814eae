"""Equilibrium (Nernst) and resting (Goldman-Hodgkin-Katz) membrane potentials.

Every ion is pushed two ways across a membrane: down its concentration gradient and by the
voltage. The Nernst potential is the voltage at which the two balance for one ion:

    E = (RT / zF) * ln(c_out / c_in)

A real membrane lets several ions through at once; the Goldman-Hodgkin-Katz (GHK) voltage
equation gives the resting potential as a permeability-weighted balance of all of them:

    V = (RT / F) * ln( (sum P_cation*c_out + sum P_anion*c_in)
                     / (sum P_cation*c_in  + sum P_anion*c_out) )

Sources: Hille 2001 [hille2001] (facts EL-06 to EL-08). Concentrations and permeability ratios
come from data/ion_concentrations.yaml.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping

from pydantic import Field

from physiology import data
from physiology.controls import check_controls
from physiology.data import Quantity, Strict

# Physical constants (CODATA 2018 exact values).
GAS_CONSTANT = 8.314462618  # J / (mol K)
FARADAY = 96485.33212  # C / mol
ZERO_CELSIUS_K = 273.15


# --- data/ion_concentrations.yaml ---------------------------------------------------------

class IonEntry(Strict):
    id: str = Field(pattern=r"^[a-z]+$")
    name: str
    symbol: str
    charge: int
    outside: Quantity
    inside: Quantity


class PermeabilityEntry(Strict):
    ion: str
    ratio: Quantity


class IonConcentrationsFile(Strict):
    temperature: Quantity
    ions: list[IonEntry] = Field(min_length=1)
    relative_permeability: list[PermeabilityEntry]


data.register("ion_concentrations.yaml", IonConcentrationsFile)


@dataclass(frozen=True)
class Ion:
    """One ion species with its concentrations (mM) on either side of the membrane."""

    id: str
    name: str
    symbol: str
    charge: int
    out_mm: float
    in_mm: float


def _concentrations() -> IonConcentrationsFile:
    return data.load("ion_concentrations.yaml", IonConcentrationsFile)


def body_temperature_k() -> float:
    """Body temperature from the data file, in kelvin (37 degC = 310.15 K)."""
    return _concentrations().temperature.value + ZERO_CELSIUS_K


def default_ions() -> dict[str, Ion]:
    """Representative muscle-fibre concentrations (EL-06), keyed by ion id (k, na, cl, ca)."""
    return {
        e.id: Ion(e.id, e.name, e.symbol, e.charge, e.outside.value, e.inside.value)
        for e in _concentrations().ions
    }


def default_permeabilities() -> dict[str, float]:
    """Resting permeabilities relative to P_K, keyed by ion id."""
    return {p.ion: p.ratio.value for p in _concentrations().relative_permeability}


# --- the equations --------------------------------------------------------------------------

def rt_over_f_mv(temperature_k: float | None = None) -> float:
    """RT/F in millivolts: 26.73 mV at 37 degC."""
    t = body_temperature_k() if temperature_k is None else temperature_k
    if not t > 0:
        raise ValueError(f"Temperature must be above absolute zero (got {t} K)")
    return 1000.0 * GAS_CONSTANT * t / FARADAY


def nernst_mv(out_mm: float, in_mm: float, charge: int,
              temperature_k: float | None = None) -> float:
    """Equilibrium potential (mV, inside relative to outside) of an ion of the given charge."""
    if charge == 0:
        raise ValueError("The Nernst equation needs a charged ion (charge 0 given)")
    for side, c in (("outside", out_mm), ("inside", in_mm)):
        if not c > 0:
            raise ValueError(f"The {side} concentration must be above 0 mM (got {c})")
    return rt_over_f_mv(temperature_k) / charge * math.log(out_mm / in_mm)


def ion_nernst_mv(ion: Ion, temperature_k: float | None = None) -> float:
    return nernst_mv(ion.out_mm, ion.in_mm, ion.charge, temperature_k)


def ghk_mv(ions: Iterable[Ion], permeabilities: Mapping[str, float],
           temperature_k: float | None = None) -> float:
    """Goldman-Hodgkin-Katz resting potential (mV) for monovalent ions.

    `permeabilities` gives each ion's permeability relative to any common reference (usually
    P_K = 1); an ion left out counts as impermeant. Divalent ions need a different equation,
    so a divalent ion with a non-zero permeability is refused.
    """
    numerator = denominator = 0.0
    for ion in ions:
        p = permeabilities.get(ion.id, 0.0)
        if p < 0:
            raise ValueError(f"Permeability of {ion.symbol} cannot be negative (got {p})")
        if p == 0:
            continue
        if abs(ion.charge) != 1:
            raise ValueError(f"The GHK voltage equation used here is for monovalent ions; "
                             f"{ion.symbol} has charge {ion.charge}")
        if ion.charge > 0:  # cations enter from outside
            numerator += p * ion.out_mm
            denominator += p * ion.in_mm
        else:  # anions carry charge the other way: their inside and outside swap
            numerator += p * ion.in_mm
            denominator += p * ion.out_mm
    if numerator <= 0 or denominator <= 0:
        raise ValueError("At least one permeable ion with concentrations above 0 mM is needed")
    return rt_over_f_mv(temperature_k) * math.log(numerator / denominator)


def with_outside(ions: Mapping[str, Ion], **out_mm: float) -> dict[str, Ion]:
    """A copy of `ions` with some outside concentrations changed: with_outside(ions, k=7)."""
    unknown = set(out_mm) - set(ions)
    if unknown:
        raise KeyError(f"Unknown ion(s) {', '.join(sorted(unknown))}; ions are {', '.join(ions)}")
    changed = dict(ions)
    for ion_id, value in out_mm.items():
        old = ions[ion_id]
        changed[ion_id] = Ion(old.id, old.name, old.symbol, old.charge, float(value), old.in_mm)
    return changed


def nernst_report() -> str:
    """One line per ion: concentrations and equilibrium potential at the default values."""
    lines = []
    for ion in default_ions().values():
        lines.append(f"{ion.symbol:<5} out {ion.out_mm:g} mM, in {ion.in_mm:g} mM: "
                     f"E = {ion_nernst_mv(ion):+.1f} mV")
    perms = default_permeabilities()
    rest = ghk_mv(default_ions().values(), perms)
    ratios = " : ".join(f"{perms[i]:g}" for i in perms)
    names = " : ".join(f"P_{default_ions()[i].symbol.rstrip('+-')}" for i in perms)
    lines.append(f"GHK resting potential ({names} = {ratios}): {rest:+.1f} mV")
    return "\n".join(lines)


def panel_potentials(out_mm: Mapping[str, float], permeabilities: Mapping[str, float],
                     temperature_k: float | None = None) -> tuple[dict[str, float], float]:
    """Each ion's equilibrium potential and the GHK resting potential (mV) for the given
    outside concentrations (ion id -> mM; inside stays at the defaults) and permeabilities."""
    ions = with_outside(default_ions(), **out_mm)
    equilibrium = {ion_id: ion_nernst_mv(ion, temperature_k) for ion_id, ion in ions.items()}
    return equilibrium, ghk_mv(ions.values(), permeabilities, temperature_k)


# --- the Nernst explorer's model: simulate(**controls) and summarise(result) ------------------

ION_ORDER = ("k", "na", "cl", "ca")
# control name (data/scenarios/nernst.yaml) -> ion id
OUTSIDE_CONTROLS = {"k_out_mm": "k", "na_out_mm": "na", "cl_out_mm": "cl", "ca_out_mm": "ca"}


@dataclass(frozen=True)
class PanelResult:
    """Each ion's equilibrium potential and the GHK resting potential for one set of controls."""

    equilibrium_mv: dict[str, float]
    rest_mv: float
    normal_rest_mv: float      # the same with every control at its default (normal plasma)


def _panel(k_out_mm: float, na_out_mm: float, cl_out_mm: float, ca_out_mm: float, p_na: float,
           p_cl: float) -> tuple[dict[str, float], float]:
    controls = dict(k_out_mm=k_out_mm, na_out_mm=na_out_mm, cl_out_mm=cl_out_mm, ca_out_mm=ca_out_mm)
    outside = {ion: controls[name] for name, ion in OUTSIDE_CONTROLS.items()}
    return panel_potentials(outside, {"k": 1.0, "na": p_na, "cl": p_cl})


def simulate(**controls: float) -> PanelResult:
    """The Nernst panel for the controls of data/scenarios/nernst.yaml (defaults for any left out):
    outside K+, Na+, Cl-, Ca2+ (mM) and the Na+ and Cl- permeabilities relative to K+."""
    spec = data.scenarios("nernst").controls
    defaults = {c.name: c.default for c in spec}
    equilibrium, rest = _panel(**{**defaults, **check_controls(controls, spec)})
    _normal, normal_rest = _panel(**defaults)
    return PanelResult(equilibrium, rest, normal_rest)


def e_name(ion_id: str) -> str:
    """'E_K', 'E_Na', 'E_Cl', 'E_Ca': the ion's symbol without its charge."""
    return "E_" + default_ions()[ion_id].symbol.rstrip("+-0123456789")


def summarise(result: PanelResult) -> str:
    """The resting potential, how far it moved from normal plasma, and every ion's potential."""
    change = result.rest_mv - result.normal_rest_mv
    moved = "as in normal plasma" if abs(change) < 0.05 else f"{change:+.1f} mV from normal plasma"
    potentials = ", ".join(f"{e_name(i)} {result.equilibrium_mv[i]:+.1f} mV" for i in ION_ORDER)
    return f"Resting potential {result.rest_mv:+.1f} mV ({moved}); {potentials}."
