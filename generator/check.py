"""Cross-file checks of what `load` read: ids, keys, cross-references, vocabularies.

Field-level checks happen in `load`/`schema`; this module checks what spans files,
and everything `check` warns about. `resolve` builds the model from content that passed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from generator import citeproc, claims, diff, gapmap, prose, readability, vocabulary
from generator.load import Content, read_content
from generator.markdown import Draft
from generator.memo import Memo
from generator.sitemap import anchor_for

_PLACEHOLDER = re.compile(r"\bREPLACE\b")
_PLACEHOLDER_MESSAGE = "placeholder REPLACE left by `briefings new`: write the real text here"
_LOCATOR = re.compile(r",\s*\S")  # a citation item with anything after the key's comma has a locator


def drafts_in(value) -> Iterator[Draft]:
    """Every Draft inside an item's fields, in field order."""
    if isinstance(value, Draft):
        yield value
        return
    if isinstance(value, dict):
        value = [v for key, v in value.items() if not key.startswith("_")]
    elif not isinstance(value, (list, tuple)):
        return
    for v in value:
        if isinstance(v, Draft):
            yield v
        elif isinstance(v, (dict, list, tuple)):  # not the many plain values: strings, numbers, positions
            yield from drafts_in(v)


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def owners(c: Content) -> Iterator[tuple[tuple[str, str], dict]]:
    """(kind, id) and item of everything that has an id, in a stable order."""
    for kind, items in (
        ("route", c.routes),
        ("topic", c.topics),
        ("source", c.sources),
        ("page", c.pages),
        ("recommendation", c.recommendations),
        ("voice", c.voices),
        ("term", c.terms),
        ("briefing", c.briefings),
    ):
        for item in items:
            if "id" in item:
                yield (kind, item["id"]), item


def opening_words(draft: Draft, count: int = 8) -> str:
    """The first words of a text's plain words (no citations or link targets), for naming it."""
    words = " ".join(t.content for block in draft.tokens for t in (block.children or []) if t.type == "text").split()
    return " ".join(words[:count]).rstrip(",.;:") + ("…" if len(words) > count else "")


def recommendation_label(rec: dict, short_titles: dict[str, str]) -> str:
    """A recommendation's name: its own short title, else its source and number, else its opening words."""
    if rec.get("title"):
        return rec["title"]
    source = short_titles.get(rec.get("source", ""), rec.get("source", ""))
    if rec.get("number"):
        return f"{source}, recommendation {rec['number']}"
    return f"{source}: {opening_words(rec['text'])}" if rec.get("text") else source


def heading_ids(draft: Draft) -> list[str]:
    """The ids markdown-it gives a text's headings."""
    return [str(t.attrGet("id")) for t in draft.tokens if t.type == "heading_open" and t.attrGet("id")]


_HTML = re.compile(r"<[A-Za-z/!?]")
_PLAIN_FIELDS = (
    "title",
    "short_title",
    "subtitle",
    "description",
    "value",
    "population",
    "quote",
    "who",
    "term",
    "expansion",
    "speaker",
    "audience",
    "publisher",
)


class Checker:
    """Checks everything that spans files: ids, keys, cross-references, vocabularies."""

    def __init__(self, c: Content):
        self.c = c
        self.p = c.problems
        self.ids: dict[str, set[str]] = {}
        self.cited: set[str] = set()

    def unique_ids(self) -> None:
        seen: dict[tuple[str, str], dict] = {}
        anchors: dict[tuple[str, str], dict] = {}
        for target, item in owners(self.c):
            if target in seen:
                first = seen[target]
                self.p.error(
                    item["_path"],
                    *item["_pos_id"],
                    f"duplicate {target[0]} id '{target[1]}' (also in {first['_path']}:{first['_pos_id'][0]}): ids must be unique",
                )
            else:
                anchor = (target[0], anchor_for(target[1]))
                other = anchors.get(anchor)
                if other is not None:
                    self.p.error(
                        item["_path"],
                        *item["_pos_id"],
                        f"{target[0]} id '{target[1]}' gives the same web address as '{other['id']}' "
                        f"({other['_path']}:{other['_pos_id'][0]}): ids may not differ only in '.' and '-'",
                    )
                anchors[anchor] = item
            seen[target] = item
            self.ids.setdefault(target[0], set()).add(target[1])
        for kind, id in self.c.unreadable:
            self.ids.setdefault(kind, set()).add(id)

    def plain_text(self, item: dict, path: str) -> None:
        """Plain-text fields may hold no HTML: they are shown as written, as text."""
        for name, value in item.items():
            if isinstance(value, dict):
                self.plain_text(value, path)
            elif isinstance(value, list):
                for v in value:
                    if isinstance(v, dict):
                        self.plain_text(v, path)
            elif name in _PLAIN_FIELDS and isinstance(value, str) and f"_pos_{name}" in item:
                m = _HTML.search(value)
                if m:
                    self.p.error(
                        path,
                        *item[f"_pos_{name}"],
                        f"'{name}' is plain text: HTML such as {value[m.start() : m.start() + 12]!r} is not "
                        "allowed here; write the words only",
                    )

    def ref(self, kind: str, value: str, path: str, pos, what: str, allow_all: bool = False) -> None:
        if allow_all and value == "all":
            return
        known = self.ids.get(kind, set())
        if value not in known:
            hint = _suggest(value, known) or (f"; known: {', '.join(sorted(known))}" if 0 < len(known) <= 12 else "")
            self.p.error(path, *pos, f"{what} '{value}' does not exist{hint}")

    def vocab(self, value: str, labels: dict, path: str, pos, what: str) -> None:
        if value not in labels and self.c.config is not None:  # no config: its one error says so
            self.p.error(
                path,
                *pos,
                f"unknown {what} '{value}'{_suggest(value, labels)}; allowed: {', '.join(labels)} (site_config.yml)",
            )

    def texts(self) -> None:
        bib = self.c.bib
        if self.c.config:
            self.plain_text(self.c.config, self.c.config["_path"])
        for _, item in owners(self.c):
            self.plain_text(item, item["_path"])
            for name, value in item.items():
                if isinstance(value, str) and _PLACEHOLDER.search(value) and f"_pos_{name}" in item:
                    self.p.warn(item["_path"], *item[f"_pos_{name}"], _PLACEHOLDER_MESSAGE)
            for draft in drafts_in(item):
                path = draft.path
                if _PLACEHOLDER.search(draft.source):
                    self.p.warn(path, draft.line, 1, _PLACEHOLDER_MESSAGE)
                for line, col, message in draft.unsafe:
                    self.p.error(path, line, col, message)
                for use in draft.cites:
                    for key in use.keys:
                        self.cited.add(key)
                        if key not in bib and self.c.bib_path:  # no bibliography: its one error says so
                            self.p.error(
                                path,
                                use.line,
                                use.col,
                                f"unknown citation key '{key}'{_suggest(key, bib)}: add it to references.bib or correct the key",
                            )
                for xref in draft.xrefs:
                    kind, id = xref.target
                    self.ref(kind, id, path, (xref.line, xref.col), f"cross-reference to {kind}")

    def fields(self, config: dict) -> None:
        c = self.c
        outcomes, themes, audiences = (config.get(k, {}) for k in ("outcomes", "themes", "audiences"))
        for route in c.routes:
            path = route["_path"]
            ev = route.get("evidence")
            if ev and "rating" in ev and ev["rating"] not in vocabulary.RATINGS:
                self.p.error(
                    path,
                    *ev["_pos_rating"],
                    f"evidence rating '{ev['rating']}' must be one of: {', '.join(vocabulary.RATINGS)}",
                )
            for value, pos in route.get("outcomes", []):
                self.vocab(value, outcomes, path, pos, "outcome")
        for item in c.routes + c.topics:
            for fig in item.get("figures", []):
                cite = fig.get("citation")
                if cite is not None and not cite.cites:
                    self.p.error(
                        item["_path"],
                        *fig["_pos_citation"],
                        'a figure\'s citation must cite a reference, e.g. "[@key, p. 12]"',
                    )
                elif cite is not None and not any(_LOCATOR.search(u.source.split("@", 1)[-1]) for u in cite.cites):
                    self.p.warn(
                        item["_path"],
                        *fig["_pos_citation"],
                        "figure citation has no locator: add the page or section, e.g. [@key, p. 12]",
                    )
        for topic in c.topics:
            for value, pos in topic.get("routes", []):
                self.ref("route", value, topic["_path"], pos, "route")
        for source in c.sources:
            if source.get("kind") and source["kind"] not in vocabulary.SOURCE_KINDS:
                self.p.error(
                    source["_path"],
                    *source["_pos_kind"],
                    f"source kind '{source['kind']}' must be one of: {', '.join(vocabulary.SOURCE_KINDS)}",
                )
            if source.get("reference"):
                self.cited.add(source["reference"])
                if source["reference"] not in c.bib and c.bib_path:
                    self.p.error(
                        source["_path"],
                        *source["_pos_reference"],
                        f"reference '{source['reference']}' is not in references.bib{_suggest(source['reference'], c.bib)}",
                    )
        for rec in c.recommendations:
            path = rec["_path"]
            self.ref("source", rec["source"], path, rec["_pos_source"], "source")
            if "theme" in rec:
                self.vocab(rec["theme"], themes, path, rec["_pos_theme"], "theme")
            for value, pos in rec.get("routes", []):
                self.ref("route", value, path, pos, "route", allow_all=True)
            for value, pos in rec.get("audience", []):
                self.vocab(value, audiences, path, pos, "audience")
        self.recommendation_labels()
        for voice in c.voices:
            for value, pos in voice.get("routes", []):
                self.ref("route", value, voice["_path"], pos, "route")
            for value, pos in voice.get("topics", []):
                self.ref("topic", value, voice["_path"], pos, "topic")
        for b in c.briefings:
            self.briefing(b, themes)

    def recommendation_labels(self) -> None:
        """Labels name recommendations on every page: no two may be the same; few are `main`."""
        short_titles = {s["id"]: s.get("short_title", s["id"]) for s in self.c.sources if "id" in s}
        seen: dict[str, dict] = {}
        mains: dict[str, int] = {}
        for rec in self.c.recommendations:
            if "id" not in rec:
                continue
            label = recommendation_label(rec, short_titles)
            first = seen.setdefault(label, rec)
            if first is not rec:
                self.p.error(
                    rec["_path"],
                    *rec.get("_pos_title", rec["_pos_id"]),
                    f"recommendation '{rec['id']}' has the same label as '{first['id']}' "
                    f'({first["_path"]}:{first["_pos_id"][0]}): "{label}"; give one a short `title:`',
                )
            if rec.get("main"):
                for route, _ in rec.get("routes", []):
                    mains[route] = mains.get(route, 0) + 1
                    if mains[route] == vocabulary.MAIN_RECOMMENDATIONS + 1:
                        self.p.error(
                            rec["_path"],
                            *rec["_pos_main"],
                            f"route '{route}' has more than {vocabulary.MAIN_RECOMMENDATIONS} main "
                            "recommendations: keep `main: true` for the few that matter most on its page",
                        )

    def special_pages(self, config: dict) -> None:
        """The home page's topic and the evidence-ratings explainer named in site_config.yml exist."""
        path = config.get("_path", "site_config.yml")
        if config.get("home_topic"):
            self.ref("topic", config["home_topic"], path, config["_pos_home_topic"], "home_topic: topic")
        if config.get("explainer"):
            page, _, anchor = config["explainer"].partition("#")
            found = next((p for p in self.c.pages if p.get("id") == page), None)
            if found is None:
                self.ref("page", page, path, config["_pos_explainer"], "explainer: page")
            elif anchor and anchor not in heading_ids(found["body"]):
                self.p.error(
                    path,
                    *config["_pos_explainer"],
                    f"explainer: page '{page}' has no heading with the id '{anchor}'; "
                    f"its headings: {', '.join(heading_ids(found['body'])) or 'none'}",
                )

    def editions(self, config: dict) -> None:
        """Each earlier edition's `ref` names a commit of the project's git repository."""
        path = config.get("_path", "site_config.yml")
        for edition in config.get("editions") or []:
            if not isinstance(edition, dict) or not isinstance(edition.get("ref"), str):
                continue
            problem = diff.ref_problem(self.c.root, edition["ref"])
            if problem:
                self.p.error(
                    path,
                    *edition["_pos_ref"],
                    f"edition ref '{edition['ref']}': {problem}; name a git tag or commit that holds that edition",
                )

    def briefing(self, b: dict, themes: dict) -> None:
        path = b["_path"]
        kind = b.get("kind")
        if kind and kind not in vocabulary.BRIEFING_KINDS:
            self.p.error(
                path, *b["_pos_kind"], f"briefing kind '{kind}' must be one of: {', '.join(vocabulary.BRIEFING_KINDS)}"
            )
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
                self.p.warn(
                    bib_path or "references.bib",
                    entry.line,
                    1,
                    f"reference '{key}' is never cited: cite it or remove it",
                )
            parent = entry.fields.get("citedin")
            if parent and parent not in self.c.bib:
                self.p.error(
                    bib_path or "references.bib",
                    entry.line,
                    1,
                    f"'{key}' is cited in '{parent}', which is not in references.bib{_suggest(parent, self.c.bib)}: "
                    "citedin names the key of the work you read it in",
                )
        limit = config.get("review_limit_days")
        if isinstance(limit, int):
            for route in self.c.routes:
                reviewed = route.get("reviewed")
                if reviewed and (today - reviewed).days > limit:
                    self.p.warn(
                        route["_path"],
                        *route["_pos_reviewed"],
                        f"last reviewed {reviewed.isoformat()}, over {limit} days ago: check the evidence and update 'reviewed'",
                    )


def _style_fault(exc: citeproc.StyleError, root: Path, config: dict) -> tuple[str, int, int]:
    """Where a style's fault is: inside the project's .csl file, else at `csl:` in site_config.yml."""
    if exc.where:
        path, line, col = exc.where
        if path.resolve().is_relative_to(root.resolve()):
            return path.resolve().relative_to(root.resolve()).as_posix(), line, col
    return config["_path"], *config["_pos_csl"]


def check_content(
    root: Path, config_path: Path | None = None, today: dt.date | None = None, memo: Memo | None = None
) -> tuple[Content, citeproc.Style | None]:
    """Read and cross-check everything; return the content and the resolved CSL style.
    A `memo` kept from an earlier check re-reads and re-checks only what changed."""
    c = read_content(root, config_path, memo)
    checker = Checker(c)
    checker.unique_ids()
    checker.texts()
    config = c.config or {}
    checker.fields(config)
    checker.special_pages(config)
    checker.editions(config)
    checker.unused_and_stale(config, today or dt.date.today())
    gapmap.check(c)
    files = prose.Files(c.root)
    readability.check(c, files)
    claims.check(c, files)
    style = None
    if config.get("engine", "material") not in vocabulary.ENGINES:
        c.problems.error(
            config["_path"],
            *config["_pos_engine"],
            f"engine '{config['engine']}' must be one of: {', '.join(vocabulary.ENGINES)}",
        )
    if config.get("citations", "full") not in vocabulary.CITATION_DISPLAYS:
        c.problems.error(
            config["_path"],
            *config["_pos_citations"],
            f"citations '{config['citations']}' must be one of: {', '.join(vocabulary.CITATION_DISPLAYS)}",
        )
    if "csl" in config:
        try:
            style = citeproc.resolve_style(config["csl"], c.config_path.parent)
        except citeproc.StyleError as exc:
            c.problems.error(*_style_fault(exc, c.root, config), str(exc))
        except (OSError, UnicodeDecodeError) as exc:
            c.problems.error(
                config["_path"],
                *config["_pos_csl"],
                f"cannot read the CSL file '{config['csl']}' ({exc}): save it as UTF-8 XML",
            )
    return c, style
