"""Citations read as "author year", linked to the lesson's reference list, never as keys."""
from __future__ import annotations

import pytest

from physiology import data
from widgets.citations import cite_html, cite_text, markdown_citation, short_citation, sources_html


def test_short_citations_name_authors_and_year():
    assert short_citation("hallegraeff2012") == "Hallegraeff et al. 2012"
    assert short_citation("katzberg2015") == "Katzberg 2015"
    assert short_citation("allenkirby2012") == "Allen and Kirby 2012"
    assert short_citation("fda2010") == "U.S. Food and Drug Administration 2010"
    assert short_citation("vonhaehling2010") == "von Haehling et al. 2010"


def test_sources_link_each_name_to_the_reference_list():
    assert sources_html(["katzberg2015", "allenkirby2012"]) == (
        '<a href="#ref-katzberg2015">Katzberg 2015</a>; '
        '<a href="#ref-allenkirby2012">Allen and Kirby 2012</a>')


def test_bracketed_reference_and_fact_ids_become_linked_names():
    fact = next(f for f in data.facts().values() if f.refs)
    text = cite_html(f"Low calcium & magnesium [katzberg2015; allenkirby2012]; a fact [{fact.id}].")
    assert "&amp; magnesium" in text                       # the text around is escaped
    assert '(<a href="#ref-katzberg2015">Katzberg 2015</a>; ' in text
    assert f'<a href="#ref-{fact.refs[0]}">{short_citation(fact.refs[0])}</a>' in text
    assert "[katzberg2015" not in text and f"[{fact.id}]" not in text


def test_brackets_that_hold_no_known_id_are_left_alone():
    assert cite_html("a list [see below] and [nosuchref2099]") == \
        "a list [see below] and [nosuchref2099]"


def test_plain_text_and_markdown_forms():
    assert cite_text("Cramps [katzberg2015].") == "Cramps (Katzberg 2015)."
    assert markdown_citation(["katzberg2015", "allenkirby2012"]) == \
        "([Katzberg 2015](#ref-katzberg2015); [Allen and Kirby 2012](#ref-allenkirby2012))"


@pytest.mark.parametrize("ref_id", sorted(data.references()))
def test_every_reference_has_a_short_readable_name(ref_id):
    name = short_citation(ref_id)
    assert name and ref_id not in name and len(name) <= 70
