"""The one core of every explorer: presets, Reset, the page address, the summary, the figures.

Every explorer in the collection (calcium, Nernst, membrane, reflex, ageing, foods, risk
factors, the lab report, the cramp lab) is an `Explorer`. A topic explorer supplies only

- its controls: a dict name -> widget; any widget with a `value` trait (a `Slider`, a
  `Checkbox`, a `ToggleButtons`, a `Text` field);
- its presets: named sets of control values (`Preset`), e.g. a scenario file's scenarios;
- its figures, and an `update(values) -> str` that redraws them and returns the summary
  sentence (it runs inside every figure's `batch_redraw()`, so each figure changes in one
  message; the sentence normally comes from `physiology.<model>.summarise`);
- optionally `check(values) -> values`, which refuses a bad value with a ValueError a learner
  can read (e.g. `physiology.controls.check_controls`).

The core gives every explorer the same behaviour:

- a preset picker whose first entry is the "custom" state, the preset's note, and Reset;
- **the page address wins**: `?<name>=<preset id>` (e.g. `?foods=magnesium_per_serving`) opens
  that preset even when the notebook asks for another one; an unknown id in the address shows
  the valid ids beside the controls and falls back to the notebook's choice;
- moving a control by hand turns the picker back to "custom";
- while a preset or Reset sets the controls, their observers are suspended (`quietly()`), and
  the figures are redrawn once at the end;
- a live summary line (role="status"), and figures a screen reader can name: each is
  labelled with its title and described by the summary line (`widgets.figures`);
- display: `_repr_mimebundle_` sends every figure's current state (Voila shows a figure in a
  box as it was built otherwise).

The calls a notebook, a test or a benchmark makes (the same on every explorer):

    explorer.values                 # {name: value}
    explorer.set_values(x=1, y=2)   # all checked first: a bad one changes nothing, shows a
                                    # message beside the controls and returns False
    explorer.select_scenario(id)    # a preset (KeyError listing the valid ids if unknown)
    explorer.reset()                # every control to its default
    explorer.summary_text           # the sentence now shown
    explorer.message.text           # the message now shown beside the controls ("" if none)
    explorer.refresh()              # redraw with the current values (what a control move does)

`ModelExplorer` is the core for a scenario file `data/scenarios/<name>.yaml`: one labelled slider
per control, the scenarios as presets, and the shared limits check.
"""
from __future__ import annotations

import contextlib
import html
import logging
import os
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence
from urllib.parse import parse_qs

import ipywidgets as ipw

from physiology import data
from physiology.controls import check_controls
from widgets.citations import cite_html, sources_html
from widgets.controls import Slider
from widgets.figures import FigurePanel, batch_redraw
from widgets.safety import Message, guarded
from widgets.theme import sync_for_display

CUSTOM = "custom"
log = logging.getLogger(__name__)


def query_parameters() -> dict[str, str]:
    """Parameters of the Voila page address (Voila hands the query string to the kernel); {}
    in a preheated kernel that no page has asked for yet (see when_page_requested)."""
    query = os.environ.get("QUERY_STRING", "")
    return {k: v[-1] for k, v in parse_qs(query).items()}


def waiting_for_page() -> bool:
    """A preheated Voila kernel (classroom mode) that no learner has asked for yet."""
    return os.environ.get("VOILA_PREHEAT") == "True"


_page_lock = threading.Lock()
_page_listeners: list[Callable[[dict], None]] = []


def when_page_requested(listener: Callable[[dict], None]) -> None:
    """Call `listener(query_parameters())` once a learner has asked for the page: now, or, in a
    preheated kernel, from one background thread that waits for the request.

    A preheated kernel runs the notebook before anyone asks for the page, so the address is not
    known yet. Stopping the notebook until a learner comes would leave every cell after the first
    explorer to run after the request (the preheat would save little); instead the explorers
    open on the notebook's choice and follow the address when it comes.
    """
    with _page_lock:
        if waiting_for_page():
            _page_listeners.append(listener)
            if len(_page_listeners) == 1:
                threading.Thread(target=_wait_for_page, name="kcl-page-address", daemon=True).start()
            return
    listener(query_parameters())


def _wait_for_page() -> None:
    from voila.utils import wait_for_request

    try:
        wait_for_request()                # puts the request (QUERY_STRING...) in the environment
    except Exception:  # noqa: BLE001 - a thread's traceback would land on the learner's page
        log.exception("no page request reached this preheated kernel; scenario links are ignored")
    with _page_lock:
        os.environ["VOILA_PREHEAT"] = "False"
        listeners = list(_page_listeners)
        _page_listeners.clear()
    query = query_parameters()
    for listener in listeners:
        listener(query)


@dataclass(frozen=True)
class Preset:
    """A named set of control values (a scenario, a view, a fictional case, an example)."""

    id: str
    label: str
    description: str = ""
    values: Mapping[str, object] = field(default_factory=dict)
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Wording:
    """The words of the core's own controls, per explorer."""

    picker: str = "Scenario"                 # the picker's label; also names a preset in errors
    custom: str = "Custom settings"          # the picker's first entry
    reset: str = "Reset"
    reset_tooltip: str = "Put every control back to its default value"
    lead: str = "Now"                        # the summary line starts "Now: ..."


def _figures_of(item) -> tuple:
    """The figures a piece of the layout holds (a FigurePanel, or anything with `.figures`)."""
    return tuple(getattr(item, "figures", ()))


def _widget_of(item) -> ipw.Widget:
    return item if isinstance(item, ipw.Widget) else item.widget


class Explorer:
    """Presets + Reset + page address + live summary + figures around a topic's controls."""

    def __init__(self, name: str, controls: Mapping[str, ipw.Widget], defaults: Mapping[str, object],
                 presets: Sequence[Preset], update: Callable[[dict], str], figures: Sequence = (),
                 *, check: Callable[[dict], dict] | None = None, body: Iterable | None = None,
                 before: Iterable = (), after: Iterable = (), start: str | Mapping | None = None,
                 wording: Wording = Wording(), css_class: str = ""):
        self.name = name
        self.controls = dict(controls)
        self.defaults = dict(defaults)
        self.presets = tuple(presets)
        self.wording = wording
        self._update = update
        self._check = check or (lambda values: values)
        self._quiet = 0
        self.message = Message()
        self.picker = ipw.Dropdown(
            options=[(wording.custom, CUSTOM)] + [(p.label, p.id) for p in self.presets],
            value=CUSTOM, description=wording.picker, style={"description_width": "initial"},
            layout=ipw.Layout(width="auto"))
        self.reset_button = ipw.Button(description=wording.reset, tooltip=wording.reset_tooltip,
                                       layout=ipw.Layout(width="auto"))
        self.note = ipw.HTML()
        self.panel = FigurePanel(*figures, lead=wording.lead)
        self.summary = self.panel.summary
        self.after = list(after)
        self._all_figures = tuple(figures) + sum((_figures_of(a) for a in self.after), ())

        self.refresh = guarded(self.message)(self._refresh)
        for control in self.controls.values():
            control.observe(self._on_control, names="value")
        self.picker.observe(self._on_pick, names="value")
        self.reset_button.on_click(lambda _button: self.reset())

        self.widget = ipw.VBox([
            *map(_widget_of, before),
            ipw.HBox([self.picker, self.reset_button],
                     layout=ipw.Layout(gap="1em", align_items="center", flex_flow="row wrap")),
            self.note,
            *(self.controls.values() if body is None else map(_widget_of, body)),
            self.message,
            self.panel.widget,
            *map(_widget_of, self.after),
        ], layout=ipw.Layout(max_width="980px"))
        self.widget.add_class("kcl-explorer")
        if css_class:
            self.widget.add_class(css_class)
        self._start(start)

    # --- what a notebook, a test or a benchmark calls ------------------------------------

    @property
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    @property
    def summary_text(self) -> str:
        return self.panel.summary_text

    @property
    def figures(self) -> tuple:
        return self._all_figures

    @property
    def scenario(self) -> str:
        """The preset now shown, or CUSTOM."""
        return self.picker.value

    def set_values(self, **values) -> bool:
        """Set several controls and redraw once. Every value is checked first: a bad name or
        value changes nothing, shows why beside the controls, and returns False."""
        try:
            self._apply(values)
        except (KeyError, ValueError) as exc:
            self.message.show(f"{exc.args[0]}. Nothing was changed.")
            return False
        self._show_preset(None)
        self.refresh()
        return True

    def select_scenario(self, preset_id: str) -> None:
        """Every control at the preset's value (the defaults for those it leaves out)."""
        preset = self.preset(preset_id)
        self._apply({**self.defaults, **preset.values})
        self._show_preset(preset)
        self.refresh()

    def reset(self) -> None:
        self._apply(self.defaults)
        self._show_preset(None)
        self.message.clear()
        self.refresh()

    def preset(self, preset_id: str) -> Preset:
        """The preset with this id (a KeyError listing the valid ids if there is none)."""
        return data.by_id(self.presets, preset_id, self.wording.picker.lower())

    @contextlib.contextmanager
    def quietly(self):
        """Change controls without each change redrawing (or turning the picker to custom)."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def _repr_mimebundle_(self, **kwargs):
        # the figures sit in boxes: send their current state, or Voila shows them as built
        sync_for_display(*self.figures)
        return self.widget._repr_mimebundle_(**kwargs)

    # --- hooks a topic explorer may override ---------------------------------------------

    def note_html(self, preset: Preset) -> str:
        """The line under the picker that says what the chosen preset shows, with its sources."""
        refs = f" <small>({sources_html(preset.refs)})</small>" if preset.refs else ""
        return (f'<p class="kcl-scenario-note"><strong>{html.escape(preset.label)}:</strong> '
                f"{cite_html(preset.description)}{refs}</p>")

    # --- internals -----------------------------------------------------------------------

    def _start(self, start: str | Mapping | None) -> None:
        """The page address wins over the notebook's choice (in a preheated kernel, once the
        page is asked for); a bad one says why, and the notebook's choice stays."""
        if not waiting_for_page():
            self._open(query_parameters().get(self.name), start)
            return
        self._open(None, start)                  # now, before any learner asks for the page

        def follow(query: dict) -> None:
            if query.get(self.name):
                self._open(query[self.name], start)
        when_page_requested(guarded(self.message)(follow))

    def _open(self, requested: str | None, start: str | Mapping | None) -> None:
        """Open on the preset the address asks for, else on the notebook's choice."""
        problems = []
        choices = ([("address", requested)] if requested else []) + [("notebook", start)]
        for source, choice in choices:
            try:
                if isinstance(choice, str):
                    self.select_scenario(choice)
                elif choice:
                    self._apply(choice)
                    self.refresh()
                else:
                    self.refresh()
                break
            except (KeyError, ValueError) as exc:
                lead = "The page address asks for an " if source == "address" else ""
                text = str(exc.args[0])
                problems.append(lead + (text[0].lower() + text[1:] if lead else text))
        else:
            self.refresh()
        if problems:
            self.message.show(". ".join(problems) + ".")

    def _apply(self, values: Mapping) -> None:
        unknown = [name for name in values if name not in self.controls]
        if unknown:
            raise KeyError(f"There is no control '{unknown[0]}'; the controls are "
                           f"{', '.join(self.controls)}")
        checked = self._check({**self.values, **values})
        with self.quietly():
            for name in values:
                self.controls[name].value = checked[name]

    def _show_preset(self, preset: Preset | None) -> None:
        with self.quietly():
            self.picker.value = preset.id if preset else CUSTOM
        self.note.value = self.note_html(preset) if preset else ""

    def _on_control(self, _change) -> None:
        if self._quiet:
            return
        if self.picker.value != CUSTOM:   # the learner changed a preset: it is now their own
            self._show_preset(None)
        self.refresh()

    def _on_pick(self, change) -> None:
        if self._quiet:
            return
        if change["new"] == CUSTOM:
            self.note.value = ""
            return
        guarded(self.message)(self.select_scenario)(change["new"])

    def _refresh(self) -> None:
        with contextlib.ExitStack() as stack:
            for fig in self.panel.figures:
                stack.enter_context(batch_redraw(fig))
            text = self._update(self.values)
        self.panel.show(text)
        self.message.clear()


class ModelExplorer(Explorer):
    """The core for a model with a scenario file: one slider per control, its scenarios.

        ModelExplorer("calcium", figures=[fig], update=draw, scenario="fatigued")

    builds, from data/scenarios/calcium.yaml, one labelled slider per control (units in the
    label); the scenarios are the presets, `?calcium=<id>` the page address; a value outside a
    control's range is refused with `physiology.controls.check_controls`'s message.
    """

    def __init__(self, scenario_file: str, figures: Sequence = (), update: Callable[[dict], str] = None,
                 scenario: str | None = None, extra_controls: Iterable = (), after: Iterable = (),
                 start_values: Mapping | None = None, css_class: str = ""):
        self.spec = data.scenarios(scenario_file)
        self.sliders: dict[str, Slider] = {
            c.name: Slider(label=c.label, unit=c.unit, min=c.min, max=c.max, step=c.step,
                           value=c.default, tooltip=c.help)
            for c in self.spec.controls
        }
        presets = [Preset(s.id, s.label, s.description, dict(s.values), tuple(s.refs))
                   for s in self.spec.scenarios]
        super().__init__(
            scenario_file, self.sliders, {c.name: c.default for c in self.spec.controls},
            presets, update, figures,
            check=lambda values: check_controls(values, self.spec.controls),
            body=[ipw.VBox(list(self.sliders.values())), *extra_controls], after=after,
            start=scenario if scenario else start_values, css_class=css_class)
