"""The resolved model as JSON, for inspection and for tools that are not Python."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from generator.model import Model, RichText, Target


def model_to_json(model: Model) -> str:
    """Every item, citation and back-link; links are relative to the site root."""

    def link(target: Target) -> str:
        page, anchor = model.address(target)
        return page + ".html" + (f"#{anchor}" if anchor else "")

    def convert(value):
        if isinstance(value, RichText):
            return {
                "markdown": value.source,
                "html": value.html(link),
                "origin": convert(value.origin),
                "citations": [convert(c) for c in value.citations],
                "links": [list(t) for t in value.targets],
            }
        if dataclasses.is_dataclass(value):
            return {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return json.dumps(convert(model), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
