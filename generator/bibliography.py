"""Read and check `references.bib` with bibtexparser v2.

Read as BibTeX and biber read it: `@commentary{...}` is an entry (only `@comment`
is a comment), a field given twice keeps its first value with a warning, and an
undefined `@string` macro is a warning rather than text printed in lower case.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bibtexparser.library import Library
from bibtexparser.middlewares.parsestack import default_parse_stack
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock
from bibtexparser.splitter import Splitter

from generator.problems import Problems

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


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


@dataclass
class Bibliography:
    entries: dict[str, BibEntry]
    for_pandoc: str  # the text with every repeated field renamed, so that pandoc too keeps the first value


@dataclass
class _Repeat:
    entry: str
    field: str
    line: int  # 1-based, of the repeated field
    first_line: int


class _Splitter(Splitter):
    """bibtexparser's splitter, with BibTeX's reading of block names and repeated fields."""

    def __init__(self, text: str):
        super().__init__(text)
        self.repeats: list[_Repeat] = []

    def _handle_explicit_comment(self, m):
        if m.group(0).strip().lower() != "@comment":  # @commentary, @COMMENTED: entry types
            return self._handle_entry(m, m.group(0).lower())
        return super()._handle_explicit_comment(m)

    def _handle_string(self, m):
        if m.group(0).strip().lower() != "@string":
            return self._handle_entry(m, m.group(0).lower())
        return super()._handle_string(m)

    def _handle_preamble(self, m):
        if m.group(0).strip().lower() != "@preamble":
            return self._handle_entry(m, m.group(0).lower())
        return super()._handle_preamble(m)

    def _handle_entry(self, m, m_val):
        block = super()._handle_entry(m, m_val)
        if not isinstance(block, DuplicateFieldKeyBlock):
            return block
        entry: Entry = block.ignore_error_block
        first: dict[str, int] = {}
        kept = []
        for f in entry.fields:
            if f.key.lower() in first:
                self.repeats.append(_Repeat(entry.key, f.key, f.start_line + 1, first[f.key.lower()]))
            else:
                first[f.key.lower()] = f.start_line + 1
                kept.append(f)
        return Entry(entry.entry_type, entry.key, kept, start_line=entry.start_line, raw=entry.raw)


def read_bibliography(text: str, path: str, problems: Problems) -> dict[str, BibEntry]:
    """Every entry by key; malformed blocks, duplicate keys and repeated fields are reported with their line."""
    return load_bibliography(text, path, problems).entries


def load_bibliography(text: str, path: str, problems: Problems) -> Bibliography:
    """The entries, and the text to give pandoc; problems are reported with their line."""
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    text = blank_comments(text)
    splitter = _Splitter(text.replace("\\\n", "\\ \n"))  # it does not count a line end after a backslash
    library: Library = splitter.split()
    strings = {s.key.lower(): s.value for s in library.strings}
    for middleware in default_parse_stack():
        library = middleware.transform(library)
    entries: dict[str, BibEntry] = {}
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            first = entries.get(block.key)
            where = f" (first defined on line {first.line})" if first else ""
            problems.error(
                path, line, 1, f"duplicate BibTeX key '{block.key}'{where}: rename one entry or delete the copy"
            )
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", "") or str(block.error) or "malformed entry"
            head = (block.raw or "").split("\n", 1)[0][:60]
            problems.error(
                path, line, 1, f"malformed BibTeX in '{head}': {_one_line(reason)}; check its braces, commas and quotes"
            )
    for r in splitter.repeats:
        problems.warn(
            path,
            r.line,
            1,
            f"field '{r.field}' of '{r.entry}' is given twice (first on line {r.first_line}): "
            "the first value is used; delete one",
        )
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        fields = {}
        for f in entry.fields:
            value = str(f.value)
            if f.enclosing == "no-enclosing":  # a macro, a number or a concatenation with '#'
                value = _expand(
                    value,
                    strings,
                    lambda name, f=f, entry=entry: problems.warn(
                        path,
                        f.start_line + 1,
                        1,
                        f"'{f.key}' of '{entry.key}' uses the undefined @string macro '{name}': "
                        f"define it with @string{{{name} = {{...}}}}, or write the text in braces",
                    ),
                )
            fields[f.key.lower()] = _clean(value)
        entries.setdefault(entry.key, BibEntry(entry.key, entry.entry_type.lower(), fields, line))
        if not entry.key.strip() or re.search(r"\s", entry.key):
            problems.error(path, line, 1, f"entry key {entry.key!r} must be one word without spaces")
        if entry.entry_type.lower() in ("set", "xdata") or fields.get("crossref") or fields.get("xdata"):
            continue  # fields come from another entry
        if fields.get("title", "").startswith("["):
            problems.warn(
                path,
                line,
                1,
                f"entry '{entry.key}' has a bracketed placeholder title: readers would take "
                "it for the work's title; remove it, and if you know the work only from another source, "
                "add citedin = {<key of that source>}",
            )
        if fields.get("citedin") or fields.get("note") or fields.get("annotation"):
            continue  # a secondary citation, or an incomplete entry whose note says why
        if not (fields.get("title") or fields.get("booktitle")):
            problems.warn(path, line, 1, f"entry '{entry.key}' has no title: add title = {{...}}")
        if not (fields.get("year") or fields.get("date")):
            problems.warn(path, line, 1, f"entry '{entry.key}' has no year: add year = {{...}} (or n.d. in note)")
    return Bibliography(entries, _rename_repeats(text, splitter.repeats))


_OUTSIDE = re.compile(r"%|@[ \t]*\w+[ \t]*([{(])")
_INSIDE = re.compile(r"\\.|[{}()\"%]", re.S)


def blank_comments(text: str) -> str:
    """The text with each `%` comment (to the end of its line) turned into spaces, as biber and pandoc skip them.

    A `%` counts as a comment outside entries and between fields, not inside a value
    (`{50% off}`, `"http://x/%7E"`), so lines and columns stay where they were.
    """
    spans, pos, depth, closer, quoted = [], 0, 0, "}", False
    while True:
        m = (_INSIDE if depth else _OUTSIDE).search(text, pos)
        if not m:
            break
        token, pos = m.group(0), m.end()
        if token == "%":
            if depth <= 1 and not quoted:
                end = text.find("\n", pos)
                pos = len(text) if end < 0 else end
                spans.append((m.start(), pos))
        elif depth == 0:
            depth, closer, quoted = 1, ")" if m.group(1) == "(" else "}", False
        elif token == "{":
            depth += 1
        elif token == "}" or (token == ")" and depth == 1 and closer == ")" and not quoted):
            depth -= 1
        elif token == '"' and depth == 1:
            quoted = not quoted
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], " " * (end - start)]
        last = end
    return "".join(out + [text[last:]])


def _expand(value: str, strings: dict[str, str], undefined) -> str:
    """A bare field value: macros and `#` concatenations expanded as BibTeX does."""
    out = []
    for part in _split_concatenation(value):
        if part[:1] in ("{", '"'):
            out.append(part[1:-1])
        elif part.isdigit() or part.lower() in MONTHS:
            out.append(part)
        elif part.lower() in strings:
            out.append(_clean(strings[part.lower()]))
        elif part:
            undefined(part)
            out.append(part)
    return "".join(out)


def _split_concatenation(value: str) -> list[str]:
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(value):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(value[start:i].strip())
            start = i + 1
    parts.append(value[start:].strip())
    return parts


def _rename_repeats(text: str, repeats: list[_Repeat]) -> str:
    """The text with each repeated field's name changed to `x-repeated-<name>`, which pandoc ignores."""
    if not repeats:
        return text
    lines = text.split("\n")
    for r in repeats:
        i = r.line - 1
        found = list(re.finditer(rf"(?<![\w-]){re.escape(r.field)}(?=\s*=)", lines[i], re.I))
        at = found[1 if r.first_line == r.line and len(found) > 1 else 0] if found else None
        if at:
            lines[i] = lines[i][: at.start()] + "x-repeated-" + lines[i][at.start() :]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _clean(value: str) -> str:
    """Field text without outer braces or quotes, whitespace folded."""
    value = value.strip()
    while len(value) >= 2 and value[0] + value[-1] in ("{}", '""') and _encloses(value):
        value = value[1:-1].strip()
    return re.sub(r"\s+", " ", value)


def _encloses(value: str) -> bool:
    """Whether the first character's brace or quote closes only at the end ("{A} and {B}" does not)."""
    if value[0] == '"':
        return True
    depth = 0
    for i, ch in enumerate(value):
        depth += (ch == "{") - (ch == "}")
        if depth == 0 and i < len(value) - 1:
            return False
    return True


def plain(value: str) -> str:
    """Field text without TeX braces and simple commands, for search and display."""
    value = re.sub(r"\\[a-zA-Z]+\s*", "", value)
    return re.sub(r"[{}]", "", value)


def locate_pandoc_error(message: str, bib: str, csl: str | None) -> tuple[str, int, int, str]:
    """(path, line, col, message) for a pandoc failure: BibTeX errors at their line, CSL errors in the style.

    `csl` is the style's path relative to the project, or None for a shipped style
    (whose errors are then reported by the caller at the `csl:` setting).
    """
    text = _one_line(message)
    m = re.search(r"Error reading bibliography file .*?\(line (\d+), column (\d+)\):\s*(.*)", text)
    if m:
        return (
            bib,
            int(m.group(1)),
            int(m.group(2)),
            f"pandoc cannot read this BibTeX: {m.group(3)}; check its braces, commas and quotes",
        )
    m = re.search(r"Citeproc(?:XML|Parse)Error:\s*(?:(\d+):(\d+) \(\d+\)-\S+ \(\d+\):\s*)?(.*)", text)
    if m:
        line, col = (int(m.group(1)), int(m.group(2))) if m.group(1) else (1, 1)
        what = re.sub(r'Name \{nameLocalName = "([^"]+)"[^}]*\}', r"<\1>", m.group(3))
        return csl or "", line, col, f"the CSL style is not valid: {what}; fix the .csl file or use a style name"
    return bib, 1, 1, f"pandoc could not format the bibliography: {text}"


_TEX = re.compile(r"\\(?:[A-Za-z]+|[`'^\"~=.&#_%$])")


def leftover_latex(html: str) -> str | None:
    """The first TeX command that pandoc left in a formatted reference (math, or a command it does not know)."""
    m = _TEX.search(html)
    return m.group(0) if m else None
