"""Cross-check what `load` read, format citations, and build the immutable `Model`.

This is the only place where ids, citation keys and cross-references are resolved
and where back-links are computed; renderers read the result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Iterator

from generator import citecache, citeproc, claims, gapmap, prose, readability
from generator.bibliography import plain
from generator.load import Content, read_content
from generator.markdown import Draft, Renderer, new_parser
from generator.model import (ENGINES, RATINGS, Backlink, Briefing, Citation, Compare, Config, Edition, Evidence,
                             Figure, Model, Origin, Page, Recommendation, Reference, Route, Section, Source, SpeakerSection,
                             Target, Term, Topic, Voice)
from generator.problems import ContentError, Problems

SOURCE_KINDS = ("evidence-overview", "inquiry-report", "event-briefing", "priorities", "summary-briefing", "other")
BRIEFING_KINDS = ("route-handout", "summary", "event", "recommendations")
_PLACEHOLDER = re.compile(r"\bREPLACE\b")
_PLACEHOLDER_MESSAGE = "placeholder REPLACE left by `briefings new`: write the real text here"
_LOCATOR = re.compile(r",\s*\S")  # a citation item with anything after the key's comma has a locator


def drafts_in(value) -> Iterator[Draft]:
    """Every Draft inside an item's fields, in field order."""
    if isinstance(value, Draft):
        yield value
    elif isinstance(value, dict):
        for key, v in value.items():
            if not key.startswith("_"):
                yield from drafts_in(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from drafts_in(v)


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class Checker:
    """Checks everything that spans files: ids, keys, cross-references, vocabularies."""

    def __init__(self, c: Content):
        self.c = c
        self.p = c.problems
        self.ids: dict[str, set[str]] = {}
        self.cited: set[str] = set()

    def owners(self) -> Iterator[tuple[Target, dict]]:
        c = self.c
        for kind, items in (("route", c.routes), ("topic", c.topics), ("source", c.sources), ("page", c.pages),
                            ("recommendation", c.recommendations), ("voice", c.voices), ("term", c.terms),
                            ("briefing", c.briefings)):
            for item in items:
                if "id" in item:
                    yield (kind, item["id"]), item

    def unique_ids(self) -> None:
        seen: dict[Target, dict] = {}
        for target, item in self.owners():
            if target in seen:
                first = seen[target]
                self.p.error(item["_path"], *item["_pos_id"],
                             f"duplicate {target[0]} id '{target[1]}' (also in {first['_path']}:{first['_pos_id'][0]}): ids must be unique")
            seen[target] = item
            self.ids.setdefault(target[0], set()).add(target[1])
        for kind, id in self.c.unreadable:
            self.ids.setdefault(kind, set()).add(id)

    def ref(self, kind: str, value: str, path: str, pos, what: str, allow_all: bool = False) -> None:
        if allow_all and value == "all":
            return
        known = self.ids.get(kind, set())
        if value not in known:
            hint = _suggest(value, known) or (f"; known: {', '.join(sorted(known))}" if 0 < len(known) <= 12 else "")
            self.p.error(path, *pos, f"{what} '{value}' does not exist{hint}")

    def vocab(self, value: str, labels: dict, path: str, pos, what: str) -> None:
        if value not in labels:
            self.p.error(path, *pos, f"unknown {what} '{value}'{_suggest(value, labels)}; allowed: {', '.join(labels)} (site_config.yml)")

    def texts(self) -> None:
        bib = self.c.bib
        for _, item in self.owners():
            for name, value in item.items():
                if isinstance(value, str) and _PLACEHOLDER.search(value) and f"_pos_{name}" in item:
                    self.p.warn(item["_path"], *item[f"_pos_{name}"], _PLACEHOLDER_MESSAGE)
            for draft in drafts_in(item):
                path = draft.origin.path
                if _PLACEHOLDER.search(draft.source):
                    self.p.warn(path, draft.origin.line, 1, _PLACEHOLDER_MESSAGE)
                for line, col, message in draft.unsafe:
                    self.p.error(path, line, col, message)
                for use in draft.cites:
                    for key in use.keys:
                        self.cited.add(key)
                        if key not in bib:
                            self.p.error(path, use.line, use.col,
                                         f"unknown citation key '{key}'{_suggest(key, bib)}: add it to references.bib or correct the key")
                for use in draft.xrefs:
                    kind, id = use.target
                    self.ref(kind, id, path, (use.line, use.col), f"cross-reference to {kind}")

    def fields(self, config: dict) -> None:
        c = self.c
        outcomes, themes, audiences = (config.get(k, {}) for k in ("outcomes", "themes", "audiences"))
        for route in c.routes:
            path = route["_path"]
            ev = route.get("evidence")
            if ev and "rating" in ev and ev["rating"] not in RATINGS:
                self.p.error(path, *ev["_pos_rating"], f"evidence rating '{ev['rating']}' must be one of: {', '.join(RATINGS)}")
            for value, pos in route.get("outcomes", []):
                self.vocab(value, outcomes, path, pos, "outcome")
        for item in c.routes + c.topics:
            for fig in item.get("figures", []):
                cite = fig.get("citation")
                if cite is not None and not cite.cites:
                    self.p.error(item["_path"], *fig["_pos_citation"], "a figure's citation must cite a reference, e.g. \"[@key, p. 12]\"")
                elif cite is not None and not any(_LOCATOR.search(u.source.split("@", 1)[-1]) for u in cite.cites):
                    self.p.warn(item["_path"], *fig["_pos_citation"], "figure citation has no locator: add the page or section, e.g. [@key, p. 12]")
        for topic in c.topics:
            for value, pos in topic.get("routes", []):
                self.ref("route", value, topic["_path"], pos, "route")
        for source in c.sources:
            if source.get("kind") and source["kind"] not in SOURCE_KINDS:
                self.p.error(source["_path"], *source["_pos_kind"], f"source kind '{source['kind']}' must be one of: {', '.join(SOURCE_KINDS)}")
            if source.get("reference"):
                self.cited.add(source["reference"])
                if source["reference"] not in c.bib:
                    self.p.error(source["_path"], *source["_pos_reference"],
                                 f"reference '{source['reference']}' is not in references.bib{_suggest(source['reference'], c.bib)}")
        for rec in c.recommendations:
            path = rec["_path"]
            self.ref("source", rec["source"], path, rec["_pos_source"], "source")
            if "theme" in rec:
                self.vocab(rec["theme"], themes, path, rec["_pos_theme"], "theme")
            for value, pos in rec.get("routes", []):
                self.ref("route", value, path, pos, "route", allow_all=True)
            for value, pos in rec.get("audience", []):
                self.vocab(value, audiences, path, pos, "audience")
        for voice in c.voices:
            for value, pos in voice.get("routes", []):
                self.ref("route", value, voice["_path"], pos, "route")
            for value, pos in voice.get("topics", []):
                self.ref("topic", value, voice["_path"], pos, "topic")
        for b in c.briefings:
            self.briefing(b, themes)

    def briefing(self, b: dict, themes: dict) -> None:
        path = b["_path"]
        kind = b.get("kind")
        if kind and kind not in BRIEFING_KINDS:
            self.p.error(path, *b["_pos_kind"], f"briefing kind '{kind}' must be one of: {', '.join(BRIEFING_KINDS)}")
        for value, pos in b.get("routes", []):
            self.ref("route", value, path, pos, "route")
        for value, pos in b.get("topics", []):
            self.ref("topic", value, path, pos, "topic")
        for value, pos in b.get("recommendations", []):
            self.ref("recommendation", value, path, pos, "recommendation")
        for value, pos in b.get("themes", []):
            self.vocab(value, themes, path, pos, "theme")
        if b.get("source"):
            self.ref("source", b["source"], path, b["_pos_source"], "source")
        for section in b.get("sections", []):
            if section.get("route"):
                self.ref("route", section["route"], path, section["_pos_route"], "route")
        if kind == "route-handout" and len(b.get("routes", [])) != 1:
            self.p.error(path, *b["_pos"], "a route-handout names exactly one route: routes: [<route-id>]")
        if kind == "event" and not b.get("sections"):
            self.p.error(path, *b["_pos"], "an event briefing needs sections: one per speaker or session")

    def unused_and_stale(self, config: dict, today: dt.date) -> None:
        bib_path = self.c.bib_path and self.c.bib_path.name
        for key, entry in self.c.bib.items():
            if key not in self.cited and not self.c.unreadable:  # an unreadable file may cite it
                self.p.warn(bib_path or "references.bib", entry.line, 1, f"reference '{key}' is never cited: cite it or remove it")
        limit = config.get("review_limit_days")
        if isinstance(limit, int):
            for route in self.c.routes:
                reviewed = route.get("reviewed")
                if reviewed and (today - reviewed).days > limit:
                    self.p.warn(route["_path"], *route["_pos_reviewed"],
                                f"last reviewed {reviewed.isoformat()}, over {limit} days ago: check the evidence and update 'reviewed'")


def check_content(root: Path, config_path: Path | None = None, today: dt.date | None = None) -> tuple[Content, citeproc.Style | None]:
    """Read and cross-check everything; return the content and the resolved CSL style."""
    c = read_content(root, config_path)
    checker = Checker(c)
    checker.unique_ids()
    checker.texts()
    config = c.config or {}
    checker.fields(config)
    checker.unused_and_stale(config, today or dt.date.today())
    gapmap.check(c)
    files = prose.Files(c.root)
    readability.check(c, files)
    claims.check(c, files)
    style = None
    if config.get("engine", "material") not in ENGINES:
        c.problems.error(config["_path"], *config["_pos_engine"],
                         f"engine '{config['engine']}' must be one of: {', '.join(ENGINES)}")
    if "csl" in config:
        try:
            style = citeproc.resolve_style(config["csl"], c.config_path.parent)
        except citeproc.StyleError as exc:
            c.problems.error(config["_path"], *config["_pos_csl"], str(exc))
    return c, style


def build_model(root: Path, config_path: Path | None = None, strict: bool = False) -> tuple[Model, Problems]:
    """Check the content and build the model; raise `ContentError` listing every problem."""
    c, style = check_content(root, config_path)
    if c.problems.failed(strict) or c.config is None or style is None:
        raise ContentError(c.problems)
    return Assembler(c, style).model(), c.problems


class Assembler:
    """Builds the model from checked content: formats citations, makes RichText, links back."""

    def __init__(self, c: Content, style: citeproc.Style):
        self.c = c
        self.style = style
        self.renderer = Renderer(new_parser())
        keys_of: dict[str, tuple[str, ...]] = {}
        self.citers: dict[str, list[Target]] = {}  # reference key -> items citing it, in order
        for target, item in Checker(c).owners():
            for d in drafts_in(item):
                for u in d.cites:
                    keys_of[u.source] = u.keys
                    for key in u.keys:
                        self._cited_by(key, target)
            if target[0] == "source" and item.get("reference"):
                self._cited_by(item["reference"], target)
        # in reading order, so that numeric styles number references by first citation
        reading = sorted(Checker(c).owners(), key=_reading_order)
        sources = list(dict.fromkeys(u.source for _, item in reading for d in drafts_in(item) for u in d.cites))
        try:
            self.formatted = citecache.format_all(sources, c.bib_path, style, c.config["language"])
        except citeproc.PandocError as exc:
            c.problems.error("references.bib", 1, 1, f"pandoc could not format the bibliography: {exc}")
            raise ContentError(c.problems) from None
        for source in sources:
            text, html, note = self.formatted.citations[source]
            self.renderer.citations[source] = Citation(source, keys_of[source], text, html, note)
        self.renderer.reference_text = dict(self.formatted.reference_text)

    def _cited_by(self, key: str, target: Target) -> None:
        citers = self.citers.setdefault(key, [])
        if target not in citers:
            citers.append(target)

    def rich(self, draft: Draft | None, block: bool = False):
        return self.renderer.rich(draft if draft is not None else _EMPTY_DRAFT, block)

    def model(self) -> Model:
        c, cfg = self.c, self.c.config
        r = self.rich
        config = Config(
            title=cfg["title"], subtitle=cfg.get("subtitle", ""), description=cfg.get("description", ""),
            url=cfg["url"] if cfg["url"].endswith("/") else cfg["url"] + "/", language=cfg["language"],
            csl=cfg["csl"], csl_title=self.style.title,
            edition=cfg["edition"], review_limit_days=cfg["review_limit_days"], repository=cfg.get("repository", ""),
            publisher=cfg.get("publisher", ""), themes=cfg["themes"], audiences=cfg["audiences"], outcomes=cfg["outcomes"],
            engine=cfg.get("engine", "material"), licence=cfg.get("licence", ""),
            editions=tuple(Edition(e["date"], e["ref"], e.get("note", "")) for e in cfg.get("editions", [])))
        terms = tuple(Term(t["id"], t["term"], t["expansion"], r(t["definition"]), _origin(t)) for t in c.terms)
        self.renderer.set_terms({t.term: t.expansion for t in terms})
        ordered_routes = sorted(c.routes, key=lambda x: (x["order"], x["id"]))
        ordered_topics = sorted(c.topics, key=lambda x: (x["order"], x["id"]))
        route_ids = [x["id"] for x in ordered_routes]

        recs = tuple(Recommendation(
            id=x["id"], number=x.get("number", ""), source=x["source"], theme=x["theme"],
            routes=tuple(route_ids) if any(v == "all" for v, _ in x["routes"]) else tuple(v for v, _ in x["routes"]),
            audience=tuple(v for v, _ in x["audience"]), text=r(x["text"]), citation=r(x["citation"]), origin=_origin(x))
            for x in c.recommendations)
        voices = tuple(Voice(x["id"], x["quote"], x["who"], _ids(x, "routes"), _ids(x, "topics"), r(x["citation"]), _origin(x))
                       for x in c.voices)

        def figures(item):
            return tuple(Figure(item["id"], n, f["value"], r(f["measure"]), f["population"], r(f["citation"]),
                                f.get("headline", False), f.get("outcome"), f.get("period", "")) for n, f in enumerate(item.get("figures", []), 1))

        def sections(item):
            return tuple(Section(s["title"], s["slug"], r(s["body"], block=True)) for s in item.get("sections", []))

        def refs_of(*items) -> tuple[str, ...]:
            return tuple(dict.fromkeys(k for item in items for d in drafts_in(item) for u in d.cites for k in u.keys))

        rec_items = {x["id"]: x for x in c.recommendations}
        voice_items = {x["id"]: x for x in c.voices}
        routes = []
        for x in ordered_routes:
            its_recs = tuple(rec.id for rec in recs if x["id"] in rec.routes)
            its_voices = tuple(v.id for v in voices if x["id"] in v.routes)
            comp = x["compare"]
            routes.append(Route(
                id=x["id"], title=x["title"], order=x["order"], summary=r(x["summary"]),
                key_messages=tuple(map(r, x["key_messages"])), figures=figures(x),
                evidence=Evidence(x["evidence"]["rating"], r(x["evidence"]["reason"])),
                outcomes=tuple(v for v, _ in x["outcomes"]),
                compare=Compare(*(r(comp.get(k)) for k in ("who", "legal_basis", "stability", "support"))),
                reviewed=x["reviewed"], sections=sections(x), origin=_origin(x), recommendations=its_recs,
                voices=its_voices, topics=tuple(t["id"] for t in ordered_topics if x["id"] in _ids(t, "routes")),
                references=refs_of(x, *(rec_items[i] for i in its_recs), *(voice_items[i] for i in its_voices))))
        topics = []
        for x in ordered_topics:
            its_voices = tuple(v.id for v in voices if x["id"] in v.topics)
            topics.append(Topic(
                id=x["id"], title=x["title"], order=x["order"], summary=r(x["summary"]),
                key_messages=tuple(map(r, x["key_messages"])), figures=figures(x), routes=_ids(x, "routes"),
                reviewed=x["reviewed"], sections=sections(x), origin=_origin(x), voices=its_voices,
                references=refs_of(x, *(voice_items[i] for i in its_voices))))
        sources = tuple(Source(
            id=x["id"], title=x["title"], short_title=x["short_title"], kind=x["kind"], reference=x["reference"],
            year=x["year"], summary=r(x["summary"]), sections=sections(x), origin=_origin(x),
            recommendations=tuple(rec.id for rec in recs if rec.source == x["id"]),
            voices=tuple(v.id for v in voices if any(x["reference"] in cit.keys for cit in v.citation.citations)),
            references=refs_of(x)) for x in sorted(c.sources, key=lambda x: (x["year"], x["id"])))
        pages = tuple(Page(x["id"], x["title"], x.get("order", 100), r(x["body"], block=True), _origin(x), refs_of(x))
                      for x in sorted(c.pages, key=lambda x: (x.get("order", 100), x["id"])))
        briefings = tuple(self.briefing(x) for x in c.briefings)
        model = Model(config, tuple(routes), tuple(topics), recs, sources, pages, voices, terms, (), briefings)
        # references' back-links need the addresses and titles of the items above
        model = dataclasses.replace(model, references=tuple(self.reference(key, model) for key in self.formatted.order))
        self.renderer.title_of = model.title_of
        return model

    def briefing(self, x: dict) -> Briefing:
        r = self.rich
        return Briefing(
            id=x["id"], kind=x["kind"], title=x["title"], subtitle=x.get("subtitle", ""), audience=x["audience"],
            max_pages=x.get("max_pages"), routes=_ids(x, "routes"), topics=_ids(x, "topics"),
            recommendations=_ids(x, "recommendations"), themes=_ids(x, "themes"), intro=r(x.get("intro")),
            sections=tuple(SpeakerSection(s["title"], s["speaker"], s.get("route"), tuple(map(r, s["key_messages"])))
                           for s in x.get("sections", [])),
            messages=tuple(map(r, x.get("messages", []))), source=x.get("source"), origin=_origin(x))

    def reference(self, key: str, model: Model) -> Reference:
        entry = self.c.bib[key]
        cited_by = tuple(Backlink(t, model.title_of(t), *model.address(t)) for t in self.citers.get(key, []))
        html = self.formatted.references[key]
        doi = entry.field("doi") or None
        url = entry.field("url") or None
        return Reference(key=key, type=entry.type, title=plain(entry.field("title", "booktitle")),
                         year=entry.field("year", "date")[:4], authors=plain(entry.field("author", "editor")),
                         doi=doi, url=url, text=self.formatted.reference_text[key], html=html,
                         origin=Origin(self.c.bib_path.name, entry.line), cited_by=cited_by,
                         designs=gapmap.designs(entry.fields))


_SITE_ORDER = ("route", "recommendation", "topic", "voice", "source", "term", "page", "briefing")  # the web's navigation


def _reading_order(owner: tuple[Target, dict]) -> tuple[int, int, str]:
    """Pages in the order the site is read, as the model sorts them; the sort is stable within a page."""
    (kind, id), item = owner
    position = item["year"] if kind == "source" else item.get("order", 100) if kind in ("route", "topic", "page") else 0
    return _SITE_ORDER.index(kind), position, id if position else ""


def _ids(item: dict, key: str) -> tuple[str, ...]:
    return tuple(v for v, _ in item.get(key, []))


def _origin(item: dict) -> Origin:
    return Origin(item["_path"], item["_pos"][0])


_EMPTY_DRAFT = Draft("", Origin("", 1), [])
