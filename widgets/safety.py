"""Keep errors off the page: a message area beside a control, and a guard for callbacks.

A widget callback that raises would print a traceback into the output area (and, in Voila,
onto a student's page). `guarded` turns any exception into a short message in a `Message`
widget instead, and logs the details for the developer.
"""
from __future__ import annotations

import functools
import html
import logging
from typing import Callable

import ipywidgets as ipw

from widgets.theme import css

log = logging.getLogger("knee_cramp_lab")

_STYLES = {k: css(v) for k, v in {
    "error": "background:$error_bg; border-left:4px solid $vermillion; color:$error_text;",
    "warning": "background:$warning_bg; border-left:4px solid $orange; color:$warning_text;",
    "info": "background:$info_bg; border-left:4px solid $blue; color:$info_text;",
    "success": "background:$success_bg; border-left:4px solid $bluish_green; color:$success_text;",
}.items()}


class Message(ipw.HTML):
    """A message area shown beside a control; empty (and invisible) until something is said."""

    def show(self, text: str, kind: str = "error") -> None:
        role = "alert" if kind == "error" else "status"
        self.value = (
            f'<div role="{role}" class="kcl-message kcl-{kind}" '
            f'style="{_STYLES[kind]} padding:0.35em 0.6em; margin:0.2em 0; border-radius:3px;">'
            f"{html.escape(text)}</div>"
        )

    def clear(self) -> None:
        self.value = ""

    @property
    def text(self) -> str:
        """The plain text now shown (for tests)."""
        import re
        return html.unescape(re.sub(r"<[^>]+>", "", self.value)).strip()


def guarded(message: Message, friendly: str = "Something went wrong with that change.") -> Callable:
    """Decorator: run the callback; on error show a clear message instead of a traceback.

    ValueError and KeyError messages are written for learners (bad input), so they are shown
    as they are; anything else is a bug, shown as `friendly` and logged in full.
    """

    def wrap(func: Callable) -> Callable:
        @functools.wraps(func)
        def inner(*args, **kwargs):
            try:
                result = func(*args, **kwargs)
            except (ValueError, KeyError) as exc:
                message.show(_learner_text(exc))
                return None
            except Exception:  # noqa: BLE001 - nothing may reach the page
                log.exception("widget callback %s failed", func.__name__)
                message.show(friendly + " The page still works; try another value or press Reset.")
                return None
            return result

        return inner

    return wrap


def _learner_text(exc: Exception) -> str:
    text = exc.args[0] if exc.args else str(exc)
    return str(text)
