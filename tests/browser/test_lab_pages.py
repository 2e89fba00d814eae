"""Every lesson as a student meets it first: opened in JupyterLab (a real `jupyter lab` server,
the environment's extensions), Run All, read from top to bottom. Every output is healthy when it
is scrolled into view (no error, no "Error displaying widget", no output stuck loading, every
plotly figure drawn with data), the first explorer's slider moves a plot, the page asks the
internet for nothing. Then: learner state survives a reload and a kernel restart in JupyterLab;
Notebook 7 draws and updates a lesson; a lesson works under a JupyterHub-style base URL.

Each lesson gets a fresh offline browser context and its kernel is shut down afterwards.
"""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser import jupyter_pages as jp
from tests.browser.harness import OUTPUT, PLOT, SLIDER, jupyter
from tests.browser.helpers import (
    notebook_names, page_errors, plot_signature, press_slider, screenshot, wait_for_change,
    wait_until_stable,
)

LAB_TIMEOUT_MS = 60_000


def open_and_run(page, server_url: str, name: str, app: str = "lab") -> str:
    """Open notebooks/NAME, Run All, check every code cell ran; returns its path."""
    path = f"notebooks/{name}"
    jp.open_notebook(page, server_url, path, app)
    run = jp.run_all(page, path)
    assert run["unrun"] == [], (f"{name}: code cells {run['unrun']} of {run['cells']} did not run"
                                f" (a cell before them failed): {page_errors(page, OUTPUT)}")
    page.last_modified = run["last_modified"]
    return path


def check_lesson(page, context, name: str, shot: str) -> None:
    """What a student sees after Run All: every output healthy, the first slider moves a plot,
    no error, nothing from the internet, and the notebook file untouched."""
    problems = jp.unhealthy_outputs(page)
    if page.locator(".kcl-explorer").count():
        page.locator(".kcl-explorer").first.scroll_into_view_if_needed()
    screenshot(page, shot)
    assert problems == [], f"{name}: outputs that never became healthy:\n" + "\n".join(problems)
    assert page.locator(PLOT).count() > 0 or name == "00_start_here.ipynb", f"{name}: no plot"
    assert page_errors(page, OUTPUT) == [], f"{name}: error on the page"
    assert context.external_requests == [], f"{name}: asked the internet for {context.external_requests}"
    assert jp.last_modified(page, f"notebooks/{name}") == page.last_modified, (
        f"{name}: the page saved the notebook (outputs would be committed)")
    check_first_slider_moves_a_plot(page, name)


def check_first_slider_moves_a_plot(page, name: str) -> None:
    explorer = page.locator(".kcl-explorer").filter(has=page.locator(SLIDER)).filter(
        has=page.locator(PLOT)).first
    if explorer.count() == 0:
        assert page.locator(SLIDER).count() == 0 or page.locator(PLOT).count() == 0, (
            f"{name}: the page has sliders and plots but no explorer holding both")
        return
    explorer.scroll_into_view_if_needed()
    handle = explorer.element_handle()
    before = wait_until_stable(lambda: plot_signature(handle))
    press_slider(page, handle.query_selector(SLIDER))
    after = wait_for_change(lambda: plot_signature(handle), before)
    assert after != before, f"{name}: moving the first slider with the keyboard did not change a plot"


@pytest.fixture
def lab_page(page, lab_server):
    """A page in a fresh offline context; afterwards, the lesson's kernel is shut down."""
    page.opened = None
    yield page
    if page.opened:
        jp.shutdown_kernel(page, lab_server.url, page.opened)


@pytest.mark.parametrize("name", notebook_names())
def test_lesson_in_jupyterlab_draws_every_plot_and_its_slider_moves_one(
        lab_page, context, lab_server, name):
    lab_page.opened = f"notebooks/{name}"
    open_and_run(lab_page, lab_server.url, name)
    check_lesson(lab_page, context, name, f"lab-{name.removesuffix('.ipynb')}")
    assert lab_page.js_errors == [], f"{name}: JavaScript errors {lab_page.js_errors}"


# --- learner state in JupyterLab ---------------------------------------------------------------

LEARNER_NOTEBOOK = "07_prevention_and_relief.ipynb"
STORAGE_KEY = "knee-cramp-lab/07_prevention_and_relief/prevention_routine"
TICK = "Calf and hamstring stretches before bed"


def prevention_checklist(page):
    return page.locator(".kcl-checklist").filter(has_text="Prevention routine")


def stored_ticks(page) -> list[str]:
    raw = page.evaluate(f"() => localStorage.getItem({json.dumps(STORAGE_KEY)})")
    return json.loads(raw)["ticked"] if raw else []


def rerun_and_expect_the_tick(page, path: str) -> None:
    jp.wait_for_kernel(page, path)
    jp.run_all(page, path)
    checklist = prevention_checklist(page)
    checklist.scroll_into_view_if_needed()
    expect(checklist.get_by_label(TICK)).to_be_checked(timeout=LAB_TIMEOUT_MS)
    expect(checklist.get_by_text("1 of 8 done")).to_be_visible(timeout=LAB_TIMEOUT_MS)


def test_a_tick_in_jupyterlab_survives_a_reload_and_a_kernel_restart(lab_page, lab_server):
    path = lab_page.opened = f"notebooks/{LEARNER_NOTEBOOK}"
    open_and_run(lab_page, lab_server.url, LEARNER_NOTEBOOK)
    checklist = prevention_checklist(lab_page)
    checklist.scroll_into_view_if_needed()
    checklist.get_by_label(TICK).check()
    expect(checklist.get_by_text("1 of 8 done")).to_be_visible(timeout=LAB_TIMEOUT_MS)
    lab_page.wait_for_function(f"() => (localStorage.getItem({json.dumps(STORAGE_KEY)}) || '')"
                               ".includes('stretch_before_bed')", timeout=LAB_TIMEOUT_MS)

    # Reload the page (the notebook has unsaved outputs: leave without saving), run it again.
    lab_page.on("dialog", lambda dialog: dialog.accept())
    lab_page.reload(wait_until="commit")
    rerun_and_expect_the_tick(lab_page, path)

    # Restart the kernel (a new Python process knows nothing), run it again.
    lab_page.evaluate(jp.panel_js("await panel.sessionContext.session.kernel.restart();"), path)
    rerun_and_expect_the_tick(lab_page, path)
    assert stored_ticks(lab_page) == ["stretch_before_bed"]
    assert page_errors(lab_page, OUTPUT) == []


# --- Notebook 7 and a base URL ------------------------------------------------------------------

@pytest.fixture(scope="module")
def notebook7_server(lab_env):
    with jupyter("notebook", env=lab_env) as server:
        yield server


@pytest.fixture(scope="module")
def hub_server(lab_env):
    """A single-user server as JupyterHub runs it, under /user/alice/."""
    with jupyter("lab", base_url="/user/alice/", env=lab_env, log_name="jupyter-lab-alice.log") as server:
        yield server


SMOKE_NOTEBOOK = "02_calcium_handling.ipynb"


def test_a_lesson_in_notebook_7_draws_its_plots_and_its_slider_moves_one(
        page, context, notebook7_server):
    path = open_and_run(page, notebook7_server.url, SMOKE_NOTEBOOK, app="notebook")
    try:
        check_lesson(page, context, SMOKE_NOTEBOOK, "notebook7-02_calcium_handling")
    finally:
        jp.shutdown_kernel(page, notebook7_server.url, path)


def test_a_lesson_under_a_jupyterhub_base_url_draws_its_plots(page, context, hub_server):
    assert hub_server.url.endswith("/user/alice")
    path = open_and_run(page, hub_server.url, SMOKE_NOTEBOOK)
    try:
        assert page.url.startswith(f"{hub_server.url}/lab/")
        check_lesson(page, context, SMOKE_NOTEBOOK, "lab-base-url-02_calcium_handling")
    finally:
        jp.shutdown_kernel(page, hub_server.url, path)
