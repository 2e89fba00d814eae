"""Measurements in the browser: time to interactive, slider-to-plot latency, page errors.

Headless Debian Chromium driven by Playwright (async API, so that a classroom of learners can
load pages at the same time). Every page is opened in a fresh browser context: an empty cache,
like a student opening the lesson for the first time. Name resolution is switched off, so a page
can reach only this computer (as in a classroom without internet) at no cost per request.
"""
from __future__ import annotations

import asyncio
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the browser harness: tests/browser

from tests.browser import harness  # noqa: E402
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, CONSOLE_ERROR_TEXT, PLOT  # noqa: E402

# The probe counts outputs and plots with the harness's definition of a healthy page (one
# definition, shared with the browser tests).
PROBE_JS = (f"window.__kclPageState = {harness.PAGE_STATE_JS};\n"
            + (Path(__file__).parent / "probe.js").read_text())

EXPLORER = ".kcl-explorer"
BASELINE = ".bench-bare"   # the baseline notebooks' one box
AREAS = f"{EXPLORER}, {BASELINE}"
SLIDER = f"{harness.SLIDER}, .widget-slider .noUi-handle"   # the baseline has ipywidgets' slider


@dataclass
class PageRun:
    """One page load: when it became interactive, its kernel, what went wrong."""
    name: str
    tti_s: float | None = None
    executed_s: float | None = None   # when Voila had run every cell (the spinner went away)
    kernel_id: str = ""
    plots: int = 0
    sliders: int = 0
    errors: list[str] = field(default_factory=list)


async def launch(playwright):
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


async def open_page(browser, viewport=(1280, 900)):
    """A new context (its own cache and storage: another student) with the probe installed."""
    context = await browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    await context.add_init_script(PROBE_JS)
    page = await context.new_page()
    page.bench_errors = []
    page.console_errors = []     # every console error, for the diagnosis of a stuck page
    page.on("pageerror", lambda exc: page.bench_errors.append(f"page error: {exc}"[:300]))
    page.on("console", lambda msg: _note_console(page, msg))
    return context, page


def _note_console(page, msg) -> None:
    if msg.type == "error":
        page.console_errors.append(msg.text[:200])
    if msg.type == "error" and CONSOLE_ERROR_TEXT.search(msg.text):
        page.bench_errors.append(f"console: {msg.text}"[:300])


async def load(page, base_url: str, name: str, timeout_s: float = 600, settle_s: float = 4.0,
               poll_s: float = 0.25) -> PageRun:
    """Open a notebook and wait until it is interactive (see probe.js); never raises on a slow
    or broken page: the run comes back with tti_s None and the reason in errors."""
    run = PageRun(name)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    state = None
    try:
        await page.goto(f"{base_url}/voila/render/{name}", wait_until="commit",
                        timeout=timeout_s * 1000)
        while loop.time() < deadline:
            state = await page.evaluate("""() => ({...window.__bench.progress(),
                quietMs: performance.now() - window.__bench.lastProgressMs,
                lastProgressMs: window.__bench.lastProgressMs,
                executedMs: window.__bench.executedMs})""")
            finished = state["sawSpinner"] and not state["executing"] and state["complete"]
            if finished and state["quietMs"] >= settle_s * 1000:
                run.tti_s = state["lastProgressMs"] / 1000
                run.executed_s = (state["executedMs"] or 0) / 1000 or None
                run.plots, run.sliders = state["plots"], state["sliders"]
                break
            await asyncio.sleep(poll_s)
        else:
            run.errors.append(f"not interactive within {timeout_s:.0f} s: " + _stuck_at(state)
                              + "".join(f"; last console error: {m}" for m in page.console_errors[-2:])
                              + f"; the page says: {await page_text(page)}")
        run.kernel_id = await page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        run.errors += await visible_errors(page)
    except Exception as exc:  # a page that never loads is a result, not a crash of the run
        run.errors.append(f"{type(exc).__name__}: {exc}"[:300])
    run.errors += page.bench_errors
    return run


def _stuck_at(state: dict | None) -> str:
    """Where a page that never became interactive had got to."""
    if state is None:
        return "the page never answered"
    return (f"cells {'still running' if state['executing'] else 'run'}, outputs filled "
            f"{state['filled']}/{state['outputs']}, plots drawn {state['drawn']}/{state['plots']}, "
            f"sliders {state['sliders']}")


async def page_text(page, chars: int = 300) -> str:
    """The start of the page's visible text, on one line."""
    return " ".join((await page.inner_text("body")).split())[:chars]


async def visible_errors(page) -> list[str]:
    text = await page.inner_text("body")
    return [f"on the page: ...{e}..." for e in harness.errors_in_text(text, 80, 120)]


async def shutdown_kernel(page, kernel_id: str) -> None:
    """What Voila's page does when it is closed: ask the server to shut its kernel down."""
    if not kernel_id:
        return
    try:
        await page.evaluate("""async (id) => {
            // Voila's lesson page sets no _xsrf cookie (its landing page does): get one first,
            // as a learner who came from the landing page has, or the server refuses (403).
            if (!document.cookie.includes("_xsrf=")) await fetch("/voila/tree");
            const form = new FormData();
            const xsrf = document.cookie.match("\\\\b_xsrf=([^;]*)\\\\b");
            form.append("_xsrf", xsrf ? xsrf[1] : "");
            await fetch(`/voila/api/shutdown/${id}`, {method: "POST", body: form});
        }""", kernel_id)
    except Exception:
        pass  # the server's own culling, or stop(), ends it


# --- slider to plot -------------------------------------------------------------------------

async def explorer_labels(page) -> dict[int, str]:
    """The explorers with a slider and a plot (or a baseline's box), by their index among
    AREAS: labelled by the nearest 'kcl-<topic>' class on the explorer or a box around it
    (calcium, nernst, membrane, reflex, aging), or 'baseline'."""
    labels = await page.evaluate(f"""() => [...document.querySelectorAll('{AREAS}')].map(el => {{
        if (!el.querySelector('{SLIDER}') || !el.querySelector('{PLOT}')) return null;
        if (el.matches('{BASELINE}')) return 'baseline';
        for (let node = el; node; node = node.parentElement) {{
            const own = [...node.classList].find(c => c.startsWith('kcl-') && c !== 'kcl-explorer');
            if (own) return own.slice(4);
        }}
        return 'explorer';
    }})""")
    return {i: label for i, label in enumerate(labels) if label}


async def explorer_contents(page) -> str:
    """What each explorer area holds, for a page where no slider-and-plot explorer was found."""
    counts = await page.evaluate(f"""() => [...document.querySelectorAll('{AREAS}')].map(el =>
        [el.querySelectorAll('{SLIDER}').length, el.querySelectorAll('{PLOT}').length,
         el.querySelectorAll('.jupyter-widgets-error-widget, .widget-error').length])""")
    outputs = await page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output')]
        .map(o => o.className.replace(/jp-|lm-|OutputArea-output/g, '').trim() + ': '
                  + o.innerText.replace(/\\s+/g, ' ').slice(0, 80))""")
    return (", ".join(f"explorer {i}: {s} sliders, {p} plots, {e} widget errors"
                      for i, (s, p, e) in enumerate(counts)) or "no explorer on the page; outputs: "
            + " | ".join(outputs))


@dataclass
class Move:
    """One key press: ms to the first plot change, split at the last kernel message before it."""
    latency_ms: float
    until_last_message_ms: float | None   # key -> last kernel message: kernel work + network
    drawing_ms: float | None              # last kernel message -> plot changed: the browser
    messages: int


async def slider_latencies(page, index: int, moves: int, timeout_s: float = 30,
                           warmup: int = 1) -> tuple[list[Move], int]:
    """Press ArrowRight, ArrowLeft, ... on the first slider of the index-th explorer and time
    each press until a plot path in that explorer changes shape. Returns (moves, misses): a press
    whose plot did not change within timeout_s is a miss. The first `warmup` presses are not
    counted."""
    slider = page.locator(AREAS).nth(index).locator(SLIDER).first
    measured, misses = [], 0
    for i in range(moves + warmup):
        plots = await page.evaluate(
            f"(i) => window.__bench.arm(document.querySelectorAll('{AREAS}')[i])", index)
        if not plots:
            return measured, moves
        await slider.focus()
        await page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        move = await _wait_for_redraw(page, timeout_s)
        if i < warmup:
            continue
        if move is None:
            misses += 1
        else:
            measured.append(move)
    return measured, misses


async def _wait_for_redraw(page, timeout_s: float, quiet_ms: float = 250) -> Move | None:
    """The armed move, once the plot has stopped changing for quiet_ms."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while loop.time() < deadline:
        m = await page.evaluate("""() => { const m = window.__bench.move;
            return {...m, observer: null, sinceLast: m.lastChangeAt === null ? null
                    : performance.now() - m.lastChangeAt}; }""")
        if m["drawnAt"] is not None and m["sinceLast"] >= quiet_ms:
            last = m["lastMessageAt"]
            return Move(latency_ms=m["drawnAt"] - m["keyAt"],
                        until_last_message_ms=None if last is None else last - m["keyAt"],
                        drawing_ms=None if last is None else m["drawnAt"] - last,
                        messages=m["messages"])
        await asyncio.sleep(0.02)
    return None


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100), linear between ranks; None for no values."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
