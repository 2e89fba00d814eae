"""Knee Cramp Lab on a real JupyterHub: two students, their own servers, and a shared computer.

JupyterHub (PyPI) with configurable-http-proxy (npm, installed by ./run test into
.venv/hub/), configured by share/jupyterhub/jupyterhub_config.py, the file docs/educators.md
gives for The Littlest JupyterHub and Zero to JupyterHub. The test adds only what a test needs:
a password login for two users (JupyterHub's DummyAuthenticator with a shared password: never
for a real class), servers as local processes of this user (SimpleLocalProcessSpawner; root
here, so --allow-root), free ports on 127.0.0.1, files in a scratch folder.
"""
from __future__ import annotations

import json
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.test_diary_page import fill_episode
from tests.browser.harness import PAGE_STATE_JS, REPO, Server, free_port
from tests.browser.helpers import (
    PLOT_SELECTOR, SLIDER_SELECTOR, plot_signature, press_slider, wait_for_change,
)

pytestmark = pytest.mark.browser

HUB_CONFIG = REPO / "share" / "jupyterhub" / "jupyterhub_config.py"
PROXY = REPO / ".venv" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "kcl-test-password"
WAIT_MS = 180_000
RENDER_MS = 420_000   # two explorer pages at once on a busy 2-core machine (about 15 s when idle)
CHECKLIST = "notebooks/07_prevention_and_relief.ipynb"
EXPLORER = "notebooks/02_calcium_handling.ipynb"
DIARY = "notebooks/08_cramp_diary.ipynb"
FIRST = "Calf and hamstring stretches before bed"
SECOND = "Building training up gradually"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    if not PROXY.exists():
        pytest.fail(f"{PROXY} is missing: ./run test installs configurable-http-proxy (npm)")
    tmp = tmp_path_factory.mktemp("hub")
    config = tmp / "jupyterhub_config.py"
    config.write_text(f"""
c = get_config()
load_subconfig({str(HUB_CONFIG)!r})          # the file the educators' guide gives
# --- test only ---
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allowed_users = {{"ann", "bob"}}
c.JupyterHub.spawner_class = "simple"
c.Spawner.cmd = [{sys.executable!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--allow-root"]
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.SimpleLocalProcessSpawner.home_dir_template = {str(tmp / "home" / "{username}")!r}
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {free_port()}
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.pid_file = {str(tmp / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{tmp / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(tmp / "cookie_secret")!r}
c.JupyterHub.cleanup_servers = True
""")
    server = Server([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                    REPO / "test-artifacts" / "jupyterhub.log", "/hub/health")
    try:
        yield server.wait_until_up(timeout_s=120)
    finally:
        server.stop()


def test_the_educators_guide_gives_this_very_file_for_tljh_and_zero_to_jupyterhub():
    guide = (REPO / "docs" / "educators.md").read_text()
    relative = HUB_CONFIG.relative_to(REPO).as_posix()
    assert f'load_subconfig("/srv/knee-cramp-lab/{relative}")' in guide            # TLJH
    assert f"--set-file hub.extraConfig.knee-cramp-lab={relative}" in guide         # Z2JH
    # and the file sets the lesson settings, not a login (the hub's own configuration does)
    settings = HUB_CONFIG.read_text()
    assert 'c.Spawner.default_url = "/voila/tree/notebooks"' in settings
    assert "authenticator" not in settings.lower()


def log_in(page, hub, user: str) -> None:
    """The hub's login form; the user's server starts and opens the Voila landing page."""
    page.goto(f"{hub.url}/hub/login", timeout=WAIT_MS)
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/voila/tree/notebooks**", timeout=WAIT_MS)
    expect(page.get_by_role("link", name="Calcium", exact=False).first).to_be_visible(timeout=WAIT_MS)


def log_out(page, hub) -> None:
    page.goto(f"{hub.url}/hub/logout", timeout=WAIT_MS)
    page.wait_for_url("**/hub/login**", timeout=WAIT_MS)


def start_lesson(page, hub, user: str, notebook: str) -> None:
    page.goto(f"{hub.url}/user/{user}/voila/render/{notebook}", wait_until="commit", timeout=WAIT_MS)


def checklist(page):
    return page.locator(".kcl-checklist").filter(has_text="Prevention routine")


def wait_until_rendered(page) -> None:
    """Every output filled and every plot drawn (the harness's healthy page), with more time."""
    page.wait_for_function(
        f"""() => {{ const spinner = document.querySelector('#loading');   // gone once cells ran
                   return (!spinner || getComputedStyle(spinner).display === 'none')
                          && ({PAGE_STATE_JS})(null).complete; }}""", timeout=RENDER_MS)


def stored_keys(page) -> list[str]:
    return page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('knee-cramp-lab'))")


def move_slider_and_see_the_plot(page) -> None:
    explorer = page.locator(".kcl-explorer").filter(has=page.locator(SLIDER_SELECTOR)).first
    explorer.locator(PLOT_SELECTOR).first.wait_for(timeout=WAIT_MS)
    before = plot_signature(page, explorer.element_handle())
    press_slider(page, explorer.locator(SLIDER_SELECTOR).first)
    assert wait_for_change(lambda: plot_signature(page, explorer.element_handle()), before) != before


def test_two_students_each_have_their_own_server_and_a_shared_computer_keeps_them_apart(
        hub, new_context):
    ann, bob = new_context().new_page(), new_context().new_page()
    for page in (ann, bob):
        page.set_default_timeout(WAIT_MS)
    log_in(ann, hub, "ann")
    log_in(bob, hub, "bob")

    # Each opens a lesson with an explorer and moves its slider (both pages load at once).
    start_lesson(ann, hub, "ann", EXPLORER)
    start_lesson(bob, hub, "bob", EXPLORER)
    for page in (ann, bob):
        wait_until_rendered(page)
        move_slider_and_see_the_plot(page)

    # Each ticks a different item; neither sees the other's.
    start_lesson(ann, hub, "ann", CHECKLIST)
    start_lesson(bob, hub, "bob", CHECKLIST)
    for page, mine in ((ann, FIRST), (bob, SECOND)):
        wait_until_rendered(page)
        expect(checklist(page).get_by_text("0 of 8 done")).to_be_visible(timeout=WAIT_MS)
        checklist(page).get_by_label(mine).check()
        expect(checklist(page).get_by_text("1 of 8 done")).to_be_visible(timeout=WAIT_MS)
    expect(checklist(ann).get_by_label(SECOND)).not_to_be_checked()
    expect(checklist(bob).get_by_label(FIRST)).not_to_be_checked()
    ann.wait_for_function("() => Object.keys(localStorage).some(k => k.startsWith("
                          "'knee-cramp-lab[/user/ann/]/07_prevention_and_relief/'))", timeout=WAIT_MS)
    assert all(k.startswith("knee-cramp-lab[/user/ann/]/") for k in stored_keys(ann))

    # A shared computer: Ann also writes in her diary, logs out; Bob logs in in the same browser.
    start_lesson(ann, hub, "ann", DIARY)
    wait_until_rendered(ann)
    diary = ann.locator(".kcl-diary")
    fill_episode(ann, "2024-04-20", "03:10", "2")   # the diary test's own steps
    expect(diary.locator(".kcl-table-wrap tbody tr")).to_have_count(1, timeout=WAIT_MS)
    ann.wait_for_function("() => (JSON.parse(localStorage.getItem("
                          "'knee-cramp-lab[/user/ann/]/08_cramp_diary/diary') || '{}').episodes || [])"
                          ".length === 1", timeout=WAIT_MS)
    shared = ann
    log_out(shared, hub)

    log_in(shared, hub, "bob")
    start_lesson(shared, hub, "bob", DIARY)
    wait_until_rendered(shared)
    shared.locator(".kcl-diary .kcl-upload-button").wait_for(timeout=WAIT_MS)
    shared.wait_for_timeout(2000)          # time for a restore, were one (wrongly) coming
    expect(shared.locator(".kcl-diary .kcl-table-wrap tbody tr")).to_have_count(0)
    start_lesson(shared, hub, "bob", CHECKLIST)
    wait_until_rendered(shared)
    expect(checklist(shared).get_by_text("0 of 8 done")).to_be_visible(timeout=WAIT_MS)
    shared.wait_for_timeout(2000)
    assert checklist(shared).locator("input[type=checkbox]:checked").count() == 0
    log_out(shared, hub)

    # Ann again, same browser: all of hers is back.
    log_in(shared, hub, "ann")
    start_lesson(shared, hub, "ann", CHECKLIST)
    wait_until_rendered(shared)
    expect(checklist(shared).get_by_label(FIRST)).to_be_checked(timeout=WAIT_MS)
    expect(checklist(shared).get_by_label(SECOND)).not_to_be_checked()
    start_lesson(shared, hub, "ann", DIARY)
    wait_until_rendered(shared)
    expect(shared.locator(".kcl-diary .kcl-table-wrap tbody tr")).to_have_count(1, timeout=WAIT_MS)
    stored = json.loads(shared.evaluate(
        "() => localStorage.getItem('knee-cramp-lab[/user/ann/]/08_cramp_diary/diary')"))
    assert len(stored["episodes"]) == 1
