"""The key studies behind the two leading explanations of exercise cramps (HYP-01).

data/evidence_studies.yaml lists, for each study, its design, sample size, evidence level and
which explanation it supports, goes against, or gives a mixed answer for. This module defines
that file's schema and a few questions a notebook asks of it.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from physiology import data

HypothesisId = Literal["dehydration_electrolyte", "neuromuscular"]
Direction = Literal["supports", "against", "mixed"]
DIRECTIONS: tuple[str, ...] = ("supports", "mixed", "against")


class Hypothesis(data.Strict):
    id: HypothesisId
    label: str
    claim: str
    refs: list[str] = Field(min_length=1)


class Bearing(data.Strict):
    """What one study says about one hypothesis, and why."""

    hypothesis: HypothesisId
    direction: Direction
    because: str = Field(min_length=10)


class Study(data.Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    design: str
    n: int = Field(gt=0)  # participants (or records: n_note says which)
    n_note: str
    finding: str
    bears_on: list[Bearing] = Field(min_length=1)
    evidence_level: data.EvidenceLevel
    facts: list[str] = Field(min_length=1)
    refs: list[str] = Field(min_length=1)

    def bearing_on(self, hypothesis: str) -> Bearing | None:
        return next((b for b in self.bears_on if b.hypothesis == hypothesis), None)


class EvidenceFile(data.Strict):
    hypotheses: list[Hypothesis] = Field(min_length=2, max_length=2)
    studies: list[Study] = Field(min_length=1)
    conclusion: str
    conclusion_refs: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> "EvidenceFile":
        ids = [s.id for s in self.studies]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate study id(s) {', '.join(duplicates)}")
        return self

    def hypothesis(self, hypothesis_id: str) -> Hypothesis:
        return next(h for h in self.hypotheses if h.id == hypothesis_id)

    def studies_on(self, hypothesis_id: str) -> list[Study]:
        """Studies bearing on a hypothesis: supporting first, then mixed, then against;
        larger studies first within each group."""
        bearing = [s for s in self.studies if s.bearing_on(hypothesis_id)]
        return sorted(bearing, key=lambda s: (DIRECTIONS.index(s.bearing_on(hypothesis_id).direction),
                                              -s.n))

    def tally(self, hypothesis_id: str) -> dict[str, int]:
        """How many studies support, give mixed results for, or go against a hypothesis."""
        counts = {d: 0 for d in DIRECTIONS}
        for study in self.studies_on(hypothesis_id):
            counts[study.bearing_on(hypothesis_id).direction] += 1
        return counts

    def all_refs(self) -> set[str]:
        refs = set(self.conclusion_refs)
        for item in [*self.hypotheses, *self.studies]:
            refs.update(item.refs)
        return refs


data.register("evidence_studies.yaml", EvidenceFile)


def evidence() -> EvidenceFile:
    """The validated contents of data/evidence_studies.yaml."""
    return data.load("evidence_studies.yaml", EvidenceFile)


def summarise(file: EvidenceFile) -> str:
    """The evidence figure in one sentence: per hypothesis, how many studies point which way."""
    parts = []
    for hypothesis in file.hypotheses:
        tally = file.tally(hypothesis.id)
        largest = max(s.n for s in file.studies_on(hypothesis.id))
        parts.append(f"{hypothesis.label}: {tally['supports']} supporting, {tally['mixed']} mixed, "
                     f"{tally['against']} against (largest study n = {largest:,})")
    return "; ".join(parts) + ". Bar length is sample size, not strength of evidence."
