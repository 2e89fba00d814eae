"""Send a page only the widget state it needs: core ipywidgets without their default values.

When a page connects to a kernel (every Voila page, and a JupyterLab notebook reopened on a
running kernel) it asks for the state of every widget ("request_states"). ipywidgets answers
with every trait of every widget, default or not. A lesson holds hundreds of small widgets, and
each carries a Layout (about 30 keys, nearly all empty) and a Style: measured on 2026-12-03,
notebook 06's reply was 687 kB, 300 kB of it empty Layout keys, for a page whose plotly.js
already comes as a cached file (widgets/plotly_loader.py).

The front end fills every key it is not sent from the model's own defaults, which for the core
ipywidgets models are the same as the Python ones (both come from ipywidgets' one schema; it is
how ipywidgets' own embedding, `get_manager_state(drop_defaults=True)`, works). So the answer
here leaves out default values for those models only. anywidgets (plotly's figures, our sliders
and stores) are sent whole, since their front ends have no defaults of their own.

`use_lean_state()` installs this answer; `widgets/__init__.py` calls it, so every lesson has it.
"""
from __future__ import annotations

from ipywidgets.widgets import widget as ipywidget_module

CORE_MODULES = {"@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/output"}


def widget_state(widget) -> dict:
    """The state a page needs to build this widget's model."""
    drop_defaults = widget._model_module in CORE_MODULES
    return widget.get_state(drop_defaults=drop_defaults)


def manager_state() -> tuple[dict, list, list]:
    """Every live widget's state, with binary buffers split out, as `update_states` sends it."""
    states = {
        widget.model_id: {
            "model_name": widget._model_name,
            "model_module": widget._model_module,
            "model_module_version": widget._model_module_version,
            "state": widget_state(widget),
        }
        for widget in list(ipywidget_module._instances.values())
    }
    return ipywidget_module._remove_buffers(states)


def _answer_control_message(cls, msg) -> None:
    data = msg["content"]["data"]
    if data.get("method") != "request_states":
        return _ipywidgets_answer.__func__(cls, msg)
    states, buffer_paths, buffers = manager_state()
    cls._control_comm.send(dict(method="update_states", states=states, buffer_paths=buffer_paths),
                           buffers=buffers)


_ipywidgets_answer = ipywidget_module.Widget._handle_control_comm_msg


def use_lean_state() -> None:
    """Answer pages' state requests with `manager_state()` (idempotent)."""
    widget_class = ipywidget_module.Widget
    widget_class._handle_control_comm_msg = classmethod(_answer_control_message)
    if widget_class._control_comm is not None:  # a page connected before this was imported
        widget_class._control_comm.on_msg(widget_class._handle_control_comm_msg)
