"""Claims kept to their evidence: figures carry a period and come from one study; messages keep the figures' hedges.

- A figure with no `period` is a warning.
- A figure whose value is a range, cited to more than one work, is an error: a range
  must come from one study. A source that reports another's range is cited as
  ``[@study; cited in @source, sec. …]`` and counts as that one study.
- In a summary or key message, a certainty word ("all", "most", "the best", "largely
  because"…) is a warning unless a figure on the same page, cited to the same key and
  locator, says it too; so is a sentence that restates the number of a hedged figure it
  cites ("likely", "may", "estimated"…) without a hedge of its own, and a range cited to
  more than one work (also in compare cells). In a figure's measure, a ranking ("the
  best", "the most") is a warning. Each is silenced for one text with
  `# check: ignore claim – <reason>`.
"""

from __future__ import annotations

import re

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
    text_of,
    texts,
)

# Words that claim certainty, a ranking or a cause (matched as whole words, any case).
CERTAINTY = (
    "all",
    "always",
    "never",
    "nobody",
    "no one",
    "most",
    "mostly",
    "the majority",
    "the best",
    "the worst",
    "the most",
    "the least",
    "the strongest",
    "the weakest",
    "the greatest",
    "the biggest",
    "the largest",
    "the highest",
    "the lowest",
    "the only",
    "followed by",
    "proves",
    "proved",
    "proven",
    "shows that",
    "clearly",
    "certainly",
    "definitely",
    "undoubtedly",
    "because",
    "largely because",
    "due to",
    "causes",
    "caused",
    "leads to",
    "led to",
    "results in",
    "resulted in",
    "could have been",
)
# Words that hedge a claim: uncertainty, not rounding ("about 40%" is not a hedge).
HEDGES = (
    "likely",
    "unlikely",
    "probably",
    "possibly",
    "perhaps",
    "may",
    "might",
    "could",
    "estimated",
    "estimate",
    "suggest",
    "suggests",
    "suggested",
    "appear",
    "appears",
    "seem",
    "seems",
    "arguable",
    "arguably",
    "uncertain",
    "unclear",
    "in one study",
    "one study",
)
_CERTAIN = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(map(re.escape, CERTAINTY), key=len, reverse=True)) + r")(?![\w-])", re.I
)
_HEDGE = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(map(re.escape, HEDGES), key=len, reverse=True)) + r")(?![\w-])", re.I
)
_NUMBER = r"(?:\d[\d,.]*\s*%?|a (?:third|half|quarter|fifth|tenth)|one in \w+|(?:two|three) (?:thirds|quarters))"
_QUALIFIER = r"(?:(?:under|over|about|around|almost|nearly|up to|less than|more than|at least)\s+)?"
RANGE = re.compile(rf"(?<![\w.]){_QUALIFIER}{_NUMBER}\s*(?:–|—|-|\bto\b)\s*{_QUALIFIER}{_NUMBER}", re.I)
_BETWEEN = re.compile(rf"\bbetween\s+{_QUALIFIER}{_NUMBER}\s+and\s+{_QUALIFIER}{_NUMBER}", re.I)
_SECONDARY = re.compile(r"^\s*(?:as\s+)?(?:cited|quoted|reported|summarised|summarized)\s+in\b", re.I)
_ITEM = re.compile(r"^(?P<prefix>[^@]*?)-?@(?P<key>[^\s,;\]]+)\s*(?:,\s*(?P<locator>.*?))?\s*$", re.S)
_HOW = (
    "or silence it for this text with `# check: ignore claim – <reason>` (CONTRIBUTING.md, “How a claim is reviewed”)"
)


def items(citation: str) -> list[tuple[str, str, bool]]:
    """(key, normalised locator, is a secondary source) for each item of `[@a, p. 3; cited in @b]`."""
    out = []
    for part in citation.strip().lstrip("[").rstrip("]").split(";"):
        m = _ITEM.match(part.strip())
        if m:
            locator = " ".join((m.group("locator") or "").lower().split())
            out.append((m.group("key").strip("{}"), locator, bool(_SECONDARY.match(m.group("prefix")))))
    return out


def works(citations) -> list[str]:
    """The distinct works cited, leaving out sources cited only as reporting another ("cited in")."""
    return list(dict.fromkeys(key for c in citations for key, _, secondary in items(c) if not secondary))


_FRACTIONS = {"half": 50, "third": 33, "thirds": 67, "quarter": 25, "quarters": 75, "fifth": 20, "tenth": 10}


def amounts(text: str) -> set[float]:
    """The proportions and numbers a text states: "over 50%" and "more than half" both give 50."""
    out = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}
    out |= {_FRACTIONS[w.lower()] for w in re.findall(r"\b(half|thirds?|quarters?|fifth|tenth)\b", text, re.I)}
    return out


def is_range(value: str) -> bool:
    return bool(RANGE.search(value) or _BETWEEN.search(value))


def check(c: Content, files: Files | None = None) -> None:
    """Add the figure errors and warnings, and the claim warnings (see module docstring)."""
    config = c.config or {}
    switches = config.get("checks") or {}
    files = files or Files(c.root)
    for item in c.routes + c.topics:
        for fig in item.get("figures", []):
            figure(c, item, fig, switches.get("figure_period") is not False)
    if switches.get("claim_wording") is False:
        return
    glossary = glossary_pattern(c)
    by_owner: dict[int, list[dict]] = {}
    for item in c.routes + c.topics:
        by_owner[id(item)] = [
            f for f in item.get("figures", []) if all(k in f for k in ("value", "measure", "citation"))
        ]
    checked = [t for t in texts(c, files) if t.kind in ("summary", "key_message", "measure")]
    for route in c.routes:  # compare-table cells: ranges only
        for name, draft in (route.get("compare") or {}).items():
            if not name.startswith("_"):
                cell = text_of("compare", route["_path"], route["compare"][f"_pos_{name}"][0], draft, route, files)
                checked.append(cell)
                for problem in silence_problems(cell):
                    c.problems.warn(cell.path, *problem)
    for text in checked:
        if not text.quiet("claim") and not is_placeholder(text.draft):
            key = ("claims", text_key(text, files), glossary and glossary.pattern)
            for line, col, message in c.memo.get(key, wording, text, by_owner[id(text.owner)], files, glossary):
                c.problems.warn(text.path, line, col, message)


def figure(c: Content, item: dict, fig: dict, want_period: bool) -> None:
    path = item["_path"]
    if want_period and "period" not in fig:
        c.problems.warn(
            path,
            *fig["_pos"],
            "figure has no period: add `period:` with when the data were collected "
            "or how long children were followed, e.g. `period: 2019` or `period: within two years of return`",
        )
    value, cite = fig.get("value"), fig.get("citation")
    if value and cite is not None and is_range(value):
        cited = works(u.source for u in cite.cites)
        if len(cited) > 1:
            c.problems.error(
                path,
                *fig["_pos_value"],
                (
                    f"figure value '{value}' is a range cited to {len(cited)} works ({', '.join(cited)}): give each study "
                    "its own figure; if one source only reports the other's range, cite it as "
                    f'"[@{cited[0]}; cited in @{cited[1]}, sec. …]"'
                ),
            )


def wording(text: Text, figures: list[dict], files: Files, glossary) -> list[tuple[int, int, str]]:
    """(line, col, message) for each likely drift between a text and the figures it cites."""
    return list(_wording(text, figures, files, glossary))


def _wording(text: Text, figures: list[dict], files: Files, glossary):
    for sentence in sentences(text, files, glossary):
        cites = [u.source for u in text.draft.cites if u.source in sentence.source] or [
            u.source for u in text.draft.cites
        ]
        cited = {(k, loc) for cite in cites for k, loc, _ in items(cite)}
        matched = [
            f for f in figures if cited & {(k, loc) for u in f["citation"].cites for k, loc, _ in items(u.source)}
        ]
        shown = " ".join(f"{f['value']} {f['measure'].source} {f.get('population', '')}" for f in matched)
        sentence_cites = [u.source for u in text.draft.cites if u.source in sentence.source]
        here = _position(files, text, sentence)
        if is_range(sentence.plain) and len(works(sentence_cites)) > 1:
            found = RANGE.search(sentence.plain) or _BETWEEN.search(sentence.plain)
            span = found.group(0) if found else sentence.plain
            at = files.find(text.path, sentence.line, span, here) or (sentence.line, sentence.col)
            yield (
                *at,
                f"the range '{span}' is cited to {len(works(sentence_cites))} works "
                f"({', '.join(works(sentence_cites))}): if it joins figures from different studies, "
                "give each study its own number, " + _HOW,
            )
        if text.kind == "compare":
            continue
        for m in _CERTAIN.finditer(sentence.plain):
            word = m.group(1)
            if text.kind == "measure" and not word.lower().startswith(("the ", "followed by")):
                continue  # in a measure, only a ranking: "of all places" is not a claim
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", shown, re.I):
                continue
            at = files.find(text.path, sentence.line, word, here, re.I) or (sentence.line, sentence.col)
            hedge = _HEDGE.search(" ".join(f["measure"].source for f in matched))
            if hedge:
                why = f"is more certain than the figure it cites, which is hedged ('{hedge.group(1)}'): {_figures(matched)}"
            elif matched:
                why = f"is not said by the figure it cites (same citation and locator): {_figures(matched)}"
            elif text.kind == "measure":
                why = "ranks or compares: the figure's own source must say so"
            else:
                why = (
                    "claims certainty, a ranking or a cause, and no figure on this page with the same citation says it"
                )
            yield (*at, f"'{word}' in this {text.label} {why}; check the source says it, restore its wording, " + _HOW)
        said = amounts(sentence.plain)
        hedged = [
            f
            for f in matched
            if (_HEDGE.search(f["measure"].source) or _HEDGE.search(f["value"]))
            and any(abs(a - b) <= 2 for a in amounts(f["value"]) for b in said)
        ]
        if hedged and not _HEDGE.search(sentence.plain):
            yield (
                sentence.line,
                sentence.col,
                f"this {text.label} states as fact what the figure it cites hedges: "
                f"{_figures(hedged)}; keep the hedge, " + _HOW,
            )


def _position(files: Files, text: Text, sentence) -> int:
    return files.offset(text.path, sentence.line) + sentence.col - 1


def _figures(figures: list[dict]) -> str:
    return "; ".join(quote(f"{f['value']} {f['measure'].source}", 60) for f in figures[:2]) + (
        "; …" if len(figures) > 2 else ""
    )
