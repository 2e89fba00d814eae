"""Voila servers for the benchmark, and the processes (kernels) behind them.

Every server listens on 127.0.0.1 on a free port. A benchmark server serves a scratch folder
holding copies of the lessons and the baseline notebooks, so the baseline is served by the same
server, in the same run, as the lessons it is compared with.
"""
from __future__ import annotations

import json
import re
import shutil
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the browser harness: tests/browser

from tests.browser.harness import REPO, Server, voila_command  # noqa: E402

BENCH = REPO / "benchmarks"
BASELINES = ("bare.ipynb", "bare_kcl.ipynb")
MB = 1024 * 1024


def lesson_names() -> list[str]:
    return sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))


def make_site(folder: Path) -> Path:
    """A folder with the lessons and the two baseline notebooks side by side."""
    site = folder / "site"
    site.mkdir(parents=True, exist_ok=True)
    for notebook in [REPO / "notebooks" / n for n in lesson_names()] + [BENCH / n for n in BASELINES]:
        shutil.copy2(notebook, site / notebook.name)
    return site


def preheat_config(folder: Path, notebooks: list[str], pool_size: int = 1) -> Path:
    """A config folder that keeps `pool_size` preheated kernels for each notebook."""
    config = folder / "preheat"
    config.mkdir(parents=True, exist_ok=True)
    pools = {"default": {"pool_size": 0}, **{n: {"pool_size": pool_size} for n in notebooks}}
    (config / "voila.json").write_text(json.dumps({
        "VoilaConfiguration": {"preheat_kernel": True},
        "VoilaKernelManager": {"kernel_pools_config": pools},
    }, indent=1))
    return config


class VoilaServer(Server):
    """A Voila server started by the benchmark (the harness's launcher, shared with the browser
    tests); stop() ends it and every kernel it started."""

    def __init__(self, command: list[str], log_path: Path, env: dict | None = None,
                 port: int | None = None):
        super().__init__(command, log_path, "/voila/tree", env, port=port)

    @classmethod
    def serving(cls, folder: Path, log_path: Path, *config_first: Path) -> "VoilaServer":
        """`voila folder` with the settings `./run present` uses (voila.json plus
        share/voila/present), under the config folders given (the first one wins)."""
        return cls(voila_command(folder, "present", config_first=config_first), log_path)

    # --- processes and memory ---------------------------------------------------------------

    def kernel_process(self, kernel_id: str) -> psutil.Process | None:
        for proc in self.processes()[1:]:
            try:
                if any(kernel_id in part for part in proc.cmdline()):
                    return proc
            except psutil.NoSuchProcess:
                continue
        return None

    def kernel_count(self) -> int:
        return sum(1 for p in self.processes()[1:] if _is_kernel(p))

    def total_rss_mb(self) -> float:
        return sum(_rss(p) for p in self.processes()) / MB

    def server_rss_mb(self) -> float:
        return _rss(self._psutil) / MB

    def cpu_seconds(self) -> float:
        total = 0.0
        for proc in self.processes():
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def wait_until_quiet(self, timeout_s: float = 600, busy_below: float = 0.15,
                         quiet_samples: int = 3) -> float:
        """Wait until the server and its kernels use under `busy_below` CPU-seconds per second
        for `quiet_samples` seconds in a row (kernels still starting or running notebooks).
        Returns the seconds waited."""
        start = time.monotonic()
        quiet, before = 0, self.cpu_seconds()
        while time.monotonic() - start < timeout_s and quiet < quiet_samples:
            time.sleep(1.0)
            now = self.cpu_seconds()
            quiet = quiet + 1 if now - before < busy_below else 0
            before = now
        return time.monotonic() - start

    def used_pool_kernel(self, kernel_id: str) -> bool:
        """Did Voila hand this page a preheated kernel (its log says so)?"""
        return re.search(rf"Using pre-heated kernel: {re.escape(kernel_id)}", self.log_text()) is not None

    def wait_for_kernel_exit(self, kernel_id: str, timeout_s: float = 30) -> None:
        proc = self.kernel_process(kernel_id)
        if proc is None:
            return
        try:
            proc.wait(timeout=timeout_s)
        except psutil.TimeoutExpired:
            proc.kill()  # a kernel this benchmark's server started and failed to stop


def _is_kernel(proc: psutil.Process) -> bool:
    try:
        return any("ipykernel" in part for part in proc.cmdline())
    except psutil.NoSuchProcess:
        return False


def rss_mb(proc: psutil.Process | None) -> float | None:
    """Resident memory of one process in MiB (None if it is gone)."""
    if proc is None:
        return None
    rss = _rss(proc)
    return rss / MB if rss else None


def _rss(proc: psutil.Process) -> int:
    try:
        return proc.memory_info().rss
    except psutil.NoSuchProcess:
        return 0
