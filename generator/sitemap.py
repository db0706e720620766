"""Where every item lives on the site: page paths, anchors and the URL suffix, defined once.

A page is a slash path without extension (``routes/adoption``); an item may have an
anchor on its page. The web renderer turns addresses into relative links, print and
the open data into public URLs; both read them from here.
"""

from __future__ import annotations

import functools

SUFFIX = ".html"
HOME = "index"
# Pages that list one kind of item, each item at its own anchor.
LIST_PAGES: dict[str, str] = {
    "recommendation": "recommendations",
    "reference": "bibliography",
    "term": "glossary",
    "voice": "voices",
    "briefing": "downloads",
}
# Kinds with a page of their own per item, under a folder.
FOLDERS: dict[str, str] = {"route": "routes", "topic": "topics", "source": "sources"}
COMPARE = "compare"


@functools.lru_cache(maxsize=65536)  # asked thousands of times per build, for a few hundred ids
def anchor_for(id: str) -> str:
    """An HTML id safe in CSS selectors and URLs: dots and other punctuation become '-'."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in id.lower())


def address(kind: str, id: str, figure_owner: str = "route") -> tuple[str, str | None]:
    """(page, anchor) of an item. A figure's id is ``<owner id>/<n>``; `figure_owner` is
    the kind of its owner (route or topic)."""
    if kind in FOLDERS:
        return (f"{FOLDERS[kind]}/{id}", None)
    if kind == "page":
        return (id, None)
    if kind == "figure":
        owner, n = id.rsplit("/", 1)
        return (f"{FOLDERS[figure_owner]}/{owner}", f"figure-{n}")
    if kind == "reference":
        return (LIST_PAGES[kind], "ref-" + anchor_for(id))
    if kind in LIST_PAGES:
        return (LIST_PAGES[kind], anchor_for(id))
    raise KeyError((kind, id))


def url(page: str, anchor: str | None = None) -> str:
    """A page's address relative to the site root, e.g. ``routes/adoption.html#figure-2``."""
    return page + SUFFIX + (f"#{anchor}" if anchor else "")
