"""BrowserStore: state restored from the browser, saved to it, downloads and size-limited uploads."""
from __future__ import annotations

import pytest

from tests.widgets.fake_browser import RecordingStore, browser_restores, browser_uploads
from widgets.learner_state import (FORGET_LABEL, MAX_UPLOAD_BYTES, STORAGE_PREFIX, BrowserStore,
                                   storage_key)


def test_key_becomes_a_namespaced_browser_storage_key():
    store = BrowserStore("07_prevention_and_relief/prevention_routine")
    assert store.storage_key == "knee-cramp-lab/07_prevention_and_relief/prevention_routine"
    assert STORAGE_PREFIX == "knee-cramp-lab/"


def test_under_jupyterhub_the_key_carries_the_user_s_server_address():
    # One computer (base URL "/"): the key state was always stored under, so it still loads.
    assert storage_key("diary/cramp_diary") == "knee-cramp-lab/diary/cramp_diary"
    assert storage_key("diary/cramp_diary", "/user/ann/") == "knee-cramp-lab[/user/ann/]/diary/cramp_diary"
    assert storage_key("diary/cramp_diary", "/user/ann/") != storage_key("diary/cramp_diary", "/user/bob/")
    # the browser applies the same rule: the page's baseUrl, unscoped when it is "/"
    esm = BrowserStore._esm
    assert 'base === "/" ? PREFIX : "knee-cramp-lab[" + base + "]/"' in esm
    assert "JSON.parse(el.textContent" in esm and ".baseUrl" in esm


def test_every_store_with_an_import_control_offers_to_forget_the_learner_s_data():
    store = BrowserStore("07_prevention_and_relief/prevention_routine", upload_label="Import")
    assert store.forget_label == FORGET_LABEL == "Forget my data on this computer"
    esm = BrowserStore._esm
    assert 'if (model.get("upload_label")) { buildForget(model, el); }' in esm
    # after a confirmation, every entry of this user's scope goes, and nothing is written again
    assert "window.confirm(FORGET_QUESTION)" in esm and "k.startsWith(prefix)" in esm
    assert "if (forgotten) { return false; }" in esm


@pytest.mark.parametrize("key", ["", "has space", "/absolute", "quote'", "a" * 201])
def test_odd_keys_are_refused(key):
    with pytest.raises(ValueError, match="Storage key"):
        BrowserStore(key)


def test_nothing_is_loaded_until_the_browser_restores():
    store = BrowserStore("test/restore")
    seen = []
    store.on_restore(seen.append)
    assert store.loaded is False and seen == []

    browser_restores(store, {"ticked": ["a", "b"]})

    assert store.loaded is True
    assert seen == [{"ticked": ["a", "b"]}]
    assert store.state == {"ticked": ["a", "b"]}


def test_a_callback_registered_after_the_restore_is_called_at_once():
    store = BrowserStore("test/late")
    browser_restores(store, {"answers": {"q1": 2}})
    seen = []
    store.on_restore(seen.append)
    assert seen == [{"answers": {"q1": 2}}]


@pytest.mark.parametrize("stored", [None, [1, 2], "text", 42])
def test_anything_but_a_dict_from_the_browser_restores_as_empty(stored):
    store = BrowserStore("test/odd")
    seen = []
    store.on_restore(seen.append)
    browser_restores(store, stored)
    assert seen == [{}] and store.state == {}


def test_a_browser_without_storage_is_reported():
    store = BrowserStore("test/private-mode")
    browser_restores(store, {}, available=False)
    assert store.available is False and store.loaded is True


def test_save_copies_the_state_and_refuses_what_json_cannot_hold():
    store = BrowserStore("test/save")
    state = {"ticked": ["a"]}
    store.save(state)
    state["ticked"].append("b")  # the caller's later edits do not leak into the store
    assert store.state == {"ticked": ["a"]}
    with pytest.raises(TypeError):
        store.save({"ticked": {"a", "b"}})  # a set is not JSON
    assert store.state == {"ticked": ["a"]}


def test_download_asks_the_browser_to_save_a_file():
    store = RecordingStore("test/download")
    store.download("ticks.json", '{"a": 1}', "application/json")
    assert store.downloads == [{"type": "download", "filename": "ticks.json",
                                "text": '{"a": 1}', "mime": "application/json"}]


@pytest.mark.parametrize("name", ["../ticks.json", "/etc/passwd", "a b.json", "", "x/y.json"])
def test_download_refuses_file_names_that_look_like_paths(name):
    store = RecordingStore("test/download-bad")
    with pytest.raises(ValueError, match="File name"):
        store.download(name, "{}")
    assert store.downloads == []


def test_uploads_reach_the_callback_with_name_and_text():
    store = BrowserStore("test/upload")
    received = []
    store.on_upload(lambda name, text: received.append((name, text)))
    browser_uploads(store, "ticks.json", '{"x": 1}')
    assert received == [("ticks.json", '{"x": 1}')]
    assert store.upload_error == ""


def test_the_upload_limit_is_one_megabyte_counted_in_bytes():
    store = BrowserStore("test/limit")
    received = []
    store.on_upload(lambda name, text: received.append(name))
    assert MAX_UPLOAD_BYTES == 1_000_000

    browser_uploads(store, "exactly.json", "x" * 1_000_000)          # 1,000,000 bytes: accepted
    browser_uploads(store, "too-big.json", "x" * 1_000_001)          # one byte over: refused
    browser_uploads(store, "accents.json", "\u00e9" * 500_001)       # 2 bytes each: 1,000,002
    assert received == ["exactly.json"]
    assert "accents.json" in store.upload_error
    assert "the limit is 1.0 MB" in store.upload_error
    assert "Nothing was imported" in store.upload_error


def test_a_good_upload_clears_the_previous_refusal():
    store = BrowserStore("test/clear")
    browser_uploads(store, "big.json", "x" * 2_000_000)
    assert "2.0 MB" in store.upload_error
    browser_uploads(store, "small.json", "{}")
    assert store.upload_error == ""


def test_the_front_end_keeps_state_in_local_storage_and_checks_size_before_sending():
    # The browser side is JavaScript: check the contract it implements is there.
    esm = BrowserStore._esm
    assert 'const PREFIX = "knee-cramp-lab/"' in esm
    assert "localStorage.getItem" in esm and "localStorage.setItem" in esm
    assert 'file.size > limit' in esm
    assert "fetch(" not in esm and "XMLHttpRequest" not in esm  # nothing goes to a server
