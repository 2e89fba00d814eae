"""Compute time per slider move, measured in this Python process.

Two numbers per model:
- model: only the physiology a slider move asks for, through the model contract every explorer
  uses: `physiology.<model>.simulate(**controls)` then `summarise(result)`;
- kernel update: the whole move as the kernel does it, through the real explorer: slider value
  -> the explorer core's refresh -> the topic's update (the model) -> the FigureWidget's traces
  (plotly validation and serialisation) -> the summary line. Only the websocket is missing.
Each control is swept over its range in equal steps (each step a value not seen before, so no
result cache is hit unless the explorer itself reuses a result, as it does in real use).
"""
from __future__ import annotations

import importlib
import inspect
import statistics
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from physiology import calcium, data, reflex


@dataclass(frozen=True)
class Model:
    name: str            # the physiology module: simulate(**controls) and summarise(result)
    scenario_file: str   # data/scenarios/<file>.yaml: the explorer's controls
    explorer: str        # widgets function that builds the explorer

    def move(self, values: dict) -> None:
        """What one slider move computes in the model: simulate, then the summary sentence."""
        module = importlib.import_module(self.name)
        if "settings" in inspect.signature(module.simulate).parameters:
            # the reflex model still takes a settings object, not the controls by name
            result = module.simulate(module.ReflexSettings(**values))
        else:
            result = module.simulate(**values)
        if hasattr(module, "summarise"):
            module.summarise(result)


MODELS = (
    Model("physiology.calcium", "calcium", "widgets.calcium:explore_calcium"),
    Model("physiology.electrolytes", "nernst", "widgets.electrolytes:explore_nernst"),
    Model("physiology.membrane", "membrane", "widgets.electrolytes:explore_membrane"),
    Model("physiology.reflex", "reflex", "widgets.reflex:explore_reflex"),
    Model("physiology.aging", "aging", "widgets.aging:explore_aging"),
)


def forget_results() -> None:
    """Empty the models' result caches (not their parameters), so that each measurement starts
    as a fresh kernel would and one does not profit from results the other computed."""
    calcium.rested_reference.cache_clear()
    reflex.threshold_for_effort.cache_clear()


# --- timing ------------------------------------------------------------------------------------

def sweep(control, steps: int) -> list[float]:
    """`steps` values across a control's range, on its step grid, default excluded."""
    grid = np.arange(control.min, control.max + control.step / 2, control.step)
    picks = np.unique(np.round(np.linspace(0, len(grid) - 1, steps + 1)).astype(int))
    values = [round(float(grid[i]), 10) for i in picks]
    return [v for v in values if abs(v - control.default) > control.step / 2][:steps]


def _stats(wall_ms: list[float], cpu_ms: list[float]) -> dict:
    """Wall time is what a learner waits for; CPU time is what the move costs, and does not grow
    when other programs share the processor."""
    ordered = sorted(wall_ms)
    return {
        "runs": len(ordered),
        "median_ms": statistics.median(ordered),
        "p95_ms": ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))],
        "max_ms": ordered[-1],
        "median_cpu_ms": statistics.median(cpu_ms),
    }


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall ms, CPU ms of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return 1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu)


def time_model(model: Model, steps: int) -> dict:
    """Median (and p95, max) ms of `model.move` over sweeps of every control."""
    controls = data.scenarios(model.scenario_file).controls
    defaults = {c.name: c.default for c in controls}
    forget_results()
    model.move(defaults)  # as the explorer does when it opens: loads parameters, caches results
    wall, cpu, per_control = [], [], {}
    for control in controls:
        timings = [_timed(lambda: model.move({**defaults, control.name: value}))
                   for value in sweep(control, steps)]
        per_control[control.name] = statistics.median(c for _, c in timings)
        wall += [w for w, _ in timings]
        cpu += [c for _, c in timings]
    return {**_stats(wall, cpu), "median_cpu_ms_per_control": per_control}


def time_kernel_update(model: Model, steps: int) -> dict:
    """Median ms of one slider move through the real explorer (model + figure + summary)."""
    module_name, function_name = model.explorer.split(":")
    module = __import__(module_name, fromlist=[function_name])
    forget_results()
    explorer = getattr(module, function_name)()   # an explorer on the core (widgets.explorer)
    wall, cpu = [], []
    for control in data.scenarios(model.scenario_file).controls:
        for value in sweep(control, steps):
            w, c = _timed(lambda: setattr(explorer.sliders[control.name], "value", value))
            wall.append(w)
            cpu.append(c)
            if explorer.message.text:
                raise RuntimeError(f"{model.scenario_file}: {explorer.message.text}")
        explorer.reset()
    return _stats(wall, cpu)


def measure(steps: int = 20) -> list[dict]:
    results = []
    for model in MODELS:
        results.append({"model": model.name, "explorer": model.scenario_file,
                        "compute": time_model(model, steps),
                        "kernel_update": time_kernel_update(model, steps)})
    return results
