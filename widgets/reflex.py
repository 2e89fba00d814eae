"""Notebook 04: fatigue, reflexes and stretching.

    explore_reflex()                                  # sliders, firing plot, "Stretch now", loop
    explore_reflex(scenario="fatigued_late_in_race")
    reflex_loop_diagram()                             # the reflex loop on its own, one scenario
    evidence_figure()                                 # both hypotheses side by side
    evidence_table()                                  # the same studies as a table, with reasons

Every number comes from physiology.reflex (the model) and physiology.evidence_studies (the
studies); this module only draws them. Figures are built once and then updated in place.
"""
from __future__ import annotations

import html
from typing import Callable

import ipywidgets as ipw
import numpy as np

from physiology import data, reflex
from physiology.evidence_studies import DIRECTIONS, evidence
from physiology.evidence_studies import summarise as summarise_evidence
from physiology.reflex import ReflexRun, ReflexSettings
from widgets.citations import short_citation
from widgets.content import evidence_badge
from widgets.controls import Slider
from widgets.explorer import ModelExplorer
from widgets.figures import FigurePanel
from widgets.safety import Message, guarded
from widgets.theme import INK, PALETTE, ROLE_COLOURS, css, new_figure, translucent

PLOT_EVERY = 2  # plot every 2nd model step (10 ms): smooth enough, half the data to send
DEFAULT_MOMENT_S = 4.5  # after the effort, before any stretch: is the pool still firing?
STRETCH_NOW_PCT = data.scenarios("reflex").scenario("stretch_relieves_it").values[
    "stretch_intensity_pct"]
CRAMP_LOW_PPS, CRAMP_HIGH_PPS = reflex.CRAMP_DISCHARGE_PPS

# one colour (and, in the diagram, one line end) per kind of signal, the same in every figure
SIGNAL_COLOURS = {
    "drive": PALETTE["black"],
    "spindle": PALETTE["bluish_green"],
    "tendon": PALETTE["vermillion"],
    "pic": PALETTE["orange"],
    "firing": PALETTE["blue"],
    "force": PALETTE["reddish_purple"],
}
DIRECTION_STYLE = {  # colour and fill pattern, so the direction does not rest on colour alone
    "supports": (PALETTE["bluish_green"], ""),
    "mixed": (PALETTE["orange"], "/"),
    "against": (PALETTE["vermillion"], "x"),
}


# --- the firing figure -----------------------------------------------------------------------

# (trace key, legend name, subplot row)
_TIME_TRACES = (
    ("firing", "motor-neuron firing (Hz)", 1),
    ("force", "muscle force (% of maximum)", 2),
    ("drive", "voluntary drive (excites)", 3),
    ("spindle", "spindle Ia (excites)", 3),
    ("tendon", "tendon organ Ib (inhibits, drawn below 0)", 3),
    ("pic", "persistent inward current (excites)", 3),
)


def _firing_figure():
    """Three stacked panels sharing the time axis; returns the figure and trace indexes."""
    fig = new_figure("A voluntary effort, then what the motor neurons do on their own",
                     height=780, margin=dict(l=80, r=20, t=70, b=150),
                     legend=dict(orientation="h", yanchor="top", y=-0.09, x=0))
    fig.set_subplots(rows=3, cols=1, shared_xaxes=True, row_heights=[0.45, 0.2, 0.35],
                     vertical_spacing=0.08,
                     subplot_titles=("Firing rate of the motor-neuron pool", "Muscle force",
                                     "Inputs to the motor neurons"))
    time_s = _plot_times()
    fig.add_scatter(x=[0, reflex.RUN_DURATION_S, reflex.RUN_DURATION_S, 0],
                    y=[CRAMP_LOW_PPS, CRAMP_LOW_PPS, CRAMP_HIGH_PPS, CRAMP_HIGH_PPS], fill="toself",
                    mode="lines",
                    fillcolor=ROLE_COLOURS["reference_band"], line=dict(width=0), hoverinfo="skip",
                    name=f"motor-unit discharge in cramps ({CRAMP_LOW_PPS:g}-{CRAMP_HIGH_PPS:g} pps)",
                    row=1, col=1)
    index = {}
    for key, name, row in _TIME_TRACES:
        dash = "dot" if key == "drive" else None
        fig.add_scatter(x=time_s, y=np.zeros_like(time_s), mode="lines", name=name,
                        line=dict(color=SIGNAL_COLOURS[key], width=3 if key == "firing" else 2,
                                  dash=dash),
                        hovertemplate=f"%{{x:.2f}} s: %{{y:.2f}}<extra>{html.escape(name)}</extra>",
                        row=row, col=1)
        index[key] = len(fig.data) - 1
    fig.update_yaxes(title_text="Firing (Hz)", range=[0, 62], row=1, col=1)
    fig.update_yaxes(title_text="Force (% max)", range=[0, 105], row=2, col=1)
    fig.update_yaxes(title_text="Input (× rheobase)", range=[-3.2, 3.2], row=3, col=1)
    fig.update_xaxes(range=[0, reflex.RUN_DURATION_S], row=3, col=1, title_text="Time (s)")
    fig.update_annotations(font_size=14)
    return fig, index


def _plot_times() -> np.ndarray:
    n = int(round(reflex.RUN_DURATION_S / reflex.PARAMETERS.time_step_s)) + 1
    return (np.arange(n) * reflex.PARAMETERS.time_step_s)[::PLOT_EVERY]


def _draw_run(fig, index: dict[str, int], run: ReflexRun, moment_s: float) -> None:
    """Put one run's time courses into the existing traces (call inside batch_update)."""
    series = {"firing": run.firing_hz, "force": 100 * run.force, "drive": run.drive,
              "spindle": run.spindle, "tendon": -run.tendon, "pic": run.pic}
    for key, values in series.items():
        fig.data[index[key]].y = values[::PLOT_EVERY]
    fig.layout.shapes = _period_shapes(run) + [_moment_line(moment_s)]


def _period_shapes(run: ReflexRun) -> list[dict]:
    """Shaded background for the effort and the stretch, across all three panels."""
    shapes = [dict(type="rect", xref="x", yref="paper", x0=start, x1=start + duration, y0=0,
                   y1=1, fillcolor=translucent(PALETTE["grey"], 0.18), line_width=0, layer="below",
                   label=dict(text="effort", textposition="top center", font=dict(size=12)))
              for start, duration, amplitude in run.protocol.drive_pulses if amplitude > 0]
    if run.protocol.stretch_start_s is not None:
        shapes.append(dict(type="rect", xref="x", yref="paper", x0=run.protocol.stretch_start_s,
                           x1=run.protocol.duration_s, y0=0, y1=1,
                           fillcolor=translucent(PALETTE["sky_blue"], 0.15), line_width=0, layer="below",
                           label=dict(text=f"stretch {100 * run.protocol.stretch_intensity:.0f} %",
                                      textposition="top center", font=dict(size=12))))
    return shapes


def _moment_line(moment_s: float) -> dict:
    """The dashed line marking the moment drawn in the loop diagram."""
    return dict(type="line", xref="x", yref="paper", x0=moment_s, x1=moment_s, y0=0, y1=1,
                line=dict(color=PALETTE["black"], width=1.5, dash="dash"))


def summary_line(run: ReflexRun, threshold_pct: float | None) -> str:
    """One sentence: what the firing did after the effort, the stretch, and the threshold."""
    s = run.settings
    text = f"Fatigue {s.fatigue_pct:g} %, PIC {s.pic_strength_pct:g} %: "
    if run.cramp:
        text += (f"after the effort the motor neurons kept firing on their own at "
                 f"{run.post_drive_rate_hz:.0f} Hz - a cramp")
        if s.stretch_intensity_pct == 0:
            text += ' (press "Stretch now")'
        elif run.time_to_relief_s is not None:
            text += (f"; the {s.stretch_intensity_pct:g} % stretch stopped it "
                     f"{run.time_to_relief_s:.1f} s after it began")
        else:
            text += f"; the {s.stretch_intensity_pct:g} % stretch was too gentle to stop it"
    elif run.stops_after_s is not None:
        text += (f"firing peaked at {run.peak_rate_hz:.0f} Hz and stopped "
                 f"{run.stops_after_s:.2f} s after the effort ended - no cramp")
    else:
        text += (f"after the effort the firing went on at only {run.post_drive_rate_hz:.0f} Hz, "
                 f"below the {CRAMP_LOW_PPS:g} pps of the slowest cramp discharge")
    if threshold_pct is None:
        text += ". At this PIC strength no level of fatigue makes this effort cramp."
    else:
        text += f". This effort cramps from {threshold_pct:.0f} % fatigue upwards."
    return text


# --- the reflex loop diagram -------------------------------------------------------------------

_NODES = {  # id: (x, y, label)
    "brain": (0.5, 1.0, "Brain<br>(voluntary drive)"),
    "pool": (0.5, 0.55, "Alpha motor neurons<br>(spinal cord)"),
    "muscle": (0.5, 0.0, "Muscle<br>(calf, hamstrings)"),
    "spindle": (0.06, 0.27, "Muscle spindle<br>(group Ia)"),
    "tendon": (0.94, 0.27, "Golgi tendon organ<br>(group Ib)"),
}
# id: (from, to, signal key, excitatory?, label offset in px: left of the line < 0 < right)
_EDGES = (
    ("drive", "brain", "pool", "drive", True, -50),
    ("spindle", "spindle", "pool", "spindle", True, -48),
    ("tendon", "tendon", "pool", "tendon", False, 48),
    ("firing", "pool", "muscle", "firing", True, 40),
    ("length", "muscle", "spindle", "spindle", True, -48),
    ("tension", "muscle", "tendon", "force", True, 48),
)
_FULL_SCALE = {"drive": 2.0, "spindle": 1.5, "tendon": 3.0, "firing": 60.0, "force": 1.0}


def _shorten_segment(a: tuple[float, float], b: tuple[float, float], gap: float = 0.09):
    """The line from a to b, pulled back at both ends so it does not hide the node labels."""
    (x0, y0), (x1, y1) = a, b
    length = float(np.hypot(x1 - x0, y1 - y0))
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    return [x0 + gap * ux, x1 - gap * ux], [y0 + gap * uy, y1 - gap * uy]


def _loop_figure():
    fig = new_figure("The reflex loop", height=500, margin=dict(l=20, r=20, t=50, b=20),
                     showlegend=False)
    edge_index, label_index = {}, {}
    for edge_id, start, end, key, excitatory, label_shift in _EDGES:
        xs, ys = _shorten_segment(_NODES[start][:2], _NODES[end][:2])
        fig.add_scatter(x=xs, y=ys, mode="lines+markers", hoverinfo="text",
                        line=dict(color=SIGNAL_COLOURS[key], width=2),
                        marker=dict(symbol=["circle", "arrow" if excitatory else "circle"],
                                    size=[0, 16], angleref="previous",
                                    color=SIGNAL_COLOURS[key]))
        edge_index[edge_id] = len(fig.data) - 1
        fig.add_annotation(x=sum(xs) / 2, y=sum(ys) / 2, text="", showarrow=False,
                           bgcolor=translucent(INK["white"], 0.85), font=dict(size=13), xshift=label_shift)
        label_index[edge_id] = len(fig.layout.annotations) - 1
    fig.add_scatter(x=[_NODES["pool"][0]], y=[_NODES["pool"][1]], mode="markers", hoverinfo="text",
                    marker=dict(size=70, color=SIGNAL_COLOURS["pic"], opacity=0.0))
    pic_halo = len(fig.data) - 1
    fig.add_scatter(x=[n[0] for n in _NODES.values()], y=[n[1] for n in _NODES.values()],
                    mode="markers+text", text=[n[2] for n in _NODES.values()],
                    textposition=["top center", "top right", "bottom center", "bottom center",
                                  "bottom center"],
                    marker=dict(size=26, color="white", line=dict(color=PALETTE["black"], width=2)),
                    hoverinfo="skip", textfont=dict(size=13))
    fig.add_annotation(x=0.5, y=-0.3, showarrow=False, font=dict(size=12),
                       text="arrow = excites · dot = inhibits · line width = signal strength · "
                            "orange halo = persistent inward current on")
    fig.update_xaxes(visible=False, range=[-0.12, 1.12])
    fig.update_yaxes(visible=False, range=[-0.36, 1.25])
    return fig, edge_index, label_index, pic_halo


def _signals_at(run: ReflexRun, moment_s: float) -> dict[str, float]:
    i = run.index_at(moment_s)
    return {"drive": float(run.drive[i]), "spindle": float(run.spindle[i]),
            "tendon": float(run.tendon[i]), "pic": float(run.pic[i]),
            "firing": float(run.firing_hz[i]), "force": float(run.force[i])}


def _edge_label(edge_id: str, signals: dict[str, float]) -> str:
    return {
        "drive": f"drive +{signals['drive']:.1f}",
        "spindle": f"Ia +{signals['spindle']:.2f}",
        "tendon": f"Ib −{signals['tendon']:.2f}",
        "firing": f"{signals['firing']:.0f} Hz",
        "length": "length, fatigue",
        "tension": f"tension {100 * signals['force']:.0f} %",
    }[edge_id]


def loop_summary(moment_s: float, signals: dict[str, float], pic_max: float) -> str:
    """The diagram in words (for screen readers and the back row)."""
    pic_state = "on" if pic_max > 0 and signals["pic"] > 0.5 * pic_max else "off"
    drive = (f"voluntary drive +{signals['drive']:.1f}" if signals["drive"] > 0
             else "no voluntary drive")
    return (f"At {moment_s:.1f} s: {drive}, spindles +{signals['spindle']:.2f}, tendon organs "
            f"−{signals['tendon']:.2f}, persistent inward current +{signals['pic']:.2f} ({pic_state}) "
            f"(all × rheobase); the motor neurons fire at {signals['firing']:.0f} Hz and the "
            f"muscle pulls at {100 * signals['force']:.0f} % of its maximum.")


class LoopDiagram:
    """The reflex loop drawn as a figure whose lines follow one model run at a chosen moment."""

    def __init__(self, run: ReflexRun | None = None, moment_s: float = DEFAULT_MOMENT_S,
                 message: Message | None = None):
        self.figure, self._edges, self._labels, self._pic_halo = _loop_figure()
        self.message = message or Message()
        self.moment = Slider(label="Moment shown in the loop diagram", unit="s", min=0.0,
                             max=reflex.RUN_DURATION_S, step=0.1, value=moment_s)
        self.panel = FigurePanel(self.figure, lead="Loop", before=[self.moment, self.message])
        self.figures = self.panel.figures
        self.widget = self.panel.widget
        self.widget.add_class("kcl-reflex-loop")
        self.run = run
        self.moment_listeners: list[Callable[[float], None]] = []
        self.moment.observe(guarded(self.message)(self._on_moment), names="value")
        if run is not None:
            self.show(run)

    @property
    def summary_text(self) -> str:
        return self.panel.summary_text

    def show(self, run: ReflexRun) -> None:
        """Draw the loop for this run at the current moment."""
        self.run = run
        moment_s = self.moment.value
        signals = _signals_at(run, moment_s)
        pic_max = reflex.PARAMETERS.pic_max_rheobase * run.settings.pic_strength_pct / 100
        with self.figure.batch_update():
            for edge_id, _start, _end, key, _excitatory, _shift in _EDGES:
                strength = min(1.0, abs(signals[key]) / _FULL_SCALE[key])
                trace = self.figure.data[self._edges[edge_id]]
                trace.line.width = 1 + 11 * strength
                trace.hovertext = _edge_label(edge_id, signals)
                self.figure.layout.annotations[self._labels[edge_id]].text = _edge_label(edge_id, signals)
            halo = self.figure.data[self._pic_halo]
            halo.marker.opacity = 0.0 if pic_max == 0 else 0.6 * min(1.0, signals["pic"] / pic_max)
            halo.hovertext = f"persistent inward current +{signals['pic']:.2f} × rheobase"
            self.figure.layout.title.text = f"The reflex loop at {moment_s:.1f} s"
        self.panel.show(loop_summary(moment_s, signals, pic_max))

    def _on_moment(self, change) -> None:
        if self.run is not None:
            self.show(self.run)
        for listener in self.moment_listeners:
            listener(change["new"])

    def _repr_mimebundle_(self, **kwargs):
        return self.panel._repr_mimebundle_(**kwargs)


def reflex_loop_diagram(scenario: str = "fatigued_late_in_race",
                        moment_s: float = DEFAULT_MOMENT_S) -> LoopDiagram:
    """The reflex loop for one named scenario of data/scenarios/reflex.yaml."""
    return LoopDiagram(reflex.simulate(reflex.scenario_settings(scenario)), moment_s=moment_s)


# --- the explorer -------------------------------------------------------------------------------

class ReflexExplorer(ModelExplorer):
    """Sliders and scenarios, the "Stretch now" button, the firing figure and the loop diagram."""

    def __init__(self, scenario: str | None = None, start_values: dict | None = None):
        self.figure, self._index = _firing_figure()
        self.stretch_button = ipw.Button(
            description="Stretch now", icon="arrows-h", layout=ipw.Layout(width="auto"),
            tooltip=f"Switch a gentle {STRETCH_NOW_PCT:g} % stretch on or off")
        stretch_note = ipw.HTML(
            f"<small>The stretch starts at {reflex.STRETCH_START_S:g} s on the time axis and is "
            f"eased in over {reflex.PARAMETERS.stretch_ramp_s:g} s.</small>")
        self.loop = LoopDiagram()
        self.run: ReflexRun | None = None
        self.threshold_pct: float | None = None
        super().__init__(
            "reflex", figures=[self.figure], update=self._update, scenario=scenario,
            extra_controls=[ipw.HBox([self.stretch_button, stretch_note],
                                     layout=ipw.Layout(gap="1em", align_items="center"))],
            after=[self.loop], start_values=start_values, css_class="kcl-reflex")
        self.stretch_button.on_click(guarded(self.message)(self._toggle_stretch))
        self.loop.moment_listeners.append(guarded(self.message)(self._move_moment_line))

    # what a notebook or a test reads and calls
    def stretch_now(self) -> None:
        """What pressing the button does: switch the gentle stretch on (or off again)."""
        self.stretch_button.click()

    def _toggle_stretch(self, _button=None) -> None:
        stretching = self.values["stretch_intensity_pct"] > 0
        self.set_values(stretch_intensity_pct=0 if stretching else STRETCH_NOW_PCT)

    def _move_moment_line(self, moment_s: float) -> None:
        if self.run is None:
            return
        with self.figure.batch_update():
            self.figure.layout.shapes = _period_shapes(self.run) + [_moment_line(moment_s)]

    # called by the explorer core inside figure.batch_update()
    def _update(self, values: dict) -> str:
        settings = ReflexSettings(**values)
        self.run = reflex.simulate(settings)
        self.threshold_pct = reflex.fatigue_threshold_pct(settings)
        _draw_run(self.figure, self._index, self.run, self.loop.moment.value)
        stretching = settings.stretch_intensity_pct > 0
        self.stretch_button.description = "Release the stretch" if stretching else "Stretch now"
        self.stretch_button.button_style = "info" if stretching else ""
        return summary_line(self.run, self.threshold_pct)

    def _refresh(self) -> None:
        # The firing figure goes to the browser first, the loop diagram after it: the browser
        # draws them in the order they arrive, and the firing plot is what a move is about.
        super()._refresh()
        self.loop.show(self.run)


def explore_reflex(scenario: str | None = None) -> ReflexExplorer:
    """The reflex explorer; `scenario` is an id from data/scenarios/reflex.yaml."""
    return ReflexExplorer(scenario=scenario)


# --- the evidence ---------------------------------------------------------------------------------

def _wrapped(label: str) -> str:
    return label.replace(" (", "<br>(")


def evidence_figure() -> FigurePanel:
    """Both hypotheses side by side: each study's sample size, direction and evidence level,
    with the tally in words above it."""
    return FigurePanel(_evidence_plot(), lead="In short", text=summarise_evidence(evidence()))


def _evidence_plot():
    file = evidence()
    fig = new_figure("The key studies behind the two explanations", height=660,
                     margin=dict(l=210, r=30, t=90, b=140), barmode="overlay",
                     legend=dict(orientation="h", yanchor="top", y=-0.16, x=0,
                                 title_text="The study's result "))
    fig.set_subplots(rows=1, cols=2, horizontal_spacing=0.36,
                     subplot_titles=[h.label for h in file.hypotheses])
    shown = set()
    most = max(len(file.studies_on(h.id)) for h in file.hypotheses)
    for col, hypothesis in enumerate(file.hypotheses, start=1):
        studies = file.studies_on(hypothesis.id)
        thickness = 0.7 * len(studies) / most  # the same bar thickness in both panels
        for direction in DIRECTIONS:
            group = [s for s in studies if s.bearing_on(hypothesis.id).direction == direction]
            if not group:
                continue
            colour, pattern = DIRECTION_STYLE[direction]
            fig.add_bar(
                x=[s.n for s in group], y=[_wrapped(s.label) for s in group], orientation="h",
                name=direction, legendgroup=direction, showlegend=direction not in shown,
                marker=dict(color=colour, pattern=dict(shape=pattern, fgcolor="white")),
                width=thickness,
                text=[f"n={s.n:,} · {s.evidence_level}" for s in group],
                textposition="outside", cliponaxis=False,
                hovertext=[_study_hover(s, hypothesis.id) for s in group], hoverinfo="text",
                row=1, col=col)
            shown.add(direction)
        fig.update_xaxes(type="log", range=[0.7, 4.9], title_text="Sample size (log scale)",
                         row=1, col=col)
        fig.update_yaxes(autorange="reversed", row=1, col=col, tickfont=dict(size=12))
    fig.update_annotations(font_size=15)
    return fig


def _study_hover(study, hypothesis_id: str) -> str:
    bearing = study.bearing_on(hypothesis_id)
    return (f"<b>{html.escape(study.label)}</b><br>{html.escape(study.design)}; "
            f"{html.escape(study.n_note)}<br>{html.escape(bearing.direction)}: "
            f"{html.escape(bearing.because)}<br>{study.evidence_level} evidence")


def evidence_table() -> ipw.HTML:
    """Every study as a table row per hypothesis: the text version of the figure."""
    file = evidence()
    sections = []
    for hypothesis in file.hypotheses:
        tally = file.tally(hypothesis.id)
        rows = "".join(_study_row(s, hypothesis.id) for s in file.studies_on(hypothesis.id))
        sections.append(
            f"<h3>{html.escape(hypothesis.label)}</h3><p>{html.escape(hypothesis.claim)}</p>"
            f"<table class='kcl-evidence-table'><caption>{tally['supports']} supporting, "
            f"{tally['mixed']} mixed, {tally['against']} against</caption><thead><tr>"
            "<th scope='col'>Study</th><th scope='col'>Design and size</th>"
            "<th scope='col'>Result</th><th scope='col'>Evidence</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")
    style = css("<style>.kcl-evidence-table{border-collapse:collapse;margin:0.3em 0 1em;}"
             ".kcl-evidence-table caption{text-align:left;font-style:italic;}"
             ".kcl-evidence-table th,.kcl-evidence-table td{border-bottom:1px solid $rule;"
             "padding:0.3em 0.6em;text-align:left;vertical-align:top;}</style>")
    return ipw.HTML(style + '<div class="kcl-evidence">' + "".join(sections) + "</div>")


def _study_row(study, hypothesis_id: str) -> str:
    bearing = study.bearing_on(hypothesis_id)
    colour, _pattern = DIRECTION_STYLE[bearing.direction]
    sources = "; ".join(html.escape(short_citation(r)) for r in study.refs)
    return (f"<tr><th scope='row'>{html.escape(study.label)}<br><small>{sources}</small></th>"
            f"<td>{html.escape(study.design)}; n = {study.n:,} ({html.escape(study.n_note)})</td>"
            f"<td><strong style='border-left:6px solid {colour}; padding-left:0.3em;'>"
            f"{bearing.direction}</strong>: "
            f"{html.escape(bearing.because)}. <small>{html.escape(study.finding)}</small></td>"
            f"<td>{evidence_badge(study.evidence_level)}</td></tr>")


# --- key numbers of named scenarios, as a table -----------------------------------------------

def _seconds(value: float | None, missing: str) -> str:
    return missing if value is None else f"{value:.2f} s"


def scenario_numbers_table(scenario_ids: tuple[str, ...]) -> str:
    """physiology.reflex.summary_numbers of each scenario as a text table a student can read:
    units in the headings, words where the model has no number ("did not stop")."""
    spec = data.scenarios("reflex")
    rows = [("Scenario", "Peak firing", "Firing after the effort", "Cramp?", "Firing stops after",
             "Stretch relieves it after", "Lowest fatigue that cramps")]
    for scenario_id in scenario_ids:
        n = reflex.summary_numbers(reflex.scenario_settings(scenario_id))
        threshold = n["fatigue_threshold_pct"]
        rows.append((
            spec.scenario(scenario_id).label,
            f"{n['peak_rate_hz']:.1f} Hz",
            f"{n['post_drive_rate_hz']:.1f} Hz",
            "yes" if n["cramp"] else "no",
            _seconds(n["stops_after_s"], "did not stop"),
            _seconds(n["time_to_relief_s"], "no stretch, or no relief"),
            "none up to 100 %" if threshold is None else f"{threshold:.0f} %",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
