"""The habits that keep the code plain: ruff (lint and format) and mypy, run as part of the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "generator", "tests", "benchmarks"],
        ["ruff", "format", "--check", "generator", "tests", "benchmarks"],
        ["mypy"],  # files and settings in pyproject.toml: generator/
    ],
)
def test_clean(command):
    result = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
