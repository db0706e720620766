"""DOCX: a briefing's syntax tree through pandoc with theme/print/reference.docx, then made
reproducible (fixed zip timestamps and order) with the footer filled in."""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile

from generator.model import Model
from generator.printing import pandoc
from generator.printing.document import PrintDocument, edition_text, site_address

PLACEHOLDER = b"{{footer}}"  # in reference.docx's footer


def render_docx(model: Model, doc: PrintDocument, ast: bytes) -> bytes:
    args = ["--standalone", "--reference-doc", str(pandoc.THEME / "reference.docx"),
            "--lua-filter", str(pandoc.THEME / "docx.lua")]
    if doc.cover:
        args += ["--toc", "--toc-depth=1"]
    data = pandoc.run(ast, "json", "docx", args, model.config.edition)
    footer = f"{doc.briefing.title} · {edition_text(model)} · {site_address(model)}"
    return normalise(data, html.escape(footer, quote=False).encode("utf-8"), model.config.edition)


def normalise(data: bytes, footer: bytes, day: dt.date) -> bytes:
    """Rewrite the archive: members sorted, timestamps the edition date, footer placeholder filled."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = src.namelist()
    first = [n for n in names if n == "[Content_Types].xml"]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for name in first + sorted(n for n in names if n not in first):
            content = src.read(name)
            if name.startswith("word/footer"):
                content = content.replace(PLACEHOLDER, footer)
            info = zipfile.ZipInfo(name, (day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dest.writestr(info, content)
    return out.getvalue()
