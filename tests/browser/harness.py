"""The one browser harness of the tests (tests/browser/) and the benchmarks (benchmarks/):

- CHROMIUM and CHROMIUM_ARGS: the one way Debian's Chromium is started, headless and offline
  (name resolution switched off for everything but this computer);
- PAGE_STATE_JS and ERROR_TEXT: the one definition of a healthy page, in Voila, JupyterLab and
  Notebook 7 alike: every output holds something and none still says "Loading widget...", every
  plotly figure is drawn (.main-svg) with at least one trace, no Python or widget error shows;
- free_port(), Server, voila() and jupyter(): the one free-port helper and the one launcher for
  Voila and for Jupyter servers (`jupyter lab`, `jupyter notebook`, a bare `jupyter server`).

Nothing here imports pytest or Playwright, so the sync tests and the async benchmarks share it.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import psutil

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

# --- the browser ------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # offline, as in a classroom without internet: only this computer resolves
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]


def is_local(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return url.startswith(("data:", "blob:", "about:")) or host in {"127.0.0.1", "localhost", "::1"}


# --- a healthy page ---------------------------------------------------------------------------

OUTPUT = ".jp-OutputArea-output"
PLOT = ".js-plotly-plot"
SLIDER = ".kcl-slider input[type=range]"
LOADING = "Loading widget..."
# What a drawn plot with data has inside it (a FigureWidget shown with no trace has none).
TRACE = (".trace, .scatterlayer path, .barlayer path, .sankey, .pielayer path, "
         ".heatmaplayer image, .shapelayer path")

# What a learner would see as an error: a Python error (tracebacks on or off), a widget that
# failed to render, anywidget's or the widget manager's own messages.
ERROR_TEXT = re.compile(
    r"Traceback \(most recent call last\)|There was an error when executing cell|"
    r"Error displaying widget|Click to show javascript error|Could not create a view|"
    r"Failed to initialize model|\b[A-Z][a-zA-Z]+Error: ")
# Console messages that mean a widget did not come up.
CONSOLE_ERROR_TEXT = re.compile(r"Failed to initialize model|Could not create a view|"
                                r"Failed to create view|Error: ")

# The state of a page (or of one element's subtree): evaluate(PAGE_STATE_JS, root_or_null).
# `complete` is the healthy page's rule above (and no widget view is blank: a figure whose front
# end never started leaves an empty view and no .js-plotly-plot at all); the counts say where a
# page that is not complete got to.
PAGE_STATE_JS = """(root) => {
  root = root || document;
  const own = root.matches && root.matches(%(output)s) ? [root] : [];  // one output's state
  const outputs = [...own, ...root.querySelectorAll(%(output)s)];
  const loading = outputs.filter((o) => o.textContent.includes(%(loading)s)).length;
  const filled = outputs.filter((o) => (o.firstElementChild || o.textContent.trim())
                                       && !o.textContent.includes(%(loading)s)).length;
  const plots = [...root.querySelectorAll(%(plot)s)];
  const drawn = plots.filter((p) => p.querySelector(".main-svg")).length;
  const traced = plots.filter((p) => p.querySelector(".main-svg") && p.querySelector(%(trace)s)).length;
  const sliders = root.querySelectorAll(%(slider)s).length;
  // a shown widget view with nothing in it (a figure whose front end never started)
  const blank = new Set(outputs.flatMap((o) => [...o.querySelectorAll(".lm-Widget")])
    .filter((w) => !w.firstElementChild && !w.textContent.trim() && w.checkVisibility())).size;
  return { outputs: outputs.length, filled, loading, plots: plots.length, drawn, traced, sliders,
           blank, complete: outputs.length > 0 && filled === outputs.length
                            && drawn === plots.length && blank === 0 };
}""" % {k: repr(v) for k, v in {"output": OUTPUT, "loading": LOADING, "plot": PLOT,
                                 "trace": TRACE, "slider": SLIDER}.items()}


def errors_in_text(text: str, before: int = 200, after: int = 300) -> list[str]:
    """Every error a learner would see in this text, with some text around it."""
    return [text[max(0, m.start() - before):m.end() + after] for m in ERROR_TEXT.finditer(text)]


# --- servers ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process on 127.0.0.1 and a free port (its --port is added here), its output in
    `log_path`. `url` is its address with the base URL and no trailing slash; wait_until_up()
    waits until `url + ready_path` answers; stop() ends it and every process it started."""

    def __init__(self, command: list[str], log_path: Path, ready_path: str,
                 env: dict | None = None, base_url: str = "/", port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}{base_url.rstrip('/')}"
        self.ready_path = ready_path
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log_path, "w")
        self.process = subprocess.Popen(
            command + [f"--port={self.port}"], cwd=REPO, stdout=self._log,
            stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})
        self._psutil = psutil.Process(self.process.pid)

    def wait_until_up(self, timeout_s: float = 300) -> "Server":
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited early; see {self.log_path}:\n"
                                   + self.log_text()[-2000:])
            try:
                with urllib.request.urlopen(f"{self.url}{self.ready_path}", timeout=5):
                    return self
            except urllib.error.HTTPError:
                return self  # it answered (even a 404 means it is up)
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"no answer at {self.url}{self.ready_path} within {timeout_s} s; "
                           f"see {self.log_path}")

    def processes(self) -> list[psutil.Process]:
        """The server and everything it started (its kernels)."""
        try:
            return [self._psutil, *self._psutil.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        children = self.processes()[1:]
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        for proc in children:  # kernels the server did not stop on its way out
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        self._log.close()


def voila_command(root: Path | str, mode: str | None = "present", *extra: str,
                  config_first: tuple[Path | str, ...] = ()) -> list[str]:
    """Voila serving `root` with share/voila/<mode>/voila.py on top of voila.json: exactly the
    configuration of `./run <mode>` (present, projector, classroom); mode None: voila.json only.
    Folders in `config_first` go before those (their settings win: a benchmark's kernel pool)."""
    config = [f"--Voila.config_file_paths={c}" for c in config_first] + (
        [f"--Voila.config_file_paths=share/voila/{mode}"] if mode else []) + [
        "--Voila.config_file_paths=."]
    return [sys.executable, "-m", "voila", str(root), "--no-browser", "--Voila.open_browser=False",
            "--Voila.ip=127.0.0.1", *config, *extra]


JUPYTER_APPS = {"lab": "jupyterlab", "notebook": "notebook", "server": "jupyter_server"}


def jupyter_command(app: str = "lab", *extra: str, base_url: str = "/",
                    root_dir: Path = REPO) -> list[str]:
    """`jupyter lab` / `jupyter notebook` / `jupyter server` as a student's machine runs it (the
    environment's extensions and their configuration, nothing disabled), with no token or
    password, as root too, on 127.0.0.1. JupyterLab and Notebook 7 expose their app as
    window.jupyterapp, so a test can run its commands."""
    command = [sys.executable, "-m", JUPYTER_APPS[app], "--no-browser", "--allow-root",
               "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
               "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root_dir}",
               f"--ServerApp.base_url={base_url}"]
    if app in ("lab", "notebook"):
        command.append("--expose-app-in-browser")
    return command + list(extra)


@contextmanager
def voila(mode: str | None, root: Path | str, *extra: str, env: dict | None = None,
          log_name: str | None = None):
    """A Voila server (voila_command) until the block ends; yields the Server once it answers."""
    log_path = ARTIFACTS / (log_name or f"voila-{mode or 'plain'}.log")
    server = Server(voila_command(root, mode, *extra), log_path, "/voila/tree", env)
    try:
        yield server.wait_until_up()
    finally:
        server.stop()


@contextmanager
def jupyter(app: str = "lab", *extra: str, base_url: str = "/", env: dict | None = None,
            log_name: str | None = None):
    """A Jupyter server (jupyter_command) until the block ends; yields the Server once its REST
    API answers."""
    log_path = ARTIFACTS / (log_name or f"jupyter-{app}.log")
    server = Server(jupyter_command(app, *extra, base_url=base_url), log_path, "/api", env,
                    base_url=base_url)
    try:
        yield server.wait_until_up()
    finally:
        server.stop()
