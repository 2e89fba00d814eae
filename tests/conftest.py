"""Collection rules for the whole suite."""
from __future__ import annotations

from pathlib import Path

import pytest

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ drives Chromium: mark it `browser`, so
    `./run test -m "not browser"` runs the fast suite without starting a browser or a server."""
    for item in items:
        if BROWSER_TESTS in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
