"""The risk-factor data files: complete, sourced, honest about evidence, linked to checklists."""
import math
import re

import pytest

from physiology import data
from physiology import risk_factors as rf

FACTORS = rf.risk_factors().factors
REFS = data.references()
FACTS = data.facts()

# Every factor the issue (#8) asks for, by the id it has in data/risk_factors.yaml.
REQUIRED = {
    "exercise intensity and fatigue": "exercise_intensity",
    "prior cramps": "prior_cramps",
    "dehydration": "dehydration",
    "heavy sweating": "heavy_salty_sweating",
    "heat": "heat",
    "low calcium": "low_calcium",
    "low magnesium": "low_magnesium",
    "low sodium": "low_sodium",
    "severe low potassium": "severe_low_potassium",
    "thiazide diuretics": "thiazide_diuretic",
    "potassium-sparing diuretics": "potassium_sparing_diuretic",
    "loop diuretics": "loop_diuretic",
    "statins": "statin",
    "long-acting beta-agonists": "laba",
    "other medicines": "other_medicines",
    "caffeine": "caffeine",
    "diabetes": "diabetes",
    "kidney disease and dialysis": "kidney_disease_dialysis",
    "cirrhosis": "cirrhosis",
    "thyroid disease": "thyroid_disease",
    "peripheral artery disease": "peripheral_artery_disease",
    "nerve compression": "nerve_compression",
    "pregnancy": "pregnancy",
    "age": "older_age",
    "high body weight": "high_body_weight",
    "prolonged sitting or standing": "prolonged_sitting_standing",
    "cold": "cold",
    "poor conditioning": "poor_conditioning",
    "vitamin deficiencies": "vitamin_deficiency",
}


def test_files_are_registered_with_their_schemas():
    for name, schema in [("risk_factors.yaml", rf.RiskFactorFile), ("risk_cases.yaml", rf.RiskCaseFile),
                         ("medication_sequence_ratios.yaml", rf.SequenceRatioFile)]:
        path = data.DATA_DIR / name
        assert data.schema_for(path) is schema
        assert isinstance(data.validate_file(path), schema)


def test_every_factor_the_issue_lists_is_there():
    ids = {f.id for f in FACTORS}
    missing = {topic: fid for topic, fid in REQUIRED.items() if fid not in ids}
    assert not missing


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_factor_has_mechanisms_evidence_and_existing_sources(factor):
    assert factor.mechanisms, "a factor must act through at least one mechanism"
    assert factor.evidence_level in rf.RISK_EVIDENCE_LEVELS
    for ref in factor.refs:
        assert ref in REFS, f"{factor.id}: unknown reference {ref}"
    for fact_id in factor.facts:
        assert fact_id in FACTS, f"{factor.id}: unknown fact {fact_id}"
    for link in factor.mechanisms:
        assert link.mechanism in rf.MECHANISM_IDS
        assert link.evidence_level in rf.RISK_EVIDENCE_LEVELS
        for ref in link.refs:
            assert ref in REFS, f"{factor.id} -> {link.mechanism}: unknown reference {ref}"


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_factor_checklist_items_exist(factor):
    index = rf.checklist_index()  # also fails if two checklist files share an item id
    assert factor.checklist_items, f"{factor.id}: name at least one checklist item"
    for item in factor.checklist_items:
        assert item in index, f"{factor.id}: no checklist has an item '{item}'"


def test_mechanisms_carry_sources():
    for m in rf.risk_factors().mechanisms:
        assert all(r in REFS for r in m.refs) and all(f in FACTS for f in m.facts)


def test_evidence_is_stated_as_the_science_base_grades_it():
    catalogue = rf.risk_factors()
    # caffeine: no study links it to cramps (RM-06, misleading claim 9)
    assert catalogue.factor("caffeine").evidence_level == "lacking"
    assert all(m.evidence_level == "lacking" for m in catalogue.factor("caffeine").mechanisms)
    # vitamin deficiencies: weak evidence
    assert catalogue.factor("vitamin_deficiency").evidence_level == "weak"
    # older age is consistently associated with cramps (AG-09: strong)
    assert catalogue.factor("older_age").evidence_level == FACTS["AG-09"].evidence_level == "strong"
    # "heat cramps" is an inaccurate term (RE-01)
    assert "inaccurate" in catalogue.factor("heat").explanation
    # low potassium: a mild fall does not make nerves easier to fire (EL-12); no nerve-excitability link
    assert "nerve_excitability" not in {m.mechanism for m in catalogue.factor("severe_low_potassium").mechanisms}


def test_verify_flagged_values_are_not_printed_as_hard_numbers():
    for factor in FACTORS:
        for fact_id in factor.facts:
            fact = FACTS[fact_id]
            if fact.verify and fact.value:
                for number in re.findall(r"\d+\.\d+", fact.value):
                    assert number not in factor.explanation, f"{factor.id} prints {number} from {fact_id}"


def test_medicine_wording_never_tells_anyone_to_change_a_medicine():
    for factor in FACTORS:
        if factor.category == "medicines":
            assert "never stopped on one's own" in factor.what_can_change
            assert "prescriber" in factor.what_can_change


def test_cases_are_fictional_and_name_existing_factors():
    cases = rf.risk_cases().cases
    labels = {c.label for c in cases}
    assert labels == {"Marathon runner at km 35", "72-year-old on a thiazide diuretic",
                      "Pregnant, third trimester", "Office worker, night cramps"}
    ids = {f.id for f in FACTORS}
    for case in cases:
        assert "fictional" in case.description.lower()
        assert set(case.factors) <= ids
        assert all(r in REFS for r in case.refs)


# --- Garrison 2012 sequence ratios ---------------------------------------------------------

RATIOS = rf.sequence_ratios().ratios


@pytest.mark.parametrize("r", RATIOS, ids=lambda r: r.id)
def test_ratio_matches_the_science_base(r):
    """The transcription agrees with facts RM-01/RM-02 (the science base's own text)."""
    assert all(ref in REFS for ref in r.refs)
    text = " ".join(FACTS[f].value or "" for f in r.facts)
    assert f"{r.ratio:.2f}" in text
    if f"{r.ratio:.2f} (" in text:  # where the fact also gives the interval, it must agree
        assert f"{r.ratio:.2f} ({r.ci_low:.2f}-{r.ci_high:.2f}" in text


@pytest.mark.parametrize("r", RATIOS, ids=lambda r: r.id)
def test_interval_is_symmetric_on_the_log_scale(r):
    """Ratio CIs are estimate x/÷ a factor, so both arms are equal in log units (to rounding).
    A mistyped bound breaks this."""
    lower_arm = math.log(r.ratio / r.ci_low)
    upper_arm = math.log(r.ci_high / r.ratio)
    assert lower_arm == pytest.approx(upper_arm, abs=0.015)
    assert r.unit == "ratio"
