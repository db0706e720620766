"""Build the immutable `Model` from checked content: format citations, render texts, link back.

This is the only place where ids, citation keys and cross-references are resolved,
where texts are rendered (once, to sanitised HTML) and where back-links and
selections are computed; renderers read the result.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator import citecache, citeproc, gapmap, vocabulary
from generator.bibliography import leftover_latex, locate_pandoc_error, plain
from generator.check import check_content, drafts_in, heading_ids, owners, recommendation_label
from generator.load import Content
from generator.markdown import Draft, new_parser, plain_words
from generator.memo import Memo
from generator.model import (
    Backlink,
    Briefing,
    Citation,
    Compare,
    Config,
    Edition,
    Evidence,
    Figure,
    Model,
    Origin,
    Page,
    Recommendation,
    Reference,
    Route,
    Section,
    Source,
    SpeakerSection,
    Target,
    Term,
    Topic,
    Voice,
)
from generator.problems import ContentError, Problems
from generator.richtext import RichRenderer, Tables


def build_model(
    root: Path, config_path: Path | None = None, strict: bool = False, memo: Memo | None = None
) -> tuple[Model, Problems]:
    """Check the content and build the model; raise `ContentError` listing every problem.
    A `memo` kept from an earlier build (`serve`) redoes only what the changed files feed."""
    c, style = check_content(root, config_path, memo=memo)
    if c.problems.failed(strict) or c.config is None or style is None:
        raise ContentError(c.problems)
    return Assembler(c, style).model(), c.problems


class Assembler:
    """Builds the model from checked content: formats citations, renders texts, links back."""

    def __init__(self, c: Content, style: citeproc.Style):
        self.c = c
        self.style = style
        keys_of: dict[str, tuple[str, ...]] = {}
        self.citers: dict[str, list[Target]] = {}  # reference key -> items citing it, in order
        for target, item in owners(c):
            for d in drafts_in(item):
                for u in d.cites:
                    keys_of[u.source] = u.keys
                    for key in u.keys:
                        self._cited_by(key, target)
            if target[0] == "source" and item.get("reference"):
                self._cited_by(item["reference"], target)
        assert c.config is not None and c.bib_path is not None
        sources = list(dict.fromkeys(u.source for d in _reading_order(c) for u in d.cites))
        # a secondary citation's entry names the work it is cited in: format that work in-text too
        self.cited_in = {k: e.fields["citedin"] for k, e in c.bib.items() if e.fields.get("citedin") in c.bib}
        parents = [f"@{parent}" for parent in dict.fromkeys(self.cited_in.values())]
        with tempfile.TemporaryDirectory() as tmp:  # pandoc reads the bibliography as load read it
            bib = c.bib_path
            if c.bib_for_pandoc:
                bib = Path(tmp, "references.bib")
                bib.write_text(c.bib_for_pandoc, encoding="utf-8")
            try:
                self.formatted = citecache.format_all(
                    sources + parents, bib, style, c.config["language"], c.root / ".cache"
                )
            except citeproc.PandocError as exc:
                path, line, col, message = locate_pandoc_error(
                    str(exc), "references.bib", _relative(style.path, c.root)
                )
                c.problems.error(*((path, line, col) if path else (c.config["_path"], *c.config["_pos_csl"])), message)
                raise ContentError(c.problems) from None
        for key, html in self.formatted.references.items():
            tex = leftover_latex(html)
            if tex and key in c.bib:
                c.problems.warn(
                    "references.bib",
                    c.bib[key].line,
                    1,
                    f"the formatted reference '{key}' still shows the TeX command '{tex}': "
                    "write the character itself (é, not \\'e; μ, not $\\mu$) or drop the command",
                )
        citations = {}
        for source in sources:
            text, html, note, lead = self.formatted.citations[source]
            citations[source] = Citation(source, keys_of[source], text, html, note, lead)
        short_titles = {x["id"]: x["short_title"] for x in c.sources}
        self.labels = {x["id"]: recommendation_label(x, short_titles) for x in c.recommendations}
        tables = Tables(
            citations=citations,
            reference_text=dict(self.formatted.reference_text),
            titles=self.titles(),
            terms={t["term"]: t["expansion"] for t in c.terms},
        )
        self.renderer = RichRenderer(new_parser(), tables)
        self.terms_key = repr(tables.terms)

    def _cited_by(self, key: str, target: Target) -> None:
        citers = self.citers.setdefault(key, [])
        if target not in citers:
            citers.append(target)

    def titles(self) -> dict[Target, str]:
        """The title of everything a cross-reference can name."""
        c = self.c
        titles: dict[Target, str] = {}
        for kind, items in (("route", c.routes), ("topic", c.topics), ("source", c.sources), ("page", c.pages)):
            titles.update(((kind, x["id"]), x["title"]) for x in items)
        titles.update((("recommendation", i), label) for i, label in self.labels.items())
        titles.update((("voice", x["id"]), x["who"]) for x in c.voices)
        titles.update((("term", x["id"]), x["term"]) for x in c.terms)
        return titles

    def rich(self, draft: Draft | None, block: bool = False):
        if draft is None:
            return self.renderer.rich(draft, block)
        return self.c.memo.get(self.rich_key(draft, block), self.renderer.rich, draft, block)

    def rich_key(self, draft: Draft, block: bool) -> tuple:
        """Everything rendering `draft` reads: its text and place, and what it looks up in the tables."""
        t = self.renderer.tables
        citations = tuple(t.citations[u.source] for u in draft.cites)
        return (
            draft.source,
            draft.path,
            draft.line,
            tuple(token.type for token in draft.tokens),  # a heading parses inline, a body as blocks
            block,
            citations,
            tuple(t.reference_text[k] for c in citations for k in c.keys),
            tuple(t.titles.get(x.target) for x in draft.xrefs),
            self.terms_key,
        )

    def model(self) -> Model:
        c, cfg = self.c, self.c.config
        assert cfg is not None
        r = self.rich
        explainer = None
        if cfg.get("explainer"):
            page, _, anchor = cfg["explainer"].partition("#")
            explainer = (page, anchor or None)
        config = Config(
            title=cfg["title"],
            subtitle=cfg.get("subtitle", ""),
            description=cfg.get("description", ""),
            url=cfg["url"] if cfg["url"].endswith("/") else cfg["url"] + "/",
            language=cfg["language"],
            csl=cfg["csl"],
            csl_title=self.style.title,
            edition=cfg["edition"],
            review_limit_days=cfg["review_limit_days"],
            repository=cfg.get("repository", ""),
            publisher=cfg.get("publisher", ""),
            themes=cfg["themes"],
            audiences=cfg["audiences"],
            outcomes=cfg["outcomes"],
            home_topic=cfg.get("home_topic"),
            explainer=explainer,
            engine=cfg.get("engine", "material"),
            citations=cfg.get("citations", "full"),
            licence=cfg.get("licence", ""),
            editions=tuple(Edition(e["date"], e["ref"], e.get("note", "")) for e in cfg.get("editions", [])),
        )
        terms = tuple(Term(t["id"], t["term"], t["expansion"], r(t["definition"]), _origin(t)) for t in c.terms)
        ordered_routes = sorted(c.routes, key=lambda x: (x["order"], x["id"]))
        ordered_topics = sorted(c.topics, key=lambda x: (x["order"], x["id"]))
        route_ids = [x["id"] for x in ordered_routes]

        recs = tuple(
            Recommendation(
                id=x["id"],
                number=x.get("number", ""),
                source=x["source"],
                theme=x["theme"],
                routes=tuple(route_ids) if any(v == "all" for v, _ in x["routes"]) else _ids(x, "routes"),
                audience=_ids(x, "audience"),
                text=r(x["text"]),
                citation=r(x["citation"]),
                origin=_origin(x),
                label=self.labels[x["id"]],
                note=r(x.get("note")),
                main=x.get("main", False),
            )
            for x in c.recommendations
        )
        voices = tuple(
            Voice(x["id"], x["quote"], x["who"], _ids(x, "routes"), _ids(x, "topics"), r(x["citation"]), _origin(x))
            for x in c.voices
        )

        def figures(item):
            return tuple(
                Figure(
                    item["id"],
                    n,
                    f["value"],
                    r(f["measure"]),
                    f["population"],
                    r(f["citation"]),
                    f.get("headline", False),
                    f"{item['title']}, figure {n}",
                    f.get("outcome"),
                    f.get("period", ""),
                )
                for n, f in enumerate(item.get("figures", []), 1)
            )

        def sections(item):
            return tuple(
                Section(plain_words(s["heading"]), r(s["heading"]), s["slug"], r(s["body"], block=True))
                for s in item.get("sections", [])
            )

        def refs_of(*items) -> tuple[str, ...]:
            return tuple(dict.fromkeys(k for item in items for d in drafts_in(item) for u in d.cites for k in u.keys))

        rec_items = {x["id"]: x for x in c.recommendations}
        voice_items = {x["id"]: x for x in c.voices}

        def page_fields(x: dict) -> dict:
            """What a route and a topic both have (schema.EVIDENCE_PAGE)."""
            return dict(
                id=x["id"],
                title=x["title"],
                order=x["order"],
                summary=r(x["summary"]),
                key_messages=tuple(map(r, x["key_messages"])),
                figures=figures(x),
                reviewed=x["reviewed"],
                sections=sections(x),
                origin=_origin(x),
            )

        routes = []
        for x in ordered_routes:
            its_recs = tuple(rec.id for rec in recs if x["id"] in rec.routes)
            its_voices = tuple(v.id for v in voices if x["id"] in v.routes)
            comp = x["compare"]
            routes.append(
                Route(
                    **page_fields(x),
                    evidence=Evidence(x["evidence"]["rating"], r(x["evidence"]["reason"])),
                    outcomes=_ids(x, "outcomes"),
                    compare=Compare(*(r(comp.get(k)) for k in vocabulary.COMPARE_COLUMNS)),
                    recommendations=its_recs,
                    main_recommendations=main_recommendations([rec for rec in recs if rec.id in its_recs]),
                    voices=its_voices,
                    topics=tuple(t["id"] for t in ordered_topics if x["id"] in _ids(t, "routes")),
                    references=refs_of(x, *(rec_items[i] for i in its_recs), *(voice_items[i] for i in its_voices)),
                    handouts=tuple(
                        b["id"] for b in c.briefings if b["kind"] == "route-handout" and _ids(b, "routes") == (x["id"],)
                    ),
                )
            )
        topics = []
        for x in ordered_topics:
            its_voices = tuple(v.id for v in voices if x["id"] in v.topics)
            topics.append(
                Topic(
                    **page_fields(x),
                    routes=_ids(x, "routes"),
                    voices=its_voices,
                    references=refs_of(x, *(voice_items[i] for i in its_voices)),
                )
            )
        sources = tuple(
            Source(
                id=x["id"],
                title=x["title"],
                short_title=x["short_title"],
                kind=x["kind"],
                reference=x["reference"],
                year=x["year"],
                summary=r(x["summary"]),
                sections=sections(x),
                origin=_origin(x),
                recommendations=tuple(rec.id for rec in recs if rec.source == x["id"]),
                voices=tuple(v.id for v in voices if any(x["reference"] in cit.keys for cit in v.citation.citations)),
                references=refs_of(x),
            )
            for x in sorted(c.sources, key=lambda x: (x["year"], x["id"]))
        )
        pages = tuple(
            Page(
                x["id"],
                x["title"],
                x.get("order", 100),
                r(x["body"], block=True),
                _origin(x),
                refs_of(x),
                tuple(heading_ids(x["body"])),
            )
            for x in sorted(c.pages, key=lambda x: (x.get("order", 100), x["id"]))
        )
        by_route = {route.id: route for route in routes}
        briefings = tuple(self.briefing(x, recs, by_route) for x in c.briefings)
        model = Model(config, tuple(routes), tuple(topics), recs, sources, pages, voices, terms, (), briefings)
        # references' back-links need the addresses and titles of the items above
        return dataclasses.replace(
            model, references=tuple(self.reference(key, model) for key in self.formatted.order if key in self.c.bib)
        )

    def briefing(self, x: dict, recs: tuple[Recommendation, ...], routes: dict[str, Route]) -> Briefing:
        r = self.rich
        chosen = _ids(x, "recommendations")
        if not chosen and x["kind"] == "route-handout":
            chosen = routes[_ids(x, "routes")[0]].main_recommendations
        elif not chosen:
            wanted = set(_ids(x, "routes"))
            chosen = tuple(rec.id for rec in recs if not wanted or wanted & set(rec.routes))
        return Briefing(
            id=x["id"],
            kind=x["kind"],
            title=x["title"],
            subtitle=x.get("subtitle", ""),
            audience=x["audience"],
            max_pages=x.get("max_pages"),
            max_pages_at=x.get("_pos_max_pages", x["_pos"]),
            routes=_ids(x, "routes"),
            topics=_ids(x, "topics"),
            recommendations=chosen,
            themes=_ids(x, "themes"),
            intro=r(x.get("intro")),
            sections=tuple(
                SpeakerSection(s["title"], s["speaker"], s.get("route"), tuple(map(r, s["key_messages"])))
                for s in x.get("sections", [])
            ),
            messages=tuple(map(r, x.get("messages", []))),
            source=x.get("source"),
            origin=_origin(x),
        )

    def reference(self, key: str, model: Model) -> Reference:
        assert self.c.bib_path is not None
        entry = self.c.bib[key]
        # a glossary entry that cites a work is not a page about it
        cited_by = tuple(
            Backlink(t, model.title_of(t), *model.address(t)) for t in self.citers.get(key, []) if t[0] != "term"
        )
        html, text = self.formatted.references[key], self.formatted.reference_text[key]
        if key in self.cited_in:  # "Hunt (2020), cited in Association of Professors of Social Work (2021)."
            parent_text, parent_html, *_ = self.formatted.citations["@" + self.cited_in[key]]
            html, text = _cited_in(html, parent_html), _cited_in(text, parent_text)
        doi = entry.field("doi") or None
        url = entry.field("url") or None
        return Reference(
            key=key,
            type=entry.type,
            title=plain(entry.field("title", "booktitle")),
            year=entry.field("year", "date")[:4],
            authors=plain(entry.field("author", "editor")),
            doi=doi,
            url=url,
            text=text,
            html=html,
            origin=Origin(self.c.bib_path.name, entry.line),
            cited_by=cited_by,
            designs=gapmap.designs(entry.fields),
            fields=tuple(sorted(entry.fields.items())),
        )


def _cited_in(entry: str, parent: str) -> str:
    """A formatted entry with ", cited in <parent>." at the end of its words (inside its markup).
    Both lose their own closing punctuation: a note style's citation of the parent ends in '.'."""
    words, tail = _split_end(entry)
    parent_words, parent_tail = _split_end(parent)
    return f"{words}, cited in {parent_words}{parent_tail}.{tail}"


def _split_end(formatted: str) -> tuple[str, str]:
    """`formatted` as its words without closing punctuation, and the closing tags after them."""
    end = len(formatted)
    while end and formatted[end - 1] == ">":  # step back over closing tags such as </span>
        end = formatted.rfind("<", 0, end)
    return formatted[:end].rstrip().rstrip(".,;:"), formatted[end:]


def _reading_order(c: Content) -> Iterator[Draft]:
    """Every text as the site is read, so that numeric styles number references by first citation:
    each route page as laid out (summary, key messages, key figures, evidence, sections, main
    recommendations, more figures, voices, then the rest of its recommendations), the comparison,
    then the other pages."""

    def ordered(items, *fields):
        return sorted(items, key=lambda x: tuple(x.get(f, 100) for f in fields))

    routes = ordered(c.routes, "order", "id")
    for route in routes:
        figures = route.get("figures", [])
        serving = [x for x in c.recommendations if {route["id"], "all"} & set(_ids(x, "routes"))]
        yield from drafts_in([route.get(k) for k in ("summary", "key_messages")])
        yield from drafts_in([[f for f in figures if f.get("headline")], route.get("evidence"), route.get("sections")])
        yield from drafts_in([x.get("text") for x in serving if x.get("main")])
        yield from drafts_in([f for f in figures if not f.get("headline")])
        yield from drafts_in([v for v in c.voices if route["id"] in _ids(v, "routes")])
        yield from drafts_in(serving)
    yield from drafts_in([route.get("compare") for route in routes])
    yield from drafts_in(c.recommendations)
    for topic in ordered(c.topics, "order", "id"):
        yield from drafts_in(topic)
        yield from drafts_in([v for v in c.voices if topic["id"] in _ids(v, "topics")])
    yield from drafts_in(
        [c.voices, ordered(c.sources, "year", "id"), c.terms, ordered(c.pages, "order", "id"), c.briefings]
    )


def main_recommendations(serving: list[Recommendation]) -> tuple[str, ...]:
    """The route's main recommendations: those marked `main`, else a few that serve it alone
    first, taken from each source in turn."""
    marked = tuple(rec.id for rec in serving if rec.main)
    if marked:
        return marked
    by_source: dict[str, list[Recommendation]] = {}
    for rec in sorted(serving, key=lambda rec: len(rec.routes) > 1):
        by_source.setdefault(rec.source, []).append(rec)
    picked: list[str] = []
    queues = list(by_source.values())
    while queues and len(picked) < vocabulary.HANDOUT_RECOMMENDATIONS:
        for queue in queues:
            if queue and len(picked) < vocabulary.HANDOUT_RECOMMENDATIONS:
                picked.append(queue.pop(0).id)
        queues = [q for q in queues if q]
    return tuple(picked)


def _relative(path: Path, root: Path) -> str | None:
    """`path` relative to the project, or None when it lies outside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _ids(item: dict, key: str) -> tuple[str, ...]:
    return tuple(v for v, _ in item.get(key, []))


def _origin(item: dict) -> Origin:
    return Origin(item["_path"], item["_pos"][0])
