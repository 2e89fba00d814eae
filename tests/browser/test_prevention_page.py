"""Notebook 07's own widgets in Voila, used from the keyboard: red-flag alert, hold timer, quiz
feedback and bad input, food explorer; focus is visible, and with alerts, feedback and "Why?"
panels open the page still has no critical or serious accessibility violation."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    axe_violations, open_notebook, page_errors, plot_signature, wait_for_change,
)

pytestmark = pytest.mark.browser

NOTEBOOK = "07_prevention_and_relief.ipynb"
TIMEOUT_MS = 30_000


def test_notebook_07_widgets_work_from_the_keyboard(page, voila_url):
    open_notebook(page, voila_url, NOTEBOOK)

    # Red flag: ticked with the keyboard (Space), the urgent message appears as an alert.
    doctor = page.locator(".kcl-checklist").filter(has_text="When to see a doctor")
    urgent_box = doctor.get_by_label("a cramp lasts more than 10 minutes and does not ease")
    urgent_box.focus()
    outline = urgent_box.evaluate("el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth")
    assert outline.split()[0] != "none" and outline.split()[1] != "0px", f"no visible focus: {outline}"
    page.keyboard.press("Space")
    alert = doctor.locator(".kcl-redflag.kcl-urgent[role=alert]")
    expect(alert).to_contain_text("Get urgent medical advice now", timeout=TIMEOUT_MS)
    expect(alert).to_contain_text("NHS 111")

    # "Why?" opens on click (and on Enter), showing its short citation.
    why = doctor.locator("summary").first
    why.focus()
    page.keyboard.press("Enter")
    expect(doctor.get_by_text("NHS (UK). Leg cramps").first).to_be_visible(timeout=TIMEOUT_MS)

    # Hold timer: type a hold time, Tab to Start, Enter; it counts down in the browser and says Done.
    timer = page.locator(".kcl-timer")
    hold = timer.get_by_label("Hold time (s)")
    hold.fill("3")   # below the 5 s minimum
    hold.press("Tab")
    expect(timer.get_by_text("Enter a whole number of seconds from 5 to 300")).to_be_visible()
    hold.fill("5")
    hold.press("Tab")
    expect(timer.locator("button.kcl-timer-start")).to_be_focused()
    page.keyboard.press("Enter")
    expect(timer.locator(".kcl-timer-display")).not_to_have_text("5 s", timeout=TIMEOUT_MS)
    expect(timer.locator(".kcl-timer-display")).to_have_text("Done", timeout=TIMEOUT_MS)
    expect(timer.locator(".kcl-timer-live")).to_contain_text("5 s hold complete")

    # Quiz: a numeric answer of "abc" gets a message beside the field; 926 is correct.
    question = page.locator(".kcl-question").filter(has_text="medium potato of 173 g")
    field = question.get_by_label("Answer (mg)")
    field.fill("abc")
    question.get_by_role("button", name="Check").click()
    expect(question.get_by_text("is not a number")).to_be_visible(timeout=TIMEOUT_MS)
    field.fill("926")
    field.press("Tab")
    question.get_by_role("button", name="Check").click()
    expect(question.get_by_text("Correct.")).to_be_visible(timeout=TIMEOUT_MS)

    # Food explorer: choosing calcium redraws the plot in place and updates the summary.
    explorer = page.locator(".kcl-explorer").filter(has_text="Basis")
    scope = explorer.element_handle()
    before = plot_signature(page, scope)
    explorer.get_by_role("button", name="Calcium (mg)").click()
    after = wait_for_change(lambda: plot_signature(page, scope), before)
    assert after != before
    expect(explorer.locator(".kcl-summary")).to_contain_text("Calcium per typical serving",
                                                              timeout=TIMEOUT_MS)
    assert explorer.locator(".js-plotly-plot").count() == 1

    violations = axe_violations(page)
    assert violations == [], "accessibility violations:\n" + "\n".join(violations)
    assert page_errors(page) == []
    assert page.js_errors == []
