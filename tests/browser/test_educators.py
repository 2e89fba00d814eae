"""Educators' Voila, in a real browser: the landing page of `./run present` and its links, a
notebook as offline slides with a live slider, scenario links, the projector variant, and the
classroom configuration (preheated kernels that still honour scenario links, no tracebacks,
refused downloads). Every request that leaves localhost is blocked, recorded and fails the test:
these pages must work in a classroom without internet."""
from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from physiology import data
from tests.browser.harness import jupyter, voila
from tests.browser.helpers import (
    NOTEBOOKS, PAGE_TIMEOUT_MS, REPO, SLIDER_SELECTOR, axe_violations, notebook_names,
    open_notebook, page_errors, plot_signature, press_slider, screenshot, wait_for_change,
    wait_until_rendered,
)

pytestmark = pytest.mark.browser

LOADING_DONE = ("() => !document.querySelector('#loading') || "
                "getComputedStyle(document.querySelector('#loading')).display === 'none'")
FONTAWESOME_CDN = "cdn.jsdelivr.net/npm/@fortawesome"
SLIDES_NOTEBOOK = "05_aging.ipynb"
POOL_FILLED = "Kernel pool of 02_calcium_handling.ipynb is filled"


# --- servers: the same configuration files as ./run present, projector and classroom ----------

@pytest.fixture(scope="module")
def present_url(voila_url):
    # the session's server already runs ./run present's configuration (tests/browser/conftest.py)
    return voila_url


@pytest.fixture(scope="module")
def projector_url():
    with voila("projector", NOTEBOOKS) as server:
        yield server.url


SECRET = "secret-detail-4711"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """The classroom configuration, untouched (no tracebacks), on a folder holding a lesson (its
    kernels preheated, as `./run classroom 02` does), a notebook that fails, a Python file and a
    CSV file."""
    root = tmp_path_factory.mktemp("classroom")
    lesson = "02_calcium_handling.ipynb"
    (root / lesson).symlink_to(NOTEBOOKS / lesson)
    broken = nbformat.v4.new_notebook()
    broken.cells = [nbformat.v4.new_markdown_cell("# A page with a failing cell"),
                    nbformat.v4.new_code_cell(f"raise ValueError('{SECRET}: /srv/private/path')")]
    nbformat.write(broken, root / "broken.ipynb")
    (root / "helper.py").write_text("PASSWORD = 'not for students'\n")
    (root / "table.csv").write_text("muscle,share_pct\ncalf,80\n")
    with voila("classroom", root, env={"KCL_PREHEAT": "02_calcium_handling",
                                       "KCL_POOL_SIZE": "1"}) as server:
        yield server.url, server.log_path


@pytest.fixture(scope="module")
def jupyter_server_url():
    """A Jupyter server with this folder on JUPYTER_CONFIG_PATH, as Binder's `start` file and the
    JupyterHub set-ups in docs/educators.md arrange: Voila runs as its server extension."""
    env = {"JUPYTER_CONFIG_PATH": str(REPO / "share" / "voila" / "present")}
    with jupyter("server", env=env, log_name="jupyter-server.log") as server:
        yield server.url


def leaks(context) -> list[str]:
    return list(context.external_requests)


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def first_heading(notebook: Path) -> str:
    """A notebook's title as written in its first cell (read independently of share/voila/collection.py)."""
    first_line = nbformat.read(notebook, as_version=4).cells[0].source.splitlines()[0]
    return first_line.removeprefix("# ").replace("*", "").strip()


def open_landing(page, url: str) -> None:
    page.goto(f"{url}/", wait_until="load", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(".kcl-lessons", timeout=PAGE_TIMEOUT_MS)


# --- the landing page --------------------------------------------------------------------

def test_landing_page_lists_every_lesson_with_question_and_time(page, context, present_url):
    open_landing(page, present_url)
    screenshot(page, "educators-landing")
    lessons = page.query_selector_all(".kcl-lesson")
    titles = [lesson.query_selector("a.kcl-open").inner_text() for lesson in lessons]
    assert titles == [first_heading(NOTEBOOKS / name) for name in notebook_names()]
    for lesson, title in zip(lessons, titles):
        assert lesson.query_selector(".kcl-question").inner_text().startswith("The question: "), title
        assert re.search(r"Time: .*\d+ (minutes|hours)", lesson.query_selector(".kcl-time").inner_text()), title
    assert not page.query_selector("a[href*='teacher']"), "the landing page links teacher notes"
    assert axe_violations(page) == []
    assert leaks(context) == [] and page.js_errors == []


def test_every_landing_link_opens_its_notebook(page, context, present_url):
    open_landing(page, present_url)
    links = [(a.get_attribute("href"), a.inner_text()) for a in page.query_selector_all("a.kcl-open")]
    slides = [a.get_attribute("href") for a in page.query_selector_all("a.kcl-slides")]
    assert len(links) == len(notebook_names()) == len(slides)
    assert slides == [f"{href}?template=kcl-reveal" for href, _ in links]
    for href, title in links:
        page.goto(present_url + href, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
        wait_until_rendered(page, wait_for_plot=False)
        assert page_errors(page) == [], f"{href}: error on the page"
        heading = page.inner_text("h1").rstrip("¶ \n")   # nbconvert adds a ¶ anchor link
        assert heading == title, f"{href} opened another page"
    assert leaks(context) == [], "a notebook page asked the internet for something"
    assert page.js_errors == []


def test_the_landing_page_also_works_inside_a_jupyter_server(jupyter_server_url):
    with urllib.request.urlopen(f"{jupyter_server_url}/voila/tree/notebooks", timeout=60) as page:
        html = page.read().decode()
    for name in notebook_names():
        assert f'href="/voila/render/notebooks/{name}"' in html, name
        assert f'href="/voila/render/notebooks/{name}?template=kcl-reveal"' in html, name


# --- widgets on a busy server --------------------------------------------------------------

WIDGET_DEADLINE_CHECK = """async () => {
    // anywidget's start-up deadline is AbortSignal.timeout(2000); any other timeout is untouched
    const deadline = AbortSignal.timeout(2000), other = AbortSignal.timeout(100);
    await new Promise(done => setTimeout(done, 2600));
    return {deadlineAborted: deadline.aborted, otherAborted: other.aborted}; }"""


@pytest.mark.parametrize("template", ["", "?template=kcl-reveal"])
def test_widgets_get_minutes_not_seconds_to_start(page, present_url, template):
    # With a class opening a lesson at once, 12 pages on 2 cores lost every explorer to
    # anywidget's 2 s deadline (benchmarks/README.md); the kcl templates lengthen that one.
    page.goto(f"{present_url}/voila/render/00_start_here.ipynb{template}", wait_until="commit")
    wait_until_rendered(page, wait_for_plot=False)
    assert page.evaluate(WIDGET_DEADLINE_CHECK) == {"deadlineAborted": False, "otherAborted": True}


# --- slides ------------------------------------------------------------------------------

def test_a_notebook_runs_as_slides_offline_with_a_live_slider(page, context, present_url):
    open_landing(page, present_url)
    page.click(f"a.kcl-slides[href*='{SLIDES_NOTEBOOK}']")
    wait_until_rendered(page, wait_for_plot=False)
    assert page.evaluate("""() => [...document.styleSheets].some(s =>
        s.href && s.href.includes('/vendor/reveal.js-6.0.1/dist/reveal.css') && s.cssRules.length > 0)"""), \
        "reveal.js styles were not loaded from this server"
    assert len(page.query_selector_all(".reveal .slides > section")) >= 5, \
        "the notebook was not split into slides"

    # Go to the slide that holds the explorer: reveal.js keeps its position (horizontal/vertical)
    # in the address. A tall slide scrolls (reveal's scroll option, set in present/voila.py).
    position = page.evaluate("""() => {
        const slides = [...document.querySelectorAll('.reveal .slides > section')];
        const h = slides.findIndex(s => s.querySelector('.kcl-explorer'));
        const stack = h < 0 ? [] : [...slides[h].querySelectorAll(':scope > section')];
        return [h, Math.max(0, stack.findIndex(s => s.querySelector('.kcl-explorer')))]; }""")
    assert position[0] >= 0, "no explorer on any slide"
    page.evaluate("([h, v]) => { location.hash = '#/' + h + '/' + v; }", position)
    page.wait_for_function("""() => { const e = document.querySelector('.kcl-explorer');
        return e && e.closest('section').classList.contains('present'); }""", timeout=30_000)
    time.sleep(1)  # the slide transition
    explorer = page.query_selector(".kcl-explorer")
    page.wait_for_selector(f".kcl-explorer {SLIDER_SELECTOR}", timeout=PAGE_TIMEOUT_MS)
    before = plot_signature(explorer)
    press_slider(page, explorer.query_selector(SLIDER_SELECTOR))
    assert wait_for_change(lambda: plot_signature(explorer), before) != before, \
        "moving the slider on a slide did not change the plot"
    screenshot(page, "educators-slides")
    assert page_errors(page) == [] and page.js_errors == []
    assert leaks(context) == [], "the slides asked the internet for something"


def test_voilas_own_reveal_template_gets_reveal_and_jquery_from_this_server(page, context,
                                                                            present_url):
    responses = []
    page.on("response", lambda r: responses.append((r.url, r.status)))
    page.goto(f"{present_url}/voila/render/00_start_here.ipynb?template=reveal",
              wait_until="commit", timeout=PAGE_TIMEOUT_MS)
    wait_until_rendered(page, wait_for_plot=False)
    local = [url for url, status in responses if status == 200]
    assert any("/vendor/reveal.js-6.0.1/dist/reveal.css" in url for url in local)
    assert any("/vendor/jquery-3.7.1/jquery.min.js" in url for url in local)
    # Voila's reveal page itself links font-awesome (icons) from a CDN; kcl-reveal does not.
    assert [u for u in leaks(context) if FONTAWESOME_CDN not in u] == []


# --- scenario links ----------------------------------------------------------------------

def scenario_state(page) -> tuple[str, str, str]:
    explorer = page.query_selector(".kcl-explorer")
    picked = explorer.eval_on_selector("select", "s => s.value")
    note = explorer.query_selector(".kcl-scenario-note")
    message = explorer.query_selector(".kcl-message")
    return (picked, note.inner_text() if note else "", message.inner_text() if message else "")


def test_a_scenario_link_opens_the_named_scenario(page, context, present_url):
    fatigued = data.scenarios("calcium").scenario("fatigued_low_atp")
    open_notebook(page, present_url, "02_calcium_handling.ipynb", query="calcium=fatigued_low_atp",
                  wait_for_plot=False)
    picked, note, message = scenario_state(page)
    assert picked == fatigued.label and fatigued.description[:60] in note and message == ""

    open_notebook(page, present_url, "02_calcium_handling.ipynb", query="calcium=no_such_scenario",
                  wait_for_plot=False)
    picked, note, message = scenario_state(page)
    assert picked == "Custom settings" and "no_such_scenario" in message
    assert all(s.id in message for s in data.scenarios("calcium").scenarios), message
    assert leaks(context) == []


# --- projector ---------------------------------------------------------------------------

def luminance(css_colour: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css_colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_projector_pages_are_dark_with_larger_type(page, context, projector_url):
    open_landing(page, projector_url)
    screenshot(page, "educators-projector-landing")
    body = page.evaluate("() => [getComputedStyle(document.body).backgroundColor,"
                         " getComputedStyle(document.body).fontSize]")
    assert luminance(body[0]) < 0.15 and float(body[1].removesuffix("px")) >= 24
    assert axe_violations(page) == []

    open_notebook(page, projector_url, "01_what_is_a_knee_cramp.ipynb")
    screenshot(page, "educators-projector-01")
    text = page.evaluate("""() => { const p = document.querySelector('.jp-RenderedHTMLCommon p');
        return [getComputedStyle(document.body).backgroundColor, getComputedStyle(p).fontSize,
                document.body.dataset.jpThemeLight]; }""")
    assert luminance(text[0]) < 0.15 and text[2] == "false"
    assert float(text[1].removesuffix("px")) >= 20   # JupyterLab's default is 14 px
    assert axe_violations(page) == []
    assert page_errors(page) == [] and leaks(context) == [] and page.js_errors == []


# --- classroom ---------------------------------------------------------------------------

def test_downloads_of_notebooks_and_code_are_refused(present_url, classroom):
    classroom_url, _ = classroom
    assert http_status(f"{present_url}/voila/files/02_calcium_handling.ipynb") == 403
    assert http_status(f"{classroom_url}/voila/files/02_calcium_handling.ipynb") == 403
    assert http_status(f"{classroom_url}/voila/files/helper.py") == 403
    assert http_status(f"{classroom_url}/voila/files/table.csv") == 200  # the route itself works
    assert http_status(f"{present_url}/voila/files/../teacher_notes/02_calcium_handling.md") != 200


def test_a_failing_cell_shows_students_no_traceback(page, classroom):
    classroom_url, _ = classroom
    page.goto(f"{classroom_url}/voila/render/broken.ipynb", wait_until="commit",
              timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(LOADING_DONE, timeout=PAGE_TIMEOUT_MS)
    text = page.inner_text("body")
    assert "There was an error when executing cell" in text   # the cell did fail...
    for detail in ("Traceback", "ValueError", SECRET, "/srv/private"):
        assert detail not in text, f"a student would see {detail!r}"   # ...and nothing leaked


def test_a_preheated_kernel_still_opens_the_named_scenario(page, context, classroom):
    classroom_url, log_path = classroom
    deadline = time.monotonic() + 300
    while POOL_FILLED not in log_path.read_text() and time.monotonic() < deadline:
        time.sleep(1)
    log = log_path.read_text()
    assert POOL_FILLED in log, "the classroom server did not preheat 02_calcium_handling"
    preheated = set(re.findall(r"Kernel started: ([0-9a-f-]{36})", log))

    contracture = data.scenarios("calcium").scenario("contracture")
    started = time.monotonic()
    open_notebook(page, classroom_url, "02_calcium_handling.ipynb", query="calcium=contracture",
                  wait_for_plot=False)
    print(f"preheated page with its scenario rendered in {time.monotonic() - started:.1f} s")
    config = page.eval_on_selector("#jupyter-config-data", "e => e.textContent")
    kernel = json.loads(config)["kernelId"]
    assert kernel in preheated, "the page did not get a preheated kernel"
    picked, note, message = scenario_state(page)
    assert picked == contracture.label and message == ""
    assert leaks(context) == []
