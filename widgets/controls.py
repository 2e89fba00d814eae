"""Accessible controls.

ipywidgets' own slider draws a custom div with role="slider" and no accessible name, so screen
readers announce "slider" and nothing else (axe-core: serious). This slider is a native
`<input type="range">` with a real `<label>`: it has an accessible name, the browser's keyboard
support (arrows, Page Up/Down, Home/End), a visible focus ring, and an `aria-valuetext` that
reads the value with its unit ("80 Hz").
"""
from __future__ import annotations

import anywidget
import traitlets

from widgets.theme import css

_SLIDER_ESM = r"""
let counter = 0;
function fmt(model, v) {
  const step = model.get("step");
  const decimals = step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step)));
  return Number(v).toFixed(decimals) + (model.get("unit") ? " " + model.get("unit") : "");
}
function render({ model, el }) {
  const id = "kcl-slider-" + (++counter) + "-" + Math.random().toString(36).slice(2, 8);
  el.classList.add("kcl-slider");
  const label = document.createElement("label");
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  // JupyterLab and Notebook 7 would take the arrow keys for moving between cells.
  input.dataset.lmSuppressShortcuts = "true";
  const out = document.createElement("output");
  out.htmlFor = id;
  out.setAttribute("aria-hidden", "true");
  el.append(label, input, out);

  function sync() {
    const unit = model.get("unit");
    label.textContent = model.get("label") + (unit ? " (" + unit + ")" : "");
    input.min = model.get("min");
    input.max = model.get("max");
    input.step = model.get("step");
    input.value = model.get("value");
    input.disabled = model.get("disabled");
    const text = fmt(model, model.get("value"));
    out.textContent = text;
    input.setAttribute("aria-valuetext", text);
    if (model.get("tooltip")) { input.title = model.get("tooltip"); }
  }
  function send() {
    model.set("value", parseFloat(input.value));
    model.save_changes();
  }
  input.addEventListener("input", () => {
    const text = fmt(model, input.value);
    out.textContent = text;
    input.setAttribute("aria-valuetext", text);
    if (model.get("continuous_update")) { send(); }
  });
  input.addEventListener("change", send);
  model.on("change", sync);
  sync();
}
export default { render };
"""

_SLIDER_CSS = css("""
.kcl-slider { display: grid; grid-template-columns: minmax(12em, 16em) minmax(8em, 1fr) 6.5em;
  align-items: center; gap: 0.6em; margin: 0.25em 0; font-size: 14px; }
.kcl-slider label { text-align: right; }
.kcl-slider input[type=range] { width: 100%; accent-color: $blue; }
.kcl-slider input[type=range]:focus-visible { outline: 3px solid $orange; outline-offset: 2px; }
.kcl-slider output { font-variant-numeric: tabular-nums; }
""")


class Slider(anywidget.AnyWidget):
    """A labelled range slider with a unit; `value` is a float traitlet you can observe."""

    _esm = _SLIDER_ESM
    _css = _SLIDER_CSS
    label = traitlets.Unicode("").tag(sync=True)
    unit = traitlets.Unicode("").tag(sync=True)
    value = traitlets.Float(0.0).tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(1.0).tag(sync=True)
    step = traitlets.Float(0.1).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    tooltip = traitlets.Unicode("").tag(sync=True)
    # ipywidgets' view code reads `description` whenever `tooltip` is set (updateTooltip calls
    # description.length): without this trait a slider with a tooltip fails to render in Voila
    # and JupyterLab ("Cannot read properties of undefined (reading 'length')"). Always empty:
    # the <label> names the slider.
    description = traitlets.Unicode("").tag(sync=True)
    # False: the kernel hears a value when the learner lets go or presses a key (cheap);
    # True: while dragging as well.
    continuous_update = traitlets.Bool(False).tag(sync=True)

    def __init__(self, label: str, unit: str, min: float, max: float, step: float,
                 value: float | None = None, **kwargs):
        if not min < max:
            raise ValueError(f"Slider '{label}': min {min} must be below max {max}")
        super().__init__(label=label, unit=unit, min=min, max=max, step=step,
                         value=min if value is None else value, **kwargs)

    @traitlets.validate("value")
    def _clamp_to_range(self, proposal):
        # A programmatic value outside the range is an error, not a silent clip.
        value = proposal["value"]
        if not self.min - 1e-12 <= value <= self.max + 1e-12:
            raise traitlets.TraitError(
                f"{self.label}: {value} {self.unit} is outside {self.min}-{self.max} {self.unit}")
        return value
