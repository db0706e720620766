"""The resolved, immutable model that every renderer reads.

`load.build_model()` produces one `Model`. By then every citation and
cross-reference has been checked and formatted, and every back-link computed.
Renderers (web, print) only read it: they never parse content or resolve keys.

Addresses are engine-neutral: every item lives on a *page* (a slash path with
no extension, e.g. ``routes/adoption``) and may have an *anchor* on that page.
A renderer turns an address into a relative link (web) or an absolute URL
(print, via `Model.public_url`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable, Literal

# A target names any linkable item: ("route", "adoption"), ("reference", "thoburn2021"),
# ("recommendation", "care-inquiry-5.1"), ("term", "sgo"), ("source", ...), ("topic", ...),
# ("page", ...), ("voice", ...), ("briefing", ...), ("figure", "adoption/2").
Target = tuple[str, str]
# A linker turns a target into the href a renderer wants.
Linker = Callable[[Target], str]

Rating = Literal["high", "moderate", "low", "very low"]
RATINGS: tuple[str, ...] = ("high", "moderate", "low", "very low")
ENGINES: tuple[str, ...] = ("material", "zensical")  # site engines `engine:` may name


@dataclass(frozen=True)
class Origin:
    """Where an item was written: a path relative to the project root, and a 1-based line."""

    path: str
    line: int


@dataclass(frozen=True)
class Citation:
    """One pandoc citation group such as ``[@a, p. 3; @b]`` with its formatted text.

    ``text`` and ``html`` come from pandoc citeproc with the configured CSL style,
    e.g. ``(Thoburn, 2021, p. 3)``. For a note style they hold the note's text and
    ``note`` is true.
    """

    source: str  # the pandoc syntax as written
    keys: tuple[str, ...]
    text: str  # formatted, plain text
    html: str  # formatted, inline HTML (italics etc.), no links
    note: bool = False


@dataclass(frozen=True)
class RichText:
    """Markdown written by an author, parsed and resolved.

    Render it with `html(link)`: citations become links to their references with
    the full reference as a title (tooltip), cross-references become links, glossary
    abbreviations become ``<abbr>``. Print renderers pass the same HTML to pandoc.
    """

    source: str
    origin: Origin
    citations: tuple[Citation, ...]
    targets: tuple[Target, ...]  # cross-references made in this text
    _render: Callable[..., str] = field(repr=False, compare=False)
    inline: bool = False  # a single paragraph: html() gives no <p> wrapper

    def html(self, link: Linker, *, abbreviations: bool = True) -> str:
        """HTML for this text; `link` maps each target to an href."""
        return self._render(link, abbreviations)

    def __bool__(self) -> bool:
        return bool(self.source.strip())


@dataclass(frozen=True)
class Section:
    """A ``## heading`` section of a page body."""

    title: str
    slug: str
    body: RichText


@dataclass(frozen=True)
class Figure:
    """A headline number with what it measures and its citation (with locator)."""

    route: str  # id of the route or topic it belongs to
    number: int  # 1-based position on that page; anchor "figure-<number>"
    value: str
    measure: RichText
    population: str
    citation: RichText
    headline: bool
    outcome: str | None = None  # an outcome id (see Config.outcomes): its column in the evidence map
    period: str = ""  # when: the year(s) counted or the follow-up, e.g. "2019", "within two years of return"

    @property
    def context(self) -> str:
        """Who was counted and when, as shown with the figure everywhere: "population, period"."""
        return ", ".join(x for x in (self.population, self.period) if x)


@dataclass(frozen=True)
class Evidence:
    rating: Rating
    reason: RichText


@dataclass(frozen=True)
class Backlink:
    """An item that cites or mentions something, with the address to reach it."""

    target: Target
    title: str
    page: str
    anchor: str | None


@dataclass(frozen=True)
class Voice:
    id: str
    quote: str  # the words, plain text, without quotation marks
    who: str  # e.g. "Young person, Care Inquiry"
    routes: tuple[str, ...]
    topics: tuple[str, ...]
    citation: RichText
    origin: Origin


@dataclass(frozen=True)
class Recommendation:
    id: str  # stable, e.g. "care-inquiry-5.6"
    number: str  # as numbered in its source, e.g. "5.6" (may be "")
    source: str  # source id
    theme: str  # theme id (see Config.themes)
    routes: tuple[str, ...]  # route ids it serves
    audience: tuple[str, ...]  # audience ids (see Config.audiences)
    text: RichText
    citation: RichText
    origin: Origin

    @property
    def anchor(self) -> str:
        return anchor_for(self.id)


@dataclass(frozen=True)
class Compare:
    """Cells of the compare-routes table; each may carry citations."""

    who: RichText
    legal_basis: RichText
    stability: RichText
    support: RichText


@dataclass(frozen=True)
class Route:
    id: str
    title: str
    order: int
    summary: RichText
    key_messages: tuple[RichText, ...]
    figures: tuple[Figure, ...]
    evidence: Evidence
    outcomes: tuple[str, ...]
    compare: Compare
    reviewed: dt.date
    sections: tuple[Section, ...]  # "What the research says", "What helps", ...
    origin: Origin
    # back-links, computed once by the loader
    recommendations: tuple[str, ...] = ()
    voices: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    references: tuple[str, ...] = ()  # keys cited anywhere on this route's page

    def section(self, slug: str) -> Section | None:
        return next((s for s in self.sections if s.slug == slug), None)


@dataclass(frozen=True)
class Topic:
    """A cross-cutting evidence page (what permanence means, stability, contact...)."""

    id: str
    title: str
    order: int
    summary: RichText
    key_messages: tuple[RichText, ...]
    figures: tuple[Figure, ...]
    routes: tuple[str, ...]  # related routes
    reviewed: dt.date
    sections: tuple[Section, ...]
    origin: Origin
    voices: tuple[str, ...] = ()
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """A document the evidence base draws on (an evidence overview, an inquiry report...)."""

    id: str
    title: str
    short_title: str
    kind: str
    reference: str  # BibTeX key of the document itself
    year: int
    summary: RichText
    sections: tuple[Section, ...]
    origin: Origin
    recommendations: tuple[str, ...] = ()
    voices: tuple[str, ...] = ()
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    """A free page: about, methods, accessibility statement, how to contribute."""

    id: str
    title: str
    order: int
    body: RichText
    origin: Origin
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    id: str
    term: str  # the abbreviation or phrase as it appears in text, e.g. "SGO"
    expansion: str  # e.g. "Special Guardianship Order"
    definition: RichText
    origin: Origin


@dataclass(frozen=True)
class Reference:
    """A bibliography entry, formatted in the configured CSL style."""

    key: str
    type: str  # BibTeX entry type
    title: str
    year: str
    authors: str  # as written in BibTeX, for search
    doi: str | None
    url: str | None
    text: str  # formatted, plain text
    html: str  # formatted, inline HTML, DOI/URL as links
    origin: Origin
    cited_by: tuple[Backlink, ...] = ()
    designs: tuple[str, ...] = ()  # study designs from BibTeX keywords (see gapmap.DESIGNS)

    @property
    def anchor(self) -> str:
        return "ref-" + anchor_for(self.key)


@dataclass(frozen=True)
class SpeakerSection:
    """One session of an event briefing."""

    title: str
    speaker: str
    route: str | None
    key_messages: tuple[RichText, ...]


@dataclass(frozen=True)
class Briefing:
    """A print briefing: what it holds, for whom, how long."""

    id: str
    kind: Literal["route-handout", "summary", "event", "recommendations"]
    title: str
    subtitle: str
    audience: str
    max_pages: int | None
    routes: tuple[str, ...]
    topics: tuple[str, ...]
    recommendations: tuple[str, ...]  # explicit selection, or all that apply
    themes: tuple[str, ...]
    intro: RichText
    sections: tuple[SpeakerSection, ...]  # event briefings
    messages: tuple[RichText, ...]  # event briefings: collective messages
    source: str | None  # for event briefings, the source document
    origin: Origin


@dataclass(frozen=True)
class Edition:
    """An earlier edition listed in site_config.yml: its date and the git ref that holds it."""

    date: dt.date
    ref: str
    note: str = ""


@dataclass(frozen=True)
class EditionChanges:
    """What an edition changed from the one before it, as `briefings diff` computes it (see editions.py)."""

    date: dt.date
    ref: str  # the git ref it was built from; "" for the current edition
    note: str
    previous: dt.date | None  # the edition it is compared with; None for the first
    html: str  # the changes, or why they could not be computed; "" for the first edition


@dataclass(frozen=True)
class PageCitation:
    """How to cite a page of the site (see citethis.py): in the configured style, and as BibTeX."""

    page: str
    text: str
    html: str
    bibtex: str


@dataclass(frozen=True)
class Config:
    title: str
    subtitle: str
    description: str
    url: str  # public address of the site, ending in "/"
    language: str
    csl: str  # style name or path, as configured
    csl_title: str  # the style's own title, e.g. "Cite Them Right 12th edition - Harvard"
    edition: dt.date
    review_limit_days: int
    repository: str
    publisher: str
    themes: dict[str, str]  # id -> label
    audiences: dict[str, str]
    outcomes: dict[str, str]
    engine: str = "material"  # the site engine: "material" or "zensical"
    licence: str = ""  # the licence of the content and open data, e.g. "CC BY 4.0"
    editions: tuple[Edition, ...] = ()  # earlier editions, newest first


@dataclass(frozen=True)
class Model:
    config: Config
    routes: tuple[Route, ...]  # in display order
    topics: tuple[Topic, ...]
    recommendations: tuple[Recommendation, ...]
    sources: tuple[Source, ...]
    pages: tuple[Page, ...]
    voices: tuple[Voice, ...]
    terms: tuple[Term, ...]
    references: tuple[Reference, ...]  # in bibliography order of the CSL style
    briefings: tuple[Briefing, ...]
    # added by a build from the project folder (build.py), not by check
    changes: tuple[EditionChanges, ...] = ()  # newest edition first
    page_citations: tuple[PageCitation, ...] = ()

    def get(self, kind: str, id: str):
        """The item of `kind` with `id` (route, topic, recommendation, source, page,
        voice, term, reference, briefing)."""
        return self._index[(kind, id)]

    def title_of(self, target: Target) -> str:
        kind, id = target
        if kind == "figure":
            route_id, n = id.rsplit("/", 1)
            owner = self._index.get(("route", route_id)) or self._index[("topic", route_id)]
            return f"{owner.title}, figure {n}"
        item = self._index[target]
        if kind == "recommendation":
            source = self._index[("source", item.source)]
            if item.number:
                return f"{source.short_title}, recommendation {item.number}"
            return f"{source.short_title}: {opening_words(item.text.source)}"
        if kind == "voice":
            return item.who
        for attr in ("title", "term", "key", "id"):
            if hasattr(item, attr):
                return getattr(item, attr)
        return id

    def address(self, target: Target) -> tuple[str, str | None]:
        """(page, anchor) where a target lives; page is a slash path without extension."""
        kind, id = target
        if kind in ("route", "topic", "source"):
            return (f"{kind}s/{id}", None)
        if kind == "page":
            return (id, None)
        if kind == "figure":
            owner, n = id.rsplit("/", 1)
            page = "routes" if ("route", owner) in self._index else "topics"
            return (f"{page}/{owner}", f"figure-{n}")
        if kind == "recommendation":
            return ("recommendations", anchor_for(id))
        if kind == "reference":
            return ("bibliography", "ref-" + anchor_for(id))
        if kind == "term":
            return ("glossary", anchor_for(id))
        if kind == "voice":
            return ("voices", anchor_for(id))
        if kind == "briefing":
            return ("downloads", anchor_for(id))
        raise KeyError(target)

    def public_url(self, target: Target) -> str:
        """Absolute URL of a target on the published site (for print)."""
        page, anchor = self.address(target)
        return self.config.url + page + ".html" + (f"#{anchor}" if anchor else "")

    @property
    def _index(self) -> dict[Target, object]:
        index = self.__dict__.get("_index_cache")
        if index is None:
            index = {}
            for kind, items in (
                ("route", self.routes),
                ("topic", self.topics),
                ("recommendation", self.recommendations),
                ("source", self.sources),
                ("page", self.pages),
                ("voice", self.voices),
                ("term", self.terms),
                ("briefing", self.briefings),
            ):
                for item in items:
                    index[(kind, item.id)] = item
            for ref in self.references:
                index[("reference", ref.key)] = ref
            object.__setattr__(self, "_index_cache", index)
        return index


def opening_words(markdown: str, count: int = 8) -> str:
    """The first words of a text, without citations or link markup, for naming it."""
    text = re.sub(r"\[[^\[\]]*@[^\[\]]*\]", "", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    words = re.sub(r"[*_`]", "", text).split()
    return " ".join(words[:count]).rstrip(",.;:") + ("…" if len(words) > count else "")


def anchor_for(id: str) -> str:
    """An HTML id safe in CSS selectors and URLs: dots and other punctuation become '-'."""
    out = []
    for ch in id.lower():
        out.append(ch if ch.isalnum() or ch in "-_" else "-")
    return "".join(out)
