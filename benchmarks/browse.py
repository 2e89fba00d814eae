"""Every lesson against the bare baseline, in one browser and one run: time to interactive (cold
kernel and preheated kernel), slider-to-plot latency per explorer, kernel memory.

Cold: a Voila server with the `./run present` settings and no kernel pool, so each page starts
its own kernel. Preheated: the same settings plus a pool of one kernel per notebook
(VoilaConfiguration.preheat_kernel, VoilaKernelManager.kernel_pools_config); before each page
the benchmark waits until the pool has been refilled and the server is idle, and it checks in
Voila's log that the page was given a pool kernel.

Pages are measured one at a time, each in a fresh browser context, in an order rotated between
repeats so that no notebook always comes first.
"""
from __future__ import annotations

import statistics
from pathlib import Path

import pages
from servers import BASELINES, VoilaServer, make_site, preheat_config, rss_mb


async def measure(names: list[str], repeats: int, moves: int, workdir: Path, log) -> dict:
    from playwright.async_api import async_playwright

    site = make_site(workdir)
    results = {name: {"cold": [], "executed": [], "preheated": [], "preheated_executed": [],
                      "rss_mb": [], "explorers": [], "errors": []} for name in names}
    async with async_playwright() as pw:
        browser = await pages.launch(pw)
        cold = VoilaServer.serving(site, workdir / "voila-cold.log")
        try:
            cold.wait_until_up()
            await _visit(browser, cold, BASELINES[0])   # warm-up: not counted
            for repeat in range(repeats):
                for name in _rotated(names, repeat):
                    cold.wait_until_quiet(timeout_s=120)   # the last page's kernel has gone
                    await _visit(browser, cold, name, results[name], latency_moves=(
                        moves if repeat == 0 else 0))
                    log(f"cold {repeat + 1}/{repeats} {name}: {_last(results[name]['cold'])}")
        finally:
            cold.stop()

        config = preheat_config(workdir, names)
        hot = VoilaServer.serving(site, workdir / "voila-preheated.log", config)
        try:
            hot.wait_until_up()
            log(f"preheating {len(names)} kernels: "
                f"{hot.wait_until_quiet(timeout_s=900):.0f} s until the server was idle")
            for repeat in range(repeats):
                for name in _rotated(names, repeat):
                    hot.wait_until_quiet(timeout_s=300)   # the pool refilled after the last page
                    await _visit(browser, hot, name, results[name], preheated=True)
                    log(f"preheated {repeat + 1}/{repeats} {name}: "
                        f"{_last(results[name]['preheated'])}")
        finally:
            hot.stop()
        await browser.close()
    return {name: _summary(r) for name, r in results.items()}


async def _visit(browser, server: VoilaServer, name: str, result: dict | None = None,
                 latency_moves: int = 0, preheated: bool = False) -> None:
    """Load one page in a fresh context; add what was measured to `result` (None: warm-up)."""
    context, page = await pages.open_page(browser)
    run = pages.PageRun(name)
    try:
        run = await pages.load(page, server.url, name)
        if result is not None:
            await _record(page, server, run, result, latency_moves, preheated)
        await pages.shutdown_kernel(page, run.kernel_id)
    finally:
        await context.close()
    if run.kernel_id:
        server.wait_for_kernel_exit(run.kernel_id)


async def _record(page, server: VoilaServer, run: pages.PageRun, result: dict,
                  latency_moves: int, preheated: bool) -> None:
    if preheated and run.kernel_id and not server.used_pool_kernel(run.kernel_id):
        run.errors.append("preheated run did not get a pool kernel")
    result["preheated" if preheated else "cold"].append(run.tti_s)
    result["preheated_executed" if preheated else "executed"].append(run.executed_s)
    result["errors"] += run.errors
    if not preheated:
        kernel = server.kernel_process(run.kernel_id) if run.kernel_id else None
        rss = rss_mb(kernel)
        if rss is not None:
            result["rss_mb"].append(rss)
    if latency_moves and run.tti_s is not None:
        for index, label in (await pages.explorer_labels(page)).items():
            try:
                moves, misses = await pages.slider_latencies(page, index, latency_moves)
            except Exception as exc:  # recorded, and the run goes on
                result["errors"].append(f"{label} explorer: {type(exc).__name__}: {exc}"[:300])
                moves, misses = [], latency_moves
            result["explorers"].append({"explorer": label, "moves": moves, "misses": misses})


def _rotated(names: list[str], by: int) -> list[str]:
    by %= len(names)
    return names[by:] + names[:by]


def _last(values: list) -> str:
    return "not interactive" if not values or values[-1] is None else f"{values[-1]:.2f} s"


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _summary(r: dict) -> dict:
    explorers = []
    for e in r["explorers"]:
        latencies = [m.latency_ms for m in e["moves"]]
        explorers.append({
            "explorer": e["explorer"], "moves": len(latencies), "misses": e["misses"],
            "median_ms": _median(latencies), "p95_ms": pages.percentile(latencies, 95),
            "median_until_last_message_ms": _median([m.until_last_message_ms for m in e["moves"]]),
            "median_drawing_ms": _median([m.drawing_ms for m in e["moves"]]),
            "median_messages": _median([m.messages for m in e["moves"]]),
            "latencies_ms": [round(x, 1) for x in latencies]})
    return {
        "cold_s": r["cold"], "cold_median_s": _median(r["cold"]),
        "cold_executed_median_s": _median(r["executed"]),
        "preheated_s": r["preheated"], "preheated_median_s": _median(r["preheated"]),
        "preheated_executed_median_s": _median(r["preheated_executed"]),
        "kernel_rss_mb": r["rss_mb"], "kernel_rss_median_mb": _median(r["rss_mb"]),
        "explorers": explorers,
        "errors": sorted(set(r["errors"]))[:20],
    }
