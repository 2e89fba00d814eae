"""Shared pieces of every notebook's text: references, evidence badges, the disclaimer."""
from __future__ import annotations

import html

from IPython.display import HTML

from physiology import data
from widgets.citations import anchor, cite_html, cited_by_widgets, short_citation
from widgets.theme import PALETTE, evidence_colour

# how a checklist item (or a risk factor's related item) that needs a clinician is tagged
RED_FLAG_TAGS = {"see_doctor": "\u2691 see a doctor", "urgent": "\u26a0 urgent"}

EVIDENCE_MEANING = {
    "strong": "guideline, systematic review or textbook physiology",
    "moderate": "controlled studies or cohorts",
    "weak": "small or observational studies",
    "expert-opinion": "expert opinion or reasoning from mechanism",
    "lacking": "no study in the project's sources tests it",
}

DISCLAIMER = (
    "Knee Cramp Lab is for education. It explains how muscles, nerves and electrolytes work; "
    "it does not diagnose any condition, assess any person's risk or recommend a treatment. "
    "If you have cramps that worry you, that last a long time, keep coming back, or come with "
    "numbness, swelling, weakness or skin changes, talk to a doctor, nurse or pharmacist."
)


def evidence_badge(level: str) -> str:
    """An inline HTML badge: 'moderate evidence' in its palette colour, with its meaning."""
    meaning = EVIDENCE_MEANING[level]
    border = "dashed" if level == "lacking" else "solid"
    text = "no evidence" if level == "lacking" else f"{level} evidence"
    return (
        f'<span class="kcl-evidence" title="{html.escape(meaning)}" '
        f'style="border:2px {border} {evidence_colour(level)}; border-radius:9px; padding:0 0.45em; '
        f'font-size:0.85em; white-space:nowrap;">{html.escape(text)}</span>'
    )


def show_evidence_levels() -> HTML:
    """The evidence badges a lesson uses, side by side, each with what it means on hover."""
    return HTML(" &nbsp; ".join(evidence_badge(level) for level in EVIDENCE_MEANING
                                if level != "lacking"))


def reference_list_html(ids: tuple[str, ...] | list[str]) -> str:
    refs = data.references()
    unknown = [i for i in ids if i not in refs]
    if unknown:
        raise KeyError(f"Unknown reference id(s): {', '.join(unknown)} (see data/references.yaml)")
    items = []
    for ref_id in ids:
        ref = refs[ref_id]
        flag = " <em>(attribution still to be checked against the original)</em>" if ref.verify else ""
        items.append(
            f'<li id="{anchor(ref.id)}"><strong>{html.escape(short_citation(ref.id))}.</strong> '
            f"{html.escape(ref.citation)}{flag} "
            f"{evidence_badge(ref.evidence_level)}</li>"
        )
    return '<ol class="kcl-references">' + "".join(items) + "</ol>"


def show_references(*ids: str) -> HTML:
    """Render the full citations for the ids a notebook cites with [@id], and for every source
    the lesson's widgets have cited so far (their links point at these entries)."""
    ids = tuple(dict.fromkeys([*ids, *cited_by_widgets()]))
    return HTML(
        reference_list_html(ids)
        + "<p><small>Evidence levels: "
        + "; ".join(f"<strong>{k}</strong>: {v}" for k, v in EVIDENCE_MEANING.items() if k != "lacking")
        + ". A source's badge shows the strongest level it supports in this collection.</small></p>"
    )


def show_disclaimer() -> HTML:
    return HTML(
        f'<div class="kcl-disclaimer" role="note" style="border:2px solid {PALETTE["blue"]}; '
        'border-radius:4px; padding:0.6em 0.9em; margin:0.8em 0;">'
        f"<strong>Educational use only.</strong> {html.escape(DISCLAIMER)}</div>"
    )


def show_fact(fact_id: str) -> HTML:
    """One fact from data/facts.yaml as a short cited sentence with its evidence level."""
    fact = data.fact(fact_id)
    value = "" if fact.value is None or fact.verify else f" ({html.escape(fact.value)})"
    cites = cite_html(f"[{fact.id}]")
    return HTML(
        f'<p class="kcl-fact">{html.escape(fact.claim)}{value} <small>{cites}</small> '
        f"{evidence_badge(fact.evidence_level)}</p>"
    )
