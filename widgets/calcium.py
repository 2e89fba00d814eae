"""Notebook 02: calcium handling in one muscle fibre.

    explore_calcium()                        # sliders, scenarios, three stacked time courses
    explore_calcium(scenario="contracture")
    force_frequency_plot()                   # peak force against stimulation frequency
    relaxation_vs_serca_plot()               # relaxation half-time against SERCA capacity

Every number comes from physiology.calcium (the model); this module only draws it. Figures are
built once and then updated in place.
"""
from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from physiology import calcium
from physiology.calcium import FibreResult
from widgets.explorer import ModelExplorer
from widgets.figures import FigurePanel, axis_top
from widgets.safety import guarded
from widgets.theme import PALETTE, new_figure

PLOT_EVERY = 4          # every 4th point of the 0.25 ms grid: 1 ms, about 2 points per screen pixel
                        # (2 s across ~900 px); 0.5 ms took twice the data and drawing per move
AP_TICK_Y = -7.0        # where the action-potential ticks sit, just below zero force
LOG_RANGE_UM = (0.02, 300.0)
COLOURS = {
    "cytosol": PALETTE["blue"],
    "sr": PALETTE["bluish_green"],
    "force": PALETTE["vermillion"],
    "rested": PALETTE["grey"],
    "aps": PALETTE["orange"],
    "rest_level": PALETTE["grey"],
}


# --- the explorer ------------------------------------------------------------------------------

def _time_course_figure():
    """Three panels sharing the time axis; returns the figure and a name -> trace index map."""
    p = calcium.parameters()
    fig = new_figure("Inside one fibre: calcium and force", height=820,
                     margin=dict(l=80, r=20, t=70, b=150),
                     legend=dict(orientation="h", yanchor="top", y=-0.09, xanchor="left", x=0))
    fig.set_subplots(rows=3, cols=1, shared_xaxes=True, row_heights=[0.38, 0.24, 0.38],
                     vertical_spacing=0.08,
                     subplot_titles=("Free Ca2+ in the cytosol (binds troponin)",
                                     "Free Ca2+ inside the SR (the store)",
                                     "Force, and the action potentials reaching the fibre"))
    time_s = _plot_times()
    window_s = p.window / 1000.0
    traces = (
        ("rest_level", dict(x=[0.0, window_s], y=[p.resting_ca, p.resting_ca], mode="lines",
                            name=f"resting level ({1000 * p.resting_ca:.0f} nM)",
                            line=dict(color=COLOURS["rest_level"], width=1, dash="dot"),
                            hoverinfo="skip"), 1),
        ("cytosol", dict(x=time_s, mode="lines", name="cytosolic free Ca2+ (µM)",
                         line=dict(color=COLOURS["cytosol"], width=2),
                         hovertemplate="%{x:.3f} s: %{y:.3g} µM<extra>cytosol</extra>"), 1),
        ("sr", dict(x=time_s, mode="lines", name="SR free Ca2+ (µM)",
                    line=dict(color=COLOURS["sr"], width=2),
                    hovertemplate="%{x:.3f} s: %{y:.0f} µM<extra>SR</extra>"), 2),
        ("rested", dict(x=time_s, mode="lines", name="force of a rested fibre, same stimulation",
                        line=dict(color=COLOURS["rested"], width=2, dash="dash"),
                        hovertemplate="%{x:.3f} s: %{y:.0f} %<extra>rested fibre</extra>"), 3),
        ("force", dict(x=time_s, mode="lines", name="force (% of maximum)",
                       line=dict(color=COLOURS["force"], width=3),
                       hovertemplate="%{x:.3f} s: %{y:.0f} %<extra>force</extra>"), 3),
        ("aps", dict(x=[], y=[], mode="markers", name="action potentials (what EMG would show)",
                     marker=dict(symbol="line-ns-open", size=11, color=COLOURS["aps"],
                                 line=dict(width=2)),
                     hovertemplate="action potential at %{x:.3f} s<extra></extra>"), 3),
    )
    index = {}
    for key, trace, row in traces:
        fig.add_scatter(**trace, row=row, col=1)
        index[key] = len(fig.data) - 1
    fig.update_yaxes(title_text="Free Ca2+ (µM)", row=1, col=1)
    fig.update_yaxes(title_text="SR Ca2+ (µM)", row=2, col=1)
    fig.update_yaxes(title_text="Force (% of max)", range=[AP_TICK_Y - 6, 105], row=3, col=1)
    fig.update_xaxes(range=[0, window_s], row=3, col=1, title_text="Time (s)")
    fig.update_annotations(font_size=14)
    return fig, index


def _plot_times() -> np.ndarray:
    """The time axis the explorer draws (s): the model's grid, every PLOT_EVERY-th point."""
    return calcium.time_grid_ms()[::PLOT_EVERY] / 1000.0


class CalciumExplorer(ModelExplorer):
    """The calcium explorer: sliders, scenarios, Reset, summary, log-axis switch, three panels."""

    def __init__(self, scenario: str | None = None):
        self.figure, self._index = _time_course_figure()
        self.result: FibreResult | None = None
        self.log_scale = ipw.Checkbox(
            value=False, indent=False,
            description=("Logarithmic axis for cytosolic Ca2+ (shows the "
                         f"{1000 * calcium.parameters().resting_ca:.0f} nM resting level)"),
            layout=ipw.Layout(width="auto"))
        super().__init__("calcium", figures=[self.figure], update=self._update,
                         scenario=scenario, extra_controls=[self.log_scale], css_class="kcl-calcium")
        self.log_scale.observe(guarded(self.message)(self._on_log_scale), names="value")

    # what a notebook or a test reads and calls
    @property
    def message_text(self) -> str:
        return self.message.text

    def trace(self, key: str):
        """One of the figure's traces by name: rest_level, cytosol, sr, rested, force, aps."""
        return self.figure.data[self._index[key]]

    # internals
    def _update(self, values: dict[str, float]) -> str:
        fig = self.figure
        result = calcium.simulate(**values)
        rested = calcium.rested_counterpart(result)
        cytosol, sr = result.cytosolic_ca_um[::PLOT_EVERY], result.sr_free_ca_um[::PLOT_EVERY]
        fig.data[self._index["cytosol"]].y = cytosol
        fig.data[self._index["sr"]].y = sr
        # ranges in steps (axis_top): most moves keep both, and plotly redraws only the traces
        if not self.log_scale.value:
            fig.layout.yaxis.range = [0, axis_top(cytosol.max())]
        fig.layout.yaxis2.range = [0, axis_top(sr.max())]
        fig.data[self._index["force"]].y = result.force_pct[::PLOT_EVERY]
        fig.data[self._index["rested"]].y = rested.force_pct[::PLOT_EVERY]
        aps_s = result.ap_times_ms / 1000.0
        fig.data[self._index["aps"]].x = aps_s
        fig.data[self._index["aps"]].y = np.full(len(aps_s), AP_TICK_Y)
        self.result = result
        return calcium.summarise(result)

    def _on_log_scale(self, change) -> None:
        with self.figure.batch_update():
            if change["new"]:
                low, high = LOG_RANGE_UM
                self.figure.update_yaxes(type="log", range=[np.log10(low), np.log10(high)],
                                         row=1, col=1)
            else:
                top = axis_top(max(self.trace("cytosol").y))
                self.figure.update_yaxes(type="linear", range=[0, top], row=1, col=1)


def explore_calcium(scenario: str | None = None) -> CalciumExplorer:
    """The calcium explorer, optionally opened on a named scenario from data/scenarios/calcium.yaml."""
    return CalciumExplorer(scenario=scenario)


# --- two summary plots -----------------------------------------------------------------------------

def force_frequency_plot() -> FigurePanel:
    """Peak force of 0.5 s trains against their frequency (1 Hz over 0.5 s is one twitch)."""
    curve = calcium.force_frequency()
    fig = new_figure("Force rises with stimulation frequency (0.5 s trains)",
                     x_title="Stimulation frequency (Hz)", y_title="Peak force (% of maximum)",
                     height=420, showlegend=False)
    fig.add_scatter(x=curve.frequencies_hz, y=curve.peak_force_pct, mode="lines+markers",
                    line=dict(color=COLOURS["force"], width=3), marker=dict(size=9),
                    hovertemplate="%{x:.0f} Hz: %{y:.0f} % of maximum<extra></extra>")
    fig.update_yaxes(range=[0, 105])
    fig.add_annotation(x=curve.frequencies_hz[0], y=curve.peak_force_pct[0], text="one twitch",
                       ax=40, ay=30)
    text = calcium.summarise_force_frequency(curve)
    return FigurePanel(fig, lead="In short", text=text)


def relaxation_vs_serca_plot(atp_levels_pct: tuple[float, ...] = (100.0, 40.0)) -> FigurePanel:
    """Relaxation half-time after a 0.5 s, 50 Hz tetanus against SERCA capacity, per ATP level."""
    fig = new_figure("Fewer working pumps, slower relaxation (after 0.5 s at 50 Hz)",
                     x_title="SERCA capacity (% of normal)",
                     y_title="Relaxation half-time (ms)", height=440)
    colours = [PALETTE["blue"], PALETTE["vermillion"], PALETTE["bluish_green"], PALETTE["orange"]]
    curves = {}
    for atp, colour in zip(atp_levels_pct, colours):
        curve = calcium.relaxation_vs_serca(atp_pct=atp)
        curves[atp] = curve
        fig.add_scatter(x=curve.serca_pct, y=curve.half_time_ms, mode="lines+markers",
                        name=f"ATP availability {atp:.0f}% of normal",
                        line=dict(color=colour, width=3), marker=dict(size=9),
                        hovertemplate="SERCA %{x:.0f} %: %{y:.0f} ms<extra></extra>")
    fig.update_xaxes(autorange="reversed")   # read left to right as the pumps fail
    text = calcium.summarise_relaxation(curves)
    return FigurePanel(fig, lead="In short", text=text)
