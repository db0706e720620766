"""Plain English, checked: reading grade, sentence length and words a plain-English guide would replace.

Each summary and key message of a route or topic, each figure measure and each
recommendation is measured after citations and link syntax are removed; glossary
terms count as one short word. The limits come from `readability:` in
site_config.yml (defaults below). Every finding is a warning (an error with --strict).
"""

from __future__ import annotations

import functools
import re

import textstat

from generator.load import Content
from generator.prose import (
    Files,
    Text,
    glossary_pattern,
    is_placeholder,
    quote,
    sentences,
    silence_problems,
    text_key,
    texts,
)

DEFAULT_LIMITS = {
    "summary": {"grade": 9, "sentence_words": 25},
    "key_message": {"grade": 9, "sentence_words": 25},
    "measure": {"grade": 12, "sentence_words": 25},
    "recommendation": {"grade": 12, "sentence_words": 30},
}

# Words and phrases a plain-English guide would replace, with the plainer choice. After GOV.UK's
# "words to avoid" and the Plain English Campaign's A to Z of alternative words. Every form is listed.
PLAIN_WORDS = {
    "utilise|utilises|utilised|utilising|utilisation|utilize|utilizes|utilized|utilizing|utilization": "use",
    "facilitate|facilitates|facilitated|facilitating": "help, make possible",
    "commence|commences|commenced|commencing|commencement": "start",
    "in order to": "to",
    "approximately": "about",
    "numerous": "many",
    "prior to": "before",
    "subsequently": "later, then",
    "additional": "more, extra",
    "additionally": "also",
    "assist|assists|assisted|assisting|assistance": "help",
    "consequently": "so",
    "demonstrate|demonstrates|demonstrated|demonstrating": "show",
    "endeavour|endeavours|endeavoured": "try",
    "obtain|obtains|obtained|obtaining": "get",
    "sufficient": "enough",
    "terminate|terminates|terminated|terminating": "end",
    "whilst": "while",
    "in relation to|with regard to|with respect to|regarding": "about",
    "in the event that|in the event of": "if",
    "due to the fact that|owing to the fact that": "because",
    "in excess of": "more than",
    "a number of": "some, several",
    "at this moment in time|at the present time": "now",
    "leverage|leverages|leveraged|leveraging": "use",
    "robust": "strong, sound (say what you mean)",
    "going forward": "from now on, in future",
    "overarching": "main, general",
    "streamline|streamlines|streamlined|streamlining": "simplify",
    "tackle|tackles|tackled|tackling": "deal with, stop (say what you mean)",
    "empower|empowers|empowered|empowering": "let, allow (say what you mean)",
    "liaise|liaises|liaised|liaising": "work with, talk to",
    "deploy|deploys|deployed|deploying": "use, send",
    "disincentivise|disincentivises|disincentivised": "discourage",
    "incentivise|incentivises|incentivised": "encourage",
}
GRADE_MIN_WORDS = 12  # a reading grade means little for a shorter text ("Keep relationships going." is grade 13)
_PLAIN = [(re.compile(r"(?<![\w-])(?:" + forms + r")(?![\w-])", re.I), better) for forms, better in PLAIN_WORDS.items()]
_HOW = "or silence it for this text with `# check: ignore {name} – <reason>` (docs/content-format.md)"


def limits(config: dict | None) -> dict[str, dict[str, int]]:
    """The configured limits, each falling back to its default."""
    configured = (config or {}).get("readability") or {}
    return {
        kind: {**default, **{k: v for k, v in (configured.get(kind) or {}).items() if not k.startswith("_")}}
        for kind, default in DEFAULT_LIMITS.items()
    }


@functools.lru_cache(maxsize=4096)
def counts(sentence: str) -> tuple[int, int]:
    """(words, syllables) of a sentence, counted by textstat (syllables with pyphen)."""
    return textstat.lexicon_count(sentence), textstat.syllable_count(sentence)


def grade(parts: list[str]) -> float:
    """Flesch–Kincaid grade over these sentences (sentences split by us, not by textstat, which splits "3.2%")."""
    words = syllables = 0
    for sentence in parts:
        w, s = counts(sentence)
        words, syllables = words + w, syllables + s
    if not words:
        return 0.0
    return round(0.39 * words / len(parts) + 11.8 * syllables / words - 15.59, 1)


def check(c: Content, files: Files | None = None) -> None:
    """Add a warning for every text over a limit (see module docstring)."""
    config = c.config or {}
    files = files or Files(c.root)
    checked = list(texts(c, files))
    for text in checked:  # the comments are checked even when the checks are off
        for problem in silence_problems(text):
            c.problems.warn(text.path, *problem)
    if (config.get("checks") or {}).get("readability") is False:
        return
    glossary = glossary_pattern(c)
    limit = limits(config)
    for text in checked:
        if is_placeholder(text.draft):
            continue
        key = ("readability", text_key(text, files), glossary and glossary.pattern, repr(limit[text.kind]))
        for line, col, message in c.memo.get(key, findings, text, files, glossary, limit[text.kind]):
            c.problems.warn(text.path, line, col, message)


def findings(text: Text, files: Files, glossary, limit: dict[str, int]) -> list[tuple[int, int, str]]:
    """(line, col, message) for each measure over its limit in one text."""
    return list(_findings(text, files, glossary, limit))


def _findings(text: Text, files: Files, glossary, limit: dict[str, int]):
    parts = sentences(text, files, glossary)
    if not parts:
        return
    what = f"in this {text.label}"
    if not text.quiet("grade") and sum(counts(s.plain)[0] for s in parts) >= GRADE_MIN_WORDS:
        score = grade([s.plain for s in parts])
        if score > limit["grade"]:
            hardest = max(parts, key=lambda s: grade([s.plain]))
            yield (
                hardest.line,
                hardest.col,
                (
                    f"reading grade {score:g} {what} is over the limit of {limit['grade']}; hardest sentence: "
                    f"{quote(hardest.plain)} (grade {grade([hardest.plain]):g}): use shorter sentences and everyday words, "
                    f"put a needed technical term in the glossary, " + _HOW.format(name="grade")
                ),
            )
    if not text.quiet("length"):
        for s in parts:
            words = counts(s.plain)[0]
            if words > limit["sentence_words"]:
                yield (
                    s.line,
                    s.col,
                    (
                        f"sentence of {words} words {what} is over the limit of {limit['sentence_words']}: "
                        f"{quote(s.plain)}: split it, " + _HOW.format(name="length")
                    ),
                )
    if not text.quiet("words"):
        for s in parts:
            for pattern, better in _PLAIN:
                for m in pattern.finditer(s.plain):
                    start = files.offset(text.path, s.line) + s.col - 1
                    pos = files.find(text.path, s.line, m.group(0), start, re.I) or (s.line, s.col)
                    yield (
                        pos[0],
                        pos[1],
                        (
                            f"'{m.group(0)}' {what}: plain English would say '{better}' "
                            f"(in {quote(s.plain, 50)}); reword, " + _HOW.format(name="words")
                        ),
                    )
