"""Notebook 05 in Voila: a named age from the page address, the changes table and the
prevalence chart follow the age slider.

The generic test (test_every_notebook.py) already checks errors, one slider step and
accessibility; this one checks the behaviour specific to the ageing explorer.
"""
from __future__ import annotations

from tests.browser.helpers import (
    SLIDER_SELECTOR, UPDATE_TIMEOUT_S, open_notebook, page_errors, plot_signature, press_slider,
    screenshot, wait_for_change,
)

NOTEBOOK = "05_aging.ipynb"


def text_of(root, selector: str) -> str:
    return root.query_selector(selector).inner_text()


def prevalence_opacities(page) -> list[float]:
    """Opacity of each study in the prevalence chart (the second plot of the explorer)."""
    return page.evaluate(
        "() => document.querySelectorAll('.kcl-aging .js-plotly-plot')[1].data.map(t => t.opacity)")


def test_older_adult_scenario_from_the_address_and_the_slider_moves_everything(page, voila_url):
    open_notebook(page, voila_url, NOTEBOOK, query="aging=older_adult_75")
    aging = page.query_selector(".kcl-aging")
    assert aging is not None
    explorer = aging  # the ageing explorer's box is the explorer core's (.kcl-explorer.kcl-aging)
    summary = text_of(explorer, ".kcl-summary")
    assert "Age 75, relative to 30" in summary and "eGFR -48" in summary
    assert "At 75 years, compared with 30" in text_of(aging, ".kcl-aging-changes")
    assert prevalence_opacities(page) == [1] * 7  # every study includes 75-year-olds

    # one keyboard step left: 74 years, markers move, table and summary follow
    before = plot_signature(explorer)
    press_slider(page, explorer.query_selector(SLIDER_SELECTOR), key="ArrowLeft")
    after = wait_for_change(lambda: plot_signature(explorer), before)
    assert after != before, "moving the age did not move the markers"
    page.wait_for_function(
        "el => el.innerText.includes('Age 74')", arg=explorer.query_selector(".kcl-summary"),
        timeout=UPDATE_TIMEOUT_S * 1000)
    assert "At 74 years" in text_of(aging, ".kcl-aging-changes")

    # every mechanism link in the table leads to a card on the page
    for link in aging.query_selector_all(".kcl-aging-changes a"):
        target = link.get_attribute("href")
        assert target.startswith("#kcl-mech-") and page.query_selector(target) is not None


def test_young_age_fades_the_studies_of_older_people(page, voila_url):
    open_notebook(page, voila_url, NOTEBOOK, query="aging=young_adult_30")
    opacities = prevalence_opacities(page)
    assert opacities[:4] == [1, 1, 1, 1]                   # studies of all adults
    assert all(o < 0.5 for o in opacities[4:])             # over 50, 60+, 65+
    assert "4 of 7 studies" in text_of(page, ".kcl-aging .kcl-summary >> nth=1")
    screenshot(page, "05_aging_young_adult")
    assert page_errors(page) == []
    assert page.js_errors == []
