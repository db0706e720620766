"""Shared fixtures: paths, the fixture project, a copy helper and the built default site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture project."""
    dest = tmp_path / "project"
    shutil.copytree(FIXTURE, dest, ignore=shutil.ignore_patterns("site"))
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The default content of this repository, built once per test session."""
    out = tmp_path_factory.mktemp("built") / "site"
    assert main(["build", "--config", str(ROOT / "site_config.yml"), "--out", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="session")
def built_fixture_site(tmp_path_factory) -> Path:
    """The minimal fixture project, built once per test session."""
    out = tmp_path_factory.mktemp("built-fixture") / "site"
    assert main(["build", "--config", str(FIXTURE / "site_config.yml"), "--out", str(out), "-q"]) == 0
    return out
