"""Interactive checklist from data/checklists/<checklist_id>.yaml.

Grouped items, each with a "Why?" that opens on click (the explanation, its sources as short
citations and its evidence level), progress ("5 of 8 done"), Reset, export and import of the
ticks as a JSON file, and - when a red-flag item is ticked - a clearly visible message to seek
medical advice (urgent wording for urgent items). Ticks are kept in the learner's own browser
(widgets.learner_state), so they survive a reload and a kernel restart and are never shared.

    show_checklist("when_to_see_a_doctor", notebook="07_prevention_and_relief")
"""
from __future__ import annotations

import html
import json
import re
from typing import Literal

import ipywidgets as ipw
from IPython.display import display
from pydantic import ValidationError

from physiology import data
from physiology.data import ChecklistFile, ChecklistItem, Strict
from widgets.citations import sources_html
from widgets.content import RED_FLAG_TAGS, evidence_badge
from widgets.form_css import form_css
from widgets.learner_state import BrowserStore
from widgets.safety import Message, guarded
from widgets.theme import css

STATE_KIND = "knee-cramp-lab/checklist"
STATE_VERSION = 1

RED_FLAG_HEADINGS = {"see_doctor": "Talk to a doctor", "urgent": "Urgent"}

_CSS = css("""<style>
.kcl-checklist { max-width: 52em; }
.kcl-checklist h4 { margin: 0.8em 0 0.2em 0; }
.kcl-checklist .kcl-item { margin: 0.1em 0 0.3em 0; }
.kcl-checklist .kcl-item .widget-html { margin-top: 0; margin-bottom: 0; }
.kcl-checklist .kcl-item .widget-html-content { line-height: 1.4; }
.kcl-why { margin-left: 1.9em; font-size: 0.93em; }
.kcl-why summary { cursor: pointer; color: $link; width: fit-content; line-height: 1.6; }
.kcl-why summary .kcl-tag, .kcl-why summary .kcl-evidence { color: $text; margin-left: 0.3em; }
.kcl-why p { margin: 0.2em 0; }
.kcl-tag { font-size: 0.85em; border: 2px solid $vermillion; border-radius: 9px; padding: 0 0.45em;
  white-space: nowrap; }
.kcl-redflag { border: 3px solid $vermillion; border-radius: 4px; padding: 0.6em 0.9em; margin: 0.6em 0;
  font-size: 1.08em; }
.kcl-redflag.kcl-urgent { background: $error_bg; color: $urgent_text; }
.kcl-redflag.kcl-see_doctor { background: $warning_bg; color: $see_doctor_text; border-color: $orange; }
.kcl-redflag ul { margin: 0.3em 0 0 1.2em; padding: 0; }
.kcl-progress progress { width: 12em; vertical-align: middle; margin-left: 0.6em; }
</style>""")


class SavedChecklist(Strict):
    """The JSON kept in the browser and written by Export: which items of which checklist."""

    kind: Literal["knee-cramp-lab/checklist"]
    version: Literal[1]
    checklist: str
    ticked: list[str]
    exported: str = ""


# --- import validation (pure: every refusal is a sentence a learner can act on) -------------

def parse_saved(text: str, checklist: ChecklistFile, filename: str = "the file") -> list[str]:
    """The ticked item ids in an exported file; ValueError with a clear reason otherwise."""
    name = f"\u201c{filename}\u201d"
    unchanged = " Nothing was changed."
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValueError(f"{name} is not a saved checklist: it is not valid JSON.{unchanged}") from None
    try:
        saved = SavedChecklist.model_validate(raw)
    except ValidationError:
        raise ValueError(
            f"{name} is not a Knee Cramp Lab checklist file (it needs \u201ckind\u201d: "
            f"\u201c{STATE_KIND}\u201d, \u201cchecklist\u201d and a \u201cticked\u201d list).{unchanged}"
        ) from None
    if saved.checklist != checklist.id:
        raise ValueError(f"{name} holds ticks for the checklist \u201c{saved.checklist}\u201d, "
                         f"not \u201c{checklist.id}\u201d.{unchanged}")
    known = {item.id for item in checklist.items}
    unknown = [i for i in saved.ticked if i not in known]
    if unknown:
        shown = ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else "")
        raise ValueError(f"{name} names items this checklist does not have ({shown}).{unchanged}")
    return [item.id for item in checklist.items if item.id in set(saved.ticked)]


# --- the widget ---------------------------------------------------------------------------

class Checklist(ipw.VBox):
    """A checklist file as ticks, progress, red-flag alerts, reset, export and import."""

    def __init__(self, checklist_id: str, notebook: str = "shared", store: BrowserStore | None = None):
        self.spec: ChecklistFile = data.checklist(checklist_id)
        self.store = store or BrowserStore(f"{notebook}/{checklist_id}",
                                           upload_label="Import ticks (JSON file)")
        self._restoring = False
        self.message = Message()
        self.checkboxes: dict[str, ipw.Checkbox] = {}
        self.progress = ipw.HTML()
        self.alert = ipw.HTML()
        self.reset_button = ipw.Button(description="Reset", icon="undo",
                                       tooltip="Untick every item of this checklist")
        self.export_button = ipw.Button(description="Export ticks (JSON file)", icon="download",
                                        tooltip="Save your ticks as a file in your downloads",
                                        layout=ipw.Layout(width="auto"))
        self.reset_button.on_click(guarded(self.message)(lambda _b: self.reset()))
        self.export_button.on_click(guarded(self.message)(lambda _b: self.export()))
        self.store.on_upload(guarded(self.message)(self.import_text))

        header = ipw.HTML(f"{_CSS}{form_css('kcl-checklist')}<h3>{html.escape(self.spec.title)}</h3>"
                          + (f"<p>{html.escape(self.spec.intro)}</p>" if self.spec.intro else ""))
        groups = [self._group(g.title, g.items) for g in self.spec.groups]
        # Import messages (and the store's own refusal of an oversized file) sit beside the controls.
        actions = ipw.HBox([self.reset_button, self.export_button, self.store, self.message],
                           layout=ipw.Layout(gap="0.6em", align_items="center", flex_flow="row wrap"))
        super().__init__([header, *groups, self.alert, self.progress, actions])
        self.add_class("kcl-checklist")
        self._show_progress_and_alerts()
        self.store.on_restore(guarded(self.message)(self._restore))

    def _group(self, title: str, items: list[ChecklistItem]) -> ipw.VBox:
        return ipw.VBox([ipw.HTML(f"<h4>{html.escape(title)}</h4>"), *map(self._item, items)])

    def _item(self, item: ChecklistItem) -> ipw.VBox:
        box = ipw.Checkbox(value=False, description=item.label, indent=False,
                           layout=ipw.Layout(width="auto"))
        box.observe(guarded(self.message)(lambda _c: self._changed()), "value")
        self.checkboxes[item.id] = box
        tags = []
        if item.red_flag != "none":
            tags.append(f'<span class="kcl-tag">{RED_FLAG_TAGS[item.red_flag]}</span>')
        if item.evidence_level:
            tags.append(evidence_badge(item.evidence_level))
        if item.why or item.refs:
            sources = f"<p><small>Sources: {sources_html(item.refs)}</small></p>" if item.refs else ""
            extra_html = (f'<details class="kcl-why"><summary>Why? {" ".join(tags)}</summary>'
                          f"<p>{html.escape(item.why)}</p>{sources}</details>")
        else:
            extra_html = f'<div class="kcl-why">{" ".join(tags)}</div>'
        extra = ipw.HTML(extra_html)
        row = ipw.VBox([box, extra])
        row.add_class("kcl-item")
        return row

    # --- what a notebook or a test reads and calls --------------------------------------

    @property
    def ticked(self) -> list[str]:
        """Ids of the ticked items, in the order of the file."""
        return [item_id for item_id, box in self.checkboxes.items() if box.value]

    @property
    def progress_text(self) -> str:
        return f"{len(self.ticked)} of {len(self.checkboxes)} done"

    @property
    def alert_text(self) -> str:
        """The red-flag message now shown, as plain text ('' when none)."""
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", self.alert.value)).split())

    def set_ticked(self, item_ids: list[str]) -> None:
        unknown = [i for i in item_ids if i not in self.checkboxes]
        if unknown:
            raise KeyError(f"No item(s) {', '.join(unknown)} in checklist '{self.spec.id}'")
        self._apply(set(item_ids))
        self._changed()

    def reset(self) -> None:
        """Untick everything (export first to keep a copy)."""
        self._apply(set())
        self.message.clear()
        self._changed()

    def saved_state(self) -> dict:
        return {"kind": STATE_KIND, "version": STATE_VERSION, "checklist": self.spec.id,
                "ticked": self.ticked}

    def export_text(self) -> str:
        return json.dumps(self.saved_state(), indent=2)

    def export(self) -> None:
        """The browser downloads the ticks as <checklist_id>.json."""
        self.store.download(f"{self.spec.id}.json", self.export_text(), "application/json")
        self.message.show(f"Saved {self.progress_text} as {self.spec.id}.json in your downloads.",
                          kind="success")

    def import_text(self, filename: str, text: str) -> None:
        """Apply an exported file's ticks; a bad file raises ValueError and changes nothing."""
        ticked = parse_saved(text, self.spec, filename)
        self._apply(set(ticked))
        self._changed()
        self.message.show(f"Imported {len(ticked)} ticked item(s) from \u201c{filename}\u201d.",
                          kind="success")

    # --- internals -------------------------------------------------------------------------

    def _apply(self, ticked: set[str]) -> None:
        self._restoring = True
        try:
            for item_id, box in self.checkboxes.items():
                box.value = item_id in ticked
        finally:
            self._restoring = False

    def _restore(self, stored: dict) -> None:
        if not stored:
            return
        try:
            ticked = parse_saved(json.dumps(stored), self.spec, "this browser's saved copy")
        except ValueError:
            self.message.show("The ticks saved in this browser could not be read, so the "
                              "checklist starts empty.", kind="info")
            return
        self._apply(set(ticked))
        self._show_progress_and_alerts()

    def _changed(self) -> None:
        if self._restoring:
            return
        self._show_progress_and_alerts()
        if self.store.loaded:
            self.store.save(self.saved_state())

    def _show_progress_and_alerts(self) -> None:
        done, total = len(self.ticked), len(self.checkboxes)
        self.progress.value = (f'<p class="kcl-progress" role="status"><strong>{done} of {total} '
                               f'done</strong><progress value="{done}" max="{total}" '
                               f'aria-label="Checklist progress: {done} of {total} done"></progress></p>')
        self.alert.value = "".join(self._alert_block(level) for level in ("urgent", "see_doctor"))

    def _alert_block(self, level: str) -> str:
        items = [i for i in self.spec.items if i.red_flag == level and self.checkboxes[i.id].value]
        if not items:
            return ""
        ticked = "".join(f"<li>{html.escape(i.label)}</li>" for i in items)
        return (f'<div class="kcl-redflag kcl-{level}" role="alert">'
                f"<strong>{RED_FLAG_HEADINGS[level]}:</strong> {html.escape(self.spec.messages[level])}"
                f"<ul>{ticked}</ul></div>")


def show_checklist(checklist_id: str, notebook: str = "shared") -> None:
    """Display data/checklists/<checklist_id>.yaml; ticks are kept per notebook in this browser."""
    display(Checklist(checklist_id, notebook=notebook))
