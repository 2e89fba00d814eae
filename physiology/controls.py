"""One check for the values given to a model's controls, with one message format.

Every model explorer and every model's settings check their inputs here, so a learner reads
the same sentence whichever slider, notebook cell or model refused a value:

    check_controls({"atp_pct": 120}, limits)
    ValueError: ATP availability must be between 0 and 100 % of normal (got 120 % of normal)

- A yes/no (True/False) is refused as a number: float(True) is 1.0, but True is not a setting.
- Messages use the learner's label and unit ("ATP availability", "% of normal"), never the
  Python name ("atp_pct").
- A limit is anything with `name`, `label`, `unit`, `min` and `max`: a scenario file's
  `physiology.data.Control`, or a `Limit` declared by a model.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping, Protocol


class HasLimits(Protocol):
    name: str
    label: str
    unit: str
    min: float
    max: float


@dataclass(frozen=True)
class Limit:
    """A control's range in its unit, with the label a learner sees."""

    name: str
    label: str
    unit: str
    min: float
    max: float


def check_value(limit: HasLimits, value) -> float:
    """One value checked against one limit (inclusive); returns it as a float."""
    span = f"between {limit.min:g} and {limit.max:g} {limit.unit}"
    if isinstance(value, bool):
        raise ValueError(f"{limit.label} must be a number {span} (got {value!r}, a yes/no)")
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(f"{limit.label} must be a number {span} (got {value!r})")
    if not limit.min <= number <= limit.max:
        raise ValueError(f"{limit.label} must be {span} (got {number:g} {limit.unit})")
    return number


def check_controls(values: Mapping[str, object], limits: Iterable[HasLimits]) -> dict[str, float]:
    """Every value checked (an unknown name is a KeyError listing the controls); returns floats.

    All values are checked before anything is returned, so a caller that applies the result
    changes nothing when one value is bad.
    """
    by_name = {limit.name: limit for limit in limits}
    unknown = [name for name in values if name not in by_name]
    if unknown:
        labels = ", ".join(f"{n} ({by_name[n].label})" for n in by_name)
        raise KeyError(f"There is no control '{unknown[0]}'; the controls are {labels}")
    return {name: check_value(by_name[name], value) for name, value in values.items()}
