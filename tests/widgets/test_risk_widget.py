"""The risk factor explorer driven from Python: ticks, cases, Clear, and the Sankey data."""
import time

import pytest

from physiology import risk_factors as rf
from widgets import risk
from widgets.risk import explore_risk_factors, medication_figure


@pytest.fixture
def explorer():
    return explore_risk_factors()


def _pairs(sankey):
    labels = sankey.node.label
    return sorted((labels[s], labels[t]) for s, t in zip(sankey.link.source, sankey.link.target))


def test_starts_empty_with_a_prompt(explorer):
    assert explorer.selected == ()
    assert explorer.sankey.node.label == () and explorer.sankey.link.source == ()
    assert explorer.figure.layout.annotations[0].visible is True
    assert explorer.summary_text.startswith("No factor selected")


def test_ticking_a_factor_draws_its_links_in_place(explorer):
    figure, trace = explorer.figure, explorer.sankey
    explorer.checkboxes["statin"].value = True
    assert explorer.figure is figure and explorer.sankey is trace  # updated, not rebuilt
    # statin -> calcium handling -> cramp (data file), one unit each
    assert explorer.sankey.node.label == ("Statin (cholesterol-lowering medicine)",
                                          "Calcium handling in the muscle fibre", "Cramp")
    assert explorer.sankey.link.value == (1, 1)
    assert explorer.figure.layout.annotations[0].visible is False and explorer.sankey.visible is True
    # the 'lacking' link is grey, the weak mechanism -> cramp link orange (Okabe-Ito)
    assert explorer.sankey.link.color == ("rgba(153, 153, 153, 0.5)", "rgba(230, 159, 0, 0.5)")
    assert "1 factor selected" in explorer.summary_text
    assert "no link has been tested directly" in explorer.summary_text


def test_adding_a_factor_adds_its_mechanisms_and_widens_shared_bands(explorer):
    explorer.checkboxes["thiazide_diuretic"].value = True
    assert _pairs(explorer.sankey) == sorted([
        ("Thiazide-type diuretic (\"water tablet\")", "Fluid and electrolyte balance"),
        ("Fluid and electrolyte balance", "Cramp"),
    ])
    explorer.checkboxes["older_age"].value = True
    labels = explorer.sankey.node.label
    fluid = labels.index("Fluid and electrolyte balance")
    cramp = labels.index("Cramp")
    width = dict(((s, t), v) for s, t, v in zip(explorer.sankey.link.source, explorer.sankey.link.target,
                                                 explorer.sankey.link.value))
    assert width[(fluid, cramp)] == 2  # thiazide and older age both route through fluid balance
    assert len(explorer.sankey.link.source) == 7  # 4 factor links + 3 mechanism links
    assert "2 factors selected, linked to 3 mechanisms" in explorer.summary_text


def test_clear_resets_everything(explorer):
    explorer.select_case("marathon_km35")
    assert explorer.sankey.link.source != ()
    explorer.reset_button.click()
    assert explorer.selected == ()
    assert explorer.sankey.node.label == () and explorer.sankey.link.value == ()
    assert explorer.sankey.visible is False and explorer.figure.layout.annotations[0].visible is True
    assert explorer.picker.value == risk.NO_CASE and explorer.note.value == ""
    assert explorer.links_panel.value == "" and explorer.checklist_panel.value == ""
    assert explorer.summary_text.startswith("No factor selected")


@pytest.mark.parametrize("case", [c.id for c in rf.risk_cases().cases])
def test_every_named_case_loads(case):
    explorer = explore_risk_factors(case=case)
    expected = rf.risk_cases().case(case)
    assert set(explorer.selected) == set(expected.factors)
    assert explorer.picker.value == case
    assert "fictional" in explorer.note.value
    assert len(explorer.sankey.node.label) > len(expected.factors)  # factors + mechanisms + cramp
    assert explorer.sankey.node.label[-1] == "Cramp"
    assert explorer.message.text == ""


def test_picking_a_case_from_the_menu_ticks_its_factors(explorer):
    explorer.picker.value = "thiazide_72"
    assert explorer.selected == ("thiazide_diuretic", "older_age")
    # changing a tick afterwards makes it the learner's own selection, not the named case
    explorer.checkboxes["caffeine"].value = True
    assert explorer.picker.value == risk.NO_CASE
    assert explorer.selected == ("thiazide_diuretic", "caffeine", "older_age")


def test_case_from_the_page_address(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "case=pregnancy_third_trimester")
    assert explore_risk_factors().selected == ("pregnancy", "prolonged_sitting_standing")


def test_unknown_case_shows_a_message_and_keeps_working(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "case=astronaut")
    explorer = explore_risk_factors()
    assert "unknown fictional case 'astronaut'" in explorer.message.text
    assert "marathon_km35" in explorer.message.text
    explorer.checkboxes["heat"].value = True  # still usable
    assert "Hot conditions" in explorer.sankey.node.label


def test_side_panels_show_evidence_change_and_checklist(explorer):
    explorer.select(["thiazide_diuretic", "pregnancy"])
    assert "Evidence for each link" in explorer.links_panel.value
    assert "Can change:" in explorer.factors_panel.value and "Cannot change" in explorer.factors_panel.value
    # checklist items from two files: the clinician-review list and the prevention routine
    assert "Ask a pharmacist or doctor whether any of your medicines" in explorer.checklist_panel.value
    assert "Questions to review with a clinician" in explorer.checklist_panel.value
    assert "Prevention routine" in explorer.checklist_panel.value


def test_page_says_it_is_not_a_risk_score(explorer):
    page_text = explorer.widget.children[0].value
    assert "not a personal risk score" in page_text


def test_bad_selection_from_code_is_a_clear_error(explorer):
    with pytest.raises(KeyError, match="Unknown risk factor 'bad_luck'"):
        explorer.select(["bad_luck"])


def test_a_tick_updates_well_within_the_budget(explorer):
    """CPU time of one tick (diagram data, in-place figure update, panels), best of 10 so that
    other processes on a busy machine do not count against it."""
    explorer.select(["heat", "cold", "statin", "older_age"])
    box = explorer.checkboxes["diabetes"]
    costs = []
    for _ in range(10):
        start = time.process_time()
        box.value = not box.value
        costs.append(time.process_time() - start)
    assert min(costs) < 0.05  # seconds


def test_medication_figure_plots_the_ratios_on_a_log_axis():
    panel = medication_figure()
    fig = panel.figure
    assert fig.layout.xaxis.type == "log"
    assert any(shape.x0 == 1 and shape.x1 == 1 for shape in fig.layout.shapes)  # reference line
    points = {y.lstrip("\u21b3 "): (x, hi, lo) for trace in fig.data
              for x, y, hi, lo in zip(trace.x, trace.y, trace.error_x.array, trace.error_x.arrayminus)}
    x, hi, lo = points["Diuretics"]
    assert (x, x + hi, x - lo) == pytest.approx((1.47, 1.63, 1.33))
    grey = next(t for t in fig.data if t.name == "95% CI reaches 1")
    assert list(grey.y) == ["\u21b3 Loop diuretics"]
    text = " ".join(getattr(c, "value", "") for c in panel.widget.children)
    assert "confounding by indication" in text and "A ratio of 1 means" in text


def test_sequence_ratio_table_reads_as_text():
    lines = risk.sequence_ratio_table().splitlines()
    # 1.47 -> +47 %, 2.42 -> +142 % (ratio - 1, as a percentage)
    assert any(line.startswith("Diuretics") and line.split()[1:] == ["1.47", "1.33-1.63", "+47%"]
               for line in lines)
    assert any(line.startswith("Long-acting") and line.split()[-3:] == ["2.42", "2.02-2.89", "+142%"]
               for line in lines)
    assert len(lines) == 1 + len(rf.sequence_ratios().ratios)


def test_page_address_wins_over_the_notebook_default(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "case=thiazide_72")
    explorer = explore_risk_factors(case="marathon_km35")
    assert explorer.picker.value == "thiazide_72"
    assert explorer.selected == ("thiazide_diuretic", "older_age")


def test_displaying_sends_the_current_diagram():
    """A figure inside a box is shown with the state it has now (not as constructed, empty)."""
    explorer = explore_risk_factors(case="thiazide_72")
    explorer._repr_mimebundle_()
    shown = explorer.figure._widget_data[0]
    assert list(shown["node"]["label"])[-1] == "Cramp"
    assert len(shown["link"]["source"]) == 4 + 3
