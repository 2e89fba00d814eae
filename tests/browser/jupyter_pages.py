"""A lesson as a student uses it in JupyterLab 4 or Notebook 7: open it, Run All, scroll
through it, shut its kernel down. The pages are driven through the app's own commands
(window.jupyterapp, exposed by the servers harness.jupyter() starts).

JupyterLab 4 renders only the cells near the viewport, so a lesson is checked the way a student
reads it: every output is scrolled into view and must then become healthy (harness.PAGE_STATE_JS)
within a deadline.
"""
from __future__ import annotations

import json
import time
import urllib.request

from tests.browser.harness import OUTPUT, PAGE_STATE_JS

OPEN_TIMEOUT_MS = 180_000
RUN_TIMEOUT_MS = 300_000
OUTPUT_TIMEOUT_S = 120   # for all the outputs of one lesson; a loaded 2-core machine needs it

# The notebook panel showing `path` (relative to the server's root), or null.
_PANEL_JS = """(path) => {
  const shell = window.jupyterapp && window.jupyterapp.shell;
  const w = shell && shell.currentWidget;
  return w && w.context && w.context.path === path && w.content && w.sessionContext ? w : null;
}"""


def panel_js(expression: str, wait: bool = False) -> str:
    """A page function of `path` that runs `expression` with `panel` bound (null when the page
    does not show that notebook yet). An async function for evaluate(); a plain one for
    wait_for_function (`wait`), which takes a promise for a true value."""
    return (f"{'' if wait else 'async '}(path) => {{ const panel = ({_PANEL_JS})(path); "
            f"{expression} }}")


def notebook_url(server_url: str, path: str, app: str = "lab") -> str:
    """The notebook's address; in JupyterLab with `?reset`, an empty workspace, as on a first
    visit (else JupyterLab reopens the tabs, and restarts the kernels, of the last lessons)."""
    return (f"{server_url}/lab/tree/{path}?reset" if app == "lab"
            else f"{server_url}/notebooks/{path}")


def open_notebook(page, server_url: str, path: str, app: str = "lab") -> None:
    """Open a notebook in JupyterLab (app 'lab') or Notebook 7 ('notebook'); wait for its kernel."""
    page.goto(notebook_url(server_url, path, app), wait_until="commit", timeout=OPEN_TIMEOUT_MS)
    wait_for_kernel(page, path)


def wait_for_kernel(page, path: str) -> None:
    page.wait_for_function(panel_js(
        "if (!panel || !panel.context.isReady || !panel.sessionContext.isReady) return false;"
        " const k = panel.sessionContext.session && panel.sessionContext.session.kernel;"
        " return !!k && k.connectionStatus === 'connected' && k.status === 'idle';", wait=True),
        arg=path, timeout=OPEN_TIMEOUT_MS, polling=250)


def run_all(page, path: str) -> dict:
    """Run All, as the Run menu does; returns once every cell has run and the kernel is idle:
    {'cells': code cells, 'unrun': indices of code cells that did not run (an earlier one
    failed), 'last_modified': the file's time on disk when it was opened}."""
    page.evaluate(panel_js(
        "await window.jupyterapp.commands.execute('notebook:run-all-cells');"), path)
    page.wait_for_function(panel_js(
        "const k = panel.sessionContext.session.kernel; return k.status === 'idle';", wait=True),
        arg=path, timeout=RUN_TIMEOUT_MS, polling=250)
    return page.evaluate(panel_js("""
        const cells = panel.content.widgets.filter((c) => c.model.type === 'code');
        return { cells: cells.length,
                 unrun: cells.map((c, i) => c.model.executionCount === null ? i : -1)
                             .filter((i) => i >= 0),
                 last_modified: panel.context.contentsModel.last_modified };"""), path)


def last_modified(page, path: str) -> str:
    """The file's modification time as the page knows it (it changes when the page saves)."""
    return page.evaluate(panel_js("return panel.context.contentsModel.last_modified;"), path)


def unhealthy_outputs(page, timeout_s: float = OUTPUT_TIMEOUT_S) -> list[str]:
    """Scroll every output into view, as a student scrolling down the lesson, and wait until it
    is healthy; returns a description of each output that is not (by the deadline)."""
    problems = []
    deadline = time.monotonic() + timeout_s
    outputs = page.locator(OUTPUT)
    for i in range(outputs.count()):
        output = outputs.nth(i)
        output.scroll_into_view_if_needed()
        state = output.evaluate(PAGE_STATE_JS)
        while not _healthy(state) and time.monotonic() < deadline:
            time.sleep(0.25)
            state = output.evaluate(PAGE_STATE_JS)
        if not _healthy(state):
            text = " ".join(output.inner_text().split())[:120]
            problems.append(f"output {i + 1} of {outputs.count()}: plots drawn {state['drawn']}/"
                            f"{state['plots']} (with data {state['traced']}), blank widget views "
                            f"{state['blank']}, 'Loading widget...' {state['loading']}, "
                            f"says: {text!r}")
    return problems


def _healthy(state: dict) -> bool:
    # an output is itself an OUTPUT element: PAGE_STATE_JS sees it as its own root's subtree
    return (state["blank"] == 0 and state["loading"] == 0 and state["drawn"] == state["plots"]
            and state["traced"] == state["plots"])


def shutdown_kernel(page, server_url: str, path: str, timeout_s: float = 30) -> None:
    """Shut the notebook's kernel down (Kernel > Shut Down Kernel) and wait until the server has
    no kernel left, so the next lesson starts with the memory free."""
    try:
        page.evaluate(panel_js("if (panel) await panel.sessionContext.shutdown();"), path)
    except Exception:
        pass  # the page is gone: fall through to the server's list
    deadline = time.monotonic() + timeout_s
    while kernels(server_url) and time.monotonic() < deadline:
        time.sleep(0.25)


def kernels(server_url: str) -> list[dict]:
    with urllib.request.urlopen(f"{server_url}/api/kernels", timeout=10) as response:
        return json.load(response)
