"""Notebook 05: what changes with age, and why cramps may become more common.

    explore_aging()                          # age slider, curves with bands, changes since 30
    explore_aging(scenario="older_adult_75")

One age slider (from data/scenarios/aging.yaml) moves a marker along four curves drawn with
their uncertainty bands (one FigureWidget, four small subplots, updated in place), fills a table
of what has changed since age 30 with a link from each change to its mechanism, and highlights
the night-cramp prevalence studies whose population includes that age. All numbers come from
physiology.aging; this module only draws them.
"""
from __future__ import annotations

import html
import re

import ipywidgets as ipw

from physiology import aging
from widgets.checklist import short_citation
from widgets.content import evidence_badge
from widgets.explorer import ExplorerFacade, ModelExplorer
from widgets.safety import guarded
from widgets.theme import PALETTE, ROLE_COLOURS, FigureBox, new_figure, sync_for_display

GRID = ((1, 1), (1, 2), (2, 1), (2, 2))  # subplot (row, col) of each curve, in data order

RECALL_STYLE = {  # recall window -> colour and marker symbol (shape as well as colour)
    "past month": (PALETTE["blue"], "circle"),
    "lifetime": (PALETTE["vermillion"], "diamond"),
    "not stated": (PALETTE["grey"], "square"),
}
FADED = 0.25

_CSS = """<style>
.kcl-aging-changes table { border-collapse: collapse; margin: 0.4em 0; max-width: 60em; }
.kcl-aging-changes th, .kcl-aging-changes td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em;
  text-align: left; vertical-align: top; }
.kcl-aging-changes a, .kcl-mechanisms a { color: #0072B2; }
.kcl-mechanism { border-left: 4px solid #009E73; padding: 0.2em 0.8em; margin: 0.6em 0; }
.kcl-mechanism:target { background: #fff6e0; }
</style>"""


# --- the curves figure ---------------------------------------------------------------------

def _curves_figure():
    """Four small panels, one per curve; returns the figure and, per curve id, the indexes of
    its selected-age marker and of its dotted vertical guide line (the traces that move)."""
    spec = aging.aging_data()
    fig = new_figure("What changes with age (relative to age 30)", height=680,
                     margin=dict(l=80, r=20, t=70, b=140),
                     legend=dict(orientation="h", x=0, xanchor="left", y=-0.13, yanchor="top"))
    fig.set_subplots(rows=2, cols=2, subplot_titles=[c.label for c in spec.curves],
                     horizontal_spacing=0.12, vertical_spacing=0.17)
    markers, guides = {}, {}
    for i, (c, (row, col)) in enumerate(zip(spec.curves, GRID)):
        guides[c.id], markers[c.id] = _add_panel(fig, c, row, col, in_legend=i == 0)
        fig.update_yaxes(title_text=c.axis_title, title_font_size=12, row=row, col=col)
        fig.update_xaxes(range=[spec.min_age_years - 1, spec.max_age_years + 1], row=row, col=col,
                         title_text="Age (years)" if row == 2 else "")
    fig.update_annotations(font_size=14)
    return fig, markers, guides


def _add_panel(fig, c: aging.Curve, row: int, col: int, in_legend: bool) -> tuple[int, int]:
    """Band, typical line, other estimates, the age-30 point, then the guide line and marker."""
    reference_age = aging.aging_data().reference_age_years
    table = aging.curve_over_ages(c.id)
    ages = list(table["age"])
    where = dict(row=row, col=col)
    fig.add_scatter(x=ages + ages[::-1], y=list(table["high"]) + list(table["low"])[::-1],
                    fill="toself", fillcolor=ROLE_COLOURS["reference_band"], line=dict(width=0),
                    name="range quoted by the sources", legendgroup="band", showlegend=in_legend,
                    hoverinfo="skip", **where)
    fig.add_scatter(x=ages, y=table["central"], mode="lines",
                    line=dict(color=PALETTE["blue"], width=2.5), name="typical value",
                    legendgroup="central", showlegend=in_legend,
                    hovertemplate=f"age %{{x}} y: %{{y:.1f}} {html.escape(c.unit)}<extra></extra>",
                    **where)
    for k, comparison in enumerate(c.comparisons):
        _add_comparison(fig, c.id, k, comparison.label, row, col)
    reference = aging.value_at(c.id, reference_age).central
    fig.add_scatter(x=[reference_age], y=[reference], mode="markers",
                    marker=dict(symbol="circle-open", size=11, color=PALETTE["black"], line=dict(width=2)),
                    name="age 30 (reference)", legendgroup="reference", showlegend=in_legend,
                    hoverinfo="skip", **where)
    fig.add_scatter(x=[reference_age] * 2, y=[float(table["low"].min()), float(table["high"].max())],
                    mode="lines", line=dict(color=PALETTE["grey"], width=1.5, dash="dot"),
                    legendgroup="selected", showlegend=False, hoverinfo="skip", **where)
    guide = len(fig.data) - 1
    fig.add_scatter(x=[reference_age], y=[reference], mode="markers",
                    marker=dict(symbol="circle", size=13, color=PALETTE["vermillion"],
                                line=dict(color="white", width=1.5)),
                    name="selected age", legendgroup="selected", showlegend=in_legend,
                    hovertemplate="%{text}<extra></extra>", text=[""], **where)
    return guide, len(fig.data) - 1


def _add_comparison(fig, curve_id: str, index: int, label: str, row: int, col: int) -> None:
    """Another published estimate as a dashed outline of its band (no filled area)."""
    table = aging.curve_over_ages(curve_id, comparison=index)
    ages = list(table["age"])
    fig.add_scatter(x=ages + [None] + ages, y=list(table["low"]) + [None] + list(table["high"]),
                    mode="lines", line=dict(color=PALETTE["orange"], width=2, dash="dash"),
                    name=label, hoverinfo="skip", row=row, col=col)


# --- the prevalence figure -----------------------------------------------------------------

def _study_label(study: aging.PrevalenceStudy) -> str:
    return f"{study.population}<br><i>{short_citation(study.refs[0])}</i>"


def _prevalence_figure():
    studies = aging.prevalence_studies()
    fig = new_figure("Night (rest) leg cramps: how many people report them", height=520,
                     x_title="People reporting cramps (%)", margin=dict(l=290, r=30, t=110, b=60))
    shown_windows = set()
    for study in studies:
        colour, symbol = RECALL_STYLE[study.recall_window]
        legend = study.recall_window not in shown_windows
        shown_windows.add(study.recall_window)
        window = ("recall window not stated" if study.recall_window == "not stated"
                  else f"recall: {study.recall_window}")
        fig.add_scatter(
            x=[study.low_pct, study.high_pct], y=[_study_label(study)] * 2, mode="lines+markers+text",
            line=dict(color=colour, width=6), marker=dict(color=colour, symbol=symbol, size=13),
            text=["", study.value_text], textposition="middle right",
            name=window, legendgroup=study.recall_window, showlegend=legend,
            hovertemplate=(f"{html.escape(study.population)}: {html.escape(study.value_text)}"
                           f"<br>{html.escape(window)}<br>{html.escape(study.question)}<extra></extra>"))
    fig.update_xaxes(range=[0, 75])
    fig.update_yaxes(autorange="reversed")
    return fig


# --- text: the changes table and the mechanism cards ---------------------------------------

def _cite_links(text: str) -> str:
    """'[a; b]' in data text -> links to the notebook's reference list (ids ref-a, ref-b)."""
    def link(match: re.Match) -> str:
        ids = [i.strip() for i in match.group(1).split(";")]
        return "[" + "; ".join(f'<a href="#ref-{i}">{html.escape(short_citation(i))}</a>' for i in ids) + "]"
    return re.sub(r"\[([a-z0-9_]+(?:; ?[a-z0-9_]+)*)\]", link, html.escape(text))


def mechanisms_html() -> str:
    cards = []
    for m in aging.aging_data().mechanisms:
        cards.append(
            f'<div class="kcl-mechanism" id="kcl-mech-{m.id}"><h4>{html.escape(m.title)}</h4>'
            f"<p>{_cite_links(m.explanation)} {evidence_badge(m.evidence_level)}</p>"
            f"<p><strong>Link to cramps:</strong> {_cite_links(m.cramp_link)} "
            f"{evidence_badge(m.link_evidence_level)}</p></div>")
    return _CSS + '<div class="kcl-mechanisms">' + "".join(cards) + "</div>"


def changes_html(age: float) -> str:
    rows = []
    for change in aging.changes_since_reference(age):
        m = change.mechanism
        rows.append(
            f"<tr><th scope='row'>{html.escape(change.label)}</th><td>{html.escape(change.text)}</td>"
            f'<td><a href="#kcl-mech-{m.id}">{html.escape(m.title)}</a></td>'
            f"<td>{evidence_badge(change.evidence_level)}</td></tr>")
    return (
        f'<div class="kcl-aging-changes"><table><caption style="text-align:left; font-weight:bold;">'
        f"At {age:g} years, compared with 30</caption>"
        "<thead><tr><th scope='col'>What</th><th scope='col'>Change</th>"
        "<th scope='col'>Mechanism (why it may matter for cramps)</th>"
        "<th scope='col'>Evidence for the change</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>")


def _short(change: aging.Change) -> str:
    """'muscle mass 75 % (70-79)' or 'eGFR -48 (-52 to -34) mL/min/1.73 m²' for the summary line."""
    band, curve = change.band, aging.curve(change.id)
    if curve.kind == "percent_of_reference":
        return f"{curve.short_label} {band.central:.0f} % ({band.low:.0f}-{band.high:.0f})"
    return (f"{curve.short_label} {band.central:+.0f} ({band.low:+.0f} to {band.high:+.0f}) "
            f"{curve.unit}")


def summary_line(age: float) -> str:
    reference = aging.aging_data().reference_age_years
    if age == reference:
        return f"Age {age:g} is the reference: every curve starts here. Move the age to see what changes."
    quantified = [c for c in aging.changes_since_reference(age) if c.band is not None]
    return f"Age {age:g}, relative to {reference:g}: " + "; ".join(_short(c) for c in quantified) + "."


def prevalence_summary(age: float) -> str:
    covering = len(aging.studies_covering(age))
    total = len(aging.prevalence_studies())
    who = (f"all {total} studies include people this age" if covering == total else
           f"{covering} of {total} studies include people this age (drawn solid; the faded ones "
           "studied only older people)")
    return (f"At {age:g} years, {who}. Compare like with like: a past-month figure and a "
            "lifetime figure answer different questions.")


# --- the explorer --------------------------------------------------------------------------

class AgingExplorer(ExplorerFacade):
    """The age slider, the four curves, the changes table and the prevalence chart."""

    def __init__(self, scenario: str | None = None):
        self.figure, self._marker_index, self._guide_index = _curves_figure()
        self.prevalence_figure = _prevalence_figure()
        self.changes = ipw.HTML()
        self.prevalence_summary = ipw.HTML()
        self.explorer = ModelExplorer("aging", figure=self.figure, update=self._update, scenario=scenario)
        self.show_age = guarded(self.explorer.message)(self._show_age)
        self.widget = ipw.VBox([
            self.explorer.widget,
            self.changes,
            ipw.HTML(mechanisms_html()),
            self.prevalence_summary,
            self.prevalence_figure,
        ], layout=ipw.Layout(max_width="980px"))
        self.widget.add_class("kcl-aging")

    # what a notebook or test reads
    @property
    def age(self) -> float:
        return self.explorer.values["age"]

    def _show_age(self, age) -> None:
        """Move to an age typed in code; an age outside 20-90 leaves the page as it was."""
        self.explorer.set_values(age=aging.check_age(age))

    def _repr_mimebundle_(self, **kwargs):
        # both figures sit in boxes: send their current state, or Voila shows them empty
        sync_for_display(self.figure, self.prevalence_figure)
        return self.widget._repr_mimebundle_(**kwargs)

    # called by ModelExplorer inside figure.batch_update()
    def _update(self, values: dict, fig) -> str:
        age = aging.check_age(values["age"])
        for change in aging.changes_since_reference(age):
            if change.band is not None:
                marker = fig.data[self._marker_index[change.id]]
                marker.x, marker.y, marker.text = [age], [change.band.central], [f"age {age:g}: {change.text}"]
                fig.data[self._guide_index[change.id]].x = [age, age]
        self.changes.value = changes_html(age)
        self._highlight_studies(age)
        return summary_line(age)

    def _highlight_studies(self, age: float) -> None:
        covering = {s.id for s in aging.studies_covering(age)}
        with self.prevalence_figure.batch_update():
            for trace, study in zip(self.prevalence_figure.data, aging.prevalence_studies()):
                trace.opacity = 1.0 if study.id in covering else FADED
        self.prevalence_summary.value = (
            '<p class="kcl-summary" role="status" aria-live="polite" style="margin:0.8em 0 0.2em;">'
            f"<strong>Prevalence: </strong>{html.escape(prevalence_summary(age))}</p>")


def explore_aging(scenario: str | None = None) -> AgingExplorer:
    """The ageing explorer; `scenario` is an id from data/scenarios/aging.yaml."""
    return AgingExplorer(scenario=scenario)


# --- the older adult in the reflex explorer (notebook 04) ----------------------------------

class SameTaskInReflexExplorer:
    """The reflex explorer set to one everyday task done at an older age by a tired muscle.

    The task takes `effort_at_30_pct` of maximal effort at 30; at `age` it takes more, because
    strength has fallen (physiology.aging.relative_effort_pct). Fatigue is a model setting.
    """

    def __init__(self, age: float = 75, effort_at_30_pct: float = 30, fatigue_pct: float = 50):
        from widgets.reflex import explore_reflex  # notebook 04's explorer

        self.effort_pct = round(aging.relative_effort_pct(effort_at_30_pct, age).central)
        self.reflex = explore_reflex()
        self.reflex.set_values(drive_amplitude_pct=self.effort_pct, fatigue_pct=fatigue_pct)
        self._box = FigureBox(self.reflex.widget, self.reflex.figure, self.reflex.loop.figure)

    def _repr_mimebundle_(self, **kwargs):
        return self._box._repr_mimebundle_(**kwargs)


def same_task_in_reflex_explorer(age: float = 75, effort_at_30_pct: float = 30,
                                 fatigue_pct: float = 50) -> SameTaskInReflexExplorer:
    return SameTaskInReflexExplorer(age, effort_at_30_pct, fatigue_pct)
