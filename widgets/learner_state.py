"""Learner state that belongs to the learner: kept in their own browser, never on the server.

`BrowserStore(key)` is a small anywidget. Its front end keeps one JSON object in the browser's
`localStorage` under "knee-cramp-lab/<key>", so:

- ticks and answers survive a page reload and a kernel restart (the browser still has them);
- when one Voila server serves a whole class, each student's browser has its own state, and no
  student ever sees another's (nothing is written to a server-side file);
- under JupyterHub, where students log in one after another at the same computer and every user
  is served from one origin, the keys carry the user's server address ("/user/<name>/"), so
  the next student sees none of the last one's state; "Forget my data on this computer" (beside
  each import control) removes all of it from the browser;
- export is a download made by the browser, import is a file the learner picks in the browser:
  no path typed by a user is ever opened by Python.

The store is displayed where its import control should appear (it is tiny: only that control
is visible). The kernel learns the stored state as soon as the browser has the widget:

    store = BrowserStore("07_prevention_and_relief/prevention_routine", upload_label="Import")
    store.on_restore(lambda state: ...)      # called with the stored dict ({} if none)
    store.save({"ticked": ["a", "b"]})       # Python -> browser storage
    store.download("ticks.json", text, "application/json")
    store.on_upload(lambda filename, text: ...)

Validating an imported file is the caller's job (it knows what a good file looks like). Files
over `MAX_UPLOAD_BYTES` are refused in the browser before they are sent, and again here.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

import anywidget
import traitlets

from widgets.theme import css

STORAGE_PREFIX = "knee-cramp-lab/"
FORGET_LABEL = "Forget my data on this computer"
MAX_UPLOAD_BYTES = 1_000_000  # 1 MB: a saved checklist or quiz is a few kB
_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}$")
_FILENAME_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")

_ESM = r"""
const PREFIX = "knee-cramp-lab/";
let forgotten = false;  // after "Forget my data": nothing more is written from this page

function storagePrefix() {
  // Scoped to whoever this server belongs to. On one computer (Voila, JupyterLab) the server's
  // base URL is "/" and the keys are "knee-cramp-lab/<key>", as they always were. Under
  // JupyterHub every user is served from the same origin, under "/user/<name>/": their keys
  // are "knee-cramp-lab[/user/<name>/]/<key>", so the next student at a shared computer starts
  // empty and gets their own state back when they log in again.
  let base = "/";
  try {
    const el = document.getElementById("jupyter-config-data");
    base = (el && JSON.parse(el.textContent || "{}").baseUrl) || "/";
  } catch (err) { base = "/"; }
  return base === "/" ? PREFIX : "knee-cramp-lab[" + base + "]/";
}

function readStored(key) {
  // Returns [state, available]; a missing or unreadable entry is an empty state.
  try {
    const raw = window.localStorage.getItem(storagePrefix() + key);
    if (!raw) { return [{}, true]; }
    const parsed = JSON.parse(raw);
    return [parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {}, true];
  } catch (err) {
    return [{}, false];
  }
}

function writeStored(key, state) {
  if (forgotten) { return false; }
  try {
    window.localStorage.setItem(storagePrefix() + key, JSON.stringify(state));
    return true;
  } catch (err) {
    return false;
  }
}

function forgetAll() {
  // Every Knee Cramp Lab entry of this user (this scope) in this browser, all lessons.
  const prefix = storagePrefix();
  const keys = [];
  for (let i = 0; i < window.localStorage.length; i++) {
    const k = window.localStorage.key(i);
    if (k && k.startsWith(prefix)) { keys.push(k); }
  }
  forgotten = true;
  keys.forEach((k) => window.localStorage.removeItem(k));
  return keys.length;
}

const FORGET_QUESTION =
  "Remove everything Knee Cramp Lab keeps for you in this browser: ticks, quiz answers and " +
  "the cramp diary, in every lesson? Export anything you want to keep first. This cannot be undone.";

function buildForget(model, el) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "kcl-forget-button";
  button.textContent = model.get("forget_label");
  const status = document.createElement("span");
  status.className = "kcl-forget-status";
  status.setAttribute("role", "status");
  button.addEventListener("click", () => {
    if (!window.confirm(FORGET_QUESTION)) { return; }
    const removed = forgetAll();
    status.textContent = "Forgotten (" + removed + " saved item(s) removed from this browser). " +
      "The page reloads empty.";
    // A new kernel, an empty browser copy: every widget starts from nothing.
    setTimeout(() => window.location.reload(), 600);
  });
  const sync = () => { button.style.display = model.get("forget_label") ? "" : "none"; };
  model.on("change:forget_label", sync);
  sync();
  el.append(button, status);
}

function download({ filename, text, mime }) {
  const blob = new Blob([text], { type: mime || "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 2000);
}

function megabytes(bytes) {
  return (bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0) + " MB";
}

let counter = 0;

function buildUpload(model, el) {
  const id = "kcl-upload-" + (++counter) + "-" + Math.random().toString(36).slice(2, 8);
  const wrap = document.createElement("span");
  wrap.className = "kcl-upload";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "kcl-upload-button";
  const input = document.createElement("input");
  input.type = "file";
  input.id = id;
  input.className = "kcl-visually-hidden";
  const error = document.createElement("span");
  error.className = "kcl-upload-error";
  error.setAttribute("role", "alert");
  wrap.append(input, label, error);
  el.appendChild(wrap);

  function showError(text) {
    // Shown here at once, and kept in the model so the kernel (and other views) know it.
    error.textContent = text;
    error.style.display = text ? "" : "none";
    model.set("upload_error", text);
    model.save_changes();
  }
  function sync() {
    label.textContent = model.get("upload_label");
    input.accept = model.get("upload_accept");
    wrap.style.display = model.get("upload_label") ? "" : "none";
    error.textContent = model.get("upload_error");
    error.style.display = model.get("upload_error") ? "" : "none";
  }
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    input.value = "";  // picking the same file again must fire "change" again
    if (!file) { return; }
    const limit = model.get("max_upload_bytes");
    if (file.size > limit) {
      showError("\u201c" + file.name + "\u201d is " + megabytes(file.size) + "; the limit is " +
                megabytes(limit) + ". Nothing was imported.");
      return;
    }
    showError("");
    const text = await file.text();
    model.send({ type: "upload", filename: file.name, text: text });
  });
  model.on("change:upload_label", sync);
  model.on("change:upload_accept", sync);
  model.on("change:upload_error", sync);
  sync();
}

function initialize({ model }) {
  // Model-level listeners, not tied to a view: anywidget keeps them for the widget's lifetime
  // even if the page re-creates or drops a view while it loads.
  model.on("change:state", () => {
    // Only after the kernel has heard the browser's copy (loaded): a fresh kernel's empty
    // state can never overwrite what the learner saved before.
    if (model.get("loaded")) { writeStored(model.get("key"), model.get("state")); }
  });
  model.on("msg:custom", (msg) => { if (msg && msg.type === "download") { download(msg); } });
}

function render({ model, el }) {
  el.classList.add("kcl-store");
  buildUpload(model, el);
  if (model.get("upload_label")) { buildForget(model, el); }
  // The browser's copy goes to the kernel when the first view renders, not earlier: by then the
  // page's other widgets exist, so the kernel's replies (ticks, answers) reach them.
  if (!model.get("loaded")) {
    const [stored, available] = readStored(model.get("key"));
    model.send({ type: "restore", state: stored, available: available });
  }
}

export default { initialize, render };
"""

_CSS = css("""
.kcl-store { display: inline-block; }
.kcl-upload { display: inline-flex; align-items: center; gap: 0.5em; flex-wrap: wrap; }
.kcl-upload-button { display: inline-block; padding: 0.25em 0.8em; border: 1px solid $muted_text;
  border-radius: 3px; background: $track_bg; color: $strong_text; cursor: pointer; font-size: 13px;
  line-height: 1.6; }
.kcl-upload-button:hover { background: $hover_bg; }
.kcl-upload input[type=file]:focus-visible + label { outline: 3px solid $orange; outline-offset: 2px; }
.kcl-upload-error { background: $error_bg; border-left: 4px solid $vermillion; color: $error_text;
  padding: 0.2em 0.5em; font-size: 13px; }
.kcl-visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; padding: 0; margin: -1px; }
""")


def storage_key(key: str, base_url: str = "/") -> str:
    """The localStorage key the front end uses for `key` on a server at `base_url` (the same rule
    as storagePrefix() in the browser): unscoped on one computer, the user's base URL under
    JupyterHub ("/user/<name>/")."""
    return STORAGE_PREFIX + key if base_url == "/" else f"knee-cramp-lab[{base_url}]/{key}"


class BrowserStore(anywidget.AnyWidget):
    """A JSON state kept in the learner's browser (localStorage), with download and upload."""

    _esm = _ESM
    _css = _CSS

    key = traitlets.Unicode("").tag(sync=True)
    state = traitlets.Dict().tag(sync=True)
    loaded = traitlets.Bool(False).tag(sync=True)
    # False when the browser refuses storage (some private modes): state then lasts one visit.
    available = traitlets.Bool(True).tag(sync=True)
    upload_label = traitlets.Unicode("").tag(sync=True)  # empty: no import control is shown
    upload_accept = traitlets.Unicode(".json,application/json").tag(sync=True)
    max_upload_bytes = traitlets.Int(MAX_UPLOAD_BYTES).tag(sync=True)
    upload_error = traitlets.Unicode("").tag(sync=True)
    # Shown beside the import control (stores without one show nothing): removes every entry
    # of this user in this browser, all lessons, after a confirmation, and reloads the page.
    forget_label = traitlets.Unicode(FORGET_LABEL).tag(sync=True)

    def __init__(self, key: str, upload_label: str = "", **kwargs: Any):
        if not _KEY_PATTERN.match(key):
            raise ValueError(f"Storage key {key!r}: use letters, digits and _ . / - only")
        super().__init__(key=key, upload_label=upload_label, **kwargs)
        self._restore_callbacks: list[Callable[[dict], None]] = []
        self._upload_callbacks: list[Callable[[str, str], None]] = []
        self.on_msg(self._on_front_end_message)

    @property
    def storage_key(self) -> str:
        """The browser localStorage key this store uses on a server whose base URL is "/"."""
        return storage_key(self.key)

    def save(self, state: dict) -> None:
        """Replace the stored state (the browser writes it to localStorage)."""
        # A JSON round trip copies the dict and fails here, not in the browser, if it holds
        # something JSON cannot represent.
        self.state = json.loads(json.dumps(state))

    def on_restore(self, callback: Callable[[dict], None]) -> None:
        """Call `callback(state)` when the browser has sent its stored state (now, if it has)."""
        self._restore_callbacks.append(callback)
        if self.loaded:
            callback(dict(self.state))

    def on_upload(self, callback: Callable[[str, str], None]) -> None:
        """Call `callback(filename, text)` for each file the learner picks (within the size limit)."""
        self._upload_callbacks.append(callback)

    def download(self, filename: str, text: str, mime: str = "application/json") -> None:
        """Ask the browser to save `text` as a file called `filename` (in the learner's downloads)."""
        if not _FILENAME_PATTERN.match(filename):
            raise ValueError(f"File name {filename!r}: use letters, digits and _ . - only")
        self.send({"type": "download", "filename": filename, "text": text, "mime": mime})

    # --- messages from the browser ----------------------------------------------------------

    def _on_front_end_message(self, _widget: Any, content: dict, _buffers: Any = None) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "restore":
            self._restore(content.get("state"), bool(content.get("available", True)))
        elif kind == "upload":
            self._receive_upload(str(content.get("filename", "")), content.get("text", ""))

    def _restore(self, stored: Any, available: bool) -> None:
        self.available = available
        self.state = stored if isinstance(stored, dict) else {}
        self.loaded = True
        for callback in self._restore_callbacks:
            callback(dict(self.state))

    def _receive_upload(self, filename: str, text: Any) -> None:
        size = len(text.encode("utf-8")) if isinstance(text, str) else 0
        if not isinstance(text, str):
            self.upload_error = f"\u201c{filename}\u201d could not be read as text. Nothing was imported."
            return
        if size > self.max_upload_bytes:
            self.upload_error = (f"\u201c{filename}\u201d is {size / 1e6:.1f} MB; the limit is "
                                 f"{self.max_upload_bytes / 1e6:.1f} MB. Nothing was imported.")
            return
        self.upload_error = ""
        for callback in self._upload_callbacks:
            callback(filename, text)
