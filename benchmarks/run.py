"""Knee Cramp Lab performance benchmark: `./run bench` (see benchmarks/README.md).

    ./run bench                     everything but the test suite (about an hour on 2 cores)
    ./run bench --quick             a smoke run: 1 repeat, few moves, 3 learners
    ./run bench --only models       model compute only (seconds)
    ./run bench --notebooks 02 05 --only pages
    ./run bench --learners 30 --only classroom
    ./run bench --only load --load-notebooks 02 07   class size one server holds (no browsers)
    ./run bench --with-suite        also time the README test command (./run test)

Prints the tables and writes them as JSON (benchmarks/results/latest.json by default).
Everything runs on 127.0.0.1; every wait is bounded.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))        # the benchmark's own modules
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))    # physiology, widgets

import psutil  # noqa: E402

import browse  # noqa: E402
import classroom  # noqa: E402
import loadtest  # noqa: E402
import models  # noqa: E402
import report  # noqa: E402
from servers import BASELINES, MB, REPO, lesson_names  # noqa: E402

DEFAULT_OUTPUT = REPO / "benchmarks" / "results" / "latest.json"

SECTIONS = ("models", "pages", "classroom", "load")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./run bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 1 repeat, 6 moves, 5 steps per control, 3 learners")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS),
                        help="measure only these sections")
    parser.add_argument("--notebooks", nargs="+", metavar="NN",
                        help="lessons to load (numbers, e.g. 02 05); default: all")
    parser.add_argument("--repeats", type=int, help="page loads per notebook, cold and preheated (3)")
    parser.add_argument("--moves", type=int, help="keyboard moves per explorer (30)")
    parser.add_argument("--steps", type=int, help="values per control for model timing (20)")
    parser.add_argument("--learners", type=int,
                        help="learners in real browsers (6: the end-to-end check of the load test)")
    parser.add_argument("--classroom-notebook", default="02", metavar="NN",
                        help="the lesson the class opens (02)")
    parser.add_argument("--browsers", type=int, default=3,
                        help="Chromium processes the learners are spread over (3)")
    parser.add_argument("--pool-size", type=int, default=2,
                        help="preheated kernels in the classroom (KCL_POOL_SIZE, 2)")
    parser.add_argument("--page-timeout", type=float, default=900, metavar="S",
                        help="how long a classroom page may take to become interactive (900)")
    parser.add_argument("--force", action="store_true",
                        help="run the classroom even if free memory looks too small")
    parser.add_argument("--load-notebooks", nargs="+", default=["02", "07"], metavar="NN",
                        help="lessons for the protocol-level load test (02 07)")
    parser.add_argument("--load-max", type=int, default=60,
                        help="largest class the load test tries (60)")
    parser.add_argument("--load-steps", type=int, nargs="+", metavar="N",
                        help="try exactly these class sizes (default: grow until one fails)")
    parser.add_argument("--with-suite", action="store_true",
                        help="also time the full README test command (takes many minutes)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    quick = args.quick
    args.repeats = args.repeats or (1 if quick else 3)
    args.moves = args.moves or (6 if quick else 30)
    args.steps = args.steps or (5 if quick else 20)
    args.learners = args.learners or (3 if quick else 6)
    return args


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def machine() -> dict:
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {
        "cpu": cpu, "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / MB / 1024, 1),
        "os": platform.platform(), "python": platform.python_version(),
        "chromium": chromium.stdout.strip(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def selected_notebooks(numbers: list[str] | None) -> list[str]:
    lessons = lesson_names()
    if numbers:
        lessons = [n for n in lessons if any(n.startswith(f"{k}_") or n == k for k in numbers)]
        if not lessons:
            raise SystemExit(f"--notebooks {numbers}: none of {lesson_names()}")
    return list(BASELINES) + lessons


def time_suite() -> dict:
    """The README test command, once, with its wall time and its last line."""
    log("running ./run test (the whole suite)")
    start = time.monotonic()
    done = subprocess.run(["./run", "test"], cwd=REPO,
                          capture_output=True, text=True, timeout=3 * 3600)
    lines = [l for l in done.stdout.splitlines() if l.strip()]
    return {"wall_s": time.monotonic() - start, "exit_code": done.returncode,
            "summary": lines[-1] if lines else done.stderr[-300:]}


def keep_logs(workdir: Path, folder: Path) -> None:
    """The Voila servers' logs, kept for a look at what went wrong (git-ignored)."""
    folder.mkdir(parents=True, exist_ok=True)
    for log_file in workdir.glob("*.log"):
        shutil.copy(log_file, folder / log_file.name)


def main(argv=None) -> int:
    args = parse_args(argv)
    results = {"date": dt.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
               "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
    with tempfile.TemporaryDirectory(prefix="kcl-bench-") as tmp:
        workdir = Path(tmp)
        if "models" in args.only:
            log("model compute per slider move")
            results["models"] = models.measure(args.steps)
        if "pages" in args.only:
            names = selected_notebooks(args.notebooks)
            log(f"pages: {len(names)} notebooks x {args.repeats} repeats, cold and preheated")
            results["pages"] = asyncio.run(browse.measure(names, args.repeats, args.moves, workdir, log))
        if "classroom" in args.only:
            problem = None if args.force else classroom.memory_check(args.learners)
            if problem:
                log(f"classroom skipped: {problem}")
                results["classroom"] = {"skipped": problem}
            else:
                log(f"classroom: {args.learners} learners open {args.classroom_notebook}")
                results["classroom"] = asyncio.run(classroom.measure(
                    args.learners, args.classroom_notebook, args.browsers, args.pool_size, workdir,
                    timeout_s=args.page_timeout))
        if "load" in args.only:
            log(f"load: the largest class one classroom server holds, {args.load_notebooks}")
            results["load"] = asyncio.run(loadtest.measure(
                args.load_notebooks, workdir, max_learners=args.load_max, pool_size=args.pool_size,
                steps=args.load_steps, log=log))
        keep_logs(workdir, args.output.parent / "logs")
    if args.with_suite:
        results["suite"] = time_suite()
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = report.targets(results)
    print(report.tables(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1) + "\n")
    log(f"wrote {args.output}")
    if args.output == DEFAULT_OUTPUT:
        readme = REPO / "README.md"
        command = "./run bench " + " ".join(argv if argv is not None else sys.argv[1:])
        updated = report.update_readme(readme.read_text(), results, command.strip())
        if updated != readme.read_text():
            readme.write_text(updated)
            log("wrote the results into README.md (Performance)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
