"""Typst and pandoc failures as `path:line:col: message`, with paths relative to the project.

Typst names the file, line and column of an error in its diagnostic. An error in the print
theme's template (``theme/print/``) is a fault outside the content, reported at the template's
line (`PrintError`). An error in the Typst made from a briefing's content can only have come from
that content, so it is a content problem (`ContentError`): at the text holding a character no print
font has, else at the briefing's file.
"""

from __future__ import annotations

from pathlib import Path

import typst

from generator.model import Briefing
from generator.printing.pandoc import PandocFailed
from generator.problems import ContentError, Problems

_MAIN = "__typst_py_bytes__.typ"  # the name Typst gives source passed as bytes: the briefing's own markup


class PrintError(Exception):
    """A briefing could not be rendered for a reason outside the content (the message is located)."""


def located(exc: typst.TypstError | PandocFailed, b: Briefing, what: str, root: Path | None) -> Exception:
    """The `PrintError` or `ContentError` that reports `exc`, which happened while `what`, at its place."""
    if isinstance(exc, PandocFailed):
        return PrintError(
            f"{b.origin.path}:{b.origin.line}:1: pandoc failed {what} of briefing '{b.id}': {' '.join(str(exc).split())}"
        )
    detail = "; ".join(filter(None, [" ".join(exc.message.split()), *exc.hints]))
    span = _span(exc.diagnostic or "")
    if span and Path(span[0]).name != _MAIN:
        path, line, col = span
        return PrintError(
            f"{_relative(Path(path), root)}:{line}:{col}: Typst failed {what} of briefing '{b.id}': {detail}"
        )
    problems = Problems()
    glyphs = _unprintable(exc.message)
    found = _find(glyphs, root) if glyphs else None
    if found:
        problems.error(
            *found,
            f"'{glyphs}' cannot be printed in briefing '{b.id}': no font of the print briefings has this "
            "character; write it in words or leave it out",
        )
        return ContentError(problems)
    where = f" (line {span[1]} of its Typst markup)" if span else ""
    problems.error(
        b.origin.path,
        b.origin.line,
        1,
        f"Typst cannot print briefing '{b.id}'{where}: {detail}; look for unusual characters or markup in the texts "
        "it includes",
    )
    return ContentError(problems)


def _unprintable(message: str) -> str | None:
    """The text of Typst's "the text `"x"` could not be displayed with font ..." error."""
    start, end = message.find('the text `"'), message.find('"` could not be displayed')
    return message[start + 11 : end] or None if 0 <= start < end else None


def _find(text: str, root: Path | None) -> tuple[str, int, int] | None:
    """The first place in the project's content, configuration or bibliography where `text` is written."""
    if root is None:
        return None
    files = [root / "site_config.yml", *sorted((root / "content").rglob("*")), root / "references.bib"]
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for n, line in enumerate(lines, 1):
            if text in line:
                return path.relative_to(root).as_posix(), n, line.index(text) + 1
    return None


def _relative(path: Path, root: Path | None) -> str:
    """`path` (Typst gives it relative to the working folder) relative to the project, else absolute."""
    path = path.resolve()
    if root is not None and path.is_relative_to(root.resolve()):
        return path.relative_to(root.resolve()).as_posix()
    return path.as_posix()


def _span(diagnostic: str) -> tuple[str, int, int] | None:
    """The file, line and column (from 1) of the first place a diagnostic points to: `┌─ path:line:col`."""
    for text in diagnostic.splitlines():
        if "┌─ " in text:
            path, line, col = (text.split("┌─ ", 1)[1].strip().rsplit(":", 2) + ["", ""])[:3]
            if line.isdigit() and col.isdigit():
                return path, int(line), int(col) + 1  # Typst counts columns from 0
    return None
