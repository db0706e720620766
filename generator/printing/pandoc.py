"""Running pandoc on a briefing, with the filters and reference document in theme/print/.

Each briefing's HTML is read once into pandoc's JSON syntax tree (reading HTML is the slow
part); the Typst and Word writers then start from that tree.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pypandoc

from generator import vocabulary

# theme/ sits beside the generator package in the repository (the package is installed editable).
THEME = Path(__file__).resolve().parents[2] / "theme" / "print"


class PandocFailed(Exception):
    pass


def run(data: bytes, source: str, to: str, args: list[str], day: dt.date) -> bytes:
    """Convert `data` from format `source` to `to`; return the output's bytes."""
    command = [pypandoc.get_pandoc_path(), "-f", source, "-t", to, "--wrap=none", "-o", "-", *args]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(vocabulary.epoch(day))}
    result = subprocess.run(command, input=data, capture_output=True, env=env)
    if result.returncode != 0:
        raise PandocFailed(result.stderr.decode("utf-8", "replace").strip())
    return result.stdout


def html_to_ast(html: str, day: dt.date) -> bytes:
    """Pandoc's JSON syntax tree of an HTML page (its head gives the title and other metadata).

    With `smart`, straight quotes and apostrophes print as curly ones. Note-style citations
    become footnotes (``notes.lua``).
    """
    return run(html.encode("utf-8"), "html+smart", "json", ["--lua-filter", str(THEME / "notes.lua")], day)
