"""The evidence and gap map: routes against outcomes, and the studies in each cell.

A study supports a (route, outcome) cell when it is cited by one of the route's
figures whose `outcome` is that outcome, or by one of the route's key messages and
the outcome is among the route's `outcomes`. An empty cell is a gap.

Study design is read per reference from BibTeX `keywords`, e.g.
``keywords = {design:cohort, adoption}`` (Zotero exports tags there).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from generator.model import Model, Reference, Route

DESIGNS = {
    "systematic-review": "Systematic review",
    "cohort": "Cohort study",
    "survey": "Survey",
    "qualitative": "Qualitative study",
    "administrative-data": "Administrative data",
    "expert-overview": "Expert overview",
}
_PREFIX = "design:"
NO_OUTCOME = "none"  # a figure that gives context rather than evidence on an outcome


def designs(fields: dict[str, str]) -> tuple[str, ...]:
    """The study designs a BibTeX entry's `keywords` name (``design:<id>``), in order."""
    words = (w.strip() for w in re.split(r"[,;]", fields.get("keywords", "")))
    return tuple(dict.fromkeys(w[len(_PREFIX) :].strip().lower() for w in words if w.lower().startswith(_PREFIX)))


@dataclass(frozen=True)
class Support:
    """A study in a cell, with what it supports on the route."""

    key: str
    figures: tuple[int, ...]  # figure numbers on the route page
    key_messages: tuple[int, ...]  # 1-based positions of the route's key messages


@dataclass(frozen=True)
class Cell:
    route: str
    outcome: str
    rating: str  # the route's evidence rating
    studies: tuple[Support, ...]

    @property
    def anchor(self) -> str:
        return f"cell-{self.route}-{self.outcome}"


def route_cells(route: Route, outcomes) -> list[Cell]:
    """One cell per outcome (in the order given) for a route."""
    out = []
    for outcome in outcomes:
        found: dict[str, tuple[list[int], list[int]]] = {}
        for fig in route.figures:
            if fig.outcome == outcome:
                for key in _keys(fig.citation.citations):
                    found.setdefault(key, ([], []))[0].append(fig.number)
        if outcome in route.outcomes:
            for n, message in enumerate(route.key_messages, 1):
                for key in _keys(message.citations):
                    found.setdefault(key, ([], []))[1].append(n)
        studies = tuple(Support(k, tuple(dict.fromkeys(f)), tuple(dict.fromkeys(m))) for k, (f, m) in found.items())
        out.append(Cell(route.id, outcome, route.evidence.rating, studies))
    return out


def cells(model: Model) -> list[Cell]:
    """Every cell, row by row: routes in display order, outcomes in configured order."""
    return [cell for route in model.routes for cell in route_cells(route, model.config.outcomes)]


def sources_of(model: Model) -> dict[str, tuple[str, ...]]:
    """Reference key -> ids of the source documents that are it or cite it."""
    out: dict[str, list[str]] = {}
    for source in model.sources:
        for key in dict.fromkeys((source.reference, *source.references)):
            out.setdefault(key, []).append(source.id)
    return {k: tuple(v) for k, v in out.items()}


def map_data(model: Model) -> dict:
    """The map as plain data (the open-data `map.json`)."""
    sources = sources_of(model)
    all_cells = cells(model)
    used = {s.key for c in all_cells for s in c.studies}
    refs: dict[str, Reference] = {r.key: r for r in model.references}
    return {
        "edition": model.config.edition.isoformat(),
        "outcomes": [{"id": k, "label": v} for k, v in model.config.outcomes.items()],
        "routes": [{"id": r.id, "title": r.title, "rating": r.evidence.rating} for r in model.routes],
        "designs": [{"id": k, "label": v} for k, v in DESIGNS.items()],
        "cells": [
            {
                "route": c.route,
                "outcome": c.outcome,
                "rating": c.rating,
                "count": len(c.studies),
                "gap": not c.studies,
                "studies": [
                    {"key": s.key, "figures": list(s.figures), "key_messages": list(s.key_messages)} for s in c.studies
                ],
            }
            for c in all_cells
        ],
        "studies": [
            {
                "key": k,
                "citation": refs[k].text,
                "year": refs[k].year,
                "designs": list(refs[k].designs),
                "sources": list(sources.get(k, ())),
            }
            for k in (r.key for r in model.references)
            if k in used
        ],
    }


def _keys(citations) -> list[str]:
    return [k for c in citations for k in c.keys]


# -- check ------------------------------------------------------------------------------


def check(content) -> None:
    """Add the map's problems to `content.problems` (a `load.Content`)."""
    p = content.problems
    outcomes = (content.config or {}).get("outcomes", {})
    for item in content.routes + content.topics:
        for fig in item.get("figures", []):
            value = fig.get("outcome")
            if value is not None and value != NO_OUTCOME and outcomes and value not in outcomes:
                close = difflib.get_close_matches(value, list(outcomes), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                p.error(
                    item["_path"],
                    *fig["_pos_outcome"],
                    f"unknown outcome '{value}'{hint} allowed: {', '.join(outcomes)} (site_config.yml outcomes), "
                    f"or {NO_OUTCOME} for a figure that only gives context",
                )
    for route in content.routes:
        _check_route(route, p)
    if content.bib_path is not None:
        _check_designs(content.bib, content.bib_path, p)


def _check_route(route: dict, p) -> None:
    path = route["_path"]
    messages = {k for d in route.get("key_messages", []) for u in d.cites for k in u.keys}
    figures = route.get("figures", [])
    tied = {k for f in figures if f.get("outcome") and f.get("citation") for u in f["citation"].cites for k in u.keys}
    for value, pos in route.get("outcomes", []):
        if not messages and not any(
            f.get("outcome") == value and f.get("citation") and f["citation"].cites for f in figures
        ):
            p.warn(
                path,
                *pos,
                f"outcome '{value}' has no study behind it: cite a study in a key message, "
                f"or give a figure `outcome: {value}`",
            )
    if route.get("outcomes"):
        tied |= messages
    warned: set[str] = set()
    for fig in figures:
        for use in fig["citation"].cites if fig.get("citation") else ():
            for key in use.keys:
                if key not in tied and key not in warned:
                    warned.add(key)
                    p.warn(
                        path,
                        use.line,
                        use.col,
                        f"study '{key}' is cited on this route but tied to no outcome: "
                        "give this figure an `outcome:` (an id from site_config.yml "
                        f"outcomes, or {NO_OUTCOME} if it only gives context)",
                    )


def _check_designs(bib: dict, bib_path: Path, p) -> None:
    lines = bib_path.read_text(encoding="utf-8", errors="replace").split("\n")  # load reports a bad byte
    for entry in bib.values():
        for design in designs(entry.fields):
            if design not in DESIGNS:
                line, col = _keywords_position(lines, entry.line, design)
                p.error(
                    bib_path.name,
                    line,
                    col,
                    f"unknown study design '{design}' in keywords of '{entry.key}'; "
                    f"use design:<one of {', '.join(DESIGNS)}>",
                )


def _keywords_position(lines: list[str], start: int, design: str) -> tuple[int, int]:
    for n in range(start - 1, len(lines)):
        col = lines[n].lower().find(_PREFIX + design)
        if col >= 0:
            return n + 1, col + 1
    return start, 1
