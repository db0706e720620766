""" "Cite this page": each route and topic page as a reference, in the site's CSL style and as BibTeX.

Each page is formatted in a pandoc run of its own, from a CSL-JSON entry written here
(formatted together, pages by the same author in the same year would get "2026a", "2026b").
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from generator import citeproc
from generator.model import Model, PageCitation


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


def page_citations(model: Model, style: citeproc.Style) -> tuple[PageCitation, ...]:
    """A citation for every route and topic page, formatted with `style` in one pandoc run."""
    out = []
    with tempfile.TemporaryDirectory(prefix="briefings-cite-") as tmp:
        path = Path(tmp) / "page.json"
        for page, title in cited_pages(model):
            path.write_text(json.dumps([csl_entry(model, page, title)], ensure_ascii=False), encoding="utf-8")
            formatted, key = citeproc.format_all([], path, style, model.config.language), page_key(model, page)
            out.append(
                PageCitation(page, formatted.reference_text[key], formatted.references[key], bibtex(model, page, title))
            )
    return tuple(out)


def _tex(text: str) -> str:
    """Text safe inside a BibTeX field: TeX's special characters escaped."""
    return re.sub(r"([{}%&#_$\\])", r"\\\1", text)
