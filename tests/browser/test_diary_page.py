"""The cramp diary in Voila: entries are kept in this browser only, and the patterns follow them.

Add two episodes, reload (a new page is a new kernel: the entries come back from the browser's
own storage), and open the page in a second browser context (another student): it sees none.
"""
from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.browser.helpers import (
    PAGE_TIMEOUT_MS, open_notebook, page_errors, plot_signature, wait_for_change, wait_until_rendered,
)

NOTEBOOK = "08_cramp_diary.ipynb"
STORAGE_KEY = "knee-cramp-lab/08_cramp_diary/diary"
WAIT_MS = 60_000


def entry_rows(page):
    return page.locator(".kcl-diary .kcl-table-wrap tbody tr")


def stored_episodes(page) -> list:
    raw = page.evaluate(f"() => localStorage.getItem({json.dumps(STORAGE_KEY)})")
    return json.loads(raw).get("episodes", []) if raw else []


def wait_for_store(page) -> None:
    """The browser store's front end has rendered (and so has sent the stored diary)."""
    page.locator(".kcl-diary .kcl-upload-button").wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)


def fill_episode(page, date: str, time: str, duration: str) -> None:
    diary = page.locator(".kcl-diary")
    diary.get_by_label("Date", exact=True).fill(date)
    diary.get_by_label("Time (HH:MM, 24 h)", exact=True).fill(time)
    diary.get_by_label("Muscle group", exact=True).select_option(label="Calf (back of the lower leg)")
    diary.get_by_label("Side", exact=True).select_option(label="Left")
    diary.get_by_label("Duration (min)", exact=True).fill(duration)
    diary.get_by_label("Intensity (0-10)", exact=True).fill("6")
    diary.get_by_label("When", exact=True).select_option(label="At night, in bed")
    diary.get_by_role("button", name="Add episode").click()


def test_entries_survive_a_reload_stay_in_this_browser_and_move_the_plot(page, new_context,
                                                                          voila_url):
    open_notebook(page, voila_url, NOTEBOOK)
    wait_for_store(page)
    diary = page.query_selector(".kcl-diary")

    # bad input: a message beside the field, nothing saved, no traceback
    fill_episode(page, "2024-04-20", "03:10", "-3")
    expect(page.locator(".kcl-diary .kcl-message", has_text="more than 0 min")).to_be_visible(
        timeout=WAIT_MS)
    assert entry_rows(page).count() == 0

    before = plot_signature(diary)
    fill_episode(page, "2024-04-20", "03:10", "2")
    expect(entry_rows(page)).to_have_count(1, timeout=WAIT_MS)
    after = wait_for_change(lambda: plot_signature(diary), before)
    assert after != before, "adding an episode did not change the pattern plot"
    expect(page.locator(".kcl-pattern-lines")).to_contain_text("1 episode over 1 week",
                                                               timeout=WAIT_MS)

    fill_episode(page, "2024-04-22", "23:40", "4")
    expect(entry_rows(page)).to_have_count(2, timeout=WAIT_MS)
    wait_for_change(lambda: len(stored_episodes(page)), 1)
    assert [e["date"] for e in stored_episodes(page)] == ["2024-04-20", "2024-04-22"]

    page.reload(wait_until="commit")                    # a new page, a new kernel
    wait_until_rendered(page)
    expect(entry_rows(page)).to_have_count(2, timeout=WAIT_MS)
    table = page.locator(".kcl-diary .kcl-table-wrap").inner_text()
    assert "2024-04-20" in table and "2024-04-22" in table
    assert page_errors(page) == []

    other = new_context().new_page()                    # another student's browser
    open_notebook(other, voila_url, NOTEBOOK)
    wait_for_store(other)
    other.wait_for_timeout(3000)                       # time for a (wrong) restore to arrive
    assert entry_rows(other).count() == 0
    expect(other.locator(".kcl-diary")).to_contain_text("No entries yet")
    assert stored_episodes(other) == []
    assert page_errors(other) == []
