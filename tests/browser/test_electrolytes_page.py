"""Notebook 03 in Voila: behaviour specific to its widgets.

The generic test (test_every_notebook.py) already checks errors, a slider and accessibility.
Here: the page address opens the membrane explorer on the tetany scenario, Reset brings the
membrane back to rest, and its stimulus slider redraws the trace; a bad lab value gets its message beside the field, and a good one moves
the marker on the reference-range plot.
"""
from __future__ import annotations

from tests.browser.helpers import (
    SLIDER_SELECTOR, UPDATE_TIMEOUT_S, open_notebook, page_errors, plot_signature, press_slider,
    screenshot, wait_for_change,
)

NOTEBOOK = "03_electrolytes_and_nerves.ipynb"


def text_of(element, selector: str) -> str:
    found = element.query_selector(selector)
    return found.inner_text() if found else ""


def wait_for_text(page, element, selector: str, expected: str) -> None:
    page.wait_for_function(
        "([el, sel, want]) => { const f = el.querySelector(sel); "
        "return f !== null && f.innerText.includes(want); }",
        arg=[element, selector, expected], timeout=UPDATE_TIMEOUT_S * 1000)


def test_tetany_from_the_page_address_and_reset(page, voila_url):
    open_notebook(page, voila_url, NOTEBOOK, query="membrane=very_low_calcium_tetany")
    membrane = page.query_selector(".kcl-membrane")
    assert membrane is not None
    assert "Fires spontaneously at" in text_of(membrane, ".kcl-summary")

    before = plot_signature(membrane)
    membrane.query_selector("button:has-text('Reset')").click()
    wait_for_text(page, membrane, ".kcl-summary", "Rests at -65.0 mV")
    after = wait_for_change(lambda: plot_signature(membrane), before)
    assert after != before, "Reset did not redraw the voltage trace"

    assert membrane.query_selector(".jupyter-widgets-error-widget") is None, "a control failed"
    stimulus = membrane.query_selector(SLIDER_SELECTOR)
    assert stimulus is not None and "Stimulus current" in membrane.inner_text()
    before = plot_signature(membrane)
    press_slider(page, stimulus)  # 0 -> 0.1 uA/cm2: a small depolarization, no spike
    wait_for_text(page, membrane, ".kcl-summary", "No action potential: the 0.1 uA/cm2")
    assert wait_for_change(lambda: plot_signature(membrane), before) != before
    screenshot(page, "03_membrane_after_reset")
    assert page_errors(page) == []
    assert page.js_errors == []


def test_lab_report_message_beside_the_field_then_a_marker(page, voila_url):
    open_notebook(page, voila_url, NOTEBOOK)
    report = page.query_selector(".kcl-lab-report")
    potassium = report.query_selector(".kcl-lab-potassium")
    field = potassium.query_selector("input[type=text]")

    field.fill("40")
    field.press("Enter")
    wait_for_text(page, potassium, ".kcl-message", "outside what this tool accepts for potassium")
    assert field.input_value() == "40"  # nothing typed is lost

    before = plot_signature(report)
    field.fill("3.0")
    field.press("Enter")
    wait_for_text(page, report, ".kcl-summary", "potassium low")
    assert text_of(potassium, ".kcl-message") == ""
    assert "E_K = -105.4 mV" in text_of(potassium, ".kcl-lab-explanation")
    after = wait_for_change(lambda: plot_signature(report), before)
    assert after != before, "the value did not appear on the reference-range plot"
    screenshot(page, "03_lab_report")
    assert page_errors(page) == []
    assert page.js_errors == []
