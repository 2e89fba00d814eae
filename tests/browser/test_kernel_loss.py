"""A lost kernel loses nothing: the page says so plainly, switches its controls off, and a reload
brings back every tick, quiz answer and diary entry saved before.

The kernel is killed as a crash or the operating system would (SIGKILL); the server then starts
a new kernel that knows none of the page's widgets (share/jupyter/voila/templates/kcl/static/
connection-lost.js watches for that, and for the websocket closing for good).
"""
from __future__ import annotations

import json
import signal

import pytest
from playwright.sync_api import expect

from tests.browser.test_diary_page import fill_episode
from tests.browser.harness import NOTEBOOKS, voila
from tests.browser.helpers import open_notebook, wait_until_rendered

pytestmark = pytest.mark.browser

WAIT_MS = 60_000
CHECKLIST_KEY = "knee-cramp-lab/07_prevention_and_relief/prevention_routine"
QUIZ_KEY = "knee-cramp-lab/08_cramp_diary/quiz"
DIARY_KEY = "knee-cramp-lab/08_cramp_diary/diary"
TICK = "Calf and hamstring stretches before bed"
OTHER_TICK = "Building training up gradually"
ANSWER = "The counts are about the same; a difference of one is well within chance"
BANNER = "#kcl-connection-lost"


@pytest.fixture(scope="module")
def server():
    """Our own Voila (./run present's settings) so the test can find and kill a page's kernel."""
    with voila("present", NOTEBOOKS, "--VoilaConfiguration.show_tracebacks=True",
               log_name="voila-kernel-loss.log") as srv:
        yield srv


@pytest.fixture
def page(browser):
    """A plain context (Chromium's own resolver rules keep it offline): on a busy 2-core machine
    the harness's per-request routing made the first page miss its 3 min."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def kill_kernel(server, page) -> None:
    kernel_id = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    kernels = [p for p in server.processes()[1:] if any(kernel_id in a for a in p.cmdline())]
    assert len(kernels) == 1, f"no kernel process for {kernel_id}"
    kernels[0].send_signal(signal.SIGKILL)


def stored(page, key: str):
    raw = page.evaluate(f"() => localStorage.getItem({json.dumps(key)})")
    return json.loads(raw) if raw else {}


def wait_for_stored(page, key: str, test_js: str) -> None:
    try:
        page.wait_for_function(
            f"() => {{ const raw = localStorage.getItem({json.dumps(key)}); "
            f"if (!raw) return false; const s = JSON.parse(raw); return {test_js}; }}", timeout=WAIT_MS)
    except Exception:
        saved = page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")
        pytest.fail(f"{key} never held what was expected ({test_js}); the browser has {saved}")


def expect_connection_lost(page) -> None:
    banner = page.locator(BANNER)
    expect(banner).to_be_visible(timeout=WAIT_MS)
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_contain_text("Connection lost")
    expect(banner).to_contain_text("Reload the page")
    expect(banner).to_contain_text("saved so far are kept in this browser")
    expect(banner.get_by_role("button", name="Reload the page")).to_be_enabled()


def test_a_lost_kernel_is_said_plainly_and_a_reload_keeps_ticks_answers_and_diary(server, page):
    # --- a checklist (notebook 07) ---
    open_notebook(page, server.url, "07_prevention_and_relief.ipynb")
    checklist = page.locator(".kcl-checklist").filter(has_text="Prevention routine")
    checklist.get_by_label(TICK).check()
    wait_for_stored(page, CHECKLIST_KEY, "s.ticked && s.ticked.includes('stretch_before_bed')")
    assert page.locator(BANNER).count() == 0          # nothing said while the kernel is alive

    kill_kernel(server, page)
    expect_connection_lost(page)
    # the controls are off: a change can no longer be made and then silently dropped
    expect(checklist.get_by_label(OTHER_TICK)).to_be_disabled()
    expect(checklist.get_by_role("button", name="Reset")).to_be_disabled()
    assert stored(page, CHECKLIST_KEY)["ticked"] == ["stretch_before_bed"]

    page.reload(wait_until="commit")
    wait_until_rendered(page)
    checklist = page.locator(".kcl-checklist").filter(has_text="Prevention routine")
    expect(checklist.get_by_label(TICK)).to_be_checked(timeout=WAIT_MS)
    expect(checklist.get_by_label(OTHER_TICK)).to_be_enabled()
    assert page.locator(BANNER).count() == 0

    # --- a quiz answer and a diary entry (notebook 08) ---
    open_notebook(page, server.url, "08_cramp_diary.ipynb")
    question = page.locator(".kcl-question").filter(has_text="5 cramps in its last 4 weeks")
    question.get_by_label(ANSWER).check()
    question.get_by_role("button", name="Check").click()
    expect(question.get_by_text("Right.")).to_be_visible(timeout=WAIT_MS)
    wait_for_stored(page, QUIZ_KEY, "JSON.stringify(s).includes('small_counts')")

    diary = page.locator(".kcl-diary")
    diary.locator(".kcl-upload-button").wait_for(state="visible", timeout=WAIT_MS)
    fill_episode(page, "2024-04-20", "03:10", "2")   # the diary test's own steps
    wait_for_stored(page, DIARY_KEY, "(s.episodes || []).length === 1")

    kill_kernel(server, page)
    expect_connection_lost(page)
    expect(diary.get_by_role("button", name="Add episode")).to_be_disabled()
    expect(diary.get_by_label("Date", exact=True)).to_be_disabled()
    expect(question.get_by_label(ANSWER)).to_be_disabled()

    page.reload(wait_until="commit")
    wait_until_rendered(page)
    diary = page.locator(".kcl-diary")
    expect(diary.locator(".kcl-table-wrap tbody tr")).to_have_count(1, timeout=WAIT_MS)
    question = page.locator(".kcl-question").filter(has_text="5 cramps in its last 4 weeks")
    expect(question.get_by_label(ANSWER)).to_be_checked(timeout=WAIT_MS)
    assert len(stored(page, DIARY_KEY)["episodes"]) == 1
