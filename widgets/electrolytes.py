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
from physiology import electrolytes as el
from physiology.electrolytes import ION_ORDER, default_ions, nernst_mv
from widgets.explorer import Explorer, ModelExplorer, Preset, Wording
from widgets.citations import cite_html, sources_html
from widgets.figures import FigurePanel
from widgets.safety import Message, guarded
from widgets.theme import AXIS_COLOUR, INK, PALETTE, ROLE_COLOURS, new_figure, translucent

ION_COLOURS = {"k": PALETTE["blue"], "na": PALETTE["vermillion"], "cl": PALETTE["bluish_green"],
               "ca": PALETTE["orange"]}
REST_COLOUR = PALETTE["black"]
PLOT_EVERY = 6  # plot every 6th step of the membrane trace (0.15 ms): spikes last ~2 ms here


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
        f"Ions around a resting muscle fibre (representative values; {sources_html(['hille2001'])})"
        "</caption><thead><tr><th scope='col'>Ion</th><th scope='col'>Outside</th>"
        "<th scope='col'>Inside</th><th scope='col'>Outside : inside</th>"
        "<th scope='col'>Equilibrium potential at 37 °C</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table>"
        "<style>.kcl-ion-table th, .kcl-ion-table td {padding:0.25em 0.8em; "
        f"border-bottom:1px solid {INK['border']}; text-align:left;}}</style>")


def show_ion_table() -> HTML:
    return HTML(ion_table_html())


# --- 1. Nernst / GHK panel ------------------------------------------------------------------

class NernstExplorer(ModelExplorer):
    """Sliders for outside concentrations and permeabilities; one bar per ion plus the rest."""

    def __init__(self, scenario: str | None = None):
        self.figure = self._figure(el.simulate())
        super().__init__("nernst", figures=[self.figure], update=self._update, scenario=scenario,
                         css_class="kcl-nernst")

    @staticmethod
    def _figure(normal: el.PanelResult):
        names = [el.e_name(i) for i in ION_ORDER] + ["Resting potential (GHK)"]
        fig = new_figure("Equilibrium potential of each ion, and the resting potential",
                         y_title="Membrane potential (mV, inside minus outside)", height=420)
        fig.add_bar(x=names, y=[0.0] * len(names), name="now",
                    marker_color=[ION_COLOURS[i] for i in ION_ORDER] + [REST_COLOUR],
                    texttemplate="%{y:+.1f} mV", textposition="outside",
                    hovertemplate="%{x}: %{y:+.1f} mV<extra></extra>")
        fig.add_scatter(x=names, y=[normal.equilibrium_mv[i] for i in ION_ORDER] + [normal.rest_mv],
                        mode="markers", name="in normal plasma",
                        marker=dict(symbol="line-ew-open", size=34, color=PALETTE["grey"],
                                    line=dict(width=3)),
                        hovertemplate="%{x} in normal plasma: %{y:+.1f} mV<extra></extra>")
        fig.add_hline(y=0, line_color=AXIS_COLOUR, line_width=1)
        fig.update_yaxes(range=[-140, 165], zeroline=False)
        return fig

    def _update(self, values: dict) -> str:
        result = el.simulate(**values)
        self.figure.data[0].y = [result.equilibrium_mv[i] for i in ION_ORDER] + [result.rest_mv]
        return el.summarise(result)


def explore_nernst(scenario: str | None = None) -> NernstExplorer:
    """The Nernst/GHK panel; `scenario` is an id from data/scenarios/nernst.yaml."""
    return NernstExplorer(scenario=scenario)


# --- 2. the excitable membrane -------------------------------------------------------------

VOLTAGE_RANGE_MV = (-105, 70)


class MembraneExplorer(ModelExplorer):
    """Stimulus, Ca2+, Mg2+ and K+ sliders; the voltage trace and the firing rate."""

    def __init__(self, scenario: str | None = None):
        self.run: mb.MembraneRun | None = None
        self.figure = self._figure()
        super().__init__("membrane", figures=[self.figure], update=self._update,
                         scenario=scenario, css_class="kcl-membrane")

    @staticmethod
    def _figure():
        sim = mb.parameters().simulation
        duration = sim.duration.value
        fig = new_figure("Membrane potential and firing rate (grey: stimulus on)", height=560,
                         margin=dict(l=80, r=20, t=110, b=60))
        fig.set_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32],
                         vertical_spacing=0.1,
                         subplot_titles=("", "Firing rate (1 / interval)"))
        n_points = len(np.arange(0, duration, sim.time_step.value)[::PLOT_EVERY])
        empty = [0.0] * n_points
        # the stimulus period, shaded (a filled trace, not a layout shape: moving a shape makes
        # plotly.js redraw the whole figure, a trace's data only itself; widgets.figures)
        fig.add_scatter(x=[], y=[], mode="lines", fill="toself", name="stimulus on",
                        fillcolor=translucent(PALETTE["grey"], 0.15), line=dict(width=0),
                        showlegend=False, hoverinfo="skip", row=1, col=1)
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
        fig.update_yaxes(title_text="V (mV)", range=list(VOLTAGE_RANGE_MV), row=1, col=1)
        fig.update_yaxes(title_text="Rate (Hz)", range=[0, 150], row=2, col=1)
        fig.update_xaxes(title_text="Time (ms)", range=[0, duration], row=2, col=1)
        fig.update_annotations(font_size=14)
        return fig

    def _update(self, values: dict) -> str:
        run = mb.simulate(**values)
        self.run = run
        stimulus, voltage, e_k, e_na, rate = self.figure.data[:5]
        stimulus.x, stimulus.y = self._stimulus_period(run)
        voltage.x, voltage.y = run.t_ms[::PLOT_EVERY], run.v_mv[::PLOT_EVERY]
        e_k.y = [run.e_k_mv, run.e_k_mv]
        e_na.y = [run.e_na_mv, run.e_na_mv]
        rate.x, rate.y = mb.instantaneous_rate_hz(run)
        return mb.summarise(run)

    @property
    def stimulus_shaded(self) -> bool:
        return len(self.figure.data[0].x) > 0

    @staticmethod
    def _stimulus_period(run: mb.MembraneRun) -> tuple[list, list]:
        """The shaded rectangle's corners (x in ms, y across the voltage axis); none if no stimulus."""
        if run.stimulus_ua_cm2 == 0:
            return [], []
        start, end = run.stimulus_onset_ms, run.duration_ms
        low, high = VOLTAGE_RANGE_MV
        return [start, end, end, start, start], [low, low, high, high, low]


def explore_membrane(scenario: str | None = None) -> MembraneExplorer:
    """The membrane explorer; `scenario` is an id from data/scenarios/membrane.yaml."""
    return MembraneExplorer(scenario=scenario)


# --- 3. threshold against calcium ------------------------------------------------------------

CALCIUM_GRID_MM = np.round(np.arange(0.2, 3.0001, 0.1), 2)


class ThresholdPlot(FigurePanel):
    """Threshold current against ionized calcium, with the normal range and the tetany zone."""

    def __init__(self, mg_mm: float | None = None, k_mm: float | None = None):
        sc = mb.parameters().surface_charge
        self.thresholds = mb.threshold_curve(CALCIUM_GRID_MM, mg_mm=mg_mm, k_mm=k_mm)
        self.tetany_level_mm = mb.spontaneous_firing_calcium_mm(mg_mm, k_mm)
        self.tetany_range_mm = tuple(
            mb.spontaneous_firing_calcium_mm(mg_mm, k_mm, slope.value)
            for slope in (sc.ca_shift_per_tenfold_low, sc.ca_shift_per_tenfold_high))
        super().__init__(self._figure(), lead="In short", text=mb.summarise_threshold(
            CALCIUM_GRID_MM, self.thresholds, self.tetany_level_mm, self.tetany_range_mm))

    def _figure(self):
        ionized = lv.analyte("ionized_calcium")
        fig = new_figure("How much current it takes to fire, against outside calcium",
                         x_title="Ionized Ca2+ outside (mM)",
                         y_title="Threshold current (uA/cm2)", height=420)
        fig.add_vrect(x0=ionized.reference_low_mmol_l, x1=ionized.reference_high_mmol_l,
                      fillcolor=ROLE_COLOURS["reference_band"], line_width=0, layer="below",
                      annotation_text="usual adult range", annotation_position="top left")
        low, high = self.tetany_range_mm
        fig.add_vrect(x0=CALCIUM_GRID_MM[0], x1=high, fillcolor=translucent(PALETTE["vermillion"], 0.10),
                      line_width=0, layer="below")
        fig.add_vrect(x0=CALCIUM_GRID_MM[0], x1=low, fillcolor=translucent(PALETTE["vermillion"], 0.15),
                      line_width=0, layer="below",
                      annotation_text="fires by itself", annotation_position="top left")
        fig.add_scatter(x=CALCIUM_GRID_MM, y=self.thresholds, mode="lines+markers",
                        name="threshold current", line=dict(color=PALETTE["blue"], width=3),
                        hovertemplate="%{x:.1f} mM Ca2+: %{y:.2f} uA/cm2<extra></extra>")
        fig.update_xaxes(range=[CALCIUM_GRID_MM[0], CALCIUM_GRID_MM[-1]])
        fig.update_yaxes(rangemode="tozero")
        fig.update_layout(showlegend=False)
        return fig


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
            f"{cite_html(lv.explain(self.reading))}</p>")


UNIT = "_unit"   # a row's unit picker is the control "<analyte id>_unit"


class LabReport(Explorer):
    """Type values in any unit; see each on its reference range, with what it means.

    On the explorer core: the example reports are its presets (`?lab=<example id>` in the page
    address), Reset clears every field, and every field and unit picker is a control."""

    def __init__(self, example: str | None = None):
        self.rows = {a.id: LabRow(a) for a in lv.analytes().values()}
        self.figure = self._figure()
        controls, defaults = {}, {}
        for row_id, row in self.rows.items():
            controls[row_id], controls[row_id + UNIT] = row.value, row.unit
            defaults[row_id], defaults[row_id + UNIT] = "", "mmol/L"
        presets = [Preset(e.id, e.label, e.description,
                          {**{k: f"{v.value:g}" for k, v in e.values.items()},
                           **{k + UNIT: v.unit for k, v in e.values.items()}})
                   for e in lv.examples().values()]
        super().__init__(
            "lab", controls, defaults, presets, self._update, [self.figure],
            check=self._check_units, body=[row.widget for row in self.rows.values()],
            after=[ipw.HTML(f'<p class="kcl-no-diagnosis" role="note"><em>'
                            f"{html.escape(NO_DIAGNOSIS)}</em></p>")],
            start=example, css_class="kcl-lab-report",
            wording=Wording(picker="Example report", custom="Your own values",
                            reset_tooltip="Clear every value"))

    # what a notebook or a test calls
    def enter(self, analyte_id: str, value: str, unit: str = "mmol/L") -> None:
        """Type a value and pick a unit, as a learner would; a bad unit shows its message."""
        row = self.rows[lv.analyte(analyte_id).id]
        try:
            unit = lv.check_unit(unit, row.analyte)
        except ValueError as exc:
            row.message.show(str(exc.args[0]))
            return
        with self.quietly():
            row.unit.value = unit
        row.value.value = str(value)   # the learner's typing: redraws like a keystroke

    def load_example(self, example_id: str) -> None:
        guarded(self.message)(self.select_scenario)(example_id)

    def _check_units(self, values: dict) -> dict:
        for row_id, row in self.rows.items():
            lv.check_unit(values[row_id + UNIT], row.analyte)
        return values

    def _update(self, _values: dict) -> str:
        for row in self.rows.values():
            guarded(row.message)(row.read)()
        self._draw()
        return self._summary()

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
                            marker=dict(size=16, line=dict(width=1.5, color=INK["text"])),
                            hovertemplate="%{text}<extra></extra>", row=i, col=1)
            fig.update_yaxes(showticklabels=False, showline=False, ticks="", row=i, col=1)
        fig.update_layout(bargap=0.3)
        fig.update_annotations(font_size=13)
        return fig

    def _draw(self) -> None:
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


def lab_report(example: str | None = None) -> LabReport:
    """The "read a lab report" widget; `example` is an id from data/lab_ranges.yaml."""
    return LabReport(example=example)
