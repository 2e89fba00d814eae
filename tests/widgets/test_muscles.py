"""The knee-muscle explorer: the drawing is named and described, sources are names, not keys."""
from __future__ import annotations

import re

from widgets.muscles import explore_knee_muscles


def test_the_drawing_is_described_by_the_panel_of_the_chosen_group():
    explorer = explore_knee_muscles(selected="calf")
    label = explorer.widget.box.children[1].children[0].children[0]   # the FigureLabel
    assert label.label == "Muscles that cross the knee (side view, facing right)"
    assert f'id="{label.described_by}"' in explorer.panel.value
    explorer.select("hamstrings")
    assert "Hamstrings" in explorer.panel.value and f'id="{label.described_by}"' in explorer.panel.value


def test_sources_are_linked_names_not_keys():
    explorer = explore_knee_muscles(selected="calf")
    sources = explorer.panel.value.split("Sources:")[1]
    assert re.search(r'<a href="#ref-[a-z0-9_]+">[A-Z]', sources)
    text = re.sub(r"<[^>]+>", "", explorer.panel.value)            # what a learner reads
    assert not re.search(r"\[[a-z0-9_, ]+\]", text), "a citation key on the page"
