"""The food mineral explorer, driven from Python: choices, views, reset, the figure and the summary."""
from __future__ import annotations

import time

import pytest

from widgets.foods import explore_foods
from widgets.theme import PALETTE


@pytest.fixture
def explorer():
    return explore_foods()


def bars(explorer):
    bar = explorer.figure.data[0]
    return list(bar.y), list(bar.x)


def test_opens_on_potassium_per_serving_with_the_banana_highlighted(explorer):
    names, mg = bars(explorer)
    assert names[0] == "Baked potato with skin (1 medium, 173 g)"
    assert mg[0] == pytest.approx(535 * 173 / 100)              # FD-09: about 926 mg
    assert mg == sorted(mg, reverse=True)
    colours = list(explorer.figure.data[0].marker.color)
    banana = names.index("Banana (1 medium, 118 g)")
    assert colours[banana] == PALETTE["orange"]
    assert colours.count(PALETTE["blue"]) == len(names) - 1
    assert explorer.figure.layout.title.text == "Potassium in each food, per typical serving"
    assert explorer.figure.layout.xaxis.title.text == "Potassium (mg per typical serving)"


def test_the_summary_names_the_leader_and_the_bananas_rank(explorer):
    assert explorer.summary_text == ("Potassium per typical serving: most in baked potato with skin "
                                     "(926 mg in 173 g); the banana ranks 6th of 10 (422 mg).")
    assert 'role="status"' in explorer.summary.value


def test_choosing_calcium_redraws_the_same_figure_in_place(explorer):
    figure, trace = explorer.figure, explorer.figure.data[0]
    explorer.mineral_picker.value = "calcium"
    assert explorer.figure is figure and explorer.figure.data[0] is trace and len(figure.data) == 1
    names, mg = bars(explorer)
    assert names[0].startswith("Yogurt") and mg[0] == pytest.approx(183 * 227 / 100)  # FD-07: 415
    assert explorer.figure.layout.title.text == "Calcium in each food, per typical serving"
    assert "the banana ranks 10th of 10 (6 mg)" in explorer.summary_text


def test_per_100g_drops_the_serving_from_the_labels(explorer):
    explorer.basis_picker.value = "per_100g"
    names, mg = bars(explorer)
    assert names[:2] == ["Raisins", "Almonds"] and mg[:2] == [749, 733]
    assert explorer.figure.layout.xaxis.title.text == "Potassium (mg per 100 g)"
    assert explorer.summary_text.startswith("Potassium per 100 g: most in raisins (749 mg)")


def test_a_named_view_sets_mineral_basis_and_explains_itself(explorer):
    explorer.picker.value = "magnesium_per_serving"
    assert (explorer.mineral, explorer.basis) == ("magnesium", "serving")
    assert "Boiled spinach, almonds and black beans" in explorer.note.value
    assert bars(explorer)[0][0].startswith("Spinach, boiled")
    explorer.basis_picker.value = "per_100g"               # changing a control leaves the view
    assert explorer.picker.value == "custom" and explorer.note.value == ""


def test_reset_goes_back_to_potassium_per_serving(explorer):
    explorer.select_view("calcium_per_serving")
    explorer.reset_button.click()
    assert (explorer.mineral, explorer.basis, explorer.picker.value) == ("potassium", "serving", "custom")
    assert bars(explorer)[0][0].startswith("Baked potato")


def test_an_unknown_view_shows_the_valid_ones_and_the_explorer_still_works():
    explorer = explore_foods(view="bananas_rule")
    assert "Unknown view 'bananas_rule'. Valid views: banana_myth" in explorer.message.text
    assert explorer.mineral == "potassium" and bars(explorer)[1][0] == pytest.approx(925.55)
    explorer.mineral_picker.value = "magnesium"
    assert explorer.message.text == ""


def test_an_unknown_mineral_gives_a_message_not_a_traceback():
    explorer = explore_foods(mineral="sodium")
    assert "Unknown mineral 'sodium'" in explorer.message.text
    assert explorer.mineral == "potassium"


def test_the_scenario_can_come_from_the_page_address(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "foods=calcium_per_serving")
    assert explore_foods().mineral == "calcium"


def test_approximate_values_are_marked(explorer):
    names, _ = bars(explorer)
    texts = list(explorer.figure.data[0].text)
    assert texts[names.index("Orange juice (1 cup, 248 g)")] == "\u2248496"
    assert texts[names.index("Banana (1 medium, 118 g)")] == "422"


def test_every_choice_has_its_unit():
    explorer = explore_foods()
    assert all("(mg" in label for label, _ in explorer.mineral_picker.options)
    assert all("mg" in label for label, _ in explorer.basis_picker.options)


def test_an_update_takes_well_under_50_ms(explorer):
    start = time.perf_counter()
    for mineral in ["magnesium", "calcium", "potassium"] * 10:
        explorer.mineral_picker.value = mineral
    per_update_ms = (time.perf_counter() - start) / 30 * 1000
    assert per_update_ms < 50
