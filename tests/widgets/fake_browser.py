"""Play the browser's part for widgets that keep learner state in the browser.

The front end of `BrowserStore` sends {"type": "restore", ...} when its view renders and
{"type": "upload", ...} when the learner picks a file; `RecordingStore` remembers the messages
Python sends to the browser (downloads) instead of needing a real front end.
"""
from __future__ import annotations

from widgets.learner_state import BrowserStore


class RecordingStore(BrowserStore):
    """A BrowserStore that records what it sends to the browser."""

    def __init__(self, key: str, **kwargs):
        super().__init__(key, **kwargs)
        self.sent: list[dict] = []

    def send(self, content, buffers=None):  # noqa: D401 - same signature as Widget.send
        self.sent.append(content)

    @property
    def downloads(self) -> list[dict]:
        return [m for m in self.sent if m.get("type") == "download"]


def browser_restores(store: BrowserStore, state: dict | None = None, available: bool = True) -> None:
    """The view rendered and read localStorage (None or {}: nothing was stored)."""
    store._on_front_end_message(store, {"type": "restore", "state": state, "available": available})


def browser_uploads(store: BrowserStore, filename: str, text: str) -> None:
    """The learner picked a file; its text reaches the kernel."""
    store._on_front_end_message(store, {"type": "upload", "filename": filename, "text": text})
