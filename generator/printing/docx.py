"""DOCX: a briefing's syntax tree through pandoc with theme/print/reference.docx, then made
reproducible (fixed zip timestamps and order) with the footer and the table of contents filled in."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile

from generator.model import Model
from generator.printing import pandoc
from generator.printing.document import PrintDocument, edition_text, site_address

PLACEHOLDER = b"{{footer}}"  # in reference.docx's footer


def render_docx(model: Model, doc: PrintDocument, ast: bytes) -> bytes:
    args = [
        "--standalone",
        "--reference-doc",
        str(pandoc.THEME / "reference.docx"),
        "--lua-filter",
        str(pandoc.THEME / "docx.lua"),
    ]
    if doc.cover:
        args += ["--toc", "--toc-depth=1", "--metadata=toc-title:Contents"]
    data = pandoc.run(ast, "json", "docx", args, model.config.edition)
    footer = f"{doc.briefing.title} · {edition_text(model)} · {site_address(model)}"
    return normalise(data, html.escape(footer, quote=False).encode("utf-8"), model.config.edition)


_TOC_FIELD = re.compile(
    rb'<w:p>(<w:r><w:fldChar w:fldCharType="begin" w:dirty="true" />'
    rb'<w:instrText xml:space="preserve">TOC [^<]*</w:instrText>'
    rb'<w:fldChar w:fldCharType="separate" />)(<w:fldChar w:fldCharType="end" /></w:r></w:p>)'
)
_HEADING_1 = re.compile(
    rb'<w:bookmarkStart w:id="\d+" w:name="([^"]+)" />\s*'
    rb'<w:p><w:pPr><w:pStyle w:val="Heading1" /></w:pPr>(.*?)</w:p>',
    re.S,
)
_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def write_out_toc(xml: bytes) -> bytes:
    """Fill pandoc's empty table-of-contents field with a linked entry per top-level heading.

    Word and LibreOffice show a field's last result when they open a file, so the contents
    appear at once; updating the field in Word adds page numbers.
    """
    entries = [(name, b"".join(_TEXT.findall(body))) for name, body in _HEADING_1.findall(xml)]
    if not entries:
        return xml

    def entry(name: bytes, text: bytes) -> bytes:
        return (
            b'<w:hyperlink w:anchor="' + name + b'" w:history="1"><w:r><w:rPr><w:rStyle w:val="Hyperlink" />'
            b'</w:rPr><w:t xml:space="preserve">' + text + b"</w:t></w:r></w:hyperlink>"
        )

    style = b'<w:pPr><w:pStyle w:val="TOC1" /></w:pPr>'

    def fill(m: re.Match) -> bytes:
        paragraphs = [style + entry(name, text) for name, text in entries]
        paragraphs[0] = style + m.group(1) + b"</w:r>" + entry(*entries[0])  # the field starts...
        return b"<w:p>" + b"</w:p><w:p>".join(paragraphs) + b"<w:r>" + m.group(2)  # ...and ends round them

    return _TOC_FIELD.sub(fill, xml, count=1)


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
            elif name == "word/document.xml":
                content = write_out_toc(content)
            info = zipfile.ZipInfo(name, (day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dest.writestr(info, content)
    return out.getvalue()
