"""Learner state in a real browser: ticks survive a reload, stay in one browser (another student
sees none), and round-trip through an exported file; an oversized file is refused in the browser."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import open_notebook, page_errors, wait_until_rendered

pytestmark = pytest.mark.browser

NOTEBOOK = "07_prevention_and_relief.ipynb"
STORAGE_KEY = "knee-cramp-lab/07_prevention_and_relief/prevention_routine"
FIRST = "Calf and hamstring stretches before bed"
SECOND = "Building training up gradually"
TIMEOUT_MS = 30_000


def prevention_checklist(page):
    return page.locator(".kcl-checklist").filter(has_text="Prevention routine")


def stored_ticks(page) -> list[str]:
    raw = page.evaluate(f"() => localStorage.getItem({json.dumps(STORAGE_KEY)})")
    return json.loads(raw)["ticked"] if raw else []


def wait_for_stored(page, ticked: list[str]) -> None:
    compact = json.dumps(ticked, separators=(",", ":"))   # as JSON.stringify writes it
    page.wait_for_function(
        f"""() => {{
            const raw = localStorage.getItem({json.dumps(STORAGE_KEY)});
            return raw !== null && JSON.stringify(JSON.parse(raw).ticked) === {json.dumps(compact)};
        }}""", timeout=TIMEOUT_MS)


def test_ticks_survive_a_reload_stay_private_and_round_trip_through_a_file(
        page, new_context, voila_url, tmp_path):
    open_notebook(page, voila_url, NOTEBOOK)
    checklist = prevention_checklist(page)
    checklist.get_by_label(FIRST).check()
    checklist.get_by_label(SECOND).check()
    wait_for_stored(page, ["stretch_before_bed", "pacing_and_training"])
    expect(checklist.get_by_text("2 of 8 done")).to_be_visible(timeout=TIMEOUT_MS)

    # Reload: a new kernel, the same browser. The ticks come back from localStorage.
    page.reload(wait_until="commit")
    wait_until_rendered(page)
    checklist = prevention_checklist(page)
    expect(checklist.get_by_label(FIRST)).to_be_checked(timeout=TIMEOUT_MS)
    expect(checklist.get_by_label(SECOND)).to_be_checked(timeout=TIMEOUT_MS)
    expect(checklist.get_by_text("2 of 8 done")).to_be_visible(timeout=TIMEOUT_MS)

    # Another student: a second browser context on the same server sees none of them.
    other = new_context().new_page()
    open_notebook(other, voila_url, NOTEBOOK)
    other_checklist = prevention_checklist(other)
    expect(other_checklist.get_by_text("0 of 8 done")).to_be_visible(timeout=TIMEOUT_MS)
    other.wait_for_timeout(2000)   # time for a restore, if one were (wrongly) coming
    assert other_checklist.locator("input[type=checkbox]:checked").count() == 0
    assert stored_ticks(other) == []

    # Export, clear, import: restored.
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        checklist.get_by_role("button", name="Export ticks (JSON file)").click()
    assert download.value.suggested_filename == "prevention_routine.json"
    saved = tmp_path / "prevention_routine.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text())["ticked"] == ["stretch_before_bed", "pacing_and_training"]

    checklist.get_by_role("button", name="Reset").click()
    expect(checklist.get_by_label(FIRST)).not_to_be_checked(timeout=TIMEOUT_MS)
    expect(checklist.get_by_text("0 of 8 done")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_stored(page, [])

    checklist.get_by_label("Import ticks (JSON file)").set_input_files(str(saved))
    expect(checklist.get_by_label(FIRST)).to_be_checked(timeout=TIMEOUT_MS)
    expect(checklist.get_by_label(SECOND)).to_be_checked(timeout=TIMEOUT_MS)
    expect(checklist.get_by_text("Imported 2 ticked item(s)")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_stored(page, ["stretch_before_bed", "pacing_and_training"])

    # A file over 1 MB is refused by the browser, with a message beside the control.
    checklist.get_by_label("Import ticks (JSON file)").set_input_files(
        files=[{"name": "huge.json", "mimeType": "application/json", "buffer": b" " * 1_100_000}])
    expect(checklist.get_by_text("the limit is 1.0 MB")).to_be_visible(timeout=TIMEOUT_MS)
    expect(checklist.get_by_label(FIRST)).to_be_checked()

    # A file that is not a checklist is refused by the kernel; the ticks stay.
    not_json = tmp_path / "notes.json"
    not_json.write_text("my ticks")
    checklist.get_by_label("Import ticks (JSON file)").set_input_files(str(not_json))
    expect(checklist.get_by_text("it is not valid JSON")).to_be_visible(timeout=TIMEOUT_MS)
    expect(checklist.get_by_label(SECOND)).to_be_checked()
    assert page_errors(page) == []


def test_forget_my_data_removes_every_saved_item_of_this_browser_and_starts_empty(page, voila_url):
    open_notebook(page, voila_url, NOTEBOOK)
    checklist = prevention_checklist(page)
    checklist.get_by_label(FIRST).check()
    wait_for_stored(page, ["stretch_before_bed"])
    page.evaluate("() => localStorage.setItem('unrelated-site-key', 'kept')")  # not ours: stays

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    forget = checklist.get_by_role("button", name="Forget my data on this computer")
    expect(forget).to_be_visible(timeout=TIMEOUT_MS)
    with page.expect_navigation(timeout=TIMEOUT_MS * 4, wait_until="commit"):
        forget.click()
    assert "ticks, quiz answers and the cramp diary" in questions[0]
    wait_until_rendered(page)
    checklist = prevention_checklist(page)
    expect(checklist.get_by_text("0 of 8 done")).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_timeout(2000)   # time for a restore, if one were (wrongly) coming
    assert checklist.locator("input[type=checkbox]:checked").count() == 0
    # the new page's stores may write their empty state again; nothing of before is left
    left = page.evaluate("""() => Object.keys(localStorage).filter(k => k.startsWith('knee-cramp-lab'))
        .map(k => JSON.parse(localStorage.getItem(k)))
        .filter(s => ['ticked', 'episodes', 'answers'].some(f => (s[f] || []).length))""")
    assert left == [] and stored_ticks(page) == []
    assert page.evaluate("() => localStorage.getItem('unrelated-site-key')") == "kept"
