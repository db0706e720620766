"""PDF: a briefing's syntax tree to Typst markup with pandoc, then the typst package, PDF/UA-1.

Fonts come only from theme/print/fonts/ and the fonts built into Typst, never from the
system, and the creation date is the edition date, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re

import typst

from generator import vocabulary
from generator.model import Model
from generator.printing import pandoc
from generator.printing.document import PrintDocument, edition_text, site_address

_PAGES = re.compile(rb"/Type/Pages/Count (\d+)")


def to_typst(ast: bytes, day: dt.date) -> str:
    """Typst markup of the body, the classed blocks turned into the template's functions.

    Without `smart`, curly quotes stay as written: pandoc would write them as straight ones for
    Typst to guess, and Typst opens a quote that follows a bracket ("source]‘").
    """
    return pandoc.run(ast, "json", "typst-smart", ["--lua-filter", str(pandoc.THEME / "typst.lua")], day).decode(
        "utf-8"
    )


def string(value: str) -> str:
    """A Typst string literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"'


def source(model: Model, doc: PrintDocument, body: str) -> str:
    """The main Typst file of one briefing: the template applied to its body."""
    c, b = model.config, doc.briefing
    d = c.edition
    lang, _, region = c.language.partition("-")
    args = {
        "lang": string(lang.lower()),
        "region": string(region.upper()) if region else "none",
        "title": string(b.title),
        "subtitle": string(b.subtitle),
        "kind-label": string(doc.kind_label),
        "audience": string(b.audience),
        "site-title": string(c.title),
        "edition": string(edition_text(model)),
        "edition-date": f"datetime(year: {d.year}, month: {d.month}, day: {d.day})",
        "publisher": string(c.publisher),
        "site": string(site_address(model)),
        "cover": "true" if doc.cover else "false",
    }
    call = ", ".join(f"{k}: {v}" for k, v in args.items())
    return f'#import "/briefing.typ": *\n#show: briefing.with({call})\n\n{body}\n'


def compile_pdf(text: str, day: dt.date) -> bytes:
    """Compile Typst source to a tagged PDF/UA-1 document; raises typst.TypstError."""
    # typst's stub cannot infer its `Input` type for bytes; the call returns the PDF's bytes
    return typst.compile(
        text.encode("utf-8"),
        root=str(pandoc.THEME),
        font_paths=[str(pandoc.THEME / "fonts")],
        ignore_system_fonts=True,
        pdf_standards=["ua-1"],
        timestamp=vocabulary.epoch(day),
    )  # type: ignore[misc]


def render_pdf(model: Model, doc: PrintDocument, ast: bytes) -> bytes:
    day = model.config.edition
    return compile_pdf(source(model, doc, to_typst(ast, day)), day)


def page_count(pdf: bytes) -> int:
    """Pages in a PDF written by Typst (its page tree root is the first object)."""
    m = _PAGES.search(pdf)
    if not m:
        raise ValueError("no page tree in the PDF")
    return int(m.group(1))
