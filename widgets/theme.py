"""One look for every figure: a colour-blind-safe palette and one plotly template.

Colours are the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), distinguishable
with the common forms of colour-vision deficiency. Use PALETTE by name, never raw hex elsewhere.
"""
from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

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


def new_figure(title: str, x_title: str = "", y_title: str = "", height: int = 380,
               **layout) -> go.FigureWidget:
    """A themed, empty FigureWidget with a title and axis labels (units belong in the labels)."""
    fig = go.FigureWidget()
    fig.update_layout(title=title, height=height, template=pio.templates.default, **layout)
    if x_title:
        fig.update_xaxes(title_text=x_title)
    if y_title:
        fig.update_yaxes(title_text=y_title)
    return fig


def evidence_colour(level: str) -> str:
    """The colour of an evidence level (strong, moderate, weak, expert-opinion)."""
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
