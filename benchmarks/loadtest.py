"""A class of N learners at the protocol level: what the server pays, without any browser.

Each simulated learner does what a Voila 0.5 lesson page does in a browser, over the same HTTP
and websocket messages, so N learners cost the server what N students' laptops would:

1. GET /voila/render/<notebook>: Voila starts (or takes from its pool) a kernel, runs every cell
   and streams the HTML. The page's configuration names the kernel.
2. GET what a first-time visitor's browser fetches before it can draw: the page's scripts and
   style sheets, each front-end extension's entry file, and the static files the widgets'
   modules import (plotly.js; `--no-assets` skips this step).
3. Open the kernel's websocket (/api/kernels/<id>/channels), ask kernel_info as JupyterLab's
   kernel connection does, open a `jupyter.widget.control` comm and send
   {"method": "request_states"}: the widget manager of Voila 0.5.13 does exactly this
   (@voila-dashboards/widgets-manager8, `_loadFromKernel`), and the kernel answers
   "update_states" with every widget's state.
   *page ready* = the page, its files and every widget's state have arrived: all a browser needs
   to draw the page. *all outputs* = every widget view on the page, and every widget it refers to
   (IPY_MODEL_...), has a state.
4. Move the first slider of the first explorer (the first view that holds a slider and a plot)
   one step, as the slider's front end does: a comm_msg {"method": "update", "state":
   {"value": v}} to that slider's model. *slider reply* = until the last figure update the
   kernel sends for that message (its iopub messages with that parent) before it goes idle; no
   figure update is a miss.
5. Stay connected until every learner is done (the memory of a whole class is sampled then),
   then close the page: POST /voila/api/shutdown/<kernel>, as Voila's page does when closed.

What it leaves out: drawing (no browser), and the lazily loaded chunks of Voila's own scripts.
Bounded: at most MAX_LEARNERS learners, every wait has a deadline, 127.0.0.1 only.

    .venv/bin/python benchmarks/loadtest.py --notebook 02 --learners 10
    .venv/bin/python benchmarks/loadtest.py --notebook 07 --capacity      # largest N that passes
    .venv/bin/python benchmarks/loadtest.py --url http://127.0.0.1:8866 --learners 3

Without --url it starts a server with `./run classroom NN` settings (the lesson preheated,
pool of 2) on a free port and stops it afterwards.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent))

MAX_LEARNERS = 200
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# The class-size targets (issue 19): every learner gets every output, and
READY_P95_MAX_S = 10.0     # page ready p95
SLIDER_P95_MAX_S = 0.5     # slider reply p95
CAPACITY_STEPS = (1, 2, 4, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100)

CONFIG_RE = re.compile(r'<script id="jupyter-config-data" type="application/json">\s*(.*?)\s*</script>',
                       re.S)
# Voila 0.5's lab page: each cell output as JSON, rendered by the page's script.
OUTPUT_RE = re.compile(r'<script type="application/vnd\.voila\.cell-output\+json">\s*(.*?)\s*</script>',
                       re.S)
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
ASSET_RE = re.compile(r'<(?:script\b[^>]*?\bsrc|link\b[^>]*?\bhref)="([^"]+)"')
MODEL_REF = "IPY_MODEL_"
SLIDER_MODELS = {"AnyModel", "FloatSliderModel", "IntSliderModel"}


# --- reading what the server sends -------------------------------------------------------------

@dataclass
class PageInfo:
    kernel_id: str
    base_url: str
    views: list[str]          # widget views on the page, in page order
    assets: list[str]         # addresses a first-time visitor's browser fetches
    labextensions_url: str
    error_cells: int          # outputs showing a Python error


def parse_page(html: str) -> PageInfo:
    """The kernel, the widget views and the files of a rendered Voila page."""
    match = CONFIG_RE.search(html)
    if not match:
        raise ValueError("no jupyter-config-data on the page (not a Voila notebook page?)")
    config = json.loads(match.group(1))
    outputs = [json.loads(m) for m in OUTPUT_RE.findall(html)]
    views = [o["data"][VIEW_MIME]["model_id"] for o in outputs if VIEW_MIME in o.get("data", {})]
    assets = [a for a in ASSET_RE.findall(html) if not a.startswith(("data:", "#"))]
    ext_url = config.get("fullLabextensionsUrl", "")
    for ext in config.get("federated_extensions", []):
        if ext.get("load"):
            assets.append(f"{ext_url}/{ext['name']}/{ext['load']}")
    errors = sum(o.get("output_type") == "error" or o.get("name") == "stderr" for o in outputs)
    errors += html.count("There was an error when executing cell")
    return PageInfo(config["kernelId"], config.get("baseUrl", "/"), views, list(dict.fromkeys(assets)),
                    ext_url, errors)


def model_refs(value) -> list[str]:
    """Every IPY_MODEL_<id> reference inside a widget state, in order."""
    if isinstance(value, str):
        return [value[len(MODEL_REF):]] if value.startswith(MODEL_REF) else []
    if isinstance(value, dict):
        return [r for v in value.values() for r in model_refs(v)]
    if isinstance(value, (list, tuple)):
        return [r for v in value for r in model_refs(v)]
    return []


def reachable(states: dict, roots: list[str]) -> tuple[list[str], list[str]]:
    """(models reachable from the roots in depth-first page order, those without a state)."""
    seen, order, missing = set(), [], []

    def visit(model_id):
        if model_id in seen:
            return
        seen.add(model_id)
        order.append(model_id)
        if model_id not in states:
            missing.append(model_id)
            return
        for ref in model_refs(states[model_id].get("state", {})):
            visit(ref)

    for root in roots:
        visit(root)
    return order, missing


def is_figure(entry: dict) -> bool:
    """plotly's FigureWidget (its Python-to-JavaScript message traits)."""
    return any(k.startswith("_py2js_") for k in entry.get("state", {}))


def slider_range(entry: dict) -> tuple[float, float, float, float] | None:
    """(value, min, max, step) of a slider model. ipywidgets sends states without the traits that
    still hold their defaults (get_state(drop_defaults=True)); a slider's default value is its
    minimum for our Slider and 0 for ipywidgets' sliders."""
    state = entry.get("state", {})
    if entry.get("model_name") not in SLIDER_MODELS or "max" not in state:
        return None
    low, high = state.get("min", 0.0), state["max"]
    step = state.get("step", 1 if entry.get("model_name") == "IntSliderModel" else 0.1)
    value = state.get("value", 0.0 if entry.get("model_name") != "AnyModel" else low)
    numbers = (value, low, high, step)
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in numbers):
        return None
    return numbers


def is_slider(entry: dict) -> bool:
    return slider_range(entry) is not None


def first_explorer_slider(states: dict, views: list[str]) -> str | None:
    """The first slider of the first view that holds a slider and a plot."""
    for view in views:
        order, _ = reachable(states, [view])
        sliders = [m for m in order if m in states and is_slider(states[m])]
        if sliders and any(m in states and is_figure(states[m]) for m in order):
            return sliders[0]
    return None


def first_checkbox(states: dict, views: list[str]) -> str | None:
    """The first tick box on the page (a lesson without an explorer: a checklist item)."""
    order, _ = reachable(states, views)
    return next((m for m in order if states.get(m, {}).get("model_name") == "CheckboxModel"), None)


def first_interaction(states: dict, views: list[str]) -> tuple[str, str, dict, set[str]] | None:
    """What the learner does first: (kind, model, new state, models whose update is the reply).
    An explorer's slider, answered by figure updates; else a tick box, answered by an update of
    any other widget (the checklist's count, its store)."""
    slider = first_explorer_slider(states, views)
    if slider:
        return ("slider", slider, {"value": next_value(*slider_range(states[slider]))},
                {m for m, e in states.items() if is_figure(e)})
    box = first_checkbox(states, views)
    if box:
        return ("checkbox", box, {"value": not states[box]["state"].get("value", False)},
                set(states) - {box})
    return None


def next_value(value: float, low: float, high: float, step: float) -> float:
    """One step right, or left at the top of the range; on the slider's grid."""
    new = value + step if value + step <= high + 1e-9 else value - step
    steps = round((new - low) / step)
    return round(min(high, max(low, low + steps * step)), 10)


def widget_assets(states: dict, labextensions_url: str) -> list[str]:
    """Static files the widgets' modules import: plotly.js, once it is a cached file
    (widgets/plotly_loader.py: `_plotly_file` under the knee-cramp-lab labextension)."""
    files = {e["state"]["_plotly_file"] for e in states.values() if e.get("state", {}).get("_plotly_file")}
    return [f"{labextensions_url.rstrip('/')}/knee-cramp-lab/static/{f}" for f in sorted(files)]


WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"


def encode(msg: dict) -> bytes:
    """A message in the websocket protocol JupyterLab's front end speaks (v1, binary).

    Not the legacy JSON protocol: Voila 0.5.13's websocket handler reads every binary message
    it forwards as v1 (kernel_websocket_handler.read_header_from_binary_message), so a legacy
    client that receives a message with buffers (plotly's figures) stalls the whole server,
    which grows by gigabytes (found with this load test)."""
    parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")]
    parts += list(msg.get("buffers", []))
    channel = msg.get("channel", "shell").encode()
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(channel))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return b"".join([len(offsets).to_bytes(8, "little"), *(o.to_bytes(8, "little") for o in offsets),
                     channel, *parts])


def decode(frame: bytes) -> dict:
    """A v1 websocket frame as a message dict (with its channel and buffers)."""
    count = int.from_bytes(frame[:8], "little")
    if not 3 <= count <= 1 + (len(frame) // 8):
        raise ValueError(f"not a v1 kernel message ({count} offsets in {len(frame)} bytes)")
    offsets = [int.from_bytes(frame[8 * (i + 1):8 * (i + 2)], "little") for i in range(count)]
    chunks = [frame[offsets[i]:offsets[i + 1]] for i in range(count - 1)] + [frame[offsets[-1]:]]
    channel, header, parent, metadata, content, *buffers = chunks
    buffers = buffers[:-1] if buffers and not buffers[-1] else buffers
    return {"channel": channel.decode(), "header": json.loads(header),
            "parent_header": json.loads(parent), "metadata": json.loads(metadata),
            "content": json.loads(content), "buffers": buffers}


def message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "loadtest",
                       "session": session, "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": metadata or {}, "content": content,
            "channel": "shell", "buffers": []}


# --- one learner ---------------------------------------------------------------------------------

@dataclass
class Learner:
    index: int
    html_s: float | None = None        # the page's HTML complete (Voila ran every cell)
    ready_s: float | None = None       # page, files and every widget state received
    views: int = 0
    models: int = 0
    missing: int = 0                   # widgets the page needs that have no state
    all_outputs: bool = False
    control: str = ""                  # what was moved: "slider" (explorer) or "checkbox"
    slider_s: float | None = None      # the move to the kernel's last reply (figure updates)
    slider_messages: int = 0
    bytes_received: int = 0
    kernel_id: str | None = None
    errors: list[str] = field(default_factory=list)


class Session:
    """A kernel websocket that remembers every message by its parent."""

    def __init__(self, ws, learner: Learner):
        self.ws, self.learner = ws, learner
        self.session = uuid.uuid4().hex

    async def send(self, msg: dict) -> str:
        await self.ws.write_message(encode(msg), binary=True)
        return msg["header"]["msg_id"]

    async def until(self, done, deadline: float) -> dict:
        """Read messages until done(msg) is true; returns that message."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise asyncio.TimeoutError
            frame = await asyncio.wait_for(self.ws.read_message(), left)
            if frame is None:
                raise ConnectionError("the server closed the kernel's websocket")
            self.learner.bytes_received += len(frame)
            msg = decode(frame)
            if done(msg):
                return msg


def _parent(msg) -> str:
    return (msg.get("parent_header") or {}).get("msg_id", "")


async def request_states(ses: Session, deadline: float) -> dict:
    control = uuid.uuid4().hex
    await ses.send(message("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control",
                                         "data": {}}, ses.session, {"version": "1.0.0"}))
    await ses.send(message("comm_msg", {"comm_id": control, "data": {"method": "request_states"}},
                           ses.session))
    reply = await ses.until(lambda m: m["header"]["msg_type"] == "comm_msg"
                            and m["content"].get("comm_id") == control
                            and m["content"]["data"].get("method") == "update_states", deadline)
    await ses.send(message("comm_close", {"comm_id": control, "data": {}}, ses.session))
    return reply["content"]["data"]["states"]


async def interact(ses: Session, model: str, state: dict, replies: set[str],
                   deadline: float) -> tuple[float | None, int]:
    """Send a widget change as its front end does; (seconds to the last reply, replies)."""
    msg = message("comm_msg", {"comm_id": model, "data": {
        "method": "update", "state": state, "buffer_paths": []}}, ses.session)
    start = time.monotonic()
    msg_id = await ses.send(msg)
    last, count = None, 0

    def done(m):
        nonlocal last, count
        if _parent(m) != msg_id:
            return False
        if m["header"]["msg_type"] == "comm_msg" and m["content"].get("comm_id") in replies:
            last, count = time.monotonic(), count + 1
        return m["header"]["msg_type"] == "status" and m["content"].get("execution_state") == "idle"

    await ses.until(done, deadline)
    return (None if last is None else last - start), count


async def fetch(client: AsyncHTTPClient, url: str, deadline: float, learner: Learner, **kw):
    response = await client.fetch(HTTPRequest(url, request_timeout=max(1.0, deadline - time.monotonic()),
                                              connect_timeout=30, **kw))
    learner.bytes_received += len(response.body)
    return response


async def shutdown(client: AsyncHTTPClient, base: str, kernel_id: str) -> None:
    """What Voila's page does when it is closed: ask the server to end the kernel."""
    try:
        tree = await client.fetch(f"{base}/voila/tree", request_timeout=30, raise_error=False)
        cookie = next((c.split(";")[0] for c in tree.headers.get_list("Set-Cookie")
                       if c.startswith("_xsrf=")), "")
        await client.fetch(f"{base}/voila/api/shutdown/{kernel_id}", method="POST",
                           body=f"_xsrf={cookie.split('=', 1)[-1]}", headers={"Cookie": cookie},
                           request_timeout=30, raise_error=False)
    except Exception:
        pass  # the server's culling, or its stop(), ends the kernel


class Room:
    """Learners tell the class when they are done; the class tells them when to leave."""

    def __init__(self):
        self.finished = 0
        self.leave = asyncio.Event()


async def learner_run(index: int, base: str, notebook: str, timeout_s: float, assets: bool,
                      room: Room, hold_s: float) -> Learner:
    me = Learner(index)
    client = AsyncHTTPClient(force_instance=True, max_clients=6)  # a browser's 6 per host
    start = time.monotonic()
    deadline = start + timeout_s
    ws = None
    try:
        page = await fetch(client, f"{base}/voila/render/{notebook}", deadline, me)
        me.html_s = time.monotonic() - start
        info = parse_page(page.body.decode())
        me.kernel_id, me.views = info.kernel_id, len(info.views)
        if info.error_cells:
            me.errors.append(f"{info.error_cells} outputs show a Python error")
        files = [urljoin(f"{base}/", a) for a in info.assets] if assets else []
        downloads = asyncio.gather(*(fetch(client, u, deadline, me) for u in files))
        ws_url = f"ws://{urlparse(base).netloc}{info.base_url}api/kernels/{info.kernel_id}/channels"
        ws = await asyncio.wait_for(websocket_connect(
            f"{ws_url}?session_id={uuid.uuid4().hex}", max_message_size=512 * 2**20,
            subprotocols=[WS_PROTOCOL]),
            max(1.0, deadline - time.monotonic()))
        ses = Session(ws, me)
        info_id = await ses.send(message("kernel_info_request", {}, ses.session))
        await ses.until(lambda m: m["header"]["msg_type"] == "kernel_info_reply"
                        and _parent(m) == info_id, deadline)
        states = await request_states(ses, deadline)
        await downloads
        if assets:
            await asyncio.gather(*(fetch(client, urljoin(f"{base}/", a), deadline, me)
                                   for a in widget_assets(states, info.labextensions_url)))
        me.ready_s = time.monotonic() - start
        order, missing = reachable(states, info.views)
        me.models, me.missing = len(order), len(missing)
        me.all_outputs = bool(info.views) and not missing and not info.error_cells
        if missing:
            me.errors.append(f"{len(missing)} of {len(order)} widgets the page shows have no state")
        action = first_interaction(states, info.views)
        if action is None:
            me.errors.append("nothing to move: no slider with a plot, no tick box")
        else:
            me.control, model, change, replies = action
            me.slider_s, me.slider_messages = await interact(ses, model, change, replies, deadline)
            if me.slider_s is None:
                me.errors.append(f"the {me.control} change brought no reply from the kernel")
    except asyncio.TimeoutError:
        me.errors.append(f"timed out after {timeout_s:.0f} s "
                         f"({'no page' if me.html_s is None else 'page, no widget state' if me.ready_s is None else 'no slider reply'})")
    except (HTTPClientError, ConnectionError, OSError, ValueError, KeyError) as exc:
        me.errors.append(f"{type(exc).__name__}: {exc}"[:300])
    try:
        # Stay on the page while the rest of the class loads (bounded).
        room.finished += 1
        await asyncio.wait_for(room.leave.wait(), hold_s)
    except asyncio.TimeoutError:
        pass
    finally:
        if ws is not None:
            ws.close()
        if me.kernel_id:
            await shutdown(client, base, me.kernel_id)
        client.close()
    return me


# --- a class -------------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float | None:
    from pages import percentile as p
    return p(values, q)


def summarise(learners: list[Learner]) -> dict:
    n = len(learners)
    ready = sorted(l.ready_s for l in learners if l.ready_s is not None)
    html = sorted(l.html_s for l in learners if l.html_s is not None)
    slider = sorted(l.slider_s for l in learners if l.slider_s is not None)
    every_output = sum(l.all_outputs for l in learners)
    out = {
        "learners": n,
        "all_outputs": every_output,
        "slider_replied": len(slider),
        "html_median_s": statistics.median(html) if html else None,
        "ready_median_s": statistics.median(ready) if ready else None,
        # p95 over the whole class: a learner who never got there counts as worst.
        "ready_p95_s": percentile(ready + [float("inf")] * (n - len(ready)), 95) if ready else None,
        "slider_median_s": statistics.median(slider) if slider else None,
        "slider_p95_s": percentile(slider + [float("inf")] * (n - len(slider)), 95) if slider else None,
        "mb_received_per_learner": round(sum(l.bytes_received for l in learners) / max(n, 1) / 2**20, 2),
        "control": sorted({l.control for l in learners if l.control}),
        "learners_with_errors": sum(1 for l in learners if l.errors),
        "errors": sorted({e for l in learners for e in l.errors})[:10],
    }
    out["passes"] = passes(out)
    return out


def passes(s: dict) -> bool:
    """Every learner got every output and a slider reply, ready p95 <= 10 s, slider p95 <= 0.5 s."""
    n = s["learners"]
    return (n > 0 and s["all_outputs"] == n and s["slider_replied"] == n
            and s["ready_p95_s"] is not None and s["ready_p95_s"] <= READY_P95_MAX_S
            and s["slider_p95_s"] is not None and s["slider_p95_s"] <= SLIDER_P95_MAX_S)


def largest_passing(runs: list[dict]) -> int:
    """The largest class size that passed, below the first that failed (0 if none passed)."""
    best = 0
    for run in sorted(runs, key=lambda r: r["learners"]):
        if not run["passes"]:
            break
        best = run["learners"]
    return best


def check_local(url: str) -> None:
    if urlparse(url).hostname not in LOCAL_HOSTS:
        raise SystemExit(f"{url}: the load test talks only to this computer (127.0.0.1)")


async def run_class(base: str, notebook: str, learners: int, timeout_s: float = 300,
                    assets: bool = True, server=None, hold_s: float = 120) -> dict:
    """N learners open `notebook` at once; with `server` (servers.VoilaServer), its CPU and memory."""
    check_local(base)
    if not 1 <= learners <= MAX_LEARNERS:
        raise ValueError(f"1 to {MAX_LEARNERS} learners, not {learners}")
    room = Room()
    import os
    load_before = round(os.getloadavg()[0], 2)
    idle_mb = server.total_rss_mb() if server else None
    cpu_before = server.cpu_seconds() if server else None
    own_cpu = time.process_time()
    start = time.monotonic()
    tasks = [asyncio.ensure_future(learner_run(i, base, notebook, timeout_s, assets, room, hold_s))
             for i in range(learners)]
    peak_mb = peak_kernels = 0

    async def sample():
        nonlocal peak_mb, peak_kernels
        while server:
            peak_mb = max(peak_mb, server.total_rss_mb())
            peak_kernels = max(peak_kernels, server.kernel_count())
            await asyncio.sleep(0.5)

    sampler = asyncio.ensure_future(sample())
    # Everyone done (page, states, slider) or given up: that is the class at its fullest.
    while room.finished < learners and time.monotonic() - start < timeout_s + 30:
        await asyncio.sleep(0.25)
    wall_s = time.monotonic() - start
    full_mb = server.total_rss_mb() if server else None
    cpu_s = server.cpu_seconds() - cpu_before if server else None
    own_cpu = time.process_time() - own_cpu
    room.leave.set()
    results = await asyncio.gather(*tasks)
    sampler.cancel()
    out = {"notebook": notebook, **summarise(results), "wall_s": round(wall_s, 1),
           "generator_cpu_s": round(own_cpu, 1),
           # the machine's 1-minute load average before and after (other work on it counts)
           "load_average": [load_before, round(os.getloadavg()[0], 2)]}
    if server:
        out.update({
            "server_idle_mb": round(idle_mb), "server_full_mb": round(full_mb),
            "server_peak_mb": round(max(peak_mb, full_mb)), "kernels_peak": peak_kernels,
            "mb_per_learner": round((full_mb - idle_mb) / learners, 1),
            "cpu_s_per_page": round(cpu_s / learners, 2),
            "preheated_pages": sum(server.used_pool_kernel(l.kernel_id) for l in results if l.kernel_id),
        })
    out["per_learner"] = [asdict(l) for l in results]
    return out


async def capacity(base: str, notebook: str, server, steps=None, max_learners: int = 60,
                   timeout_s: float = 300, assets: bool = True, log=print) -> dict:
    """Classes of growing size on one server until one fails; the largest that passed. With
    `steps` given, every one of those sizes is tried (to see the trend past a failure)."""
    stop_at_failure = steps is None
    steps = CAPACITY_STEPS if steps is None else steps
    runs = []
    for n in [s for s in steps if s <= max_learners]:
        if server:
            server.wait_until_quiet(timeout_s=300)   # the last class gone, the pool refilled
        run = await run_class(base, notebook, n, timeout_s, assets, server)
        log(f"  {notebook}, {n} learners: ready p95 {_s(run['ready_p95_s'])}, slider p95 "
            f"{_s(run['slider_p95_s'])}, every output {run['all_outputs']}/{n}, "
            f"{'passes' if run['passes'] else 'FAILS'}"
            + (f"; {run.get('mb_per_learner')} MB and {run.get('cpu_s_per_page')} CPU-s per learner"
               if server else ""))
        runs.append(run)
        if stop_at_failure and not run["passes"]:
            break
    return {"notebook": notebook, "largest_class": largest_passing(runs),
            "runs": [{k: v for k, v in r.items() if k != "per_learner"} for r in runs],
            "last_run_learners": runs[-1]["per_learner"] if runs else []}


def _s(value) -> str:
    return "-" if value is None else ("never" if value == float("inf") else f"{value:.2f} s")


# --- a server of our own -------------------------------------------------------------------------

def classroom_server(notebook_number: str, workdir: Path, pool_size: int = 2):
    """`./run classroom NN` on a free port (servers.VoilaServer), started and warmed up."""
    from servers import REPO, VoilaServer, voila_command
    server = VoilaServer(
        voila_command(REPO / "notebooks", "classroom"), workdir / f"loadtest-{notebook_number}-voila.log",
        env={"KCL_PREHEAT": notebook_number, "KCL_POOL_SIZE": str(pool_size)})
    try:
        server.wait_until_up()
        server.wait_until_quiet(timeout_s=600)
    except Exception:
        server.stop()
        raise
    return server


async def measure(notebooks: list[str], workdir: Path, max_learners: int = 60, timeout_s: float = 300,
                  assets: bool = True, pool_size: int = 2, steps=None, log=print) -> dict:
    """The largest class one classroom server holds, for each lesson (run.py --only load)."""
    from classroom import notebook_file
    out = {"criteria": {"every_learner_every_output": True, "ready_p95_max_s": READY_P95_MAX_S,
                        "slider_p95_max_s": SLIDER_P95_MAX_S, "pool_size": pool_size,
                        "assets": assets, "learners_open_at_once": True}, "lessons": {}}
    for number in notebooks:
        name = notebook_file(number)
        server = classroom_server(number, workdir, pool_size)
        try:
            out["lessons"][name] = await capacity(server.url, name, server, steps=steps,
                                                  max_learners=max_learners, timeout_s=timeout_s,
                                                  assets=assets, log=log)
        finally:
            server.stop()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", default="02", help="lesson number or file name (02)")
    parser.add_argument("--learners", type=int, default=5)
    parser.add_argument("--capacity", action="store_true", help="grow the class until it fails")
    parser.add_argument("--max-learners", type=int, default=60)
    parser.add_argument("--url", help="an already running server on 127.0.0.1 (else one is started)")
    parser.add_argument("--timeout", type=float, default=300, help="per learner, seconds (300)")
    parser.add_argument("--no-assets", action="store_true", help="skip the static files")
    parser.add_argument("--json", type=Path, help="write the result here")
    args = parser.parse_args(argv)
    import tempfile
    from classroom import notebook_file

    name = notebook_file(args.notebook) if not args.notebook.endswith(".ipynb") else args.notebook
    with tempfile.TemporaryDirectory(prefix="kcl-load-") as tmp:
        server = None if args.url else classroom_server(args.notebook[:2], Path(tmp))
        base = args.url.rstrip("/") if args.url else server.url
        try:
            if args.capacity:
                result = asyncio.run(capacity(base, name, server, max_learners=args.max_learners,
                                              timeout_s=args.timeout, assets=not args.no_assets))
            else:
                result = asyncio.run(run_class(base, name, args.learners, args.timeout,
                                               not args.no_assets, server))
        finally:
            if server:
                server.stop()
    text = json.dumps(result, indent=1, default=str)
    if args.json:
        args.json.write_text(text + "\n")
    print(text if not args.capacity else json.dumps(result["runs"], indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
