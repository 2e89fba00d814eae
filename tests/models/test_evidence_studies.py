"""data/evidence_studies.yaml: the studies behind the two hypotheses, checked against the facts.

Sample sizes are the ones stated in the facts (data/facts.yaml) or the study titles.
"""
from __future__ import annotations

from physiology import data
from physiology.evidence_studies import EvidenceFile, evidence


def test_the_file_validates_through_its_registered_schema():
    path = data.DATA_DIR / "evidence_studies.yaml"
    assert data.schema_for(path) is EvidenceFile
    assert isinstance(data.validate_file(path), EvidenceFile)


def test_every_ref_and_fact_exists():
    known_refs, known_facts = data.references(), data.facts()
    file = evidence()
    assert file.all_refs() <= set(known_refs)
    for study in file.studies:
        assert set(study.facts) <= set(known_facts), study.id


def test_each_study_carries_the_evidence_level_of_the_fact_it_rests_on():
    facts = data.facts()
    for study in evidence().studies:
        levels = {facts[f].evidence_level for f in study.facts}
        assert study.evidence_level in levels, study.id


def test_sample_sizes_match_the_facts():
    n = {s.id: s.n for s in evidence().studies}
    assert n["ironman_cohort"] == 209  # HYP-04, and the paper's title
    assert n["ultramarathon_cohort"] == 49  # HYP-05
    assert n["kona_records"] == 10_553  # HYP-11 (records, not people)
    assert n["sweat_sodium_football"] == 5 + 5  # HYP-09: 5 cramp-prone vs 5 reference
    assert n["sodium_balance_football"] == 6 + 8  # HYP-10
    assert n["water_vs_ors_2019"] == n["water_vs_ors_2021"] == 10  # HYP-14: n=10 per study
    assert n["hydration_drink_heat"] == 13  # HYP-15: 7 of 13 cramped
    assert n["tendon_stimulation"] == 13  # NM-02: cramp induced in 8 of 13


def test_both_hypotheses_are_covered_and_the_lab_dehydration_studies_go_against_the_first():
    file = evidence()
    assert file.tally("dehydration_electrolyte")["against"] >= 3
    assert file.tally("dehydration_electrolyte")["supports"] >= 3
    assert file.tally("neuromuscular")["supports"] >= 3
    for study_id in ("hypohydration_lab", "severe_hypohydration_lab"):
        study = next(s for s in file.studies if s.id == study_id)
        assert study.bearing_on("dehydration_electrolyte").direction == "against"
    pickle = next(s for s in file.studies if s.id == "pickle_juice")
    assert pickle.bearing_on("neuromuscular").direction == "supports"  # HYP-16


def test_studies_on_a_hypothesis_are_grouped_supporting_then_mixed_then_against():
    file = evidence()
    order = [s.bearing_on("dehydration_electrolyte").direction
             for s in file.studies_on("dehydration_electrolyte")]
    ranks = [("supports", "mixed", "against").index(d) for d in order]
    assert ranks == sorted(ranks)
