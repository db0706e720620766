"""What the evidence map, changes and "cite this page" templates need, from the model."""

from __future__ import annotations

from dataclasses import dataclass

from generator import gapmap
from generator.model import Model, Reference, Route


@dataclass(frozen=True)
class Study:
    """A study in a cell, ready to show: its reference and what it supports on the route."""

    ref: Reference
    designs: tuple[str, ...]  # labels
    sources: tuple[str, ...]  # source document ids
    figures: tuple[object, ...]  # Figure
    key_messages: tuple[tuple[int, object], ...]  # (position, RichText)


@dataclass(frozen=True)
class CellView:
    route: Route
    outcome: str
    label: str  # the outcome's label
    anchor: str
    studies: tuple[Study, ...]


def map_context(model: Model) -> dict:
    """Rows of cells, the filter options, and the gaps, for map.html.j2."""
    sources = gapmap.sources_of(model)
    labels = model.config.outcomes
    rows = []
    for route in model.routes:
        cells = []
        for cell in gapmap.route_cells(route, labels):
            studies = tuple(
                Study(
                    ref=model.get("reference", s.key),
                    designs=tuple(gapmap.DESIGNS.get(d, d) for d in model.get("reference", s.key).designs),
                    sources=sources.get(s.key, ()),
                    figures=tuple(route.figures[n - 1] for n in s.figures),
                    key_messages=tuple((n, route.key_messages[n - 1]) for n in s.key_messages),
                )
                for s in cell.studies
            )
            cells.append(CellView(route, cell.outcome, labels[cell.outcome], cell.anchor, studies))
        rows.append((route, cells))
    used = {s.ref.key: s for _, cells in rows for cell in cells for s in cell.studies}.values()
    years = sorted({s.ref.year for s in used if s.ref.year.isdigit()})
    designs = [(k, v) for k, v in gapmap.DESIGNS.items() if any(k in s.ref.designs for s in used)]
    return {
        "rows": rows,
        "years": years,
        "designs": designs,
        "sources": [(s.id, s.short_title) for s in model.sources if any(s.id in study.sources for study in used)],
        "gaps": [
            (route, [c for c in cells if not c.studies]) for route, cells in rows if any(not c.studies for c in cells)
        ],
    }
