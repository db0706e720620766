"""Field specifications for every kind of content, and the checker that applies them.

A spec maps a field name to `Field(kind, required)`. Kinds: "str", "md" (Markdown,
becomes a Draft), "md_list", "int", "bool", "date", "id", "ids", or a nested spec
(a dict, or a one-item list of a dict for a list of mappings).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator import vocabulary
from generator.yamlsource import Located, LocatedList, is_date

ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


@dataclass(frozen=True)
class Field:
    kind: Any
    required: bool = True


def opt(kind: Any) -> Field:
    return Field(kind, required=False)


FIGURE = {
    "value": Field("str"),
    "measure": Field("md"),
    "population": Field("str"),
    "period": opt("str"),
    "citation": Field("md"),
    "headline": opt("bool"),
    "outcome": opt("id"),
}
EVIDENCE_PAGE = {  # what a route and a topic both begin with
    "id": Field("id"),
    "title": Field("str"),
    "order": Field("int"),
    "summary": Field("md"),
    "key_messages": Field("md_list"),
    "figures": opt([FIGURE]),
}
ROUTE = {
    **EVIDENCE_PAGE,
    "evidence": Field({"rating": Field("str"), "reason": Field("md")}),
    "outcomes": Field("ids"),
    "compare": Field({column: opt("md") for column in vocabulary.COMPARE_COLUMNS}),
    "reviewed": Field("date"),
}
TOPIC = {
    **EVIDENCE_PAGE,
    "routes": opt("ids"),
    "reviewed": Field("date"),
}
SOURCE = {
    "id": Field("id"),
    "title": Field("str"),
    "short_title": Field("str"),
    "kind": Field("str"),
    "reference": Field("str"),
    "year": Field("int"),
    "summary": Field("md"),
}
PAGE = {"id": Field("id"), "title": Field("str"), "order": opt("int")}
RECOMMENDATION = {
    "id": Field("id"),
    "number": opt("number"),
    "theme": Field("id"),
    "routes": Field("ids"),
    "audience": Field("ids"),
    "text": Field("md"),
    "citation": Field("md"),
    "title": opt("str"),
    "note": opt("md"),
    "main": opt("bool"),
}
RECOMMENDATIONS = {"source": Field("id"), "recommendations": Field([RECOMMENDATION])}
VOICE = {
    "id": Field("id"),
    "quote": Field("str"),
    "who": Field("str"),
    "routes": opt("ids"),
    "topics": opt("ids"),
    "citation": Field("md"),
}
VOICES = {"voices": Field([VOICE])}
TERM = {"id": Field("id"), "term": Field("str"), "expansion": Field("str"), "definition": Field("md")}
GLOSSARY = {"terms": Field([TERM])}
SPEAKER = {"title": Field("str"), "speaker": Field("str"), "route": opt("id"), "key_messages": Field("md_list")}
BRIEFING = {
    "id": Field("id"),
    "kind": Field("str"),
    "title": Field("str"),
    "subtitle": opt("str"),
    "audience": Field("str"),
    "max_pages": opt("int"),
    "routes": opt("ids"),
    "topics": opt("ids"),
    "recommendations": opt("ids"),
    "themes": opt("ids"),
    "intro": opt("md"),
    "source": opt("id"),
    "sections": opt([SPEAKER]),
    "messages": opt("md_list"),
}
CONFIG = {
    "title": Field("str"),
    "subtitle": opt("str"),
    "description": opt("str"),
    "url": Field("str"),
    "repository": opt("str"),
    "publisher": opt("str"),
    "language": Field("str"),
    "csl": Field("str"),
    "edition": Field("date"),
    "review_limit_days": Field("int"),
    "engine": opt("str"),
    "citations": opt("str"),
    "themes": Field("labels"),
    "audiences": Field("labels"),
    "outcomes": Field("labels"),
    "licence": opt("str"),
    "editions": opt([{"date": Field("date"), "ref": Field("str"), "note": opt("str")}]),
    "home_topic": opt("id"),
    "explainer": opt("str"),
    "checks": opt({"figure_period": opt("bool"), "claim_wording": opt("bool"), "readability": opt("bool")}),
    "readability": opt(
        {
            kind: opt({"grade": opt("int"), "sentence_words": opt("int")})
            for kind in ("summary", "key_message", "measure", "recommendation")
        }
    ),
}

_KIND_NAMES = {
    "number": "text in quotes",
    "str": "text",
    "md": "text (Markdown)",
    "md_list": "a list of texts",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "id": "an id (lower-case letters, digits, - and .)",
    "ids": "a list of ids",
    "labels": "a mapping of id: label",
}

# report(line, col, message); make_md(raw, line, col, text) -> Draft
Report = Callable[..., None]  # report(line, col, message), the position often unpacked from a pair


def check(data: Any, spec: dict, report: Report, make_md: Callable, where: str = "") -> dict | None:
    """Check a mapping against a spec; return the normalised values, or None if unusable."""
    if not isinstance(data, Located):
        pos = getattr(data, "pos", (1, 1))
        report(*pos, f"{where or 'this'} must be a mapping of fields ({', '.join(spec)})")
        return None
    out: dict[str, Any] = {"_pos": data.pos}
    for name in data:
        if name not in spec:
            close = [f for f in spec if f not in data]
            report(
                *data.key_pos[name],
                f"unknown field '{name}'{_in(where)}; allowed fields: {', '.join(spec)}"
                + (
                    f" (missing: {', '.join(f for f in close if spec[f].required)})"
                    if any(spec[f].required for f in close)
                    else ""
                ),
            )
    for name, field in spec.items():
        if name not in data or data[name] is None:
            if field.required:
                report(*data.pos, f"missing required field '{name}'{_in(where)}: add `{name}: ...`")
            continue
        pos = data.value_pos[name]
        value = _value(data[name], field.kind, pos, data.raw[name], report, make_md, f"'{name}'{_in(where)}")
        if value is not _BAD:
            out[name] = value
            out[f"_pos_{name}"] = pos
    return out


_BAD = object()


def _value(value: Any, kind: Any, pos, raw: str, report: Report, make_md, what: str):
    def bad(expected: str):
        report(*pos, f"{what} must be {expected}, not {_describe(value)}")
        return _BAD

    if isinstance(kind, dict):
        result = check(value, kind, report, make_md, what.strip("'"))
        return _BAD if result is None else result
    if isinstance(kind, list):
        if not isinstance(value, LocatedList):
            return bad("a list")
        items = []
        for i, item in enumerate(value):
            result = check(item, kind[0], report, make_md, f"{what.strip(chr(39))} item {i + 1}")
            if result is not None:
                items.append(result)
        return items
    if kind == "number":  # as numbered in a source; may be empty
        return (
            bad('text in quotes, e.g. "5.10"')
            if not isinstance(value, (str, int)) or isinstance(value, bool)
            else str(value)
        )
    if kind in ("str", "id"):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return bad("text in quotes" if isinstance(value, float) else _KIND_NAMES[kind])
        value = str(value)
        if kind == "id" and not ID.match(value):
            return bad(_KIND_NAMES["id"])
        if not value.strip():
            return bad("non-empty text")
        return value
    if kind == "md":
        if not isinstance(value, str):
            return bad(_KIND_NAMES["md"])
        return make_md(raw, pos[0], pos[1], value)
    if kind in ("md_list", "ids"):
        if not isinstance(value, LocatedList) or not all(isinstance(v, str) for v in value):
            return bad(_KIND_NAMES[kind])
        if kind == "ids":
            for v, p in zip(value, value.item_pos, strict=False):
                if not ID.match(v):
                    report(*p, f"'{v}' in {what} is not an id: use lower-case letters, digits, - and .")
            return [(v, p) for v, p in zip(value, value.item_pos, strict=False)]
        return [make_md(r, p[0], p[1], v) for v, p, r in zip(value, value.item_pos, value.raw, strict=False)]
    if kind == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else bad(_KIND_NAMES["int"])
    if kind == "bool":
        return value if isinstance(value, bool) else bad(_KIND_NAMES["bool"])
    if kind == "date":
        return value if is_date(value) else bad(_KIND_NAMES["date"])
    if kind == "labels":
        if not isinstance(value, Located) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return bad(_KIND_NAMES["labels"])
        return dict(value)
    raise ValueError(kind)


def _in(where: str) -> str:
    return f" in {where}" if where else ""


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {value[:30]!r}"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
