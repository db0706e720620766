"""The resolved, immutable model that every renderer reads.

`resolve.build_model()` produces one `Model`. By then every citation and
cross-reference has been checked and formatted, every text rendered to sanitised
HTML, and every back-link computed. It is plain data (it pickles). Renderers (web,
print) only read it: they never parse content or resolve keys.

Addresses are engine-neutral (see `generator.sitemap`): every item lives on a *page*
and may have an *anchor* on that page. A renderer turns an address into a relative
link (web) or an absolute URL (print, via `Model.public_url`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator import sitemap
from generator.sitemap import anchor_for

# A target names any linkable item: ("route", "adoption"), ("reference", "thoburn2021"),
# ("recommendation", "care-inquiry-5.1"), ("term", "sgo"), ("source", ...), ("topic", ...),
# ("page", ...), ("voice", ...), ("briefing", ...), ("figure", "adoption/2").
Target = tuple[str, str]
# A linker turns a target into the href a renderer wants.
Linker = Callable[[Target], str]

# Internal links in RichText HTML are slots: href="xref:N" names RichText.links[N].
_SLOT = 'href="xref:'
# A note style's citation on the web: a link whose slot is its last attribute, holding this mark.
NOTE_MARK = "<sup>†</sup>"


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
    ``note`` is true; ``lead`` holds what stays in the sentence before the note
    (the author of an in-text citation, ``@thoburn2021 [p. 3]``), else "".
    """

    source: str  # the pandoc syntax as written
    keys: tuple[str, ...]
    text: str  # formatted, plain text
    html: str  # formatted, inline HTML (italics etc.), no links
    note: bool = False
    lead: str = ""  # note styles: inline HTML before the note marker


# Numbers a note marker on its page (1, 2, ...), or None to leave the marker empty.
NoteNumberer = Callable[[Citation], int | None]


@dataclass(frozen=True)
class RichText:
    """Markdown written by an author, parsed, resolved and rendered to sanitised HTML.

    The HTML is stored twice: for the web (glossary abbreviations as ``<abbr>``,
    citations with the full reference as a tooltip) and for print (neither). Internal
    links are slots that `html(link)` fills with the renderer's own addresses. In a
    note style, the web form holds a marker per citation, `NOTE_MARK` in a link to the
    bibliography, that `html(link, note=...)` makes a numbered link to the page's note.
    """

    source: str
    origin: Origin
    citations: tuple[Citation, ...]
    targets: tuple[Target, ...]  # cross-references made in this text
    links: tuple[Target, ...]  # what each link slot points to, in slot order
    web: str
    paper: str
    inline: bool = False  # a single paragraph: the HTML has no <p> wrapper
    notes: tuple[tuple[int, Citation], ...] = ()  # note markers of the web form: (slot, citation)

    def html(self, link: Linker, *, abbreviations: bool = True, note: NoteNumberer | None = None) -> str:
        """HTML for this text, each internal link made by `link`; without abbreviations
        it is the print form (no <abbr>, no tooltips). With `note`, each note marker of the
        web form becomes ``<a href="#note-N" id="note-N-ref"><sup>N</sup></a>``."""
        parts = (self.web if abbreviations else self.paper).split(_SLOT)
        notes = dict(self.notes) if abbreviations and note else {}
        out = [parts[0]]
        for part in parts[1:]:
            number, _, rest = part.partition('"')
            index = int(number) if number.isdigit() else -1
            if index in notes and note:
                n = note(notes[index])
                if n is None:
                    out.append(f'href="#"{rest.replace(NOTE_MARK, "", 1)}')
                else:
                    marker = f'href="#note-{n}" id="note-{n}-ref" aria-label="Note {n}"'
                    out.append(marker + rest.replace(NOTE_MARK, f"<sup>{n}</sup>", 1))
                continue
            target = link(self.links[index]) if 0 <= index < len(self.links) else "#"
            out.append(f'href="{html.escape(target, quote=True)}"{rest}')
        return "".join(out)

    def __bool__(self) -> bool:
        return bool(self.source.strip())


@dataclass(frozen=True)
class Section:
    """A ``## heading`` section of a page body."""

    title: str  # plain text, for tables of contents
    heading: RichText  # the heading as written: inline Markdown, citations, terms
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
    title: str  # e.g. "Adoption, figure 2"
    outcome: str | None = None  # an outcome id (see Config.outcomes): its column in the evidence map
    period: str = ""  # when: the year(s) counted or the follow-up, e.g. "2019", "within two years of return"

    @property
    def context(self) -> str:
        """Who was counted and when, as shown with the figure everywhere: "population, period"."""
        return ", ".join(x for x in (self.population, self.period) if x)


@dataclass(frozen=True)
class Evidence:
    rating: str  # one of vocabulary.RATINGS
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
    label: str  # its short title, else its source and number: unique across the site
    note: RichText  # an editor's note, shown in small print under the item
    main: bool  # one of the main recommendations of the routes it serves

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
    # back-links, computed once by resolve
    recommendations: tuple[str, ...] = ()
    main_recommendations: tuple[str, ...] = ()  # the few shown on the route page and its handout
    voices: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    references: tuple[str, ...] = ()  # keys cited anywhere on this route's page
    handouts: tuple[str, ...] = ()  # ids of the route-handout briefings for this route

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
    anchors: tuple[str, ...] = ()  # ids of its headings


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
    fields: tuple[tuple[str, str], ...] = ()  # the entry's BibTeX fields as read (macros expanded), sorted

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
    kind: str  # one of vocabulary.BRIEFING_KINDS
    title: str
    subtitle: str
    audience: str
    max_pages: int | None
    max_pages_at: tuple[int, int]  # line and column of max_pages in the briefing's file (its origin if none)
    routes: tuple[str, ...]
    topics: tuple[str, ...]
    recommendations: tuple[str, ...]  # what it prints: its own selection, else chosen by resolve
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
    home_topic: str | None  # the topic introduced on the home page
    explainer: tuple[str, str | None] | None  # (page, anchor) that explains evidence ratings
    engine: str = "material"  # the site engine: "material" or "zensical"
    citations: str = "full"  # on the website: "full", or "compact" (a superscript number with a preview)
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

    def get(self, kind: str, id: str) -> Any:
        """The item of `kind` with `id` (route, topic, recommendation, source, page,
        voice, term, reference, briefing, figure ``<owner>/<n>``)."""
        return self._index[(kind, id)]

    def title_of(self, target: Target) -> str:
        kind, _ = target
        item = self._index[target]
        if kind == "recommendation":
            return item.label
        if kind == "voice":
            return item.who
        if kind == "term":
            return item.term
        if kind == "reference":
            return item.title or item.key
        return item.title

    def address(self, target: Target) -> tuple[str, str | None]:
        """(page, anchor) where a target lives; page is a slash path without extension."""
        kind, id = target
        if kind == "figure":
            owner = id.rsplit("/", 1)[0]
            return sitemap.address(kind, id, "route" if ("route", owner) in self._index else "topic")
        return sitemap.address(kind, id)

    def public_url(self, target: Target) -> str:
        """Absolute URL of a target on the published site (for print)."""
        return self.config.url + sitemap.url(*self.address(target))

    @property
    def _index(self) -> dict[Target, Any]:
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
            owners: tuple[Route | Topic, ...] = (*self.routes, *self.topics)
            for owner in owners:
                for figure in owner.figures:
                    index[("figure", f"{owner.id}/{figure.number}")] = figure
            for ref in self.references:
                index[("reference", ref.key)] = ref
            object.__setattr__(self, "_index_cache", index)
        return index

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_index_cache"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
