"""The one way into data/: every file is read here and validated by a pydantic schema.

A bad file fails at load time with a DataFileError naming the file, the entry and the field,
never later deep inside a widget. Schemas for a topic's own files (lab ranges, model parameters,
risk factors...) live with that topic's module and are passed to `load()`; the schemas shared by
every notebook (references, facts, scenarios, quizzes, checklists) are defined here.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

EvidenceLevel = Literal["strong", "moderate", "weak", "expert-opinion"]
EVIDENCE_LEVELS: tuple[str, ...] = ("strong", "moderate", "weak", "expert-opinion")

T = TypeVar("T")


class DataFileError(ValueError):
    """A data file that does not match its schema: says which file, entry and field."""


class Strict(BaseModel):
    """Base for every schema: unknown fields are an error, so a typo cannot pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- shared schemas ------------------------------------------------------------------------

class Reference(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    citation: str = Field(min_length=20)
    evidence_level: EvidenceLevel
    verify: bool = False


class Fact(Strict):
    id: str = Field(pattern=r"^[A-Z]{2,3}-\d{2}[a-z]?$")
    topic: str
    claim: str
    value: str | None = None
    refs: list[str] = Field(min_length=1)
    evidence_level: EvidenceLevel
    verify: bool = False
    notes: str = ""


class Quantity(Strict):
    """A number with its unit; `refs` says where it comes from."""

    value: float
    unit: str = Field(min_length=1)
    refs: list[str] = Field(default_factory=list)
    note: str = ""


class ParameterFile(Strict):
    """A model's parameter file: named groups of quantities (data/motor_pool.yaml).

    A model declares the groups, names and units it reads in `expected_units`
    ({group: {name: unit}}); a subclass sets it, and loading fails on a missing parameter or
    a parameter in another unit (the model reads the numbers as they are).
    """

    title: str
    parameters: dict[str, dict[str, Quantity]]

    expected_units: ClassVar[dict[str, dict[str, str]]] = {}

    @model_validator(mode="after")
    def _expected_parameters(self) -> "ParameterFile":
        for group, units in self.expected_units.items():
            for name, unit in units.items():
                q = self.parameters.get(group, {}).get(name)
                if q is None:
                    raise ValueError(f"parameter {group}.{name} ({unit}) is missing")
                if q.unit != unit:
                    raise ValueError(f"{group}.{name} must be in {unit} (got {q.unit})")
        return self

    def value(self, group: str, name: str) -> float:
        return self.parameters[group][name].value

    def cited_refs(self) -> list[str]:
        """Every reference id the file cites, in order of first use."""
        ids: list[str] = []
        for group in self.parameters.values():
            for q in group.values():
                ids += [r for r in q.refs if r not in ids]
        return ids


class Control(Strict):
    """One slider of a model explorer: its range, default and unit."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    unit: str = Field(min_length=1)
    min: float
    max: float
    step: float = Field(gt=0)
    default: float
    help: str = ""

    @model_validator(mode="after")
    def _default_in_range(self) -> "Control":
        if not self.min <= self.default <= self.max:
            raise ValueError(f"default {self.default} is outside [{self.min}, {self.max}]")
        return self


class Scenario(Strict):
    """A named preset: values for some of the explorer's controls."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    description: str
    values: dict[str, float] = Field(default_factory=dict)
    refs: list[str] = Field(default_factory=list)


class ScenarioFile(Strict):
    """data/scenarios/<explorer>.yaml: the explorer's controls and its named scenarios."""

    title: str
    controls: list[Control] = Field(min_length=1)
    scenarios: list[Scenario] = Field(min_length=1)

    @model_validator(mode="after")
    def _scenarios_use_known_controls(self) -> "ScenarioFile":
        controls = {c.name: c for c in self.controls}
        for scenario in self.scenarios:
            for name, value in scenario.values.items():
                if name not in controls:
                    raise ValueError(f"scenario '{scenario.id}' sets unknown control '{name}'")
                c = controls[name]
                if not c.min <= value <= c.max:
                    raise ValueError(
                        f"scenario '{scenario.id}' sets {name}={value} outside [{c.min}, {c.max}] {c.unit}"
                    )
        _no_duplicates([c.name for c in self.controls], "control")
        _no_duplicates([s.id for s in self.scenarios], "scenario")
        return self

    def scenario(self, scenario_id: str) -> Scenario:
        return by_id(self.scenarios, scenario_id, "scenario")


class QuizOption(Strict):
    text: str
    correct: bool = False
    feedback: str = Field(min_length=5)


class QuizQuestion(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: Literal["single", "multiple", "numeric"]
    prompt: str
    options: list[QuizOption] = Field(default_factory=list)
    # numeric questions
    answer: float | None = None
    tolerance: float | None = Field(default=None, ge=0)
    unit: str | None = None
    feedback_correct: str = ""
    feedback_incorrect: str = ""
    refs: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> "QuizQuestion":
        if self.kind == "numeric":
            if self.answer is None or self.tolerance is None or not self.unit:
                raise ValueError("a numeric question needs answer, tolerance and unit")
            if not (self.feedback_correct and self.feedback_incorrect):
                raise ValueError("a numeric question needs feedback_correct and feedback_incorrect")
        else:
            if len(self.options) < 2:
                raise ValueError("a choice question needs at least two options")
            n_correct = sum(o.correct for o in self.options)
            if n_correct == 0 or (self.kind == "single" and n_correct != 1):
                raise ValueError(f"a {self.kind} question has {n_correct} correct options")
        return self


class QuizFile(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    questions: list[QuizQuestion] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "QuizFile":
        _no_duplicates([q.id for q in self.questions], "question")
        return self


class ChecklistItem(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    why: str = ""
    refs: list[str] = Field(default_factory=list)
    evidence_level: EvidenceLevel | None = None
    red_flag: Literal["none", "see_doctor", "urgent"] = "none"


class ChecklistGroup(Strict):
    title: str
    items: list[ChecklistItem] = Field(min_length=1)


class ChecklistFile(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    intro: str = ""
    groups: list[ChecklistGroup] = Field(min_length=1)
    # wording shown when a red-flag item is ticked, keyed by red_flag level
    messages: dict[Literal["see_doctor", "urgent"], str] = Field(default_factory=dict)
    refs: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_and_messages(self) -> "ChecklistFile":
        items = [i for g in self.groups for i in g.items]
        _no_duplicates([i.id for i in items], "item")
        for level in {i.red_flag for i in items} - {"none"}:
            if level not in self.messages:
                raise ValueError(f"red-flag level '{level}' is used but has no message")
        return self

    @property
    def items(self) -> list[ChecklistItem]:
        return [i for g in self.groups for i in g.items]


def by_id(items, wanted: str, what: str, plural: str | None = None):
    """The item whose `.id` is `wanted`; else a KeyError naming the valid ids, in a learner's words:
    "Unknown scenario 'x'. Valid scenarios: rested, fatigued"."""
    for item in items:
        if item.id == wanted:
            return item
    valid = ", ".join(item.id for item in items)
    raise KeyError(f"Unknown {what} '{wanted}'. Valid {plural or what + 's'}: {valid}")


def _no_duplicates(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate {what} id '{i}'")
        seen.add(i)


# --- loading -------------------------------------------------------------------------------

def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataFileError(f"{_rel(path)}: not valid YAML: {exc}") from None
    except OSError as exc:
        raise DataFileError(f"{_rel(path)}: cannot be read: {exc.strerror}") from None


def validate(raw: Any, schema: Any, path: Path) -> Any:
    """Validate parsed data against a schema; errors name the file, the entry and the field."""
    try:
        return TypeAdapter(schema).validate_python(raw)
    except ValidationError as exc:
        problems = [_describe(err, raw) for err in exc.errors()]
        raise DataFileError(f"{_rel(path)}: " + "; ".join(problems)) from None


def load(relpath: str | Path, schema: Any, data_dir: Path | None = None) -> Any:
    """Read data/<relpath> and validate it; cached, so widgets can call it freely."""
    return _load_cached(str(relpath), schema, str(data_dir or DATA_DIR))


@lru_cache(maxsize=None)
def _load_cached(relpath: str, schema: Any, data_dir: str) -> Any:
    path = Path(data_dir) / relpath
    return validate(read_yaml(path), schema, path)


def _describe(err: dict, raw: Any) -> str:
    """'entry 3 (id: CA-02), field refs: Input should be a valid list'."""
    loc = list(err["loc"])
    entry = ""
    node = raw
    parts: list[str] = []
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            node = node[key]
            label = f"entry {key + 1}"
            if isinstance(node, dict) and "id" in node:
                label += f" (id: {node['id']})"
            parts.append(label)
        elif isinstance(node, dict) and key in node:
            node = node[key]
            parts.append(f"field '{key}'")
        else:
            parts.append(f"field '{key}'")
    entry = ", ".join(parts) if parts else "top level"
    return f"{entry}: {err['msg']}"


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


# --- the shared files ----------------------------------------------------------------------

def references() -> dict[str, Reference]:
    refs = load("references.yaml", list[Reference])
    ids = [r.id for r in refs]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise DataFileError(f"data/references.yaml: duplicate id(s) {', '.join(dup)}")
    return {r.id: r for r in refs}


def facts() -> dict[str, Fact]:
    return {f.id: f for f in load("facts.yaml", list[Fact])}


def fact(fact_id: str) -> Fact:
    return facts()[fact_id]


FACT_ID = r"[A-Z]{2,3}-\d{2}[a-z]?"   # a fact of data/facts.yaml: EL-12, CA-04b


def cite_facts(text: str) -> str:
    """Replace fact ids in brackets, '[EL-12]', by their reference ids, '[hille2001; allen2008]'
    (widgets.citations then renders every bracket of reference ids as linked short citations)."""
    import re

    return re.sub(rf"\[({FACT_ID})\]", lambda m: "[" + "; ".join(fact(m.group(1)).refs) + "]", text)


def scenarios(explorer: str) -> ScenarioFile:
    return load(f"scenarios/{explorer}.yaml", ScenarioFile)


def quiz(quiz_id: str) -> QuizFile:
    return load(f"quizzes/{quiz_id}.yaml", QuizFile)


def checklist(checklist_id: str) -> ChecklistFile:
    return load(f"checklists/{checklist_id}.yaml", ChecklistFile)


def data_files() -> list[Path]:
    """Every YAML and CSV file under data/ (the data tests validate each one)."""
    return sorted(p for p in DATA_DIR.rglob("*") if p.suffix in {".yaml", ".csv"})


# --- which schema validates which file ----------------------------------------------------
# Topic modules register their own files with `register("lab_ranges.yaml", LabRangesFile)`.
# The data tests import every physiology module, then check that each file under data/ has a
# schema and validates: a file nobody registered is an error, not a silent pass.
# CSV files are registered too, with a function that parses and validates them.

SCHEMAS: dict[str, Any] = {
    "references.yaml": list[Reference],
    "facts.yaml": list[Fact],
    "scenarios/*.yaml": ScenarioFile,
    "quizzes/*.yaml": QuizFile,
    "checklists/*.yaml": ChecklistFile,
}


def register(pattern: str, schema: Any) -> None:
    """Declare the schema (or a loader function taking a Path) for data files matching pattern."""
    SCHEMAS[pattern] = schema


def schema_for(path: Path) -> Any | None:
    rel = path.relative_to(DATA_DIR)
    for pattern, schema in SCHEMAS.items():
        if rel.match(pattern) and len(rel.parts) == len(Path(pattern).parts):
            return schema
    return None


def validate_file(path: Path) -> Any:
    schema = schema_for(path)
    if schema is None:
        raise DataFileError(f"{_rel(path)}: no schema is registered for this file")
    if callable(schema) and not isinstance(schema, type) and getattr(schema, "__origin__", None) is None:
        return schema(path)
    return validate(read_yaml(path), schema, path)
