"""The science review of December 2026 (issue 16): wrong, misleading and unsourced findings, and
the night-cramp section. Each test names the review finding it pins
(../shared/science/review-2026-12.md); the safety findings are in test_safety_review.py.
"""
from __future__ import annotations

import re

import pytest

from physiology import aging, data
from physiology import electrolytes as el
from tests.data.review_text import REPO, cites, markdown, places

# --- wrong and misleading (W1, W3, W4, M2, M3, M6) ------------------------------------------

def test_no_text_calls_one_stretching_trial_the_one_trial():
    """W1: Coppin 2005 (n=191, negative) and Hallegraeff 2012 (n=80, positive) disagree."""
    assert not places(r"\bthe one (prevention )?trial\b|\bIt is a single trial|\bOne trial, participants")
    routine = {i.id: i for i in data.checklist("prevention_routine").items}
    assert {"coppin2005", "hallegraeff2012"} <= set(routine["stretch_before_bed"].refs)
    for notebook in ("05_aging.ipynb", "07_prevention_and_relief.ipynb"):
        assert cites(markdown(notebook), "coppin2005"), notebook


def test_mild_low_potassium_is_not_said_to_cause_weakness():
    """W3: mild hypokalaemia is usually symptom-free; weakness and cramps come with larger falls."""
    assert not places(r"mild (hypokalaemia|hypokalemia|low potassium)[^.]{0,40}(causes|makes)[^.]{0,30}weakness")
    assert not places(r"weakness rather than (a )?cramp")
    assert not places(r"mild low potassium causes weakness")
    el12 = data.facts()["EL-12"]
    assert "statpearls_k" in el12.refs and "hille2001" not in el12.refs          # U9


def test_ironman_citation_has_its_published_title_and_doi():
    """W4: the title says 210 triathletes (209 analysed)."""
    ref = data.references()["schwellnus2011a"]
    assert "210 Ironman triathletes" in ref.citation and "10.1136/bjsm.2010.078535" in ref.citation


def test_strength_at_75_is_60_to_80_percent_of_age_30():
    """M2: a 20-40 % loss by the 70s and 80s (Doherty 2003)."""
    band = aging.muscle_strength(75)
    assert 60 <= band.low <= band.central <= band.high <= 80
    effort = aging.relative_effort_pct(30, 75)
    assert 38 <= effort.central <= 46                      # was 60 %
    assert "doherty2003" in aging.curve("muscle_strength").refs


def test_no_text_keeps_the_old_strength_figures():
    assert not places(r"strength (only )?(to )?(roughly |about )?half")
    assert not places(r"30 / 0\.50 = 60|about 60 % of the older|36-54 %|Voluntary effort\*\* to 60")
    assert not places(r"about two thirds of the force per kilogram")


def test_stretch_relief_is_a_proposed_mechanism():
    """M3: Khan & Burne stimulated tendon afferents electrically; stretch was not tested."""
    assert not places(r"a mechanism, not a guess")


GHK_MUSCLE = (-92.0, -84.0)


def test_a_resting_potential_presented_as_a_muscle_s_lies_near_minus_90_mv():
    """M6: with muscle-like permeabilities (Hodgkin & Horowicz 1959) the GHK rest is -85..-90 mV;
    the squid ratios' -77 mV is labelled as the squid-axon result."""
    spec = data.scenarios("nernst")
    muscle = {s.id: s for s in spec.scenarios}["muscle_permeabilities"]
    defaults = {c.name: c.default for c in spec.controls}
    values = {**defaults, **muscle.values}
    perms = {"k": 1.0, "na": values["p_na"], "cl": values["p_cl"]}
    rest = el.ghk_mv(el.default_ions().values(), perms)
    assert GHK_MUSCLE[0] <= rest <= GHK_MUSCLE[1]
    text = " ".join(markdown("03_electrolytes_and_nerves.ipynb").split())
    for m in re.finditer(r"[−-]77 mV", text):
        assert "squid" in text[max(0, m.start() - 400):m.end() + 200].lower(), text[m.start() - 200:m.end()]
    assert "the same holds in real muscle" not in text
    assert "hodgkin1959" in text


# --- unsourced (U1-U9) ---------------------------------------------------------------------

def test_primary_care_prevalence_cites_the_primary_study():
    """U4: Maisonneuve 2016 (516 patients, 25 practices, adjusted 46 %, 95 % CI 38-53 %)."""
    study = {p.id: p for p in aging.prevalence_studies()}["primary_care_over_60"]
    assert study.refs == ["maisonneuve2016"] and study.evidence_level == "moderate"
    assert data.facts()["EP-11"].refs == ["maisonneuve2016"]
    assert not places(r"only have the figure second-hand")


@pytest.mark.parametrize("fact_id", ["CA-10", "HYP-13", "HYP-15", "EL-10", "RC-03", "RC-07", "CG-05"])
def test_facts_whose_source_notes_ask_for_a_check_carry_the_verify_flag(fact_id):
    """U8: the science base asks for a check on these; the flag is carried over."""
    assert data.facts()[fact_id].verify


def test_facts_with_the_figures_the_review_found():
    facts = data.facts()
    assert "grandner2017" in facts["EP-12"].refs and "BMI" in facts["EP-12"].claim      # U2
    assert "12%" in facts["RM-04"].value.replace(" ", "")                                 # U3
    assert "fredholm1999" in facts["RM-06"].refs                                          # U7
    assert "in this collection" in facts["RM-06"].claim


# --- night cramps in older adults (review section 6) ----------------------------------------

def test_notebook_05_has_a_night_cramp_section_with_both_sides_of_the_evidence():
    text = markdown("05_aging.ipynb")
    section = text[text.index("Night cramps in older adults"):]
    for ref in ("maisonneuve2016", "coppin2005", "hallegraeff2012", "eltawil2015",
                "garrison2020", "rabbitt2016", "mhra2010"):
        assert cites(section, ref), ref
    assert "31 %" in section and "80 %" in section and "46 %" in section
    quiz = data.quiz("05_aging")
    assert any("night" in q.prompt.lower() and "stretch" in (q.prompt + str(q)).lower()
               for q in quiz.questions)


def test_corrections_page_names_every_finding_it_fixes():
    text = (REPO / "docs" / "corrections.md").read_text(encoding="utf-8")
    for finding in ("W1", "W2", "W3", "W4", "M2", "M3", "M4", "M5", "M6", "I4", "I5", "F12",
                    "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"):
        assert re.search(rf"\b{finding}\b", text), finding


def test_imprecise_wordings_are_gone():
    """I3, I11, I12, F10: cross-bridges keep cycling in a tetanus; a several-hundred-fold rise;
    'no WHO cramp statistic was found'; Miller 2010h is a non-significant trend."""
    assert not places(r"never get (time )?to detach")
    assert not places(r"thousand-fold")
    assert not places(r"No WHO cramp statistic for the knee exists")
    assert not places(r"3 ?% of body mass did not change the cramp threshold")
