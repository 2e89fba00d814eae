"""Which muscles cramp "in the knee": a clickable schematic of the leg (side view).

Choose a group with the buttons (keyboard) or click it in the drawing: it is highlighted in
place and the panel beside it says what it does at the knee, how its cramp feels, how it is
stretched, and how often it is the one that cramps (with sources and evidence levels).
"""
from __future__ import annotations

import html

import ipywidgets as ipw
import plotly.graph_objects as go

from physiology.anatomy import MuscleGroup, muscle_groups
from physiology.data import references
from widgets.citations import sources_html
from widgets.content import evidence_badge
from widgets.figures import labelled, new_id
from widgets.theme import PALETTE, FigureBox, new_figure

# Outline of each group in a side view of a right leg, facing right (arbitrary drawing units:
# hip at y=10, knee at y=5, ankle at y=1). A drawing, not a measurement.
OUTLINES = {
    "quadriceps": ([0.25, 1.05, 1.2, 0.95, 0.45, 0.25], [9.6, 9.2, 7.4, 5.7, 5.4, 9.6]),
    "hamstrings": ([-0.25, -1.05, -1.15, -0.85, -0.45, -0.25], [9.5, 9.0, 7.2, 5.6, 5.2, 9.5]),
    "calf": ([-0.25, -0.95, -1.1, -0.7, -0.3, -0.25], [5.5, 5.2, 3.6, 2.0, 1.6, 5.5]),
}
COLOURS = {"quadriceps": PALETTE["blue"], "hamstrings": PALETTE["vermillion"], "calf": PALETTE["bluish_green"]}
DIM, BRIGHT = 0.25, 0.85


def _skeleton_traces() -> list[go.Scatter]:
    bone = dict(color=PALETTE["grey"], width=10)
    return [
        go.Scatter(x=[0, 0], y=[10, 5.15], mode="lines", line=bone, name="femur (thigh bone)",
                   hoverinfo="name", showlegend=False),
        go.Scatter(x=[0, 0], y=[4.85, 1.1], mode="lines", line=bone, name="tibia (shin bone)",
                   hoverinfo="name", showlegend=False),
        go.Scatter(x=[0, 1.3], y=[0.9, 0.7], mode="lines", line=bone, name="foot",
                   hoverinfo="name", showlegend=False),
        go.Scatter(x=[0], y=[5], mode="markers+text", marker=dict(size=22, color="white",
                   line=dict(color=PALETTE["black"], width=2)), text=["knee joint"],
                   textposition="middle right", name="knee joint: no muscle of its own",
                   hoverinfo="name", showlegend=False),
    ]


def _muscle_trace(group: MuscleGroup) -> go.Scatter:
    x, y = OUTLINES[group.id]
    return go.Scatter(x=x, y=y, fill="toself", mode="lines", name=group.name,
                      fillcolor=COLOURS[group.id], opacity=DIM, line=dict(color=COLOURS[group.id], width=2),
                      hoverinfo="name")


def group_panel_html(group: MuscleGroup) -> str:
    refs = references()
    shares = "".join(
        f"<li>{q.value:g} {html.escape(q.unit)} <small>({sources_html(q.refs)})</small> "
        f"{evidence_badge(refs[q.refs[0]].evidence_level)}</li>"
        for q in group.share_of_crampers
    )
    rows = [
        ("Muscles", group.muscles),
        ("Crosses", group.crosses),
        ("At the knee", group.action_at_knee),
        ("Two-joint part", group.two_joint_part),
        ("A cramp feels like", group.cramp_feels_like),
        ("How it is stretched", group.how_to_stretch),
    ]
    body = "".join(f"<dt>{k}</dt><dd>{html.escape(v)}</dd>" for k, v in rows)
    return (
        f'<section aria-live="polite"><h3 style="margin:0.2em 0; font-size:1.05em;">{html.escape(group.name)}</h3>'
        f'<dl style="margin:0;">{body}</dl><p style="margin:0.4em 0 0 0;"><strong>How often it is '
        f"the one that cramps:</strong></p><ul>{shares}</ul>"
        f"<p><small>Sources: {sources_html(group.refs)}</small></p></section>"
    )


class KneeMuscleExplorer:
    """Buttons + clickable drawing + description panel; `select(group_id)` drives it."""

    def __init__(self, selected: str = "calf"):
        self.groups = muscle_groups()
        fig = new_figure("Muscles that cross the knee (side view, facing right)", height=560,
                         showlegend=True, width=520,
                         legend=dict(orientation="h", yanchor="top", y=-0.02, x=0))
        fig.update_xaxes(visible=False, range=[-2.2, 2.6])
        fig.update_yaxes(visible=False, range=[0.3, 10.4], scaleanchor="x")
        for trace in _skeleton_traces():
            fig.add_trace(trace)
        self.first_muscle = len(fig.data)
        for group in self.groups.values():
            fig.add_trace(_muscle_trace(group))
        self.figure = fig
        for trace in self.figure.data[self.first_muscle:]:
            trace.on_click(self._on_click)
        self.picker = ipw.ToggleButtons(
            options=[(g.name.split(" (")[0], g.id) for g in self.groups.values()],
            value=selected, description="Muscle group", style={"description_width": "initial"},
            tooltips=[g.name for g in self.groups.values()],
        )
        self.panel = ipw.HTML(layout=ipw.Layout(max_width="30em"))
        self.panel_id = new_id("kcl-muscle")
        # the drawing's name is its title, its description the panel about the chosen group
        labelled_figure = labelled(self.figure, self.panel_id)
        self.picker.observe(lambda change: self.select(change["new"]), names="value")
        self.select(selected)
        self.widget = FigureBox(
            ipw.VBox([self.picker, ipw.HBox([labelled_figure.box, self.panel],
                                            layout=ipw.Layout(flex_flow="row wrap", gap="1em"))]),
            self.figure,
        )

    def select(self, group_id: str) -> None:
        group = self.groups[group_id]  # KeyError for an unknown group
        with self.figure.batch_update():
            for trace, gid in zip(self.figure.data[self.first_muscle:], self.groups):
                trace.opacity = BRIGHT if gid == group_id else DIM
                trace.line.width = 5 if gid == group_id else 2
        self.panel.value = f'<div id="{self.panel_id}">{group_panel_html(group)}</div>'
        if self.picker.value != group_id:
            self.picker.value = group_id

    @property
    def selected(self) -> str:
        return self.picker.value

    def _on_click(self, trace, points, _state) -> None:
        if points.point_inds:
            gid = list(self.groups)[self.figure.data.index(trace) - self.first_muscle]
            self.select(gid)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def explore_knee_muscles(selected: str = "calf") -> KneeMuscleExplorer:
    return KneeMuscleExplorer(selected)
