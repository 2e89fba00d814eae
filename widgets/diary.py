"""The cramp diary widget: record episodes, see patterns, take a summary to an appointment.

    show_diary()

A form adds (or edits) an episode, with a message beside each field; entries can be edited and
deleted (with Undo). Five pattern panels (per week, time of day, duration, muscle group,
triggers) share one plotly FigureWidget updated in place, and each has a one-line text summary. A red-flag panel matches the entries to the "when to see a doctor"
checklist in its own words, and a plain-text summary can be downloaded for an appointment.
The diary lives in the learner's browser (widgets.learner_state): it survives a reload and a
kernel restart, another browser sees none of it, and it can be exported and imported as CSV or
JSON. All computation is in physiology.diary; this module only lays it out.
"""
from __future__ import annotations

import datetime as dt
import html
from typing import Callable

import ipywidgets as ipw
from IPython.display import display

from physiology import diary
from physiology.diary import Diary, EntryError, Episode, ImportRefused
from widgets.learner_state import BrowserStore
from widgets.safety import Message, guarded
from widgets.figures import labelled, new_id
from widgets.theme import PALETTE, css, new_figure, sync_for_display

STORE_KEY = "08_cramp_diary/diary"
CHOOSE = ""   # the value of "Choose..." in a drop-down: nothing chosen yet

_CSS = css("""<style>
.kcl-diary { max-width: 72em; }
.kcl-diary h3 { margin: 1.1em 0 0.3em 0; }
.kcl-diary .kcl-field { align-items: center; gap: 0.6em; flex-wrap: wrap; }
.kcl-diary .kcl-field .widget-label { min-width: 11em; }
.kcl-diary .widget-checkbox { width: auto; }
.kcl-diary .widget-checkbox label, .kcl-diary .widget-checkbox span { white-space: normal; }
.kcl-diary input:focus-visible, .kcl-diary select:focus-visible, .kcl-diary button:focus-visible,
.kcl-diary [tabindex]:focus-visible { outline: 3px solid $orange; outline-offset: 2px; }
.kcl-diary .kcl-table-wrap { max-height: 26em; overflow: auto; border: 1px solid $border; }
.kcl-diary table { border-collapse: collapse; font-size: 13px; line-height: 1.35; }
.kcl-diary th, .kcl-diary td { border-bottom: 1px solid $rule; padding: 0.2em 0.5em; text-align: left;
  vertical-align: top; }
.kcl-diary td:nth-child(2), .kcl-diary td:nth-child(3) { white-space: nowrap; }
.kcl-diary caption { text-align: left; font-weight: bold; padding: 0.3em 0.5em; }
.kcl-diary .kcl-pattern-lines { font-size: 14px; margin: 0.3em 0; }
.kcl-diary .kcl-flag { border-left: 5px solid $orange; background: $warning_bg; color: $see_doctor_text;
  padding: 0.35em 0.7em; margin: 0.3em 0; list-style: none; }
.kcl-diary .kcl-flag.kcl-urgent { border-left-color: $vermillion; background: $error_bg; color: $urgent_text; }
.kcl-diary ul.kcl-flags { padding: 0; margin: 0.3em 0; }
.kcl-diary pre.kcl-summary { white-space: pre-wrap; word-break: normal; overflow-wrap: break-word;
  line-height: 1.4; background: $faint_bg; border: 1px solid $border; padding: 0.6em 0.8em;
  font-size: 13px; max-height: 28em; overflow: auto; }
</style>""")


# --- the form -------------------------------------------------------------------------------

def _choice(description: str, field: str) -> ipw.Dropdown:
    options = [("Choose...", CHOOSE)] + [(o.label, o.id) for o in diary.options().choices(field)]
    return ipw.Dropdown(options=options, value=CHOOSE, description=description,
                        style={"description_width": "11em"}, layout=ipw.Layout(width="30em"))


def _text(description: str, placeholder: str, width: str = "20em") -> ipw.Text:
    return ipw.Text(description=description, placeholder=placeholder,
                    style={"description_width": "11em"}, layout=ipw.Layout(width=width))


def _button(text: str, **kwargs) -> ipw.Button:
    """A button as wide as its text (ipywidgets' fixed width cuts long labels)."""
    return ipw.Button(description=text, layout=ipw.Layout(width="auto"), **kwargs)


def _ticks(field: str) -> dict[str, ipw.Checkbox]:
    return {o.id: ipw.Checkbox(value=False, description=o.label, indent=False,
                               layout=ipw.Layout(width="auto"))
            for o in diary.options().choices(field)}


class EpisodeForm(ipw.VBox):
    """One control per Episode field, each with a Message beside it for its problems."""

    TICK_HEADINGS = {"triggers": "Possible triggers (tick any)",
                     "relieved_by": "What relieved it (tick any)",
                     "also_noticed": "Also noticed with this cramp (tick any)"}

    def __init__(self, today: dt.date):
        self.controls: dict[str, ipw.Widget] = {
            "date": ipw.DatePicker(description="Date", value=today,
                                   style={"description_width": "11em"}),
            "time": _text("Time (HH:MM, 24 h)", "e.g. 23:40", "22em"),
            "muscle_group": _choice("Muscle group", "muscle_group"),
            "side": _choice("Side", "side"),
            "duration_min": _text("Duration (min)", "e.g. 2 or 0.5", "22em"),
            "intensity": _text("Intensity (0-10)", "0 none, 10 worst", "22em"),
            "context": _choice("When", "context"),
            "notes": _text("Notes (optional)", f"up to {diary.MAX_NOTES_CHARS} characters", "40em"),
        }
        self.ticks = {field: _ticks(field) for field in self.TICK_HEADINGS}
        self.messages = {field: Message() for field in diary.FIELD_NAMES}
        rows = [self._row(f, c) for f, c in self.controls.items() if f != "notes"]
        rows += [self._tick_group(field) for field in self.TICK_HEADINGS]
        rows.append(self._row("notes", self.controls["notes"]))
        super().__init__(rows)

    def _row(self, field: str, control: ipw.Widget) -> ipw.HBox:
        row = ipw.HBox([control, self.messages[field]])
        row.add_class("kcl-field")
        return row

    def _tick_group(self, field: str) -> ipw.VBox:
        heading = ipw.HTML(f"<strong>{html.escape(self.TICK_HEADINGS[field])}</strong>")
        boxes = ipw.GridBox(list(self.ticks[field].values()),
                            layout=ipw.Layout(grid_template_columns="repeat(2, minmax(14em, 1fr))"))
        return ipw.VBox([heading, boxes, self.messages[field]])

    def values(self) -> dict:
        """What the form holds, as Episode fields (validation is physiology.diary's job)."""
        values = {field: control.value for field, control in self.controls.items()}
        for field, boxes in self.ticks.items():
            values[field] = [option_id for option_id, box in boxes.items() if box.value]
        return values

    def fill(self, episode: Episode) -> None:
        self.controls["date"].value = episode.date
        self.controls["time"].value = f"{episode.time:%H:%M}"
        for field in ("muscle_group", "side", "context", "notes"):
            self.controls[field].value = getattr(episode, field)
        self.controls["duration_min"].value = f"{episode.duration_min:g}"
        self.controls["intensity"].value = str(episode.intensity)
        for field, boxes in self.ticks.items():
            for option_id, box in boxes.items():
                box.value = option_id in getattr(episode, field)
        self.clear_messages()

    def clear(self, today: dt.date) -> None:
        self.controls["date"].value = today
        for field in ("time", "duration_min", "intensity", "notes"):
            self.controls[field].value = ""
        for field in ("muscle_group", "side", "context"):
            self.controls[field].value = CHOOSE
        for boxes in self.ticks.values():
            for box in boxes.values():
                box.value = False
        self.clear_messages()

    def show_problems(self, problems: dict[str, str]) -> None:
        self.clear_messages()
        for field, text in problems.items():
            self.messages.get(field, self.messages["notes"]).show(text)

    def clear_messages(self) -> None:
        for message in self.messages.values():
            message.clear()


# --- the pattern plots ----------------------------------------------------------------------

PANELS = {
    # name: (title, x-axis label, y-axis label, horizontal bars?)
    "per_week": ("Episodes per week", "Week starting (Monday)", "Episodes (count)", False),
    "time_of_day": ("Time of day the cramps started", "Hour of the day (h, 0-23)",
                    "Episodes (count)", False),
    "durations": ("How long the cramps lasted", "Duration (min)", "Episodes (count)", False),
    "muscle_groups": ("Muscle groups", "Muscle group", "Episodes (count)", False),
    "triggers": ("Possible triggers noted", "Times noted (count)", "", True),
}
PANEL_HEIGHT = 290


def _axis(fig, letter: str, row: int):
    """The x or y axis of subplot `row` (plotly names them xaxis, xaxis2, ...)."""
    return fig.layout[f"{letter}axis{row if row > 1 else ''}"]


def _count_axis(fig, name: str):
    row = list(PANELS).index(name) + 1
    return _axis(fig, "x" if PANELS[name][3] else "y", row)


def _patterns_figure():
    """One FigureWidget with a panel per pattern: the browser loads one plotly view, not five."""
    fig = new_figure("Patterns in the diary", height=PANEL_HEIGHT * len(PANELS), showlegend=False,
                     margin=dict(l=230, r=20, t=90, b=60))
    fig.set_subplots(rows=len(PANELS), cols=1, vertical_spacing=0.45 / len(PANELS),
                     subplot_titles=[title for title, *_ in PANELS.values()])
    for row, (name, (title, x_title, y_title, horizontal)) in enumerate(PANELS.items(), start=1):
        fig.add_bar(x=[], y=[], orientation="h" if horizontal else "v", name=title,
                    marker_color=PALETTE["blue"], row=row, col=1)
        _axis(fig, "x", row).title.text = x_title
        _axis(fig, "y", row).title.text = y_title
        _count_axis(fig, name).rangemode = "tozero"
    time_axis = _axis(fig, "x", list(PANELS).index("time_of_day") + 1)
    time_axis.range, time_axis.dtick = [-0.5, 23.5], 3
    fig.add_annotation(text=EMPTY_PATTERNS, showarrow=False, x=0.5, y=0.5, xref="paper",
                       yref="paper", font=dict(size=15), visible=False)
    return fig


EMPTY_PATTERNS = ("No episodes yet: add one above, or load the sample diary, "
                  "to see the patterns here.")


def _show_empty(fig, empty: bool) -> None:
    """An empty diary draws no axes (they would be ticked with nonsense), but says what to do."""
    fig.layout.height = 180 if empty else PANEL_HEIGHT * len(PANELS)
    fig.layout.title.text = "Patterns in the diary" + (": no episodes yet" if empty else "")
    for row in range(1, len(PANELS) + 1):
        _axis(fig, "x", row).visible = not empty
        _axis(fig, "y", row).visible = not empty
    *titles, prompt = fig.layout.annotations
    for title in titles:
        title.visible = not empty
    prompt.visible = empty


def _pattern_data(episodes: tuple[Episode, ...], today: dt.date) -> dict[str, tuple[list, list]]:
    """(categories, counts) for each panel, all computed by physiology.diary."""
    # An empty diary still shows this week, with 0 episodes, rather than a blank panel.
    weeks = diary.episodes_per_week(episodes) or [(diary.week_start(today), 0)]
    groups = diary.option_counts(episodes, "muscle_group")
    muscles = diary.options().muscle_groups
    triggers = diary.option_counts(episodes, "triggers")[::-1]   # first option on top
    return {
        "per_week": ([w.isoformat() for w, _ in weeks], [n for _, n in weeks]),
        "time_of_day": (list(range(24)), diary.time_of_day_counts(episodes)),
        "durations": (diary.duration_bins(), diary.duration_counts(episodes)),
        "muscle_groups": ([diary.short_label("muscle_group", o.id) for o in muscles],
                          [n for _, n in groups]),
        "triggers": ([label for label, _ in triggers], [n for _, n in triggers]),
    }


def _update_patterns(fig, bars: dict, patterns: dict[str, tuple[list, list]]) -> None:
    """Replace every panel's bars in one message, with whole-number ticks on the count axes."""
    with fig.batch_update():
        for name, (categories, counts) in patterns.items():
            bar = bars[name]
            bar.x, bar.y = (counts, categories) if PANELS[name][3] else (categories, counts)
            _count_axis(fig, name).dtick = max(1, -(-max(counts, default=0) // 6))  # ~6 ticks
        # the last duration bar ("over 10 min") is the red-flag duration: its own colour
        n_bins = len(patterns["durations"][1])
        bars["durations"].marker.color = [PALETTE["blue"]] * (n_bins - 1) + [PALETTE["vermillion"]]
        _show_empty(fig, not any(sum(counts) for _, counts in patterns.values()))


# --- HTML pieces ----------------------------------------------------------------------------

TABLE_COLUMNS = ("#", "Date", "Time", "Muscle group", "Side", "Duration (min)",
                 "Intensity (0-10)", "When", "Possible triggers", "Relieved by", "Also noticed",
                 "Notes")


def _labels(field: str, ids: tuple[str, ...]) -> str:
    return "; ".join(diary.options().label(field, i) for i in ids)


def entries_table_html(episodes: tuple[Episode, ...]) -> str:
    if not episodes:
        return ("<p>No entries yet: fill in the form above and press <em>Add episode</em>, or load "
                "the sample diary.</p>")
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in TABLE_COLUMNS)
    rows = []
    for n, e in enumerate(episodes, start=1):
        cells = (n, e.date.isoformat(), f"{e.time:%H:%M}", diary.short_label("muscle_group", e.muscle_group),
                 e.side, f"{e.duration_min:g}", e.intensity, diary.options().label("context", e.context),
                 _labels("triggers", e.triggers), _labels("relieved_by", e.relieved_by),
                 _labels("also_noticed", e.also_noticed), e.notes)
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    return ('<div class="kcl-table-wrap" tabindex="0" role="region" aria-label="Diary entries">'
            f"<table><caption>Your diary: {len(episodes)} entr{'y' if len(episodes) == 1 else 'ies'}, "
            f"oldest first</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
            "</table></div>")


LEVEL_TAGS = {"urgent": "\u26a0 urgent", "see_doctor": "\u2691 see a doctor"}


def red_flags_html(flags: list[diary.RedFlag]) -> str:
    title = html.escape(diary.red_flag_checklist().title)
    if not flags:
        body = (f"<p>None of the entries matches a red flag on the checklist "
                f"\u201c{title}\u201d.</p>")
    else:
        items = "".join(
            f'<li class="kcl-flag kcl-{f.level}"><strong>{LEVEL_TAGS[f.level]}:</strong> '
            f"{html.escape(f.wording)}.<br><small>Diary: {html.escape(f.because)}.</small></li>"
            for f in flags)
        body = (f"<p>The entries match these signs on the checklist \u201c{title}\u201d "
                f'(wording from the checklist):</p><ul class="kcl-flags">{items}</ul>')
    return (body + "<p><small>This panel compares entries with the checklist's wording; it cannot "
            "tell what is wrong or whether anything is. Only a clinician can.</small></p>")


# --- the diary widget -----------------------------------------------------------------------

class DiaryWidget(ipw.VBox):
    """The whole diary: form, entries, patterns, red flags, summary, files; kept in the browser."""

    def __init__(self, store: BrowserStore | None = None,
                 clock: Callable[[], dt.datetime] = dt.datetime.now):
        self.clock = clock
        self.diary = Diary()
        self._editing: Episode | None = None
        self._undo: tuple[str, Diary] | None = None
        self._save_allowed = True
        self.store = store or BrowserStore(STORE_KEY)
        self.store.upload_label = "Import a diary file (.csv or .json)"
        self.store.upload_accept = ".csv,.json,text/csv,application/json"
        self._build_controls()
        self._wire()
        super().__init__(self._layout())
        self.add_class("kcl-diary")
        self._show()

    def _repr_mimebundle_(self, **kwargs):
        # The figure sits in a box: send its current state, or Voila shows it empty.
        sync_for_display(self.figure)
        return super()._repr_mimebundle_(**kwargs)

    # --- construction ---------------------------------------------------------------------

    def _build_controls(self) -> None:
        self.form = EpisodeForm(self.clock().date())
        self.form_status = Message()
        self.add_button = _button("Add episode", button_style="primary",
                                  tooltip="Check the form and add this episode to the diary")
        self.cancel_button = _button("Cancel editing", tooltip="Leave the entry as it was")
        self.clear_form_button = _button("Clear the form", tooltip="Empty every field")
        self.cancel_button.layout.display = "none"
        self.entries = ipw.HTML()
        self.entry_picker = ipw.Dropdown(description="Entry", options=[], layout=ipw.Layout(width="44em"))
        self.edit_button = _button("Edit", tooltip="Put this entry into the form to change it")
        self.delete_button = _button("Delete", button_style="warning",
                                     tooltip="Delete this entry (Undo brings it back)")
        self.undo_button = _button("Undo")
        self.undo_button.layout.display = "none"
        self.entries_message = Message()
        self.figure = _patterns_figure()
        self.bars = dict(zip(PANELS, self.figure.data))
        self.patterns_id = new_id("kcl-patterns")
        self.labelled_figure = labelled(self.figure, self.patterns_id)
        self.pattern_lines = ipw.HTML()
        self.pattern_texts: dict[str, str] = {}
        self.red_flag_panel = ipw.HTML()
        self.summary = ipw.HTML()
        self.summary_text = ""
        self.summary_button = _button("Download the summary (.txt)", icon="download")
        self.csv_button = _button("Export CSV", icon="download")
        self.json_button = _button("Export JSON", icon="download")
        self.files_message = Message()
        self.sample_button = _button("Load the sample diary (fictional)",
                                     tooltip="For teaching: 23 made-up entries")
        self.clear_all_button = _button("Clear all entries", button_style="danger",
                                        tooltip="Delete every entry (Undo brings them back)")

    def _wire(self) -> None:
        form_guard = guarded(self.form_status)
        entries_guard = guarded(self.entries_message)
        files_guard = guarded(self.files_message)
        self.add_button.on_click(form_guard(lambda _b: self.submit()))
        self.cancel_button.on_click(form_guard(lambda _b: self.cancel_edit()))
        self.clear_form_button.on_click(form_guard(lambda _b: self.form.clear(self.clock().date())))
        self.edit_button.on_click(entries_guard(lambda _b: self.start_edit(self._picked())))
        self.delete_button.on_click(entries_guard(lambda _b: self.delete(self._picked())))
        self.undo_button.on_click(entries_guard(lambda _b: self.undo()))
        self.summary_button.on_click(files_guard(lambda _b: self.download_summary()))
        self.csv_button.on_click(files_guard(lambda _b: self.export("csv")))
        self.json_button.on_click(files_guard(lambda _b: self.export("json")))
        self.sample_button.on_click(entries_guard(lambda _b: self.load_sample()))
        self.clear_all_button.on_click(entries_guard(lambda _b: self.clear_all()))
        self.store.on_upload(files_guard(self.import_file))
        self.store.on_restore(entries_guard(self.restore))

    def _layout(self) -> list[ipw.Widget]:
        def heading(text: str) -> ipw.HTML:
            return ipw.HTML(f"<h3>{html.escape(text)}</h3>")

        return [
            ipw.HTML(_CSS + "<p>Entries stay in this browser only: nothing is sent to a server, "
                     "and another browser or computer sees none of them.</p>"),
            heading("Add an episode"),
            self.form,
            ipw.HBox([self.add_button, self.cancel_button, self.clear_form_button]),
            self.form_status,
            heading("Your entries"),
            self.entries,
            ipw.HBox([self.entry_picker, self.edit_button, self.delete_button, self.undo_button]),
            ipw.HBox([self.sample_button, self.clear_all_button]),
            self.entries_message,
            heading("Patterns"),
            self.pattern_lines,
            self.labelled_figure.box,
            heading("Red flags"),
            self.red_flag_panel,
            heading("Bring this to your appointment"),
            self.summary,
            heading("Export and import"),
            ipw.HBox([self.summary_button, self.csv_button, self.json_button]),
            self.store,
            self.files_message,
        ]

    # --- actions (public, so tests and notebooks can drive them) ----------------------------

    def submit(self) -> None:
        """Add the form's episode (or save the edited one); field problems go beside the fields."""
        try:
            episode = diary.new_episode(self.form.values(), now=self.clock())
        except EntryError as exc:
            self.form.show_problems(exc.problems)
            self.form_status.show("Not saved: correct the fields marked above. "
                                  "Your diary has not changed.")
            return
        if self._editing is None:
            self._change(self.diary.add(episode), f"Added: {episode.describe()}.", self.form_status)
        else:
            index = self._index_of(self._editing)
            self._change(self.diary.replace(index, episode), f"Saved: {episode.describe()}.",
                         self.form_status)
            self._stop_editing()
        self.form.clear(self.clock().date())

    def start_edit(self, index: int) -> None:
        self._editing = self.diary.episodes[index]
        self.form.fill(self._editing)
        self.add_button.description = "Save changes"
        self.cancel_button.layout.display = None
        self.form_status.show(f"Editing entry {index + 1}: change the fields, then Save changes.",
                              "info")

    def cancel_edit(self) -> None:
        self._stop_editing()
        self.form.clear(self.clock().date())
        self.form_status.show("Editing cancelled; the entry is unchanged.", "info")

    def delete(self, index: int) -> None:
        gone = self.diary.episodes[index]
        if gone == self._editing:
            self.cancel_edit()
        self._change(self.diary.remove(index), f"Deleted: {gone.describe()}.", self.entries_message,
                     undo="delete")

    def clear_all(self) -> None:
        if not self.diary.episodes:
            raise ValueError("The diary is already empty.")
        self._save_allowed = True      # an unreadable stored diary may now be replaced
        self._change(Diary(), f"Deleted all {len(self.diary)} entries.", self.entries_message,
                     undo="clear all")

    def undo(self) -> None:
        if self._undo is None:
            raise ValueError("There is nothing to undo.")
        what, before = self._undo
        self._change(before, f"Undone: {what}.", self.entries_message)

    def load_sample(self) -> None:
        if self.diary.episodes:
            raise ValueError(f"Your diary has {len(self.diary)} entries; the sample would mix with "
                             "them. Export your diary first if you want to keep it, then press "
                             "'Clear all entries' and load the sample.")
        self._change(diary.sample_diary(), "Loaded the sample diary: 23 fictional entries made up "
                     "for teaching, not a real person's record.", self.entries_message)

    def import_file(self, filename: str, text: str) -> None:
        """A file picked in the browser: all its episodes are added, or none (message beside it)."""
        try:
            merged = self.diary.with_import(filename, text, now=self.clock())
        except ImportRefused as exc:
            self.store.upload_error = str(exc)
            self.files_message.clear()
            return
        self.store.upload_error = ""
        added = len(merged) - len(self.diary)
        self._change(merged, f"Imported {added} new episode{'' if added == 1 else 's'} from "
                     f"\u201c{filename}\u201d (episodes already in the diary are skipped).",
                     self.files_message)

    def export(self, kind: str) -> None:
        if not self.diary.episodes:
            raise ValueError("The diary is empty: there is nothing to export yet.")
        if kind == "csv":
            self.store.download("cramp_diary.csv", diary.to_csv(self.diary.episodes), "text/csv")
        else:
            self.store.download("cramp_diary.json", diary.to_json(self.diary.episodes),
                                "application/json")
        self.files_message.show(f"Exported {len(self.diary)} entries as cramp_diary.{kind} "
                                "(see your browser's downloads).", "success")

    def download_summary(self) -> None:
        self.store.download("cramp_diary_summary.txt", self.summary_text, "text/plain")
        self.files_message.show("Saved cramp_diary_summary.txt (see your browser's downloads).",
                                "success")

    def restore(self, state: dict) -> None:
        """The diary kept in this browser; anything added before it arrived is kept too."""
        if not state.get("episodes"):
            self._save()
            return
        try:
            stored = diary.from_document(state, now=self.clock())
        except ImportRefused as exc:
            self._save_allowed = False
            self.entries_message.show(
                f"The diary saved in this browser could not be read ({exc}) It is left unchanged "
                "in the browser; changes made now are not saved until you press 'Clear all "
                "entries'.", "warning")
            return
        self.diary = self.diary.merged(stored)
        self._save()
        self._show()

    # --- internals ------------------------------------------------------------------------

    def _change(self, new: Diary, done: str, where: Message, undo: str | None = None) -> None:
        self._undo = (undo, self.diary) if undo else None
        self.diary = new
        self._save()
        self._show()
        where.show(done, "success")

    def _save(self) -> None:
        if self.store.loaded and self._save_allowed:
            self.store.save(diary.to_document(self.diary.episodes))

    def _picked(self) -> int:
        if self.entry_picker.value is None:
            raise ValueError("There are no entries yet: add one with the form above.")
        return self.entry_picker.value

    def _index_of(self, episode: Episode) -> int:
        try:
            return self.diary.episodes.index(episode)
        except ValueError:
            self._stop_editing()
            raise ValueError("The entry being edited is no longer in the diary; "
                             "add it again as a new episode.") from None

    def _stop_editing(self) -> None:
        self._editing = None
        self.add_button.description = "Add episode"
        self.cancel_button.layout.display = "none"

    def _show(self) -> None:
        """Redraw everything that depends on the entries (the figure is updated in place)."""
        episodes = self.diary.episodes
        self.entries.value = entries_table_html(episodes)
        picked = self.entry_picker.value
        self.entry_picker.options = [(f"{n}. {e.describe()}", n - 1)
                                     for n, e in enumerate(episodes, start=1)]
        if episodes:    # keep the choice where it was (or the last entry), never "nothing"
            self.entry_picker.value = min(picked if picked is not None else 0, len(episodes) - 1)
        for control in (self.entry_picker, self.edit_button, self.delete_button,
                        self.clear_all_button):
            control.disabled = not episodes     # nothing to act on
        self.undo_button.description = f"Undo {self._undo[0]}" if self._undo else "Undo"
        self.undo_button.layout.display = None if self._undo else "none"
        self.pattern_texts = diary.pattern_summaries(episodes)
        _update_patterns(self.figure, self.bars, _pattern_data(episodes, self.clock().date()))
        lines = "".join(f"<li><strong>{html.escape(PANELS[name][0])}:</strong> "
                        f"{html.escape(text)}</li>" for name, text in self.pattern_texts.items())
        self.pattern_lines.value = (f'<div role="status" id="{self.patterns_id}">'
                                    f'<ul class="kcl-pattern-lines">{lines}</ul></div>')
        self.labelled_figure.refresh()
        summary = diary.appointment_summary(self.diary)
        self.red_flag_panel.value = red_flags_html(summary.red_flags)
        self.summary_text = diary.summary_text(summary)
        self.summary.value = (f'<pre class="kcl-summary" tabindex="0" aria-label="Appointment summary">'
                              f"{html.escape(self.summary_text)}</pre>")


def show_diary() -> None:
    """Display the cramp diary (kept in this browser under knee-cramp-lab/08_cramp_diary/diary)."""
    display(DiaryWidget())
