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
