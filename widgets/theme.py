"""One look for every figure: a colour-blind-safe palette and one plotly template.

Colours are the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), distinguishable
with the common forms of colour-vision deficiency. Use PALETTE by name, never raw hex elsewhere.
"""
from __future__ import annotations

from pathlib import Path

import plotly
import plotly.graph_objects as go
import plotly.io as pio
import traitlets

PALETTE: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}

# The order traces take their colours in: high-contrast colours first, yellow (weak on white) last.
COLOUR_CYCLE: list[str] = [PALETTE[c] for c in (
    "blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "black", "yellow")]

# Semantic colours, so the same idea has the same colour in every notebook.
ROLE_COLOURS: dict[str, str] = {
    "normal": PALETTE["blue"],
    "altered": PALETTE["vermillion"],
    "reference_band": "rgba(86, 180, 233, 0.25)",  # sky blue, translucent
    "threshold": PALETTE["grey"],
    "strong": PALETTE["bluish_green"],
    "moderate": PALETTE["blue"],
    "weak": PALETTE["orange"],
    "expert-opinion": PALETTE["reddish_purple"],
    "lacking": PALETTE["grey"],  # no study in the project's sources tests the claim
}

TEMPLATE_NAME = "knee_cramp_lab"

pio.templates[TEMPLATE_NAME] = go.layout.Template(
    layout=dict(
        colorway=COLOUR_CYCLE,
        font=dict(family="Arial, Helvetica, sans-serif", size=14, color="#222222"),
        title=dict(font=dict(size=17), x=0.01, xanchor="left"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(showline=True, linecolor="#444", gridcolor="#e5e5e5", zeroline=False, ticks="outside"),
        yaxis=dict(showline=True, linecolor="#444", gridcolor="#e5e5e5", zeroline=False, ticks="outside"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        margin=dict(l=70, r=20, t=70, b=60),
        hoverlabel=dict(font_size=13),
    )
)
pio.templates.default = "plotly_white+" + TEMPLATE_NAME


# --- one plotly.js per page ---------------------------------------------------------------
# plotly's FigureWidget is an anywidget whose front-end module is a 5 MB bundle of plotly.js.
# anywidget imports that module afresh for every figure, so a page with four figures parsed
# and ran plotly.js four times, and on a busy machine a figure could miss anywidget's 2-second
# initialisation deadline and never appear. `Figure` ships a small module instead: the first
# Figure created in a kernel carries plotly's bundle, the page evaluates it once, and every
# figure renders with that one copy. `initialize` returns at once (no deadline to miss);
# `render` waits for the shared copy, which is evaluated when the page is next idle (at most
# 1.2 s later) so that small anywidgets such as the sliders start up first.
_PLOTLY_BUNDLE = (Path(plotly.__file__).parent / "package_data" / "widgetbundle.js").read_text()

_FIGURE_SHIM_ESM = """
const KEY = "__kneeCrampLabPlotlyWidget_%s";
function sharedBundle(source) {
  if (!globalThis[KEY]) {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    globalThis[KEY] = { promise, resolve, reject, started: false };
  }
  const entry = globalThis[KEY];
  if (source && !entry.started) {
    entry.started = true;
    // Evaluating plotly.js blocks the page for a moment; let the small widgets (sliders,
    // buttons) finish their own start-up first, which anywidget allows only 2 s for.
    const start = () => {
      const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      import(url).then((mod) => entry.resolve(mod.default), entry.reject)
        .finally(() => URL.revokeObjectURL(url));
    };
    if (globalThis.requestIdleCallback) { requestIdleCallback(start, { timeout: 1200 }); }
    else { setTimeout(start, 300); }
  }
  return entry.promise;
}
export default () => {
  let widget;
  return {
    initialize({ model }) {
      widget = sharedBundle(model.get("_plotly_bundle")).then((factory) => {
        const plotlyWidget = factory();
        plotlyWidget.initialize({ model });
        return plotlyWidget;
      });
      widget.catch((err) => console.error("[knee-cramp-lab] plotly could not load", err));
    },
    async render({ model, el }) {
      const plotlyWidget = await widget;
      return plotlyWidget.render({ model, el });
    },
  };
};
""" % plotly.__version__


class Figure(go.FigureWidget):
    """plotly's FigureWidget, with plotly.js loaded once per page (see above)."""

    _esm = _FIGURE_SHIM_ESM
    _plotly_bundle = traitlets.Unicode("").tag(sync=True)
    _bundle_carried = False  # has a Figure in this kernel carried the bundle yet?

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not Figure._bundle_carried:
            Figure._bundle_carried = True
            self._plotly_bundle = _PLOTLY_BUNDLE


def new_figure(title: str, x_title: str = "", y_title: str = "", height: int = 380,
               **layout) -> Figure:
    """A themed, empty Figure (a FigureWidget) with a title and axis labels (units in labels)."""
    fig = Figure()
    fig.update_layout(title=title, height=height, template=pio.templates.default, **layout)
    if x_title:
        fig.update_xaxes(title_text=x_title)
    if y_title:
        fig.update_yaxes(title_text=y_title)
    return fig


def evidence_colour(level: str) -> str:
    """The colour of an evidence level (strong, moderate, weak, expert-opinion, lacking)."""
    return ROLE_COLOURS[level]


def sync_for_display(*figures: go.FigureWidget) -> None:
    """Send each FigureWidget's current traces and layout as its displayed state.

    plotly does this itself only when a FigureWidget is displayed on its own. A FigureWidget
    shown inside a container (VBox, HBox...) would otherwise appear in Voila as it was when
    constructed, without the traces and layout changes made since. Call this right before
    displaying a container that holds figures; ModelExplorer and `figure_box` do it for you.
    """
    from copy import deepcopy

    for fig in figures:
        fig._widget_layout = deepcopy(fig._layout_obj._props)
        fig._widget_data = deepcopy(fig._data)


class FigureBox:
    """A container of widgets and FigureWidgets that syncs the figures when it is displayed.

        FigureBox(ipw.VBox([controls, fig]), fig)   # then return or display() it
    """

    def __init__(self, box, *figures: go.FigureWidget):
        self.box = box
        self.figures = figures

    def _repr_mimebundle_(self, **kwargs):
        sync_for_display(*self.figures)
        return self.box._repr_mimebundle_(**kwargs)
