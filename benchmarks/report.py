"""The benchmark's tables (Markdown, readable in a terminal) and the issue's targets."""
from __future__ import annotations

BARE, BARE_KCL = "bare.ipynb", "bare_kcl.ipynb"

# The targets of the performance issues (#11, and #19 for the preheated ratio and the class).
COLD_RATIO_MAX = 1.5      # time to interactive, cold kernel, as a multiple of the bare page's
PREHEATED_RATIO_MAX = 1.2  # time to interactive with a preheated kernel, as a multiple of bare's
LATENCY_P95_RATIO_MAX = 2.0
MODEL_MEDIAN_MAX_MS = 50.0
RSS_RATIO_MAX = 1.3


def _ratio(value, base):
    return None if value is None or not base else value / base


def _fmt(value, digits=2, unit=""):
    return "-" if value is None else f"{value:.{digits}f}{unit}"


def _with_ratio(value, base, digits=2):
    ratio = _ratio(value, base)
    return _fmt(value, digits) + ("" if ratio is None else f" ({ratio:.2f}x)")


def _lessons(pages: dict) -> list[str]:
    return [n for n in pages if n not in (BARE, BARE_KCL)]


def _latency_rows(pages: dict):
    for name, page in pages.items():
        for e in page["explorers"]:
            yield name, e


def _bare_p95(pages: dict):
    return next((e["p95_ms"] for e in pages.get(BARE, {}).get("explorers", [])), None)


# --- targets ---------------------------------------------------------------------------------

def targets(results: dict) -> list[dict]:
    checks = []

    def check(target, met, detail):
        checks.append({"target": target, "met": met, "detail": detail})

    pages = results.get("pages")
    if pages:
        bare = pages[BARE]
        lessons = _lessons(pages)
        cold = {n: _ratio(pages[n]["cold_median_s"], bare["cold_median_s"]) for n in lessons}
        slow = {n: r for n, r in cold.items() if r is None or r > COLD_RATIO_MAX}
        check(f"cold time to interactive within {COLD_RATIO_MAX}x of bare", not slow,
              _list(slow, "x") or "all lessons")
        hot = {n: _ratio(pages[n]["preheated_median_s"], bare["preheated_median_s"]) for n in lessons}
        slow = {n: r for n, r in hot.items() if r is None or r > PREHEATED_RATIO_MAX}
        check(f"preheated time to interactive within {PREHEATED_RATIO_MAX}x of bare", not slow,
              _list(slow, "x") or "all lessons")
        base = _bare_p95(pages)
        ratios = {f"{n} {e['explorer']}": _ratio(e["p95_ms"], base)
                  for n, e in _latency_rows(pages) if n in lessons}
        slow = {k: r for k, r in ratios.items() if r is None or r > LATENCY_P95_RATIO_MAX}
        check(f"slider-to-plot p95 within {LATENCY_P95_RATIO_MAX:g}x of bare",
              bool(ratios) and not slow, _list(slow, "x") or f"{len(ratios)} explorers")
        rss = {n: _ratio(pages[n]["kernel_rss_median_mb"], bare["kernel_rss_median_mb"])
               for n in lessons}
        big = {n: r for n, r in rss.items() if r is None or r > RSS_RATIO_MAX}
        check(f"kernel memory at most {RSS_RATIO_MAX}x bare", not big, _list(big, "x") or "all lessons")
    if results.get("models"):
        slow = {m["model"]: m["compute"]["median_ms"] for m in results["models"]
                if m["compute"]["median_ms"] >= MODEL_MEDIAN_MAX_MS}
        check(f"model compute per slider move under {MODEL_MEDIAN_MAX_MS:g} ms (median)", not slow,
              _list(slow, " ms") or "all models")
    load = results.get("load")
    if load:
        c = load["criteria"]
        sizes = {name: lesson["largest_class"] for name, lesson in load["lessons"].items()}
        check(f"class size one server holds, measured (every output, page ready p95 <= "
              f"{c['ready_p95_max_s']:g} s, reply p95 <= {c['slider_p95_max_s']:g} s)",
              all(n >= 1 for n in sizes.values()),
              ", ".join(f"{name}: {n} learners at once" for name, n in sizes.items()))
    room = results.get("classroom")
    if room and "skipped" not in room:
        everyone = room["learners"]
        ok = (room["interactive"] == room["slider_responded"] == everyone
              and room["learners_with_errors"] == 0)
        check(f"classroom: all {everyone} learners interactive, their slider moves the plot, "
              "zero errors", ok,
              f"{room['interactive']}/{everyone} interactive, {room['slider_responded']}/{everyone} "
              f"sliders moved a plot, {room['learners_with_errors']} with errors")
    return checks


def _list(items: dict, unit: str) -> str:
    return ", ".join(f"{k} {_fmt(v)}{unit}" for k, v in items.items())


# --- tables ------------------------------------------------------------------------------------

def tables(results: dict) -> str:
    m = results["machine"]
    out = [f"Knee Cramp Lab benchmark, {results['date']}",
           f"{m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['chromium']}; "
           f"load average {m['load_average_at_start'][0]} at start, "
           f"{m.get('load_average_at_end', ['?'])[0]} at end", ""]
    if results.get("pages"):
        out += _pages_table(results["pages"]) + [""] + _latency_table(results["pages"]) + [""]
    if results.get("models"):
        out += _models_table(results["models"]) + [""]
    if results.get("classroom"):
        out += _classroom_table(results["classroom"]) + [""]
    if results.get("load"):
        out += _load_table(results["load"]) + [""]
    if results.get("suite"):
        s = results["suite"]
        out += [f"Test suite (./run test): {s['wall_s'] / 60:.1f} min, exit code {s['exit_code']}: "
                f"{s['summary']}", ""]
    out += ["**Targets**", "", "| target | met | detail |", "|---|---|---|"]
    out += [f"| {t['target']} | {'yes' if t['met'] else 'NO'} | {t['detail']} |"
            for t in results["targets"]]
    return "\n".join(out)


def _pages_table(pages: dict) -> list[str]:
    bare = pages[BARE]
    rows = ["**Time to interactive (median s, and x bare; 'cells' = Voila had run every cell) and "
            "kernel memory after render**", "",
            "| notebook | cold | cold: cells | preheated | preheated: cells | kernel RSS MiB "
            "| errors |", "|---|---|---|---|---|---|---|"]
    for name, p in pages.items():
        rows.append(
            f"| {name} | {_with_ratio(p['cold_median_s'], bare['cold_median_s'])} "
            f"| {_fmt(p['cold_executed_median_s'])} "
            f"| {_with_ratio(p['preheated_median_s'], bare['preheated_median_s'])} "
            f"| {_fmt(p['preheated_executed_median_s'])} "
            f"| {_with_ratio(p['kernel_rss_median_mb'], bare['kernel_rss_median_mb'], 0)} "
            f"| {len(p['errors'])} |")
    return rows


def _latency_table(pages: dict) -> list[str]:
    base = _bare_p95(pages)
    rows = ["**Slider to plot (ms, keyboard moves; p95 x bare; a median move split into key to "
            "last kernel message and drawing)**", "",
            "| notebook | explorer | moves | median | p95 | kernel+network | drawing | misses |",
            "|---|---|---|---|---|---|---|---|"]
    for name, e in _latency_rows(pages):
        rows.append(f"| {name} | {e['explorer']} | {e['moves']} | {_fmt(e['median_ms'], 0)} "
                    f"| {_with_ratio(e['p95_ms'], base, 0)} "
                    f"| {_fmt(e['median_until_last_message_ms'], 0)} "
                    f"| {_fmt(e['median_drawing_ms'], 0)} | {e['misses']} |")
    return rows


def _models_table(entries: list[dict]) -> list[str]:
    rows = ["**Compute per slider move (ms; wall median, p95, and CPU median)**", "",
            "| model | explorer | model median | model p95 | model CPU | whole kernel update median "
            "| kernel update CPU |", "|---|---|---|---|---|---|---|"]
    for m in entries:
        c, k = m["compute"], m["kernel_update"]
        rows.append(f"| {m['model']} | {m['explorer']} | {_fmt(c['median_ms'], 1)} "
                    f"| {_fmt(c['p95_ms'], 1)} | {_fmt(c['median_cpu_ms'], 1)} "
                    f"| {_fmt(k['median_ms'], 1)} | {_fmt(k['median_cpu_ms'], 1)} |")
    return rows


def _classroom_table(room: dict) -> list[str]:
    if "skipped" in room:
        return [f"Classroom: skipped ({room['skipped']})"]
    rows = [f"**Classroom in real browsers: {room['learners']} learners open {room['notebook']} "
            f"at once ({room['browsers']} Chromium processes, pool of {room['pool_size']} "
            f"preheated kernels, {room['pool_hits']} pages got one)**", "",
            "| interactive | slider responded | TTI median s | TTI worst s | learners with errors "
            "| server+kernels MiB idle / peak | kernels at peak | browsers MiB peak |",
            "|---|---|---|---|---|---|---|---|",
            f"| {room['interactive']}/{room['learners']} | {room['slider_responded']} "
            f"| {_fmt(room['tti_median_s'], 1)} | {_fmt(room['tti_worst_s'], 1)} "
            f"| {room['learners_with_errors']} | {room['memory_idle_mb']:.0f} / "
            f"{room['memory_peak_mb']:.0f} | {room['kernels_peak']} "
            f"| {room['browsers_peak_mb']:.0f} |"]
    if room["errors"]:
        rows += [""] + [f"- error: {e}" for e in room["errors"]]
    return rows


def _load_table(load: dict) -> list[str]:
    """The protocol-level load test (loadtest.py): each class size tried, per lesson."""
    c = load["criteria"]
    rows = [f"**Class size one classroom server holds (protocol-level learners, all opening at "
            f"once; passes: every output, page ready p95 <= {c['ready_p95_max_s']:g} s, reply p95 <= "
            f"{c['slider_p95_max_s']:g} s)**", "",
            "| lesson | learners | every output | ready median / p95 s | reply median / p95 s "
            "| MB per learner | CPU-s per page | preheated pages | load average | passes |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for name, lesson in load["lessons"].items():
        for r in lesson["runs"]:
            rows.append(
                f"| {name} | {r['learners']} | {r['all_outputs']}/{r['learners']} "
                f"| {_fmt(r['ready_median_s'], 1)} / {_fmt(r['ready_p95_s'], 1)} "
                f"| {_fmt(r['slider_median_s'], 2)} / {_fmt(r['slider_p95_s'], 2)} "
                f"| {_fmt(r.get('mb_per_learner'), 0)} | {_fmt(r.get('cpu_s_per_page'), 1)} "
                f"| {r.get('preheated_pages', '-')} | {r.get('load_average', '-')} "
                f"| {'yes' if r['passes'] else 'no'} |")
    rows.append("")
    rows += [f"- {name}: largest class that passed: {lesson['largest_class']}"
             for name, lesson in load["lessons"].items()]
    return rows


# --- the README's performance section ------------------------------------------------------------

README_START = "<!-- benchmark results: written by ./run bench (benchmarks/report.py) -->"
README_END = "<!-- end of benchmark results -->"
FULL_RUN = ("models", "pages", "load")   # what a run must have measured to replace the README's


def readme_block(results: dict, command: str) -> str:
    """The README's results: date, machine and command, every table, every target met or not."""
    m = results["machine"]
    head = (f"Latest run: **{results['date'][:10]}**, `{command}`, on {m['cpu']}, {m['cores']} "
            f"cores, {m['memory_gb']} GB, Python {m['python']}, {m['chromium'].split(' built')[0]}; "
            f"load average {m['load_average_at_start'][0]} at start, "
            f"{m.get('load_average_at_end', ['?'])[0]} at end "
            "([JSON](benchmarks/results/latest.json)).")
    body = tables(results).split("\n", 2)[2]        # the tables, without their own title lines
    return "\n".join([README_START, head, "", body, "", README_END])


def update_readme(readme_text: str, results: dict, command: str) -> str:
    """The README with its results block replaced (a run that measured less leaves it alone)."""
    if not all(results.get(section) for section in FULL_RUN):
        return readme_text
    start, end = readme_text.index(README_START), readme_text.index(README_END) + len(README_END)
    return readme_text[:start] + readme_block(results, command) + readme_text[end:]
