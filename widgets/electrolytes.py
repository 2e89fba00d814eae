"""Notebook 03: electrolytes and nerve excitability.

    show_ion_table()                   # the ions inside and outside a fibre
    explore_nernst()                   # equilibrium potentials and the GHK resting potential
    explore_membrane()                 # the excitable membrane in its electrolytes
    explore_membrane(scenario="very_low_calcium_tetany")
    threshold_vs_calcium_plot()        # how much current it takes to fire, against calcium
    lab_report()                       # read a lab report: values on their reference ranges

Every number comes from physiology.electrolytes, physiology.membrane and
physiology.lab_values; this module only draws them. Figures are built once and updated in place.
"""
from __future__ import annotations

import html

import ipywidgets as ipw
import numpy as np
from IPython.display import HTML

from physiology import data
from physiology import lab_values as lv
from physiology import membrane as mb
from physiology.electrolytes import default_ions, nernst_mv, panel_potentials
from widgets.explorer import ExplorerFacade, ModelExplorer
from widgets.safety import Message, guarded
from widgets.theme import PALETTE, ROLE_COLOURS, new_figure, sync_for_display

ION_ORDER = ("k", "na", "cl", "ca")
ION_COLOURS = {"k": PALETTE["blue"], "na": PALETTE["vermillion"], "cl": PALETTE["bluish_green"],
               "ca": PALETTE["orange"]}
REST_COLOUR = PALETTE["black"]
PLOT_EVERY = 6  # plot every 6th step of the membrane trace (0.15 ms): spikes last ~2 ms here


def _summary_paragraph(text: str) -> str:
    return ('<p class="kcl-summary" role="status" aria-live="polite" style="margin:0.4em 0;">'
            f"<strong>Now: </strong>{html.escape(text)}</p>")


# --- 0. the ions on either side --------------------------------------------------------------

def ion_table_html() -> str:
    """Representative concentrations (EL-06, approximate) and each ion's Nernst potential."""
    rows = []
    for ion_id in ION_ORDER:
        ion = default_ions()[ion_id]
        ratio = ion.out_mm / ion.in_mm
        ratio_text = f"{ratio:,.0f} : 1" if ratio >= 1 else f"1 : {1 / ratio:,.0f}"
        rows.append(
            f"<tr><th scope='row'>{html.escape(ion.name)} ({html.escape(ion.symbol)})</th>"
            f"<td>about {ion.out_mm:g} mM</td><td>about {ion.in_mm:g} mM</td>"
            f"<td>{ratio_text}</td><td>{nernst_mv(ion.out_mm, ion.in_mm, ion.charge):+.1f} mV</td>"
            "</tr>")
    return (
        "<table class='kcl-ion-table' style='border-collapse:collapse; margin:0.5em 0;'>"
        "<caption style='text-align:left; caption-side:top; font-weight:bold;'>"
        "Ions around a resting muscle fibre (representative values; Hille 2001 [hille2001])"
        "</caption><thead><tr><th scope='col'>Ion</th><th scope='col'>Outside</th>"
        "<th scope='col'>Inside</th><th scope='col'>Outside : inside</th>"
        "<th scope='col'>Equilibrium potential at 37 °C</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table>"
        "<style>.kcl-ion-table th, .kcl-ion-table td {padding:0.25em 0.8em; "
        "border-bottom:1px solid #ccc; text-align:left;}</style>")


def show_ion_table() -> HTML:
    return HTML(ion_table_html())


# --- 1. Nernst / GHK panel ------------------------------------------------------------------

# slider name -> ion id
_OUTSIDE_CONTROLS = {"k_out_mm": "k", "na_out_mm": "na", "cl_out_mm": "cl", "ca_out_mm": "ca"}


def _nernst_inputs(values: dict) -> tuple[dict[str, float], dict[str, float]]:
    outside = {ion: values[name] for name, ion in _OUTSIDE_CONTROLS.items()}
    permeabilities = {"k": 1.0, "na": values["p_na"], "cl": values["p_cl"]}
    return outside, permeabilities


def _normal_nernst_values() -> dict[str, float]:
    return {c.name: c.default for c in data.scenarios("nernst").controls}


def _e_name(ion_id: str) -> str:
    """'E_K', 'E_Na', 'E_Cl', 'E_Ca': the ion's symbol without its charge."""
    return "E_" + default_ions()[ion_id].symbol.rstrip("+-0123456789")


def nernst_summary(equilibrium: dict[str, float], rest: float, normal_rest: float) -> str:
    change = rest - normal_rest
    moved = "as in normal plasma" if abs(change) < 0.05 else f"{change:+.1f} mV from normal plasma"
    potentials = ", ".join(f"{_e_name(i)} {equilibrium[i]:+.1f} mV" for i in ION_ORDER)
    return f"Resting potential {rest:+.1f} mV ({moved}); {potentials}."


class NernstExplorer(ExplorerFacade):
    """Sliders for outside concentrations and permeabilities; one bar per ion plus the rest."""

    def __init__(self, scenario: str | None = None):
        normal_eq, self._normal_rest = panel_potentials(*_nernst_inputs(_normal_nernst_values()))
        self.figure = self._figure(normal_eq)
        self.explorer = ModelExplorer("nernst", figure=self.figure, update=self._update,
                                      scenario=scenario)
        self.widget = self.explorer.widget
        self.widget.add_class("kcl-nernst")

    def _figure(self, normal_eq: dict[str, float]):
        names = [_e_name(i) for i in ION_ORDER] + ["Resting potential (GHK)"]
        fig = new_figure("Equilibrium potential of each ion, and the resting potential",
                         y_title="Membrane potential (mV, inside minus outside)", height=420)
        fig.add_bar(x=names, y=[0.0] * len(names), name="now",
                    marker_color=[ION_COLOURS[i] for i in ION_ORDER] + [REST_COLOUR],
                    texttemplate="%{y:+.1f} mV", textposition="outside",
                    hovertemplate="%{x}: %{y:+.1f} mV<extra></extra>")
        fig.add_scatter(x=names, y=[normal_eq[i] for i in ION_ORDER] + [self._normal_rest],
                        mode="markers", name="in normal plasma",
                        marker=dict(symbol="line-ew-open", size=34, color=PALETTE["grey"],
                                    line=dict(width=3)),
                        hovertemplate="%{x} in normal plasma: %{y:+.1f} mV<extra></extra>")
        fig.add_hline(y=0, line_color="#444", line_width=1)
        fig.update_yaxes(range=[-140, 165], zeroline=False)
        return fig

    def _update(self, values: dict, fig) -> str:
        equilibrium, rest = panel_potentials(*_nernst_inputs(values))
        fig.data[0].y = [equilibrium[i] for i in ION_ORDER] + [rest]
        return nernst_summary(equilibrium, rest, self._normal_rest)

    def _repr_mimebundle_(self, **kwargs):
        return self.explorer._repr_mimebundle_(**kwargs)  # re-sends the figure state


def explore_nernst(scenario: str | None = None) -> NernstExplorer:
    """The Nernst/GHK panel; `scenario` is an id from data/scenarios/nernst.yaml."""
    return NernstExplorer(scenario=scenario)


# --- 2. the excitable membrane -------------------------------------------------------------

def membrane_summary(run: mb.MembraneRun) -> str:
    """One sentence on what the membrane does, with the gating shift and the rest."""
    stimulus = run.stimulus_ua_cm2
    shift = 0.0 if abs(run.shift_mv) < 0.05 else run.shift_mv
    conditions = f"gating shift {shift:+.1f} mV, E_K {run.e_k_mv:.1f} mV"
    context = f"{conditions}, rest {run.rest_mv:.1f} mV"
    if stimulus == 0:
        if run.spontaneous:
            return (f"Fires spontaneously at {run.rate_hz():.0f} Hz with no stimulus: "
                    f"the model's tetany ({context}).")
        if len(run.spike_times_ms):
            return f"Fires {_spikes(len(run.spike_times_ms))}, then settles ({context})."
        return f"Rests at {run.rest_mv:.1f} mV: no action potentials ({conditions})."
    during = run.spikes_between(run.stimulus_onset_ms, np.inf)
    before = "Already fires by itself before the stimulus; " if run.spontaneous else ""
    pattern = run.pattern()
    if pattern == "repetitive":
        text = (f"fires repetitively at {run.rate_hz():.0f} Hz during the {stimulus:g} uA/cm2 "
                "stimulus")
    elif pattern == "onset_only":
        text = (f"fires {_spikes(len(during))} at the start of the {stimulus:g} uA/cm2 stimulus, "
                f"then settles")
    else:
        peak = float(run.v_mv[run.t_ms >= run.stimulus_onset_ms].max())
        text = (f"no action potential: the {stimulus:g} uA/cm2 stimulus only raises the voltage "
                f"to {peak:.0f} mV")
    sentence = before + text if before else text[0].upper() + text[1:]
    return f"{sentence} ({context})."


def _spikes(n: int) -> str:
    return "1 action potential" if n == 1 else f"{n} action potentials"


class MembraneExplorer(ExplorerFacade):
    """Stimulus, Ca2+, Mg2+ and K+ sliders; the voltage trace and the firing rate."""

    def __init__(self, scenario: str | None = None):
        self.run: mb.MembraneRun | None = None
        self.figure = self._figure()
        self.explorer = ModelExplorer("membrane", figure=self.figure, update=self._update,
                                      scenario=scenario)
        self.widget = self.explorer.widget
        self.widget.add_class("kcl-membrane")

    @staticmethod
    def _figure():
        sim = mb.parameters().simulation
        duration = sim.duration.value
        fig = new_figure("Membrane potential and firing rate", height=560,
                         margin=dict(l=80, r=20, t=110, b=60))
        fig.set_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32],
                         vertical_spacing=0.1,
                         subplot_titles=("", "Firing rate (1 / interval)"))
        n_points = len(np.arange(0, duration, sim.time_step.value)[::PLOT_EVERY])
        empty = [0.0] * n_points
        fig.add_scatter(x=empty, y=empty, mode="lines", name="membrane potential",
                        line=dict(color=PALETTE["blue"], width=2),
                        hovertemplate="%{x:.1f} ms: %{y:.1f} mV<extra></extra>", row=1, col=1)
        for name, colour in (("E_K", ION_COLOURS["k"]), ("E_Na", ION_COLOURS["na"])):
            fig.add_scatter(x=[0, duration], y=[0, 0], mode="lines", name=name,
                            line=dict(color=colour, width=1.5, dash="dot"),
                            hovertemplate=f"{name}: %{{y:.1f}} mV<extra></extra>", row=1, col=1)
        fig.add_scatter(x=[], y=[], mode="markers+lines", name="firing rate",
                        marker=dict(color=PALETTE["reddish_purple"], size=6),
                        line=dict(color=PALETTE["reddish_purple"], width=1),
                        hovertemplate="%{x:.0f} ms: %{y:.0f} Hz<extra></extra>", row=2, col=1)
        fig.update_yaxes(title_text="V (mV)", range=[-105, 70], row=1, col=1)
        fig.update_yaxes(title_text="Rate (Hz)", range=[0, 150], row=2, col=1)
        fig.update_xaxes(title_text="Time (ms)", range=[0, duration], row=2, col=1)
        fig.update_annotations(font_size=14)
        return fig

    def _update(self, values: dict, fig) -> str:
        electrolytes = mb.Electrolytes.normal(ca_mm=values["ca_mm"], mg_mm=values["mg_mm"],
                                              k_mm=values["k_mm"])
        run = mb.simulate(values["stimulus_ua_cm2"], electrolytes)
        self.run = run
        voltage, e_k, e_na, rate = fig.data[:4]
        voltage.x, voltage.y = run.t_ms[::PLOT_EVERY], run.v_mv[::PLOT_EVERY]
        e_k.y = [run.e_k_mv, run.e_k_mv]
        e_na.y = [run.e_na_mv, run.e_na_mv]
        spikes = run.spike_times_ms
        rate.x = spikes[1:]
        rate.y = 1000.0 / np.diff(spikes) if len(spikes) > 1 else []
        fig.layout.shapes = self._stimulus_shape(run)
        return membrane_summary(run)

    @staticmethod
    def _stimulus_shape(run: mb.MembraneRun) -> list[dict]:
        if run.stimulus_ua_cm2 == 0:
            return []
        return [dict(type="rect", xref="x", yref="paper", x0=run.stimulus_onset_ms,
                     x1=run.duration_ms, y0=0, y1=1, fillcolor="rgba(153, 153, 153, 0.15)",
                     line_width=0, layer="below",
                     label=dict(text=f"stimulus {run.stimulus_ua_cm2:g} uA/cm2",
                                textposition="top center", font=dict(size=12)))]

    def _repr_mimebundle_(self, **kwargs):
        return self.explorer._repr_mimebundle_(**kwargs)  # re-sends the figure state


def explore_membrane(scenario: str | None = None) -> MembraneExplorer:
    """The membrane explorer; `scenario` is an id from data/scenarios/membrane.yaml."""
    return MembraneExplorer(scenario=scenario)


# --- 3. threshold against calcium ------------------------------------------------------------

CALCIUM_GRID_MM = np.round(np.arange(0.2, 3.0001, 0.1), 2)


class ThresholdPlot:
    """Threshold current against ionized calcium, with the normal range and the tetany zone."""

    def __init__(self, mg_mm: float | None = None, k_mm: float | None = None):
        sc = mb.parameters().surface_charge
        self.thresholds = mb.threshold_curve(CALCIUM_GRID_MM, mg_mm=mg_mm, k_mm=k_mm)
        self.tetany_level_mm = mb.spontaneous_firing_calcium_mm(mg_mm, k_mm)
        self.tetany_range_mm = tuple(
            mb.spontaneous_firing_calcium_mm(mg_mm, k_mm, slope.value)
            for slope in (sc.ca_shift_per_tenfold_low, sc.ca_shift_per_tenfold_high))
        self.figure = self._figure()
        self.summary_text = self._summary()
        self.widget = ipw.VBox([ipw.HTML(_summary_paragraph(self.summary_text)), self.figure],
                               layout=ipw.Layout(max_width="980px"))

    def _figure(self):
        ionized = lv.analyte("ionized_calcium")
        fig = new_figure("How much current it takes to fire, against outside calcium",
                         x_title="Ionized Ca2+ outside (mM)",
                         y_title="Threshold current (uA/cm2)", height=420)
        fig.add_vrect(x0=ionized.reference_low_mmol_l, x1=ionized.reference_high_mmol_l,
                      fillcolor=ROLE_COLOURS["reference_band"], line_width=0, layer="below",
                      annotation_text="usual adult range", annotation_position="top left")
        low, high = self.tetany_range_mm
        fig.add_vrect(x0=CALCIUM_GRID_MM[0], x1=high, fillcolor="rgba(213, 94, 0, 0.10)",
                      line_width=0, layer="below")
        fig.add_vrect(x0=CALCIUM_GRID_MM[0], x1=low, fillcolor="rgba(213, 94, 0, 0.15)",
                      line_width=0, layer="below",
                      annotation_text="fires by itself", annotation_position="top left")
        fig.add_scatter(x=CALCIUM_GRID_MM, y=self.thresholds, mode="lines+markers",
                        name="threshold current", line=dict(color=PALETTE["blue"], width=3),
                        hovertemplate="%{x:.1f} mM Ca2+: %{y:.2f} uA/cm2<extra></extra>")
        fig.update_xaxes(range=[CALCIUM_GRID_MM[0], CALCIUM_GRID_MM[-1]])
        fig.update_yaxes(rangemode="tozero")
        fig.update_layout(showlegend=False)
        return fig

    def _summary(self) -> str:
        at = dict(zip(CALCIUM_GRID_MM.tolist(), self.thresholds.tolist()))
        low, high = self.tetany_range_mm
        return (f"Threshold {at[1.2]:.1f} uA/cm2 at 1.2 mM Ca2+, {at[0.6]:.1f} at 0.6 mM and "
                f"{at[3.0]:.1f} at 3.0 mM; below about {self.tetany_level_mm:.2f} mM "
                f"({low:.2f}-{high:.2f} mM across the uncertain size of the gating shift) "
                f"the model fires by itself.")

    def _repr_mimebundle_(self, **kwargs):
        sync_for_display(self.figure)  # a figure inside a box: send its current state
        return self.widget._repr_mimebundle_(**kwargs)


def threshold_vs_calcium_plot(mg_mm: float | None = None, k_mm: float | None = None
                              ) -> ThresholdPlot:
    """Threshold current against calcium (computed once, about a second)."""
    return ThresholdPlot(mg_mm=mg_mm, k_mm=k_mm)


# --- 4. read a lab report ---------------------------------------------------------------------

NO_DIAGNOSIS = (
    "This explains what each value does to nerves and muscles in general. It is not a "
    "diagnosis: every laboratory prints its own range, and only a clinician who knows the "
    "person can say what a result means for them.")
STATUS_SYMBOLS = {"low": "triangle-left", "normal": "circle", "high": "triangle-right"}
STATUS_COLOURS = {"low": ROLE_COLOURS["altered"], "normal": ROLE_COLOURS["normal"],
                  "high": ROLE_COLOURS["altered"]}


class LabRow:
    """One analyte: value field, unit picker, message beside them, and the explanation."""

    def __init__(self, analyte: lv.Analyte):
        self.analyte = analyte
        self.reading: lv.Reading | None = None
        label = f"{analyte.name} ({analyte.symbol})"
        self.value = ipw.Text(value="", placeholder="type a value", description=label,
                              continuous_update=False, style={"description_width": "15em"},
                              layout=ipw.Layout(width="27em"))
        self.unit = ipw.Dropdown(options=list(lv.units_for(analyte)), value="mmol/L",
                                 description=f"unit for {analyte.name.lower()}",
                                 style={"description_width": "0px"},
                                 layout=ipw.Layout(width="7.5em"))
        self.message = Message(layout=ipw.Layout(width="auto", flex="1 1 20em"))
        self.explanation = ipw.HTML()
        self.widget = ipw.VBox([
            ipw.HBox([self.value, self.unit, self.message],
                     layout=ipw.Layout(align_items="center", gap="0.5em", flex_flow="row wrap")),
            self.explanation,
        ])
        self.widget.add_class("kcl-lab-row")
        self.widget.add_class(f"kcl-lab-{analyte.id.replace('_', '-')}")

    def read(self) -> None:
        """Read the field; raises LabValueError (shown beside the field by the guard)."""
        self.reading = None
        self.explanation.value = ""
        self.message.clear()
        if not self.value.value.strip():
            return
        self.reading = lv.read(self.analyte.id, self.value.value, self.unit.value)
        self.explanation.value = (
            f'<p class="kcl-lab-explanation" style="margin:0 0 0.6em 1em; max-width:52em;">'
            f"<strong>{html.escape(self.reading.status)}:</strong> "
            f"{html.escape(lv.explain(self.reading))}</p>")


class LabReport:
    """Type values in any unit; see each on its reference range, with what it means."""

    def __init__(self, example: str | None = None):
        self._filling = False  # True while an example fills the fields: read them once after
        self.rows = {a.id: LabRow(a) for a in lv.analytes().values()}
        self.figure = self._figure()
        self.summary = ipw.HTML()
        self.summary_text = ""
        self.example_note = ipw.HTML()
        self.message = Message()
        self.example_picker = ipw.Dropdown(
            options=[("Your own values", "")] + [(e.label, e.id) for e in lv.examples().values()],
            value="", description="Example report", style={"description_width": "initial"},
            layout=ipw.Layout(width="auto"))
        self.reset_button = ipw.Button(description="Reset", tooltip="Clear every value")
        for row in self.rows.values():
            handler = guarded(row.message)(self._reader(row))
            row.value.observe(handler, names="value")
            row.unit.observe(handler, names="value")
        self.example_picker.observe(self._on_example, names="value")
        self.reset_button.on_click(lambda _: self.reset())
        self.widget = ipw.VBox([
            ipw.HBox([self.example_picker, self.reset_button],
                     layout=ipw.Layout(gap="1em", align_items="center")),
            self.example_note,
            self.message,
            *[row.widget for row in self.rows.values()],
            self.summary,
            self.figure,
            ipw.HTML(f'<p class="kcl-no-diagnosis" role="note"><em>{html.escape(NO_DIAGNOSIS)}'
                     "</em></p>"),
        ], layout=ipw.Layout(max_width="980px"))
        self.widget.add_class("kcl-lab-report")
        self._draw()
        if example:
            self.load_example(example)

    # what a notebook or a test calls
    def enter(self, analyte_id: str, value: str, unit: str = "mmol/L") -> None:
        """Type a value and pick a unit, as a learner would; a bad unit shows its message."""
        row = self.rows[lv.analyte(analyte_id).id]
        guarded(row.message)(self._enter)(row, value, unit)

    @staticmethod
    def _enter(row: LabRow, value: str, unit: str) -> None:
        row.unit.value = lv.check_unit(unit, row.analyte)
        row.value.value = str(value)

    def load_example(self, example_id: str) -> None:
        guarded(self.message)(self._load_example)(example_id)

    def reset(self) -> None:
        self._fill({row_id: ("", "mmol/L") for row_id in self.rows})
        self.example_picker.value = ""
        self.example_note.value = ""
        self.message.clear()

    def _load_example(self, example_id: str) -> None:
        found = lv.examples()
        if example_id not in found:
            raise KeyError(f"Unknown example '{example_id}'. Examples: {', '.join(found)}")
        example = found[example_id]
        values = {row_id: ("", "mmol/L") for row_id in self.rows}
        values.update({k: (f"{v.value:g}", v.unit) for k, v in example.values.items()})
        self._fill(values)
        self.example_note.value = (
            f'<p class="kcl-scenario-note"><strong>{html.escape(example.label)}:</strong> '
            f"{html.escape(lv.cite_facts(example.description))}</p>")
        if self.example_picker.value != example_id:
            self.example_picker.value = example_id

    def _fill(self, values: dict[str, tuple[str, str]]) -> None:
        self._filling = True
        try:
            for row_id, (value, unit) in values.items():
                row = self.rows[row_id]
                row.unit.value = unit
                row.value.value = value
        finally:
            self._filling = False
        for row in self.rows.values():
            guarded(row.message)(row.read)()
        self._draw()

    def _on_example(self, change) -> None:
        if change["new"]:
            self.load_example(change["new"])

    def _reader(self, row: LabRow):
        def on_change(_change=None) -> None:
            if self._filling:
                return
            try:
                row.read()
            finally:
                self._draw()
        return on_change

    # the figure: one small panel per analyte, x in mmol/L
    def _figure(self):
        n = len(self.rows)
        fig = new_figure("Each value on its usual adult range (converted to mmol/L)",
                         height=110 * n + 120, margin=dict(l=30, r=20, t=110, b=50))
        titles = [f"{row.analyte.name} (mmol/L)" for row in self.rows.values()]
        fig.set_subplots(rows=n, cols=1, vertical_spacing=0.55 / n, subplot_titles=titles)
        for i, row in enumerate(self.rows.values(), start=1):
            a = row.analyte
            fig.add_bar(x=[a.reference_high_mmol_l - a.reference_low_mmol_l],
                        base=[a.reference_low_mmol_l], y=[""], orientation="h",
                        marker_color=ROLE_COLOURS["reference_band"], width=0.6,
                        name="usual range", showlegend=i == 1,
                        hovertemplate=(f"usual range {a.reference_low_mmol_l:g}-"
                                       f"{a.reference_high_mmol_l:g} mmol/L<extra></extra>"),
                        row=i, col=1)
            fig.add_scatter(x=[], y=[], mode="markers+text", name="your value",
                            showlegend=False, textposition="top center",
                            marker=dict(size=16, line=dict(width=1.5, color="#222")),
                            hovertemplate="%{text}<extra></extra>", row=i, col=1)
            fig.update_yaxes(showticklabels=False, showline=False, ticks="", row=i, col=1)
        fig.update_layout(bargap=0.3)
        fig.update_annotations(font_size=13)
        return fig

    def _draw(self) -> None:
        with self.figure.batch_update():
            for i, row in enumerate(self.rows.values()):
                a, reading = row.analyte, row.reading
                marker = self.figure.data[2 * i + 1]
                width = a.reference_high_mmol_l - a.reference_low_mmol_l
                low, high = a.reference_low_mmol_l - width, a.reference_high_mmol_l + width
                if reading is None:
                    marker.x, marker.y, marker.text = [], [], []
                else:
                    marker.x, marker.y = [reading.mmol_l], [""]
                    marker.text = [f"{reading.status}: {lv.range_fmt(reading.mmol_l, 'mmol/L')}"]
                    marker.marker.symbol = STATUS_SYMBOLS[reading.status]
                    marker.marker.color = STATUS_COLOURS[reading.status]
                    span = 0.1 * width
                    low, high = min(low, reading.mmol_l - span), max(high, reading.mmol_l + span)
                axis = "xaxis" if i == 0 else f"xaxis{i + 1}"
                self.figure.layout[axis].range = [low, high]
        self.summary_text = self._summary()
        self.summary.value = _summary_paragraph(self.summary_text)

    def _summary(self) -> str:
        readings = [row.reading for row in self.rows.values() if row.reading is not None]
        if not readings:
            return "No values yet: type a value (press Enter or Tab) or pick an example report."
        parts = [f"{r.analyte.name.lower()} {r.status}" for r in readings]
        outside = sum(r.status != "normal" for r in readings)
        tail = ("all inside their usual ranges" if outside == 0 else
                f"{outside} outside the usual range")
        return f"{len(readings)} value{'s' if len(readings) > 1 else ''} read ({tail}): " + \
            ", ".join(parts) + "."

    def _repr_mimebundle_(self, **kwargs):
        sync_for_display(self.figure)  # a figure inside a box: send its current state
        return self.widget._repr_mimebundle_(**kwargs)


def lab_report(example: str | None = None) -> LabReport:
    """The "read a lab report" widget; `example` is an id from data/lab_ranges.yaml."""
    return LabReport(example=example)
