"""CSS shared by the quiz and the checklist: long labels that wrap, and a visible focus ring.

ipywidgets gives a Checkbox a fixed height and one line of text, so a sentence-long label
overlaps the next item; these rules let it wrap. The orange focus ring (Okabe-Ito orange)
shows keyboard users where they are.
"""
from __future__ import annotations

from widgets.theme import PALETTE


def form_css(scope: str) -> str:
    """A <style> block for the widgets inside the element with class `scope`."""
    s = f".{scope}"
    return f"""<style>
{s} .widget-checkbox {{ width: auto; height: auto; }}
{s} .widget-checkbox label, {s} .widget-checkbox span, {s} .widget-radio-box label {{
  white-space: normal; overflow: visible; height: auto; line-height: 1.35; }}
{s} .widget-radio-box label {{ margin: 0.15em 0; }}
{s} .widget-radio-box {{ height: auto; }}
{s} input[type=checkbox] {{ width: 1.1em; height: 1.1em; flex-shrink: 0; }}
{s} input:focus-visible, {s} button:focus-visible, {s} summary:focus-visible {{
  outline: 3px solid {PALETTE['orange']}; outline-offset: 2px; }}
</style>"""
