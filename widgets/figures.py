"""A figure a screen reader can find: its title as its name, its live summary as its description.

plotly.js gives a figure no accessible name or description (plotly.js#6920), so a screen reader
meets an unnamed graphic. Every figure on a page is therefore shown through `labelled(...)`:

    panel = FigurePanel(fig, lead="Now")      # the summary line above the figure it describes
    panel.show("Force peaks at 95 % of maximum.")   # after each redraw
    panel.widget                               # VBox([summary line, labelled figure])

`labelled(fig, described_by=id)` wraps the figure in a box that, in the browser, gets
role="figure", aria-label = the figure's title and aria-describedby = the summary line's id.
ipywidgets cannot set ARIA attributes on a box, so a tiny invisible anywidget inside the box
sets them on it (and again whenever the title changes). `summary_html(text, lead, id)` is the
one style of summary line (role="status", read out when it changes) used on every page.
"""
from __future__ import annotations

import contextlib
import html
import math
import re
import uuid
from typing import Iterable

import anywidget
import ipywidgets as ipw
import plotly.graph_objects as go
import traitlets

from widgets.theme import sync_for_display

_LABEL_ESM = """
function apply(model, el, tries) {
  const box = el.closest(".kcl-figure");
  if (!box) {
    // the view is attached to the page just after render: look again shortly
    if (tries < 200) setTimeout(() => apply(model, el, tries + 1), 50);
    return;
  }
  box.setAttribute("role", "figure");
  box.setAttribute("aria-label", model.get("label"));
  const describedBy = model.get("described_by");
  if (describedBy) box.setAttribute("aria-describedby", describedBy);
  else box.removeAttribute("aria-describedby");
}
export default {
  render({ model, el }) {
    el.classList.add("kcl-figure-label");
    el.style.display = "none";
    apply(model, el, 0);
    const again = () => apply(model, el, 0);
    model.on("change:label", again);
    model.on("change:described_by", again);
    return () => { model.off("change:label", again); model.off("change:described_by", again); };
  },
};
"""


class FigureLabel(anywidget.AnyWidget):
    """Invisible: gives the `.kcl-figure` box around it an accessible name and description."""

    _esm = _LABEL_ESM
    # Hidden by a style sheet as well: on the cramp-lab page (notebook 09) the inline
    # display:none set in render was later cleared (style attribute ''), leaving visible empty
    # views that the healthy-page rule counts as blank.
    _css = ".kcl-figure-label { display: none !important; }"
    label = traitlets.Unicode("").tag(sync=True)
    described_by = traitlets.Unicode("").tag(sync=True)


def new_id(prefix: str = "kcl-summary") -> str:
    """A page-unique element id (several explorers can share one page)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def plain_title(fig) -> str:
    """The figure's title as plain text (plotly titles may hold <br>, <i>...)."""
    text = fig.layout.title.text or ""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip() or "Figure"


class LabelledFigure:
    """The box that holds one figure and its FigureLabel; `refresh()` after the title changes."""

    def __init__(self, fig, described_by: str = ""):
        self.figure = fig
        self.label = FigureLabel(label=plain_title(fig), described_by=described_by)
        self.box = ipw.Box([self.label, fig], layout=ipw.Layout(flex_flow="column"))
        self.box.add_class("kcl-figure")

    def refresh(self) -> None:
        self.label.label = plain_title(self.figure)


def labelled(fig, described_by: str = "") -> LabelledFigure:
    return LabelledFigure(fig, described_by)


def summary_html(text: str, lead: str = "Now", element_id: str = "") -> str:
    """The live summary line: one style on every page, read out by screen readers on change."""
    id_attr = f' id="{html.escape(element_id)}"' if element_id else ""
    return (f'<p class="kcl-summary" role="status" aria-live="polite"{id_attr} '
            'style="font-size:1.1em; margin:0.4em 0;">'
            f"<strong>{html.escape(lead)}: </strong>{html.escape(text)}</p>")


class FigurePanel:
    """A summary line and the figures it describes, shown together; syncs them when displayed."""

    def __init__(self, *figures, lead: str = "Now", text: str = "", before: Iterable = (),
                 after: Iterable = (), max_width: str = "980px"):
        self.figures = figures
        self.lead = lead
        self.summary_id = new_id()
        self.summary = ipw.HTML()
        self.summary_text = ""
        self.labelled = [labelled(f, self.summary_id) for f in figures]
        self.widget = ipw.VBox([*before, self.summary, *(lf.box for lf in self.labelled), *after],
                               layout=ipw.Layout(max_width=max_width))
        if text:
            self.show(text)

    @property
    def figure(self):
        """The first (usually the only) figure."""
        return self.figures[0]

    def show(self, text: str) -> None:
        """Put a new summary line up, and each figure's current title as its name."""
        self.summary_text = text
        self.summary.value = summary_html(text, self.lead, self.summary_id)
        for lf in self.labelled:
            lf.refresh()

    def _repr_mimebundle_(self, **kwargs):
        sync_for_display(*self.figures)   # figures inside a box: send their current state
        return self.widget._repr_mimebundle_(**kwargs)


# --- redrawing after a slider move ---------------------------------------------------------------
#
# plotly.js answers FigureWidget.batch_update() with Plotly.update, which redraws the whole figure:
# every axis with its tick labels, the legend, every panel (35-70 ms for our three- and four-panel
# figures in Chromium, against 17 ms for a bare one-trace plot). When a move changes only the x/y
# data of line traces whose axes keep their ranges, plotly.js can redraw just those traces:
# Plotly.animate with no transition and no full redraw (about a third of the time; measured in
# benchmarks/README.md). Anything else (a title, a shape, an axis range, a colour) still takes
# the full redraw, so nothing on screen can go stale.

_IN_PLACE = {"transition": {"duration": 0}, "frame": {"duration": 0, "redraw": False},
             "mode": "immediate"}
_DATA_ONLY = {"x", "y"}


@contextlib.contextmanager
def batch_redraw(fig):
    """Like `fig.batch_update()` (one message for all changes), drawn the cheapest safe way."""
    if not isinstance(fig, go.FigureWidget) or fig._in_batch_mode:
        with fig.batch_update():
            yield
        return
    fig._in_batch_mode = True
    try:
        yield
    finally:
        fig._in_batch_mode = False
        if not (fig._batch_trace_edits or fig._batch_layout_edits):
            pass                                   # nothing changed: nothing to send
        elif _only_data_on_fixed_axes(fig):
            fig._perform_batch_animate(_IN_PLACE)
        else:
            restyle, relayout, traces = fig._build_update_params_from_batch()
            fig.plotly_update(restyle_data=restyle, relayout_data=relayout, trace_indexes=traces)
            fig._batch_layout_edits.clear()
            fig._batch_trace_edits.clear()


def _only_data_on_fixed_axes(fig) -> bool:
    """True if the pending batch changes only x/y of scatter traces whose axes have set ranges.
    (Reads plotly's plain dicts: its property objects cost 3 ms a move here.)"""
    edits = fig._batch_trace_edits
    if fig._batch_layout_edits or not edits:
        return False
    for index, changes in edits.items():
        trace = fig._data[index]
        if trace.get("type", "scatter") != "scatter" or not set(changes) <= _DATA_ONLY:
            return False
        if not (_axis_fixed(fig._layout, trace.get("xaxis", "x"))
                and _axis_fixed(fig._layout, trace.get("yaxis", "y"))):
            return False
    return True


def _axis_fixed(layout: dict, axis_id: str) -> bool:
    """Does this axis (e.g. 'x', 'y2') keep its range when the data change?"""
    axis = layout.get(f"{axis_id[0]}axis{axis_id[1:]}", {})
    if axis.get("matches"):
        return _axis_fixed(layout, axis["matches"])
    return axis.get("range") is not None and axis.get("autorange") in (None, False)


_AXIS_STEPS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0)


def axis_top(peak: float, headroom: float = 1.05) -> float:
    """The top of an axis from 0 that holds `peak` (with 5 % to spare): the next of 1, 1.5, 2, 3,
    5, 7.5 x 10^k. The axis then moves in a few steps, not with every slider move, so a learner
    can compare two settings by eye, and most moves keep every range (see batch_redraw)."""
    need = max(float(peak) * headroom, 1e-12)
    decade = 10.0 ** math.floor(math.log10(need))
    return next(step * decade for step in _AXIS_STEPS if step * decade >= need * (1 - 1e-9))
