"""Notebook 02 in Voila: scenarios, a slider and the log-axis switch change the calcium plots.

The generic test (test_every_notebook.py) already checks errors, the first slider and
accessibility; this one checks the behaviour specific to the calcium explorer: the page address
opens a scenario, the scenario picker switches contracture to cramp, the keyboard stops the
stimulation, and the log axis redraws the calcium panel.
"""
from __future__ import annotations

from tests.browser.helpers import (
    UPDATE_TIMEOUT_S, open_notebook, page_errors, plot_signature, screenshot, wait_for_change,
)

NOTEBOOK = "02_calcium_handling.ipynb"


SUMMARY = ".kcl-calcium .kcl-summary"


def summary_contains(page, text: str) -> str:
    """Wait until the explorer's summary line says `text` (the line is re-rendered on update)."""
    page.wait_for_function(
        "([selector, text]) => { const el = document.querySelector(selector);"
        " return el !== null && el.innerText.includes(text); }",
        arg=[SUMMARY, text], timeout=UPDATE_TIMEOUT_S * 1000)
    return page.inner_text(SUMMARY)


def test_scenarios_keyboard_and_log_axis_change_the_calcium_plots(page, voila_url):
    open_notebook(page, voila_url, NOTEBOOK, query="calcium=contracture")
    explorer = page.query_selector(".kcl-calcium")
    assert explorer is not None
    assert "electrically silent" in summary_contains(page, "contracture-like")

    # the scenario picker: from a silent contracture to a cramp driven by the nerve
    before = plot_signature(explorer)
    explorer.query_selector("select").select_option(label="Cramp: the motor neuron keeps firing")
    assert "electrically active" in summary_contains(page, "cramp-like")
    assert wait_for_change(lambda: plot_signature(explorer), before) != before

    # the keyboard: Home on the duration slider stops the stimulation altogether
    before = plot_signature(explorer)
    duration = explorer.query_selector("input[type=range] >> nth=1")
    assert "duration" in duration.evaluate("el => el.labels[0].textContent").lower()
    duration.focus()
    page.keyboard.press("Home")
    summary_contains(page, "No action potentials")
    assert wait_for_change(lambda: plot_signature(explorer), before) != before

    # the log axis redraws the calcium panel
    before = plot_signature(explorer)
    explorer.query_selector("input[type=checkbox]").check()
    assert wait_for_change(lambda: plot_signature(explorer), before) != before

    screenshot(page, "02_calcium_after_interaction")
    assert page_errors(page) == []
    assert page.js_errors == []
