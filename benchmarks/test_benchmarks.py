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
        "02_fast.ipynb": _page(14.9, 0.59, 129.0, 199.0),   # inside every limit
        "03_slow.ipynb": _page(15.1, 0.61, 131.0, 201.0),   # just outside every limit
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


def test_class_size_target_needs_a_passing_class_for_every_lesson():
    criteria = {"ready_p95_max_s": 10.0, "slider_p95_max_s": 0.5}
    load = {"criteria": criteria, "lessons": {"02_x.ipynb": {"largest_class": 6},
                                              "07_y.ipynb": {"largest_class": 0}}}
    (check,) = report.targets({"load": load})
    assert not check["met"]
    assert check["detail"] == "02_x.ipynb: 6 learners at once, 07_y.ipynb: 0 learners at once"
    load["lessons"]["07_y.ipynb"]["largest_class"] = 1
    assert report.targets({"load": load})[0]["met"]


def test_classroom_target_needs_every_learner_a_working_slider_and_no_error():
    room = {"learners": 30, "interactive": 30, "slider_responded": 30, "learners_with_errors": 0}
    assert report.targets({"classroom": room})[0]["met"]
    assert not report.targets({"classroom": {**room, "interactive": 29}})[0]["met"]
    assert not report.targets({"classroom": {**room, "slider_responded": 29}})[0]["met"]
    assert not report.targets({"classroom": {**room, "learners_with_errors": 1}})[0]["met"]


# --- the protocol-level load test (loadtest.py) ------------------------------------------------

import asyncio  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402

import loadtest  # noqa: E402

PAGE = """<html><script id="jupyter-config-data" type="application/json">
  {"kernelId": "k-1", "baseUrl": "/user/ann/", "fullLabextensionsUrl": "/user/ann/voila/labextensions",
   "federated_extensions": [{"name": "anywidget", "load": "static/remoteEntry.1.js"}]}
</script><script src="/user/ann/voila/static/voila.js"></script>
<link rel="stylesheet" href="/user/ann/x.css"><link rel="icon" href="data:;base64,=">
<script type="application/vnd.voila.cell-output+json">
 {"data": {"application/vnd.jupyter.widget-view+json": {"model_id": "box"}}, "output_type": "display_data"}
</script>
<script type="application/vnd.voila.cell-output+json">{"output_type": "error", "ename": "E"}</script>
<script type="application/vnd.voila.cell-output+json">
 {"data": {"application/vnd.jupyter.widget-view+json": {"model_id": "lone"}}, "output_type": "display_data"}
</script></html>"""

FIGURE = {"model_name": "AnyModel", "state": {"_py2js_update": {}, "_plotly_file": "plotly-7-abc.js"}}


def test_load_test_reads_the_page_as_voila_s_front_end_does():
    info = loadtest.parse_page(PAGE)
    assert (info.kernel_id, info.base_url, info.views, info.error_cells) == ("k-1", "/user/ann/", ["box", "lone"], 1)
    # scripts and style sheets, each extension's entry file; never a data: address
    assert info.assets == ["/user/ann/voila/static/voila.js", "/user/ann/x.css",
                           "/user/ann/voila/labextensions/anywidget/static/remoteEntry.1.js"]
    states = {"box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_ctl", "IPY_MODEL_fig"]}},
              "ctl": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_s1", "IPY_MODEL_s2"]}},
              # our Slider: value at its default (the minimum), so ipywidgets leaves it out
              "s1": {"model_name": "AnyModel", "state": {"min": 2.0, "max": 3.0, "step": 0.5}},
              "s2": {"model_name": "FloatSliderModel", "state": {"value": 1.0, "max": 9.0}},
              "fig": FIGURE}
    order, missing = loadtest.reachable(states, info.views)
    assert order == ["box", "ctl", "s1", "s2", "fig", "lone"] and missing == ["lone"]
    kind, model, change, replies = loadtest.first_interaction(states, ["box"])
    assert (kind, model, change, replies) == ("slider", "s1", {"value": 2.5}, {"fig"})
    assert loadtest.widget_assets(states, "/user/ann/voila/labextensions/") == [
        "/user/ann/voila/labextensions/knee-cramp-lab/static/plotly-7-abc.js"]
    # no explorer: the first tick box, answered by any other widget
    boxes = {"c": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_t"]}},
             "t": {"model_name": "CheckboxModel", "state": {}}}
    assert loadtest.first_interaction(boxes, ["c"]) == ("checkbox", "t", {"value": True}, {"c"})


def test_load_test_slider_steps_stay_on_the_grid():
    assert loadtest.next_value(2.0, 2.0, 3.0, 0.5) == 2.5
    assert loadtest.next_value(3.0, 2.0, 3.0, 0.5) == 2.5      # at the top: one step left
    assert loadtest.next_value(0.30000000000000004, 0.0, 1.0, 0.1) == 0.4


def test_load_test_speaks_the_v1_websocket_protocol_of_jupyter_server():
    from jupyter_server.services.kernels.connection.base import (
        deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1)
    msg = loadtest.message("comm_msg", {"comm_id": "s1", "data": {"method": "update"}}, "session")
    msg["buffers"] = [b"\x00\x01"]
    channel, parts = deserialize_msg_from_ws_v1(loadtest.encode(msg))
    assert channel == "shell" and json.loads(parts[3]) == msg["content"] and parts[4] == b"\x00\x01"
    parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")]
    back = loadtest.decode(serialize_msg_to_ws_v1(parts + [b"abc"], "iopub"))
    assert (back["channel"], back["content"], back["buffers"]) == ("iopub", msg["content"], [b"abc"])
    with pytest.raises(ValueError):
        loadtest.decode(b"\xff" * 16)


def _learners(ready, slider, outputs=True):
    return [loadtest.Learner(i, ready_s=r, slider_s=s, all_outputs=outputs) for i, (r, s) in
            enumerate(zip(ready, slider))]


def test_load_test_class_passes_only_with_every_output_and_both_p95_limits():
    ok = loadtest.summarise(_learners([1.0] * 19 + [9.9], [0.1] * 19 + [0.5]))
    # rank 0.95 x 19 = 18.05: 5 % of the way from 1.0 to 9.9
    assert ok["passes"] and ok["ready_p95_s"] == pytest.approx(1.445)
    # one learner without a slider reply counts as the slowest: p95 is then infinite
    assert not loadtest.summarise(_learners([1.0] * 20, [0.1] * 19 + [None]))["passes"]
    assert not loadtest.summarise(_learners([1.0] * 18 + [11.0, 11.0], [0.1] * 20))["passes"]
    assert not loadtest.summarise(_learners([1.0] * 18 + [0.1, 0.1], [0.1] * 18 + [0.6, 0.6]))["passes"]
    assert not loadtest.summarise(_learners([1.0] * 5, [0.1] * 5, outputs=False))["passes"]
    runs = [{"learners": n, "passes": p} for n, p in [(1, True), (2, True), (4, False), (6, True)]]
    assert loadtest.largest_passing(runs) == 2      # never past the first failure
    with pytest.raises(SystemExit):
        loadtest.check_local("http://example.org:8866")


def test_load_test_two_learners_against_a_real_voila_server(tmp_path):
    """Two learners open the bare baseline (an ipywidgets slider and a plotly FigureWidget)."""
    from servers import VoilaServer, voila_command
    server = VoilaServer(voila_command(Path(__file__).parent, "present"),
                         tmp_path / "voila.log")
    try:
        server.wait_until_up(timeout_s=120)
        # In its own thread: the browser tests' Playwright keeps an event loop running in this one.
        with ThreadPoolExecutor(max_workers=1) as thread:
            room = thread.submit(asyncio.run, loadtest.run_class(
                server.url, "bare.ipynb", 2, timeout_s=120, server=server, hold_s=5)).result()
    finally:
        server.stop()
    assert room["all_outputs"] == room["slider_replied"] == 2, room["errors"]
    assert room["control"] == ["slider"] and room["errors"] == []
    for learner in room["per_learner"]:
        assert 0 < learner["html_s"] <= learner["ready_s"] < 120
        assert learner["slider_messages"] >= 1 and 0 < learner["slider_s"] < 30
        assert learner["bytes_received"] > 1_000_000          # voila.js and plotly.js came too
    assert room["cpu_s_per_page"] > 0 and room["kernels_peak"] >= 2


def test_a_full_run_rewrites_only_the_readme_block_and_a_partial_run_leaves_it():
    machine = {"cpu": "Test CPU", "cores": 2, "memory_gb": 23.5, "python": "3.11.7",
               "chromium": "Chromium 156.0 built on Debian", "load_average_at_start": [0.1],
               "load_average_at_end": [2.0]}
    page = {**_page(5.0, 3.0, 130.0, 40.0), "cold_executed_median_s": 4.0,
            "preheated_executed_median_s": 2.0, "errors": []}
    page["explorers"][0].update(moves=20, median_ms=30.0, median_until_last_message_ms=10.0,
                                median_drawing_ms=20.0, misses=0)
    load = {"criteria": {"ready_p95_max_s": 10.0, "slider_p95_max_s": 0.5},
            "lessons": {"02.ipynb": {"largest_class": 4, "runs": []}}}
    results = {"date": "2026-12-07T07:00:00", "machine": machine,
               "pages": {report.BARE: page, "02.ipynb": page},
               "models": [{"model": "m", "explorer": "x",
                           "compute": {"median_ms": 1.0, "p95_ms": 2.0, "median_cpu_ms": 1.0},
                           "kernel_update": {"median_ms": 3.0, "median_cpu_ms": 3.0}}],
               "load": load}
    results["targets"] = report.targets(results)
    readme = f"# Title\n\nbefore\n{report.README_START}\nold tables\n{report.README_END}\nafter\n"
    new = report.update_readme(readme, results, "./run bench")
    assert new.startswith("# Title\n\nbefore\n") and new.endswith(f"{report.README_END}\nafter\n")
    assert "old tables" not in new
    assert "**2026-12-07**" in new and "`./run bench`" in new and "Test CPU, 2 cores" in new
    assert "| 02.ipynb | x | 20 | 30 | 40 (1.00x) | 10 | 20 | 0 |" in new
    assert "| slider-to-plot p95 within 2x of bare | yes |" in new
    assert "- 02.ipynb: largest class that passed: 4" in new
    partial = {key: value for key, value in results.items() if key != "load"}
    assert report.update_readme(readme, partial, "./run bench --only pages models") == readme
