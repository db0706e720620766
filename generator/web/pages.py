"""The site as page records: every page's title, description, table of contents and HTML body.

Bodies come from ``*.html.j2`` Jinja templates with autoescaping on, so plain text
from the model is escaped on one path and only `RichText` HTML is marked safe.
Headings go through `Ctx.heading`, which records the table of contents as data.
In a note style, `Ctx.rt` numbers each citation's marker in reading order and the page
lists the notes at its foot (`notes` in ``_macros.j2``), each linking back to its marker.
Nothing here knows about a site engine: `generator.web.engines` turns records into
whatever MkDocs or Zensical reads.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator import sanitise, vocabulary
from generator.model import Citation, Model, Reference, RichText, Route, Target, anchor_for
from generator.opendata import FILES as DATA_FILES
from generator.web.links import asset, href, linker
from generator.web.mapview import map_context

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Heading:
    """An entry of a page's table of contents: ``<h{level} id="{id}">{html}</h{level}>``."""

    level: int
    id: str
    html: str  # inline HTML
    text: str  # the same as plain text


@dataclass(frozen=True)
class SitePage:
    """One page of the site, ready for any engine."""

    path: str  # "routes/adoption": the page is routes/adoption.html
    title: str
    description: str
    toc: tuple[Heading, ...]
    body: str  # the complete article HTML, headings included
    hide_toc: bool = False


# How the bibliography groups the items that cite a reference, in this order. Glossary entries
# are left out: a term's definition is not a page that relies on the work.
BACKLINK_GROUPS = {
    "route": "Routes",
    "topic": "Topics",
    "recommendation": "Recommendations",
    "voice": "Voices",
    "source": "Source documents",
    "briefing": "Briefings",
    "page": "Other pages",
}
BACKLINKS_OPEN = 6  # a reference cited by more items than this shows them collapsed


class Ctx:
    """What a template needs to link, format and record headings on one page."""

    def __init__(
        self, model: Model, page: str, explainer: tuple[str, str | None] | None, positions: dict[str, int]
    ) -> None:
        self.model, self.page, self.explainer = model, page, explainer
        self.positions = positions  # reference key -> its place in the style's bibliography order
        self.link = linker(model, page)
        self.toc: list[Heading] = []
        self.notes: list[Citation] = []  # note markers so far, in reading order
        self.listed = 0  # how many of them `new_notes` has handed to the list of notes

    def heading(self, level: int, id: str, text: str | Markup | RichText, attrs: str = "") -> Markup:
        """A heading; levels 2 go into the table of contents (a note's marker stays out of it).
        `text` is escaped unless it is Markup or RichText."""
        inner = self.rt(text) if isinstance(text, RichText) else Markup.escape(text)
        if level == 2:
            toc = Markup(text.html(self.link, note=lambda _: None)) if isinstance(text, RichText) else inner
            self.toc.append(Heading(level, id, str(toc), toc.striptags()))
        extra = Markup(f' class="{Markup.escape(attrs)}"') if attrs else ""
        return Markup(f'<h{level} id="{Markup.escape(id)}"{extra}>{inner}</h{level}>')

    def rt(self, text: RichText) -> Markup:
        return Markup(text.html(self.link, note=self._note))

    def plain(self, text: RichText) -> str:
        """The text's words, without note markers."""
        return Markup(text.html(self.link, note=lambda _: None)).striptags()

    def _note(self, citation: Citation) -> int:
        self.notes.append(citation)
        return len(self.notes)

    def new_notes(self) -> list[tuple[int, Markup, list[tuple[str, str]]]]:
        """The notes not yet listed: (number, the note as HTML, [(bibliography link, title)])."""
        out = []
        for n, citation in enumerate(self.notes[self.listed :], self.listed + 1):
            refs = [(self.link(("reference", k)), self._reference_name(k)) for k in dict.fromkeys(citation.keys)]
            out.append((n, Markup(sanitise.clean(citation.html)), refs))
        self.listed = len(self.notes)
        return out

    def _reference_name(self, key: str) -> str:
        ref = self.model.get("reference", key)
        return ref.title or ref.text

    def to(self, target: Target) -> str:
        return self.link(target)

    def href(self, page: str, anchor: str | None = None) -> str:
        return href(self.page, page, anchor)

    def asset(self, path: str) -> str:
        return asset(self.page, path)

    def anchor(self, id: str) -> str:
        return anchor_for(id)

    def audience(self, id: str) -> str:
        return self.model.config.audiences.get(id, id)

    def outcome(self, id: str) -> str:
        return self.model.config.outcomes.get(id, id)

    def rating(self, rating: str) -> Markup:
        """A rating as words, linked to the explainer: never colour alone."""
        words = Markup.escape(rating.capitalize())
        cls = "pb-rating pb-rating--" + rating.replace(" ", "-")
        if self.explainer is None:
            return Markup(f'<span class="{cls}">{words}</span>')
        return Markup(f'<a class="{cls}" href="{self.href(*self.explainer)}">{words}</a>')

    def references(self, keys: tuple[str, ...]) -> list[Reference]:
        """The references with these keys, in the style's bibliography order (without scanning
        the whole bibliography for every page: that made a site's build grow with routes x references)."""
        places = sorted({self.positions[k] for k in keys if k in self.positions})
        return [self.model.references[i] for i in places]

    def backlinks(self, ref: Reference) -> list[tuple[str, list[tuple[str, str]]]]:
        """The items citing `ref` by kind: (label, [(title, href)]), without repeats or glossary entries."""
        groups: dict[str, dict[str, str]] = {kind: {} for kind in BACKLINK_GROUPS}
        for b in ref.cited_by:
            if b.target[0] in groups:
                groups[b.target[0]].setdefault(self.href(b.page, b.anchor), b.title)
        return [
            (label, [(title, url) for url, title in groups[kind].items()])
            for kind, label in BACKLINK_GROUPS.items()
            if groups[kind]
        ]

    @staticmethod
    def date(day: dt.date) -> str:
        return vocabulary.format_date(day)


def headline(route) -> object | None:
    """The figure for a route's home-page card: the first headline figure, else the first."""
    return next((f for f in route.figures if f.headline), route.figures[0] if route.figures else None)


def handout(model: Model, route: Route):
    return model.get("briefing", route.handouts[0]) if route.handouts else None


@functools.cache
def _environment() -> Environment:
    """One environment per process: templates are compiled once, then reused by every build."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
    )


def _recommendation_views(model: Model) -> dict:
    """Groupings of recommendations for the recommendations page, in configured order."""
    recs = model.recommendations
    themes = [t for t in model.config.themes if any(r.theme == t for r in recs)]
    sources = [s for s in model.sources if s.recommendations]
    audiences = [a for a in model.config.audiences if any(a in r.audience for r in recs)]
    of_route: dict[str, list] = {r.id: [] for r in model.routes}
    for x in recs:  # one pass, not one over every recommendation per route
        for route_id in dict.fromkeys(x.routes):
            of_route[route_id].append(x)
    by_route = [(r.id, r.title, of_route[r.id]) for r in model.routes]
    by_source = [(s.id, s.short_title, [x for x in recs if x.source == s.id]) for s in sources]
    by_audience = [(a, model.config.audiences[a], [x for x in recs if a in x.audience]) for a in audiences]
    return {
        "by_theme": [(t, [r for r in recs if r.theme == t]) for t in themes],
        "sources_with_recs": sources,
        "browse": [
            ("route", "route", [g for g in by_route if g[2]]),
            ("source", "source", by_source),
            ("audience", "audience", by_audience),
        ],
        "facets": [
            ("route", "Route", [(r.id, r.title) for r in model.routes]),
            ("theme", "Theme", [(t, model.config.themes[t]) for t in themes]),
            ("source", "Source", [(s.id, s.short_title) for s in sources]),
            ("audience", "Audience", [(a, model.config.audiences[a]) for a in audiences]),
        ],
    }


def _bibliography_sections(refs: tuple[Reference, ...], size: int = 10) -> list[tuple[str, str, list[Reference]]]:
    """(id, heading, references) in the style's order: by first letter where the style sorts by
    author, else in runs of ten. Each is a section of its own, so search finds an entry, not the page."""
    letters = [(r.text.lstrip("[]0-9 .‘’'\"") or "?")[0].upper() for r in refs]
    if letters == sorted(letters):
        out: list[tuple[str, str, list[Reference]]] = []
        for letter, ref in zip(letters, refs, strict=True):
            if not out or out[-1][1] != letter:
                label = letter if letter.isalnum() else "Other"  # an entry with neither author nor title
                out.append((f"refs-{anchor_for(label)}", label, []))
            out[-1][2].append(ref)
        return out
    return [
        (f"refs-{n + 1}", f"{n + 1}–{min(n + size, len(refs))}", list(refs[n : n + size]))
        for n in range(0, len(refs), size)
    ]


def _pages(model: Model) -> Iterator[tuple[str, str, dict]]:
    """(page address, template, context) for every page of the site, in navigation order."""
    home_topic = model.config.home_topic
    citations = {c.page: c for c in model.page_citations}
    yield "index", "home.html.j2", {"permanence": model.get("topic", home_topic) if home_topic else None}
    for route in model.routes:
        yield (
            f"routes/{route.id}",
            "route.html.j2",
            {
                "route": route,
                "handout": handout(model, route),
                "citation": citations.get(f"routes/{route.id}"),
            },
        )
    for topic in model.topics:
        yield (
            f"topics/{topic.id}",
            "topic.html.j2",
            {"topic": topic, "citation": citations.get(f"topics/{topic.id}")},
        )
    yield "compare", "compare.html.j2", {"columns": vocabulary.COMPARE_COLUMNS}
    yield "map", "map.html.j2", map_context(model)
    yield "recommendations", "recommendations.html.j2", _recommendation_views(model)
    yield (
        "bibliography",
        "bibliography.html.j2",
        {
            "style": model.config.csl_title,
            "backlinks_open": BACKLINKS_OPEN,
            "sections": _bibliography_sections(model.references),
        },
    )
    yield "glossary", "glossary.html.j2", {"terms": sorted(model.terms, key=lambda t: t.term.lower())}
    yield "voices", "voices.html.j2", {}
    for source in model.sources:
        yield f"sources/{source.id}", "source.html.j2", {"source": source, "kind": vocabulary.SOURCE_KINDS[source.kind]}
    groups = [
        (k, label, [b for b in model.briefings if b.kind == k]) for k, (_, label) in vocabulary.BRIEFING_KINDS.items()
    ]
    yield "downloads", "downloads.html.j2", {"groups": [g for g in groups if g[2]], "data_files": DATA_FILES}
    yield "changes", "changes.html.j2", {}
    for page in model.pages:
        yield page.id, "page.html.j2", {"page": page}


def site_pages(model: Model) -> list[SitePage]:
    """Every page of the site as a record, in navigation order.

    A template sets ``title``, ``description`` and optionally ``hide_toc`` at its top
    level; its rendered output is the body.
    """
    env = _environment()
    explainer = model.config.explainer
    positions = {ref.key: i for i, ref in enumerate(model.references)}
    out = []
    for path, template, context in _pages(model):
        c = Ctx(model, path, explainer, positions)
        module = env.get_template(template).make_module(
            {"c": c, "model": model, "config": model.config, "headline": headline, **context}
        )
        if c.listed != len(c.notes):
            raise RuntimeError(f"{template} shows notes after its list of notes (the page_footer macro)")
        out.append(
            SitePage(
                path,
                str(vars(module)["title"]),
                str(getattr(module, "description", "")),
                tuple(c.toc),
                str(module).strip() + "\n",
                bool(getattr(module, "hide_toc", False)),
            )
        )
    return out
