"""Risk factor explorer and the medication sequence-ratio figure (notebook 06).

    explore_risk_factors(case="thiazide_72")   # or ?case=thiazide_72 in the Voila address
    medication_figure()

A learner, or an educator describing a fictional case, ticks risk factors; a Sankey diagram shows
them flowing to the mechanisms they are thought to act through and on to "Cramp", coloured by how
well each link is supported. Beside it: the evidence for each link, what can be changed, and the
related checklist items. It never computes a risk score: the data and the diagram come from
physiology.risk_factors, and a band's width counts links, not risk.
"""
from __future__ import annotations

import html
from typing import Iterable

import ipywidgets as ipw
import plotly.graph_objects as go

from physiology import risk_factors as rf
from widgets.citations import sources_html
from widgets.content import RED_FLAG_TAGS, evidence_badge
from widgets.explorer import CUSTOM, Explorer, Preset, Wording
from widgets.figures import FigurePanel
from widgets.theme import PALETTE, css, evidence_colour, new_figure, translucent

NOT_A_SCORE = (
    "Risk factors describe groups of people; no validated model turns them into one person's "
    "chance of cramping, so nothing here adds them up. A band's width counts links between "
    "boxes, not risk."
)
NO_CASE = CUSTOM  # the picker entry "Choose a fictional case..."
QUERY_KEY = "case"

NODE_COLOURS = {"factor": PALETTE["grey"], "mechanism": PALETTE["sky_blue"],
                "cramp": PALETTE["vermillion"]}

_CSS = css("""<style>
.kcl-risk { max-width: 1020px; }
.kcl-risk .kcl-factor-groups { display: grid; grid-template-columns: repeat(auto-fill, minmax(15em, 1fr));
  gap: 0.2em 1.2em; }
.kcl-risk .kcl-factor-groups h3 { margin: 0.5em 0 0.1em 0; font-size: 1em; }
.kcl-risk .widget-checkbox { width: auto; height: auto; }
.kcl-risk .widget-checkbox label, .kcl-risk .widget-checkbox span { white-space: normal; line-height: 1.3; }
.kcl-risk input:focus-visible, .kcl-risk button:focus-visible, .kcl-risk select:focus-visible,
.kcl-risk summary:focus-visible { outline: 3px solid $orange; outline-offset: 2px; }
.kcl-risk table { border-collapse: collapse; font-size: 0.9em; }
.kcl-risk th, .kcl-risk td { border-bottom: 1px solid $rule; padding: 0.25em 0.4em; text-align: left;
  vertical-align: top; }
.kcl-risk .kcl-not-a-score { border: 2px solid $vermillion; border-radius: 4px; padding: 0.5em 0.8em; }
.kcl-risk .kcl-panel { max-width: 52em; }
.kcl-risk .kcl-panel h3 { font-size: 1.05em; margin: 0.6em 0 0.2em; }
</style>""")


# --- small HTML pieces ---------------------------------------------------------------------

def legend_html() -> str:
    levels = "".join(
        f'<li><span aria-hidden="true" style="display:inline-block; width:2em; height:0.7em; '
        f'background:{translucent(evidence_colour(lvl), 0.7)}; margin-right:0.4em;"></span>'
        f"{evidence_badge(lvl)}</li>" for lvl in rf.RISK_EVIDENCE_LEVELS)
    return ('<p style="margin:0.2em 0"><strong>Band colour = evidence for that link</strong></p>'
            f'<ul style="list-style:none; padding-left:0; margin:0">{levels}</ul>')


def evidence_table_html(rows: list[rf.EvidenceRow]) -> str:
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{html.escape(r.factor)}</td><td>{html.escape(r.mechanism)}</td>"
        f"<td>{evidence_badge(r.link_evidence)}</td>"
        f"<td>{html.escape(r.note)} <small>({sources_html(list(r.refs))})</small></td></tr>"
        for r in rows)
    return ('<table><caption style="text-align:left"><strong>Evidence for each link</strong> '
            "(the project's reading of the sources)</caption>"
            '<thead><tr><th scope="col">Factor</th><th scope="col">Mechanism</th>'
            '<th scope="col">Link evidence</th><th scope="col">Why this link</th></tr></thead>'
            f"<tbody>{body}</tbody></table>")


def factors_html(factors: list[rf.RiskFactor]) -> str:
    """What is known about each selected factor, and what can (or cannot) be changed."""
    if not factors:
        return ""

    def entry(f: rf.RiskFactor) -> str:
        return (f"<li><strong>{html.escape(f.name)}</strong> {evidence_badge(f.evidence_level)} "
                f"{html.escape(f.explanation)} <small>({sources_html(f.refs)})</small>"
                f"<br><em>Can it change?</em> {'Yes' if f.modifiable else 'No'}. "
                f"{html.escape(f.what_can_change)}</li>")

    changeable = [f for f in factors if f.modifiable]
    fixed = [f for f in factors if not f.modifiable]
    parts = ['<h3>What is known, and what can be changed</h3>']
    if changeable:
        parts.append("<p>Can change:</p><ul>" + "".join(map(entry, changeable)) + "</ul>")
    if fixed:
        parts.append("<p>Cannot change (but worth knowing):</p><ul>"
                     + "".join(map(entry, fixed)) + "</ul>")
    return "".join(parts)


def checklist_items_html(item_ids: Iterable[str]) -> str:
    """The related checklist items, grouped by checklist, each with its evidence and sources."""
    index = rf.checklist_index()
    by_checklist: dict[str, list[rf.ChecklistEntry]] = {}
    for item_id in item_ids:
        entry = index[item_id]
        by_checklist.setdefault(entry.checklist_title, []).append(entry)
    if not by_checklist:
        return ""
    parts = ["<h3>Related checklist items</h3><p><small>Tick them in the full checklists "
             "further down the page.</small></p>"]
    for title, entries in by_checklist.items():
        items = "".join(_checklist_item_html(e.item) for e in entries)
        parts.append(f"<p><strong>{html.escape(title)}</strong></p><ul>{items}</ul>")
    return "".join(parts)


def _checklist_item_html(item) -> str:
    tags = [f'<span class="kcl-tag">{RED_FLAG_TAGS[item.red_flag]}</span>'] if item.red_flag != "none" else []
    if item.evidence_level:
        tags.append(evidence_badge(item.evidence_level))
    sources = f"<small> ({sources_html(item.refs)})</small>" if item.refs else ""
    return (f"<li>{html.escape(item.label)} {' '.join(tags)}<details><summary>Why?</summary>"
            f"{html.escape(item.why)}{sources}</details></li>")


# --- the explorer --------------------------------------------------------------------------

class RiskExplorer(Explorer):
    """Grouped factor checkboxes, a case picker, Clear, and a Sankey updated in place.

    On the explorer core: every factor's checkbox is a control (True = ticked), the fictional
    cases of data/risk_cases.yaml are its presets and `?case=<id>` its page address."""

    def __init__(self, case: str | None = None):
        self.catalogue = rf.risk_factors()
        self.cases = rf.risk_cases()
        self.checkboxes: dict[str, ipw.Checkbox] = {
            f.id: ipw.Checkbox(value=False, description=f.name, indent=False,
                               layout=ipw.Layout(width="auto"))
            for f in self.catalogue.factors
        }
        self.links_panel = ipw.HTML()
        self.factors_panel = ipw.HTML()
        self.checklist_panel = ipw.HTML()
        for panel in (self.links_panel, self.factors_panel, self.checklist_panel):
            panel.add_class("kcl-panel")
        self.figure = self._new_sankey()
        presets = [Preset(c.id, c.label, c.description, {f: True for f in rf.case_factors(c.id)},
                          tuple(c.refs)) for c in self.cases.cases]
        super().__init__(
            QUERY_KEY, self.checkboxes, {fid: False for fid in self.checkboxes}, presets,
            self._update, [self.figure], check=self._check_ticks,
            before=[ipw.HTML(f'{_CSS}<p class="kcl-not-a-score" role="note"><strong>This is not '
                             f"a personal risk score.</strong> {html.escape(NOT_A_SCORE)}</p>")],
            body=[self._factor_grid()],
            after=[ipw.HTML(legend_html()), self.links_panel, self.factors_panel,
                   self.checklist_panel],
            start=case, css_class="kcl-risk",
            wording=Wording(picker="Fictional case", custom="Choose a fictional case...",
                            reset="Clear", reset_tooltip="Untick every factor"))

    # --- what a notebook or a test calls -------------------------------------------------

    @property
    def selected(self) -> tuple[str, ...]:
        """The ticked factor ids, in the data file's order."""
        return tuple(fid for fid, box in self.checkboxes.items() if box.value)

    @property
    def sankey(self) -> go.Sankey:
        return self.figure.data[0]

    def select(self, factor_ids: Iterable[str]) -> None:
        """Tick exactly these factors (an unknown id is a KeyError naming the valid ones)."""
        wanted = set(rf.validate_selection(factor_ids))
        self.set_values(**{fid: fid in wanted for fid in self.checkboxes})

    def select_case(self, case_id: str) -> None:
        self.select_scenario(case_id)

    def clear(self) -> None:
        self.reset()

    # --- internals -----------------------------------------------------------------------

    @staticmethod
    def _check_ticks(values: dict) -> dict:
        for fid, ticked in values.items():
            if not isinstance(ticked, bool):
                raise ValueError(f"A factor is ticked (True) or not (False); "
                                 f"{fid} = {ticked!r} is neither")
        return values

    def _new_sankey(self):
        fig = new_figure(title="Selected factors \u2192 mechanisms \u2192 cramp", height=460,
                         width=700, margin=dict(l=10, r=10, t=60, b=10))
        fig.add_trace(go.Sankey(
            arrangement="snap",
            node=dict(label=[], color=[], pad=14, thickness=16,
                      line=dict(color=PALETTE["black"], width=0.5),
                      hovertemplate="%{label}<extra></extra>"),
            link=dict(source=[], target=[], value=[], color=[], customdata=[],
                      hovertemplate="%{source.label} \u2192 %{target.label}<br>%{customdata}<extra></extra>"),
        ))
        fig.add_annotation(text="Tick a factor or pick a case to draw the diagram", showarrow=False,
                           x=0.5, y=0.5, xref="paper", yref="paper", font=dict(size=15))
        return fig

    def _factor_grid(self) -> ipw.Box:
        groups = []
        for category in self.catalogue.categories:
            boxes = [self.checkboxes[f.id] for f in self.catalogue.factors if f.category == category.id]
            if boxes:
                groups.append(ipw.VBox([ipw.HTML(f"<h3>{html.escape(category.label)}</h3>"), *boxes]))
        grid = ipw.Box(groups)
        grid.add_class("kcl-factor-groups")
        return grid

    def _update(self, values: dict) -> str:
        result = rf.simulate(**values)
        self._draw(result.diagram)
        self.links_panel.value = evidence_table_html(result.evidence)
        self.factors_panel.value = factors_html([self.catalogue.factor(f) for f in result.selected])
        self.checklist_panel.value = checklist_items_html(result.checklist_items)
        return rf.summarise(result)

    def _draw(self, diagram: rf.SankeyData) -> None:
        sankey = self.sankey
        # plotly.js keeps drawing the old nodes when a Sankey's arrays become empty, so an
        # empty selection hides the trace (the prompt annotation shows instead)
        sankey.visible = not diagram.is_empty
        sankey.node.label = list(diagram.labels)
        sankey.node.color = [NODE_COLOURS[k] for k in diagram.kinds]
        sankey.link.source = list(diagram.sources)
        sankey.link.target = list(diagram.targets)
        sankey.link.value = list(diagram.values)
        sankey.link.color = [translucent(evidence_colour(lvl)) for lvl in diagram.link_evidence]
        sankey.link.customdata = [
            f"Evidence: {'none' if lvl == 'lacking' else lvl}. {note}"
            for lvl, note in zip(diagram.link_evidence, diagram.link_notes)]
        self.figure.layout.annotations[0].visible = diagram.is_empty


def explore_risk_factors(case: str | None = None) -> RiskExplorer:
    """The risk factor explorer, optionally opened on a fictional case (see data/risk_cases.yaml).
    A `?case=<id>` in the Voila page address takes precedence over `case`."""
    return RiskExplorer(case=case)


# --- the medication figure -----------------------------------------------------------------

SEQUENCE_RATIO_EXPLAINED = (
    "A sequence ratio compares, among people who started both a medicine and a cramp treatment "
    "(quinine), how many started the cramp treatment in the year after the medicine with how many "
    "started it in the year before. A ratio of 1 means as many before as after; 1.47 means 47% "
    "more starts after. The ratios are adjusted for age and for trends in prescribing. Each person "
    "is compared with themselves, so traits that do not change over time (sex, genes, a "
    "long-standing illness) cancel out. In the figure, squares are whole medicine classes, "
    "circles (\u21b3) their subclasses, and bars the 95% confidence intervals."
)
SEQUENCE_RATIO_LIMITS = (
    "What it cannot show: whether the medicine caused the cramps. Anything that changed around "
    "the time the medicine was started can mimic an effect: a new illness that led to both the "
    "prescription and the cramps (confounding by indication). Quinine starts count only cramps "
    "that were treated, in adults aged 50 and over. Other studies found no link with diuretics, "
    "and people with night cramps simply had more illnesses and more prescriptions overall."
)


def _ratio_rows(ratios: rf.SequenceRatioFile) -> list[rf.SequenceRatio]:
    """Each class followed by its subclasses (the order the figure lists them, top to bottom)."""
    rows = []
    for parent in (r for r in ratios.ratios if r.level == "class"):
        rows.append(parent)
        rows.extend(r for r in ratios.ratios if r.parent == parent.id)
    return rows


def sequence_ratio_table() -> str:
    """The ratios as plain text: one line per medicine, with its interval and % change."""
    lines = [f"{'Medicine (class, then subclasses)':38} {'Ratio':>5}  {'95% CI':<9}  {'Change':>6}"]
    for r in _ratio_rows(rf.sequence_ratios()):
        name = r.label if r.level == "class" else "  " + r.label
        lines.append(f"{name:38} {r.ratio:5.2f}  {r.ci_low:.2f}-{r.ci_high:.2f}  {r.percent_change:+5.0f}%")
    return "\n".join(lines)


def medication_figure() -> FigurePanel:
    """Garrison 2012 adjusted sequence ratios with 95% CIs on a log axis, explained."""
    ratios = rf.sequence_ratios()
    explained = ipw.HTML(f"<p>{html.escape(SEQUENCE_RATIO_EXPLAINED)}</p>")
    limits = ipw.HTML(f"<p>{html.escape(SEQUENCE_RATIO_LIMITS)} <small>(Sources: "
                      f"{sources_html(['garrison2012', 'abdulla1999', 'haskell1997'])})</small></p>")
    return FigurePanel(_sequence_ratio_plot(ratios), lead="The figure shows",
                       text=rf.summarise_sequence_ratios(ratios), before=[explained], after=[limits])


def _sequence_ratio_plot(ratios: rf.SequenceRatioFile):
    rows = _ratio_rows(ratios)
    fig = new_figure(title="New cramp treatment after starting a medicine (Garrison 2012)",
                     x_title="Adjusted sequence ratio (log scale; 1 = no change)", height=430,
                     margin=dict(l=250, r=30, t=90, b=60))
    labels = [r.label if r.level == "class" else f"\u21b3 {r.label}" for r in rows]
    for excludes_one, name, colour in ((True, "95% CI above 1", PALETTE["blue"]),
                                       (False, "95% CI reaches 1", PALETTE["grey"])):
        picked = [i for i, r in enumerate(rows) if r.interval_excludes_one == excludes_one]
        fig.add_trace(go.Scatter(
            x=[rows[i].ratio for i in picked], y=[labels[i] for i in picked], name=name,
            mode="markers", marker=dict(color=colour, size=10,
                                        symbol=["square" if rows[i].level == "class" else "circle"
                                                for i in picked]),
            error_x=dict(type="data", symmetric=False, color=colour, thickness=2,
                         array=[rows[i].ci_high - rows[i].ratio for i in picked],
                         arrayminus=[rows[i].ratio - rows[i].ci_low for i in picked]),
            customdata=[[rows[i].ci_low, rows[i].ci_high, rows[i].p_value] for i in picked],
            hovertemplate="%{y}: %{x:.2f} (95% CI %{customdata[0]:.2f}-%{customdata[1]:.2f}), "
                          "%{customdata[2]}<extra></extra>",
        ))
    fig.add_vline(x=1, line=dict(color=PALETTE["black"], dash="dash", width=1.5))
    fig.update_xaxes(type="log", range=[-0.1, 0.55], tickvals=[0.8, 1, 1.5, 2, 2.5, 3],
                     ticktext=["0.8", "1", "1.5", "2", "2.5", "3"])
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], title_text="")
    return fig
