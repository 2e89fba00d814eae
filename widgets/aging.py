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

import ipywidgets as ipw

from physiology import aging
from widgets.citations import cite_html, short_citation
from widgets.content import evidence_badge
from widgets.explorer import ModelExplorer
from widgets.figures import FigurePanel
from widgets.safety import guarded
from widgets.theme import INK, PALETTE, ROLE_COLOURS, css, new_figure

GRID = ((1, 1), (1, 2), (2, 1), (2, 2))  # subplot (row, col) of each curve, in data order

RECALL_STYLE = {  # recall window -> colour and marker symbol (shape as well as colour)
    "past month": (PALETTE["blue"], "circle"),
    "lifetime": (PALETTE["vermillion"], "diamond"),
    "not stated": (PALETTE["grey"], "square"),
}
FADED = 0.25

_CSS = css("""<style>
.kcl-aging-changes table { border-collapse: collapse; margin: 0.4em 0; max-width: 60em; }
.kcl-aging-changes th, .kcl-aging-changes td { border-bottom: 1px solid $rule; padding: 0.3em 0.6em;
  text-align: left; vertical-align: top; }
.kcl-aging-changes a, .kcl-mechanisms a { color: $blue; }
.kcl-mechanism { border-left: 4px solid $bluish_green; padding: 0.2em 0.8em; margin: 0.6em 0; }
.kcl-mechanism:target { background: $warning_bg; }
.kcl-mechanism h3 { font-size: 1.05em; margin: 0.4em 0 0.2em; }
</style>""")


# --- the curves figure ---------------------------------------------------------------------

def _curves_figure():
    """Four small panels, one per curve; returns the figure and, per curve id, the trace indexes
    of its selected-age marker and of its dotted vertical guide line. Every axis has a set range
    (the curves never change), so an age move changes only the x/y of those eight small traces
    and plotly.js redraws just them (widgets.figures.batch_redraw), not all four panels."""
    spec = aging.aging_data()
    fig = new_figure("What changes with age (relative to age 30)", height=680,
                     margin=dict(l=80, r=20, t=70, b=140),
                     legend=dict(orientation="h", x=0, xanchor="left", y=-0.13, yanchor="top"))
    fig.set_subplots(rows=2, cols=2, subplot_titles=[c.label for c in spec.curves],
                     horizontal_spacing=0.12, vertical_spacing=0.17)
    markers, guides = {}, {}
    for i, (c, (row, col)) in enumerate(zip(spec.curves, GRID)):
        guides[c.id], markers[c.id] = _add_panel(fig, c, row, col, in_legend=i == 0)
        fig.update_yaxes(title_text=c.axis_title, title_font_size=12, range=_value_range(c.id),
                         row=row, col=col)
        fig.update_xaxes(range=[spec.min_age_years - 1, spec.max_age_years + 1], row=row, col=col,
                         title_text="Age (years)" if row == 2 else "")
    fig.update_annotations(font_size=14)
    return fig, markers, guides


def _value_range(curve_id: str) -> list[float]:
    """The y range of a panel: every band and comparison, with 6 % to spare on each side."""
    tables = [aging.curve_over_ages(curve_id, comparison=k)
              for k in range(len(aging.curve(curve_id).comparisons))]
    tables.append(aging.curve_over_ages(curve_id))
    low = min(float(t["low"].min()) for t in tables)
    high = max(float(t["high"].max()) for t in tables)
    spare = 0.06 * (high - low)
    return [low - spare, high + spare]


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
    low, high = _value_range(c.id)
    fig.add_scatter(x=[reference_age, reference_age], y=[low, high], mode="lines",
                    line=dict(color=PALETTE["grey"], width=1.5, dash="dot"), showlegend=False,
                    hoverinfo="skip", **where)
    guide = len(fig.data) - 1
    fig.add_scatter(x=[reference_age], y=[reference], mode="markers",
                    marker=dict(size=13, color=PALETTE["vermillion"],
                                line=dict(color=INK["white"], width=1.5)),
                    name="selected age", legendgroup="selected", showlegend=in_legend, cliponaxis=False,
                    hovertemplate=f"age %{{x}}: %{{y:.1f}} {html.escape(c.unit)}<extra></extra>",
                    **where)
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

def mechanisms_html() -> str:
    cards = []
    for m in aging.aging_data().mechanisms:
        cards.append(
            f'<div class="kcl-mechanism" id="kcl-mech-{m.id}"><h3>{html.escape(m.title)}</h3>'
            f"<p>{cite_html(m.explanation)} {evidence_badge(m.evidence_level)}</p>"
            f"<p><strong>Link to cramps:</strong> {cite_html(m.cramp_link)} "
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


# --- the explorer --------------------------------------------------------------------------

class AgingExplorer(ModelExplorer):
    """The age slider, the four curves, the changes table and the prevalence chart."""

    def __init__(self, scenario: str | None = None):
        self.figure, self._marker_index, self._guide_index = _curves_figure()
        self.prevalence = FigurePanel(_prevalence_figure(), lead="Prevalence")
        self.prevalence_figure = self.prevalence.figure
        self.changes = ipw.HTML()
        super().__init__("aging", figures=[self.figure], update=self._update, scenario=scenario,
                         after=[self.changes, ipw.HTML(mechanisms_html()), self.prevalence],
                         css_class="kcl-aging")
        self.show_age = guarded(self.message)(self._show_age)

    # what a notebook or test reads
    @property
    def age(self) -> float:
        return self.values["age"]

    def _show_age(self, age) -> None:
        """Move to an age typed in code; an age outside 20-90 leaves the page as it was."""
        self.set_values(age=aging.check_age(age))

    def marker_position(self, curve_id: str) -> tuple[float, float]:
        """(age, value) of a curve's selected-age marker."""
        marker = self.figure.data[self._marker_index[curve_id]]
        return marker.x[0], marker.y[0]

    def guide_ages(self, curve_id: str) -> tuple[float, float]:
        """Where a curve's dotted guide line starts and ends on the age axis."""
        return tuple(self.figure.data[self._guide_index[curve_id]].x)

    # called by the explorer core inside batch_redraw(figure)
    def _update(self, values: dict) -> str:
        self.result = aging.simulate(**values)
        age = self.result.age
        for change in self.result.changes:
            if change.band is not None:
                self.figure.data[self._marker_index[change.id]].update(x=[age], y=[change.band.central])
                self.figure.data[self._guide_index[change.id]].x = [age, age]
        return aging.summarise(self.result)

    def _refresh(self) -> None:
        # The curves first, then the table and the prevalence chart: the browser draws them in
        # the order they arrive, and the markers on the curves are what an age move is about.
        super()._refresh()
        self.changes.value = changes_html(self.result.age)
        self._highlight_studies(self.result)

    def _highlight_studies(self, result: aging.AgeResult) -> None:
        covering = {s.id for s in result.studies_covering}
        with self.prevalence_figure.batch_update():
            for trace, study in zip(self.prevalence_figure.data, aging.prevalence_studies()):
                trace.opacity = 1.0 if study.id in covering else FADED
        self.prevalence.show(aging.summarise_prevalence(result))


def explore_aging(scenario: str | None = None) -> AgingExplorer:
    """The ageing explorer; `scenario` is an id from data/scenarios/aging.yaml."""
    return AgingExplorer(scenario=scenario)


# --- the older adult in the reflex explorer (notebook 04) ----------------------------------

def same_task_in_reflex_explorer(age: float = 75, effort_at_30_pct: float = 30,
                                 fatigue_pct: float = 50):
    """The reflex explorer set to one everyday task done at an older age by a tired muscle.

    The task takes `effort_at_30_pct` of maximal effort at 30; at `age` it takes more, because
    strength has fallen (physiology.aging.relative_effort_pct). Fatigue is a model setting.
    """
    from widgets.reflex import ReflexExplorer  # notebook 04's explorer

    effort_pct = round(aging.relative_effort_pct(effort_at_30_pct, age).central)
    return ReflexExplorer(start_values=dict(drive_amplitude_pct=effort_pct, fatigue_pct=fatigue_pct))
