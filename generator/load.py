"""Read site_config.yml, references.bib and content/ into checked, unresolved items.

Each item is a dict of normalised field values (Markdown already parsed into
`Draft`s); every problem found is added to `Problems` with its file and line.
`generator.resolve` then checks references between items and builds the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from generator import schema, vocabulary
from generator.bibliography import BibEntry, load_bibliography
from generator.markdown import Draft, Locator, new_parser, parse, plain_words, slugify
from generator.memo import Memo
from generator.problems import Problem, Problems
from generator.yamlsource import YamlError, load_yaml

MAX_FILE_BYTES = 1_000_000  # a content file; real ones are under 40 KB
MAX_BIB_BYTES = 20_000_000  # references.bib; large shared bibliographies run to a few MB
REQUIRED_ROUTE_SECTIONS = vocabulary.ROUTE_SECTIONS
T = TypeVar("T")


@dataclass
class Content:
    """Everything read from disk, checked field by field but not yet cross-checked."""

    root: Path
    config_path: Path
    config: dict | None = None
    bib_path: Path | None = None
    bib: dict[str, BibEntry] = field(default_factory=dict)
    bib_for_pandoc: str = ""  # references.bib as pandoc should read it, if it differs (comments, repeated fields)
    routes: list[dict] = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)
    voices: list[dict] = field(default_factory=list)
    terms: list[dict] = field(default_factory=list)
    briefings: list[dict] = field(default_factory=list)
    unreadable: set[tuple[str, str]] = field(default_factory=set)  # (kind, id) of files that failed to parse
    problems: Problems = field(default_factory=Problems)
    memo: Memo = field(default_factory=Memo)  # what the checks computed for unchanged texts before


class Reader:
    def __init__(self, root: Path, config_path: Path, memo: Memo | None = None):
        self.content = Content(root=root, config_path=config_path, memo=memo or Memo())
        self.md = new_parser()
        self.problems = self.content.problems

    # -- helpers -----------------------------------------------------------------
    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.content.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def reporter(self, path: str):
        return lambda line, col, message: self.problems.error(path, line, col, message)

    def md_maker(self, path: str):
        def make(raw: str, line: int, col: int, value: str) -> Draft:
            return parse(self.md, value, path, Locator(raw, line, col))

        return make

    def read_text(self, path: Path, limit: int = MAX_FILE_BYTES) -> str | None:
        """The file's text without a byte-order mark, line ends as `\\n`; None after reporting why not.

        Bytes that are not UTF-8 are reported at the first one and read as U+FFFD, so
        one wrong byte does not hide the rest of the file.
        """
        rel = self.rel(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.problems.error(rel, 1, 1, f"cannot read the file: {exc.strerror}")
            return None
        if len(data) > limit:
            self.problems.error(
                rel, 1, 1, f"the file is {len(data):,} bytes, over the limit of {limit:,}: split it into smaller files"
            )
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            col = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
            self.problems.error(
                rel, line, col, f"not UTF-8 text (byte 0x{data[exc.start]:02x}: {exc.reason}); save the file as UTF-8"
            )
            text = data.decode("utf-8-sig", "replace")
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def parsed(self, path: Path, parse: Callable[[Path, str], T], limit: int = MAX_FILE_BYTES) -> T | None:
        """`parse(path, text)` for a file; kept in the memo while the file's text is unchanged,
        and the problems it found are reported again. None if the file cannot be read."""
        text = self.read_text(path, limit)
        if text is None:
            return None

        def run() -> tuple[T, list[Problem], set[tuple[str, str]]]:
            outer = self.problems, self.content.unreadable
            self.problems, self.content.unreadable = Problems(), set()
            try:
                return parse(path, text), self.problems.items, self.content.unreadable
            finally:
                self.problems, self.content.unreadable = outer

        key = ("load", parse.__name__, str(self.content.root), str(path), text)
        result, problems, unreadable = self.content.memo.get(key, run)
        self.problems.items.extend(problems)
        self.content.unreadable |= unreadable
        return result

    def yaml_file(self, path: Path, text: str, spec: dict) -> dict | None:
        rel = self.rel(path)
        try:
            data = load_yaml(text)
        except YamlError as exc:
            self.problems.error(rel, exc.line, exc.col, exc.message)
            self.content.unreadable.add(("file", rel))
            return None
        return schema.check(data, spec, self.reporter(rel), self.md_maker(rel))

    def front_matter_file(self, path: Path, text: str, spec: dict) -> tuple[dict, str, int] | None:
        """Front matter checked against `spec`, the body, and the body's first line."""
        rel = self.rel(path)
        lines = text.split("\n")
        if not lines or lines[0].strip() != "---":
            self.problems.error(
                rel, 1, 1, "the file must start with front matter: a line '---', YAML fields, and another '---'"
            )
            return None
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            self.problems.error(rel, 1, 1, "front matter is not closed: add a line '---' after the last field")
            return None
        try:
            data = load_yaml("\n".join(lines[1:end]), line_offset=1)
        except YamlError as exc:
            self.problems.error(rel, exc.line, exc.col, exc.message)
            return None
        item = schema.check(data, spec, self.reporter(rel), self.md_maker(rel), "front matter")
        if item is None:
            return None
        item["_path"] = rel
        if "id" in item and item["id"] != path.stem:
            self.problems.error(
                rel, *item["_pos_id"], f"id '{item['id']}' must match the file name '{path.stem}': rename one"
            )
        return item, "\n".join(lines[end + 1 :]), end + 2

    def body(self, rel: str, text: str, first_line: int) -> Draft:
        return parse(self.md, text, rel, Locator(text, first_line, 1))

    def sections(self, rel: str, text: str, first_line: int) -> list[dict]:
        """Split a body at its `## ` headings; each heading and section is parsed on its own."""
        tokens = self.md.parse(text)
        starts = [
            (t.map[0], tokens[i + 1].content)
            for i, t in enumerate(tokens)
            if t.type == "heading_open" and t.tag == "h2" and t.map
        ]
        lines = text.split("\n")
        lead = "\n".join(lines[: starts[0][0] if starts else len(lines)])
        if lead.strip():
            line = first_line + next(n for n, text in enumerate(lines) if text.strip())
            self.problems.error(
                rel,
                line,
                1,
                "text before the first '## ' heading: start the body with a "
                "'## ' section heading, or move this text into `summary`",
            )
        out = []
        for n, (start, title) in enumerate(starts):
            end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
            chunk = "\n".join(lines[start + 1 : end])
            heading_line = lines[start]
            col = heading_line.find(title) + 1 if title else 1
            heading = parse(self.md, title, rel, Locator(title, first_line + start, max(col, 1)), inline=True)
            out.append(
                {
                    "title": title,
                    "slug": slugify(plain_words(heading)),
                    "line": first_line + start,
                    "heading": heading,
                    "body": self.body(rel, chunk, first_line + start + 1),
                }
            )
        return out

    # -- kinds: each file is parsed by a method of (path, text) that `parsed` can keep ----------
    def config(self) -> None:
        path = self.content.config_path
        if not path.is_file():
            self.problems.error(
                self.rel(path),
                1,
                1,
                "site configuration not found: create site_config.yml (see docs/content-format.md)",
            )
            return
        self.content.config = self.parsed(path, self.config_file)

    def config_file(self, path: Path, text: str) -> dict | None:
        config = self.yaml_file(path, text, schema.CONFIG)
        if config is None:
            return None
        config["_path"] = self.rel(path)
        if "language" in config:
            problem = language_problem(config["language"])
            if problem:
                self.problems.error(config["_path"], *config["_pos_language"], problem)
        return config

    def bibliography(self) -> None:
        path = self.content.root / "references.bib"
        if not path.is_file():
            self.problems.error("references.bib", 1, 1, "bibliography not found: create references.bib (BibTeX)")
            return
        read = self.parsed(path, self.bib_file, MAX_BIB_BYTES)
        if read is not None:
            self.content.bib_path = path
            self.content.bib, self.content.bib_for_pandoc = read

    def bib_file(self, path: Path, text: str) -> tuple[dict[str, BibEntry], str]:
        bib = load_bibliography(text, self.rel(path), self.problems)
        return bib.entries, bib.for_pandoc if bib.for_pandoc != text else ""

    def markdown_items(self, folder: str, kind: str, target: list) -> None:
        for path in sorted((self.content.root / "content" / folder).glob("*.md")):
            item = self.parsed(path, self.markdown_file)
            if item is None:
                self.content.unreadable.add((kind, path.stem))  # its problem is reported; don't cascade
                continue
            target.append(item)

    def markdown_file(self, path: Path, text: str) -> dict | None:
        """A route, topic, source or page (the kind is its folder's)."""
        kind = _MARKDOWN_KINDS[path.parent.name]
        read = self.front_matter_file(path, text, kind[0])
        if read is None:
            return None
        item, body, line = read
        if kind[1] != "page":
            item["sections"] = self.sections(item["_path"], body, line)
        else:
            item["body"] = self.body(item["_path"], body, line)
        if kind[1] == "route":
            have = {s["slug"] for s in item["sections"]}
            for title in REQUIRED_ROUTE_SECTIONS:
                if slugify(title) not in have:
                    self.problems.error(
                        item["_path"],
                        line,
                        1,
                        f"the body has no '## {title}' section: add one (routes need: {', '.join(REQUIRED_ROUTE_SECTIONS)})",
                    )
        return item

    def recommendations(self) -> None:
        for path in sorted((self.content.root / "content" / "recommendations").glob("*.yml")):
            self.content.recommendations.extend(self.parsed(path, self.recommendations_file) or [])

    def recommendations_file(self, path: Path, text: str) -> list[dict]:
        group = self.yaml_file(path, text, schema.RECOMMENDATIONS)
        if group is None:
            return []
        rel = self.rel(path)
        if group.get("source") and group["source"] != path.stem:
            self.problems.error(
                rel, *group["_pos_source"], f"source '{group['source']}' must match the file name '{path.stem}'"
            )
        recs = group.get("recommendations", [])
        for rec in recs:
            rec.update(_path=rel, source=group.get("source", path.stem), _pos_source=group.get("_pos_source", (1, 1)))
        return recs

    def listed(self, name: str, target: list) -> None:
        path = self.content.root / "content" / name
        if path.is_file():
            target.extend(self.parsed(path, self.list_file) or [])

    def list_file(self, path: Path, text: str) -> list[dict]:
        """voices.yml or glossary.yml: a list of items under one key."""
        spec, key = _LISTS[path.name]
        items = (self.yaml_file(path, text, spec) or {}).get(key, [])
        for item in items:
            item["_path"] = self.rel(path)
        return items

    def briefings(self) -> None:
        for path in sorted((self.content.root / "content" / "briefings").glob("*.yml")):
            item = self.parsed(path, self.briefing_file)
            if item is not None:
                self.content.briefings.append(item)

    def briefing_file(self, path: Path, text: str) -> dict | None:
        item = self.yaml_file(path, text, schema.BRIEFING)
        if item is None:
            return None
        item["_path"] = self.rel(path)
        if item.get("id") and item["id"] != path.stem:
            self.problems.error(
                item["_path"], *item["_pos_id"], f"id '{item['id']}' must match the file name '{path.stem}'"
            )
        return item


_MARKDOWN_KINDS = {
    "routes": (schema.ROUTE, "route"),
    "topics": (schema.TOPIC, "topic"),
    "sources": (schema.SOURCE, "source"),
    "pages": (schema.PAGE, "page"),
}
_LISTS = {"voices.yml": (schema.VOICES, "voices"), "glossary.yml": (schema.GLOSSARY, "terms")}


def language_problem(tag: str) -> str | None:
    """Why `tag` cannot be the site's language, or None: it must be a language (and region) that
    CLDR knows, written `en` or `en-GB` (Typst takes no script), with a Material translation."""
    import material
    from babel import Locale, UnknownLocaleError

    example = "write a language tag such as en-GB, de or fr-CA"
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z]{2})?", tag):
        return f"language '{tag}' is not a language and region tag: {example}"
    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return f"language '{tag}' is not a known language tag: {example}"
    partials = Path(material.__file__).parent / "templates" / "partials" / "languages"
    if not (partials / f"{tag.split('-')[0].lower()}.html").is_file():
        return f"language '{tag}' has no translation of the website's theme (Material for MkDocs): {example}"
    return None


def read_content(root: Path, config_path: Path | None = None, memo: Memo | None = None) -> Content:
    """Read and field-check everything; problems are collected, never raised. A `memo` kept
    from an earlier read re-parses only the files that changed since."""
    reader = Reader(root, config_path or root / "site_config.yml", memo)
    c = reader.content
    if not c.config_path.is_file():  # the wrong folder, most likely: one error says so
        reader.config()
        return c
    reader.config()
    reader.bibliography()
    reader.markdown_items("routes", "route", c.routes)
    reader.markdown_items("topics", "topic", c.topics)
    reader.markdown_items("sources", "source", c.sources)
    reader.markdown_items("pages", "page", c.pages)
    reader.recommendations()
    reader.listed("voices.yml", c.voices)
    reader.listed("glossary.yml", c.terms)
    reader.briefings()
    return c
