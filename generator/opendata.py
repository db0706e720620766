"""The evidence base as open data: CSV, JSON, BibTeX and CSL-JSON files under ``data/``.

Every file is a pure function of the model (and, for the bibliography, of
references.bib), so rebuilds are byte-identical. CSVs are UTF-8 with a byte-order
mark, so spreadsheets read their accents and symbols correctly; lists inside a
CSV cell are separated by "; ". JSON Schemas for each file are in docs/schemas/.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypandoc

from generator import gapmap
from generator.citeproc import to_text
from generator.model import Citation, Figure, Model, RichText

SCHEMAS = Path(__file__).resolve().parents[1] / "docs" / "schemas"


@dataclass(frozen=True)
class DataFile:
    name: str
    title: str
    description: str
    schema: str = ""  # its JSON Schema in docs/schemas (and data/schemas)


FILES = (
    DataFile(
        "figures.csv",
        "Figures (CSV)",
        "Every headline number, with what it measures, its population, outcome and citation.",
        "figures.schema.json",
    ),
    DataFile(
        "figures.json",
        "Figures (JSON)",
        "The same figures, with each citation's keys and locators.",
        "figures.schema.json",
    ),
    DataFile(
        "recommendations.csv",
        "Recommendations (CSV)",
        "Every recommendation, with its theme, routes, audiences and source.",
        "recommendations.schema.json",
    ),
    DataFile(
        "recommendations.json",
        "Recommendations (JSON)",
        "The same recommendations as JSON.",
        "recommendations.schema.json",
    ),
    DataFile(
        "references.bib",
        "Bibliography (BibTeX)",
        "Every reference, as the project keeps it; imports into Zotero and other reference managers.",
    ),
    DataFile(
        "references.json",
        "Bibliography (CSL-JSON)",
        "Every reference in CSL-JSON, the format citation processors read.",
        "references.schema.json",
    ),
    DataFile(
        "map.json",
        "Evidence map (JSON)",
        "The evidence and gap map: the studies behind each route and outcome.",
        "map.schema.json",
    ),
)
FIGURE_COLUMNS = (
    "route",
    "kind",
    "number",
    "value",
    "measure",
    "population",
    "period",
    "outcome",
    "citation_key",
    "locator",
    "citation",
    "url",
)
RECOMMENDATION_COLUMNS = ("id", "number", "text", "theme", "routes", "audience", "source", "citation", "url")
_ITEM = re.compile(r"^[^@]*?-?@(?P<key>\{[^}]+\}|[^\s,;\]]+)\s*(?:,\s*(?P<locator>.*?))?\s*$", re.S)


def plain(text: RichText) -> str:
    """Text without markup, on one line; citations keep their formatted text."""
    return " ".join(to_text(text.html(lambda _: "", abbreviations=False)).split())


def cited(citations: tuple[Citation, ...]) -> list[dict]:
    """Each cited key with its locator as written ("p. 12", "sec. Adoption", or "")."""
    out = []
    for c in citations:
        for item in c.source.strip().removeprefix("[").removesuffix("]").split(";"):
            m = _ITEM.match(item.strip())
            if m:
                out.append({"key": m.group("key").strip("{}"), "locator": (m.group("locator") or "").strip()})
    return out


def figure_record(model: Model, fig: Figure, kind: str) -> dict:
    items = cited(fig.citation.citations)
    return {
        "route": fig.route,
        "kind": kind,
        "number": fig.number,
        "value": fig.value,
        "measure": plain(fig.measure),
        "population": fig.population,
        "period": fig.period,
        "outcome": fig.outcome or "",
        "citation_key": "; ".join(i["key"] for i in items),
        "locator": "; ".join(i["locator"] for i in items),
        "citation": " ".join(c.text for c in fig.citation.citations),
        "url": model.public_url(("figure", f"{fig.route}/{fig.number}")),
        "citations": items,
    }


def figures(model: Model) -> list[dict]:
    return [
        figure_record(model, f, kind)
        for kind, owners in (("route", model.routes), ("topic", model.topics))
        for owner in owners
        for f in owner.figures
    ]


def recommendations(model: Model) -> list[dict]:
    return [
        {
            "id": r.id,
            "number": r.number,
            "text": plain(r.text),
            "theme": r.theme,
            "routes": list(r.routes),
            "audience": list(r.audience),
            "source": r.source,
            "citation": " ".join(c.text for c in r.citation.citations),
            "url": model.public_url(("recommendation", r.id)),
        }
        for r in model.recommendations
    ]


def to_csv(rows: list[dict], columns: tuple[str, ...]) -> bytes:
    """RFC 4180 CSV in UTF-8 with a byte-order mark; list values joined with "; "."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["; ".join(v) if isinstance(v, list) else v for v in (row[c] for c in columns)])
    return buffer.getvalue().encode("utf-8-sig")


def to_json(model: Model, name: str, items) -> bytes:
    data = {
        "edition": model.config.edition.isoformat(),
        "title": model.config.title,
        "url": model.config.url,
        "licence": model.config.licence,
        name: items,
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def csl_json(bibliography: Path) -> bytes:
    """The bibliography in CSL-JSON, converted by pandoc."""
    result = subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", "biblatex", "-t", "csljson", str(bibliography)], capture_output=True
    )
    if result.returncode != 0:
        raise RuntimeError("pandoc could not convert the bibliography: " + result.stderr.decode("utf-8", "replace"))
    return result.stdout


def data_files(model: Model, bibliography: Path) -> dict[str, bytes]:
    """Every open-data file, by name, as bytes."""
    figs = figures(model)
    recs = recommendations(model)
    map_data = gapmap.map_data(model)
    return {
        "figures.csv": to_csv(figs, FIGURE_COLUMNS),
        "figures.json": to_json(model, "figures", figs),
        "recommendations.csv": to_csv(recs, RECOMMENDATION_COLUMNS),
        "recommendations.json": to_json(model, "recommendations", recs),
        "references.bib": bibliography.read_bytes(),
        "references.json": csl_json(bibliography),
        "map.json": (json.dumps(map_data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
    }


def write_data(model: Model, folder: Path, bibliography: Path) -> None:
    """The data files and their schemas under `folder`."""
    (folder / "schemas").mkdir(parents=True, exist_ok=True)
    for name, data in data_files(model, bibliography).items():
        (folder / name).write_bytes(data)
    for schema in sorted({f.schema for f in FILES if f.schema}):
        (folder / "schemas" / schema).write_bytes((SCHEMAS / schema).read_bytes())
