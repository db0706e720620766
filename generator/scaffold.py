"""`briefings new`: start a route, recommendation, source or briefing from a scaffold.

Each scaffold passes `briefings check` as written, so a contributor starts from
something valid. Every placeholder says REPLACE, and the comments say what to
write; placeholder citations use a key that exists so that `check` passes, and
must be replaced with the real source and page or section.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.bibliography import BibEntry, plain
from generator.load import read_content
from generator.schema import ID
from generator.yamlsource import YamlError, load_yaml

KINDS = ("route", "recommendation", "source", "briefing")


class ScaffoldError(Exception):
    """The scaffold cannot be written; the message says why and what to do."""


def new_item(
    root: Path,
    kind: str,
    id: str,
    *,
    source: str | None = None,
    route: str | None = None,
    reference: str | None = None,
    today: dt.date | None = None,
    config: Path | None = None,
) -> Path:
    """Write the scaffold for a new item of `kind` and return its path."""
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind '{kind}': choose one of {', '.join(KINDS)}")
    if not ID.match(id):
        raise ScaffoldError(f"'{id}' is not an id: use lower-case letters, digits, - and . (e.g. foster-to-adopt)")
    project = Project(root, config or root / "site_config.yml")
    today = today or dt.date.today()
    if kind == "route":
        return project.write(f"content/routes/{id}.md", project.route(id, today), "route")
    if kind == "source":
        return project.write(f"content/sources/{id}.md", project.source(id, reference, today), "source")
    if kind == "briefing":
        return project.write(f"content/briefings/{id}.yml", project.briefing(id, route), "briefing")
    return project.add_recommendation(id, source, route)


class Project:
    """What a scaffold needs to know about the content already there."""

    def __init__(self, root: Path, config_path: Path):
        self.root = root
        if not config_path.is_file():
            raise ScaffoldError(f"no {config_path.name} in {root}: run this in the project folder, or pass --config")
        content = read_content(root, config_path)  # the same reader as `check`; its problems are check's to report
        if content.config is None:
            raise ScaffoldError(f"{config_path.name} cannot be read: run `briefings check` and fix it first")
        self.config = content.config
        self.bib: dict[str, BibEntry] = content.bib
        self.routes = {r["id"]: r for r in content.routes if "id" in r}
        self.sources = {s["id"]: s for s in content.sources if "id" in s}
        self.recommendation_files = {r["id"]: r["_path"] for r in content.recommendations if "id" in r}

    # -- what the scaffolds fill in ---------------------------------------------------
    def labels(self, name: str) -> list[str]:
        ids = list((self.config.get(name) or {}).keys()) if isinstance(self.config.get(name), dict) else []
        if not ids:
            raise ScaffoldError(f"site_config.yml lists no {name}: add some (see docs/content-format.md) first")
        return ids

    def some_key(self) -> str:
        """A citation key that exists, for placeholder citations: the first source's document, else the first entry."""
        for fm in self.sources.values():
            if fm.get("reference") in self.bib:
                return fm["reference"]
        if not self.bib:
            raise ScaffoldError("references.bib has no entries: add the reference you will cite first")
        return next(iter(self.bib))

    def route_ids(self) -> list[str]:
        return [id for id, _ in sorted(self.routes.items(), key=lambda kv: (_int(kv[1].get("order")), kv[0]))]

    def known_route(self, route: str) -> dict:
        if route not in self.routes:
            raise ScaffoldError(f"route '{route}' does not exist; routes: {', '.join(self.route_ids()) or 'none yet'}")
        return self.routes[route]

    def write(self, rel: str, text: str, kind: str) -> Path:
        path = self.root / rel
        if path.exists():
            raise ScaffoldError(
                f"{rel} already exists: a {kind} with id '{path.stem}' is there already; choose another id"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    # -- scaffolds ---------------------------------------------------------------------
    def route(self, id: str, today: dt.date) -> str:
        key = self.some_key()
        order = max((_int(fm.get("order")) for fm in self.routes.values()), default=0) + 1
        outcomes = self.labels("outcomes")
        cite = f"[@{key}, sec. REPLACE]"
        return f"""---
# A new route. Replace every REPLACE, then run `briefings check`.
# Lines starting with # are notes for editors; they are not published.
# The citations below use the key '{key}' only so that this file passes `check`:
# change each one to the reference you took the point from, with its page or section.
# Link to other pages with [](route:<id>), [](topic:<id>) or [](rec:<id>).
id: {id}
title: {_title(id)}    # the name readers see
order: {order}    # position in menus and tables
summary: >-
  REPLACE with two or three plain-English sentences: what this route is and what
  the evidence says about it {cite}.
key_messages:    # two or three, each with its citation
  - REPLACE with the first key message {cite}.
  - REPLACE with the second key message {cite}.
figures:    # headline numbers; to have none yet, delete the example and write `figures: []`
  - value: "REPLACE"    # the number as it should be shown, e.g. "3.2%"
    measure: REPLACE with what the number counts
    population: REPLACE with who was counted and where
    period: REPLACE with when, e.g. 2019, or the follow-up, e.g. within two years
    citation: "{cite}"    # the reference, and the page (p. 12) or section (sec. Title)
    headline: false    # true shows it on the home page card and in handouts
evidence:
  rating: low    # high | moderate | low | very low
  reason: >-
    REPLACE: why this rating, e.g. how many studies, how large, how similar the children were {cite}.
outcomes: [{outcomes[0]}]    # ids from `outcomes` in site_config.yml: {", ".join(outcomes)}
compare:    # the cells of the compare-routes table; a cell may be left as ""
  who: REPLACE with which children this route is for {cite}.
  legal_basis: REPLACE with the legal order or framework.
  stability: REPLACE with what the evidence says about stability {cite}.
  support: REPLACE with the support available.
reviewed: {today.isoformat()}    # the date you last checked the evidence on this page
---

## What the research says

REPLACE with what the studies found, in our own words {cite}.

## What helps

REPLACE with what helps children and families on this route {cite}.

## What needs to change

REPLACE with what needs to change {cite}.
"""

    def source(self, id: str, reference: str | None, today: dt.date) -> str:
        if reference is not None and reference not in self.bib:
            raise ScaffoldError(
                f"reference '{reference}' is not in references.bib: add the document's entry there first"
            )
        key = reference or self.some_key()
        entry = self.bib[key]
        title = plain(entry.field("title", "booktitle")) if reference else ""
        year_text = re.search(r"\d{4}", entry.field("year", "date")) if reference else None
        year = int(year_text.group()) if year_text else today.year
        note = (
            ""
            if reference
            else f"# 'reference' is '{key}' only so that this file passes `check`: REPLACE it with the\n"
            "# BibTeX key of this document (add the document to references.bib first).\n"
        )
        return f"""---
# A new source document. Replace every REPLACE, then run `briefings check`.
{note}id: {id}
title: {_quote(title or "REPLACE with the full title of the document")}
short_title: {_quote(_title(id) if not reference else _short_title(entry, year))}    # shown in lists, e.g. Care Inquiry (2013)
kind: other    # evidence-overview | inquiry-report | event-briefing | priorities | summary-briefing | other
reference: {key}    # the BibTeX key of the document itself, from references.bib
year: {year}
summary: >-
  REPLACE with two or three sentences: what the document is, who wrote it and
  why it matters [@{key}].
---

## What it found

REPLACE with its main findings, in our own words [@{key}, sec. REPLACE].
"""

    def briefing(self, id: str, route: str | None) -> str:
        audience = "REPLACE with who it is for, e.g. Social workers and trainers"
        if route:
            title = self.known_route(route).get("title") or _title(route)
            return f"""# A two-page handout for one route. Replace every REPLACE, then run `briefings check`.
id: {id}
kind: route-handout
title: {_quote(f"{title}: what the evidence says")}
subtitle: REPLACE with one line on what the handout covers    # optional: delete the line if not needed
audience: {audience}
max_pages: 2    # `briefings check` fails if the PDF is longer
routes: [{route}]    # exactly one route
# recommendations: [id-1, id-2]    # optional: a selection; by default every recommendation for the route
"""
        routes = self.route_ids()
        if not routes:
            raise ScaffoldError("there are no routes yet: add one with `briefings new route <id>` first")
        return f"""# A summary briefing of several routes. Replace every REPLACE, then run `briefings check`.
# For a handout on one route instead, run: briefings new briefing <id> --route <route-id>
id: {id}
kind: summary
title: REPLACE with the title printed on the cover
audience: {audience}
routes: [{", ".join(routes)}]    # the routes, in the order to print them; delete those not wanted
topics: []    # optional: cross-cutting pages to include, e.g. [stability]
intro: >-
  REPLACE with a short introduction, or delete `intro` and these lines.
"""

    def add_recommendation(self, id: str, source: str | None, route: str | None) -> Path:
        if not source:
            raise ScaffoldError(
                "a recommendation needs --source <source-id>: the document that makes it; sources: "
                + (", ".join(self.sources) or "none yet (add one with `briefings new source <id>`)")
            )
        if source not in self.sources:
            raise ScaffoldError(f"source '{source}' does not exist; sources: {', '.join(self.sources) or 'none yet'}")
        folder = self.root / "content" / "recommendations"
        if id in self.recommendation_files:
            raise ScaffoldError(
                f"recommendation '{id}' already exists in {self.recommendation_files[id]}: "
                "ids are never reused; choose another"
            )
        if route:
            self.known_route(route)
        routes = route or (self.route_ids() or ["all"])[0]
        key = self.sources[source].get("reference")
        key = key if key in self.bib else self.some_key()
        number = id.rsplit("-", 1)[-1] if "-" in id and re.search(r"\d", id.rsplit("-", 1)[-1]) else ""
        path = folder / f"{source}.yml"
        existing = path.read_text(encoding="utf-8") if path.is_file() else None
        indent = re.search(r"^( *)- +id:", existing or "", re.M)
        item = _indent(
            f"""- id: {id}
  number: {_quote(number)}    # the number the source gives it; "" if it numbers none
  theme: {self.labels("themes")[0]}    # one of: {", ".join(self.labels("themes"))}
  routes: [{routes}]    # route ids, or [all] for every route
  audience: [{self.labels("audiences")[0]}]    # any of: {", ".join(self.labels("audiences"))}
  text: >-
    REPLACE with the recommendation, in our own words.
  citation: "[@{key}, para. REPLACE]"    # where the source makes it: para., sec. or p.
""",
            indent.group(1) if indent else "  ",
        )
        text = (existing.rstrip("\n") + "\n\n" if existing else f"source: {source}\nrecommendations:\n") + item
        if id not in [r.get("id") for r in _recommendations_of(text)]:
            raise ScaffoldError(
                f"content/recommendations/{path.name} does not end with its recommendations list, "
                "so the new one cannot be added safely: add it by hand (see docs/content-format.md)"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


def _recommendations_of(text: str) -> list[dict]:
    try:
        data = load_yaml(text)
    except YamlError:
        return []
    recs = data.get("recommendations") if isinstance(data, dict) else None
    return [r for r in recs if isinstance(r, dict)] if isinstance(recs, list) else []


def _indent(text: str, prefix: str) -> str:
    return "".join(prefix + line if line.strip() else line for line in text.splitlines(keepends=True))


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _title(id: str) -> str:
    return id.replace("-", " ").capitalize()


def _short_title(entry: BibEntry, year: int) -> str:
    first = entry.field("author", "editor").split(" and ")[0].strip()
    author = plain(first)
    if first.startswith("{"):  # an organisation, e.g. {Care Inquiry}
        surname = author
    else:
        surname = author.split(",")[0].strip() if "," in author else (author.split() or ["REPLACE"])[-1]
    return f"{surname} ({year})"


def _quote(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
