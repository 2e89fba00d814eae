"""A stretch hold timer: set a hold time in seconds, Start, watch it count down, Done, Reset.

The countdown runs in the browser (an anywidget), so it keeps time even when the kernel is busy
or the network is slow; the kernel only hears "running", "paused" and "done". Everything is a
native button or input: Tab reaches each one, Enter or Space presses it, and focus is visible.
Screen readers hear the start, every 10 s, and "done" through a polite live region.

    HoldTimer(hold_s=30, label="Calf stretch")
"""
from __future__ import annotations

from typing import Any, Callable

import anywidget
import traitlets

from widgets.theme import css

MIN_HOLD_S = 5
MAX_HOLD_S = 300

_ESM = r"""
let counter = 0;

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) { node.setAttribute(k, v); }
  if (text) { node.textContent = text; }
  return node;
}

function render({ model, el: root }) {
  const id = "kcl-timer-" + (++counter) + "-" + Math.random().toString(36).slice(2, 8);
  root.classList.add("kcl-timer");
  const title = el("div", { class: "kcl-timer-title" });
  const inputLabel = el("label", { for: id + "-input" }, "Hold time (s)");
  const input = el("input", { id: id + "-input", type: "number", inputmode: "numeric",
                              "aria-describedby": id + "-error" });
  const error = el("span", { id: id + "-error", class: "kcl-timer-error", role: "alert" });
  const display = el("div", { class: "kcl-timer-display", "aria-hidden": "true" });
  const live = el("div", { class: "kcl-timer-live", "aria-live": "polite", role: "status" });
  const start = el("button", { type: "button", class: "kcl-timer-start" });
  const reset = el("button", { type: "button", class: "kcl-timer-reset" }, "Reset");
  const settings = el("div", { class: "kcl-timer-row" });
  settings.append(inputLabel, input, error);
  const buttons = el("div", { class: "kcl-timer-row" });
  buttons.append(start, reset);
  root.append(title, settings, display, buttons, live);

  let deadline = null;      // Date.now() value when the hold ends (running)
  let remainingMs = null;   // kept while paused
  let ticker = null;
  let lastAnnounced = null;

  const holdMs = () => model.get("hold_s") * 1000;
  const secondsLeft = (ms) => Math.max(0, Math.ceil(ms / 1000));

  function setStatus(status) {
    if (model.get("status") !== status) {
      model.set("status", status);
      if (status === "done") { model.set("completed_count", model.get("completed_count") + 1); }
      model.save_changes();
    }
  }

  function draw(ms) {
    const left = secondsLeft(ms);
    const status = model.get("status");
    display.textContent = status === "done" ? "Done" : left + " s";
    display.classList.toggle("kcl-timer-done", status === "done");
    start.textContent = status === "running" ? "Pause" : status === "paused" ? "Resume" : "Start";
    start.setAttribute("aria-label", start.textContent + " the " + model.get("hold_s") + " s hold");
    input.disabled = status === "running";
  }

  function announce(text) { live.textContent = text; }

  function tick() {
    const ms = deadline - Date.now();
    if (ms <= 0) {
      stopTicker();
      deadline = null;
      remainingMs = null;
      setStatus("done");
      draw(0);
      announce("Done: " + model.get("hold_s") + " s hold complete. You can relax the stretch.");
      return;
    }
    const left = secondsLeft(ms);
    if (left !== lastAnnounced && left % 10 === 0) { announce(left + " seconds left"); }
    lastAnnounced = left;
    draw(ms);
  }

  function stopTicker() { if (ticker !== null) { clearInterval(ticker); ticker = null; } }

  function begin(ms) {
    deadline = Date.now() + ms;
    setStatus("running");
    announce("Started: hold for " + secondsLeft(ms) + " seconds.");
    lastAnnounced = secondsLeft(ms);
    stopTicker();
    ticker = setInterval(tick, 200);
    draw(ms);
  }

  function toggle() {
    const status = model.get("status");
    if (status === "running") {
      remainingMs = deadline - Date.now();
      stopTicker();
      setStatus("paused");
      announce("Paused with " + secondsLeft(remainingMs) + " seconds left.");
      draw(remainingMs);
    } else if (status === "paused") {
      begin(remainingMs);
    } else {
      begin(holdMs());
    }
  }

  function resetTimer() {
    stopTicker();
    deadline = null;
    remainingMs = null;
    setStatus("ready");
    announce("Reset to " + model.get("hold_s") + " seconds.");
    draw(holdMs());
  }

  function readInput(showError) {
    // While typing ("3" on the way to "30") a value is applied only once it is valid; the
    // message appears when the learner leaves the field or presses Enter.
    const min = model.get("min_s"), max = model.get("max_s");
    const value = Number(input.value);
    if (input.value.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
      if (showError) {
        error.textContent = "Enter a whole number of seconds from " + min + " to " + max +
          ". The timer keeps " + model.get("hold_s") + " s until then.";
        input.setAttribute("aria-invalid", "true");
      }
      return;
    }
    error.textContent = "";
    input.removeAttribute("aria-invalid");
    if (value !== model.get("hold_s")) {
      model.set("hold_s", value);
      model.save_changes();
    }
  }

  function showInput() {
    // Only when the kernel changes the hold time: what the learner typed is never overwritten.
    input.value = model.get("hold_s");
    error.textContent = "";
    input.removeAttribute("aria-invalid");
  }

  function sync() {
    title.textContent = model.get("label");
    input.min = model.get("min_s");
    input.max = model.get("max_s");
    input.step = 1;
    error.style.display = error.textContent ? "" : "none";
    if (model.get("status") === "ready") { draw(holdMs()); }
  }

  start.addEventListener("click", toggle);
  reset.addEventListener("click", resetTimer);
  input.addEventListener("input", () => { readInput(false); sync(); });
  input.addEventListener("change", () => { readInput(true); sync(); });
  model.on("change:hold_s", () => {
    if (Number(input.value) !== model.get("hold_s")) { showInput(); }
    if (model.get("status") !== "running") { resetTimer(); }
    sync();
  });
  model.on("change:label", sync);
  model.on("msg:custom", (msg) => {
    if (msg && msg.type === "start" && model.get("status") !== "running") { toggle(); }
    if (msg && msg.type === "reset") { resetTimer(); }
  });
  // A new view (page reload) starts from "ready": the countdown lives in this page only.
  if (model.get("status") !== "ready") { model.set("status", "ready"); model.save_changes(); }
  showInput();
  sync();
  draw(holdMs());
  return () => stopTicker();
}

export default { render };
"""

_CSS = css("""
.kcl-timer { display: inline-flex; flex-direction: column; gap: 0.4em; padding: 0.6em 0.9em;
  border: 2px solid $blue; border-radius: 6px; min-width: 15em; font-size: 14px; }
.kcl-timer-title { font-weight: bold; }
.kcl-timer-row { display: flex; align-items: center; gap: 0.5em; flex-wrap: wrap; }
.kcl-timer input { width: 5em; font-size: 14px; padding: 0.15em 0.3em; }
.kcl-timer-display { font-size: 2.2em; font-variant-numeric: tabular-nums; color: $info_text; }
.kcl-timer-display.kcl-timer-done { color: $success_strong; font-weight: bold; }
.kcl-timer button { font-size: 14px; padding: 0.25em 1em; border: 1px solid $muted_text; border-radius: 3px;
  background: $track_bg; color: $strong_text; cursor: pointer; }
.kcl-timer button.kcl-timer-start { background: $blue; color: white; border-color: $blue; }
.kcl-timer button:focus-visible, .kcl-timer input:focus-visible {
  outline: 3px solid $orange; outline-offset: 2px; }
.kcl-timer-error { background: $error_bg; border-left: 4px solid $vermillion; color: $error_text;
  padding: 0.1em 0.5em; }
.kcl-timer-live { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  clip-path: inset(50%); white-space: nowrap; }
""")


class HoldTimer(anywidget.AnyWidget):
    """A countdown for a stretch hold, run by the browser; `status` tells the kernel where it is."""

    _esm = _ESM
    _css = _CSS

    label = traitlets.Unicode("Stretch hold timer").tag(sync=True)
    hold_s = traitlets.Int(30).tag(sync=True)
    min_s = traitlets.Int(MIN_HOLD_S).tag(sync=True)
    max_s = traitlets.Int(MAX_HOLD_S).tag(sync=True)
    # ready -> running <-> paused -> done; Reset goes back to ready. Set by the browser.
    status = traitlets.Unicode("ready").tag(sync=True)
    completed_count = traitlets.Int(0).tag(sync=True)

    def __init__(self, hold_s: int = 30, label: str = "Stretch hold timer", **kwargs: Any):
        super().__init__(hold_s=hold_s, label=label, **kwargs)

    @traitlets.validate("hold_s")
    def _hold_in_range(self, proposal):
        value = proposal["value"]
        if not MIN_HOLD_S <= value <= MAX_HOLD_S:
            raise traitlets.TraitError(
                f"Hold time {value} s is outside {MIN_HOLD_S}-{MAX_HOLD_S} s")
        return value

    def start(self) -> None:
        """Start (or resume) the countdown in the browser."""
        self.send({"type": "start"})

    def reset(self) -> None:
        """Stop the countdown and go back to the full hold time."""
        self.send({"type": "reset"})

    def on_done(self, callback: Callable[[], None]) -> None:
        """Call `callback()` in the kernel each time a hold is completed in the browser."""
        self.observe(lambda change: callback() if change["new"] == "done" else None, "status")
