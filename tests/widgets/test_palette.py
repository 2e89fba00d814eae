"""Every colour in a widget module comes from widgets.theme (PALETTE, ROLE_COLOURS, INK)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from widgets.theme import INK, PALETTE, css, translucent

WIDGETS = Path(__file__).resolve().parents[2] / "widgets"
RAW_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|rgba?\(\s*\d")
THE_PALETTE = {"theme.py"}   # the one place colours are written as hex


@pytest.mark.parametrize("module", sorted(p.name for p in WIDGETS.glob("*.py")
                                          if p.name not in THE_PALETTE))
def test_no_raw_colour_in_a_widget_module(module):
    text = (WIDGETS / module).read_text(encoding="utf-8")
    found = [(text.count("\n", 0, m.start()) + 1, m.group(0)) for m in RAW_COLOUR.finditer(text)]
    assert not found, f"widgets/{module}: raw colours at lines {found}; use widgets.theme"


def test_css_and_translucent_take_palette_names():
    assert css("a { color: $orange; border: 1px solid $rule; }") == \
        f"a {{ color: {PALETTE['orange']}; border: 1px solid {INK['rule']}; }}"
    assert translucent(PALETTE["vermillion"], 0.15) == "rgba(213, 94, 0, 0.15)"
    with pytest.raises(KeyError):
        css("color: $not_a_colour")
