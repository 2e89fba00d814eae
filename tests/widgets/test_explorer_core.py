"""The explorer core (widgets/explorer.py), tested once for every explorer built on it.

Every explorer: the page address wins over the notebook's choice, a preset sets every control
and the note, a hand-moved control turns the picker back to custom, Reset restores the defaults,
set_values checks everything first (a bad value changes nothing and says why), and each figure
is labelled with its title and described by the summary line.
"""
from __future__ import annotations

import re

import pytest

from widgets.aging import explore_aging
from widgets.calcium import explore_calcium
from widgets.electrolytes import explore_membrane, explore_nernst, lab_report
from widgets.explorer import CUSTOM, Explorer
from widgets.figures import FigureLabel
from widgets.foods import explore_foods
from widgets.reflex import explore_reflex
from widgets.risk import explore_risk_factors

# (page-address key, builder taking the notebook's preset, a bad value for set_values)
EXPLORERS = {
    "calcium": (lambda p=None: explore_calcium(scenario=p), {"atp_pct": 150}),
    "nernst": (lambda p=None: explore_nernst(scenario=p), {"k_out_mm": -1}),
    "membrane": (lambda p=None: explore_membrane(scenario=p), {"ca_mm": True}),
    "reflex": (lambda p=None: explore_reflex(scenario=p), {"fatigue_pct": "tired"}),
    "aging": (lambda p=None: explore_aging(scenario=p), {"age": 120}),
    "foods": (lambda p=None: explore_foods(view=p), {"mineral": "sodium"}),
    "case": (lambda p=None: explore_risk_factors(case=p), {"heat": 1}),
    "lab": (lambda p=None: lab_report(example=p), {"sodium_unit": "furlongs"}),
}


@pytest.fixture(autouse=True)
def no_address(monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)


def _two_presets(explorer: Explorer) -> tuple[str, str]:
    ids = [p.id for p in explorer.presets]
    assert len(ids) >= 2, "every explorer offers at least two presets"
    return ids[0], ids[1]


@pytest.mark.parametrize("good_address", [True, False], ids=["known", "unknown"])
@pytest.mark.parametrize("name", EXPLORERS)
def test_the_page_address_wins_over_the_notebooks_preset(name, good_address, monkeypatch):
    """A known preset in the address wins; an unknown one says so and the notebook's is used."""
    build, _bad = EXPLORERS[name]
    first, second = _two_presets(build())
    monkeypatch.setenv("QUERY_STRING", f"{name}={second if good_address else 'no_such_preset'}")
    explorer = build(first)
    shown = second if good_address else first
    assert explorer.scenario == shown
    assert explorer.values == {**explorer.defaults, **explorer.preset(shown).values}
    if good_address:
        assert explorer.message.text == ""
    else:
        assert explorer.message.text.startswith("The page address asks for an unknown")
        assert first in explorer.message.text          # the valid ids are listed


@pytest.mark.parametrize("name", EXPLORERS)
def test_preset_then_hand_change_then_reset(name):
    build, _bad = EXPLORERS[name]
    explorer = build()
    first, second = _two_presets(explorer)
    explorer.picker.value = second                      # as a learner picks it
    assert explorer.values == {**explorer.defaults, **explorer.preset(second).values}
    assert explorer.preset(second).label in explorer.note.value
    summary = explorer.summary_text
    control, value = next((n, v) for n, v in explorer.preset(second).values.items()
                          if v != explorer.defaults[n])
    explorer.controls[control].value = explorer.defaults[control]   # a hand move
    assert explorer.scenario == CUSTOM and explorer.note.value == ""
    assert explorer.summary_text != summary or value == explorer.defaults[control]
    explorer.reset_button.click()
    assert explorer.values == explorer.defaults and explorer.scenario == CUSTOM


@pytest.mark.parametrize("name", EXPLORERS)
def test_set_values_checks_everything_first_and_changes_nothing_when_one_is_bad(name):
    build, bad = EXPLORERS[name]
    explorer = build()
    before, summary = explorer.values, explorer.summary_text
    assert explorer.set_values(**bad) is False
    assert explorer.message.text.endswith("Nothing was changed.")
    assert explorer.values == before and explorer.summary_text == summary
    assert explorer.set_values(no_such_control=1) is False
    assert "There is no control 'no_such_control'" in explorer.message.text


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_figure_is_named_by_its_title_and_described_by_the_summary(name):
    build, _bad = EXPLORERS[name]
    explorer = build()
    labels = [lf.label for lf in explorer.panel.labelled]
    assert labels, "the explorer shows at least one figure"
    summary_id = re.search(r'id="([^"]+)"', explorer.summary.value).group(1)
    for lf in explorer.panel.labelled:
        assert isinstance(lf.label, FigureLabel) and lf.label in lf.box.children
        assert "kcl-figure" in lf.box._dom_classes
        assert lf.label.label and "<" not in lf.label.label
        assert lf.label.described_by == summary_id


def test_the_figure_label_follows_the_title():
    foods = explore_foods()
    foods.set_values(mineral="magnesium")
    assert foods.panel.labelled[0].label.label == "Magnesium in each food, per typical serving"


def test_a_quiet_change_neither_redraws_nor_leaves_the_preset():
    explorer = explore_nernst(scenario=None)
    first, _second = _two_presets(explorer)
    explorer.select_scenario(first)
    summary = explorer.summary_text
    with explorer.quietly():
        explorer.controls["k_out_mm"].value = 9.0
    assert explorer.scenario == first and explorer.summary_text == summary
    explorer.refresh()
    assert explorer.summary_text != summary


def test_the_food_link_in_notebook_07_opens_magnesium(monkeypatch):
    """Notebook 07 asks for the banana view; an educator's ?foods= link must still win."""
    monkeypatch.setenv("QUERY_STRING", "foods=magnesium_per_serving")
    explorer = explore_foods(view="banana_myth")
    assert explorer.mineral == "magnesium" and explorer.scenario == "magnesium_per_serving"
    assert explorer.figure.layout.title.text.startswith("Magnesium")


@pytest.mark.parametrize("good_address", [True, False], ids=["known", "unknown"])
def test_a_preheated_kernel_opens_at_once_and_follows_the_address_when_asked(good_address,
                                                                            monkeypatch):
    """Classroom mode: the notebook runs before any learner asks for the page. The explorer opens
    on the notebook's choice without waiting (so every cell can run ahead), then follows the
    page address once the request comes (voila.utils.wait_for_request, here a stand-in)."""
    import threading

    import voila.utils

    from widgets import explorer as core

    asked = threading.Event()
    query = f"calcium={'contracture' if good_address else 'no_such_preset'}"

    def request_comes():
        asked.wait(10)
        monkeypatch.setenv("QUERY_STRING", query)

    monkeypatch.setattr(voila.utils, "wait_for_request", request_comes)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    explorer = explore_calcium(scenario="rested")
    assert explorer.scenario == "rested"                  # opened now, on the notebook's choice
    assert core.waiting_for_page()
    asked.set()                                           # a learner opens the page
    waiter = next(t for t in threading.enumerate() if t.name == "kcl-page-address")
    waiter.join(10)
    assert not core.waiting_for_page()
    if good_address:
        assert explorer.scenario == "contracture" and explorer.message.text == ""
    else:
        assert explorer.scenario == "rested"
        assert "no_such_preset" in explorer.message.text and "contracture" in explorer.message.text
    late = explore_calcium(scenario="rested")             # an explorer built after the request
    assert late.scenario == ("contracture" if good_address else "rested")


def test_a_preheated_kernel_that_never_gets_its_request_keeps_the_notebooks_choice(monkeypatch,
                                                                                   caplog):
    """If Voila's request never reaches the kernel, nothing breaks and no traceback escapes
    the waiting thread (it would land on the page): the explorer keeps the notebook's choice."""
    import threading

    import voila.utils

    from widgets import explorer as core

    def no_request():
        raise ConnectionError("the query socket closed")

    monkeypatch.setattr(voila.utils, "wait_for_request", no_request)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    explorer = explore_calcium(scenario="rested")
    waiter = next((t for t in threading.enumerate() if t.name == "kcl-page-address"), None)
    if waiter:
        waiter.join(10)
    assert not core.waiting_for_page()
    assert explorer.scenario == "rested" and explorer.message.text == ""
    assert "no page request reached" in caplog.text
