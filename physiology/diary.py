"""The cramp diary: episodes a learner records, checked, saved as CSV or JSON, and summarised.

Pure Python (no widgets). Four parts:
  1. `Episode`: one cramp, validated field by field with messages a learner can act on.
     "A date in the future" is judged against a `now` passed in, so tests cannot rot.
  2. `Diary`: an immutable, time-ordered set of episodes; add, replace and remove return a new
     diary, so a rejected entry or import can never change the one already kept.
  3. CSV and JSON: writing, and importing that refuses a whole file if any row is bad,
     naming the row and the field.
  4. Patterns (per week, time of day, durations, muscle groups, triggers), the appointment
     summary (counts, longest, trend) and red flags worded by the red-flag checklist.

A diary records what happened; nothing here judges what caused a cramp or what a person has.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from physiology import data
from physiology.data import DataFileError, Quantity, Strict

# --- the options file ------------------------------------------------------------------------

INTENSITY_MIN, INTENSITY_MAX = 0, 10      # a 0-10 numeric rating scale: 0 no pain, 10 worst
MAX_NOTES_CHARS = 300
MAX_IMPORT_BYTES = 1_000_000              # 1 MB: the browser upload refuses larger files too
LIST_SEPARATOR = ";"                      # several triggers in one CSV cell: "heat;other"


class Option(Strict):
    """One choice in the diary form; `refs`/`facts` say why it is offered, when that needs saying."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    why: str = ""
    refs: list[str] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)


class PatternSettings(Strict):
    duration_bin_edges_min: list[float] = Field(min_length=1)
    trend_window: Quantity
    trend_increase_pct: float = Field(ge=0)
    trend_min_increase_count: int = Field(ge=1)

    @field_validator("duration_bin_edges_min")
    @classmethod
    def _increasing(cls, edges: list[float]) -> list[float]:
        if any(b <= a for a, b in zip(edges, edges[1:])) or edges[0] <= 0:
            raise ValueError("bin edges must be positive and increasing")
        return edges

    @field_validator("trend_window")
    @classmethod
    def _whole_days(cls, window: Quantity) -> Quantity:
        if window.unit != "day" or window.value < 1 or window.value != int(window.value):
            raise ValueError("trend_window must be a whole number of days (unit: day)")
        return window

    @property
    def trend_window_days(self) -> int:
        return int(self.trend_window.value)


class LongEpisodeRule(Strict):
    item: str
    over_min: float = Field(gt=0)
    refs: list[str] = Field(min_length=1)
    facts: list[str] = Field(default_factory=list)


class MoreFrequentRule(Strict):
    item: str
    refs: list[str] = Field(min_length=1)
    facts: list[str] = Field(default_factory=list)


class SymptomRule(Strict):
    items: dict[str, str] = Field(min_length=1)     # symptom id -> checklist item id
    refs: list[str] = Field(min_length=1)
    facts: list[str] = Field(default_factory=list)


class RedFlagRules(Strict):
    checklist: str
    long_episode: LongEpisodeRule
    more_frequent: MoreFrequentRule
    with_symptoms: SymptomRule


class DiaryOptions(Strict):
    """data/diary_options.yaml: what the form offers, the pattern settings and red-flag rules."""

    muscle_groups: list[Option] = Field(min_length=1)
    sides: list[Option] = Field(min_length=1)
    contexts: list[Option] = Field(min_length=1)
    triggers: list[Option] = Field(min_length=1)
    relief: list[Option] = Field(min_length=1)
    symptoms: list[Option] = Field(min_length=1)
    max_duration_h: float = Field(gt=0)
    patterns: PatternSettings
    red_flags: RedFlagRules

    @model_validator(mode="after")
    def _consistent(self) -> "DiaryOptions":
        for name in ("muscle_groups", "sides", "contexts", "triggers", "relief", "symptoms"):
            data._no_duplicates([o.id for o in getattr(self, name)], name)
        unknown = set(self.red_flags.with_symptoms.items) - {o.id for o in self.symptoms}
        if unknown:
            raise ValueError(f"red_flags.with_symptoms names unknown symptom(s): {sorted(unknown)}")
        return self

    @property
    def max_duration_min(self) -> float:
        return self.max_duration_h * 60

    def choices(self, field: str) -> list[Option]:
        """The options of one Episode field ("muscle_group", "triggers", ...)."""
        return getattr(self, FIELD_OPTIONS[field])

    def label(self, field: str, option_id: str) -> str:
        return {o.id: o.label for o in self.choices(field)}[option_id]


# Which list in the options file each Episode field takes its ids from.
FIELD_OPTIONS = {
    "muscle_group": "muscle_groups", "side": "sides", "context": "contexts",
    "triggers": "triggers", "relieved_by": "relief", "also_noticed": "symptoms",
}


def options() -> DiaryOptions:
    return data.load("diary_options.yaml", DiaryOptions)


def _ids(field: str) -> list[str]:
    return [o.id for o in options().choices(field)]


# --- one episode ----------------------------------------------------------------------------

# What to say when a value has the wrong type or is missing, per field (the learner's words).
HOW_TO_FILL = {
    "date": "Enter the date as YYYY-MM-DD, e.g. 2024-03-05.",
    "time": "Enter the time as HH:MM on the 24-hour clock, e.g. 23:40.",
    "muscle_group": "Choose a muscle group: quadriceps, hamstrings or calf.",
    "side": "Choose a side: left, right or both.",
    "duration_min": "Enter how long the cramp lasted, in minutes (a number such as 2 or 0.5).",
    "intensity": f"Enter the intensity as a whole number from {INTENSITY_MIN} to {INTENSITY_MAX}.",
    "context": "Choose when it happened: at night, during exercise, after exercise or at rest.",
    "triggers": "Choose possible triggers from the list.",
    "relieved_by": "Choose what relieved it from the list.",
    "also_noticed": "Choose from numbness, swelling or weakness.",
    "notes": f"Notes are plain text of at most {MAX_NOTES_CHARS} characters.",
}
FIELD_NAMES = {
    "date": "date", "time": "time", "muscle_group": "muscle group", "side": "side",
    "duration_min": "duration (min)", "intensity": "intensity (0-10)", "context": "when",
    "triggers": "possible triggers", "relieved_by": "relieved by", "also_noticed": "also noticed",
    "notes": "notes",
}


def _now(info: ValidationInfo) -> dt.datetime:
    """The moment 'the future' starts: injected by the caller (tests), else the clock."""
    context = info.context or {}
    return context.get("now") or dt.datetime.now()


def _one_of(field: str, value: str) -> str:
    if not value:
        raise ValueError(HOW_TO_FILL[field])
    if value not in _ids(field):
        raise ValueError(f"'{value}' is not a choice here. {HOW_TO_FILL[field]}")
    return value


class Episode(Strict):
    """One cramp as the learner recorded it."""

    date: dt.date
    time: dt.time
    muscle_group: str
    side: str
    duration_min: float
    intensity: int
    context: str
    triggers: tuple[str, ...] = ()
    relieved_by: tuple[str, ...] = ()
    also_noticed: tuple[str, ...] = ()
    notes: str = Field(default="", max_length=MAX_NOTES_CHARS)

    @field_validator("date")
    @classmethod
    def _not_in_future(cls, day: dt.date, info: ValidationInfo) -> dt.date:
        today = _now(info).date()
        if day > today:
            raise ValueError(f"{day.isoformat()} is in the future (today is {today.isoformat()}). "
                             "Record cramps that have already happened.")
        return day

    @field_validator("time")
    @classmethod
    def _not_later_today(cls, clock: dt.time, info: ValidationInfo) -> dt.time:
        now = _now(info)
        clock = clock.replace(second=0, microsecond=0)
        if info.data.get("date") == now.date() and clock > now.time():
            raise ValueError(f"{clock:%H:%M} today is later than now ({now:%H:%M}).")
        return clock

    @field_validator("muscle_group", "side", "context")
    @classmethod
    def _a_listed_choice(cls, value: str, info: ValidationInfo) -> str:
        return _one_of(info.field_name, value.strip())

    @field_validator("triggers", "relieved_by", "also_noticed", mode="before")
    @classmethod
    def _split_text_lists(cls, value: Any) -> Any:
        if isinstance(value, str):     # a CSV cell: "heat;other"
            value = [v for v in (part.strip() for part in value.split(LIST_SEPARATOR)) if v]
        return value

    @field_validator("triggers", "relieved_by", "also_noticed")
    @classmethod
    def _listed_choices(cls, values: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        unique = tuple(dict.fromkeys(v.strip() for v in values))   # keeps order, drops repeats
        return tuple(_one_of(info.field_name, v) for v in unique)

    @field_validator("duration_min", mode="before")
    @classmethod
    def _decimal_comma(cls, value: Any) -> Any:
        if isinstance(value, str) and value.count(",") == 1 and "." not in value:
            return value.replace(",", ".")      # "2,5" min is 2.5 min
        return value

    @field_validator("duration_min")
    @classmethod
    def _plausible_duration(cls, minutes: float) -> float:
        longest = options().max_duration_min
        if not math.isfinite(minutes):
            raise ValueError(HOW_TO_FILL["duration_min"])
        if minutes <= 0:
            raise ValueError(f"The duration must be more than 0 min (you entered {minutes:g}).")
        if minutes > longest:
            raise ValueError(f"The duration must be at most {options().max_duration_h:g} h "
                             f"({longest:g} min); you entered {minutes:g} min.")
        return minutes

    @field_validator("intensity")
    @classmethod
    def _on_the_scale(cls, score: int) -> int:
        if not INTENSITY_MIN <= score <= INTENSITY_MAX:
            raise ValueError(f"Intensity is a score from {INTENSITY_MIN} (no pain) to "
                             f"{INTENSITY_MAX} (worst imaginable); you entered {score}.")
        return score

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.time)

    def describe(self) -> str:
        """One line for a list: '2024-03-04 23:10, calf (left), 2 min, intensity 6, at night'."""
        return (f"{self.date.isoformat()} {self.time:%H:%M}, "
                f"{short_label('muscle_group', self.muscle_group).lower()} ({self.side}), "
                f"{self.duration_min:g} min, intensity {self.intensity}, "
                f"{options().label('context', self.context).lower()}")


class EntryError(ValueError):
    """An episode that does not validate; `problems` maps each bad field to a message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(f"{FIELD_NAMES.get(f, f).capitalize()}: {m}"
                                  for f, m in problems.items()))


def new_episode(values: dict[str, Any], now: dt.datetime | None = None) -> Episode:
    """Validate a form's or file's values into an Episode, or raise EntryError per field."""
    try:
        return Episode.model_validate(values, context={"now": now or dt.datetime.now()})
    except ValidationError as exc:
        raise EntryError(_field_problems(exc)) from None


def _field_problems(exc: ValidationError) -> dict[str, str]:
    problems: dict[str, str] = {}
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "entry"
        if field in problems:
            continue
        if err["type"] == "value_error":
            problems[field] = str(err["ctx"]["error"])
        elif err["type"] == "extra_forbidden":
            problems[field] = f"'{field}' is not a diary field."
        else:
            problems[field] = HOW_TO_FILL.get(field, err["msg"])
    return problems


# --- the diary ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Diary:
    """Episodes in time order. Changes return a new Diary; the old one is never touched."""

    episodes: tuple[Episode, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "episodes", tuple(sorted(self.episodes, key=lambda e: e.start)))

    def __len__(self) -> int:
        return len(self.episodes)

    def add(self, episode: Episode) -> "Diary":
        return Diary(self.episodes + (episode,))

    def replace(self, index: int, episode: Episode) -> "Diary":
        self._check_index(index)
        return Diary(self.episodes[:index] + (episode,) + self.episodes[index + 1:])

    def remove(self, index: int) -> "Diary":
        self._check_index(index)
        return Diary(self.episodes[:index] + self.episodes[index + 1:])

    def merged(self, episodes: Iterable[Episode]) -> "Diary":
        """Add imported episodes, skipping any the diary already holds (re-importing is safe)."""
        new = [e for e in dict.fromkeys(episodes) if e not in self.episodes]
        return Diary(self.episodes + tuple(new))

    def with_import(self, filename: str, content: str | bytes,
                    now: dt.datetime | None = None) -> "Diary":
        """This diary plus a file's episodes; ImportRefused (and no change) if any row is bad."""
        return self.merged(import_file(filename, content, now))

    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self.episodes):
            raise IndexError(f"There is no entry number {index + 1}; the diary has "
                             f"{len(self.episodes)}.")


# --- files: writing -------------------------------------------------------------------------

CSV_COLUMNS = ("date", "time", "muscle_group", "side", "duration_min", "intensity", "context",
               "triggers", "relieved_by", "also_noticed", "notes")
JSON_FORMAT = "knee-cramp-lab/cramp-diary"
JSON_VERSION = 1


def _record(episode: Episode) -> dict[str, Any]:
    """An episode as plain values: ISO date, HH:MM time, lists of option ids."""
    record = episode.model_dump()
    record["date"] = episode.date.isoformat()
    record["time"] = f"{episode.time:%H:%M}"
    record["duration_min"] = _plain_number(episode.duration_min)
    for field in ("triggers", "relieved_by", "also_noticed"):
        record[field] = list(record[field])
    return record


def _plain_number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def to_csv(episodes: Iterable[Episode]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for episode in episodes:
        row = _record(episode)
        for field in ("triggers", "relieved_by", "also_noticed"):
            row[field] = LIST_SEPARATOR.join(row[field])
        writer.writerow(row)
    return out.getvalue()


def to_document(episodes: Iterable[Episode]) -> dict[str, Any]:
    """The diary as a JSON-ready dict: the export file's content and the browser-stored state."""
    return {"format": JSON_FORMAT, "version": JSON_VERSION,
            "episodes": [_record(e) for e in episodes]}


def to_json(episodes: Iterable[Episode]) -> str:
    return json.dumps(to_document(episodes), indent=1, ensure_ascii=False) + "\n"


# --- files: importing -----------------------------------------------------------------------

class ImportRefused(ValueError):
    """A file that cannot be imported; the message says why (and which row and field)."""


def import_file(filename: str, content: str | bytes, now: dt.datetime | None = None) -> list[Episode]:
    """Episodes from an uploaded .csv or .json file, all or nothing."""
    size = len(content.encode("utf-8") if isinstance(content, str) else content)
    if size > MAX_IMPORT_BYTES:
        raise ImportRefused(f"'{filename}' is {size / 1e6:.1f} MB; diary files can be at most "
                            f"{MAX_IMPORT_BYTES / 1e6:g} MB.")
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ImportRefused(f"'{filename}' is not a CSV or JSON file: only .csv and .json diary "
                            "files can be imported.")
    text = _as_text(filename, content)
    return parse_csv(text, now) if suffix == ".csv" else parse_json(text, now)


def _as_text(filename: str, content: str | bytes) -> str:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused(f"'{filename}' is not a text file (it is not UTF-8 text).") from None
    if "\x00" in content:
        raise ImportRefused(f"'{filename}' is not a text file (it contains binary data).")
    if not content.strip():
        raise ImportRefused(f"'{filename}' is empty.")
    return content.lstrip("\ufeff")


def parse_csv(text: str, now: dt.datetime | None = None) -> list[Episode]:
    """Episodes from diary CSV text. Lines starting with '#' before the header are comments."""
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and (not lines[skipped].strip() or lines[skipped].startswith("#")):
        skipped += 1
    if skipped == len(lines):
        raise ImportRefused("The file is empty: it has no header row and no episodes.")
    reader = csv.reader(io.StringIO("".join(lines[skipped:])))
    header = [h.strip() for h in next(reader)]
    _check_columns(header)
    rows = []
    for row in reader:
        if any(cell.strip() for cell in row):
            rows.append((len(rows) + 1, reader.line_num + skipped, row))
    if not rows:
        raise ImportRefused("The file has a header but no episodes.")
    return _validate_rows(((f"Row {n} (line {line})", _csv_values(header, row, n, line))
                           for n, line, row in rows), now)


def _check_columns(header: list[str]) -> None:
    if len(header) == 1 and LIST_SEPARATOR in header[0]:
        raise ImportRefused("This file separates its columns with ';' (some spreadsheet programs "
                            "do). Save it as CSV with commas, then import it again.")
    missing = [c for c in CSV_COLUMNS if c not in header]
    unexpected = [c for c in header if c not in CSV_COLUMNS]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing or unexpected or repeated:
        details = []
        if missing:
            details.append("missing " + ", ".join(missing))
        if unexpected:
            details.append("unexpected " + ", ".join(f"'{c}'" for c in unexpected))
        if repeated:
            details.append("repeated " + ", ".join(repeated))
        raise ImportRefused("Wrong columns for a cramp diary (" + "; ".join(details) + "). "
                            "The header must be: " + ",".join(CSV_COLUMNS))


def _csv_values(header: list[str], row: list[str], n: int, line: int) -> dict[str, str]:
    if len(row) != len(header):
        raise ImportRefused(f"Row {n} (line {line}) has {len(row)} values but the header has "
                            f"{len(header)} columns. Nothing was imported.")
    # An empty cell counts as "not filled in", so a required field gets its 'missing' message.
    return {name: cell.strip() for name, cell in zip(header, row) if cell.strip()}


def parse_json(text: str, now: dt.datetime | None = None) -> list[Episode]:
    """Episodes from a diary JSON export ({"format": ..., "episodes": [...]})."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"The file is not valid JSON (line {exc.lineno}: {exc.msg}).") from None
    return from_document(document, now)


def from_document(document: Any, now: dt.datetime | None = None) -> list[Episode]:
    """Episodes from a parsed diary document (see `to_document`), all or nothing."""
    if not isinstance(document, dict) or not isinstance(document.get("episodes"), list):
        raise ImportRefused("This JSON file is not a cramp diary: it has no list of 'episodes'.")
    if document.get("format", JSON_FORMAT) != JSON_FORMAT:
        raise ImportRefused(f"This JSON file is a '{document['format']}' file, not a cramp diary.")
    if document.get("version", JSON_VERSION) != JSON_VERSION:
        raise ImportRefused(f"This diary file has version {document['version']!r}; this notebook "
                            f"reads version {JSON_VERSION}.")
    if not document["episodes"]:
        raise ImportRefused("The file has no episodes.")
    entries = document["episodes"]
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ImportRefused(f"Entry {n} is not an episode (expected an object with fields).")
    return _validate_rows(((f"Entry {n}", e) for n, e in enumerate(entries, start=1)), now)


def _validate_rows(rows: Iterable[tuple[str, dict]], now: dt.datetime | None) -> list[Episode]:
    """All rows validate, or ImportRefused names the first bad row and its fields."""
    episodes, failures = [], []
    for where, values in rows:
        try:
            episodes.append(new_episode(values, now))
        except EntryError as exc:
            failures.append((where, exc.problems))
    if failures:
        where, problems = failures[0]
        fields = "; ".join(f"field '{f}': {m}" for f, m in problems.items())
        more = f" ({len(failures) - 1} more row(s) also have problems.)" if len(failures) > 1 else ""
        raise ImportRefused(f"{where}, {fields} Nothing was imported.{more}")
    return episodes


# --- the sample diary -----------------------------------------------------------------------

SAMPLE_FILE = "sample_diary.csv"


def load_sample_file(path: Path) -> list[Episode]:
    """Parse a diary CSV under data/ (the data tests call this through the registry)."""
    try:
        return parse_csv(path.read_text(encoding="utf-8"))
    except ImportRefused as exc:
        raise DataFileError(f"data/{path.name}: {exc}") from None


def sample_diary() -> Diary:
    """The clearly fictional teaching diary in data/sample_diary.csv."""
    return Diary(tuple(load_sample_file(data.DATA_DIR / SAMPLE_FILE)))


data.register("diary_options.yaml", DiaryOptions)
data.register(SAMPLE_FILE, load_sample_file)


# --- patterns -------------------------------------------------------------------------------

def week_start(day: dt.date) -> dt.date:
    """The Monday of a date's week."""
    return day - dt.timedelta(days=day.weekday())


def episodes_per_week(episodes: Iterable[Episode]) -> list[tuple[dt.date, int]]:
    """(Monday, count) for every week from the first episode's to the last's, empty weeks too."""
    counts = Counter(week_start(e.date) for e in episodes)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    n_weeks = (last - first).days // 7 + 1
    weeks = [first + dt.timedelta(weeks=i) for i in range(n_weeks)]
    return [(w, counts[w]) for w in weeks]


def time_of_day_counts(episodes: Iterable[Episode]) -> list[int]:
    """Episodes that started in each hour of the day, 00:00-00:59 first."""
    counts = Counter(e.time.hour for e in episodes)
    return [counts[hour] for hour in range(24)]


def duration_bins(edges_min: list[float] | None = None) -> list[str]:
    """Bar labels for the duration histogram: 'up to 1 min', '1-2 min', ..., 'over 10 min'."""
    edges = edges_min or options().patterns.duration_bin_edges_min
    labels = [f"up to {edges[0]:g} min"]
    labels += [f"{a:g}-{b:g} min" for a, b in zip(edges, edges[1:])]
    return labels + [f"over {edges[-1]:g} min"]


def duration_counts(episodes: Iterable[Episode], edges_min: list[float] | None = None) -> list[int]:
    """Episodes per duration bar; a bar includes its upper edge (exactly 10 min is not 'over 10')."""
    edges = edges_min or options().patterns.duration_bin_edges_min
    counts = [0] * (len(edges) + 1)
    for e in episodes:
        counts[sum(e.duration_min > edge for edge in edges)] += 1
    return counts


def option_counts(episodes: Iterable[Episode], field: str) -> list[tuple[str, int]]:
    """(label, count) for each option of a field, in the options file's order.

    For the list fields (triggers, relieved_by, also_noticed) an episode counts once for each
    option it names, so the counts can add up to more than the number of episodes.
    """
    counts: Counter[str] = Counter()
    for e in episodes:
        value = getattr(e, field)
        counts.update(value if isinstance(value, tuple) else (value,))
    return [(o.label, counts[o.id]) for o in options().choices(field)]


# --- trend ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Trend:
    """Episodes in the diary's last window against the window before it."""

    direction: str          # "more frequent", "less frequent", "about the same", "not enough data"
    recent_count: int
    earlier_count: int
    window_days: int

    def describe(self) -> str:
        weeks = f"{self.window_days // 7} weeks" if self.window_days % 7 == 0 else f"{self.window_days} days"
        if self.direction == "not enough data":
            return (f"not enough data: a trend compares the diary's last {weeks} with the {weeks} "
                    f"before, so the first and last entries must be at least {weeks} apart")
        return (f"{self.direction}: {self.recent_count} episodes in the diary's last {weeks}, "
                f"{self.earlier_count} in the {weeks} before")


def trend(episodes: Iterable[Episode], settings: PatternSettings | None = None) -> Trend:
    """Compare the last window (ending on the latest entry's day) with the window before.

    The change counts only when it is both large in proportion (trend_increase_pct) and in
    number (trend_min_increase_count): with small counts, 3 then 4 is chance, not a trend.
    """
    settings = settings or options().patterns
    days = sorted(e.date for e in episodes)
    window = settings.trend_window_days
    if not days or (days[-1] - days[0]).days < window:
        return Trend("not enough data", 0, 0, window)
    recent_start = days[-1] - dt.timedelta(days=window - 1)
    earlier_start = recent_start - dt.timedelta(days=window)
    recent = sum(d >= recent_start for d in days)
    earlier = sum(earlier_start <= d < recent_start for d in days)
    if _clearly_more(recent, earlier, settings):
        direction = "more frequent"
    elif _clearly_more(earlier, recent, settings):
        direction = "less frequent"
    else:
        direction = "about the same"
    return Trend(direction, recent, earlier, window)


def _clearly_more(a: int, b: int, settings: PatternSettings) -> bool:
    enough_more = a >= b + settings.trend_min_increase_count
    enough_in_proportion = a * 100 >= b * (100 + settings.trend_increase_pct)
    return enough_more and enough_in_proportion


def chance_of_weekly_count(count: int, mean_per_week: float, at_least: bool = False) -> float:
    """Chance of exactly `count` (or, with at_least, `count` or more) cramps in a week when
    cramps come at random (a Poisson process) with `mean_per_week` on average:
    P(k) = e^-m m^k / k!. What chance alone does to weekly counts, without any trend."""
    if count < 0 or mean_per_week < 0:
        raise ValueError("count and mean must not be negative")

    def exactly(k: int) -> float:
        return math.exp(-mean_per_week) * mean_per_week ** k / math.factorial(k)

    if not at_least:
        return exactly(count)
    return max(0.0, 1.0 - sum(exactly(k) for k in range(count)))


# --- red flags ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RedFlag:
    """A checklist red flag that the diary's entries match, in the checklist's own words."""

    item_id: str
    wording: str        # the checklist's group heading + item: "Talk to a doctor if cramps happen often"
    level: str          # "see_doctor" or "urgent"
    because: str        # what in the diary matched

    def describe(self) -> str:
        return f"{self.wording}. Diary: {self.because}."


def red_flag_checklist() -> data.ChecklistFile:
    return data.checklist(options().red_flags.checklist)


def checklist_wording(item_id: str) -> tuple[str, str]:
    """(wording, level) of a checklist item: its group heading joined to its label."""
    for group in red_flag_checklist().groups:
        for item in group.items:
            if item.id == item_id:
                heading = group.title.rstrip(".…").rstrip()
                return f"{heading} {item.label}", item.red_flag
    raise KeyError(f"Checklist '{options().red_flags.checklist}' has no item '{item_id}'")


def red_flags(episodes: Iterable[Episode]) -> list[RedFlag]:
    """Red flags from the entries, worded exactly as the red-flag checklist words them."""
    episodes = list(episodes)
    rules = options().red_flags
    found = []

    def flag(item_id: str, because: str) -> None:
        wording, level = checklist_wording(item_id)
        found.append(RedFlag(item_id, wording, level, because))

    long_ones = [e for e in episodes if e.duration_min > rules.long_episode.over_min]
    if long_ones:
        flag(rules.long_episode.item,
             _list_episodes(long_ones, f"over {rules.long_episode.over_min:g} min"))
    change = trend(episodes)
    if change.direction == "more frequent":
        flag(rules.more_frequent.item, "cramps getting " + change.describe())
    for item_id, symptoms in _symptoms_by_item(rules.with_symptoms).items():
        with_them = [e for e in episodes if set(e.also_noticed) & set(symptoms)]
        if with_them:
            names = " or ".join(options().label("also_noticed", s).lower() for s in symptoms)
            flag(item_id, _list_episodes(with_them, f"with {names}"))
    return found


def _symptoms_by_item(rule: SymptomRule) -> dict[str, list[str]]:
    """Group symptoms by checklist item, so an item shared by several symptoms shows once."""
    grouped: dict[str, list[str]] = {}
    for symptom, item_id in rule.items.items():
        grouped.setdefault(item_id, []).append(symptom)
    return grouped


def _list_episodes(episodes: list[Episode], what: str, shown: int = 3) -> str:
    dates = ", ".join(f"{e.date.isoformat()} ({e.duration_min:g} min)" for e in episodes[:shown])
    more = f" and {len(episodes) - shown} more" if len(episodes) > shown else ""
    return f"{_count(len(episodes), 'episode')} {what}: {dates}{more}"


def _count(n: int, noun: str) -> str:
    """'1 episode', '3 episodes'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


# --- the appointment summary ----------------------------------------------------------------

@dataclass(frozen=True)
class AppointmentSummary:
    """What a clinician would want from a diary: counts, longest episode, trend, red flags."""

    total: int
    first: dt.date | None
    last: dt.date | None
    weeks: int
    per_week: float
    by_field: dict[str, list[tuple[str, int]]]
    longest: Episode | None
    median_duration_min: float | None
    median_intensity: float | None
    trend: Trend
    red_flags: list[RedFlag]


SUMMARY_FIELDS = {
    "muscle_group": "Muscle groups", "side": "Side", "context": "When",
    "triggers": "Possible triggers noted", "relieved_by": "Relieved by (as noted)",
    "also_noticed": "Also noticed",
}


def appointment_summary(diary: Diary) -> AppointmentSummary:
    episodes = diary.episodes
    weeks = len(episodes_per_week(episodes))
    return AppointmentSummary(
        total=len(episodes),
        first=episodes[0].date if episodes else None,
        last=episodes[-1].date if episodes else None,
        weeks=weeks,
        per_week=len(episodes) / weeks if weeks else 0.0,
        by_field={f: option_counts(episodes, f) for f in SUMMARY_FIELDS},
        longest=max(episodes, key=lambda e: e.duration_min) if episodes else None,
        median_duration_min=statistics.median(e.duration_min for e in episodes) if episodes else None,
        median_intensity=statistics.median(e.intensity for e in episodes) if episodes else None,
        trend=trend(episodes),
        red_flags=red_flags(episodes),
    )


SUMMARY_FOOTER = ("This summary lists what was recorded in the diary. It is not a diagnosis and "
                  "does not say what causes the cramps; that is for a conversation with a clinician.")


def summary_text(summary: AppointmentSummary) -> str:
    """The downloadable 'bring this to your appointment' text."""
    lines = ["Cramp diary summary (Knee Cramp Lab)", ""]
    if summary.total == 0:
        return "\n".join(lines + ["No episodes recorded yet.", "", SUMMARY_FOOTER]) + "\n"
    lines.append(f"Episodes recorded: {summary.total}, from {summary.first} to {summary.last} "
                 f"({_count(summary.weeks, 'calendar week')}, "
                 f"{summary.per_week:.1f} per week on average).")
    for field, title in SUMMARY_FIELDS.items():
        counted = [f"{label}: {n}" for label, n in summary.by_field[field] if n]
        lines.append(f"{title}: {'; '.join(counted) if counted else 'none recorded'}.")
    longest = summary.longest
    lines.append(f"Duration: median {summary.median_duration_min:g} min; longest "
                 f"{longest.duration_min:g} min on {longest.date} at {longest.time:%H:%M} "
                 f"({longest.muscle_group}, {longest.side}).")
    lines.append(f"Intensity (0-10): median {summary.median_intensity:g}.")
    lines.append(f"Trend: {summary.trend.describe()}.")
    lines += ["", *red_flag_lines(summary.red_flags)]
    return "\n".join(lines + ["", SUMMARY_FOOTER]) + "\n"


def red_flag_lines(flags: list[RedFlag]) -> list[str]:
    """The red-flag part of the summary, in the checklist's words."""
    title = red_flag_checklist().title
    if not flags:
        return [f"Red flags from the checklist '{title}': none matched by the entries."]
    return ([f"Red flags from the checklist '{title}' that the entries match:"]
            + [f"- {flag.describe()}" for flag in flags])


# --- one-line summaries beside the pattern plots ---------------------------------------------

NO_EPISODES = "No episodes yet: add one, import a diary, or load the sample diary."


def short_label(field: str, option_id: str) -> str:
    """'Calf (back of the lower leg)' -> 'Calf'."""
    return options().label(field, option_id).split(" (")[0]


def pattern_summaries(episodes: Iterable[Episode]) -> dict[str, str]:
    """The live one-line text beside each pattern plot (for screen readers and the back row)."""
    episodes = list(episodes)
    if not episodes:
        return {name: NO_EPISODES for name in PATTERNS}
    return {name: describe(episodes) for name, describe in PATTERNS.items()}


def _per_week_line(episodes: list[Episode]) -> str:
    weeks = episodes_per_week(episodes)
    busiest_week, most = max(weeks, key=lambda w: w[1])       # the earliest of equal weeks
    return (f"{_count(len(episodes), 'episode')} over {_count(len(weeks), 'week')} "
            f"({len(episodes) / len(weeks):.1f} per week); the most in one week was {most} "
            f"(week of {busiest_week.isoformat()}); trend: {trend(episodes).describe()}.")


def _time_of_day_line(episodes: list[Episode]) -> str:
    hours = time_of_day_counts(episodes)
    most = max(hours)
    busiest = [f"{h:02d}:00-{h:02d}:59" for h, n in enumerate(hours) if n == most]
    each = " each" if len(busiest) > 1 else ""
    return (f"Most episodes started at {' and '.join(busiest[:3])}"
            f"{' (and other hours)' if len(busiest) > 3 else ''} ({most}{each} of {len(episodes)}).")


def _durations_line(episodes: list[Episode]) -> str:
    over = options().patterns.duration_bin_edges_min[-1]
    durations = [e.duration_min for e in episodes]
    n_over = sum(d > over for d in durations)
    return (f"Median {statistics.median(durations):g} min, longest {max(durations):g} min; "
            f"{n_over} of {len(durations)} over {over:g} min.")


def _muscle_groups_line(episodes: list[Episode]) -> str:
    counts = Counter(e.muscle_group for e in episodes)
    parts = [f"{short_label('muscle_group', m)} {n}" for m, n in counts.most_common()]
    return f"{', '.join(parts)} (of {_count(len(episodes), 'episode')})."


def _triggers_line(episodes: list[Episode]) -> str:
    counts = Counter(t for e in episodes for t in e.triggers)
    if not counts:
        return "No possible triggers noted yet."
    parts = [f"{options().label('triggers', t)} ({n})" for t, n in counts.most_common(2)]
    return f"Most often noted: {'; '.join(parts)}; of {_count(len(episodes), 'episode')}."


PATTERNS = {
    "per_week": _per_week_line,
    "time_of_day": _time_of_day_line,
    "durations": _durations_line,
    "muscle_groups": _muscle_groups_line,
    "triggers": _triggers_line,
}
