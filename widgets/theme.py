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
    "lacking": PALETTE["grey"],  # no study in the project's sources tests the claim
}

# Colours that carry no data: text, lines and rules, and the tints behind messages. Widget
# modules take every colour from PALETTE, ROLE_COLOURS or INK (a test checks for raw hex).
INK: dict[str, str] = {
    "text": "#222222", "strong_text": "#111111", "muted_text": "#555555",
    "axis": "#444444", "rule": "#dddddd", "border": "#cccccc", "link": "#0b4f82",
    "faint_bg": "#f7f7f7", "track_bg": "#f2f2f2", "hover_bg": "#e4e4e4", "white": "#ffffff",
    "error_bg": "#fdecea", "error_text": "#5b1a00", "urgent_text": "#4a1400",
    "warning_bg": "#fff6e0", "warning_text": "#4a3300", "see_doctor_text": "#3d2a00",
    "info_bg": "#e8f3fb", "info_text": "#0b2f4a",
    "success_bg": "#e6f5ef", "success_text": "#073b2a", "success_strong": "#006b4e",
}
AXIS_COLOUR = INK["axis"]


def translucent(colour: str, alpha: float = 0.5) -> str:
    """'#D55E00', 0.15 -> 'rgba(213, 94, 0, 0.15)' (a palette colour as a see-through fill)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha:g})"


def css(template: str) -> str:
    """CSS (or any text) with `$name` standing for a PALETTE or INK colour: `border: 1px solid $rule`."""
    from string import Template

    return Template(template).substitute({**PALETTE, **INK})

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


# plotly.js is loaded once per page, from a static file: widgets/plotly_loader.py.
from widgets.plotly_loader import Figure  # noqa: E402  (re-exported: theme.Figure)


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
