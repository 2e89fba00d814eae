"""Fixtures for browser tests: one Voila and one JupyterLab server for the session, Chromium.

Voila serves notebooks/ on a free localhost port with the configuration of `./run present`
(the kcl page template students get), with tracebacks shown (so a test can see a
Python error; students never do: see voila.json). Every request that would leave localhost is
blocked and recorded, so the pages are tested as they behave offline in a closed classroom.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, NOTEBOOKS, is_local, jupyter, voila


@pytest.fixture(scope="session")
def voila_url():
    """The pages as `./run present` serves them to students, with tracebacks on so that a test
    sees a Python error's cause."""
    with voila("present", NOTEBOOKS, "--VoilaConfiguration.show_tracebacks=True") as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (./run test does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def offline_context(browser):
    """A fresh browser context (its own localStorage: another student) that blocks the internet."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.external_requests = []

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            context.external_requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context


@pytest.fixture
def new_context(browser):
    """Factory for extra contexts (e.g. a second student); all are closed after the test."""
    made = []

    def make():
        ctx = offline_context(browser)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    # Bytes the page receives over its kernel websockets (widget state, outputs, updates).
    page.websocket_bytes = [0]
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: _count(page, frame)))
    page.set_default_timeout(60_000)
    return page


@pytest.fixture(scope="session")
def lab_env(tmp_path_factory):
    """Environment for the Jupyter servers the tests start: the environment's own extensions and
    their configuration (etc/jupyter), as a student gets them, but JupyterLab's user settings and
    workspaces in a scratch folder: a fresh user, and autosave off, so running the lessons never
    writes outputs into notebooks/."""
    settings = tmp_path_factory.mktemp("lab-settings")
    docmanager = settings / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True)
    (docmanager / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    return {"JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path_factory.mktemp("lab-workspaces"))}


@pytest.fixture(scope="session")
def lab_server(lab_env):
    """One `jupyter lab` for the session, serving the repository as `./run lab` does."""
    with jupyter("lab", env=lab_env) as server:
        yield server


def _count(page, frame) -> None:
    payload = frame if isinstance(frame, (bytes, str)) else frame.get("payload", b"")
    page.websocket_bytes[0] += len(payload.encode() if isinstance(payload, str) else payload)
