"""What changes with age, as a central value and an uncertainty band, from data/aging.yaml.

The sources give rates of loss per year for an age range, not levels, so each quantity is
returned relative to age 30 (the reference age):

    muscle_mass(75)   -> Band(low=70.4, central=74.7, high=79.4)    # % of the age-30 value
    muscle_strength(75) -> Band(low=62.0, central=71.1, high=77.4)  # 20-40 % lost by the 70s
    egfr_change(75)   -> Band(low=-51.8, central=-48.2, high=-34.4)  # mL/min/1.73 m2 since 30

How a curve is built (a teaching simplification, stated in the notebook):
- each age range (segment) has a slowest, a typical and a fastest rate of loss quoted by sources;
- "% per year" rates compound: every year loses that share of what is left;
- absolute rates (mL/min/1.73 m2 per year, m/s per year) add up year by year;
- the band runs from the value the slowest rates give to the value the fastest rates give, so it
  always contains the central value.

Ages outside 20-90 years raise a ValueError: the sources say nothing there.
"""
from __future__ import annotations

import math
from typing import Literal, NamedTuple

import numpy as np
from pydantic import Field, model_validator

from physiology import data
from physiology.controls import Limit, check_value
from physiology.data import EvidenceLevel, Strict

DATA_FILE = "aging.yaml"


# --- schema of data/aging.yaml -------------------------------------------------------------

class RateSegment(Strict):
    """Rates of loss per year over one age range, with where they come from."""

    from_years: float
    to_years: float
    loss_low_per_year: float = Field(ge=0)
    loss_central_per_year: float = Field(ge=0)
    loss_high_per_year: float = Field(ge=0)
    basis: Literal["source", "assumption"]
    refs: list[str] = Field(default_factory=list)
    note: str = Field(min_length=10)

    @model_validator(mode="after")
    def _consistent(self) -> "RateSegment":
        if not self.from_years < self.to_years:
            raise ValueError(f"segment {self.from_years}-{self.to_years} years is empty")
        if not self.loss_low_per_year <= self.loss_central_per_year <= self.loss_high_per_year:
            raise ValueError("rates must satisfy low <= central <= high")
        if self.basis == "source" and not self.refs:
            raise ValueError("a segment based on a source needs refs")
        return self


class Comparison(Strict):
    """Another published estimate drawn beside a curve (e.g. a popular, higher figure)."""

    label: str
    refs: list[str] = Field(min_length=1)
    facts: list[str] = Field(default_factory=list)
    note: str
    segments: list[RateSegment] = Field(min_length=1)


class Curve(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    short_label: str   # for the one-line summary: "eGFR"
    axis_title: str
    unit: str = Field(min_length=1)
    rate_unit: str = Field(min_length=1)
    kind: Literal["percent_of_reference", "change_from_reference"]
    mechanism: str
    evidence_level: EvidenceLevel
    facts: list[str] = Field(min_length=1)
    refs: list[str] = Field(min_length=1)
    caveat: str
    segments: list[RateSegment] = Field(min_length=1)
    comparisons: list[Comparison] = Field(default_factory=list)


class Mechanism(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    explanation: str
    cramp_link: str
    evidence_level: EvidenceLevel        # for the age change itself
    link_evidence_level: EvidenceLevel   # for the step from that change to cramps
    facts: list[str] = Field(min_length=1)
    refs: list[str] = Field(min_length=1)


class QualitativeChange(Strict):
    """A change with a direction but no numbers we can draw (said, not plotted)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    statement: str
    why_not_plotted: str
    mechanism: str
    evidence_level: EvidenceLevel
    facts: list[str] = Field(min_length=1)
    refs: list[str] = Field(min_length=1)
    from_age_years: float


class PrevalenceStudy(Strict):
    """How many people report night cramps, in which population, over which recall window."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    population: str
    age_from_years: float
    age_to_years: float | None = None
    recall_window: Literal["past month", "lifetime", "not stated"]
    question: str
    low_pct: float = Field(ge=0, le=100)
    high_pct: float = Field(ge=0, le=100)
    qualifier: Literal["", "about", "up to"] = ""
    evidence_level: EvidenceLevel
    facts: list[str] = Field(min_length=1)
    refs: list[str] = Field(min_length=1)
    note: str

    @model_validator(mode="after")
    def _ordered(self) -> "PrevalenceStudy":
        if self.low_pct > self.high_pct:
            raise ValueError("low_pct must not exceed high_pct")
        return self

    def covers(self, age: float) -> bool:
        return self.age_from_years <= age and (self.age_to_years is None or age <= self.age_to_years)

    @property
    def value_text(self) -> str:
        """'30-31 %', 'up to 50-60 %', 'about 46 %'."""
        value = (f"{self.low_pct:g} %" if self.low_pct == self.high_pct
                 else f"{self.low_pct:g}-{self.high_pct:g} %")
        return f"{self.qualifier} {value}".strip()


class AgingFile(Strict):
    min_age_years: float
    max_age_years: float
    reference_age_years: float
    curves: list[Curve] = Field(min_length=1)
    mechanisms: list[Mechanism] = Field(min_length=1)
    qualitative: list[QualitativeChange] = Field(default_factory=list)
    prevalence: list[PrevalenceStudy] = Field(min_length=1)

    @model_validator(mode="after")
    def _coherent(self) -> "AgingFile":
        if not self.min_age_years <= self.reference_age_years <= self.max_age_years:
            raise ValueError("reference_age_years must lie inside the age range")
        mechanism_ids = {m.id for m in self.mechanisms}
        for curve in self.curves:
            self._check_tiling(curve.id, curve.segments)
            for comparison in curve.comparisons:
                self._check_tiling(f"{curve.id} comparison", comparison.segments)
        for item in [*self.curves, *self.qualitative]:
            if item.mechanism not in mechanism_ids:
                raise ValueError(f"'{item.id}' links to unknown mechanism '{item.mechanism}'")
        for kind, ids in (("curve", [c.id for c in self.curves]),
                          ("mechanism", [m.id for m in self.mechanisms]),
                          ("prevalence study", [p.id for p in self.prevalence])):
            if len(set(ids)) != len(ids):
                raise ValueError(f"duplicate {kind} id")
        return self

    def _check_tiling(self, name: str, segments: list[RateSegment]) -> None:
        """Segments must cover min..max age in order, without gaps or overlaps."""
        edge = self.min_age_years
        for seg in segments:
            if seg.from_years != edge:
                raise ValueError(f"'{name}': a segment starts at {seg.from_years} years, expected {edge}")
            edge = seg.to_years
        if edge != self.max_age_years:
            raise ValueError(f"'{name}': segments end at {edge} years, expected {self.max_age_years}")


data.register(DATA_FILE, AgingFile)


def aging_data() -> AgingFile:
    return data.load(DATA_FILE, AgingFile)


# --- results -------------------------------------------------------------------------------

class Band(NamedTuple):
    """A central value with the band the sources allow (low <= central <= high)."""

    low: float
    central: float
    high: float

    def contains(self, value: float, tolerance: float = 1e-9) -> bool:
        return self.low - tolerance <= value <= self.high + tolerance


class Change(NamedTuple):
    """One line of 'what has changed since 30', linked to its mechanism."""

    id: str
    label: str
    text: str                 # e.g. "about 75 % of the age-30 value (71-79 %)"
    mechanism: Mechanism
    evidence_level: str
    refs: tuple[str, ...]
    band: Band | None         # None for changes we can state but not quantify


def check_age(age: float) -> float:
    """The age as a float, or a ValueError a learner can read (the range the sources cover)."""
    spec = aging_data()
    return check_value(Limit("age", "Age", "years", spec.min_age_years, spec.max_age_years), age)


def curve(curve_id: str) -> Curve:
    for c in aging_data().curves:
        if c.id == curve_id:
            return c
    valid = ", ".join(c.id for c in aging_data().curves)
    raise KeyError(f"Unknown curve '{curve_id}'. Curves: {valid}")


def mechanism(mechanism_id: str) -> Mechanism:
    return next(m for m in aging_data().mechanisms if m.id == mechanism_id)


# --- the arithmetic ------------------------------------------------------------------------

def _signed_years(segment: RateSegment, age: float, reference: float) -> float:
    """Years of this segment between the reference age and `age`; negative when age < reference."""
    lo, hi = sorted((reference, age))
    overlap = max(0.0, min(hi, segment.to_years) - max(lo, segment.from_years))
    return overlap if age >= reference else -overlap


def _value(kind: str, segments: list[RateSegment], rate_name: str, age: float, reference: float) -> float:
    rates_and_years = [(getattr(s, rate_name), _signed_years(s, age, reference)) for s in segments]
    if kind == "percent_of_reference":
        # compounding: each year keeps (1 - rate/100) of the year before
        return 100.0 * math.prod((1 - rate / 100.0) ** years for rate, years in rates_and_years)
    # absolute rates add up; a loss after the reference age is a negative change
    return -sum(rate * years for rate, years in rates_and_years) + 0.0  # + 0.0: no "-0.0"


def _band(kind: str, segments: list[RateSegment], age: float) -> Band:
    reference = aging_data().reference_age_years
    slow, central, fast = (_value(kind, segments, name, age, reference) for name in
                           ("loss_low_per_year", "loss_central_per_year", "loss_high_per_year"))
    return Band(low=min(slow, fast), central=central, high=max(slow, fast))


def value_at(curve_id: str, age: float) -> Band:
    """A curve's value at one age: central and band, relative to age 30."""
    c = curve(curve_id)
    return _band(c.kind, c.segments, check_age(age))


def comparison_at(curve_id: str, index: int, age: float) -> Band:
    c = curve(curve_id)
    return _band(c.kind, c.comparisons[index].segments, check_age(age))


def muscle_mass(age: float) -> Band:
    """Muscle mass, % of the age-30 value [mitchell2012]."""
    return value_at("muscle_mass", age)


def muscle_strength(age: float) -> Band:
    """Muscle strength, % of the age-30 value [doherty2003; mitchell2012; vonhaehling2010]."""
    return value_at("muscle_strength", age)


def egfr_change(age: float) -> Band:
    """Change in estimated GFR since age 30, mL/min/1.73 m2 [cohen2014; eriksen2020]."""
    return value_at("egfr", age)


def nerve_conduction_change(age: float) -> Band:
    """Change in sensory nerve conduction velocity since age 30, m/s [taylor1984; werner2012]."""
    return value_at("nerve_conduction", age)


def curve_over_ages(curve_id: str, step_years: float = 1.0,
                    comparison: int | None = None) -> dict[str, np.ndarray]:
    """The whole curve for plotting: arrays `age`, `low`, `central`, `high`."""
    spec = aging_data()
    c = curve(curve_id)
    segments = c.segments if comparison is None else c.comparisons[comparison].segments
    ages = np.arange(spec.min_age_years, spec.max_age_years + step_years / 2, step_years)
    bands = [_band(c.kind, segments, float(a)) for a in ages]
    low, central, high = (np.array(column) for column in zip(*bands))
    return {"age": ages, "low": low, "central": central, "high": high}


# --- what has changed since 30 -------------------------------------------------------------

def describe(curve_id: str, band: Band) -> str:
    """Plain words for one curve's band: 'about 75 % of the age-30 value (71-79 %)'."""
    c = curve(curve_id)
    if c.kind == "percent_of_reference":
        return (f"about {band.central:.0f} % of the age-30 value "
                f"({band.low:.0f}-{band.high:.0f} %)")
    if abs(band.central) < 0.05 and abs(band.low) < 0.05 and abs(band.high) < 0.05:
        return f"no change ({c.unit})"
    direction = "lower" if band.central < 0 else "higher"
    magnitudes = sorted((abs(band.low), abs(band.high)))
    digits = 0 if max(magnitudes) >= 10 else 1
    return (f"about {abs(band.central):.{digits}f} {c.unit} {direction} "
            f"({magnitudes[0]:.{digits}f}-{magnitudes[1]:.{digits}f})")


def changes_since_reference(age: float) -> list[Change]:
    """Every change at `age` relative to age 30: the curves, then the unquantified changes."""
    age = check_age(age)
    spec = aging_data()
    changes = []
    for c in spec.curves:
        band = value_at(c.id, age)
        changes.append(Change(c.id, c.label, describe(c.id, band), mechanism(c.mechanism),
                              c.evidence_level, tuple(c.refs), band))
    for q in spec.qualitative:
        if age <= spec.reference_age_years:
            text = f"the comparison starts after {spec.reference_age_years:g}"
        elif age < q.from_age_years:
            text = f"the sources describe adults aged {q.from_age_years:g} and over"
        else:
            text = q.statement
        changes.append(Change(q.id, q.label, text, mechanism(q.mechanism),
                              q.evidence_level, tuple(q.refs), None))
    return changes


def prevalence_studies() -> list[PrevalenceStudy]:
    return list(aging_data().prevalence)


def studies_covering(age: float) -> list[PrevalenceStudy]:
    """The prevalence studies whose population includes this age."""
    age = check_age(age)
    return [p for p in aging_data().prevalence if p.covers(age)]


def cited_refs() -> list[str]:
    """Every reference id the aging data cites (curves, comparisons, mechanisms, studies)."""
    spec = aging_data()
    ids: list[str] = []
    for c in spec.curves:
        ids += c.refs + [r for s in c.segments for r in s.refs]
        for comp in c.comparisons:
            ids += comp.refs + [r for s in comp.segments for r in s.refs]
    for item in [*spec.mechanisms, *spec.qualitative, *spec.prevalence]:
        ids += item.refs
    return sorted(set(ids))


def cited_facts() -> list[str]:
    spec = aging_data()
    ids = [f for item in [*spec.curves, *spec.mechanisms, *spec.qualitative, *spec.prevalence]
           for f in item.facts]
    ids += [f for c in spec.curves for comp in c.comparisons for f in comp.facts]
    return sorted(set(ids))


# --- the same task at an older age (feeds the reflex model of notebook 04) ------------------

def relative_effort_pct(effort_at_reference_pct: float, age: float) -> Band:
    """The effort a task needs at `age`, in % of that age's maximal strength.

    Teaching simplification: effort scales with force. A task that takes 30 % of maximal strength
    at 30 takes 30 / 0.71 = 42 % at 75, when strength has fallen to about 71 % of its age-30 value.
    Capped at 100 % (a task beyond the muscle's maximum cannot be done at all).
    """
    if not 0 < effort_at_reference_pct <= 100:
        raise ValueError(f"Effort at age 30 must be between 0 and 100 %; got {effort_at_reference_pct:g}.")
    strength = muscle_strength(age)
    low, central, high = (min(100.0, effort_at_reference_pct * 100.0 / s)
                          for s in (strength.high, strength.central, strength.low))
    return Band(low, central, high)


def same_task_cramp_threshold(effort_at_reference_pct: float, age: float) -> tuple[float, float | None]:
    """(effort in % of maximum at this age, lowest fatigue in % at which the reflex model cramps).

    The fatigue threshold comes from physiology.reflex (None: no cramp even at 100 % fatigue).
    """
    from physiology import reflex  # the reflex model of notebook 04 (altered neuromuscular control)

    effort = round(relative_effort_pct(effort_at_reference_pct, age).central)
    return effort, reflex.fatigue_threshold_pct(reflex.ReflexSettings(drive_amplitude_pct=effort))


# --- the ageing explorer's model: simulate(**controls) and summarise(result) -----------------------

class AgeResult(NamedTuple):
    age: float
    changes: list[Change]                       # since the reference age
    studies_covering: list[PrevalenceStudy]     # prevalence studies whose population includes it


def simulate(age: float) -> AgeResult:
    """Everything the explorer shows at one age (the control of data/scenarios/aging.yaml)."""
    age = check_age(age)
    return AgeResult(age, changes_since_reference(age), studies_covering(age))


def _short(change: Change) -> str:
    """'muscle mass 75 % (70-79)' or 'eGFR -48 (-52 to -34) mL/min/1.73 m²' for the summary line."""
    band, c = change.band, curve(change.id)
    if c.kind == "percent_of_reference":
        return f"{c.short_label} {band.central:.0f} % ({band.low:.0f}-{band.high:.0f})"
    return f"{c.short_label} {band.central:+.0f} ({band.low:+.0f} to {band.high:+.0f}) {c.unit}"


def summarise(result: AgeResult) -> str:
    """Every quantified change since the reference age, with its range, in one line."""
    reference = aging_data().reference_age_years
    if result.age == reference:
        return (f"Age {result.age:g} is the reference: every curve starts here. Move the age to "
                "see what changes.")
    quantified = [c for c in result.changes if c.band is not None]
    return (f"Age {result.age:g}, relative to {reference:g}: "
            + "; ".join(_short(c) for c in quantified) + ".")


def summarise_prevalence(result: AgeResult) -> str:
    """How many prevalence studies include people of this age, and how to compare them."""
    covering, total = len(result.studies_covering), len(prevalence_studies())
    who = (f"all {total} studies include people this age" if covering == total else
           f"{covering} of {total} studies include people this age (drawn solid; the faded ones "
           "studied only older people)")
    return (f"At {result.age:g} years, {who}. Compare like with like: a past-month figure and a "
            "lifetime figure answer different questions.")
