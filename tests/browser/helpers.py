"""Browser-test helpers: open a Voila page, wait for it, read plots, scan with axe.

Used by every test in tests/browser/. A Voila page streams its outputs, so we wait for widgets
and plots to appear rather than for the page 'load' event. The browser's flags, the servers and
what a healthy page is are defined once, in tests/browser/harness.py (shared with benchmarks/).
"""
from __future__ import annotations

import time
from pathlib import Path

from tests.browser.harness import (  # noqa: F401 (re-exported for the tests)
    ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, NOTEBOOKS, OUTPUT, PAGE_STATE_JS, REPO, SCREENSHOTS,
    TRACE, errors_in_text, is_local,
)
from tests.browser.harness import PLOT as PLOT_SELECTOR
from tests.browser.harness import SLIDER as SLIDER_SELECTOR

# Generous: the CI machine has 2 cores and a cold kernel imports numpy, pydantic and plotly.
PAGE_TIMEOUT_MS = 180_000
UPDATE_TIMEOUT_S = 30

WIDGET_SELECTOR = ".jp-OutputArea-output .lm-Widget, .jp-OutputArea-output .widget-box"


def notebook_names() -> list[str]:
    return sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def open_notebook(page, base_url: str, name: str, query: str = "", wait_for_plot: bool = True):
    """Go to a notebook in Voila and wait until its widgets (and first plot) are rendered."""
    url = f"{base_url}/voila/render/{name}" + (f"?{query}" if query else "")
    page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
    wait_until_rendered(page, wait_for_plot)
    return page


def wait_until_rendered(page, wait_for_plot: bool = True) -> None:
    page.wait_for_selector(WIDGET_SELECTOR, timeout=PAGE_TIMEOUT_MS, state="attached")
    # Voila streams the page while it runs the cells: the document is complete only once every
    # cell has run (a page that is still streaming can look healthy with half its outputs), and
    # Voila then hides its loading spinner.
    page.wait_for_function(
        "() => document.readyState === 'complete' && (!document.querySelector('#loading') || "
        "getComputedStyle(document.querySelector('#loading')).display === 'none')",
        timeout=PAGE_TIMEOUT_MS,
    )
    # Widget views appear one by one after that: wait until the page is healthy (harness.py:
    # every output filled, every plot drawn), as the benchmark's "interactive" does; or, for a
    # page that is not asked to have its plots drawn, until every output is filled.
    page.wait_for_function(
        f"""(plots) => {{ const s = ({PAGE_STATE_JS})(null);
                         return plots ? s.complete : s.outputs > 0 && s.filled === s.outputs; }}""",
        arg=wait_for_plot, timeout=PAGE_TIMEOUT_MS)


def page_errors(page, text_of: str = "body") -> list[str]:
    """Python errors or widget errors visible on the page: error and stderr outputs, and the
    error texts of harness.ERROR_TEXT in the text of `text_of` (the whole page in Voila; the
    outputs in JupyterLab, whose page also shows the notebook's code)."""
    problems = []
    for el in page.query_selector_all("[data-mime-type='application/vnd.jupyter.stderr'], "
                                      ".jp-RenderedText[data-mime-type*='error']"):
        problems.append(el.inner_text()[:500])
    text = "\n".join(page.locator(text_of).all_inner_texts())
    return problems + errors_in_text(text)


def plot_signature(page, scope=None) -> list[str]:
    """Everything that changes when a plot's data changes: path shapes and positions, texts, and
    layout shapes (the ageing explorer moves its markers as shapes)."""
    root = scope or page
    return root.eval_on_selector_all(
        f"{PLOT_SELECTOR} .cartesianlayer path, {PLOT_SELECTOR} .barlayer path, "
        f"{PLOT_SELECTOR} .sankey path, {PLOT_SELECTOR} .gtitle, {PLOT_SELECTOR} .scatterlayer path, "
        f"{PLOT_SELECTOR} .scatterlayer .point, {PLOT_SELECTOR} .shapelayer path",
        "els => els.map(e => (e.getAttribute('d') || e.textContent) + '|' + (e.getAttribute('transform') || ''))",
    )


def empty_plots(page) -> int:
    """How many plots on the page show no trace at all (a FigureWidget shown empty)."""
    state = page.evaluate(PAGE_STATE_JS, None)
    return state["drawn"] - state["traced"]


def wait_for_change(read, before, timeout_s: float = UPDATE_TIMEOUT_S):
    """Poll `read()` until it differs from `before`; returns the new value (or the old one)."""
    deadline = time.monotonic() + timeout_s
    now = read()
    while now == before and time.monotonic() < deadline:
        time.sleep(0.2)
        now = read()
    return now


def wait_until_stable(read, quiet_s: float = 1.0, timeout_s: float = UPDATE_TIMEOUT_S):
    """Poll `read()` until it has not changed for `quiet_s` (a plot done drawing and resizing)."""
    deadline = time.monotonic() + timeout_s
    last, since = read(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = read()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            break
    return last


def press_slider(page, slider, key: str | None = None) -> None:
    """Move a native range slider one step with the keyboard (right, or left if at max)."""
    if key is None:
        at_max = slider.evaluate("el => Number(el.value) >= Number(el.max)")
        key = "ArrowLeft" if at_max else "ArrowRight"
    slider.focus()
    page.keyboard.press(key)


def axe_violations(page, impacts=("critical", "serious")) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['impact']}: {v['id']} - {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in impacts
    ]


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
