"""environment.yml (conda, Binder) and pyproject.toml (pip) list the same packages."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def pip_packages() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(name_and_spec(r) for r in reqs)


def conda_packages() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip = dep["pip"]
        else:
            conda[name_and_spec(dep)[0]] = name_and_spec(dep)[1]
    return conda, pip


def test_same_packages_and_versions():
    conda, pip_section = conda_packages()
    env_packages = {k: v for k, v in conda.items() if k not in {"python", "pip"}}
    env_packages.update(dict(name_and_spec(r) for r in pip_section if not r.startswith("-e")))
    assert env_packages == pip_packages()


def test_python_311_and_project_installed_editable():
    conda, pip_section = conda_packages()
    assert conda["python"] == "=3.11"
    assert "-e ." in pip_section
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"].startswith(">=3.11")
