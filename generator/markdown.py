"""Markdown with pandoc citations and cross-references, parsed by markdown-it-py.

`parse()` turns an author's text into a `Draft`: its tokens, the citations and
cross-references it makes, and any markup that would be refused, each with its
position in the file. Once citations are formatted, `generator.richtext` turns a
draft into the model's `RichText`. This module knows nothing of the model.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

from generator import sanitise

Target = tuple[str, str]  # (kind, id), e.g. ("route", "adoption")

# pandoc citation keys: start with a letter, digit or _, may hold internal punctuation.
KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])?"
_ITEM = re.compile(rf"^(?P<prefix>.*?)(?P<suppress>-?)@(?P<key>{KEY}|\{{[^}}]+\}})(?P<suffix>.*)$", re.S)
_BRACKET = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
_INTEXT = re.compile(rf"@(?P<key>{KEY})(?P<locator>\s\[[^\[\]@]*\])?")
XREF = re.compile(r"^(route|topic|rec|source|term|page|voice):(.+)$")
XREF_KINDS = {
    "route": "route",
    "topic": "topic",
    "rec": "recommendation",
    "source": "source",
    "term": "term",
    "page": "page",
    "voice": "voice",
}


@dataclass(frozen=True)
class CiteUse:
    """A citation group as written, and where."""

    source: str
    keys: tuple[str, ...]
    line: int
    col: int


@dataclass(frozen=True)
class XrefUse:
    target: Target
    line: int
    col: int


@dataclass
class Draft:
    """Parsed, not yet resolved text, with everything needed to report problems."""

    source: str
    path: str  # relative to the project root
    line: int  # 1-based line where the text starts
    tokens: list[Token]
    cites: list[CiteUse] = field(default_factory=list)
    xrefs: list[XrefUse] = field(default_factory=list)
    unsafe: list[tuple[int, int, str]] = field(default_factory=list)


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for `[@key, p. 3; @other]`, `[-@key]` and in-text `@key [p. 3]`."""
    src, pos = state.src, state.pos
    if state.linkLevel > 0:
        return False  # inside a link's text: a citation would be a link inside a link
    if src[pos] == "[":
        m = _BRACKET.match(src, pos)
        if not m or src[m.end() : m.end() + 1] in ("(", "["):  # a link, not a citation
            return False
        items = [_ITEM.match(part) for part in m.group(1).split(";")]
        if not all(items):
            return False
        keys = tuple(i.group("key").strip("{}") for i in items if i)
        end = m.end()
    elif src[pos] == "@":
        if pos > 0 and (src[pos - 1].isalnum() or src[pos - 1] in "._-"):
            return False  # an e-mail address, not a citation
        m = _INTEXT.match(src, pos)
        if not m:
            return False
        keys = (m.group("key"),)
        end = m.end()
    else:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"source": src[pos:end], "keys": keys}
        token.content = src[pos:end]
    state.pos = end
    return True


def new_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
    # Keep every link as a link, so that `parse` can report a refused address where it is
    # written; the sanitiser drops it from the output either way.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)
    return md


def plain_words(draft: Draft) -> str:
    """The words of a text without markup, citations or link targets (for tables of contents and ids)."""
    text = "".join(
        t.content for block in draft.tokens for t in block.children or [] if t.type in ("text", "code_inline")
    )
    return " ".join(text.split())


def slugify(text: str) -> str:
    """A stable heading id: lower case words joined by '-'."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return "-".join(words) or "section"


class Locator:
    """Maps an offset in a value back to a file position, using the value's raw source text."""

    def __init__(self, raw: str, line: int, col: int):
        self.raw, self.line, self.col = raw, line, col
        self._starts = [0] + [m.end() for m in re.finditer("\n", raw)]

    def find(self, needle: str, start: int = 0) -> tuple[int, int]:
        at = self.raw.find(needle, start)
        if at < 0 and not start:
            return (self.line, self.col)
        at = start if at < 0 else at  # not written as such (e.g. escaped): the block's first line
        nl = bisect.bisect_right(self._starts, at) - 1
        col = (at - self._starts[nl] + 1) if nl else (self.col + at)
        return (self.line + nl, col)

    def line_start(self, line_in_raw: int) -> int:
        """Offset of a 0-based line of the raw text."""
        return self._starts[min(line_in_raw, len(self._starts) - 1)]


def parse(md: MarkdownIt, source: str, path: str, locator: Locator, inline: bool = False) -> Draft:
    """Parse one text (a single line of inline Markdown if `inline`, e.g. a heading); record its
    citations, cross-references and refused markup with positions."""
    tokens = md.parseInline(source) if inline else md.parse(source)
    draft = Draft(source, path, locator.line, tokens)
    block_line = 0
    for token in tokens:
        if token.map:
            block_line = token.map[0]
        start = locator.line_start(block_line) if locator.raw == source else 0
        for child in [token, *(token.children or [])]:
            if child.type == "citation":
                line, col = locator.find(child.content, start)
                draft.cites.append(CiteUse(child.meta["source"], child.meta["keys"], line, col))
            elif child.type == "link_open":
                href = str(child.attrGet("href") or "")
                m = XREF.match(href)
                if m:
                    line, col = locator.find(m.group(0), start)
                    draft.xrefs.append(XrefUse((XREF_KINDS[m.group(1)], m.group(2)), line, col))
                elif why := sanitise.url_refusal(href):
                    draft.unsafe.append((*locator.find(href, start), why))
            elif child.type in ("html_block", "html_inline"):
                for why in sanitise.refusals(child.content):
                    draft.unsafe.append((*locator.find(child.content.split("\n", 1)[0], start), why))
        for written, message in _citation_slips(token.children or []):
            at = locator.raw.find(written, start)
            if at <= 0 or locator.raw[at - 1] != "\\":  # `\[@key]` is a literal bracket
                draft.unsafe.append((*locator.find(written, start), message))
    return draft


_SLIP = re.compile(r"\[-?@[^\[\]]*\]?")


def _citation_slips(children: list[Token]) -> list[tuple[str, str]]:
    """(text as written, what is wrong) for each `[@` that did not become a citation."""
    slips = [m.group(0) for c in children if c.type == "text" for m in _SLIP.finditer(c.content)]
    for i, child in enumerate(children):  # `[@key, p. 3` with no `]`: "[" then an in-text citation
        if child.type == "citation" and child.content.startswith("@") and i and children[i - 1].content.endswith("["):
            after = children[i + 1].content if i + 1 < len(children) and children[i + 1].type == "text" else ""
            rest = re.match(r"[^\[\]]*\]?", after)  # always matches, perhaps empty
            slips.append("[" + child.content + (rest.group(0) if rest else ""))
    out = []
    for written in slips:
        if re.fullmatch(r"\[-?@\s*\]", written):
            out.append((written, f"empty citation '{written}': write a key after '@', e.g. [@smith2020]"))
        elif not written.endswith("]"):
            out.append((written, f"citation '{written[:40]}' is not closed: add ']' after the key and any locator"))
        else:
            out.append((written, f"'{written[:40]}' is not a citation: write [@key], [@key, p. 3] or [@key; @other]"))
    return out
