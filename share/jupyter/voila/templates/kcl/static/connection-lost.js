// Knee Cramp Lab: say so when the page has lost its kernel, and stop taking changes it cannot keep.
//
// Every tick, quiz answer and diary entry reaches the learner's browser storage through the page's
// Python kernel (widgets/learner_state.py). A kernel can go away during a class: idle culling,
// a server restart, a crash (the server then starts a new kernel that knows none of this page's
// widgets). Before this script the page kept its controls working, showed a broken-link icon
// beside each widget, and silently dropped every change made from then on.
//
// This script runs before Voila's own code and watches the page's kernel websocket
// (/api/kernels/<id>/channels). When the server reports the kernel restarting or dead, or the
// socket closes and no new one has connected within RECONNECT_GRACE_MS, it
// - shows a banner (role="alert") saying the connection is lost and that reloading gets it back
//   with everything saved so far, with a Reload button;
// - switches off every control of the lesson (inputs, buttons, menus, text boxes), so a change
//   can no longer be made and then lost. What was saved before stays in the browser; a reload
//   starts a new kernel that restores it.
(() => {
  const RECONNECT_GRACE_MS = 4000;
  const LOST_STATES = new Set(["restarting", "autorestarting", "dead"]);
  const NativeWebSocket = window.WebSocket;
  let lost = false;
  const open = new Set();      // kernel sockets currently open
  let graceTimer = null;

  function isKernelSocket(url) {
    return /\/api\/kernels\/[^/]+\/channels/.test(String(url));
  }

  // The kernel's status messages: v1 binary frames (offsets, channel, header, parent, metadata,
  // content), or JSON text in the legacy protocol.
  function statusOf(data) {
    try {
      let msg;
      if (typeof data === "string") {
        msg = JSON.parse(data);
      } else {
        const view = new DataView(data);
        const count = Number(view.getBigUint64(0, true));
        if (count < 6 || count > 64) { return null; }
        const offset = (i) => Number(view.getBigUint64(8 * (i + 1), true));
        const text = (i) => new TextDecoder().decode(new Uint8Array(data, offset(i), offset(i + 1) - offset(i)));
        const header = JSON.parse(text(1));
        if (header.msg_type !== "status") { return null; }
        msg = { header, content: JSON.parse(text(4)) };
      }
      return msg && msg.header && msg.header.msg_type === "status" ? msg.content.execution_state : null;
    } catch (err) {
      return null;
    }
  }

  function disableControls(root) {
    for (const el of root.querySelectorAll("input, button, select, textarea")) {
      if (el.closest("#kcl-connection-lost")) { continue; }
      el.disabled = true;
      el.setAttribute("aria-disabled", "true");
    }
  }

  function showLost() {
    if (lost) { return; }
    lost = true;
    const banner = document.createElement("div");
    banner.id = "kcl-connection-lost";
    banner.setAttribute("role", "alert");
    banner.innerHTML =
      "<strong>Connection lost.</strong> This page has lost its connection to the lesson's " +
      "Python kernel, so it cannot save changes any more; its controls are switched off. " +
      "<strong>Reload the page</strong> to get it back: your ticks, quiz answers and diary " +
      "entries saved so far are kept in this browser. ";
    const reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "Reload the page";
    reload.addEventListener("click", () => window.location.reload());
    banner.appendChild(reload);
    document.body.prepend(banner);
    document.body.classList.add("kcl-disconnected");
    disableControls(document);
    // Widgets drawn later (views still loading) are switched off too.
    new MutationObserver(() => disableControls(document)).observe(document.body,
      { childList: true, subtree: true });
  }

  const style = document.createElement("style");
  style.textContent =
    "#kcl-connection-lost { position: sticky; top: 0; z-index: 10000; margin: 0; " +
    "padding: 0.8em 1em; background: #fdecea; color: #3b0d00; border-bottom: 4px solid #b23c00; " +
    "font-size: 16px; line-height: 1.5; }" +
    "#kcl-connection-lost button { margin-left: 0.5em; font-size: 15px; padding: 0.2em 0.8em; " +
    "border: 1px solid #3b0d00; border-radius: 3px; background: #fff; color: #3b0d00; cursor: pointer; }" +
    "#kcl-connection-lost button:focus-visible { outline: 3px solid #E69F00; outline-offset: 2px; }";
  document.head.appendChild(style);

  function watch(ws) {
    ws.addEventListener("open", () => {
      open.add(ws);
      clearTimeout(graceTimer);
    });
    ws.addEventListener("message", (event) => {
      if (LOST_STATES.has(statusOf(event.data))) { showLost(); }
    });
    ws.addEventListener("close", () => {
      open.delete(ws);
      clearTimeout(graceTimer);
      // JupyterLab's kernel connection reconnects by itself after a network hiccup.
      graceTimer = setTimeout(() => { if (open.size === 0) { showLost(); } }, RECONNECT_GRACE_MS);
    });
  }

  function KernelAwareWebSocket(url, protocols) {
    const ws = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    if (isKernelSocket(url)) { watch(ws); }
    return ws;
  }
  KernelAwareWebSocket.prototype = NativeWebSocket.prototype;
  for (const name of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) {
    KernelAwareWebSocket[name] = NativeWebSocket[name];
  }
  window.WebSocket = KernelAwareWebSocket;
  window.kclConnection = { isLost: () => lost };
})();
