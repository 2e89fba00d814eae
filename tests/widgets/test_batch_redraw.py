"""widgets.figures.batch_redraw: one message per batch, drawn by plotly.js the cheapest safe way.

A batch that only moves the x/y of line traces on axes with set ranges is sent as Plotly.animate
without transition or full redraw (plotly.js then redraws just those traces); anything else
(a layout change, an autoranged axis, a style) as Plotly.update, the full redraw.
"""
from __future__ import annotations

import plotly.graph_objects as go
import pytest

from widgets.figures import axis_top, batch_redraw


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, dict]]:
    """The messages the figures would send to the browser: ('animate' | 'update', payload), the
    payload with the sending figure under 'figure'."""
    messages = []
    monkeypatch.setattr(go.FigureWidget, "_send_animate_msg",
                        lambda self, **kw: messages.append(("animate", {**kw, "figure": self})))
    monkeypatch.setattr(go.FigureWidget, "_send_update_msg",
                        lambda self, **kw: messages.append(("update", {**kw, "figure": self})))
    return messages


def two_panels(fixed: bool = True) -> go.FigureWidget:
    fig = go.FigureWidget().set_subplots(rows=2, cols=1, shared_xaxes=True)
    fig.add_scatter(x=[0, 1], y=[0, 1], row=1, col=1)
    fig.add_scatter(x=[0, 1], y=[1, 0], row=2, col=1)
    fig.update_xaxes(range=[0, 1], row=2, col=1)         # the top x axis matches this one
    if fixed:
        fig.update_yaxes(range=[0, 2])
    return fig


@pytest.fixture
def fig(sent) -> go.FigureWidget:
    figure = two_panels()
    sent.clear()                            # what building it sent
    return figure


def test_data_moves_on_fixed_axes_redraw_only_the_traces(sent, fig):
    with batch_redraw(fig):
        fig.data[0].y = [0.5, 1.5]
        fig.data[1].x = [0.2, 0.8]
    assert [kind for kind, _ in sent] == ["animate"]
    payload = sent[0][1]
    assert payload["animation_opts"]["frame"] == {"duration": 0, "redraw": False}
    assert payload["animation_opts"]["transition"]["duration"] == 0
    assert payload["trace_indexes"] == [0, 1]
    assert list(fig.data[0].y) == [0.5, 1.5] and list(fig.data[1].x) == [0.2, 0.8]


def test_an_autoranged_axis_gets_the_full_redraw(sent):
    fig = two_panels(fixed=False)
    sent.clear()
    with batch_redraw(fig):
        fig.data[0].y = [0.5, 7.0]         # the y axis must grow to show it
    assert [kind for kind, _ in sent] == ["update"]
    assert list(fig.data[0].y) == [0.5, 7.0]


@pytest.mark.parametrize("change", [
    lambda fig: setattr(fig.layout.title, "text", "New title"),       # layout
    lambda fig: setattr(fig.layout.yaxis, "range", [0, 5]),           # an axis range
    lambda fig: setattr(fig.data[0].line, "width", 5),                # a style, not data
])
def test_anything_but_data_gets_the_full_redraw(sent, fig, change):
    with batch_redraw(fig):
        fig.data[0].y = [0.5, 1.5]
        change(fig)
    assert [kind for kind, _ in sent] == ["update"]
    assert list(fig.data[0].y) == [0.5, 1.5]


def test_nothing_changed_sends_nothing(sent, fig):
    with batch_redraw(fig):
        fig.data[0].y = [0, 1]             # the same values
    assert sent == []
    assert not fig._batch_trace_edits and not fig._batch_layout_edits


def test_axis_top_moves_in_steps():
    assert axis_top(40.06) == 50 and axis_top(63.5) == 75 and axis_top(114.7) == 150
    assert axis_top(0.05) == pytest.approx(0.075)
    assert axis_top(0.95) == 1.0                   # 5 % headroom still fits under 1
    # a small change of the peak keeps the axis where it was
    assert axis_top(41) == axis_top(44) == 50


@pytest.mark.parametrize("make, control", [
    ("widgets.calcium:explore_calcium", "frequency_hz"),
    ("widgets.calcium:explore_calcium", "serca_pct"),
    ("widgets.aging:explore_aging", "age"),
    ("widgets.reflex:explore_reflex", "fatigue_pct"),
    ("widgets.reflex:explore_reflex", "pic_strength_pct"),
    ("widgets.cramp_lab:cramp_timeline", "cramp_prone"),
    ("widgets.cramp_lab:cramp_timeline", "fatigue_pct"),
    ("widgets.electrolytes:explore_membrane", "stimulus_ua_cm2"),   # 0 -> on: shading appears
    ("widgets.electrolytes:explore_membrane", "ca_mm"),
])
def test_a_slider_move_redraws_only_the_main_plots_traces(monkeypatch, sent, make, control):
    """The explorers whose moves change only data keep their axes, so the browser redraws just
    the traces (the benchmark's slider-to-plot split in benchmarks/README.md says why)."""
    monkeypatch.delenv("QUERY_STRING", raising=False)
    module, function = make.split(":")
    explorer = getattr(__import__(module, fromlist=[function]), function)()
    main_plot = explorer.figures[0]
    slider = explorer.sliders[control]
    for value in (slider.value + slider.step, slider.value) if slider.value < slider.max \
            else (slider.value - slider.step, slider.value):
        sent.clear()
        slider.value = value
        assert [kind for kind, payload in sent if payload["figure"] is main_plot] == ["animate"]
        assert not explorer.message.text
