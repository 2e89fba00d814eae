// Knee Cramp Lab: more time for widgets to start on a busy classroom server.
//
// anywidget (used by plotly's FigureWidget and by our sliders, learner store and timer) gives
// every widget model 2 seconds to start: it calls AbortSignal.timeout(2000), and a model that is
// not ready by then fails ("[anywidget] Failed to initialize model") and its whole box is never
// drawn. With a class opening the same lesson at once, a page can wait longer than that for the
// processor. Measured (benchmarks/README.md): 12 learners on 2 cores lost every explorer this
// way. This script runs before any widget code and turns that one 2-second deadline into
// 10 minutes (a class of 30 on one 2-core machine, browsers included, took 7); every other
// timeout is left as it is.
(() => {
  const ANYWIDGET_DEADLINE_MS = 2000;
  const CLASSROOM_DEADLINE_MS = 600000;
  const timeout = AbortSignal.timeout.bind(AbortSignal);
  AbortSignal.timeout = (ms) => timeout(ms === ANYWIDGET_DEADLINE_MS ? CLASSROOM_DEADLINE_MS : ms);
})();
