"""Risk factors for cramps, the mechanisms they act through, and the evidence for each link.

A risk factor is a situation that goes with more cramps in groups of people. This module reads
data/risk_factors.yaml, data/risk_cases.yaml and data/medication_sequence_ratios.yaml and turns a
selection of factors into plain data: the nodes and links of a factors -> mechanisms -> cramp
diagram, an evidence table and the related checklist items.

It never adds factors up into a score or a probability. No validated model does that for cramps;
in the diagram a band's width counts links between boxes, it does not measure risk.
Pure: no widgets, no plotting.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

from pydantic import Field, model_validator

from physiology import data
from physiology.data import EVIDENCE_LEVELS, DataFileError, Strict

# The fixed vocabulary of mechanisms, in the order the diagram lists them.
MECHANISM_IDS: tuple[str, ...] = (
    "reflex_control_and_fatigue",
    "nerve_excitability",
    "fluid_and_electrolyte_balance",
    "circulation",
    "calcium_handling",
)
MechanismId = Literal[
    "reflex_control_and_fatigue",
    "nerve_excitability",
    "fluid_and_electrolyte_balance",
    "circulation",
    "calcium_handling",
]

# The project's evidence levels plus "lacking": no study in the sources tests the claim.
RiskEvidence = Literal["strong", "moderate", "weak", "expert-opinion", "lacking"]
RISK_EVIDENCE_LEVELS: tuple[str, ...] = (*EVIDENCE_LEVELS, "lacking")  # strongest first

CRAMP_NODE = "cramp"
CRAMP_LABEL = "Cramp"

_ID = r"^[a-z][a-z0-9_]*$"


# --- schemas -------------------------------------------------------------------------------

class Mechanism(Strict):
    id: MechanismId
    label: str
    description: str = Field(min_length=20)
    evidence_level: RiskEvidence  # as a route to ordinary cramps
    refs: list[str] = Field(min_length=1)
    facts: list[str] = Field(default_factory=list)


class Category(Strict):
    id: str = Field(pattern=_ID)
    label: str


class MechanismLink(Strict):
    """One arrow from a factor to a mechanism: the project's reading of the cited sources."""

    mechanism: MechanismId
    evidence_level: RiskEvidence
    refs: list[str] = Field(min_length=1)
    note: str = Field(min_length=10)


class RiskFactor(Strict):
    id: str = Field(pattern=_ID)
    name: str
    category: str
    modifiable: bool
    what_can_change: str = Field(min_length=10)
    evidence_level: RiskEvidence  # for the factor's association with cramps
    refs: list[str] = Field(min_length=1)
    facts: list[str] = Field(default_factory=list)
    explanation: str = Field(min_length=20)
    mechanisms: list[MechanismLink] = Field(min_length=1)
    checklist_items: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_link_per_mechanism(self) -> "RiskFactor":
        data._no_duplicates([m.mechanism for m in self.mechanisms], "mechanism link")
        return self


class RiskFactorFile(Strict):
    """data/risk_factors.yaml: the mechanisms, the factor categories and the factors."""

    title: str
    note: str
    mechanisms: list[Mechanism]
    categories: list[Category] = Field(min_length=1)
    factors: list[RiskFactor] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "RiskFactorFile":
        described = [m.id for m in self.mechanisms]
        data._no_duplicates(described, "mechanism")
        missing = set(MECHANISM_IDS) - set(described)
        if missing:
            raise ValueError(f"mechanism(s) not described: {', '.join(sorted(missing))}")
        data._no_duplicates([c.id for c in self.categories], "category")
        data._no_duplicates([f.id for f in self.factors], "factor")
        categories = {c.id for c in self.categories}
        for f in self.factors:
            if f.category not in categories:
                raise ValueError(f"factor '{f.id}' has unknown category '{f.category}'")
        return self

    def factor(self, factor_id: str) -> RiskFactor:
        return data.by_id(self.factors, factor_id, "risk factor", "factors")

    def mechanism(self, mechanism_id: str) -> Mechanism:
        return data.by_id(self.mechanisms, mechanism_id, "mechanism")

    def category_label(self, category_id: str) -> str:
        return {c.id: c.label for c in self.categories}[category_id]


class RiskCase(Strict):
    """A fictional, named situation: a list of factor ids an educator can load in one click."""

    id: str = Field(pattern=_ID)
    label: str
    description: str = Field(min_length=20)
    factors: list[str] = Field(min_length=1)
    refs: list[str] = Field(default_factory=list)


class RiskCaseFile(Strict):
    title: str
    cases: list[RiskCase] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "RiskCaseFile":
        data._no_duplicates([c.id for c in self.cases], "case")
        return self

    def case(self, case_id: str) -> RiskCase:
        return data.by_id(self.cases, case_id, "case")


class SequenceRatio(Strict):
    """An adjusted sequence ratio with its 95% confidence interval (dimensionless)."""

    id: str = Field(pattern=_ID)
    label: str
    level: Literal["class", "subclass"]
    parent: str | None = None
    ratio: float = Field(gt=0)
    ci_low: float = Field(gt=0)
    ci_high: float = Field(gt=0)
    unit: Literal["ratio"]
    p_value: str
    facts: list[str] = Field(default_factory=list)
    refs: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _interval_holds_estimate(self) -> "SequenceRatio":
        if not self.ci_low <= self.ratio <= self.ci_high:
            raise ValueError(f"ratio {self.ratio} is outside its interval {self.ci_low}-{self.ci_high}")
        if (self.level == "subclass") != (self.parent is not None):
            raise ValueError("a subclass needs a parent class; a class has none")
        return self

    @property
    def percent_change(self) -> float:
        """How many % more (or fewer) treatment starts came after the medicine than before it."""
        return (self.ratio - 1.0) * 100.0

    @property
    def interval_excludes_one(self) -> bool:
        """True when the 95% CI lies wholly above or below 1 (no change)."""
        return self.ci_low > 1.0 or self.ci_high < 1.0


class SequenceRatioFile(Strict):
    source_refs: list[str] = Field(min_length=1)
    design: str
    population: str
    outcome: str
    ratios: list[SequenceRatio] = Field(min_length=1)

    @model_validator(mode="after")
    def _parents_exist(self) -> "SequenceRatioFile":
        ids = [r.id for r in self.ratios]
        data._no_duplicates(ids, "ratio")
        for r in self.ratios:
            if r.parent is not None and r.parent not in ids:
                raise ValueError(f"ratio '{r.id}' names unknown parent '{r.parent}'")
        return self

    def ratio(self, ratio_id: str) -> SequenceRatio:
        return {r.id: r for r in self.ratios}[ratio_id]


data.register("risk_factors.yaml", RiskFactorFile)
data.register("risk_cases.yaml", RiskCaseFile)
data.register("medication_sequence_ratios.yaml", SequenceRatioFile)


# --- loading ---------------------------------------------------------------------------------

def risk_factors() -> RiskFactorFile:
    return data.load("risk_factors.yaml", RiskFactorFile)


def risk_cases() -> RiskCaseFile:
    """The named cases, checked against the factor list (a case cannot name a missing factor)."""
    cases = data.load("risk_cases.yaml", RiskCaseFile)
    known = {f.id for f in risk_factors().factors}
    for case in cases.cases:
        unknown = [f for f in case.factors if f not in known]
        if unknown:
            raise DataFileError(
                f"data/risk_cases.yaml: case '{case.id}' names unknown factor(s) {', '.join(unknown)}")
    return cases


def sequence_ratios() -> SequenceRatioFile:
    return data.load("medication_sequence_ratios.yaml", SequenceRatioFile)


# --- from a selection of factors to diagram and table data --------------------------------

def validate_selection(selected: Iterable[str]) -> tuple[str, ...]:
    """The selected factor ids without repeats, in the data file's order (so the diagram does not
    depend on the order boxes were ticked). An unknown id is a KeyError naming the valid ones."""
    catalogue = risk_factors()
    wanted = set()
    for factor_id in selected:
        catalogue.factor(factor_id)  # raises KeyError for an unknown id
        wanted.add(factor_id)
    return tuple(f.id for f in catalogue.factors if f.id in wanted)


def case_factors(case_id: str) -> tuple[str, ...]:
    return validate_selection(risk_cases().case(case_id).factors)


def mechanism_counts(selected: Iterable[str]) -> dict[str, int]:
    """For each mechanism the selection engages, how many selected factors link to it."""
    catalogue = risk_factors()
    counts = {m: 0 for m in MECHANISM_IDS}
    for factor_id in validate_selection(selected):
        for link in catalogue.factor(factor_id).mechanisms:
            counts[link.mechanism] += 1
    return {m: n for m, n in counts.items() if n > 0}


@dataclass(frozen=True)
class SankeyData:
    """Nodes (factors, then mechanisms, then the cramp) and links, ready for any Sankey drawer.

    `values` count links: 1 per factor -> mechanism arrow, and for mechanism -> cramp the
    number of selected factors routed through that mechanism. They are not risks.
    """

    node_ids: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # "factor" | "mechanism" | "cramp"
    sources: tuple[int, ...] = ()
    targets: tuple[int, ...] = ()
    values: tuple[int, ...] = ()
    link_evidence: tuple[str, ...] = ()
    link_notes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.node_ids

    def link_pairs(self) -> list[tuple[str, str]]:
        """The links as (from node id, to node id), handy for reading and for tests."""
        return [(self.node_ids[s], self.node_ids[t]) for s, t in zip(self.sources, self.targets)]


def sankey_data(selected: Iterable[str]) -> SankeyData:
    catalogue = risk_factors()
    factors = [catalogue.factor(f) for f in validate_selection(selected)]
    if not factors:
        return SankeyData()
    counts = mechanism_counts(f.id for f in factors)
    mechanisms = [catalogue.mechanism(m) for m in counts]

    node_ids = [f.id for f in factors] + [m.id for m in mechanisms] + [CRAMP_NODE]
    index = {node: i for i, node in enumerate(node_ids)}
    links: list[tuple[int, int, int, str, str]] = []
    for factor in factors:
        for link in factor.mechanisms:
            links.append((index[factor.id], index[link.mechanism], 1, link.evidence_level, link.note))
    for mechanism in mechanisms:
        links.append((index[mechanism.id], index[CRAMP_NODE], counts[mechanism.id],
                      mechanism.evidence_level, mechanism.description))

    sources, targets, values, evidence, notes = zip(*links)
    return SankeyData(
        node_ids=tuple(node_ids),
        labels=tuple([f.name for f in factors] + [m.label for m in mechanisms] + [CRAMP_LABEL]),
        kinds=tuple(["factor"] * len(factors) + ["mechanism"] * len(mechanisms) + ["cramp"]),
        sources=sources, targets=targets, values=values,
        link_evidence=evidence, link_notes=notes,
    )


@dataclass(frozen=True)
class EvidenceRow:
    """One factor -> mechanism link with what is known about it."""

    factor_id: str
    factor: str
    mechanism_id: str
    mechanism: str
    link_evidence: str
    factor_evidence: str
    modifiable: bool
    what_can_change: str
    note: str
    refs: tuple[str, ...]


def evidence_table(selected: Iterable[str]) -> list[EvidenceRow]:
    catalogue = risk_factors()
    rows = []
    for factor_id in validate_selection(selected):
        factor = catalogue.factor(factor_id)
        for link in factor.mechanisms:
            rows.append(EvidenceRow(
                factor_id=factor.id, factor=factor.name,
                mechanism_id=link.mechanism, mechanism=catalogue.mechanism(link.mechanism).label,
                link_evidence=link.evidence_level, factor_evidence=factor.evidence_level,
                modifiable=factor.modifiable, what_can_change=factor.what_can_change,
                note=link.note, refs=tuple(link.refs),
            ))
    return rows


def checklist_items_for(selected: Iterable[str]) -> tuple[str, ...]:
    """The checklist item ids that address the selected factors, each once, in factor order."""
    catalogue = risk_factors()
    items: list[str] = []
    for factor_id in validate_selection(selected):
        for item in catalogue.factor(factor_id).checklist_items:
            if item not in items:
                items.append(item)
    return tuple(items)


@dataclass(frozen=True)
class ChecklistEntry:
    """A checklist item together with the checklist file it belongs to."""

    checklist_id: str
    checklist_title: str
    item: data.ChecklistItem


def checklist_index() -> dict[str, ChecklistEntry]:
    """Every item of every data/checklists/*.yaml by item id (ids must be unique across files)."""
    index: dict[str, ChecklistEntry] = {}
    for path in sorted((data.DATA_DIR / "checklists").glob("*.yaml")):
        checklist = data.checklist(path.stem)
        for item in checklist.items:
            if item.id in index:
                raise DataFileError(f"checklist item id '{item.id}' is used in both "
                                    f"'{index[item.id].checklist_id}' and '{checklist.id}'")
            index[item.id] = ChecklistEntry(checklist.id, checklist.title, item)
    return index


def strongest(levels: Iterable[str]) -> str | None:
    """The strongest evidence level among `levels` (None when there are none)."""
    present = set(levels)
    ranked = [lvl for lvl in RISK_EVIDENCE_LEVELS if lvl in present]
    return ranked[0] if ranked else None


# --- the risk explorer's model: simulate(**controls) and summarise(result) ------------------------

@dataclass(frozen=True)
class RiskPicture:
    """What the explorer shows for one selection (never a score: links, not risk)."""

    selected: tuple[str, ...]
    diagram: SankeyData
    evidence: list[EvidenceRow]
    checklist_items: tuple[str, ...]


def simulate(**ticked: bool) -> RiskPicture:
    """The picture for the ticked factors (control name = factor id, value True when ticked)."""
    selected = validate_selection(fid for fid, on in ticked.items() if on)
    return RiskPicture(selected, sankey_data(selected), evidence_table(selected),
                       checklist_items_for(selected))


def summarise(result: RiskPicture) -> str:
    """The one-line description of what the diagram now shows."""
    selected = result.selected
    if not selected:
        return ("No factor selected: tick a factor or pick a fictional case to see the "
                "mechanisms it is thought to act through.")
    catalogue = risk_factors()
    counts = mechanism_counts(selected)
    routes = ", ".join(f"{catalogue.mechanism(m).label.lower()} ({n})" for m, n in counts.items())
    best = strongest(row.link_evidence for row in result.evidence)
    best_text = ("no link has been tested directly" if best == "lacking"
                 else f"strongest link evidence is {best}")
    n = len(selected)
    return (f"{n} factor{'s' if n != 1 else ''} selected, linked to {len(counts)} "
            f"mechanism{'s' if len(counts) != 1 else ''}: {routes}; {best_text}. "
            "Not a risk score.")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def summarise_sequence_ratios(ratios: SequenceRatioFile) -> str:
    """The medicine classes' sequence ratios in one sentence, with any interval that reaches 1."""
    classes = [r for r in ratios.ratios if r.level == "class"]
    high = max(classes, key=lambda r: r.ratio)
    low = min(classes, key=lambda r: r.ratio)
    reaching_one = [r for r in ratios.ratios if not r.interval_excludes_one]
    tail = ("; every interval lies above 1" if not reaching_one else
            "; the interval reaches 1 for " + ", ".join(
                f"{_lower_first(r.label)} ({r.ci_low:.2f}-{r.ci_high:.2f})" for r in reaching_one))
    return (f"All {len(classes)} medicine classes have ratios above 1, from {_lower_first(low.label)} "
            f"({low.ratio:.2f}) to {_lower_first(high.label)} ({high.ratio:.2f}){tail}.")
