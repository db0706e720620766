"""Markdown with pandoc citations and cross-references, parsed by markdown-it-py.

`parse()` turns an author's text into a `Draft`: its tokens, the citations and
cross-references it makes, and anything unsafe in it, each with its position in
the file. Once citations are formatted, `Renderer.rich()` turns a draft into the
model's `RichText`.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

from generator.model import Citation, Linker, Origin, RichText, Target

# pandoc citation keys: start with a letter, digit or _, may hold internal punctuation.
KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])?"
_ITEM = re.compile(rf"^(?P<prefix>.*?)(?P<suppress>-?)@(?P<key>{KEY}|\{{[^}}]+\}})(?P<suffix>.*)$", re.S)
_BRACKET = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
_INTEXT = re.compile(rf"@(?P<key>{KEY})(?P<locator>\s\[[^\[\]@]*\])?")
_XREF = re.compile(r"^(route|topic|rec|source|term|page|voice):(.+)$")
XREF_KINDS = {"route": "route", "topic": "topic", "rec": "recommendation", "source": "source",
              "term": "term", "page": "page", "voice": "voice"}
_UNSAFE = [
    (re.compile(r"<\s*(script|iframe|object|embed|frame|base|meta)\b", re.I),
     "raw <{0}> is not allowed: it could run script; remove it"),
    (re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.I),
     "the HTML attribute {0}= could run script; remove it"),
    (re.compile(r"(javascript|vbscript)\s*:", re.I),
     "a {0}: address could run script; link to a web page or a cross-reference instead"),
]


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
    origin: Origin
    tokens: list[Token]
    cites: list[CiteUse] = field(default_factory=list)
    xrefs: list[XrefUse] = field(default_factory=list)
    unsafe: list[tuple[int, int, str]] = field(default_factory=list)


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for `[@key, p. 3; @other]`, `[-@key]` and in-text `@key [p. 3]`."""
    src, pos = state.src, state.pos
    if src[pos] == "[":
        m = _BRACKET.match(src, pos)
        if not m or src[m.end() : m.end() + 1] in ("(", "["):  # a link, not a citation
            return False
        items = [_ITEM.match(part) for part in m.group(1).split(";")]
        if not all(items):
            return False
        keys = tuple(i.group("key").strip("{}") for i in items)
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
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)
    return md


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
        if at < 0:
            return (self.line, self.col)
        nl = bisect.bisect_right(self._starts, at) - 1
        col = (at - self._starts[nl] + 1) if nl else (self.col + at)
        return (self.line + nl, col)

    def line_start(self, line_in_raw: int) -> int:
        """Offset of a 0-based line of the raw text."""
        return self._starts[min(line_in_raw, len(self._starts) - 1)]


def parse(md: MarkdownIt, source: str, path: str, locator: Locator) -> Draft:
    """Parse one text; record its citations, cross-references and unsafe HTML with positions."""
    tokens = md.parse(source)
    draft = Draft(source, Origin(path, locator.line), tokens)
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
                m = _XREF.match(child.attrGet("href") or "")
                if m:
                    line, col = locator.find(m.group(0), start)
                    draft.xrefs.append(XrefUse((XREF_KINDS[m.group(1)], m.group(2)), line, col))
    for pattern, message in _UNSAFE:
        for m in pattern.finditer(source):
            line, col = locator.find(m.group(0))
            draft.unsafe.append((line, col, message.format(m.group(1).lower())))
    return draft


class Renderer:
    """Turns drafts into `RichText` once citations are formatted and titles known."""

    def __init__(self, md: MarkdownIt):
        self.md = md
        self.citations: dict[str, Citation] = {}
        self.reference_text: dict[str, str] = {}
        self.title_of: Callable[[Target], str] = lambda target: target[1]
        self.term_expansions: dict[str, str] = {}  # "SGO" -> "Special Guardianship Order"
        self._terms: re.Pattern | None = None

    def set_terms(self, expansions: dict[str, str]) -> None:
        self.term_expansions = expansions
        words = sorted(expansions, key=len, reverse=True)
        pattern = r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?=s?(?![\w-]))"  # also "IROs"
        self._terms = re.compile(pattern) if words else None

    def rich(self, draft: Draft, block: bool = False) -> RichText:
        """RichText for a draft; a lone paragraph renders without <p> unless `block`."""
        tokens = draft.tokens
        inline = not block and [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
        citations = tuple(dict.fromkeys(self.citations[c.source] for c in draft.cites))
        targets = tuple(dict.fromkeys(x.target for x in draft.xrefs))

        def render(link: Linker, abbreviations: bool) -> str:
            body = tokens[1].children if inline else tokens
            out = self._render(body, link, abbreviations)
            return out.strip() if inline else out

        return RichText(draft.source, draft.origin, citations, targets, render, inline)

    def _render(self, tokens: list[Token], link: Linker, abbreviations: bool) -> str:
        out: list[str] = []
        in_link = 0
        for i, tok in enumerate(tokens):
            if tok.children is not None and tok.type == "inline":
                out.append(self._render(tok.children, link, abbreviations))
            elif tok.type == "citation":
                out.append(self._citation(self.citations[tok.meta["source"]], link))
            elif tok.type == "link_open":
                in_link += 1
                href = tok.attrGet("href") or ""
                m = _XREF.match(href)
                if m:
                    target = (XREF_KINDS[m.group(1)], m.group(2))
                    title = self.title_of(target)
                    attrs = f' href="{_attr(link(target))}" class="xref"'
                    if target[0] == "term":
                        attrs += f' title="{_attr(self.term_expansions.get(title, title))}"'
                    out.append(f"<a{attrs}>")
                    if i + 1 < len(tokens) and tokens[i + 1].type == "link_close":  # [](route:x)
                        out.append(html.escape(title, quote=False))
                else:
                    title = tok.attrGet("title")
                    t = f' title="{_attr(title)}"' if title else ""
                    out.append(f'<a href="{_attr(href)}"{t}>')
            elif tok.type == "link_close":
                in_link -= 1
                out.append("</a>")
            elif tok.type == "text":
                text = html.escape(tok.content, quote=False)
                if abbreviations and not in_link and self._terms is not None:
                    text = self._terms.sub(self._abbr, text)
                out.append(text)
            elif tok.type == "heading_open":
                out.append(f'<{tok.tag} id="{_attr(tok.attrGet("id") or "")}">')
            else:
                out.append(self.md.renderer.render([tok], self.md.options, {}))
        return "".join(out)

    def _abbr(self, m: re.Match) -> str:
        word = m.group(1)
        return f'<abbr title="{_attr(self.term_expansions[word])}">{word}</abbr>'

    def _citation(self, citation: Citation, link: Linker) -> str:
        title = "\n\n".join(self.reference_text[k] for k in citation.keys)
        keys = " ".join(citation.keys)
        href = _attr(link(("reference", citation.keys[0])))
        if citation.note:
            return (f'<a class="citation note" href="{href}" title="{_attr(title)}" '
                    f'data-cites="{_attr(keys)}"><sup>†</sup><span class="note-text">{citation.html}</span></a>')
        return f'<a class="citation" href="{href}" title="{_attr(title)}" data-cites="{_attr(keys)}">{citation.html}</a>'


def _attr(value: str) -> str:
    return html.escape(value, quote=True)
