"""The prose that the plain-English and claim checks read: its sentences, where they are, and how to silence a check.

A check is silenced for one text by a YAML comment on the text's first line (or on
a line of its own just above it), with a reason:

    - >-  # check: ignore grade, length – a list of statutory terms
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.load import Content
from generator.markdown import Draft

CHECK_NAMES = ("grade", "length", "words", "claim")
_PLACEHOLDER = re.compile(r"\bREPLACE\b")
_SILENCE = re.compile(r"#\s*check:\s*ignore\b(?P<names>[^–—:]*?)(?:\s+(?:–|—|-{1,2}|:)\s*(?P<reason>.*?))?\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_ABBREVIATIONS = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        map(
            re.escape,
            (
                "e.g.",
                "i.e.",
                "etc.",
                "sec.",
                "para.",
                "paras.",
                "p.",
                "pp.",
                "ch.",
                "no.",
                "vs.",
                "cf.",
                "al.",
                "Dr.",
                "Mr.",
                "Mrs.",
                "Ms.",
                "St.",
                "approx.",
            ),
        )
    )
    + ")"
)
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s+[\"'“‘(]?[A-Z0-9£])")
_GLOSSARY_WORD = "term"  # a glossary term counts as one short word: authors are not marked down for it


@dataclass
class Text:
    """One checked text: a summary, key message, figure measure or recommendation."""

    kind: str  # "summary", "key_message", "measure", "recommendation"
    path: str
    line: int  # where the value starts
    draft: Draft
    owner: dict  # the route, topic or recommendation it belongs to
    silenced: dict[str, str] = field(default_factory=dict)  # check name -> reason
    silence_line: int = 0  # the line of the `# check: ignore` comment

    def quiet(self, check: str) -> bool:
        """Whether a `# check: ignore` comment with a reason silences `check` for this text."""
        return bool(self.silenced.get(check))

    @property
    def label(self) -> str:
        return self.kind.replace("_", " ")


@dataclass(frozen=True)
class Sentence:
    source: str  # Markdown as written, citations included
    plain: str  # citations and link syntax removed, whitespace collapsed
    line: int
    col: int


class Files:
    """The content's files, read once, for positions and comments."""

    def __init__(self, root: Path):
        self.root = root
        self._text: dict[str, str] = {}
        self._starts: dict[str, list[int]] = {}

    def text(self, path: str) -> str:
        if path not in self._text:
            try:
                self._text[path] = (self.root / path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._text[path] = ""
            self._starts[path] = [0] + [m.end() for m in re.finditer("\n", self._text[path])]
        return self._text[path]

    def lines(self, path: str) -> list[str]:
        return self.text(path).split("\n")

    def offset(self, path: str, line: int) -> int:
        self.text(path)
        starts = self._starts[path]
        return starts[min(max(line, 1), len(starts)) - 1]

    def position(self, path: str, offset: int) -> tuple[int, int]:
        self.text(path)
        starts = self._starts[path]
        line = next(i for i in range(len(starts) - 1, -1, -1) if starts[i] <= offset)
        return line + 1, offset - starts[line] + 1

    def find(self, path: str, line: int, words: str, after: int = 0, flags: int = 0) -> tuple[int, int] | None:
        """Position of `words` (matched across line breaks) at or after `line`, and after offset `after`."""
        parts = words.split()[:6]
        if not parts:
            return None
        pattern = re.compile(r"\s+".join(map(re.escape, parts)), flags)
        m = pattern.search(self.text(path), max(self.offset(path, line), after))
        return self.position(path, m.start()) if m else None


def texts(c: Content, files: Files) -> Iterator[Text]:
    """Every summary and key message of a route or topic, every figure measure and every recommendation."""
    for item in c.routes + c.topics:
        path = item["_path"]
        if "summary" in item:
            yield text_of("summary", path, item["_pos_summary"][0], item["summary"], item, files)
        for draft in item.get("key_messages", []):
            yield text_of("key_message", path, draft.line, draft, item, files)
        for fig in item.get("figures", []):
            if "measure" in fig:
                yield text_of("measure", path, fig["_pos_measure"][0], fig["measure"], item, files)
    for rec in c.recommendations:
        if "text" in rec:
            yield text_of("recommendation", rec["_path"], rec["_pos_text"][0], rec["text"], rec, files)


def text_key(text: Text, files: Files) -> tuple:
    """What a check of one text reads, as a `Memo` key: its kind, words and place, and its
    file's text (positions, `# check: ignore` comments, the figures beside it)."""
    return (text.kind, text.path, text.line, text.draft.source, files.text(text.path))


def text_of(kind: str, path: str, line: int, draft: Draft, owner: dict, files: Files) -> Text:
    """A text, with the `# check: ignore` comment that applies to it."""
    text = Text(kind, path, line, draft, owner)
    lines = files.lines(path)
    for n in (line, line - 1):  # the value's line, or the line above if it holds only a comment or the key
        if 1 <= n <= len(lines) and (n == line or re.fullmatch(r"\s*(?:-\s*)?(?:[\w-]+:)?\s*(?:#.*)?", lines[n - 1])):
            m = _SILENCE.search(lines[n - 1])
            if m:
                text.silence_line = n
                reason = (m.group("reason") or "").strip()
                names = [name for name in re.split(r"[,\s]+", m.group("names").strip()) if name]
                text.silenced = {name: reason for name in names or [""]}
                break
    return text


def silence_problems(text: Text) -> Iterator[tuple[int, int, str]]:
    """Problems with a text's `# check: ignore` comment: a name that is no check, or no reason."""
    for name, reason in text.silenced.items():
        if name not in CHECK_NAMES:
            yield (
                text.silence_line,
                1,
                (
                    f"`# check: ignore {name}`".replace(" `", "`")
                    + f" names no check: use one or more of {', '.join(CHECK_NAMES)}"
                ),
            )
        elif not reason:
            yield (
                text.silence_line,
                1,
                f"`# check: ignore {name}` needs a reason: `# check: ignore {name} – why this text may stay`",
            )


def is_placeholder(draft: Draft) -> bool:
    return bool(_PLACEHOLDER.search(draft.source))


def plain(markdown: str, citations: list[str], glossary: re.Pattern | None = None) -> str:
    """Text as a reader hears it: without these citations, link text only, no emphasis marks; glossary terms as one short word."""
    text = markdown
    for citation in citations:
        text = text.replace(citation, " ")
    text = _LINK.sub(lambda m: m.group(1) or m.group(2).split(":", 1)[-1].replace("-", " "), text)
    text = re.sub(r"[*_`]+", "", text)
    if glossary is not None:
        text = glossary.sub(_GLOSSARY_WORD, text)
    text = re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(text.split()))
    return re.sub(r"\(\s*\)", "", text).strip()


def glossary_pattern(c: Content) -> re.Pattern | None:
    """Every glossary term and its expansion, as whole words, case-insensitive for expansions; plurals too."""
    exact = sorted({t["term"] for t in c.terms if t.get("term")}, key=len, reverse=True)
    folded = sorted({t["expansion"] for t in c.terms if t.get("expansion")}, key=len, reverse=True)
    parts = [re.escape(w) for w in exact] + [f"(?i:{re.escape(w)})" for w in folded]
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?:s|es)?(?![\w-])") if parts else None


def split(markdown: str, citations: list[str]) -> list[str]:
    """The sentences of a text as written (Markdown, with their citations); none that is only a citation."""
    masked = markdown
    for citation in citations:  # a citation's "sec. 5" or "p. 3" never ends a sentence
        masked = masked.replace(citation, "¶" * len(citation))
    masked = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "·"), masked)
    ends = [m.end() for m in _SENTENCE_END.finditer(masked)] + [len(markdown)]
    chunks = [markdown[start:end].strip() for start, end in zip([0, *ends], ends, strict=False)]
    return [c for c in chunks if re.search(r"\w", plain(c, citations))]


def sentences(text: Text, files: Files, glossary: re.Pattern | None = None) -> list[Sentence]:
    """The text's sentences, each with its position in the file."""
    cites = [use.source for use in text.draft.cites]
    out, after = [], files.offset(text.path, text.line)
    for chunk in split(text.draft.source, cites):
        words = plain(chunk, cites, glossary)
        first = chunk.split("[@", 1)[0].strip() or chunk
        pos = files.find(text.path, text.line, first, after) or (text.line, 1)
        after = files.offset(text.path, pos[0]) + pos[1] - 1
        out.append(Sentence(chunk, words, *pos))
    return out


def quote(sentence: str, limit: int = 70) -> str:
    """A sentence shortened for a message."""
    words = " ".join(sentence.split())
    return f"“{words}”" if len(words) <= limit else f"“{words[:limit].rsplit(' ', 1)[0]} …”"
