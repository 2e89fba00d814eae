"""Classroom load: N learners open the same lesson at once on one Voila server.

The server runs the classroom configuration exactly as `./run classroom NN` starts it
(share/voila/classroom/voila.py on top of voila.json: the named notebook preheated, idle kernels
culled). Each learner is a separate browser context (its own cache and storage); the contexts
are spread over a few Chromium processes. Every learner loads the page, waits until it is
interactive, then presses ArrowRight on the first slider of the first explorer and waits for
the plot to change.
"""
from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

import psutil

import pages
from servers import MB, VoilaServer, lesson_names
from tests.browser.harness import voila_command

KERNEL_MB_GUESS = 200        # a lesson kernel after rendering (about 195 MiB measured)
BROWSER_PAGE_MB_GUESS = 200  # one Chromium renderer with a lesson page


def notebook_file(number: str) -> str:
    matches = [n for n in lesson_names() if n.startswith(f"{number}_") or n == number]
    if len(matches) != 1:
        raise SystemExit(f"--classroom-notebook {number!r}: name one of {lesson_names()}")
    return matches[0]


def memory_check(learners: int) -> str | None:
    """A reason not to run (this machine is shared), or None."""
    needed_mb = learners * (KERNEL_MB_GUESS + BROWSER_PAGE_MB_GUESS)
    available_mb = psutil.virtual_memory().available / MB
    if needed_mb > 0.9 * available_mb:
        return (f"{learners} learners need about {needed_mb:.0f} MB; only {available_mb:.0f} MB "
                "is free. Use fewer --learners, or --force.")
    return None


class MemorySampler:
    """Samples every second the server with its kernels, and the browsers; keeps the peaks."""

    def __init__(self, server: VoilaServer):
        self.server = server
        self.peak_total_mb = 0.0
        self.peak_kernels = 0
        self.peak_browsers_mb = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            self.peak_total_mb = max(self.peak_total_mb, self.server.total_rss_mb())
            self.peak_kernels = max(self.peak_kernels, self.server.kernel_count())
            self.peak_browsers_mb = max(self.peak_browsers_mb, browsers_rss_mb(self.server))
            await asyncio.sleep(1.0)

    def __enter__(self):
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc):
        self._task.cancel()


def browsers_rss_mb(server: VoilaServer) -> float:
    """Chromium and Playwright's driver: this process's descendants that are not the server's."""
    server_pids = {p.pid for p in server.processes()}
    total = 0
    for proc in psutil.Process().children(recursive=True):
        if proc.pid not in server_pids:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
    return total / MB


async def learner(browser, server: VoilaServer, notebook: str, timeout_s: float) -> dict:
    context, page = await pages.open_page(browser, viewport=(1280, 800))
    run = pages.PageRun(notebook)
    slider_ms = None
    try:
        run = await pages.load(page, server.url, notebook, timeout_s=timeout_s, poll_s=0.5)
        explorers = await pages.explorer_labels(page) if run.tti_s is not None else {}
        if run.tti_s is not None and not explorers:
            run.errors.append("interactive, but no explorer has both a slider and a plot: "
                              + await pages.explorer_contents(page)
                              + f"; the page says: {await pages.page_text(page)}"
                              + "".join(f"; console error: {m}" for m in page.console_errors[-3:]))
        if explorers:
            latencies, misses = await pages.slider_latencies(page, min(explorers), moves=1,
                                                             warmup=0, timeout_s=120)
            slider_ms = latencies[0].latency_ms if latencies else None
            if misses:
                run.errors.append("the plot did not follow the slider within 120 s")
        run.errors += [e for e in page.bench_errors if e not in run.errors]
    finally:
        await pages.shutdown_kernel(page, run.kernel_id)
        await context.close()
    return {"tti_s": run.tti_s, "slider_ms": slider_ms, "errors": run.errors,
            "kernel_id": run.kernel_id}


async def measure(learners: int, notebook_number: str, browsers: int, pool_size: int,
                  workdir: Path, timeout_s: float = 900) -> dict:
    from playwright.async_api import async_playwright

    notebook = notebook_file(notebook_number)
    server = VoilaServer(
        voila_command("notebooks", "classroom"), workdir / "classroom-voila.log",
        env={"KCL_PREHEAT": notebook_number, "KCL_POOL_SIZE": str(pool_size)})
    try:
        server.wait_until_up()
        warmed_s = server.wait_until_quiet(timeout_s=600)
        idle_mb = server.total_rss_mb()
        async with async_playwright() as pw:
            chromiums = [await pages.launch(pw) for _ in range(browsers)]
            with MemorySampler(server) as sampler:
                start = time.monotonic()
                results = await asyncio.gather(*(
                    learner(chromiums[i % browsers], server, notebook, timeout_s)
                    for i in range(learners)))
                wall_s = time.monotonic() - start
                loaded_mb = server.total_rss_mb()
            for chromium in chromiums:
                await chromium.close()
        pool_hits = sum(server.used_pool_kernel(r["kernel_id"]) for r in results if r["kernel_id"])
    finally:
        server.stop()
    return summarise(results, notebook, browsers, pool_size, warmed_s, idle_mb, loaded_mb,
                     sampler, wall_s, pool_hits)


def summarise(results, notebook, browsers, pool_size, warmed_s, idle_mb, loaded_mb, sampler,
              wall_s, pool_hits) -> dict:
    ttis = sorted(r["tti_s"] for r in results if r["tti_s"] is not None)
    sliders = sorted(r["slider_ms"] for r in results if r["slider_ms"] is not None)
    errors = [e for r in results for e in r["errors"]]
    return {
        "notebook": notebook,
        "learners": len(results),
        "browsers": browsers,
        "pool_size": pool_size,
        "pool_hits": pool_hits,
        "interactive": len(ttis),
        "slider_responded": len(sliders),
        "tti_median_s": statistics.median(ttis) if ttis else None,
        "tti_worst_s": ttis[-1] if ttis else None,
        "slider_median_ms": statistics.median(sliders) if sliders else None,
        "slider_worst_ms": sliders[-1] if sliders else None,
        "learners_with_errors": sum(1 for r in results if r["errors"]),
        "errors": sorted(set(errors))[:20],
        "server_warmup_s": warmed_s,
        "memory_idle_mb": idle_mb,
        "memory_peak_mb": sampler.peak_total_mb,
        "memory_after_mb": loaded_mb,
        "kernels_peak": sampler.peak_kernels,
        "browsers_peak_mb": sampler.peak_browsers_mb,
        "wall_s": wall_s,
    }
