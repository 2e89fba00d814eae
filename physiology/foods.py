"""Minerals in everyday foods: potassium, magnesium and calcium per 100 g and per serving.

Values are USDA FoodData Central (SR Legacy) amounts per 100 g, from data/foods.csv; a typical
serving states its grams, and per-serving amounts are computed here, never typed in:

    amount per serving (mg) = amount per 100 g (mg) x serving (g) / 100 g

This is food composition, not a cramp model: no trial shows that eating more of these minerals
prevents cramps (see facts FD-10, MC-04, MC-05). A fact marked `verify` makes its food's values
approximate, and the explorer says so.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import Field, ValidationError, field_validator

from physiology import data

Mineral = Literal["potassium", "magnesium", "calcium"]
Basis = Literal["serving", "per_100g"]

MINERALS: dict[str, str] = {"potassium": "Potassium", "magnesium": "Magnesium",
                            "calcium": "Calcium"}
BASES: dict[str, str] = {"serving": "per typical serving", "per_100g": "per 100 g"}
UNIT = "mg"

# Plausibility limits that catch a misplaced decimal point or a value in the wrong unit:
# no whole food has more than 5 g of any of these minerals per 100 g, and a serving in this
# table is between a spoonful and a large bowl.
MAX_MG_PER_100G = 5000.0
SERVING_G_RANGE = (5.0, 500.0)


class Food(data.Strict):
    """One row of data/foods.csv."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=2)
    usda_description: str = Field(min_length=3)
    serving_label: str = Field(min_length=1)
    serving_g: float = Field(ge=SERVING_G_RANGE[0], le=SERVING_G_RANGE[1])
    potassium_mg_per_100g: float = Field(ge=0, le=MAX_MG_PER_100G)
    magnesium_mg_per_100g: float = Field(ge=0, le=MAX_MG_PER_100G)
    calcium_mg_per_100g: float = Field(ge=0, le=MAX_MG_PER_100G)
    refs: list[str] = Field(min_length=1)
    fact: str | None = None
    note: str = ""

    @field_validator("refs", mode="before")
    @classmethod
    def _split_refs(cls, value):
        return [r.strip() for r in value.split(";") if r.strip()] if isinstance(value, str) else value

    @field_validator("fact", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return value or None

    def mg_per_100g(self, mineral: str) -> float:
        return getattr(self, f"{_check_mineral(mineral)}_mg_per_100g")

    def mg_per_serving(self, mineral: str) -> float:
        return self.mg_per_100g(mineral) * self.serving_g / 100.0

    def amount_mg(self, mineral: str, basis: str) -> float:
        if basis == "serving":
            return self.mg_per_serving(mineral)
        if basis == "per_100g":
            return self.mg_per_100g(mineral)
        raise ValueError(f"Unknown basis '{basis}'. Choose one of: {', '.join(BASES)}")

    @property
    def approximate(self) -> bool:
        """True when the science-base fact behind these values still needs checking."""
        return bool(self.fact) and data.fact(self.fact).verify


class FoodView(data.Strict):
    """A named view of the food explorer (data/food_views.yaml)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    mineral: Mineral
    basis: Basis
    description: str
    refs: list[str] = Field(min_length=1)


def _check_mineral(mineral: str) -> str:
    if mineral not in MINERALS:
        raise ValueError(f"Unknown mineral '{mineral}'. Choose one of: {', '.join(MINERALS)}")
    return mineral


def load_foods_file(path: Path) -> list[Food]:
    """Parse and validate a foods CSV; errors name the file, the row and the field."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise data.DataFileError(f"{path.name}: cannot be read: {exc.strerror}") from None
    foods = [_validated_row(row, n, path) for n, row in enumerate(rows, start=2)]
    _check_cross_references(foods, path)
    return foods


def _validated_row(row: dict, line: int, path: Path) -> Food:
    try:
        return Food.model_validate(row)
    except ValidationError as exc:
        problems = "; ".join(f"field '{'.'.join(map(str, e['loc']))}': {e['msg']}" for e in exc.errors())
        raise data.DataFileError(f"data/{path.name}: line {line} (id: {row.get('id')}): {problems}") from None


def _check_cross_references(foods: list[Food], path: Path) -> None:
    refs, facts = data.references(), data.facts()
    ids = [f.id for f in foods]
    for food in foods:
        if ids.count(food.id) > 1:
            raise data.DataFileError(f"data/{path.name}: duplicate food id '{food.id}'")
        unknown = [r for r in food.refs if r not in refs]
        if unknown:
            raise data.DataFileError(f"data/{path.name}: food '{food.id}' cites unknown "
                                     f"reference(s) {', '.join(unknown)}")
        if food.fact and food.fact not in facts:
            raise data.DataFileError(f"data/{path.name}: food '{food.id}' names unknown fact {food.fact}")


@lru_cache(maxsize=None)
def foods() -> tuple[Food, ...]:
    """Every food in data/foods.csv, in file order."""
    return tuple(load_foods_file(data.DATA_DIR / "foods.csv"))


def food(food_id: str) -> Food:
    for f in foods():
        if f.id == food_id:
            return f
    raise KeyError(f"Unknown food '{food_id}'. Foods: {', '.join(f.id for f in foods())}")


def food_views() -> list[FoodView]:
    views = data.load("food_views.yaml", list[FoodView])
    refs = data.references()
    for view in views:
        unknown = [r for r in view.refs if r not in refs]
        if unknown:
            raise data.DataFileError(f"data/food_views.yaml: view '{view.id}' cites unknown "
                                     f"reference(s) {', '.join(unknown)}")
    return views


def food_view(view_id: str) -> FoodView:
    return data.by_id(food_views(), view_id, "view")


def ranked(mineral: str, basis: str) -> list[tuple[Food, float]]:
    """(food, mg) pairs, largest amount first."""
    pairs = [(f, f.amount_mg(mineral, basis)) for f in foods()]
    return sorted(pairs, key=lambda pair: pair[1], reverse=True)


def rank_of(food_id: str, mineral: str, basis: str) -> int:
    """1 for the richest food on this basis."""
    order = [f.id for f, _ in ranked(mineral, basis)]
    if food_id not in order:
        raise KeyError(f"Unknown food '{food_id}'")
    return order.index(food_id) + 1


# --- the food explorer's model: simulate(**controls) and summarise(result) ----------------------

HIGHLIGHT = "banana"  # the food the popular claim is about


class FoodRanking(NamedTuple):
    mineral: str
    basis: str
    ranking: list[tuple[Food, float]]     # (food, mg), largest first


def check_choice(mineral: str, basis: str) -> None:
    """A ValueError naming the valid choices for an unknown mineral or basis."""
    _check_mineral(mineral)
    if basis not in BASES:
        raise ValueError(f"Unknown basis '{basis}'. Choose one of: {', '.join(BASES)}")


def simulate(mineral: str = "potassium", basis: str = "serving") -> FoodRanking:
    """Every food ranked by the mineral on the basis (the two controls of the food explorer)."""
    check_choice(mineral, basis)
    return FoodRanking(mineral, basis, ranked(mineral, basis))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _mg(value: float, approximate: bool) -> str:
    return f"{'about ' if approximate else ''}{value:.0f} mg"


def summarise(result: FoodRanking) -> str:
    """One line for the back row and for screen readers: the leader and where the banana is."""
    mineral, basis, ranking = result
    top, top_mg = ranking[0]
    where = f" in {top.serving_g:g} g" if basis == "serving" else ""
    text = (f"{MINERALS[mineral]} {BASES[basis]}: most in "
            f"{top.name.lower()} ({_mg(top_mg, top.approximate)}{where})")
    banana = food(HIGHLIGHT)
    rank = rank_of(HIGHLIGHT, mineral, basis)
    if rank != 1:
        text += (f"; the banana ranks {_ordinal(rank)} of {len(ranking)} "
                 f"({_mg(banana.amount_mg(mineral, basis), banana.approximate)})")
    return text + "."


data.register("foods.csv", load_foods_file)
data.register("food_views.yaml", list[FoodView])
