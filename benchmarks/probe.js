// Injected into every benchmarked page before the page's own scripts run (Playwright's
// add_init_script). Times are performance.now(): milliseconds since the navigation started.
//
// window.__bench.progress() -> {executing, sawSpinner, key, lastProgressMs}
//   A page is "interactive" when Voila has run every cell (its #loading spinner is gone), every
//   output holds something, every plot is drawn and no widget is still appearing. lastProgressMs
//   is when the last piece (an output, a drawn plot, a slider) appeared; the benchmark waits
//   until nothing new has appeared for a few seconds and reports that time. executedMs is when
//   the spinner went away (Voila had run every cell and sent the page); the rest of the time to
//   interactive is the browser starting the widget manager and drawing the widgets.
// window.__bench.arm(container) then a key press -> window.__bench.move
//   {keyAt, drawnAt}: when the key went down and when a path of a plot inside `container`
//   first changed its shape ("d" attribute) afterwards: the slider-to-plot latency.
//   firstMessageAt / lastMessageAt: kernel messages that arrived between the two, so a slow move
//   can be split into kernel + network (key to last message) and drawing (last message to plot).
(() => {
  const PLOT = ".js-plotly-plot";
  const SLIDERS = ".kcl-slider input[type=range], .widget-slider .noUi-handle";
  const bench = (window.__bench = { sawSpinner: false, executedMs: null, key: "",
                                    lastProgressMs: 0, move: null });

  function snapshot() {
    const spinner = document.getElementById("loading");
    if (spinner) bench.sawSpinner = true;
    // The harness's healthy page (tests/browser/harness.py PAGE_STATE_JS, which pages.py puts
    // before this file): every output filled (Voila shows "Loading widget..." in an output until
    // the widget's view is drawn), every plot drawn, no blank widget view.
    const { outputs, filled, plots, drawn, complete } = window.__kclPageState(document);
    const sliders = document.querySelectorAll(SLIDERS).length;
    const executing = !!spinner && getComputedStyle(spinner).display !== "none";
    if (bench.sawSpinner && !executing && bench.executedMs === null) bench.executedMs = performance.now();
    const key = [outputs, filled, plots, drawn, sliders, executing].join("/");
    if (key !== bench.key) {
      bench.key = key;
      bench.lastProgressMs = performance.now();
    }
    return { executing, sawSpinner: bench.sawSpinner, complete, plots, sliders, outputs, filled,
             drawn };
  }
  bench.progress = snapshot;

  // Re-check after DOM changes, at most once per 10 ms (plotly makes thousands of mutations).
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    setTimeout(() => { pending = false; snapshot(); }, 10);
  }).observe(document, { childList: true, subtree: true, attributes: true,
                         attributeFilter: ["style", "class"] });

  // Slider-to-plot latency: the key press starts the clock, the first new path shape stops it.
  document.addEventListener("keydown", (event) => {
    if (bench.move && bench.move.keyAt === null) bench.move.keyAt = event.timeStamp;
  }, true);

  // Every message from the kernel arrives on a WebSocket: note when, during an armed move.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => {
        const move = bench.move;
        if (!move || move.keyAt === null || move.drawnAt !== null) return;
        const now = performance.now();
        if (move.firstMessageAt === null) move.firstMessageAt = now;
        move.lastMessageAt = now;
        move.messages += 1;
      });
    }
  };

  bench.arm = (container) => {
    if (bench.move && bench.move.observer) bench.move.observer.disconnect();
    const move = { keyAt: null, drawnAt: null, lastChangeAt: null, observer: null,
                   firstMessageAt: null, lastMessageAt: null, messages: 0 };
    move.observer = new MutationObserver((records) => {
      const now = performance.now();
      const shapeChanged = records.some((r) => r.type === "attributes" ||
        [...r.addedNodes].some((n) => n.nodeName === "path" || (n.querySelector && n.querySelector("path"))));
      if (!shapeChanged || move.keyAt === null) return;
      if (move.drawnAt === null) move.drawnAt = now;
      move.lastChangeAt = now;
    });
    container.querySelectorAll(PLOT).forEach((plot) => move.observer.observe(plot, {
      subtree: true, childList: true, attributes: true, attributeFilter: ["d"] }));
    bench.move = move;
    return container.querySelectorAll(PLOT).length;
  };
})();
