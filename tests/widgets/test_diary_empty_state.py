"""An empty diary says what to do: no axes ticked with nonsense, nothing to edit or delete."""
from __future__ import annotations

import datetime as dt

from tests.widgets.fake_browser import RecordingStore, browser_restores
from widgets.diary import EMPTY_PATTERNS, DiaryWidget

NOW = dt.datetime(2024, 5, 1, 9, 0)


def _widget() -> DiaryWidget:
    w = DiaryWidget(store=RecordingStore("test/diary"), clock=lambda: NOW)
    browser_restores(w.store)
    return w


def test_an_empty_diary_draws_no_axes_but_says_what_to_do():
    w = _widget()
    layout = w.figure.layout
    assert layout.xaxis.visible is False and layout.yaxis.visible is False
    prompt = layout.annotations[-1]
    assert prompt.visible is True and prompt.text == EMPTY_PATTERNS
    assert all(a.visible is False for a in layout.annotations[:-1])   # no panel titles either
    assert layout.height < 300
    assert "Add episode" in w.entries.value


def test_nothing_to_edit_or_delete_until_there_is_an_entry():
    w = _widget()
    assert w.edit_button.disabled and w.delete_button.disabled and w.entry_picker.disabled
    assert w.clear_all_button.disabled
    w.load_sample()
    assert not (w.edit_button.disabled or w.delete_button.disabled or w.entry_picker.disabled)
    layout = w.figure.layout
    assert layout.xaxis.visible is True and layout.annotations[-1].visible is False
    assert layout.height > 1000                                       # every panel drawn
    w.clear_all()
    assert w.edit_button.disabled and w.figure.layout.annotations[-1].visible is True


def test_the_patterns_figure_is_described_by_the_pattern_lines():
    w = _widget()
    assert f'id="{w.patterns_id}"' in w.pattern_lines.value
    assert w.labelled_figure.label.described_by == w.patterns_id
    assert w.labelled_figure.label.label.startswith("Patterns in the diary")
