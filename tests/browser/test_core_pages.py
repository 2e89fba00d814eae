"""What every lesson page shows a student: the page address obeyed, no plumbing, readable
citations, named figures, and no accessibility violation of moderate impact or above.

- notebook 07 asks for the banana view, but an educator's `?foods=magnesium_per_serving` link
  must open the magnesium view (the explorer core: the page address wins);
- no Python repr (`{'peak_rate_hz': ...`, `<... object at 0x...>`) and no citation key (`[@id]`)
  on any Voila page, nor in JupyterLab;
- every citation is a short name linked to an entry of the page's reference list;
- every plotly figure is a `role="figure"` named by its title and described by its summary line;
- axe-core: no moderate, serious or critical violation.
"""
from __future__ import annotations

import re

import pytest

from tests.browser import jupyter_pages as jp
from tests.browser.helpers import axe_violations, notebook_names, open_notebook

pytestmark = pytest.mark.browser

PLUMBING = re.compile(r"\{'[a-z_]+': |\[@[a-z0-9_]+|<[\w.]+ object at 0x[0-9a-f]+>|: None\b")
MODERATE_AND_ABOVE = ("critical", "serious", "moderate")

# Every citation link on the page: its text, its target, and whether that target exists.
CITATIONS_JS = """() => [...document.querySelectorAll('a[href^="#ref-"]')].map(a => [
    a.textContent, a.getAttribute('href'), !!document.getElementById(a.getAttribute('href').slice(1))])"""
# Every labelled figure: its role, its name, and the text of the element that describes it.
FIGURES_JS = """() => [...document.querySelectorAll('.kcl-figure')].map(box => {
    const described = document.getElementById(box.getAttribute('aria-describedby') || '');
    return [box.getAttribute('role'), box.getAttribute('aria-label'),
            described ? described.textContent.trim() : null,
            !!box.querySelector('.js-plotly-plot')]; })"""


def check_citations(page, where: str) -> None:
    links = page.evaluate(CITATIONS_JS)
    for text, href, target_exists in links:
        key = href[len("#ref-"):]
        assert text != key and "@" not in text and re.search(r"[A-Z]", text), \
            f"{where}: citation {href} reads '{text}', not an author or organisation name"
        assert target_exists, f"{where}: {href} points at no entry of the reference list"


@pytest.mark.parametrize("name", notebook_names())
def test_voila_page_is_accessible_and_shows_no_plumbing(page, voila_url, name):
    open_notebook(page, voila_url, name)
    text = page.inner_text("main")
    assert not PLUMBING.findall(text), f"{name}: plumbing on the page: {PLUMBING.findall(text)[:5]}"
    check_citations(page, name)
    for role, label, description, has_plot in page.evaluate(FIGURES_JS):
        assert role == "figure" and label and has_plot, f"{name}: figure '{label}' not labelled"
        assert description, f"{name}: figure '{label}' has no summary as its description"
    assert page.locator("main .js-plotly-plot").count() == page.locator(".kcl-figure").count(), \
        f"{name}: a plot outside a labelled figure"
    assert axe_violations(page, impacts=MODERATE_AND_ABOVE) == []


def test_the_food_link_in_notebook_07_opens_the_magnesium_view(page, voila_url):
    """07 calls explore_foods(view="banana_myth"); the address must still win."""
    open_notebook(page, voila_url, "07_prevention_and_relief.ipynb",
                  query="foods=magnesium_per_serving")
    figure = page.locator(".kcl-figure[aria-label^='Magnesium in each food']")
    assert figure.count() == 1
    explorer = page.locator(".kcl-explorer").filter(has=figure)
    assert "Magnesium per typical serving" in explorer.locator(".kcl-summary").inner_text()
    # ipywidgets' <select> holds the option labels
    assert explorer.locator("select").first.input_value() == "Magnesium per serving"


@pytest.fixture
def lab_lesson(page, lab_server):
    """A lesson opened and run in JupyterLab; its kernel is shut down afterwards."""
    opened = []

    def run(name: str):
        path = f"notebooks/{name}"
        opened.append(path)
        jp.open_notebook(page, lab_server.url, path)
        jp.run_all(page, path)
        assert jp.unhealthy_outputs(page) == []
        return page

    yield run
    for path in opened:
        jp.shutdown_kernel(page, lab_server.url, path)


def test_jupyterlab_shows_the_reflex_numbers_as_a_table_and_citations_as_names(lab_lesson):
    path = "notebooks/04_fatigue_reflexes_and_stretching.ipynb"
    page = lab_lesson(path.split("/")[1])
    # JupyterLab draws only the cells near the viewport: read the outputs from the notebook model
    # (what each output shows: a widget view, else HTML, else plain text or the printed stream)
    outputs = page.evaluate(jp.panel_js(
        "return panel.content.widgets.filter((c) => c.model.type === 'code')"
        ".flatMap((c) => c.model.toJSON().outputs).map((o) => { const d = o.data || {};"
        " if (d['application/vnd.jupyter.widget-view+json']) return '';"
        " const t = o.text || d['text/html'] || d['text/plain'] || '';"
        " return Array.isArray(t) ? t.join('') : t; }).join(' ');"), path)
    assert "did not stop" in outputs and "Peak firing" in outputs
    assert not PLUMBING.findall(outputs)
    page.evaluate(jp.panel_js("await panel.content.scrollToItem(3, 'start');"), path)
    page.wait_for_selector('.jp-MarkdownOutput a[href^="#ref-"]', timeout=60_000)
    markdown = " ".join(page.locator(".jp-MarkdownOutput").all_inner_texts())
    assert not PLUMBING.findall(markdown)
    links = page.evaluate(CITATIONS_JS)
    assert links and all(text and "@" not in text for text, _href, _target in links)
