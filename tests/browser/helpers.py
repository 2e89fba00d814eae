"""Browser-test helpers: open a Voila page, wait for it, read plots, scan with axe.

Used by every test in tests/browser/. A Voila page streams its outputs, so we wait for widgets
and plots to appear rather than for the page 'load' event.
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

# Generous: the CI machine has 2 cores and a cold kernel imports numpy, scipy and plotly.
PAGE_TIMEOUT_MS = 180_000
UPDATE_TIMEOUT_S = 30

WIDGET_SELECTOR = ".jp-OutputArea-output .lm-Widget, .jp-OutputArea-output .widget-box"
SLIDER_SELECTOR = ".kcl-slider input[type=range]"
PLOT_SELECTOR = ".js-plotly-plot"

ERROR_PATTERNS = re.compile(r"Traceback \(most recent call last\)|Error displaying widget|"
                            r"Could not create a view|Failed to initialize model|"
                            r"\b[A-Z][a-zA-Z]+Error: ")


def notebook_names() -> list[str]:
    return sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def is_local(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return url.startswith(("data:", "blob:", "about:")) or host in {"127.0.0.1", "localhost", "::1"}


def open_notebook(page, base_url: str, name: str, query: str = "", wait_for_plot: bool = True):
    """Go to a notebook in Voila and wait until its widgets (and first plot) are rendered."""
    url = f"{base_url}/voila/render/{name}" + (f"?{query}" if query else "")
    page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
    wait_until_rendered(page, wait_for_plot)
    return page


def wait_until_rendered(page, wait_for_plot: bool = True) -> None:
    page.wait_for_selector(WIDGET_SELECTOR, timeout=PAGE_TIMEOUT_MS, state="attached")
    # Voila hides its loading spinner once every cell has run.
    page.wait_for_function(
        "() => !document.querySelector('#loading') || "
        "getComputedStyle(document.querySelector('#loading')).display === 'none'",
        timeout=PAGE_TIMEOUT_MS,
    )
    # Widget views appear one by one after that: wait until every output holds something
    # (and, if asked, every plot is drawn), as the benchmark's "interactive" does.
    page.wait_for_function(
        """(plots) => [...document.querySelectorAll('.jp-OutputArea-output')]
                .every(o => (o.firstElementChild || o.textContent.trim())
                            && !o.textContent.includes('Loading widget...'))
            && (!plots || [...document.querySelectorAll('.js-plotly-plot')]
                .every(p => p.querySelector('.main-svg')))""",
        arg=wait_for_plot, timeout=PAGE_TIMEOUT_MS)


def page_errors(page) -> list[str]:
    """Python errors or widget errors visible on the page."""
    problems = []
    for el in page.query_selector_all("[data-mime-type='application/vnd.jupyter.stderr'], "
                                      ".jp-RenderedText[data-mime-type*='error']"):
        problems.append(el.inner_text()[:500])
    text = page.inner_text("body")
    for match in ERROR_PATTERNS.finditer(text):
        start = max(0, match.start() - 200)
        problems.append(text[start:match.end() + 300])
    return problems


def plot_signature(page, scope=None) -> list[str]:
    """Everything that changes when a plot's data changes: path shapes and positions, texts."""
    root = scope or page
    return root.eval_on_selector_all(
        f"{PLOT_SELECTOR} .cartesianlayer path, {PLOT_SELECTOR} .barlayer path, "
        f"{PLOT_SELECTOR} .sankey path, {PLOT_SELECTOR} .gtitle, {PLOT_SELECTOR} .scatterlayer path, "
        f"{PLOT_SELECTOR} .scatterlayer .point",
        "els => els.map(e => (e.getAttribute('d') || e.textContent) + '|' + (e.getAttribute('transform') || ''))",
    )


def empty_plots(page) -> int:
    """How many plots on the page show no trace at all (a FigureWidget shown empty)."""
    return page.eval_on_selector_all(
        PLOT_SELECTOR,
        """plots => plots.filter(p => p.querySelector('.main-svg') &&
              !p.querySelector('.trace, .scatterlayer path, .barlayer path, .sankey, .pielayer path, .heatmaplayer image, .shapelayer path')).length""",
    )


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
