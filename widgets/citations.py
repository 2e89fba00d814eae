"""Citations, one way everywhere: short "author year" names linked to the lesson's reference list.

    short_citation("lau2019")            -> "Lau et al. 2019"
    sources_html(["lau2019", "nhs"])     -> '<a href="#ref-lau2019">Lau et al. 2019</a>; <a ...>NHS...</a>'
    cite_html("Low Mg2+ [EL-12] ... [lau2019; nhs]")
                                         -> escaped text, each bracket a linked short citation
    markdown_citation(["lau2019"])       -> "([Lau et al. 2019](#ref-lau2019))"  (tools/render_citations.py)

Data files cite a reference by its id in brackets, `[lau2019]` or `[lau2019; nhs]`, and a fact of
data/facts.yaml by its id, `[EL-12]` (which stands for that fact's references). A learner never
sees an id: every citation is rendered as the short name, linked to `#ref-<id>`, the anchor that
`widgets.content.show_references` gives each entry of a lesson's reference list.

This module imports no widget library, so tools can use it.
"""
from __future__ import annotations

import html
import re
from typing import Iterable

from physiology import data

# --- short names ------------------------------------------------------------------------------

_NAME = r"(?:[a-z]+ )*[A-Z][A-Za-z'\-]+ [A-Z]{1,3}\b"
_AUTHORS = re.compile(rf"^({_NAME})((?:, {_NAME})*)(, et al)?")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_ID_YEAR = re.compile(r"((?:19|20)\d{2})[a-z]?$")
_FIRST_SENTENCE = re.compile(r"^(.+?[a-z]{2}\)?)\.\s")


def short_citation(ref_id: str) -> str:
    """'Katzberg 2015', 'Allen and Kirby 2012', 'Hallegraeff et al. 2012', 'NHS (UK). Leg cramps'."""
    citation = data.references()[ref_id].citation
    year_in_id = _ID_YEAR.search(ref_id)
    year_in_text = _YEAR.search(citation)
    year = year_in_id.group(1) if year_in_id else (year_in_text.group(0) if year_in_text else "")
    authors = _AUTHORS.match(citation)
    if authors:
        surnames = [n.rsplit(" ", 1)[0] for n in
                    [authors.group(1)] + [n for n in authors.group(2).split(", ") if n]]
        if len(surnames) > 2 or authors.group(3):
            name = f"{surnames[0]} et al."
        else:
            name = " and ".join(surnames)
    else:  # an organisation or an unusual citation: its first sentence, shortened
        text = re.sub(r"^\[[^\]]*\]\s*", "", citation)
        first = _FIRST_SENTENCE.match(text)
        name = _shorten(first.group(1) if first else text, 64)
    return f"{name} {year}" if year and year not in name else name


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "\u2026"


def anchor(ref_id: str) -> str:
    """The id of a reference's entry in a lesson's reference list."""
    return f"ref-{ref_id}"


# --- HTML (widgets) ------------------------------------------------------------------------------

# Every reference a widget has linked in this kernel (one kernel is one lesson page), in order:
# the lesson's reference list (widgets.content.show_references) lists them too, so that each
# link a widget shows has its entry to go to.
_CITED: dict[str, None] = {}


def cited_by_widgets() -> list[str]:
    return list(_CITED)


def sources_html(ref_ids: Iterable[str]) -> str:
    """Linked short citations, separated by semicolons."""
    ref_ids = list(ref_ids)
    _CITED.update(dict.fromkeys(ref_ids))
    return "; ".join(f'<a href="#{anchor(r)}">{html.escape(short_citation(r))}</a>'
                     for r in ref_ids)


_FACT_ID = data.FACT_ID
_REF_ID = r"[a-z][a-z0-9_]*"
_BRACKET = re.compile(rf"\[((?:{_FACT_ID}|{_REF_ID})(?:; ?(?:{_FACT_ID}|{_REF_ID}))*)\]")


def reference_ids(key: str) -> list[str]:
    """A reference id as itself; a fact id (`EL-12`) as the references of that fact."""
    if re.fullmatch(_FACT_ID, key):
        return list(data.fact(key).refs)
    return [key]


def cite_html(text: str) -> str:
    """Escape `text` and render each `[id; id]` (reference or fact ids) as linked short citations
    in parentheses. Brackets that hold no known id are left as they are."""
    refs = data.references()

    def render(match: re.Match) -> str:
        keys = [k.strip() for k in match.group(1).split(";")]
        try:
            ids = list(dict.fromkeys(i for k in keys for i in reference_ids(k)))
        except KeyError:
            return match.group(0)
        if not all(i in refs for i in ids):
            return match.group(0)
        return f"({sources_html(ids)})"

    return _BRACKET.sub(render, html.escape(text))


def cite_text(text: str) -> str:
    """The same as cite_html, as plain text: '(Lau et al. 2019; NHS 2023)' (no links)."""
    return html.unescape(re.sub(r"<[^>]+>", "", cite_html(text)))


# --- Markdown (the notebooks' text; see tools/render_citations.py) ---------------------------------

def markdown_citation(ref_ids: Iterable[str]) -> str:
    """'([Lau et al. 2019](#ref-lau2019); [Miller 2010](#ref-miller2010))'."""
    return "(" + "; ".join(f"[{short_citation(r)}](#{anchor(r)})" for r in ref_ids) + ")"
