"""Every notebook, served by Voila, opens in Chromium without error, shows its widgets and
plots, reacts to the keyboard, and has no critical or serious accessibility violation."""
from __future__ import annotations

import pytest

from tests.browser.helpers import (
    PLOT_SELECTOR, SLIDER_SELECTOR, axe_violations, empty_plots, notebook_names, open_notebook,
    page_errors, plot_signature, press_slider, screenshot, wait_for_change, wait_until_stable,
)

# Front-end requests that only style icons (Voila's lab template asks a CDN for font-awesome):
# blocked offline, harmless. Anything else leaving localhost fails the test.
HARMLESS_EXTERNAL = ("fontawesome-free",)
WEBSOCKET_BUDGET = 500_000  # bytes a lesson page may receive over its websocket as it loads


@pytest.mark.parametrize("name", notebook_names())
def test_notebook_renders_and_responds(page, context, voila_url, name):
    open_notebook(page, voila_url, name)
    screenshot(page, name.removesuffix(".ipynb"))

    assert page_errors(page) == [], f"{name}: error on the page"
    assert page.query_selector_all(".jp-OutputArea-output .lm-Widget"), f"{name}: no widget rendered"
    assert empty_plots(page) == 0, f"{name}: a plot rendered with no data"
    # plotly.js comes as a cached file, not inside the widget state (widgets/plotly_loader.py)
    assert page.websocket_bytes[0] < WEBSOCKET_BUDGET, (
        f"{name}: {page.websocket_bytes[0] / 1000:.0f} kB over the websocket at load")

    explorer = page.query_selector(".kcl-explorer")
    if explorer and explorer.query_selector(SLIDER_SELECTOR) and explorer.query_selector(PLOT_SELECTOR):
        before = wait_until_stable(lambda: plot_signature(explorer))
        press_slider(page, explorer.query_selector(SLIDER_SELECTOR))
        after = wait_for_change(lambda: plot_signature(explorer), before)
        assert after != before, f"{name}: moving the first slider with the keyboard did not change the plot"
        assert page_errors(page) == []

    violations = axe_violations(page)
    assert violations == [], f"{name}: accessibility violations:\n" + "\n".join(violations)

    leaks = [u for u in context.external_requests if not any(h in u for h in HARMLESS_EXTERNAL)]
    assert leaks == [], f"{name}: the page asked the internet for {leaks}"
    assert page.js_errors == [], f"{name}: JavaScript errors {page.js_errors}"
