"""Regenerate reference.docx, the Word styles of every DOCX briefing.

Run from the repository root:  .venv/bin/python theme/print/make_reference_docx.py

It starts from pandoc's own reference document and sets A4 pages, fonts, heading colours with
good contrast, the styles the briefings' classed blocks use (Lede, Source Note, Bibliography,
Evidence Rating, Voice), TOC 1
and a footer whose "{{footer}}" placeholder the build replaces with the briefing's title,
edition date and site address. The output is byte-reproducible.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
FONT = "Arial"  # on every Word installation; LibreOffice maps it to the metric-compatible Liberation Sans
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x45, 0x45, 0x45)
ACCENT = RGBColor(0x1B, 0x4B, 0x6B)  # 9.1:1 on white, as in briefing.typ
ACCENT_HEX = "1B4B6B"
TINT = "E9F0F5"
WARM = "E8A33D"  # as in briefing.typ: decoration only, never text
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def default_reference() -> bytes:
    return subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
                          capture_output=True, check=True).stdout


def style(doc, name: str, size: float | None = None, color: RGBColor | None = None, bold: bool | None = None,
          base: str | None = None):
    try:
        s = doc.styles[name]
    except KeyError:
        s = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = doc.styles[base or "Body Text"]
        s.quick_style = True
    font = s.font
    font.name = FONT
    s.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    if size:
        font.size = Pt(size)
    if color is not None:
        font.color.rgb = color
    if bold is not None:
        font.bold = bold
    return s


# The children of w:pPr that come after w:shd, in the order the schema requires (Word checks it).
AFTER_SHD = ("w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
             "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
             "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
             "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
             "w:pPrChange")


def shade(paragraph_style, fill: str) -> None:
    ppr = paragraph_style.element.get_or_add_pPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    ppr.insert_element_before(shd, *AFTER_SHD)


def border(paragraph_style, side: str, color: str, eighths: int) -> None:
    """A rule on one side of every paragraph of the style, `eighths` of a point wide."""
    ppr = paragraph_style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(eighths)), ("space", "8"), ("color", color)):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)
    ppr.insert_element_before(borders, "w:shd", *AFTER_SHD)


def field(paragraph, code: str) -> None:
    """A Word field such as PAGE or NUMPAGES, updated when the document opens or prints."""
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text.startswith(" ") else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def build() -> bytes:
    doc = Document(io.BytesIO(default_reference()))
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        style(doc, name, 11, INK)
    style(doc, "Title", 24, ACCENT, True)
    style(doc, "Subtitle", 14, INK, False)
    style(doc, "Author", 10, MUTED)
    style(doc, "Date", 10, MUTED)
    for level, size in ((1, 16), (2, 13), (3, 11.5)):
        s = style(doc, f"Heading {level}", size, ACCENT, True)
        s.font.italic = False
        s.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        s.paragraph_format.space_after = Pt(4)
    style(doc, "TOC Heading", 16, ACCENT, True)
    style(doc, "Bibliography", 9, INK).paragraph_format.left_indent = Cm(0.6)
    doc.styles["Bibliography"].paragraph_format.first_line_indent = Cm(-0.6)
    doc.styles["Hyperlink"].font.color.rgb = ACCENT
    lede = style(doc, "Lede", 12, INK)
    shade(lede, TINT)
    style(doc, "Source Note", 9, MUTED)
    rating = style(doc, "Evidence Rating", 11, INK)
    border(rating, "left", ACCENT_HEX, 18)
    voice = style(doc, "Voice", 12, INK)
    voice.paragraph_format.left_indent = Cm(0.4)
    border(voice, "left", WARM, 18)
    style(doc, "TOC 1", 11, INK).paragraph_format.space_after = Pt(3)
    style(doc, "Footer", 8, MUTED, base="Normal")

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(2)
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.style = doc.styles["Footer"]
    p.add_run("{{footer}} · Page ")
    field(p, "PAGE")
    p.add_run(" of ")
    field(p, "NUMPAGES")

    doc.core_properties.title = "Permanence Briefings reference document"
    out = io.BytesIO()
    doc.save(out)
    return fix_zip(out.getvalue())


def fix_zip(data: bytes, date_time=FIXED_TIME) -> bytes:
    """The same archive with fixed timestamps and order, so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        names = src.namelist()
        first = [n for n in names if n == "[Content_Types].xml"]
        for name in first + sorted(n for n in names if n not in first):
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dest.writestr(info, src.read(name))
    return out.getvalue()


if __name__ == "__main__":
    (HERE / "reference.docx").write_bytes(build())
    print(f"wrote {HERE / 'reference.docx'}")
