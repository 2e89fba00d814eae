"""Model explorer scaffolding shared by every science notebook.

    explorer = ModelExplorer("calcium", figure=fig, update=draw)

builds, from data/scenarios/calcium.yaml: one labelled slider per control (units in the label),
a scenario picker, a Reset button, the scenario's description, a message area for bad input,
and a live one-line summary above the figure. Every change calls `update(values, fig)` inside
`fig.batch_update()`, so the plot changes in place in one message; `update` returns the summary.

An educator can open a notebook on a scenario from the page address:
`.../02_calcium_handling.ipynb?calcium=fatigued_low_atp` (the query key is the scenario file's
name); an unknown name shows the list of valid ones.
"""
from __future__ import annotations

import html
import os
from typing import Callable, Iterable
from urllib.parse import parse_qs

import ipywidgets as ipw

from physiology import data
from widgets.controls import Slider
from widgets.safety import Message, guarded
from widgets.theme import sync_for_display

CUSTOM = "custom"


def query_parameters() -> dict[str, str]:
    """Parameters of the Voila page address (Voila hands the query string to the kernel).

    A preheated Voila kernel (classroom mode) runs the notebook before anyone asks for the page,
    so the address is not in its environment yet: wait once for the request, which Voila then
    puts into the environment. A kernel serves one page, so later calls need not wait.
    """
    if os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import wait_for_request

        wait_for_request()
        os.environ["VOILA_PREHEAT"] = "False"
    query = os.environ.get("QUERY_STRING", "")
    return {k: v[-1] for k, v in parse_qs(query).items()}


class ModelExplorer:
    """Sliders + scenarios + reset + summary around one plotly FigureWidget."""

    def __init__(self, scenario_file: str, figure, update: Callable[[dict, object], str],
                 scenario: str | None = None, extra_controls: Iterable[ipw.Widget] = ()):
        self.spec = data.scenarios(scenario_file)
        self.name = scenario_file
        self.figure = figure
        self._update = update
        self._applying = False
        self.message = Message()
        self.sliders: dict[str, Slider] = {
            c.name: Slider(label=c.label, unit=c.unit, min=c.min, max=c.max, step=c.step,
                           value=c.default, tooltip=c.help)
            for c in self.spec.controls
        }
        self.scenario_picker = ipw.Dropdown(
            options=[("Custom settings", CUSTOM)] + [(s.label, s.id) for s in self.spec.scenarios],
            value=CUSTOM, description="Scenario", style={"description_width": "initial"},
            layout=ipw.Layout(width="auto"),
        )
        self.reset_button = ipw.Button(
            description="Reset", tooltip="Put every control back to its default value",
            button_style="", layout=ipw.Layout(width="auto"),
        )
        self.scenario_note = ipw.HTML()
        self.summary = ipw.HTML()
        self.summary_text = ""

        self.refresh = guarded(self.message)(self._refresh)
        for slider in self.sliders.values():
            slider.observe(self._on_slider, names="value")
        self.scenario_picker.observe(self._on_pick, names="value")
        self.reset_button.on_click(lambda _: self.reset())

        self.widget = ipw.VBox(
            [
                ipw.HBox([self.scenario_picker, self.reset_button],
                         layout=ipw.Layout(gap="1em", align_items="center")),
                self.scenario_note,
                ipw.VBox(list(self.sliders.values())),
                *extra_controls,
                self.message,
                self.summary,
                figure,
            ],
            layout=ipw.Layout(max_width="980px"),
        )
        self.widget.add_class("kcl-explorer")
        self._start(scenario)

    # --- what a notebook or a test calls -------------------------------------------------

    @property
    def values(self) -> dict[str, float]:
        return {name: s.value for name, s in self.sliders.items()}

    def set_values(self, **values: float) -> None:
        """Set several controls, then redraw once."""
        self._apply(values)
        self.scenario_picker.value = CUSTOM
        self.refresh()

    def select_scenario(self, scenario_id: str) -> None:
        """Put every control at the scenario's value (defaults for those it leaves out)."""
        scenario = self.spec.scenario(scenario_id)  # KeyError lists the valid ids
        self._apply({**self._defaults(), **scenario.values})
        self._show_scenario(scenario)
        if self.scenario_picker.value != scenario.id:
            self._applying = True
            try:
                self.scenario_picker.value = scenario.id
            finally:
                self._applying = False
        self.refresh()

    def reset(self) -> None:
        self._apply(self._defaults())
        self._applying = True
        try:
            self.scenario_picker.value = CUSTOM
        finally:
            self._applying = False
        self.scenario_note.value = ""
        self.message.clear()
        self.refresh()

    def _repr_mimebundle_(self, **kwargs):
        # The figure sits in a box: send its current state, or Voila shows it empty.
        sync_for_display(self.figure)
        return self.widget._repr_mimebundle_(**kwargs)

    # --- internals -----------------------------------------------------------------------

    def _start(self, scenario: str | None) -> None:
        requested = scenario or query_parameters().get(self.name)
        if requested is None:
            self.refresh()
            return
        try:
            self.select_scenario(requested)
        except KeyError as exc:
            self.refresh()
            self.message.show(exc.args[0])

    def _defaults(self) -> dict[str, float]:
        return {c.name: c.default for c in self.spec.controls}

    def _apply(self, values: dict[str, float]) -> None:
        """Set sliders all together: every value is checked first, so a bad one changes nothing."""
        unknown = [name for name in values if name not in self.sliders]
        if unknown:
            raise KeyError(f"There is no control '{unknown[0]}'; the controls are "
                           f"{', '.join(self.sliders)}. Nothing was changed.")
        for name, value in values.items():
            self._check_value(self.sliders[name], value)
        self._applying = True
        try:
            for name, value in values.items():
                self.sliders[name].value = float(value)
        finally:
            self._applying = False

    @staticmethod
    def _check_value(slider: Slider, value) -> None:
        try:
            if isinstance(value, bool):   # float(True) is 1.0, but True is not a setting
                raise TypeError
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{slider.label}: '{value}' is not a number; nothing was changed"
                             ) from None
        if not slider.min <= number <= slider.max:
            raise ValueError(f"{slider.label} must be between {slider.min:g} and {slider.max:g} "
                             f"{slider.unit}; {number:g} {slider.unit} is outside that range, so "
                             "nothing was changed")

    def _show_scenario(self, scenario: data.Scenario) -> None:
        self.scenario_note.value = (
            f'<p class="kcl-scenario-note"><strong>{html.escape(scenario.label)}:</strong> '
            f"{html.escape(scenario.description)}</p>"
        )

    def _on_slider(self, _change) -> None:
        if self._applying:
            return
        if self.scenario_picker.value != CUSTOM:
            self._applying = True
            try:
                self.scenario_picker.value = CUSTOM
            finally:
                self._applying = False
            self.scenario_note.value = ""
        self.refresh()

    def _on_pick(self, change) -> None:
        if self._applying:
            return
        if change["new"] == CUSTOM:
            self.scenario_note.value = ""
            return
        guarded(self.message)(self.select_scenario)(change["new"])

    def _refresh(self) -> None:
        with self.figure.batch_update():
            text = self._update(self.values, self.figure)
        self.summary_text = text
        self.summary.value = (
            '<p class="kcl-summary" role="status" aria-live="polite" '
            'style="font-size:1.1em; margin:0.4em 0;"><strong>Now: </strong>'
            f"{html.escape(text)}</p>"
        )
        self.message.clear()


class ExplorerFacade:
    """Mix-in for a topic widget built around `self.explorer` (a ModelExplorer): the calls a
    notebook or a test makes on it, passed on to the explorer."""

    explorer: ModelExplorer

    @property
    def values(self) -> dict[str, float]:
        return self.explorer.values

    @property
    def summary_text(self) -> str:
        return self.explorer.summary_text

    def set_values(self, **values: float) -> None:
        """Set controls from code and redraw once; a bad name or value shows a message beside
        the controls and changes nothing."""
        guarded(self.explorer.message)(self.explorer.set_values)(**values)

    def select_scenario(self, scenario_id: str) -> None:
        self.explorer.select_scenario(scenario_id)

    def reset(self) -> None:
        self.explorer.reset()
