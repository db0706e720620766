"""Formatted citations, cached by a hash of everything pandoc reads.

`citeproc.format_all` runs pandoc over every citation and the whole bibliography
(0.3-0.4 s). Its output depends only on the citation strings, the bibliography
file, the style file, the language and the formatter's own code, so a hash of
those names it exactly. Hits come from memory (a running `serve`) or from
``.cache/citeproc/`` in the project folder (a rebuild). Any unreadable cache
entry is ignored and recomputed.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from generator import citeproc, filecache

_MEMORY: dict[str, citeproc.Formatted] = {}
_CODE = Path(citeproc.__file__).read_bytes() + citeproc.WRITER.read_bytes()


def _key(citations: list[str], bibliography: Path, style: citeproc.Style, language: str) -> str:
    return filecache.key(
        [
            _CODE,
            bibliography.read_bytes(),
            style.path.read_bytes(),
            repr((style.locale, style.note)).encode(),
            language.encode(),
            "\0".join(citations).encode(),
        ]
    )


def format_all(
    citations: list[str], bibliography: Path, style: citeproc.Style, language: str, cache: Path | None = None
) -> citeproc.Formatted:
    """`citeproc.format_all`, from the cache when its inputs are unchanged.

    `cache` is the folder for cached files (default: ``.cache`` beside the bibliography).
    """
    key = _key(citations, bibliography, style, language)
    if key in _MEMORY:
        return _MEMORY[key]
    file = (cache or bibliography.parent / ".cache") / "citeproc" / f"{key}.json"
    formatted = _read(file)
    if formatted is None:
        formatted = citeproc.format_all(citations, bibliography, style, language)
        _write(file, formatted)
    if len(_MEMORY) >= 8:  # a preview asks again for recent inputs (an edit undone): keep a few
        del _MEMORY[next(iter(_MEMORY))]
    _MEMORY[key] = formatted
    return formatted


def _read(file: Path) -> citeproc.Formatted | None:
    try:
        data = json.loads(filecache.read(file) or b"")
        data["citations"] = {k: tuple(v) for k, v in data["citations"].items()}
        return citeproc.Formatted(**data)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _write(file: Path, formatted: citeproc.Formatted) -> None:
    filecache.write(file, json.dumps(dataclasses.asdict(formatted), ensure_ascii=False).encode("utf-8"))
