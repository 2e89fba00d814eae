"""Notebook 09: the cramp lab.

    run_the_experiment()                  # a virtual participant, Run, trains climb, threshold
    cramp_timeline(scenario="late_in_race")  # a cramp from start to finish (data/scenarios)
    papers_table()                        # the model against the papers, computed now
    interventions_table()                 # what else is tried, with the strength of evidence

Every number comes from physiology.motor_pool; this module only draws it. Figures are built
once and updated in place inside batch_update.
"""
from __future__ import annotations

import html
import time

import ipywidgets as ipw
import numpy as np

from physiology import motor_pool as mp
from widgets.citations import sources_html
from widgets.content import evidence_badge
from widgets.controls import Slider
from widgets.explorer import Explorer, ModelExplorer, Preset
from widgets.figures import axis_top
from widgets.safety import guarded
from widgets.theme import PALETTE, css, new_figure, translucent

# Published thresholds shown beside the model's (Miller & Knight 2009)
PUBLISHED_HZ = {1.0: (14.9, 1.3), 0.0: (25.5, 1.6)}
DRINKS = {"nothing": (0.0, 0.0), "plain water, 1.4 L": (1.4, 0.0),
          "oral rehydration solution, 1.4 L": (1.4, 130.0)}
POSITIONS = {"shortened (toes pointed)": -10.0, "neutral": 0.0, "stretched": 10.0}
EXPERIMENT_PRESETS = (
    Preset("cramp_prone", "A cramp-prone young adult",
           "Someone who often cramps; the laboratory protocol with the muscle shortened.",
           {"cramp_prone": "cramp-prone"}, ("miller2009",)),
    Preset("not_prone", "A young adult who rarely cramps",
           "The comparison group of Miller and Knight 2009.",
           {"cramp_prone": "not cramp-prone"}, ("miller2009",)),
    Preset("water_after_sweating", "After sweating, plain water only",
           "2 % of body mass lost in sweat, then 1.4 L of plain water (Lau 2019's design).",
           {"cramp_prone": "not cramp-prone", "body_mass_loss_pct": 2.0,
            "drink": "plain water, 1.4 L"}, ("lau2019",)),
    Preset("neutral_position", "The same person, muscle neutral",
           "The cramp-prone participant with the muscle at its neutral length.",
           {"cramp_prone": "cramp-prone", "position": "neutral"}, ("bertolasi1993",)),
)


def _experiment_controls() -> dict:
    specs = mp.control_specs()

    def slider(name):
        c = specs[name]
        return Slider(label=c.label, unit=c.unit, min=c.min, max=c.max, step=c.step, value=c.default)

    def choice(label, options, value):
        return ipw.Dropdown(options=list(options), value=value, description=label,
                            style={"description_width": "initial"}, layout=ipw.Layout(width="auto"))

    return {
        "cramp_prone": choice("Participant", ["cramp-prone", "not cramp-prone"], "cramp-prone"),
        "fatigue_pct": slider("fatigue_pct"),
        "age_years": slider("age_years"),
        "body_mass_loss_pct": slider("body_mass_loss_pct"),
        "drink": choice("Then drank", DRINKS, "nothing"),
        "monoamine_pct": slider("monoamine_pct"),
        "pain_pct": slider("pain_pct"),
        "position": choice("Muscle position", POSITIONS, "shortened (toes pointed)"),
    }


def participant_values(values: dict) -> dict:
    """The experiment panel's controls as physiology.motor_pool controls."""
    volume, sodium = DRINKS[values["drink"]]
    out = {k: v for k, v in values.items() if k not in ("cramp_prone", "drink", "position")}
    out.update(cramp_prone=1.0 if values["cramp_prone"] == "cramp-prone" else 0.0,
               drink_volume_l=volume, drink_sodium_mm=sodium,
               muscle_length_pct=POSITIONS[values["position"]])
    return out


def _check_participant(values: dict) -> dict:
    """The shared limits check on the participant's numbers; the choices must be known."""
    for name, options in (("drink", DRINKS), ("position", POSITIONS)):
        if values[name] not in options:
            raise ValueError(f"{name.capitalize()} must be one of: {', '.join(options)}")
    mp.checked(participant_values(values))
    return values


def _experiment_figures():
    traces = new_figure("The stimulation train now running, and what the muscle does",
                        height=520, margin=dict(l=80, r=20, t=70, b=60), showlegend=False)
    traces.set_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("EMG-like signal (M-waves during the train, then the "
                                        "motor units' own discharges)", "Force"))
    traces.add_scatter(x=[], y=[], mode="lines", line=dict(color=PALETTE["blue"], width=1),
                       name="EMG", row=1, col=1)
    traces.add_scatter(x=[], y=[], mode="lines", line=dict(color=PALETTE["vermillion"], width=2),
                       name="force", row=2, col=1)
    traces.update_yaxes(title_text="EMG (arbitrary units)", row=1, col=1)
    traces.update_yaxes(title_text="Force (% of maximum)", range=[0, 100], row=2, col=1)
    traces.update_xaxes(title_text="Time from the start of the train's record (s)", row=2, col=1)
    stairs = new_figure("The protocol: trains from 4 Hz in 2 Hz steps until a cramp", height=360,
                        x_title="Train number", y_title="Stimulation frequency (Hz)")
    stairs.add_scatter(x=[], y=[], mode="lines+markers", name="no cramp after the train",
                       line=dict(color=PALETTE["grey"]), marker=dict(size=9, color=PALETTE["blue"]))
    stairs.add_scatter(x=[], y=[], mode="markers", name="cramp after the train (threshold)",
                       marker=dict(size=16, symbol="star", color=PALETTE["vermillion"]))
    stairs.add_scatter(x=[], y=[], mode="lines", name="published threshold (mean)",
                       line=dict(color=PALETTE["black"], dash="dash"))
    planned = mp.protocol_frequencies()
    stairs.add_scatter(x=list(range(1, len(planned) + 1)), y=planned, mode="markers",
                       name="trains still to come", marker=dict(size=7, color=PALETTE["grey"],
                                                                symbol="circle-open"))
    stairs.update_yaxes(range=[0, 42])
    readiness = new_figure("Before the first train: how far each motor unit sits below the "
                           "point where its PIC switches on", height=320,
                           x_title="Motor unit (1 = smallest, recruited first)",
                           y_title="Margin at rest (× rheobase)", showlegend=False)
    readiness.add_bar(x=[], y=[], marker=dict(color=PALETTE["blue"]),
                      hovertemplate="unit %{x}: %{y:.2f} × rheobase<extra></extra>")
    readiness.update_yaxes(range=[-2.5, 0.5])
    return traces, stairs, readiness


class CrampExperiment:
    """Choose a participant, press Run: the threshold protocol, train by train."""

    def __init__(self, animate_s: float = 0.12):
        self.animate_s = animate_s
        self.figure, self.stairs, self.readiness = _experiment_figures()
        self.run_button = ipw.Button(description="Run the experiment", icon="play",
                                     button_style="primary", layout=ipw.Layout(width="auto"),
                                     tooltip="Deliver the stimulation trains, 4 Hz upwards")
        self.progress = ipw.IntProgress(value=0, min=0, max=len(mp.protocol_frequencies()),
                                        description="Trains", layout=ipw.Layout(width="60%"))
        self.progress_text = ipw.HTML("Not run yet.")
        self.result: mp.ProtocolResult | None = None
        self._run_drawn = True          # the first update draws the empty, waiting state
        controls = _experiment_controls()
        self.explorer = Explorer(
            "cramp_experiment", controls, {k: c.value for k, c in controls.items()},
            EXPERIMENT_PRESETS, self._update, (self.readiness, self.figure, self.stairs),
            check=_check_participant,
            body=[ipw.VBox(list(controls.values())),
                  ipw.HBox([self.run_button, self.progress, self.progress_text],
                           layout=ipw.Layout(gap="1em", align_items="center"))],
            css_class="kcl-cramp-experiment")
        self.run_button.on_click(guarded(self.explorer.message)(lambda _b: self.run()))
        self.widget = self.explorer.widget

    # the calls a notebook or a test makes
    @property
    def values(self):
        return self.explorer.values

    @property
    def summary_text(self):
        return self.explorer.summary_text

    def set_values(self, **values) -> bool:
        return self.explorer.set_values(**values)

    def select_scenario(self, preset_id: str) -> None:
        self.explorer.select_scenario(preset_id)

    def reset(self) -> None:
        self.explorer.reset()

    def run(self) -> mp.ProtocolResult:
        """What pressing Run does: the protocol, then each train drawn in turn."""
        controls = participant_values(self.values)
        self.run_button.disabled = True
        self.progress_text.value = "Running: delivering the trains..."
        try:
            self.result = mp.threshold_protocol(**controls)
            delivered = self.result.trains_until_cramp
            self.progress.max = len(delivered)
            for i, train in enumerate(delivered, start=1):
                self._draw_train(train, i)
                self.progress.value = i
                self.progress_text.value = f"Train {i}: {train.frequency_hz:g} Hz"
                if self.animate_s:
                    time.sleep(self.animate_s)
            self.explorer.panel.show(self._result_sentence(controls))
            self.progress_text.value = "Done."
        finally:
            self.run_button.disabled = False
        return self.result

    def _draw_train(self, train: mp.TrainResult, number: int) -> None:
        t, emg = train.emg()
        step = max(1, len(t) // 2500)
        delivered = self.result.trains_until_cramp[:number]
        calm = [(i + 1, tr.frequency_hz) for i, tr in enumerate(delivered) if not tr.cramp]
        cramp = [(i + 1, tr.frequency_hz) for i, tr in enumerate(delivered) if tr.cramp]
        published = PUBLISHED_HZ[self.result.participant.cramp_prone][0]
        self._run_drawn = True
        with self.figure.batch_update(), self.stairs.batch_update():
            self.figure.data[0].x, self.figure.data[0].y = t[::step], emg[::step]
            ft = train.t_s[:-1]
            self.figure.data[1].x, self.figure.data[1].y = ft, 100 * train.force
            self.figure.layout.title.text = (f"Train {number}: {train.frequency_hz:g} Hz for "
                                             f"{train.train_end_s - train.train_start_s:g} s, "
                                             + ("then a cramp" if train.cramp else "then quiet"))
            self.figure.layout.shapes = [dict(
                type="rect", xref="x", yref="paper", x0=train.train_start_s, x1=train.train_end_s,
                y0=0, y1=1, fillcolor=translucent(PALETTE["grey"], 0.18), line_width=0, layer="below")]
            self.stairs.data[0].x = [n for n, _ in calm] + [n for n, _ in cramp]
            self.stairs.data[0].y = [f for _, f in calm] + [f for _, f in cramp]
            planned = mp.protocol_frequencies()
            still = [] if cramp else list(range(number + 1, len(planned) + 1))
            self.stairs.data[3].x, self.stairs.data[3].y = still, [planned[n - 1] for n in still]
            self.stairs.data[1].x, self.stairs.data[1].y = [n for n, _ in cramp], [f for _, f in cramp]
            last = max(len(mp.protocol_frequencies()), number)
            self.stairs.data[2].x, self.stairs.data[2].y = [1, last], [published, published]

    def _result_sentence(self, controls: dict) -> str:
        mean, sd = PUBLISHED_HZ[controls["cramp_prone"]]
        who = "cramp-prone" if controls["cramp_prone"] else "not cramp-prone"
        model = mp.summarise(self.result)
        return (f"{model} Published for {who} people (muscle shortened): {mean} ± {sd} Hz "
                "(Miller and Knight 2009).")

    def _update(self, values: dict) -> str:
        # a new participant: show how close their motor units sit to switching on, clear the
        # last run's drawing (flat lines, every train still to come); Run starts the experiment
        controls = participant_values(values)
        margin = mp.resting_margin(**controls)
        self.readiness.data[0].x = list(range(1, len(margin) + 1))
        self.readiness.data[0].y = margin
        if self._run_drawn:
            self._clear_run()
        return (f"Participant ready ({values['cramp_prone']}, {values['age_years']:g} years, "
                f"muscle {values['position']}): the smallest motor unit sits "
                f"{-margin[0]:.2f} × rheobase below switching on. Press Run the experiment.")

    def _clear_run(self) -> None:
        """Flat lines and every train still to come: the drawing before a run (sent only when a
        run has been drawn, so a slider move sends just the readiness bars)."""
        planned = mp.protocol_frequencies()
        for trace in self.figure.data:
            trace.x, trace.y = [0.0, 6.0], [0.0, 0.0]
        for trace in self.stairs.data[:3]:
            trace.x, trace.y = [], []
        self.stairs.data[3].x, self.stairs.data[3].y = list(range(1, len(planned) + 1)), planned
        self.figure.layout.shapes = []
        self.figure.layout.title.text = "Press Run to start the first train"
        self.progress.value = 0
        self.progress_text.value = "Not run yet."
        self._run_drawn = False

    def _repr_mimebundle_(self, **kwargs):
        return self.explorer._repr_mimebundle_(**kwargs)


def run_the_experiment(animate_s: float = 0.12) -> CrampExperiment:
    return CrampExperiment(animate_s=animate_s)


# --- a cramp from start to finish ---------------------------------------------------------------

def _timeline_figure():
    fig = new_figure("A cramp from start to finish", height=640,
                     margin=dict(l=80, r=20, t=70, b=120),
                     legend=dict(orientation="h", yanchor="top", y=-0.1, x=0))
    fig.set_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                     subplot_titles=("Motor units firing", "EMG envelope", "Force"))
    fig.add_scatter(x=[], y=[], mode="lines", name="motor units firing (of 20)",
                    line=dict(color=PALETTE["blue"], width=2), row=1, col=1)
    fig.add_scatter(x=[], y=[], mode="lines", name="voluntary drive (rheobase)",
                    line=dict(color=PALETTE["black"], dash="dot"), row=1, col=1)
    fig.add_scatter(x=[], y=[], mode="lines", name="rectified EMG, 0.5 s bins (arbitrary units)",
                    line=dict(color=PALETTE["bluish_green"], width=1.5), row=2, col=1)
    fig.add_scatter(x=[], y=[], mode="lines", name="force (% of maximum)",
                    line=dict(color=PALETTE["vermillion"], width=2), row=3, col=1)
    fig.update_yaxes(title_text="Units / drive", range=[0, 21], row=1, col=1)
    fig.update_yaxes(title_text="EMG (a.u.)", row=2, col=1)
    fig.update_yaxes(title_text="Force (% max)", range=[0, 100], row=3, col=1)
    fig.update_xaxes(title_text="Time (s)", range=[0, mp.params().simulation.timeline_duration],
                     row=3, col=1)
    return fig


def _draw_timeline(fig, run: mp.TimelineResult) -> None:
    t = run.step_start_s
    centres, envelope = run.emg_envelope(bin_s=0.5)
    fig.data[0].x, fig.data[0].y = t, run.firing_units()
    fig.data[1].x, fig.data[1].y = t, run.drive
    fig.data[2].x, fig.data[2].y = centres, envelope
    fig.layout.yaxis2.range = [0, axis_top(max(envelope))]   # in steps: most moves keep it
    fig.data[3].x, fig.data[3].y = t, 100 * run.force
    shapes = [dict(type="rect", xref="x", yref="paper", x0=mp.EFFORT_START_S, x1=run.effort_end_s,
                   y0=0, y1=1, fillcolor=translucent(PALETTE["grey"], 0.2), line_width=0, layer="below",
                   label=dict(text="effort", textposition="top center"))]
    for key, label in (("stretch_at_s", "stretch"), ("tendon_stim_at_s", "tendon stimulation")):
        if run.controls[key] > 0:
            shapes.append(dict(type="line", xref="x", yref="paper", x0=run.controls[key],
                               x1=run.controls[key], y0=0, y1=1,
                               line=dict(color=PALETTE["orange"], width=2, dash="dash"),
                               label=dict(text=label, textposition="end")))
    fig.layout.shapes = shapes


def cramp_timeline(scenario: str | None = "late_in_race") -> ModelExplorer:
    """Named scenarios of data/scenarios/cramp_lab.yaml on a 300 s timeline."""
    fig = _timeline_figure()

    def update(values: dict) -> str:
        run = mp.simulate(**values)
        _draw_timeline(fig, run)
        return mp.summarise(run)

    return ModelExplorer("cramp_lab", figures=[fig], update=update, scenario=scenario,
                         css_class="kcl-cramp-timeline")


# --- the model against the papers, and what else is tried ------------------------------------------

_TABLE_CSS = css("<style>.kcl-table{border-collapse:collapse;margin:0.4em 0 1em;}"
                 ".kcl-table caption{text-align:left;font-style:italic;}"
                 ".kcl-table th,.kcl-table td{border-bottom:1px solid $rule;padding:0.3em 0.6em;"
                 "text-align:left;vertical-align:top;}</style>")


def papers_table() -> ipw.HTML:
    """Each published result beside the model's, computed now: met or missed."""
    rows = mp.published_comparison()
    body = "".join(
        f"<tr><th scope='row'>{html.escape(r.claim)}<br><small>{sources_html(r.refs)}</small>"
        f"</th><td>{html.escape(r.published)}</td><td>{html.escape(r.model)}</td>"
        f"<td><strong>{'met' if r.met else 'MISSED'}</strong></td></tr>" for r in rows)
    met = sum(r.met for r in rows)
    return ipw.HTML(
        _TABLE_CSS + f"<table class='kcl-table'><caption>The model meets {met} of {len(rows)} "
        "published results (computed when this cell ran)</caption><thead><tr>"
        "<th scope='col'>Result</th><th scope='col'>Published</th><th scope='col'>Model</th>"
        f"<th scope='col'>Verdict</th></tr></thead><tbody>{body}</tbody></table>")


INTERVENTIONS = (
    ("Gentle static stretch of the cramping muscle", "moderate",
     "First-line in reviews; rests on consensus and the proposed mechanism, not on trials of "
     "acute relief.", ("miller2022",)),
    ("Electrical stimulation of the tendon's afferents", "moderate",
     "Switched off cramps in the laboratory; not a treatment people use.", ("khan2007",)),
    ("Pickle juice", "weak",
     "Shortened electrically induced cramps by about 49 s in one small study; no blood change "
     "yet, so a reflex from the mouth was proposed.", ("miller2010p",)),
    ("An electrolyte drink instead of plain water after heavy sweating", "weak",
     "Raised the cramp threshold frequency in one laboratory; delayed but did not prevent "
     "calf cramps in another.", ("lau2019", "jung2005")),
)


def interventions_table() -> ipw.HTML:
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(name)}</th><td>{evidence_badge(level)}</td>"
        f"<td>{html.escape(what)} <small>({sources_html(refs)})</small></td></tr>"
        for name, level, what, refs in INTERVENTIONS)
    return ipw.HTML(_TABLE_CSS + "<table class='kcl-table'><caption>Other ways to end a cramp, "
                    "with the strength of their evidence (none is advice for a person)</caption>"
                    "<thead><tr><th scope='col'>What</th><th scope='col'>Evidence</th>"
                    f"<th scope='col'>What was found</th></tr></thead><tbody>{rows}</tbody></table>")
