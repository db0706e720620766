"""What each print briefing says: one HTML body per briefing, built from the model.

The HTML uses plain headings, lists and tables, plus a few classed blocks (``lede``,
``meta``, ``note``, ``refs``, ``rec``, ``byline``, ``contents``) that the Typst and Word filters in
``theme/print/`` style. Citations keep the strings pandoc citeproc made for the site;
links point to the published site.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from generator import vocabulary
from generator.model import Briefing, Figure, Model, Recommendation, RichText, Route, Topic

FIGURE_COLUMNS = '<colgroup><col style="width: 18%"><col style="width: 52%"><col style="width: 30%"></colgroup>'


@dataclass(frozen=True)
class PrintDocument:
    """One briefing, ready for pandoc: metadata and an HTML body whose sections are <h1>."""

    briefing: Briefing
    kind_label: str
    body: str
    cover: bool  # a cover page and a table of contents


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def edition_text(model: Model) -> str:
    """The edition date as printed, e.g. "22 November 2026"."""
    return vocabulary.format_date(model.config.edition)


def site_address(model: Model) -> str:
    """The site's address as printed: without the scheme or a trailing slash."""
    return model.config.url.removeprefix("https://").removeprefix("http://").rstrip("/")


def page_html(model: Model, doc: PrintDocument) -> str:
    """The briefing as a whole HTML page; pandoc reads the title, subtitle and date from its head."""
    b = doc.briefing

    def meta(name: str, value: str) -> str:
        return f'<meta name="{name}" content="{html.escape(value)}">' if value else ""

    date = f"For: {b.audience} · Edition: {edition_text(model)}"
    head = (f"<title>{html.escape(b.title)}</title>{meta('subtitle', b.subtitle)}{meta('date', date)}"
            f"{meta('author', model.config.publisher)}")
    return f'<!DOCTYPE html>\n<html lang="{model.config.language}"><head>{head}</head><body>\n{doc.body}\n</body></html>'


def build_document(model: Model, briefing: Briefing) -> PrintDocument:
    writer = _Writer(model, briefing)
    {"route-handout": writer.route_handout, "summary": writer.summary, "event": writer.event,
     "recommendations": writer.recommendations}[briefing.kind]()
    return PrintDocument(briefing, vocabulary.BRIEFING_KINDS[briefing.kind][0], "\n".join(writer.out), briefing.kind == "summary")


class _Writer:
    """Appends HTML to `out` and remembers every reference the briefing cites."""

    def __init__(self, model: Model, briefing: Briefing):
        self.model = model
        self.b = briefing
        self.out: list[str] = []
        self.cited: set[str] = set()

    # -- text ---------------------------------------------------------------------------
    def inline(self, text: RichText) -> str:
        self.cited.update(k for c in text.citations for k in c.keys)
        return text.html(self.model.public_url, abbreviations=False)

    def block(self, text: RichText) -> str:
        body = self.inline(text)
        return f"<p>{body}</p>" if text.inline else body

    def add(self, *parts: str) -> None:
        self.out.extend(parts)

    def heading(self, level: int, title: str, id: str = "") -> None:
        attr = f' id="{html.escape(id)}"' if id else ""
        self.add(f"<h{level}{attr}>{esc(title)}</h{level}>")

    def bullets(self, texts) -> None:
        self.add("<ul>", *(f"<li>{self.block(t)}</li>" for t in texts), "</ul>")

    def link(self, target, label: str) -> str:
        return f'<a href="{html.escape(self.model.public_url(target))}">{esc(label)}</a>'

    # -- pieces shared by the kinds -----------------------------------------------------
    def intro(self, lede: RichText | None = None) -> None:
        if lede:
            self.add('<div class="lede">', self.block(lede), "</div>")
        if self.b.intro:
            self.add(self.block(self.b.intro))

    def figures(self, figures: tuple[Figure, ...]) -> None:
        rows = [f"<tr><td><strong>{esc(f.value)}</strong></td><td>{self.inline(f.measure)}<br>"
                f"<em>{esc(f.population)}</em></td><td>{self.inline(f.citation)}</td></tr>" for f in figures]
        self.add(f"<table>{FIGURE_COLUMNS}<thead><tr><th>Figure</th><th>What it shows</th><th>Source</th></tr></thead>",
                 "<tbody>", *rows, "</tbody></table>")

    def recommendation(self, rec: Recommendation, with_routes: bool) -> str:
        source = self.model.get("source", rec.source)
        where = f"{esc(source.short_title)}, recommendation {esc(rec.number)}" if rec.number else esc(source.short_title)
        meta = f"Source: {where} {self.inline(rec.citation)}."
        if with_routes:
            meta += f" Routes: {self.routes_of(rec)}."
        if rec.note:
            meta += f" Editor's note: {self.inline(rec.note)}"
        return f'<li><div class="rec">{self.block(rec.text)}<div class="meta"><p>{meta}</p></div></div></li>'

    def routes_of(self, rec: Recommendation) -> str:
        if len(rec.routes) == len(self.model.routes):
            return "all routes"
        return ", ".join(self.link(("route", r), self.model.get("route", r).title) for r in rec.routes)

    def recommendations_by_theme(self, recs: list[Recommendation], level: int, with_routes: bool) -> None:
        themes = self.b.themes or tuple(self.model.config.themes)
        for theme in themes:
            group = [r for r in recs if r.theme == theme]
            if group:
                self.heading(level, self.model.config.themes[theme])
                self.add("<ul>", *(self.recommendation(r, with_routes) for r in group), "</ul>")

    def selected_recommendations(self) -> list[Recommendation]:
        """The recommendations resolve chose for this briefing."""
        return [self.model.get("recommendation", i) for i in self.b.recommendations]

    def references(self, keys=None) -> None:
        """The reference list: `keys`, or everything this briefing cited, in the style's order."""
        wanted = self.cited if keys is None else set(keys)
        entries = [r for r in self.model.references if r.key in wanted]
        if entries:
            self.heading(1, "References")
            self.add('<div class="refs">', *(f"<p>{r.html}</p>" for r in entries), "</div>")

    def read_more(self, url: str, what: str) -> None:
        self.add(f'<div class="note"><p>{esc(what)}: <a href="{html.escape(url)}">{esc(url)}</a></p></div>')

    # -- the four kinds -----------------------------------------------------------------
    def route_handout(self) -> None:
        route: Route = self.model.get("route", self.b.routes[0])
        self.intro(route.summary)
        self.heading(1, "Key messages")
        self.bullets(route.key_messages)
        figures = tuple(f for f in route.figures if f.headline) or route.figures[:3]
        if figures:
            self.heading(1, "Headline figures")
            self.figures(figures)
        helps = route.section(vocabulary.WHAT_HELPS)
        if helps:
            self.heading(1, "What helps")
            self.add(self.inline(helps.body))
        recs = self.selected_recommendations()
        if recs:
            self.heading(1, "Main recommendations")
            self.add("<ul>", *(self.recommendation(r, with_routes=False) for r in recs), "</ul>")
        self.read_more(self.model.public_url(("route", route.id)), "The full evidence, all recommendations and updates")
        self.references()

    def summary(self) -> None:
        self.add('<div class="contents"></div>')
        self.heading(1, "About this summary")
        if self.b.intro:
            self.add(self.block(self.b.intro))
        self.read_more(self.model.config.url, "The full evidence on every route, with updates")
        for route_id in self.b.routes:
            route = self.model.get("route", route_id)
            self.heading(1, route.title, f"route-{route.id}")
            self.item(route)
            helps = route.section(vocabulary.WHAT_HELPS)
            if helps:
                self.heading(2, "What helps")
                self.add(self.inline(helps.body))
            self.add(f"<p><strong>Strength of the evidence: {esc(route.evidence.rating)}.</strong> "
                     f"{self.inline(route.evidence.reason)}</p>")
        for topic_id in self.b.topics:
            topic = self.model.get("topic", topic_id)
            self.heading(1, topic.title, f"topic-{topic.id}")
            self.item(topic)
        self.heading(1, "Recommendations by theme")
        self.recommendations_by_theme(self.selected_recommendations(), 2, with_routes=True)
        self.references([r.key for r in self.model.references])

    def item(self, item: Route | Topic) -> None:
        self.add(self.block(item.summary))
        self.heading(2, "Key messages")
        self.bullets(item.key_messages)
        figures = tuple(f for f in item.figures if f.headline)
        if figures:
            self.heading(2, "Headline figures")
            self.figures(figures)

    def event(self) -> None:
        self.intro()
        if self.b.source:
            source = self.model.get("source", self.b.source)
            self.cited.add(source.reference)
            self.add(f"<p>This briefing draws on <em>{esc(source.title)}</em> ({source.year}).</p>")
        for section in self.b.sections:
            self.heading(1, section.title)
            about = f"Speaker: {esc(section.speaker)}"
            if section.route:
                about += f". Route: {self.link(('route', section.route), self.model.get('route', section.route).title)}"
            self.add(f'<div class="byline"><p>{about}.</p></div>')
            self.bullets(section.key_messages)
        if self.b.messages:
            self.heading(1, "Collective messages")
            self.bullets(self.b.messages)
        self.references()

    def recommendations(self) -> None:
        self.intro()
        self.recommendations_by_theme(self.selected_recommendations(), 1, with_routes=True)
        self.references()
