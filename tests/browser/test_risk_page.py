"""Notebook 06 in Voila: ticking a factor changes the Sankey, Clear empties it, a case from the
page address loads, and the page says it is not a risk score."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import open_notebook, page_errors, plot_signature, wait_for_change

pytestmark = pytest.mark.browser

NOTEBOOK = "06_risk_factors.ipynb"
TIMEOUT_MS = 30_000


def sankey_labels(explorer) -> list[str]:
    return explorer.locator(".js-plotly-plot .sankey .node-label").evaluate_all(
        "els => els.map(e => e.textContent)")


def test_selecting_a_factor_changes_the_sankey(page, voila_url):
    open_notebook(page, voila_url, NOTEBOOK)
    explorer = page.locator(".kcl-risk")
    expect(explorer.get_by_text("This is not a personal risk score")).to_be_visible()

    # opens on the fictional marathon runner: four factors, four mechanisms, "Cramp"
    expect(explorer.locator(".sankey .node-label", has_text=re.compile(r"^Cramp$"))).to_have_count(
        1, timeout=TIMEOUT_MS)
    assert "Reflex control and fatigue" in sankey_labels(explorer)
    before = plot_signature(explorer.element_handle())

    # a statin adds itself and the calcium route's link; the diagram changes in place
    explorer.get_by_label("Statin (cholesterol-lowering medicine)").check()
    after = wait_for_change(lambda: plot_signature(explorer.element_handle()), before)
    assert after != before, "ticking a factor did not change the Sankey"
    expect(explorer.locator(".sankey .node-label", has_text=re.compile(r"^Statin"))).to_have_count(
        1, timeout=TIMEOUT_MS)
    expect(explorer.locator(".kcl-summary")).to_contain_text("5 factors selected", timeout=TIMEOUT_MS)

    # Clear empties the diagram and says what to do
    explorer.get_by_role("button", name="Clear").click()
    expect(explorer.locator(".kcl-summary")).to_contain_text("No factor selected", timeout=TIMEOUT_MS)
    expect(explorer.locator(".sankey .node-label")).to_have_count(0, timeout=TIMEOUT_MS)

    # and the next tick draws again: heat, its two mechanisms (fluid balance, fatigue), cramp
    explorer.get_by_label("Hot conditions").check()
    expect(explorer.locator(".sankey .node-label")).to_have_count(4, timeout=TIMEOUT_MS)
    assert page_errors(page) == []


def test_case_from_the_page_address(page, voila_url):
    open_notebook(page, voila_url, NOTEBOOK, query="case=thiazide_72")
    explorer = page.locator(".kcl-risk")
    expect(explorer.get_by_label("Thiazide-type diuretic (\"water tablet\")")).to_be_checked(timeout=TIMEOUT_MS)
    expect(explorer.get_by_label("Older age")).to_be_checked()
    expect(explorer.get_by_label("Hot conditions")).not_to_be_checked()
    expect(explorer.locator(".kcl-summary")).to_contain_text("2 factors selected")
