"""Notebook 04 in Voila: pressing "Stretch now" ends the cramp in the plotted firing.

The generic test (test_every_notebook.py) already checks errors, a slider and accessibility;
this one checks the behaviour that is specific to the reflex explorer.
"""
from __future__ import annotations

from tests.browser.helpers import (
    UPDATE_TIMEOUT_S, open_notebook, page_errors, plot_signature, screenshot, wait_for_change,
)

NOTEBOOK = "04_fatigue_reflexes_and_stretching.ipynb"


def summary(explorer) -> str:
    return explorer.query_selector(".kcl-summary").inner_text()


def test_stretch_now_changes_the_firing_plot_and_reports_relief(page, voila_url):
    # the page address opens the explorer on the cramp scenario
    open_notebook(page, voila_url, NOTEBOOK, query="reflex=fatigued_late_in_race")
    # widget views appear one by one after the cells have run: wait for this one's summary
    explorer = page.wait_for_selector(".kcl-explorer.kcl-reflex:has(.kcl-summary)",
                                      timeout=UPDATE_TIMEOUT_S * 1000)
    assert "a cramp" in summary(explorer)

    before = plot_signature(explorer)
    explorer.query_selector("button:has-text('Stretch now')").click()
    after = wait_for_change(lambda: plot_signature(explorer), before, timeout_s=UPDATE_TIMEOUT_S)
    assert after != before, "pressing Stretch now did not change the firing plot"

    text = wait_for_change(lambda: summary(explorer), "", timeout_s=UPDATE_TIMEOUT_S)
    page.wait_for_function(
        "el => el.innerText.includes('stopped it')",
        arg=explorer.query_selector(".kcl-summary"), timeout=UPDATE_TIMEOUT_S * 1000)
    text = summary(explorer)
    assert "stretch stopped it" in text and "s after it began" in text
    assert explorer.query_selector("button:has-text('Release the stretch')") is not None
    screenshot(page, "04_after_stretch_now")
    assert page_errors(page) == []
    assert page.js_errors == []
