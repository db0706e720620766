"""`render_briefings`: every briefing of the model as PDF and DOCX, the pandoc and Typst work in parallel."""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import typst

from generator.model import Briefing, Model
from generator.printing.document import build_document, page_html
from generator.printing.docx import render_docx
from generator.printing.pandoc import PandocFailed, html_to_ast
from generator.printing.typst_pdf import page_count, render_pdf
from generator.progress import Progress


class PrintError(Exception):
    """A briefing could not be rendered, or came out longer than its max_pages."""


def render_briefings(model: Model, out: Path, progress: Progress) -> list[Path]:
    """Write <briefing-id>.pdf and <briefing-id>.docx for every briefing into `out`; return the paths.

    Raises `PrintError` naming the briefing when pandoc or Typst fails or a PDF exceeds max_pages.
    """
    out.mkdir(parents=True, exist_ok=True)
    if not model.briefings:
        return []
    day = model.config.edition
    with progress.step(f"Rendering {len(model.briefings)} print briefings (PDF and DOCX)"):
        docs = [build_document(model, b) for b in model.briefings]
        # Longest first, so that the two cores finish together.
        order = sorted(range(len(docs)), key=lambda i: -len(docs[i].body))
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            ast_jobs = {i: pool.submit(html_to_ast, page_html(model, docs[i]), day) for i in order}
            asts = {i: _result(ast_jobs[i], docs[i].briefing, "reading the HTML") for i in order}
            pdf_jobs = {i: pool.submit(render_pdf, model, docs[i], asts[i]) for i in order}
            docx_jobs = {i: pool.submit(render_docx, model, docs[i], asts[i]) for i in order}
            written: list[Path] = []
            for i, doc in enumerate(docs):
                b = doc.briefing
                pdf = _result(pdf_jobs[i], b, "making the PDF")
                docx = _result(docx_jobs[i], b, "making the DOCX")
                extras = doc.extras
                while b.max_pages and page_count(pdf) > b.max_pages and extras:
                    extras -= 1
                    pdf, docx = _with_fewer_extras(model, b, extras)
                _check_length(b, pdf)
                written.append(_write(out / f"{b.id}.pdf", pdf))
                written.append(_write(out / f"{b.id}.docx", docx))
    return written


def _with_fewer_extras(model: Model, b: Briefing, extras: int) -> tuple[bytes, bytes]:
    """PDF and DOCX of a briefing rendered again with only `extras` of its optional extras."""
    doc = build_document(model, b, extras)
    with _reported(b, "rendering it shorter"):
        ast = html_to_ast(page_html(model, doc), model.config.edition)
        return render_pdf(model, doc, ast), render_docx(model, doc, ast)


def _result(job: Future, b: Briefing, what: str):
    with _reported(b, what):
        return job.result()


@contextmanager
def _reported(b: Briefing, what: str):
    """Turn a Typst or pandoc failure into a `PrintError` naming the briefing."""
    try:
        yield
    except typst.TypstError as exc:
        detail = "; ".join(filter(None, [exc.message, *exc.hints]))
        raise PrintError(f"briefing '{b.id}' ({b.origin.path}): Typst failed {what}: {detail}") from None
    except PandocFailed as exc:
        raise PrintError(f"briefing '{b.id}' ({b.origin.path}): pandoc failed {what}: {exc}") from None


def _check_length(b: Briefing, pdf: bytes) -> None:
    pages = page_count(pdf)
    if b.max_pages and pages > b.max_pages:
        raise PrintError(
            f"briefing '{b.id}' ({b.origin.path}) is {pages} pages long, more than its max_pages "
            f"of {b.max_pages}: shorten the texts it includes or name fewer recommendations"
        )


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
