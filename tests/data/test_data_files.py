"""Every data file validates against its schema, cites existing references, and has units."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
import yaml

import physiology
from physiology import data

for module in pkgutil.iter_modules(physiology.__path__):
    importlib.import_module(f"physiology.{module.name}")  # each registers its data files

FILES = data.data_files()
UNIT_SUFFIXES = ("_hz", "_ms", "_s", "_min", "_h", "_mv", "_mm", "_um", "_nm", "_mmol_l", "_mg_dl",
                 "_pct", "_years", "_g", "_mg", "_per_year", "_count", "_ml_min", "_m_s")
# Keys whose numbers are dimensionless by nature (a count, a year, an ionic valence).
COUNT_KEYS = {"n", "year", "version", "rank", "order", "charge", "valence"}


def test_data_files_exist():
    names = {p.name for p in FILES}
    assert {"references.yaml", "facts.yaml"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(data.DATA_DIR)))
def test_file_validates(path):
    data.validate_file(path)


def _walk(node, path=()):
    """Yield (path, key, value, parent) for every leaf of a parsed YAML document."""
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, (dict, list)):
                yield from _walk(v, path + (k,))
            else:
                yield path, k, v, node
    elif isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, (dict, list)):
                yield from _walk(v, path + (i,))


def _has_unit(path, key, parent) -> bool:
    key = str(key)
    if "unit" in parent or "units" in parent:
        return True
    if key in COUNT_KEYS or key.lower().endswith(UNIT_SUFFIXES):
        return True
    if "values" in path:  # scenario values: the control declares the unit (checked by the schema)
        return True
    if key in {"min", "max", "step", "default"} and "unit" in parent:
        return True
    return False


YAML_FILES = [p for p in FILES if p.suffix == ".yaml"]


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(data.DATA_DIR)))
def test_every_number_has_a_unit(path):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = [
        f"{'/'.join(map(str, p))}/{k} = {v}"
        for p, k, v, parent in _walk(raw)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and not _has_unit(p, k, parent)
    ]
    assert not missing, f"numbers without units in {path.name}: {missing[:10]}"


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(data.DATA_DIR)))
def test_every_cited_reference_exists(path):
    refs = data.references()
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cited = {v for p, k, v, _ in _walk_lists(raw) if k in {"refs", "ref", "sources"}}
    unknown = sorted(c for c in cited if isinstance(c, str) and c not in refs)
    assert not unknown, f"{path.name} cites unknown reference ids {unknown}"


def _walk_lists(node, path=()):
    """Like _walk, but also yields each string inside a list under its parent key."""
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, list) and all(isinstance(x, str) for x in v):
                for x in v:
                    yield path, k, x, node
            elif isinstance(v, (dict, list)):
                yield from _walk_lists(v, path + (k,))
            else:
                yield path, k, v, node
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk_lists(v, path + (i,))


def test_reference_and_fact_ids_unique_and_facts_cite_existing_refs():
    refs = data.references()  # raises on duplicate ids
    raw_facts = yaml.safe_load((data.DATA_DIR / "facts.yaml").read_text())
    ids = [f["id"] for f in raw_facts]
    assert len(ids) == len(set(ids))
    for fact in data.facts().values():
        assert set(fact.refs) <= set(refs), fact.id


def test_a_broken_file_names_file_entry_and_field(tmp_path):
    bad = tmp_path / "references.yaml"
    bad.write_text(
        "- id: good2020\n  citation: A perfectly fine citation, J Test 2020;1:1-2.\n  evidence_level: strong\n"
        "- id: bad2021\n  citation: Another citation long enough, J Test 2021;2:3-4.\n  evidence_level: excellent\n"
    )
    with pytest.raises(data.DataFileError) as err:
        data.validate(data.read_yaml(bad), list[data.Reference], bad)
    text = str(err.value)
    assert "references.yaml" in text
    assert "entry 2 (id: bad2021)" in text
    assert "evidence_level" in text


def test_invalid_yaml_is_reported_with_the_file_name(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("- id: [unclosed\n")
    with pytest.raises(data.DataFileError, match="broken.yaml: not valid YAML"):
        data.read_yaml(bad)


def test_a_scenario_outside_its_control_range_is_refused(tmp_path):
    raw = {"title": "t", "controls": [{"name": "f", "label": "F", "unit": "Hz", "min": 0, "max": 10,
                                       "step": 1, "default": 5}],
           "scenarios": [{"id": "s", "label": "S", "description": "d", "values": {"f": 50}}]}
    with pytest.raises(data.DataFileError, match="outside"):
        data.validate(raw, data.ScenarioFile, tmp_path / "x.yaml")


def test_an_unregistered_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    stray = tmp_path / "stray.yaml"
    stray.write_text("a: 1\n")
    with pytest.raises(data.DataFileError, match="no schema"):
        data.validate_file(stray)
