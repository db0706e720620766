"""Read and check `references.bib` with bibtexparser v2."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, ParsingFailedBlock

from generator.problems import Problems


@dataclass(frozen=True)
class BibEntry:
    key: str
    type: str
    fields: dict[str, str]
    line: int  # 1-based line of the entry's "@" in the file

    def field(self, *names: str) -> str:
        for name in names:
            if self.fields.get(name):
                return self.fields[name]
        return ""


def read_bibliography(text: str, path: str, problems: Problems) -> dict[str, BibEntry]:
    """Every entry by key; malformed blocks and duplicate keys are reported with their line."""
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    entries: dict[str, BibEntry] = {}
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            first = entries.get(block.key)
            where = f" (first defined on line {first.line})" if first else ""
            problems.error(path, line, 1, f"duplicate BibTeX key '{block.key}'{where}: rename one entry or delete the copy")
        elif isinstance(block, DuplicateFieldKeyBlock):
            problems.error(path, line, 1, f"entry has a field twice ({', '.join(sorted(block.duplicate_keys))}): keep one")
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", "") or str(block.error) or "malformed entry"
            head = block.raw.split("\n", 1)[0][:60]
            problems.error(path, line, 1, f"malformed BibTeX in '{head}': {reason.strip()}; check its braces, commas and quotes")
    for entry in library.entries:
        fields = {k.lower(): _clean(str(v)) for k, v in entry.fields_dict.items() for v in [v.value]}
        line = entry.start_line + 1
        entries.setdefault(entry.key, BibEntry(entry.key, entry.entry_type.lower(), fields, line))
        if not entry.key.strip() or re.search(r"\s", entry.key):
            problems.error(path, line, 1, f"entry key {entry.key!r} must be one word without spaces")
        if entry.entry_type.lower() in ("set", "xdata") or fields.get("crossref") or fields.get("xdata"):
            continue  # fields come from another entry
        if fields.get("note") or fields.get("annotation"):
            continue  # an incomplete entry whose note says why
        if not (fields.get("title") or fields.get("booktitle")):
            problems.warn(path, line, 1, f"entry '{entry.key}' has no title: add title = {{...}}")
        if not (fields.get("year") or fields.get("date")):
            problems.warn(path, line, 1, f"entry '{entry.key}' has no year: add year = {{...}} (or n.d. in note)")
    return entries


def _clean(value: str) -> str:
    """Field text without outer braces or quotes, whitespace folded."""
    value = value.strip()
    while len(value) >= 2 and value[0] + value[-1] in ("{}", '""'):
        value = value[1:-1].strip()
    return re.sub(r"\s+", " ", value)


def plain(value: str) -> str:
    """Field text without TeX braces and simple commands, for search and display."""
    value = re.sub(r"\\[a-zA-Z]+\s*", "", value)
    return re.sub(r"[{}]", "", value)
