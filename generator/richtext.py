"""Turn parsed drafts into the model's `RichText`: resolved, rendered and sanitised, once.

Rendering goes through markdown-it's own renderer over the whole token stream, with
render rules for citations, cross-references and glossary terms. Everything the rules
need (formatted citations, titles, terms, the slot table) travels in `env`, so the
renderer holds no state. The output passes through `sanitise.clean`, the one
allowlist for every HTML output.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from generator import sanitise
from generator.markdown import XREF, XREF_KINDS, Draft
from generator.model import NOTE_MARK, Citation, Origin, RichText, Target


@dataclass(frozen=True)
class Tables:
    """What rendering looks up: formatted citations, reference texts, titles and terms."""

    citations: dict[str, Citation]  # citation source as written -> formatted
    reference_text: dict[str, str]  # key -> formatted reference, plain text (tooltips)
    titles: dict[Target, str]  # cross-reference target -> its title
    terms: dict[str, str]  # "SGO" -> "Special Guardianship Order"


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


class RichRenderer:
    """Renders drafts with one markdown-it instance whose rules read `env`."""

    def __init__(self, md: MarkdownIt, tables: Tables):
        self.md = md
        self.tables = tables
        words = sorted(tables.terms, key=len, reverse=True)
        pattern = r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?=s?(?![\w-]))"  # also "IROs"
        self.term_pattern = re.compile(pattern) if words else None
        self.renderer = cast(RendererHTML, md.renderer)
        rules: dict[str, Any] = self.renderer.rules  # our rules are bound to this object, not the renderer
        rules["citation"] = self._citation
        rules["link_open"] = self._link_open
        rules["link_close"] = self._link_close
        rules["text"] = self._text

    def rich(self, draft: Draft | None, block: bool = False) -> RichText:
        """RichText for a draft; a lone paragraph renders without <p> unless `block`."""
        if draft is None:
            return RichText("", Origin("", 1), (), (), (), "", "")
        tokens = draft.tokens
        kinds = [t.type for t in tokens]
        inline = kinds == ["inline"] or (not block and kinds == ["paragraph_open", "inline", "paragraph_close"])
        citations = tuple(dict.fromkeys(self.tables.citations[c.source] for c in draft.cites))
        targets = tuple(dict.fromkeys(x.target for x in draft.xrefs))
        links: list[Target] = []
        notes: list[tuple[int, Citation]] = []
        web, paper = (self._render(tokens, inline, links, notes, web=flag) for flag in (True, False))
        return RichText(
            draft.source,
            Origin(draft.path, draft.line),
            citations,
            targets,
            tuple(links[: len(links) // 2]),
            web,
            paper,
            inline,
            tuple(notes),
        )

    def _render(
        self, tokens: list[Token], inline: bool, links: list[Target], notes: list[tuple[int, Citation]], web: bool
    ) -> str:
        # Both passes append the same slots in the same order; `rich` keeps the first half.
        env = {"links": links, "base": len(links), "web": web, "in_link": 0, "notes": notes}
        if inline:
            children = next(t.children for t in tokens if t.type == "inline") or []
            out = self.renderer.renderInline(children, self.md.options, env).strip()
        else:
            out = self.md.renderer.render(tokens, self.md.options, env)
        return sanitise.clean(out)

    # -- render rules: (tokens, idx, options, env) ------------------------------------
    def _slot(self, env: dict, target: Target) -> str:
        env["links"].append(target)
        return f"{sanitise.SLOT_SCHEME}:{len(env['links']) - 1 - env['base']}"

    def _citation(self, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        citation = self.tables.citations[tokens[idx].meta["source"]]
        href = self._slot(env, ("reference", citation.keys[0]))
        keys = dict.fromkeys(citation.keys)  # a work cited twice (two locators) is previewed once
        if citation.note and env["web"]:
            # A marker that `RichText.html` numbers per page; the slot is its last attribute.
            env["notes"].append((len(env["links"]) - 1 - env["base"], citation))
            return (
                f'{citation.lead}<a class="citation note" title="{_attr(citation.text)}" '
                f'data-cites="{_attr(" ".join(keys))}" href="{href}">{NOTE_MARK}</a>'
            )
        if citation.note:  # print: the note's text, which pandoc makes a footnote
            return (
                f'{citation.lead}<a class="citation note" href="{href}"><sup>†</sup>'
                f'<span class="note-text">{citation.html}</span></a>'
            )
        extras = ""
        if env["web"]:
            title = "\n\n".join(self.tables.reference_text[k] for k in keys)
            extras = f' title="{_attr(title)}" data-cites="{_attr(" ".join(keys))}"'
        return f'<a class="citation" href="{href}"{extras}>{citation.html}</a>'

    def _link_open(self, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        env["in_link"] += 1
        token = tokens[idx]
        m = XREF.match(str(token.attrGet("href") or ""))
        if not m:
            title = token.attrGet("title")
            extra = f' title="{_attr(str(title))}"' if title and env["web"] else ""
            return f'<a href="{_attr(str(token.attrGet("href") or ""))}"{extra}>'
        target = (XREF_KINDS[m.group(1)], m.group(2))
        title = self.tables.titles.get(target, target[1])
        extra = ""
        if target[0] == "term" and env["web"]:
            extra = f' title="{_attr(self.tables.terms.get(title, title))}"'
        out = f'<a href="{self._slot(env, target)}" class="xref"{extra}>'
        if idx + 1 < len(tokens) and tokens[idx + 1].type == "link_close":  # [](route:x) takes the title
            out += html.escape(title, quote=False)
        return out

    def _link_close(self, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        env["in_link"] -= 1
        return "</a>"

    def _text(self, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        content = tokens[idx].content
        if env["web"] and self._note_follows(tokens, idx):
            content = content.rstrip(" ")  # a note's number sits against the word it follows
        text = html.escape(content, quote=False)
        if env["web"] and not env["in_link"] and self.term_pattern is not None:
            text = self.term_pattern.sub(self._abbr, text)
        return text

    def _note_follows(self, tokens: Sequence[Token], idx: int) -> bool:
        """Whether a note style's citation without words of its own (a lead) comes next."""
        if idx + 1 >= len(tokens) or tokens[idx + 1].type != "citation":
            return False
        citation = self.tables.citations[tokens[idx + 1].meta["source"]]
        return citation.note and not citation.lead

    def _abbr(self, m: re.Match) -> str:
        word = m.group(1)
        return f'<abbr title="{_attr(self.tables.terms[word])}">{word}</abbr>'
