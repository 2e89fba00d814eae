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
from widgets.explorer import query_parameters
from widgets.safety import Message, guarded
from widgets.theme import PALETTE, new_figure, sync_for_display

CUSTOM = "custom"
DEFAULT_MINERAL = "potassium"
DEFAULT_BASIS = "serving"
HIGHLIGHT = "banana"  # the food the popular claim is about
APPROX = "\u2248"  # marks values whose source fact is still to be checked


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _mg(value: float, approximate: bool) -> str:
    return f"{'about ' if approximate else ''}{value:.0f} mg"


def food_label(food: food_data.Food, basis: str) -> str:
    """Axis label of a food: its serving size when the basis is a serving."""
    if basis == "serving":
        return f"{food.name} ({food.serving_label}, {food.serving_g:g} g)"
    return food.name


def summary_text(mineral: str, basis: str) -> str:
    """One line for the back row and for screen readers: the leader and where the banana is."""
    ranking = food_data.ranked(mineral, basis)
    top, top_mg = ranking[0]
    basis_text = food_data.BASES[basis]
    where = f" in {top.serving_g:g} g" if basis == "serving" else ""
    text = (f"{food_data.MINERALS[mineral]} {basis_text}: most in "
            f"{top.name.lower()} ({_mg(top_mg, top.approximate)}{where})")
    banana = food_data.food(HIGHLIGHT)
    rank = food_data.rank_of(HIGHLIGHT, mineral, basis)
    if rank != 1:
        text += (f"; the banana ranks {_ordinal(rank)} of {len(ranking)} "
                 f"({_mg(banana.amount_mg(mineral, basis), banana.approximate)})")
    return text + "."


class FoodExplorer:
    """Mineral and basis pickers, named views, Reset, summary and one bar chart updated in place."""

    def __init__(self, view: str | None = None, mineral: str = DEFAULT_MINERAL,
                 basis: str = DEFAULT_BASIS):
        self.views = food_data.food_views()
        self.message = Message()
        self._applying = False
        self.view_picker = ipw.Dropdown(
            options=[("Custom choice", CUSTOM)] + [(v.label, v.id) for v in self.views],
            value=CUSTOM, description="View", style={"description_width": "initial"},
            layout=ipw.Layout(width="auto"))
        self.mineral_picker = ipw.ToggleButtons(
            options=[(f"{label} ({food_data.UNIT})", key) for key, label in food_data.MINERALS.items()],
            value=DEFAULT_MINERAL, description="Mineral", style={"button_width": "auto"},
            tooltips=[f"Show {label.lower()} in mg" for label in food_data.MINERALS.values()])
        self.basis_picker = ipw.ToggleButtons(
            options=[("Per typical serving (mg)", "serving"), ("Per 100 g (mg per 100 g)", "per_100g")],
            value=DEFAULT_BASIS, description="Basis", style={"button_width": "auto"},
            tooltips=["Amount in one typical serving (its grams are in the label)",
                      "Amount in 100 g of the food"])
        self.reset_button = ipw.Button(description="Reset", icon="undo",
                                       tooltip="Back to potassium per typical serving")
        self.view_note = ipw.HTML()
        self.summary = ipw.HTML()
        self.summary_text = ""
        self.figure = new_figure("", x_title="", y_title="", height=430,
                                 margin=dict(l=250, r=60, t=70, b=60), showlegend=False)
        self.figure.add_bar(orientation="h", x=[], y=[], marker_color=[], text=[],
                            textposition="outside", cliponaxis=False, customdata=[],
                            hovertemplate="%{y}<br>%{customdata}<extra></extra>")
        self.figure.update_yaxes(autorange="reversed", title_text="Food")

        self.refresh = guarded(self.message)(self._refresh)
        self.mineral_picker.observe(self._on_choice, "value")
        self.basis_picker.observe(self._on_choice, "value")
        self.view_picker.observe(self._on_view, "value")
        self.reset_button.on_click(lambda _b: self.reset())
        self.widget = ipw.VBox([
            ipw.HBox([self.view_picker, self.reset_button],
                     layout=ipw.Layout(gap="1em", align_items="center")),
            self.view_note, self.mineral_picker, self.basis_picker, self.message, self.summary,
            self.figure,
        ], layout=ipw.Layout(max_width="980px"))
        self.widget.add_class("kcl-explorer")
        self._start(view, mineral, basis)

    # --- what a notebook or a test calls ---------------------------------------------------

    @property
    def mineral(self) -> str:
        return self.mineral_picker.value

    @property
    def basis(self) -> str:
        return self.basis_picker.value

    def set_choice(self, mineral: str | None = None, basis: str | None = None) -> None:
        """Pick a mineral and/or basis (a custom choice)."""
        self._set_pickers(mineral or self.mineral, basis or self.basis)
        self._set_view_picker(CUSTOM)
        self.view_note.value = ""
        self.refresh()

    def select_view(self, view_id: str) -> None:
        view = food_data.food_view(view_id)  # KeyError lists the valid views
        self._set_pickers(view.mineral, view.basis)
        self._set_view_picker(view.id)
        refs = ", ".join(view.refs)
        self.view_note.value = (f'<p class="kcl-scenario-note"><strong>{html.escape(view.label)}:</strong> '
                                f"{html.escape(view.description)} <small>[{html.escape(refs)}]</small></p>")
        self.refresh()

    def reset(self) -> None:
        self.message.clear()
        self.set_choice(DEFAULT_MINERAL, DEFAULT_BASIS)

    def _repr_mimebundle_(self, **kwargs):
        # The figure sits in a box: send its current state, or Voila shows it empty.
        sync_for_display(self.figure)
        return self.widget._repr_mimebundle_(**kwargs)

    # --- internals -------------------------------------------------------------------------

    def _start(self, view: str | None, mineral: str, basis: str) -> None:
        requested = view or query_parameters().get("foods")
        try:
            if requested:
                self.select_view(requested)
            else:
                self.set_choice(mineral, basis)
        except (KeyError, ValueError) as exc:
            self.set_choice(DEFAULT_MINERAL, DEFAULT_BASIS)
            self.message.show(str(exc.args[0]))

    def _set_pickers(self, mineral: str, basis: str) -> None:
        if mineral not in food_data.MINERALS:
            raise ValueError(f"Unknown mineral '{mineral}'. Choose one of: {', '.join(food_data.MINERALS)}")
        if basis not in food_data.BASES:
            raise ValueError(f"Unknown basis '{basis}'. Choose one of: {', '.join(food_data.BASES)}")
        self._applying = True
        try:
            self.mineral_picker.value = mineral
            self.basis_picker.value = basis
        finally:
            self._applying = False

    def _set_view_picker(self, value: str) -> None:
        self._applying = True
        try:
            self.view_picker.value = value
        finally:
            self._applying = False

    def _on_choice(self, _change) -> None:
        if self._applying:
            return
        self._set_view_picker(CUSTOM)
        self.view_note.value = ""
        self.refresh()

    def _on_view(self, change) -> None:
        if self._applying:
            return
        if change["new"] == CUSTOM:
            self.view_note.value = ""
            return
        guarded(self.message)(self.select_view)(change["new"])

    def _refresh(self) -> None:
        mineral, basis = self.mineral, self.basis
        ranking = food_data.ranked(mineral, basis)
        name = food_data.MINERALS[mineral]
        unit = "mg per typical serving" if basis == "serving" else "mg per 100 g"
        with self.figure.batch_update():
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
        self.summary_text = summary_text(mineral, basis)
        self.summary.value = (
            '<p class="kcl-summary" role="status" aria-live="polite" '
            'style="font-size:1.1em; margin:0.4em 0;"><strong>Now: </strong>'
            f"{html.escape(self.summary_text)}</p>")
        self.message.clear()


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
