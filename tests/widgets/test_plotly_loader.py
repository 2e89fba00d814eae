"""plotly.js as a static file: what a Figure sends, and the fallback through the widget state."""
from __future__ import annotations

import json

import pytest

from widgets import plotly_loader
from widgets.plotly_loader import NEED_BUNDLE, Figure


def test_a_figure_state_carries_a_small_module_not_plotly_js():
    state = Figure().get_state()
    assert len(state["_esm"]) < 5_000          # plotly's own _esm is about 5 MB
    assert state["_plotly_bundle"] == ""
    assert len(json.dumps(state, default=str)) < 50_000


def test_the_static_file_name_is_in_the_state_a_view_is_built_from(monkeypatch, tmp_path):
    # JupyterLab builds the view from the comm_open state: the name must be there, not arrive later.
    monkeypatch.setattr(plotly_loader, "ASSET_DIR", tmp_path)
    plotly_loader.install_bundle()
    name = Figure().get_state()["_plotly_file"]
    assert name == plotly_loader.bundle_file_name()
    assert (tmp_path / name).read_bytes() == plotly_loader.PLOTLY_BUNDLE.read_bytes()


def test_the_file_name_carries_the_version_and_content_hash():
    name = plotly_loader.bundle_file_name()
    import plotly
    assert name.startswith(f"plotly-{plotly.__version__}-") and name.endswith(".js")
    assert len(name.split("-")[-1]) == len("0123456789ab.js")


def test_install_replaces_an_older_bundle_and_is_idempotent(monkeypatch, tmp_path):
    monkeypatch.setattr(plotly_loader, "ASSET_DIR", tmp_path)
    (tmp_path / "plotly-6.0.0-aaaaaaaaaaaa.js").write_text("old")
    first = plotly_loader.install_bundle()
    second = plotly_loader.install_bundle()
    assert first == second and [p.name for p in tmp_path.iterdir()] == [first.name]


def test_without_the_static_file_the_name_is_empty(monkeypatch, tmp_path):
    monkeypatch.setattr(plotly_loader, "ASSET_DIR", tmp_path / "missing")
    assert Figure().get_state()["_plotly_file"] == ""


def test_a_page_that_cannot_fetch_the_file_gets_the_bundle_in_the_state():
    fig = Figure()
    fig._handle_custom_msg({"event": "something else"}, [])
    assert fig._plotly_bundle == ""
    fig._handle_custom_msg({"event": NEED_BUNDLE}, [])
    assert fig._plotly_bundle == plotly_loader.PLOTLY_BUNDLE.read_text()


@pytest.mark.parametrize("content", [None, "text", [NEED_BUNDLE]])
def test_odd_messages_are_ignored(content):
    fig = Figure()
    fig._handle_custom_msg(content, [])
    assert fig._plotly_bundle == ""
