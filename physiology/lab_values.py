"""Reading electrolyte values from a lab report: units, reference ranges, and what they mean.

A value is typed with a unit (mmol/L, mEq/L or, for calcium and magnesium, mg/dL), converted to
mmol/L (fact EL-05), checked, and placed on the adult reference range from data/lab_ranges.yaml
(EL-01 to EL-04). Bad input raises `LabValueError` with a sentence a learner can act on;
a value outside the range the tool accepts is refused, never clipped.

This explains mechanisms. It does not diagnose: only a clinician who knows the person, and the
laboratory's own printed range, can interpret a result.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from physiology import data
from physiology.data import Quantity, Strict, cite_facts
from physiology.electrolytes import default_ions, nernst_mv
from physiology.membrane import gating_shift_mv, gating_shift_range_mv

Status = Literal["low", "normal", "high"]
UNITS = ("mmol/L", "mEq/L", "mg/dL")


class LabValueError(ValueError):
    """A value that cannot be read: the message says what is wrong and what to type instead."""


# --- data/lab_ranges.yaml -------------------------------------------------------------------

class Analyte(Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    name: str
    symbol: str
    specimen: str
    charge: int = Field(ge=1, le=2)
    mg_dl_allowed: bool
    reference_low_mmol_l: float = Field(gt=0)
    reference_high_mmol_l: float = Field(gt=0)
    accepted_low_mmol_l: float = Field(gt=0)
    accepted_high_mmol_l: float = Field(gt=0)
    facts: list[str] = Field(min_length=1)
    refs: list[str] = Field(min_length=1)
    low: str
    high: str
    normal: str

    @model_validator(mode="after")
    def _ranges_nest(self) -> "Analyte":
        if not (self.accepted_low_mmol_l < self.reference_low_mmol_l
                < self.reference_high_mmol_l < self.accepted_high_mmol_l):
            raise ValueError("need accepted_low < reference_low < reference_high < accepted_high")
        return self


class MolarMass(Strict):
    analyte: str
    molar_mass: Quantity


class ExampleValue(Strict):
    value: float
    unit: str


class ExampleReport(Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    label: str
    description: str
    values: dict[str, ExampleValue]
    refs: list[str] = Field(min_length=1)


class LabRangesFile(Strict):
    analytes: list[Analyte] = Field(min_length=1)
    molar_masses: list[MolarMass]
    examples: list[ExampleReport]

    @model_validator(mode="after")
    def _consistent(self) -> "LabRangesFile":
        ids = {a.id for a in self.analytes}
        masses = {m.analyte for m in self.molar_masses}
        for a in self.analytes:
            if a.mg_dl_allowed and a.id not in masses:
                raise ValueError(f"analyte '{a.id}' allows mg/dL but has no molar mass")
        for example in self.examples:
            for analyte_id, value in example.values.items():
                if analyte_id not in ids:
                    raise ValueError(f"example '{example.id}' uses unknown analyte '{analyte_id}'")
                if value.unit not in UNITS:
                    raise ValueError(f"example '{example.id}': unknown unit '{value.unit}'")
        return self


data.register("lab_ranges.yaml", LabRangesFile)


def _file() -> LabRangesFile:
    return data.load("lab_ranges.yaml", LabRangesFile)


def analytes() -> dict[str, Analyte]:
    return {a.id: a for a in _file().analytes}


def analyte(analyte_id: str) -> Analyte:
    found = analytes()
    if analyte_id not in found:
        raise KeyError(f"Unknown analyte '{analyte_id}'. Known: {', '.join(found)}")
    return found[analyte_id]


def examples() -> dict[str, ExampleReport]:
    return {e.id: e for e in _file().examples}


def units_for(a: Analyte) -> tuple[str, ...]:
    return UNITS if a.mg_dl_allowed else ("mmol/L", "mEq/L")


def molar_mass_g_mol(a: Analyte) -> float:
    for entry in _file().molar_masses:
        if entry.analyte == a.id:
            return entry.molar_mass.value
    raise LabValueError(f"{a.name} is not reported in mg/dL; use mmol/L or mEq/L")


# --- units ------------------------------------------------------------------------------------

_UNIT_SPELLINGS = {
    "mmol/l": "mmol/L", "mmol/litre": "mmol/L", "mmol/liter": "mmol/L", "mmol": "mmol/L",
    "meq/l": "mEq/L", "meq/litre": "mEq/L", "meq/liter": "mEq/L", "meq": "mEq/L",
    "mg/dl": "mg/dL", "mg/100ml": "mg/dL",
}


def normalize_unit(text: str) -> str:
    """'mmol/l', ' mM ', 'MEQ/L' -> the canonical spelling; unknown units raise LabValueError."""
    raw = str(text).strip()
    if raw == "mM":
        return "mmol/L"
    key = raw.replace(" ", "").lower()
    if key in _UNIT_SPELLINGS:
        return _UNIT_SPELLINGS[key]
    shown = raw or "(none)"
    raise LabValueError(f"Unknown unit '{shown}'. Use one of: {', '.join(UNITS)}.")


def to_mmol_l(value: float, unit: str, a: Analyte) -> float:
    """Convert to mmol/L: mEq/L / charge; mg/dL x 10 / molar mass.

    EL-05: Ca mg/dL x 0.2495, Mg mg/dL x 0.4114.
    """
    unit = check_unit(unit, a)
    if unit == "mmol/L":
        return value
    if unit == "mEq/L":
        return value / a.charge
    return value * 10.0 / molar_mass_g_mol(a)


def from_mmol_l(mmol_l: float, unit: str, a: Analyte) -> float:
    unit = check_unit(unit, a)
    if unit == "mmol/L":
        return mmol_l
    if unit == "mEq/L":
        return mmol_l * a.charge
    return mmol_l * molar_mass_g_mol(a) / 10.0


def convert(value: float, from_unit: str, to_unit: str, analyte_id: str) -> float:
    a = analyte(analyte_id)
    return from_mmol_l(to_mmol_l(value, from_unit, a), to_unit, a)


def check_unit(unit: str, a: Analyte) -> str:
    """The canonical unit if this analyte is reported in it; LabValueError otherwise."""
    unit = normalize_unit(unit)
    if unit not in units_for(a):
        raise LabValueError(
            f"{a.name} is reported in mmol/L (or mEq/L, the same number for a singly charged "
            f"ion), not in {unit}.")
    return unit


# --- reading a value ----------------------------------------------------------------------------

def parse_number(text: str | float | int) -> float:
    """A typed value as a float; anything else raises LabValueError with a clear message."""
    if isinstance(text, bool):
        raise LabValueError("Type a number, such as 4.1")
    if isinstance(text, (int, float)):
        value = float(text)
        raw = repr(text)
    else:
        raw = str(text).strip().replace("\u2212", "-")
        if not raw:
            raise LabValueError("Type a value, such as 4.1")
        if re.fullmatch(r"[-+]?\d+,\d+", raw):
            raise LabValueError(f"Use a dot for decimals: {raw.replace(',', '.')}, not {raw}")
        try:
            value = float(raw)
        except ValueError:
            raise LabValueError(f"'{raw}' is not a number. Type a number such as 4.1 "
                                f"(digits and one dot; choose the unit from the list).") from None
    if not math.isfinite(value):
        raise LabValueError(f"'{raw}' is not a usable number. Type a number such as 4.1")
    return value


@dataclass(frozen=True)
class Reading:
    """One checked lab value."""

    analyte: Analyte
    value: float
    unit: str
    mmol_l: float
    status: Status

    @property
    def reference_range(self) -> tuple[float, float]:
        """The reference range in the unit the value was typed in."""
        a = self.analyte
        return (from_mmol_l(a.reference_low_mmol_l, self.unit, a),
                from_mmol_l(a.reference_high_mmol_l, self.unit, a))


def read(analyte_id: str, value: str | float, unit: str) -> Reading:
    """Check and classify a typed value; raise LabValueError on anything that is not sensible."""
    a = analyte(analyte_id)
    number = parse_number(value)
    unit = check_unit(unit, a)
    if number < 0:
        raise LabValueError(f"A concentration cannot be negative (you typed {_fmt(number)}).")
    if number == 0:
        raise LabValueError(f"A {a.name.lower()} of 0 {unit} is not possible in blood; "
                            f"check the value.")
    mmol = to_mmol_l(number, unit, a)
    if not a.accepted_low_mmol_l <= mmol <= a.accepted_high_mmol_l:
        raise LabValueError(_outside_accepted_message(a, number, unit))
    return Reading(a, number, unit, mmol, classify(a, mmol))


def classify(a: Analyte, mmol_l: float) -> Status:
    """low / normal / high, compared at the precision the range is published with (0.01 mmol/L),
    so 8.6 mg/dL (2.1457 mmol/L) counts as the range's lower end, 2.15 mmol/L."""
    value = round(mmol_l, 2)
    if value < a.reference_low_mmol_l:
        return "low"
    if value > a.reference_high_mmol_l:
        return "high"
    return "normal"


def _outside_accepted_message(a: Analyte, number: float, unit: str) -> str:
    low = range_fmt(from_mmol_l(a.accepted_low_mmol_l, unit, a), unit)
    high = range_fmt(from_mmol_l(a.accepted_high_mmol_l, unit, a), unit)
    text = (f"{a.symbol} {_fmt(number)} {unit} is outside what this tool accepts for "
            f"{a.name.lower()} ({low}-{high} {unit}): a real blood result is not "
            f"expected there, so it is probably a typing or unit mistake. Check the number and "
            f"the unit.")
    for other in units_for(a):
        mmol = to_mmol_l(number, other, a)
        same_number = math.isclose(mmol, to_mmol_l(number, unit, a))
        if not same_number and a.accepted_low_mmol_l <= mmol <= a.accepted_high_mmol_l:
            in_mmol = "" if other == "mmol/L" else f" (= {range_fmt(mmol, 'mmol/L')} mmol/L)"
            text += f" Did you mean {_fmt(number)} {other}{in_mmol}?"
            break
    return text


def _fmt(x: float) -> str:
    """A typed number as a person would write it: 4.1, 135.7, 0.85."""
    return f"{x:g}"


def range_fmt(x: float, unit: str) -> str:
    """A range limit as labs print it: mg/dL to 0.1 (8.6); mmol/L and mEq/L to 0.01 without
    trailing zeros, but with one decimal below 100 (3.5, 5.0, 10.0, 1.12, 135)."""
    if unit == "mg/dL":
        return f"{x:.1f}"
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    if abs(x) < 100 and "." not in text:
        text += ".0"
    return text


# --- what a value means ---------------------------------------------------------------------------

def explain(reading: Reading) -> str:
    """Plain-language meaning of a value for excitability, with the model's number; no diagnosis."""
    a = reading.analyte
    low, high = reading.reference_range
    where = {"low": "below", "normal": "inside", "high": "above"}[reading.status]
    unit = reading.unit
    parts = [f"{_fmt(reading.value)} {unit} is {where} the usual adult range "
             f"({range_fmt(low, unit)}-{range_fmt(high, unit)} {unit}).",
             getattr(a, reading.status), model_effect(reading)]
    return cite_facts(" ".join(p for p in parts if p))


def model_effect(reading: Reading) -> str:
    """What this value does to the potentials of the notebook's models (empty for total Ca)."""
    mmol = reading.mmol_l
    ions = default_ions()
    if reading.analyte.id == "potassium":
        k = ions["k"]
        return (f"Nernst at 37 °C with {k.in_mm:g} mM inside: E_K = "
                f"{nernst_mv(mmol, k.in_mm, 1):+.1f} mV (at 4 mmol/L: "
                f"{nernst_mv(4.0, k.in_mm, 1):+.1f} mV).")
    if reading.analyte.id == "sodium":
        na = ions["na"]
        change = nernst_mv(mmol, na.in_mm, 1) - nernst_mv(140.0, na.in_mm, 1)
        return (f"Nernst at 37 °C with {na.in_mm:g} mM inside: E_Na = "
                f"{nernst_mv(mmol, na.in_mm, 1):+.1f} mV, {change:+.1f} mV compared with "
                f"140 mmol/L.")
    if reading.analyte.id == "ionized_calcium":
        lo, hi = gating_shift_range_mv(mmol)
        return (f"In the membrane model this shifts channel gating by about {lo:+.1f} to "
                f"{hi:+.1f} mV compared with 1.2 mmol/L; the range is the uncertain size of the "
                f"effect [EL-09].")
    if reading.analyte.id == "magnesium":
        return (f"In the membrane model this shifts channel gating by about "
                f"{gating_shift_mv(1.2, mmol):+.1f} mV (a small effect whose size is the "
                f"model's assumption).")
    return ""
