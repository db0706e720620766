"""What each edition changed: the `changes` page, from site_config.yml's `editions`.

Each earlier edition names the git ref (tag or commit) that holds it. The build
builds each one, as `briefings diff` does, and compares consecutive editions with
`diff.changes`; the current edition is the working tree.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from generator import diff
from generator.memo import Memo
from generator.model import EditionChanges, Model
from generator.problems import Problems


def history(model: Model, root: Path, config: Path, memo: Memo | None = None) -> tuple[EditionChanges, ...]:
    """Every edition, newest first, with what it changed from the one before. An earlier
    edition is built once per commit its ref names while `memo` is kept (`serve`)."""
    memo = memo or Memo()
    current = diff.Side("this edition", model)
    earlier = sorted(model.config.editions, key=lambda e: e.date, reverse=True)
    sides = [current] + [memo.get(_version(root, config, e.ref), _side, root, config, e.ref) for e in earlier]
    dates = [model.config.edition] + [e.date for e in earlier]
    refs = [("", "")] + [(e.ref, e.note) for e in earlier]
    out = []
    for i, (side, (ref, note)) in enumerate(zip(sides, refs, strict=True)):
        if i + 1 == len(sides):
            out.append(EditionChanges(dates[i], ref, note, None, ""))
            continue
        out.append(EditionChanges(dates[i], ref, note, dates[i + 1], _html(sides[i + 1], side)))
    return tuple(out)


def _version(root: Path, config: Path, ref: str) -> tuple:
    """What an earlier edition's side is built from: the commit its ref names now (or why none)."""
    try:
        named = diff.commit(root, ref)
    except diff.GitError as exc:
        named = str(exc)
    return ("edition", str(root), str(config), ref, named)


def _side(root: Path, config: Path, ref: str) -> diff.Side:
    try:
        return diff.side_at(root, config, ref)
    except diff.GitError as exc:  # shown on the changes page, like content that does not build
        problems = Problems()
        problems.error("site_config.yml", 1, 1, f"edition ref '{ref}': {exc}")
        return diff.Side(f"`{ref}`", problems=problems)


def _html(old: diff.Side, new: diff.Side) -> str:
    """The changes as HTML, headings starting at level 3."""
    if old.model is None or new.model is None:
        lines = [line for side in (old, new) if side.model is None for line in diff._problems(side)]
    else:
        lines = diff.changes(old, new) or [diff.NO_CHANGES]
    return MarkdownIt("commonmark").render("\n".join(lines))
