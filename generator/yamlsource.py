"""YAML loading that remembers where every value was written.

Mappings load as `Located` dicts and sequences as `LocatedList`s; both know the
line and column (1-based) of each of their values and keys, so that validation
can point at the exact place of a problem. Content is untrusted: nesting depth and
the size that aliases expand to are capped before anything is built.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

MAX_DEPTH = 64  # nested lists and mappings; real content needs fewer than 10
MAX_EXPANDED = 2_000_000  # characters a file may hold once its aliases are expanded


class YamlError(Exception):
    def __init__(self, line: int, col: int, message: str):
        self.line, self.col, self.message = line, col, message
        super().__init__(message)


class Located(dict):
    """A mapping with `.pos` (line, col) of itself and `.key_pos` / `.value_pos` of each entry."""

    pos: tuple[int, int] = (1, 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_pos: dict = {}
        self.value_pos: dict = {}
        self.raw: dict = {}  # key -> the value's source text, for locating text inside strings


class LocatedList(list):
    pos: tuple[int, int] = (1, 1)

    def __init__(self, *args):
        super().__init__(*args)
        self.item_pos: list[tuple[int, int]] = []
        self.raw: list[str] = []


_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # libyaml's parser when present
    """SafeLoader that builds Located / LocatedList and keeps dates as `datetime.date`."""

    def __init__(self, stream, text: str, line_offset: int):
        super().__init__(stream)
        self._text = text
        self._offset = line_offset

    def _pos(self, node) -> tuple[int, int]:
        return (node.start_mark.line + 1 + self._offset, node.start_mark.column + 1)

    def _raw(self, node) -> str:
        return self._text[node.start_mark.index : node.end_mark.index]

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        out = Located()
        out.pos = self._pos(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in out:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}: each key may appear once", key_node.start_mark
                )
            out[key] = self.construct_object(value_node, deep=True)
            out.key_pos[key] = self._pos(key_node)
            out.value_pos[key] = self._pos(value_node)
            out.raw[key] = self._raw(value_node)
        return out

    def construct_sequence(self, node, deep=False):
        out = LocatedList(self.construct_object(child, deep=True) for child in node.value)
        out.pos = self._pos(node)
        out.item_pos = [self._pos(child) for child in node.value]
        out.raw = [self._raw(child) for child in node.value]
        return out

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:  # e.g. 2026-02-30
            raise YamlError(
                *self._pos(node), f"impossible date '{node.value}' ({exc}): give a real date as YYYY-MM-DD"
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def _check_size(text: str, line_offset: int) -> None:
    """Refuse nesting deeper than MAX_DEPTH and aliases that expand past MAX_EXPANDED, from parse events.

    This runs before any object is built, so "billion laughs" files and thousands of
    `[` cost nothing; sizes are counted per anchor, so the walk itself stays linear.
    """
    loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
    open_: list[list] = [[None, 0]]  # [anchor, expanded size] of each open collection
    sizes: dict[str, int] = {}
    total = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            assert event is not None and event.start_mark is not None  # check_event said there is one
            where = (event.start_mark.line + 1 + line_offset, event.start_mark.column + 1)
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(open_) > MAX_DEPTH:
                    raise YamlError(
                        *where, f"lists and mappings are nested more than {MAX_DEPTH} deep: flatten the structure"
                    )
                open_.append([event.anchor, 1])
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, size = open_.pop()
                if anchor is not None:
                    sizes[anchor] = size
            elif isinstance(event, yaml.ScalarEvent):
                size = 1 + len(event.value)
                if event.anchor is not None:
                    sizes[event.anchor] = size
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in sizes:  # undefined, or an alias inside its own anchor
                    raise YamlError(
                        *where,
                        f"alias *{event.anchor} refers to no finished anchor &{event.anchor}: "
                        "define the anchor before its use, outside itself",
                    )
                size = sizes[event.anchor]
                total += size
                if total > MAX_EXPANDED:
                    raise YamlError(
                        *where,
                        f"aliases expand this file past {MAX_EXPANDED:,} characters: "
                        "write the text out instead of repeating it through aliases",
                    )
            else:
                continue
            open_[-1][1] += size
    finally:
        loader.dispose()


def load_yaml(text: str, line_offset: int = 0):
    """Parse YAML text; raise `YamlError` with a 1-based position on failure."""
    try:
        _check_size(text, line_offset)
        loader = _Loader(text, text, line_offset)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
        col = (mark.column + 1) if mark else 1
        what = exc.problem or exc.context or "malformed YAML"
        ctx = exc.context_mark
        if exc.problem and exc.context and ctx and ctx.line != getattr(mark, "line", None):
            what += f" ({exc.context.replace('while ', '')} that starts on line {ctx.line + 1 + line_offset})"
        raise YamlError(line, col, f"malformed YAML: {what}; check indentation, colons and quotes") from None
    except yaml.reader.ReaderError as exc:  # a control character, which YAML does not allow
        before = text[: exc.position]
        line, col = before.count("\n") + 1 + line_offset, len(before) - before.rfind("\n")
        raise YamlError(line, col, f"the character U+{exc.character:04X} is not allowed in YAML: delete it") from None


def is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
