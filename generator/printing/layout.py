"""Laying out a briefing's PDF within its max_pages, cached by a hash of what it is made from.

A briefing that runs past its max_pages first gives up its optional extras (document.EXTRAS);
what still does not fit is a content problem at the briefing's `max_pages`, which `check`
finds by laying out those briefings (Typst only). Pandoc's syntax tree and Typst's PDF are
kept in ``.cache/print/`` beside the site configuration, named by a hash of their input and
of the tools and theme that make them, so `build` reuses what `check` laid out and an
unchanged briefing is not laid out again. Only the KEEP most recently used files are kept.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pypandoc
import typst

from generator import filecache
from generator.model import Briefing, Model
from generator.printing import docx, pandoc, typst_pdf
from generator.printing.document import PrintDocument, build_document, edition_text, page_html, site_address
from generator.printing.failures import located
from generator.printing.pandoc import PandocFailed
from generator.problems import ContentError, Problems

KEEP = 300  # files kept in the cache
_CODE = Path(pandoc.__file__).read_bytes() + Path(typst_pdf.__file__).read_bytes()
_DOCX_CODE = Path(docx.__file__).read_bytes()


@dataclass(frozen=True)
class Layout:
    """A briefing as printed: its document (with the extras that fit), pandoc's tree of it, its PDF."""

    doc: PrintDocument
    ast: bytes
    pdf: bytes

    @property
    def pages(self) -> int:
        return typst_pdf.page_count(self.pdf)

    @property
    def too_long(self) -> bool:
        limit = self.doc.briefing.max_pages
        return bool(limit and self.pages > limit)


def lay_out(model: Model, b: Briefing, cache: Path | None = None) -> Layout:
    """The briefing with as many of its extras as fit within its max_pages (all of them if it has none)."""
    doc = build_document(model, b)
    while True:
        layout = _layout(model, doc, cache)
        if not layout.too_long or not doc.extras:
            return layout
        doc = build_document(model, b, doc.extras - 1)


def check_page_limits(model: Model, problems: Problems, project: Path) -> None:
    """Lay out every briefing that has a max_pages; add an error for each that does not fit.

    Raises `PrintError` when Typst or pandoc fails for a reason outside the content.
    """
    cache = project / ".cache" / "print"
    limited = [b for b in model.briefings if b.max_pages]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        jobs = [(b, pool.submit(lay_out, model, b, cache)) for b in limited]
    for b, job in jobs:
        try:
            layout = job.result()
        except (typst.TypstError, PandocFailed) as exc:
            failure = located(exc, b, "laying out the PDF", project)
            if not isinstance(failure, ContentError):
                raise failure from None
            problems.items.extend(failure.problems.items)
            continue
        if layout.too_long:
            problems.error(b.origin.path, *b.max_pages_at, too_long_message(layout, model))
    prune(cache)


def too_long_message(layout: Layout, model: Model) -> str:
    b = layout.doc.briefing
    return (
        f"briefing '{b.id}' is {layout.pages} pages long with the style '{model.config.csl}', more than its "
        f"max_pages of {b.max_pages} even without its optional extras: shorten the texts it includes, "
        "name fewer recommendations, or raise max_pages"
    )


def _layout(model: Model, doc: PrintDocument, cache: Path | None) -> Layout:
    day = model.config.edition
    html = page_html(model, doc)
    ast = _cached(
        cache, "json", [_tools(pandoc.THEME), str(day).encode(), html.encode()], lambda: pandoc.html_to_ast(html, day)
    )
    main = typst_pdf.source(model, doc, "")  # the template's arguments, without the body
    pdf = _cached(
        cache,
        "pdf",
        [_tools(pandoc.THEME), str(day).encode(), ast, main.encode("utf-8")],
        lambda: typst_pdf.render_pdf(model, doc, ast),
    )
    return Layout(doc, ast, pdf)


def docx_of(model: Model, layout: Layout, cache: Path | None = None) -> bytes:
    """The briefing's DOCX, made from the tree it was laid out from; cached like the layout."""
    doc, day = layout.doc, model.config.edition
    settings = f"{doc.cover}\0{doc.briefing.title}\0{edition_text(model)}\0{site_address(model)}"
    return _cached(
        cache,
        "docx",
        [_tools(pandoc.THEME), _DOCX_CODE, str(day).encode(), layout.ast, settings.encode("utf-8")],
        lambda: docx.render_docx(model, doc, layout.ast),
    )


@cache
def _tools(theme: Path) -> bytes:
    """What the layout depends on besides its input: our code, pandoc's and Typst's versions, the theme."""
    h = hashlib.sha256(_CODE)
    h.update(f"{pypandoc.get_pandoc_version()}\0{importlib.metadata.version('typst')}".encode())
    for path in sorted(theme.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(theme).as_posix().encode() + b"\0")
            h.update(str(path.stat().st_size).encode() if path.parent.name == "fonts" else path.read_bytes())
    return h.digest()


def _cached(cache: Path | None, suffix: str, parts: list[bytes], make: Callable[[], bytes]) -> bytes:
    """`make()`, or what it gave before for the same `parts`, from `cache`."""
    if cache is None:
        return make()
    file = cache / f"{filecache.key(parts)}.{suffix}"
    data = filecache.read(file)
    if data is None:
        data = make()
        filecache.write(file, data)
    return data


def prune(cache: Path | None) -> None:
    """Delete all but the KEEP most recently used files of the cache (the default content needs about 30)."""
    if cache is not None:
        filecache.prune(cache, KEEP)
