"""Every explorer's model has one contract: simulate(**controls) -> result, summarise(result)
-> the sentence the explorer shows; control values are checked by physiology.controls, with
one message format in the learner's words (a yes/no is refused as a number)."""
from __future__ import annotations

import pytest

from physiology import aging, calcium, data, electrolytes, foods, membrane, risk_factors
from physiology.controls import Limit, check_controls, check_value

# model module -> its scenario file (data/scenarios/<file>.yaml: the explorer's controls)
NUMERIC_MODELS = {calcium: "calcium", electrolytes: "nernst", membrane: "membrane", aging: "aging"}


@pytest.mark.parametrize("model", NUMERIC_MODELS, ids=lambda m: m.__name__)
def test_simulate_takes_the_scenario_files_controls_and_summarise_says_it(model):
    spec = data.scenarios(NUMERIC_MODELS[model])
    for scenario in spec.scenarios[:3]:
        values = {**{c.name: c.default for c in spec.controls}, **scenario.values}
        sentence = model.summarise(model.simulate(**values))
        assert isinstance(sentence, str) and sentence.endswith(".") and len(sentence) > 20


@pytest.mark.parametrize("model", NUMERIC_MODELS, ids=lambda m: m.__name__)
def test_a_yes_no_is_refused_in_the_learners_words(model):
    control = data.scenarios(NUMERIC_MODELS[model]).controls[0]
    with pytest.raises(ValueError) as refused:
        model.simulate(**{control.name: True})
    message = str(refused.value)
    label = message.split(" must be a number between ")[0]
    assert label and label[0].isupper() and control.label.startswith(label)   # the learner's label
    assert "a yes/no" in message and control.name not in message             # not the Python name


def test_the_food_and_risk_models_follow_the_same_contract():
    ranking = foods.simulate(mineral="magnesium", basis="serving")
    assert foods.summarise(ranking).startswith("Magnesium per typical serving: most in ")
    picture = risk_factors.simulate(heat=True, caffeine=False)
    assert picture.selected == ("heat",) and risk_factors.summarise(picture).endswith("Not a risk score.")
    with pytest.raises(ValueError, match="Unknown mineral 'sodium'"):
        foods.simulate(mineral="sodium")


def test_one_message_format():
    limit = Limit("atp_pct", "ATP availability", "% of normal", 0, 100)
    with pytest.raises(ValueError, match=r"^ATP availability must be between 0 and 100 % of normal "
                                         r"\(got 120 % of normal\)$"):
        check_value(limit, 120)
    with pytest.raises(ValueError, match=r"^ATP availability must be a number between 0 and 100 "
                                         r"% of normal \(got 'lots'\)$"):
        check_value(limit, "lots")
    with pytest.raises(ValueError, match="got nan"):
        check_value(limit, float("nan"))
    with pytest.raises(KeyError, match=r"There is no control 'atp'; the controls are atp_pct"):
        check_controls({"atp": 1}, [limit])
    assert check_controls({"atp_pct": "50"}, [limit]) == {"atp_pct": 50.0}
