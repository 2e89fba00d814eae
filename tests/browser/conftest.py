"""Fixtures for browser tests: one Voila server for the session, headless Debian Chromium.

Voila serves notebooks/ on a free localhost port with the configuration of `./run present`
(the kcl page template students get), with tracebacks shown (so a test can see a
Python error; students never do: see voila.json). Every request that would leave localhost is
blocked and recorded, so the pages are tested as they behave offline in a closed classroom.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, NOTEBOOKS, REPO, is_local

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # the server answered (even a 404 means it is up)
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"Voila did not answer at {url} within {timeout_s} s")


@contextmanager
def server(cmd: list[str], log_path: Path, ready_path: str, env: dict | None = None):
    """Run a server command (its --port included) until the block ends; yields its address once
    `ready_path` answers."""
    port = next(a.split("=", 1)[1] for a in cmd if a.startswith("--port="))
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}{ready_path}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def voila(mode: str, root: Path, *extra: str, env: dict | None = None):
    """Voila on a free port with share/voila/<mode>/voila.py on top of voila.json, exactly the
    configuration of `./run <mode>` (present, projector or classroom); yields (url, log path)."""
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"voila-{mode}.log"
    cmd = [sys.executable, "-m", "voila", str(root), "--no-browser", f"--port={free_port()}",
           "--Voila.open_browser=False", f"--Voila.config_file_paths=share/voila/{mode}",
           "--Voila.config_file_paths=.", *extra]
    with server(cmd, log_path, "/voila/tree", env) as url:
        yield url, log_path


@pytest.fixture(scope="session")
def voila_url():
    """The pages as `./run present` serves them to students, with tracebacks on so that a test
    sees a Python error's cause."""
    with voila("present", NOTEBOOKS, "--VoilaConfiguration.show_tracebacks=True") as (url, _):
        yield url


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
    page.set_default_timeout(60_000)
    return page
