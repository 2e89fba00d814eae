"""Food mineral explorer: potassium, magnesium or calcium per serving or per 100 g, as bars.

    explore_foods()                       # potassium per typical serving
    explore_foods(view="calcium_per_serving")

Choose the mineral and the basis, or a named view from data/food_views.yaml; the bar chart is
updated in place and a one-line summary says what it shows (where the banana ranks, too).
The numbers come from physiology.foods (USDA FoodData Central values in data/foods.csv).
"""
from __future__ import annotations

import html

import ipywidgets as ipw

from physiology import foods as food_data
from widgets.explorer import Explorer, Preset, Wording
from widgets.theme import PALETTE, new_figure

DEFAULT_MINERAL = "potassium"
DEFAULT_BASIS = "serving"
HIGHLIGHT = food_data.HIGHLIGHT  # the food the popular claim is about
APPROX = "\u2248"  # marks values whose source fact is still to be checked


def food_label(food: food_data.Food, basis: str) -> str:
    """Axis label of a food: its serving size when the basis is a serving."""
    if basis == "serving":
        return f"{food.name} ({food.serving_label}, {food.serving_g:g} g)"
    return food.name


class FoodExplorer(Explorer):
    """Mineral and basis pickers, named views, Reset, summary and one bar chart updated in place.

    On the explorer core: the views of data/food_views.yaml are its presets, `?foods=<view id>`
    its page address (which wins over the notebook's `view`)."""

    def __init__(self, view: str | None = None, mineral: str = DEFAULT_MINERAL,
                 basis: str = DEFAULT_BASIS):
        self.mineral_picker = ipw.ToggleButtons(
            options=[(f"{label} ({food_data.UNIT})", key) for key, label in food_data.MINERALS.items()],
            value=DEFAULT_MINERAL, description="Mineral", style={"button_width": "auto"},
            tooltips=[f"Show {label.lower()} in mg" for label in food_data.MINERALS.values()])
        self.basis_picker = ipw.ToggleButtons(
            options=[("Per typical serving (mg)", "serving"), ("Per 100 g (mg per 100 g)", "per_100g")],
            value=DEFAULT_BASIS, description="Basis", style={"button_width": "auto"},
            tooltips=["Amount in one typical serving (its grams are in the label)",
                      "Amount in 100 g of the food"])
        self.figure = new_figure("", x_title="", y_title="", height=430,
                                 margin=dict(l=250, r=60, t=70, b=60), showlegend=False)
        self.figure.add_bar(orientation="h", x=[], y=[], marker_color=[], text=[],
                            textposition="outside", cliponaxis=False, customdata=[],
                            hovertemplate="%{y}<br>%{customdata}<extra></extra>")
        self.figure.update_yaxes(autorange="reversed", title_text="Food")
        presets = [Preset(v.id, v.label, v.description, {"mineral": v.mineral, "basis": v.basis},
                          tuple(v.refs)) for v in food_data.food_views()]
        super().__init__(
            "foods", {"mineral": self.mineral_picker, "basis": self.basis_picker},
            {"mineral": DEFAULT_MINERAL, "basis": DEFAULT_BASIS}, presets, self._update,
            [self.figure], check=self._check_choice,
            start=view or {"mineral": mineral, "basis": basis},
            wording=Wording(picker="View", custom="Custom choice",
                            reset_tooltip="Back to potassium per typical serving"))

    # --- what a notebook or a test calls ---------------------------------------------------

    @property
    def mineral(self) -> str:
        return self.mineral_picker.value

    @property
    def basis(self) -> str:
        return self.basis_picker.value

    def set_choice(self, mineral: str | None = None, basis: str | None = None) -> bool:
        """Pick a mineral and/or basis (a custom choice)."""
        return self.set_values(mineral=mineral or self.mineral, basis=basis or self.basis)

    def select_view(self, view_id: str) -> None:
        self.select_scenario(view_id)

    # --- internals -------------------------------------------------------------------------

    @staticmethod
    def _check_choice(values: dict) -> dict:
        food_data.check_choice(values["mineral"], values["basis"])
        return values

    def _update(self, values: dict) -> str:
        result = food_data.simulate(**values)
        mineral, basis, ranking = result
        name = food_data.MINERALS[mineral]
        unit = "mg per typical serving" if basis == "serving" else "mg per 100 g"
        bar = self.figure.data[0]
        bar.x = [mg for _, mg in ranking]
        bar.y = [food_label(f, basis) for f, _ in ranking]
        bar.marker.color = [PALETTE["orange"] if f.id == HIGHLIGHT else PALETTE["blue"]
                            for f, _ in ranking]
        bar.text = [f"{APPROX if f.approximate else ''}{mg:.0f}" for f, mg in ranking]
        bar.customdata = [_hover(f, mineral, basis) for f, _ in ranking]
        self.figure.layout.title.text = f"{name} in each food, {food_data.BASES[basis]}"
        self.figure.layout.xaxis.title.text = f"{name} ({unit})"
        self.figure.layout.xaxis.range = [0, max(mg for _, mg in ranking) * 1.15]
        return food_data.summarise(result)


def _hover(food: food_data.Food, mineral: str, basis: str) -> str:
    per_100g = food.mg_per_100g(mineral)
    per_serving = food.mg_per_serving(mineral)
    approx = " (approximate: source still to be checked)" if food.approximate else ""
    return (f"{per_serving:.0f} mg in {food.serving_label} ({food.serving_g:g} g); "
            f"{per_100g:.0f} mg per 100 g{approx}<br>USDA: {html.escape(food.usda_description)}")


def explore_foods(view: str | None = None, mineral: str = DEFAULT_MINERAL,
                  basis: str = DEFAULT_BASIS) -> FoodExplorer:
    """The food mineral explorer; `view` is a named view id from data/food_views.yaml."""
    return FoodExplorer(view=view, mineral=mineral, basis=basis)
