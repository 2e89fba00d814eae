"""How long one explorer update of the calcium model takes (not a test: timings vary by machine).

    .venv/bin/python tests/models/benchmark_calcium.py

Each line re-simulates the 2 s window for one setting of the sliders and prints the best of
several runs, as wall-clock and as this process's CPU time (the CPU figure is the fairer one
on a shared machine). The widget also needs a rested run with the same stimulation for its
comparison; that one is cached, so it costs nothing when only SERCA, ATP or release change.
"""
from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from physiology import calcium, data  # noqa: E402

REPEATS = 7


def best_of(settings: dict) -> tuple[float, float, int]:
    wall, cpu = [], []
    for _ in range(REPEATS):
        w0, c0 = time.perf_counter(), time.process_time()
        result = calcium.simulate(**settings)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return 1000 * min(wall), 1000 * min(cpu), len(result.ap_times_ms)


def main() -> None:
    spec = data.scenarios("calcium")
    defaults = {c.name: c.default for c in spec.controls}
    cases = {s.id: {**defaults, **s.values} for s in spec.scenarios}
    cases["worst case: 100 Hz for 1.9 s"] = {**defaults, "frequency_hz": 100, "duration_s": 1.9}
    calcium.simulate(**defaults)   # warm up (imports, parameter file)
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'setting':40s} {'APs':>4s} {'wall ms':>8s} {'CPU ms':>7s}")
    for name, settings in cases.items():
        wall, cpu, aps = best_of(settings)
        print(f"{name:40s} {aps:4d} {wall:8.1f} {cpu:7.1f}")


if __name__ == "__main__":
    main()
