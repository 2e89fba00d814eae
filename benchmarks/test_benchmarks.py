"""Checks of the benchmark's own arithmetic (no browser, no server): a wrong percentile or a wrong
target check would make every table wrong. Run with `.venv/bin/pytest benchmarks`."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import models  # noqa: E402
import report  # noqa: E402
from pages import percentile  # noqa: E402


def test_percentile_interpolates_between_ranks():
    # 1..20: the 95th percentile sits 0.95 of the way along 19 gaps, at 1 + 18.05 = 19.05
    assert percentile([float(v) for v in range(1, 21)], 95) == pytest.approx(19.05)
    assert percentile([float(v) for v in range(1, 21)], 50) == pytest.approx(10.5)
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 95) is None


def test_sweep_stays_on_the_slider_grid_and_skips_the_default():
    control = SimpleNamespace(min=0.0, max=100.0, step=5.0, default=50.0)
    values = models.sweep(control, 4)
    # 0..100 in steps of 5 is 21 positions; 5 evenly spaced picks are 0, 25, 50, 75, 100
    assert values == [0.0, 25.0, 75.0, 100.0]
    assert all(v % 5.0 == 0 for v in values)


def _page(cold, hot, rss, p95):
    return {"cold_median_s": cold, "preheated_median_s": hot, "kernel_rss_median_mb": rss,
            "explorers": [{"explorer": "x", "p95_ms": p95}] if p95 else []}


def test_targets_compare_each_lesson_with_the_bare_page():
    results = {"pages": {
        report.BARE: _page(10.0, 0.5, 100.0, 100.0),
        "02_fast.ipynb": _page(14.9, 0.9, 129.0, 199.0),   # inside every limit
        "03_slow.ipynb": _page(15.1, 1.0, 131.0, 201.0),   # just outside every limit
    }}
    met = {t["target"]: t for t in report.targets(results)}
    assert [t["met"] for t in met.values()] == [False, False, False, False]
    for target in met.values():
        assert "03_slow" in target["detail"] and "02_fast" not in target["detail"]


def test_model_target_is_a_median_under_50_ms():
    results = {"models": [
        {"model": "fast", "compute": {"median_ms": 49.9}},
        {"model": "slow", "compute": {"median_ms": 50.0}},
    ]}
    (check,) = report.targets(results)
    assert not check["met"] and check["detail"] == "slow 50.00 ms"


def test_classroom_target_needs_every_learner_a_working_slider_and_no_error():
    room = {"learners": 30, "interactive": 30, "slider_responded": 30, "learners_with_errors": 0}
    assert report.targets({"classroom": room})[0]["met"]
    assert not report.targets({"classroom": {**room, "interactive": 29}})[0]["met"]
    assert not report.targets({"classroom": {**room, "slider_responded": 29}})[0]["met"]
    assert not report.targets({"classroom": {**room, "learners_with_errors": 1}})[0]["met"]
