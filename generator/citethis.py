""" "Cite this page": each route and topic page as a reference, in the site's CSL style and as BibTeX.

Every page is formatted in one pandoc run, from CSL-JSON entries written here, with a copy of
the style that formats each entry as it would be formatted alone (`standalone`): formatted
together, pages by the same author in the same year would get "2026a", "2026b", a numeric
style would number them and some styles would print "———" for a repeated author. The output
is cached by a hash of its input (`citecache`).
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from generator import citecache, citeproc
from generator.model import Model, PageCitation

# What makes an entry's text depend on the other entries formatted with it.
_BATCH_ATTRIBUTES = (
    "disambiguate-add-year-suffix",
    "disambiguate-add-names",
    "disambiguate-add-givenname",
    "givenname-disambiguation-rule",
    "subsequent-author-substitute",
    "subsequent-author-substitute-rule",
)


def cited_pages(model: Model) -> list[tuple[str, str]]:
    """(page, title) of every page that carries a "Cite this page" block."""
    return [(f"routes/{r.id}", r.title) for r in model.routes] + [(f"topics/{t.id}", t.title) for t in model.topics]


def page_key(model: Model, page: str) -> str:
    """A BibTeX key for a page: site title and edition year, then the page's id."""
    site = re.sub(r"[^a-z0-9]", "", model.config.title.lower())
    return f"{site}{model.config.edition.year}{re.sub(r'[^a-z0-9]', '', page.rsplit('/', 1)[-1])}"


def csl_entry(model: Model, page: str, title: str) -> dict:
    cfg = model.config
    edition = cfg.edition
    return {
        "id": page_key(model, page),
        "type": "webpage",
        "title": title,
        "container-title": cfg.title,
        "author": [{"literal": cfg.publisher or cfg.title}],
        "issued": {"date-parts": [[edition.year, edition.month, edition.day]]},
        "URL": cfg.url + page + ".html",
    }


def bibtex(model: Model, page: str, title: str) -> str:
    cfg = model.config
    fields = [
        ("author", "{" + _tex(cfg.publisher or cfg.title) + "}"),
        ("title", _tex(title)),
        ("organization", _tex(cfg.title)),
        ("date", cfg.edition.isoformat()),
        ("year", str(cfg.edition.year)),
        ("url", cfg.url + page + ".html"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{page_key(model, page)},\n{body}\n}}"


def page_citations(model: Model, style: citeproc.Style, cache: Path | None = None) -> tuple[PageCitation, ...]:
    """A citation for every route and topic page, formatted with `style` in one pandoc run.

    `cache` is the folder for cached output (`citecache`); by default nothing is kept.
    """
    pages = cited_pages(model)
    if not pages:
        return ()
    entries = [csl_entry(model, page, title) for page, title in pages]
    with tempfile.TemporaryDirectory(prefix="briefings-cite-") as tmp:
        path = Path(tmp) / "pages.json"
        path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
        alone = standalone(style, Path(tmp) / "style.csl")
        if cache is None:
            formatted = citeproc.format_all([], path, alone, model.config.language)
        else:
            formatted = citecache.format_all([], path, alone, model.config.language, cache)
    return tuple(
        PageCitation(
            page,
            formatted.reference_text[entry["id"]],
            formatted.references[entry["id"]],
            bibtex(model, page, title),
        )
        for (page, title), entry in zip(pages, entries, strict=True)
    )


def standalone(style: citeproc.Style, dest: Path) -> citeproc.Style:
    """A copy of `style`, written to `dest`, in which each bibliography entry reads as it does alone.

    Disambiguation (year suffixes, added names) and the subsequent-author substitute are off,
    and the citation number is always 1, as it is for an entry formatted on its own.
    """
    ET.register_namespace("", citeproc.CSL[1:-1])
    tree = ET.parse(style.path)
    for element in tree.getroot().iter():
        for name in _BATCH_ATTRIBUTES:
            element.attrib.pop(name, None)
        if element.get("variable") == "citation-number" and element.tag in (
            f"{citeproc.CSL}text",
            f"{citeproc.CSL}number",
        ):
            element.tag = f"{citeproc.CSL}text"
            for name in ("variable", "form"):
                element.attrib.pop(name, None)
            element.set("value", "1")
    tree.write(dest, encoding="utf-8", xml_declaration=True)
    return dataclasses.replace(style, path=dest)


def _tex(text: str) -> str:
    """Text safe inside a BibTeX field: TeX's special characters escaped."""
    return re.sub(r"([{}%&#_$\\])", r"\\\1", text)
