"""plotly.js reaches the browser once, as a static file it caches, in every front end.

plotly's `FigureWidget` is an anywidget whose front-end module (`_esm`) is plotly's 5 MB
`widgetbundle.js`. anywidget sends `_esm` inside every figure's widget state, so a lesson with
four figures pushed about 5 MB through the kernel's websocket on every page load, and a class of
30 pulled that through one server 30 times.

`Figure` sends a module of a few hundred bytes instead. In the browser it imports plotly's bundle
from a URL: the same file in every front end, because every front end serves the Jupyter data
path's `labextensions/` folder and names that place in its page configuration
(`fullLabextensionsUrl`):

    JupyterLab and Notebook 7   {base_url}lab/extensions/knee-cramp-lab/static/plotly-<v>-<hash>.js
    Voila (alone or in a server) {base_url}voila/labextensions/knee-cramp-lab/static/...

The file name carries plotly's version and the bundle's content hash, so a browser may keep it as
long as it likes (JupyterLab sends it as a long-lived cached file; Voila asks the browser to check
it each time and answers "not modified"). The browser's module map imports it once per page.

`python -m widgets.plotly_loader` copies the bundle there (`./run` does it when it sets up the
environment; see docs/educators.md for a server set up by hand).

Where the file cannot be fetched (it was not installed, or the kernel runs in another
environment than the server), the module asks the kernel, and the kernel sends the bundle in that
figure's widget state: slower, but a plot is never silently missing.
"""
from __future__ import annotations

import hashlib
import shutil
import sys
from functools import lru_cache
from pathlib import Path

import plotly
import plotly.graph_objects as go
import traitlets

PLOTLY_BUNDLE = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"
ASSET_DIR = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "knee-cramp-lab" / "static"
NEED_BUNDLE = "knee-cramp-lab:need-plotly-bundle"  # the message a page sends when the file fails


@lru_cache(maxsize=1)
def bundle_file_name() -> str:
    """The versioned name of plotly's bundle as a static file: plotly-<version>-<hash>.js."""
    digest = hashlib.sha256(PLOTLY_BUNDLE.read_bytes()).hexdigest()[:12]
    return f"plotly-{plotly.__version__}-{digest}.js"


def installed_bundle() -> Path:
    return ASSET_DIR / bundle_file_name()


def install_bundle() -> Path:
    """Copy plotly's bundle to the Jupyter data path (idempotent); return where it is."""
    target = installed_bundle()
    if not target.exists():
        ASSET_DIR.mkdir(parents=True, exist_ok=True)
        for old in ASSET_DIR.glob("plotly-*.js"):  # an earlier plotly's bundle
            old.unlink()
        shutil.copyfile(PLOTLY_BUNDLE, target)
    return target


# The module every Figure sends. The first figure on a page starts the import; all others wait
# for the same promise. `initialize` returns at once (anywidget fails a model that takes more
# than 2 s to initialise); `render` waits for plotly's widget code.
_SHIM_ESM = """
const KEY = "__kneeCrampLabPlotly_%(version)s";
const NEED_BUNDLE = "%(need_bundle)s";

function staticUrl(fileName) {
  const el = document.getElementById("jupyter-config-data");
  const config = el ? JSON.parse(el.textContent || "{}") : {};
  const base = config.fullLabextensionsUrl;
  if (!base || !fileName) { return null; }
  return new URL(`${base.replace(/\\/$/, "")}/knee-cramp-lab/static/${fileName}`,
                 document.baseURI).href;
}

function bundleFromKernel(model) {
  // The kernel puts the bundle in this model's state when asked (whenever the answer arrives).
  return new Promise((resolve) => {
    const arrived = () => {
      const source = model.get("_plotly_bundle");
      if (!source) { return false; }
      model.off("change:_plotly_bundle", arrived);
      resolve(source);
      return true;
    };
    if (!arrived()) {
      model.on("change:_plotly_bundle", arrived);
      model.send({ event: NEED_BUNDLE });
    }
  });
}

async function importSource(source) {
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  try { return await import(url); } finally { URL.revokeObjectURL(url); }
}

async function loadPlotly(model) {
  const url = staticUrl(model.get("_plotly_file"));
  if (url) {
    try { return withoutDefaultsReports(await import(url)); }
    catch (err) { console.warn("[knee-cramp-lab] plotly.js not served at", url, "- asking the kernel", err); }
  }
  return withoutDefaultsReports(await importSource(await bundleFromKernel(model)));
}

function whenIdle() {
  // Evaluating plotly.js blocks the page for a moment: let the small widgets (sliders, buttons)
  // finish their start-up first, which anywidget allows only 2 s for.
  return new Promise((resolve) => globalThis.requestIdleCallback
    ? requestIdleCallback(resolve, { timeout: 1200 }) : setTimeout(resolve, 300));
}

// After every redraw, plotly's view works out plotly.js's computed defaults (every trace's and
// the layout's) and reports them to the kernel: two messages of 8-17 kB that cost the kernel
// about 85 ms per slider move, and that nothing in this collection reads. They are switched off;
// the learner's own zooms, clicks and hovers still reach the kernel.
function withoutDefaultsReports(module) {
  const view = module.FigureView && module.FigureView.prototype;
  if (view && view._sendTraceDeltas && view._sendLayoutDelta) {
    view._sendTraceDeltas = () => {};
    view._sendLayoutDelta = () => {};
  }
  return module.default;
}

function sharedPlotly(model) {
  if (!globalThis[KEY]) { globalThis[KEY] = whenIdle().then(() => loadPlotly(model)); }
  return globalThis[KEY];
}

export default () => {
  let widget;
  return {
    initialize({ model }) {
      widget = sharedPlotly(model).then((factory) => {
        const plotlyWidget = factory();
        plotlyWidget.initialize({ model });
        return plotlyWidget;
      });
      widget.catch((err) => console.error("[knee-cramp-lab] plotly could not load", err));
    },
    async render({ model, el }) {
      const plotlyWidget = await widget;
      return plotlyWidget.render({ model, el });
    },
  };
};
""" % {"version": plotly.__version__, "need_bundle": NEED_BUNDLE}


class Figure(go.FigureWidget):
    """plotly's FigureWidget, with plotly.js loaded once per page from a static file."""

    _esm = _SHIM_ESM
    _plotly_file = traitlets.Unicode("").tag(sync=True)  # the static file's name, if installed
    _plotly_bundle = traitlets.Unicode("").tag(sync=True)  # the bundle itself, only on request

    @traitlets.default("_plotly_file")
    def _installed_file_name(self) -> str:
        # A default, not a value set in __init__: it must be in the state the widget is created
        # with, since JupyterLab builds the view from that state and not from later updates.
        return bundle_file_name() if installed_bundle().exists() else ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_msg(self._send_bundle_if_asked)

    def _send_bundle_if_asked(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("event") == NEED_BUNDLE:
            self._plotly_bundle = PLOTLY_BUNDLE.read_text()


if __name__ == "__main__":
    print(f"plotly.js for Knee Cramp Lab pages: {install_bundle()}")
