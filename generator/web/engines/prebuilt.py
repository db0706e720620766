"""A Python-Markdown extension that passes a prebuilt page through untouched.

MkDocs and Zensical both turn each docs page into HTML with Python-Markdown. Our
pages are already HTML (see `generator.web.pages`), so this extension stores the
whole body as one raw-HTML block, before any other processor sees it, and hands the
engine the page's table of contents as data. Nothing is parsed twice, and it works
in both engines (Zensical ignores MkDocs ``hooks:`` but runs Markdown extensions).

A page file, after its front matter, is one line of JSON (the table of contents)
followed by the body. `page_text` writes that; `PrebuiltExtension` reads it.
"""

from __future__ import annotations

import json

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor


def page_text(toc: list[dict], body: str) -> str:
    """The text after a page's front matter: the TOC tokens as JSON on one line, then the body."""
    return json.dumps(toc, ensure_ascii=False, separators=(",", ":")) + "\n" + body


class _Stash(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        toc, body = (lines[0], lines[1:]) if lines and lines[0].startswith("[") else ("[]", lines)
        self.md.prebuilt_toc = json.loads(toc)
        return [self.md.htmlStash.store("\n".join(body))]


class _Toc(Postprocessor):
    """Runs after the ``toc`` extension (a treeprocessor), so our TOC is the one the engine reads."""

    def run(self, text: str) -> str:
        self.md.toc_tokens = self.md.prebuilt_toc
        return text


class PrebuiltExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Stash(md), "briefings_prebuilt", 25)  # after normalize_whitespace
        md.postprocessors.register(_Toc(md), "briefings_toc", 0)


def makeExtension(**kwargs) -> PrebuiltExtension:
    return PrebuiltExtension(**kwargs)
