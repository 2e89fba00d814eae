"""The README's first command works on a fresh copy, as root too: `./run lab` from a clean
`git clone` starts JupyterLab, which answers and serves notebooks/00_start_here.ipynb (at the top
of its tree: given a file, JupyterLab serves the file's folder).

No browser (not marked `browser`): a git clone and one JupyterLab start, about 10-20 s on
2 cores. The clone uses the environment these tests run in (its `.venv` is a link to it) instead
of a fresh `pip install` of several minutes: that is honest only while the environment was
installed from the clone's own pyproject.toml, which `./run` records in a stamp file, so the test
checks the stamp first. The command line is the README's plus what a test needs: a free port,
no browser, 127.0.0.1. The login token is JupyterLab's own, read from its log like a user
copies it from the terminal.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

REPO = Path(__file__).resolve().parents[1]
VENV = Path(sys.prefix)
# `jupyter lab notebooks/00_start_here.ipynb` serves the file's folder: the lessons are at the top
START = "00_start_here.ipynb"
TIMEOUT_S = 180


def readme_first_command() -> str:
    """The first command in the README's first shell block."""
    text = (REPO / "README.md").read_text()
    block = re.search(r"```(?:bash|sh|console)?\n(.*?)```", text, re.S).group(1)
    commands = (line.split("#")[0].strip() for line in block.splitlines())
    return next(command for command in commands if command)


@pytest.fixture
def clone(tmp_path) -> Path:
    target = tmp_path / "knee-cramp-lab"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(target)], check=True, timeout=120)
    stamp = VENV / f".installed-{hashlib.sha1((target / 'pyproject.toml').read_bytes()).hexdigest()[:12]}"
    if not stamp.exists():
        pytest.fail(f"{VENV} was not installed from the committed pyproject.toml (no {stamp.name}): "
                    "a link to it would make ./run reinstall the package from the clone. "
                    "Run ./run test (it brings the environment up to date) or commit pyproject.toml.")
    (target / ".venv").symlink_to(VENV)
    return target


def test_readme_first_command_serves_the_start_notebook_from_a_clean_clone(clone, tmp_path):
    assert readme_first_command() == "./run lab"
    port = _free_port()
    log_path = tmp_path / "run-lab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            ["./run", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
             "--ServerApp.port_retries=0"],
            cwd=clone, stdout=log, stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JUPYTER_CONFIG_DIR")})
    try:
        token = _token_from_log(proc, log_path, port)
        base = f"http://127.0.0.1:{port}"
        model = _get_json(f"{base}/api/contents/{START}?content=1", token)
        assert model["type"] == "notebook" and model["path"] == START
        title = "".join(model["content"]["cells"][0]["source"])
        assert title.startswith("# "), title[:80]
        with urllib.request.urlopen(f"{base}/lab/tree/{START}?token={token}", timeout=30) as page:
            assert page.status == 200 and b"JupyterLab" in page.read()
        # the server serves the clone's lessons, not the repository the tests run from
        lessons = {f["name"] for f in _get_json(f"{base}/api/contents/", token)["content"]}
        assert {p.name for p in (clone / "notebooks").glob("*.ipynb")} <= lessons
        assert f"Serving notebooks from local directory: {clone / 'notebooks'}" in log_path.read_text()
    finally:
        _stop(proc)


def _free_port() -> int:
    from tests.browser.harness import free_port   # the one free-port helper (no browser needed)
    return free_port()


def _token_from_log(proc, log_path: Path, port: int) -> str:
    """Wait until JupyterLab prints its address with the login token, as a user sees it."""
    pattern = re.compile(rf"http://127\.0\.0\.1:{port}/\S*\?token=([0-9a-f]+)")
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")
        if match := pattern.search(text):
            return match.group(1)
        if proc.poll() is not None:
            pytest.fail(f"./run lab exited with {proc.returncode}:\n{text[-3000:]}")
        time.sleep(0.5)
    pytest.fail(f"./run lab did not print its address within {TIMEOUT_S} s:\n"
                f"{log_path.read_text(errors='replace')[-3000:]}")


def _get_json(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def _stop(proc) -> None:
    children = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
