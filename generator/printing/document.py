"""What each print briefing says: one HTML body per briefing, built from the model.

The HTML uses plain headings, lists and tables, plus a few classed blocks (``lede``, ``meta``,
``note``, ``refs``, ``rec``, ``byline``, ``rating``, ``voice``, ``contents``, ``newpage``) that the
Typst and Word filters in ``theme/print/`` style. Citations keep the strings pandoc citeproc made for the site;
links point to the published site.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from generator import gapmap, vocabulary
from generator.model import Briefing, Figure, Model, Recommendation, RichText, Route, Topic, Voice

# What a briefing may leave out to stay within its max_pages, the last given up first.
# "bibliography" applies to note styles only: there each work's first note already gives it in full.
EXTRAS = ("reason", "voice", "bibliography")  # why the evidence has its rating; a voice on a route handout
SUMMARY_RECOMMENDATIONS = 3  # main recommendations per route in a summary briefing
GLANCE_COLUMNS = '<colgroup><col style="width: 28%"><col style="width: 17%"><col style="width: 55%"></colgroup>'
FIGURE_COLUMNS = '<colgroup><col style="width: 18%"><col style="width: 52%"><col style="width: 30%"></colgroup>'


@dataclass(frozen=True)
class PrintDocument:
    """One briefing, ready for pandoc: metadata and an HTML body whose sections are <h1>."""

    briefing: Briefing
    kind_label: str
    body: str
    cover: bool  # a cover page and a table of contents
    extras: int  # how many optional extras it holds, to leave out if it runs past its max_pages


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
    head = (
        f"<title>{html.escape(b.title)}</title>{meta('subtitle', b.subtitle)}{meta('date', date)}"
        f"{meta('author', model.config.publisher)}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{model.config.language}"><head>{head}</head><body>\n{doc.body}\n</body></html>'
    )


def build_document(model: Model, briefing: Briefing, extras: int = len(EXTRAS)) -> PrintDocument:
    """The briefing's HTML with at most the first `extras` of EXTRAS, which fit only when there is room."""
    writer = _Writer(model, briefing, EXTRAS[:extras])
    {
        "route-handout": writer.route_handout,
        "summary": writer.summary,
        "event": writer.event,
        "recommendations": writer.recommendations,
    }[briefing.kind]()
    return PrintDocument(
        briefing,
        vocabulary.BRIEFING_KINDS[briefing.kind][0],
        "\n".join(writer.out),
        briefing.kind == "summary",
        len(writer.used),
    )


class _Writer:
    """Appends HTML to `out` and remembers every reference the briefing cites."""

    def __init__(self, model: Model, briefing: Briefing, extras: tuple[str, ...]):
        self.model = model
        self.b = briefing
        self.extras = extras
        self.used: set[str] = set()
        self.out: list[str] = []
        self.cited: set[str] = set()
        self.notes = False  # the style is a note style: citations are footnotes

    # -- text ---------------------------------------------------------------------------
    def inline(self, text: RichText) -> str:
        self.cited.update(k for c in text.citations for k in c.keys)
        self.notes |= any(c.note for c in text.citations)
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
        rows = [
            f"<tr><td><strong>{esc(f.value)}</strong></td><td>{self.inline(f.measure)}<br>"
            f"<em>{esc(f.context)}</em></td><td>{self.inline(f.citation)}</td></tr>"
            for f in figures
        ]
        self.add(
            f"<table>{FIGURE_COLUMNS}<thead><tr><th>Figure</th><th>What it shows</th><th>Source</th></tr></thead>",
            "<tbody>",
            *rows,
            "</tbody></table>",
        )

    def recommendation(self, rec: Recommendation, with_routes: bool) -> str:
        source = self.model.get("source", rec.source)
        where = (
            f"{esc(source.short_title)}, recommendation {esc(rec.number)}" if rec.number else esc(source.short_title)
        )
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
        if entries and self.notes:
            if "bibliography" not in self.extras:
                return
            self.used.add("bibliography")
        if entries:
            self.heading(1, "References")
            self.add('<div class="refs">', *(f"<p>{r.html}</p>" for r in entries), "</div>")

    def read_more(self, url: str, what: str) -> None:
        self.add(f'<div class="note"><p>{esc(what)}: <a href="{html.escape(url)}">{esc(url)}</a></p></div>')

    # -- the four kinds -----------------------------------------------------------------
    def route_handout(self) -> None:
        route: Route = self.model.get("route", self.b.routes[0])
        self.intro(route.summary)
        self.rating(route)
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
        if "voice" in self.extras and route.voices:
            self.used.add("voice")
            self.voice(self.model.get("voice", route.voices[0]))
        recs = self.selected_recommendations()
        if recs:
            self.heading(1, "Main recommendations")
            self.add("<ul>", *(self.recommendation(r, with_routes=False) for r in recs), "</ul>")
        self.read_more(self.model.public_url(("route", route.id)), "The full evidence, all recommendations and updates")
        self.references()

    def voice(self, voice: Voice) -> None:
        self.add(
            f'<div class="voice"><p>“{esc(voice.quote)}”</p>'
            f'<div class="meta"><p>{esc(voice.who)} {self.inline(voice.citation)}</p></div></div>'
        )

    def summary(self) -> None:
        """A summary, not the whole evidence base: per route its key points and main recommendations."""
        self.add('<div class="contents"></div>')
        self.heading(1, "About this summary")
        if self.b.intro:
            self.add(self.block(self.b.intro))
        self.read_more(self.model.config.url, "The full evidence on every route, with updates")
        handout = self.recommendations_briefing()
        if handout:
            url = f"{self.model.config.url}briefings/{handout.id}.pdf"
            self.add(
                f"<p>Each route below ends with its main recommendations. All the recommendations, grouped by "
                f"theme with the routes each serves, are in the briefing <em>{esc(handout.title)}</em>: "
                f'<a href="{html.escape(url)}">{esc(url)}</a>.</p>'
            )
        self.glance([self.model.get("route", r) for r in self.b.routes])
        self.evidence_map([self.model.get("route", r) for r in self.b.routes])
        for route_id in self.b.routes:
            route = self.model.get("route", route_id)
            self.add('<div class="newpage"></div>')
            self.heading(1, route.title, f"route-{route.id}")
            self.item(route)
            recs = [self.model.get("recommendation", i) for i in route.main_recommendations[:SUMMARY_RECOMMENDATIONS]]
            if recs:
                self.heading(2, "Main recommendations")
                where = f"in the briefing “{esc(handout.title)}” and " if handout else ""
                self.add(
                    f'<div class="note"><p>{len(recs)} of the {len(route.recommendations)} recommendations that '
                    f"serve this route; all are {where}on the website.</p></div>",
                    "<ul>",
                    *(self.recommendation(r, with_routes=False) for r in recs),
                    "</ul>",
                )
        for n, topic_id in enumerate(self.b.topics):
            topic = self.model.get("topic", topic_id)
            if not n:
                self.add('<div class="newpage"></div>')
            self.heading(1, topic.title, f"topic-{topic.id}")
            self.item(topic)
        self.references()

    def glance(self, routes: list[Route]) -> None:
        """A table of the routes: each one's evidence rating and headline figure."""
        rows = []
        for route in routes:
            figure = next((f for f in route.figures if f.headline), None)
            shown = (
                f"<strong>{esc(figure.value)}</strong> {self.inline(figure.measure)}<br><em>{esc(figure.context)}</em>"
                if figure
                else ""
            )
            rows.append(
                f"<tr><td>{esc(route.title)}</td><td>{esc(route.evidence.rating.capitalize())}</td>"
                f"<td>{shown}</td></tr>"
            )
        self.heading(1, "The routes at a glance")
        self.add(
            '<div class="note"><p>Each figure comes from a different study, with its own children, definitions and '
            "period: they are not directly comparable.</p></div>"
        )
        self.add(
            f"<table>{GLANCE_COLUMNS}<thead><tr><th>Route</th><th>Strength of evidence</th>"
            "<th>A headline figure</th></tr></thead>",
            "<tbody>",
            *rows,
            "</tbody></table>",
        )

    def evidence_map(self, routes: list[Route]) -> None:
        """The evidence map (gapmap): studies per route and outcome, gaps in words."""
        outcomes = self.model.config.outcomes
        rows = [
            f"<tr><td>{esc(route.title)}</td>"
            + "".join(
                f"<td>{len(c.studies)} {'study' if len(c.studies) == 1 else 'studies'}</td>"
                if c.studies
                else "<td>Gap</td>"
                for c in gapmap.route_cells(route, outcomes)
            )
            + "</tr>"
            for route in routes
        ]
        self.heading(2, "Where the evidence is: the evidence map")
        self.add(
            "<table><thead><tr><th>Route</th>"
            + "".join(f"<th>{esc(label)}</th>" for label in outcomes.values())
            + "</tr></thead>",
            "<tbody>",
            *rows,
            "</tbody></table>",
        )

    def recommendations_briefing(self) -> Briefing | None:
        """The briefing that lists every recommendation, for a summary to point to."""
        return next((b for b in self.model.briefings if b.kind == "recommendations"), None)

    def rating(self, route: Route) -> None:
        """The evidence rating; with room, its reason."""
        reason = ""
        if "reason" in self.extras:
            self.used.add("reason")
            reason = " " + self.inline(route.evidence.reason)
        self.add(
            f'<div class="rating"><p><strong>Strength of the evidence: {esc(route.evidence.rating)}.</strong>'
            f"{reason}</p></div>"
        )

    def item(self, item: Route | Topic) -> None:
        """Summary, evidence rating (of a route), key messages and headline figures."""
        self.add(self.block(item.summary))
        if isinstance(item, Route):
            self.rating(item)
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
