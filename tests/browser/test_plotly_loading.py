"""plotly.js reaches a Voila page as one static, cached file (widgets/plotly_loader.py), in the
configurations educators use: `./run present`, plain `voila notebooks/`, a server under a base
URL; and when the file cannot be fetched, the page still draws its plots (the kernel sends the
bundle). The websocket budget per lesson is checked in test_every_notebook.py."""
from __future__ import annotations

import plotly
import pytest

from tests.browser.harness import NOTEBOOKS, voila
from tests.browser.helpers import empty_plots, open_notebook, page_errors
from widgets.plotly_loader import bundle_file_name

STATIC_PATH = f"knee-cramp-lab/static/{bundle_file_name()}"


def plotly_transfers(page):
    """Bytes the network delivered for each plotly.js request of this page (Chromium's CDP),
    0 for one answered from the browser's cache."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls, sizes = {}, []

    def sent(event):
        if "/knee-cramp-lab/static/" in event["request"]["url"]:
            urls[event["requestId"]] = event["request"]["url"]

    def finished(event):
        if event["requestId"] in urls:
            sizes.append((urls[event["requestId"]], event["encodedDataLength"]))

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    return sizes


@pytest.fixture
def caching_page(browser):
    """A page whose context routes no request: Playwright turns the HTTP cache off in a context
    that routes requests (as the offline contexts do; Chromium's flags keep this one offline)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_plotly_js_comes_once_as_a_versioned_file_and_a_second_lesson_does_not_fetch_it(
        caching_page, voila_url):
    page, context = caching_page, caching_page.context
    first = plotly_transfers(page)
    open_notebook(page, voila_url, "01_what_is_a_knee_cramp.ipynb")
    assert [url.split("?")[0].endswith(STATIC_PATH) for url, _ in first] == [True]
    assert first[0][1] > 1_000_000, "the first lesson should download plotly.js once"
    assert plotly.__version__ in first[0][0]

    another_tab = context.new_page()  # same browser, same cache
    second = plotly_transfers(another_tab)
    open_notebook(another_tab, voila_url, "03_electrolytes_and_nerves.ipynb")
    assert empty_plots(another_tab) == 0 and page_errors(another_tab) == []
    downloaded = sum(size for _, size in second)
    assert downloaded < 5_000, f"the second lesson downloaded plotly.js again: {second}"


def test_plots_are_drawn_when_the_static_file_cannot_be_fetched(page, voila_url):
    # A front end that cannot serve the file: the page asks the kernel for the bundle instead.
    page.route(f"**/{STATIC_PATH}*", lambda route: route.fulfill(status=404, body="not here"))
    open_notebook(page, voila_url, "01_what_is_a_knee_cramp.ipynb")
    assert page.eval_on_selector_all(".js-plotly-plot .main-svg", "els => els.length") >= 1
    assert empty_plots(page) == 0 and page_errors(page) == []


@pytest.fixture(scope="module")
def plain_voila_under_a_prefix():
    """`voila notebooks/` with only voila.json (Voila's own lab template), under the base URL a
    JupyterHub user's server has."""
    with voila(None, NOTEBOOKS, "--Voila.base_url=/user/alice/",
               "--VoilaConfiguration.show_tracebacks=True", log_name="voila-plain-prefix.log") as s:
        yield s.url.rstrip("/") + "/user/alice"


def test_plain_voila_under_a_base_url_draws_plots_from_the_static_file(
        page, plain_voila_under_a_prefix):
    transfers = plotly_transfers(page)
    open_notebook(page, plain_voila_under_a_prefix, "01_what_is_a_knee_cramp.ipynb")
    assert empty_plots(page) == 0 and page_errors(page) == []
    assert [url.split("?")[0] for url, _ in transfers] == [
        f"{plain_voila_under_a_prefix}/voila/labextensions/{STATIC_PATH}"]


def test_a_slider_move_sends_the_kernel_only_the_slider(page, voila_url):
    """plotly's view reports plotly.js's computed defaults to the kernel after every redraw
    (8-17 kB, about 85 ms of kernel time a move); the page switches that off, so a move sends
    the kernel the slider's value and nothing else, and the plot still changes in place."""
    import re

    from tests.browser.helpers import SLIDER_SELECTOR, plot_signature, press_slider, wait_for_change

    sent = []
    page.on("websocket", lambda ws: ws.on(
        "framesent", lambda payload: sent.append(payload if isinstance(payload, str)
                                                 else payload.decode("latin1"))))
    open_notebook(page, voila_url, "02_calcium_handling.ipynb")
    explorer = page.locator(".kcl-explorer").first
    scope = explorer.element_handle()
    before = plot_signature(page, scope)
    sent.clear()
    press_slider(page, explorer.locator(SLIDER_SELECTOR).first)
    assert wait_for_change(lambda: plot_signature(page, scope), before) != before
    page.wait_for_timeout(1500)                       # time for any report to follow the redraw
    keys = [key for frame in sent for key in re.findall(r'"state": ?\{"([A-Za-z_0-9]+)"', frame)]
    assert keys == ["value"], keys
    assert page_errors(page) == []


def test_a_lesson_page_loads_plotly_js_once_and_no_jupyterlab_only_extension(page, voila_url):
    """voila.json's extension_denylist: plotly's JupyterLab renderer (a second 4.9 MB copy of
    plotly.js, for plain figures, which no lesson shows) and two JupyterLab-only extensions
    (one of them logged a module-federation error on every page) stay out of Voila pages."""
    requested, console_errors = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    open_notebook(page, voila_url, "02_calcium_handling.ipynb")
    assert empty_plots(page) == 0 and page_errors(page) == []
    extensions = {url.split("/labextensions/")[1].split("/static/")[0]
                  for url in requested if "/labextensions/" in url and "/static/" in url}
    assert "knee-cramp-lab" in extensions
    assert not extensions & {"jupyterlab-plotly", "@jupyter-notebook/lab-extension",
                             "@voila-dashboards/jupyterlab-preview"}, extensions
    assert [url for url in requested if url.split("?")[0].endswith(STATIC_PATH)] != []
    assert console_errors == []
