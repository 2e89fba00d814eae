"""From a selection of risk factors to diagram and table data (physiology.risk_factors).

Expected values are worked out by hand from data/risk_factors.yaml (which factor links to which
mechanism) and from arithmetic on the Garrison 2012 ratios, not read back from the code.
"""
import math

import pytest
from pydantic import ValidationError

from physiology import risk_factors as rf


def test_two_factors_give_the_hand_drawn_diagram():
    # thiazide -> fluid; older age -> nerve, reflex, fluid (data file). Factors keep file order,
    # mechanisms keep vocabulary order, and the cramp node comes last.
    d = rf.sankey_data(["older_age", "thiazide_diuretic"])
    assert d.node_ids == ("thiazide_diuretic", "older_age", "reflex_control_and_fatigue",
                          "nerve_excitability", "fluid_and_electrolyte_balance", "cramp")
    assert d.kinds == ("factor", "factor", "mechanism", "mechanism", "mechanism", "cramp")
    assert sorted(d.link_pairs()) == sorted([
        ("thiazide_diuretic", "fluid_and_electrolyte_balance"),
        ("older_age", "nerve_excitability"),
        ("older_age", "reflex_control_and_fatigue"),
        ("older_age", "fluid_and_electrolyte_balance"),
        ("reflex_control_and_fatigue", "cramp"),
        ("nerve_excitability", "cramp"),
        ("fluid_and_electrolyte_balance", "cramp"),
    ])
    into_cramp = {d.node_ids[s]: v for s, t, v in zip(d.sources, d.targets, d.values)
                  if d.node_ids[t] == "cramp"}
    # two selected factors route through fluid balance, one each through the other two
    assert into_cramp == {"fluid_and_electrolyte_balance": 2, "nerve_excitability": 1,
                          "reflex_control_and_fatigue": 1}


def test_link_evidence_follows_the_data_file():
    d = rf.sankey_data(["statin"])
    pairs = d.link_pairs()
    # statin -> calcium handling has no direct study ("lacking"); calcium handling as a route to
    # ordinary cramps is rated weak
    assert d.link_evidence[pairs.index(("statin", "calcium_handling"))] == "lacking"
    assert d.link_evidence[pairs.index(("calcium_handling", "cramp"))] == "weak"


def test_every_mechanism_passes_on_exactly_what_it_receives():
    """Flow is conserved: what enters a mechanism node leaves it towards the cramp, and the cramp
    node receives one unit per factor -> mechanism link (a count of links, not a risk)."""
    everything = [f.id for f in rf.risk_factors().factors]
    d = rf.sankey_data(everything)
    n_factor_links = sum(len(f.mechanisms) for f in rf.risk_factors().factors)
    inflow = {i: 0 for i in range(len(d.node_ids))}
    outflow = dict(inflow)
    for s, t, v in zip(d.sources, d.targets, d.values):
        outflow[s] += v
        inflow[t] += v
    for i, kind in enumerate(d.kinds):
        if kind == "mechanism":
            assert inflow[i] == outflow[i] > 0
        if kind == "factor":
            assert inflow[i] == 0 and outflow[i] == len(rf.risk_factors().factor(d.node_ids[i]).mechanisms)
    assert inflow[d.node_ids.index("cramp")] == n_factor_links
    assert set(d.node_ids) >= set(rf.MECHANISM_IDS)  # all five are engaged by the full list


def test_marathon_case_engages_four_mechanisms_counted_by_hand():
    # exercise_intensity: reflex, nerve, calcium; prior_cramps: reflex, nerve;
    # heat: fluid, reflex; heavy_salty_sweating: fluid, nerve
    counts = rf.mechanism_counts(rf.case_factors("marathon_km35"))
    assert counts == {"reflex_control_and_fatigue": 3, "nerve_excitability": 3,
                      "fluid_and_electrolyte_balance": 2, "calcium_handling": 1}
    assert "circulation" not in counts


def test_selection_order_and_repeats_do_not_change_the_diagram():
    a = rf.sankey_data(["caffeine", "heat", "heat"])
    b = rf.sankey_data(["heat", "caffeine"])
    assert a == b
    assert a.node_ids[:2] == ("heat", "caffeine")  # file order: heat comes before caffeine


def test_empty_selection_draws_nothing():
    d = rf.sankey_data([])
    assert d.is_empty and d.sources == () and d.labels == ()
    assert rf.evidence_table([]) == [] and rf.checklist_items_for([]) == ()


def test_unknown_factor_is_a_clear_error():
    with pytest.raises(KeyError, match="Valid factors: exercise_intensity"):
        rf.sankey_data(["coffee_addiction"])


def test_evidence_table_one_row_per_link():
    rows = rf.evidence_table(["older_age", "statin"])
    assert [(r.factor_id, r.mechanism_id) for r in rows] == [
        ("statin", "calcium_handling"),
        ("older_age", "nerve_excitability"),
        ("older_age", "reflex_control_and_fatigue"),
        ("older_age", "fluid_and_electrolyte_balance"),
    ]
    statin, age = rows[0], rows[1]
    assert (statin.factor_evidence, statin.link_evidence, statin.modifiable) == ("moderate", "lacking", True)
    assert (age.factor_evidence, age.modifiable) == ("strong", False)


def test_checklist_items_are_merged_without_repeats():
    # both medicines name the same three items: the union has three, not six
    items = rf.checklist_items_for(["thiazide_diuretic", "statin"])
    assert items == ("ask_about_medicines", "medicine_started_before_cramps", "began_after_new_medicine")


@pytest.mark.parametrize("levels, expected", [
    (["weak", "moderate", "lacking"], "moderate"),
    (["lacking", "expert-opinion"], "expert-opinion"),
    (["lacking"], "lacking"),
    ([], None),
])
def test_strongest_evidence_level(levels, expected):
    assert rf.strongest(iter(levels)) == expected  # a one-pass iterator, as the widget passes


# --- sequence ratios --------------------------------------------------------------------------

def _ratio(**kw):
    base = dict(id="x", label="X", level="class", ratio=1.47, ci_low=1.33, ci_high=1.63,
                unit="ratio", p_value="P < .001", refs=["garrison2012"])
    return rf.SequenceRatio(**{**base, **kw})


def test_sequence_ratio_as_a_percentage():
    # 1.47 = 47% more treatment starts after the medicine than before; 0.80 = 20% fewer
    assert _ratio().percent_change == pytest.approx(47.0)
    assert _ratio(ratio=0.8, ci_low=0.7, ci_high=0.9).percent_change == pytest.approx(-20.0)


def test_interval_reaching_one_is_not_a_clear_signal():
    assert _ratio().interval_excludes_one
    assert not _ratio(ratio=1.20, ci_low=1.00, ci_high=1.44).interval_excludes_one  # loop diuretics
    assert _ratio(ratio=0.8, ci_low=0.7, ci_high=0.9).interval_excludes_one  # fewer, clearly


def test_loaded_ratios_match_the_published_pattern():
    r = rf.sequence_ratios()
    assert r.ratio("loop_diuretics").interval_excludes_one is False
    assert all(x.interval_excludes_one for x in r.ratios if x.id != "loop_diuretics")
    # LABA 2.42 > diuretics 1.47 > statins 1.16 (Garrison 2012 abstract)
    assert r.ratio("laba").ratio > r.ratio("diuretics").ratio > r.ratio("statins").ratio
    assert math.isclose(r.ratio("statins").percent_change, 16.0)


def test_ratio_outside_its_interval_is_rejected():
    with pytest.raises(ValidationError, match="outside its interval"):
        _ratio(ratio=1.7)
    with pytest.raises(ValidationError, match="needs a parent"):
        _ratio(level="subclass")


# --- schema rules -------------------------------------------------------------------------------

def _factor(**kw):
    base = dict(id="f", name="F", category="exercise", modifiable=True,
                what_can_change="Something can change.", evidence_level="weak", refs=["miller2022"],
                explanation="An explanation of twenty characters.",
                mechanisms=[dict(mechanism="circulation", evidence_level="weak", refs=["miller2022"],
                                 note="A note long enough.")])
    return {**base, **kw}


def test_factor_schema_rejects_bad_entries():
    link = _factor()["mechanisms"][0]
    with pytest.raises(ValidationError, match="duplicate mechanism link"):
        rf.RiskFactor(**_factor(mechanisms=[link, link]))
    with pytest.raises(ValidationError):
        rf.RiskFactor(**_factor(mechanisms=[]))  # every factor acts through something
    with pytest.raises(ValidationError):
        rf.RiskFactor(**_factor(mechanisms=[{**link, "mechanism": "bad_luck"}]))  # fixed vocabulary
    with pytest.raises(ValidationError):
        rf.RiskFactor(**_factor(evidence_level="probable"))


def test_file_schema_requires_all_mechanisms_and_known_categories():
    good = rf.risk_factors().model_dump()
    with pytest.raises(ValidationError, match="not described: circulation"):
        rf.RiskFactorFile(**{**good, "mechanisms": [m for m in good["mechanisms"] if m["id"] != "circulation"]})
    with pytest.raises(ValidationError, match="unknown category 'nowhere'"):
        rf.RiskFactorFile(**{**good, "factors": [_factor(category="nowhere")]})
