"""The state a page receives: core widgets without defaults, anywidgets whole."""
from __future__ import annotations

import json

import ipywidgets as ipw

import widgets  # noqa: F401  (installs the lean answer)
from ipywidgets.widgets import widget as ipywidget_module
from widgets.lean_state import manager_state, widget_state
from widgets.plotly_loader import Figure


def test_a_default_layout_is_sent_almost_empty():
    box = ipw.Checkbox(description="Heat")
    full = box.layout.get_state()
    lean = widget_state(box.layout)
    assert len(full) > 25 and len(lean) < 5
    assert "width" not in lean and "_model_name" not in lean


def test_values_that_differ_from_the_default_are_sent():
    box = ipw.Checkbox(value=True, description="Heat", layout=ipw.Layout(width="12em"))
    assert widget_state(box)["value"] is True
    assert widget_state(box)["description"] == "Heat"
    assert widget_state(box.layout)["width"] == "12em"


def test_an_anywidget_is_sent_whole():
    fig = Figure()
    assert widget_state(fig).keys() == fig.get_state().keys()


def test_the_reply_holds_every_widget_and_is_smaller():
    boxes = [ipw.Checkbox(description=f"item {i}") for i in range(50)]
    states, _paths, _buffers = manager_state()
    for box in boxes:
        assert states[box.model_id]["model_name"] == "CheckboxModel"
        assert states[box.layout.model_id]["state"] == widget_state(box.layout)
    full = {w.model_id: w.get_state() for w in boxes + [b.layout for b in boxes]}
    lean = {w.model_id: states[w.model_id]["state"] for w in boxes + [b.layout for b in boxes]}
    assert len(json.dumps(lean)) < 0.4 * len(json.dumps(full))


def test_a_page_asking_for_states_gets_the_lean_reply():
    sent = []

    class FakeComm:
        def send(self, data, buffers=None):
            sent.append(data)

    box = ipw.Checkbox(description="Heat")
    saved = ipywidget_module.Widget._control_comm
    ipywidget_module.Widget._control_comm = FakeComm()
    try:
        ipywidget_module.Widget._handle_control_comm_msg(
            {"content": {"data": {"method": "request_states"}}})
    finally:
        ipywidget_module.Widget._control_comm = saved
    assert sent[0]["method"] == "update_states"
    assert sent[0]["states"][box.layout.model_id]["state"] == widget_state(box.layout)
