"""`briefings diff <git-ref>`: what a change does to the evidence base, for reviewers.

Both sides are built into models (the older one from `git archive` into a
temporary folder) and compared item by item: routes, figures, recommendations
and references in detail, other content briefly; every reworded sentence of a
summary, key message or figure is shown with the source it cites. The result is
Markdown, fit for a pull-request comment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.model import Figure, Model, RichText, Route, Topic
from generator.problems import ContentError, Problems
from generator.prose import plain, split

NO_CHANGES = "No changes to the evidence base."
_SKIP = {
    "origin",
    "max_pages_at",
    "figures",
    "sections",
    "recommendations",
    "main_recommendations",
    "handouts",
    "voices",
    "topics",
    "references",
    "cited_by",
}  # back-links, and parts compared on their own
_MAX_PROBLEMS = 20


class GitError(Exception):
    """git could not give the requested version; the message says why."""


@dataclass
class Side:
    """One version of the content: its label and model, or the problems that stopped it building."""

    label: str
    model: Model | None = None
    problems: Problems | None = None


def compare(root: Path, config: Path, ref: str, to: str | None = None) -> tuple[str, bool]:
    """Markdown describing the change from `ref` to `to` (default: the working tree), and whether both sides built."""
    old = side_at(root, config, ref)
    new = side_at(root, config, to) if to else load_side(root, config, "the working tree")
    return render(old, new), old.model is not None and new.model is not None


def side_at(root: Path, config: Path, ref: str) -> Side:
    """The content as committed at `ref`, built in a temporary folder."""
    top, prefix = _git(
        root, "rev-parse", "--show-toplevel", "--show-prefix", what=f"{root} is not inside a git repository"
    ).split("\n")[:2]
    sha = commit(root, ref)
    data = _git(
        Path(top),
        "archive",
        "--format=tar",
        f"{sha}:{prefix}" if prefix else sha,
        what=f"cannot read the project folder at {ref}",
        binary=True,
    )
    label = f"`{ref}` ({sha[:7]})"
    with tempfile.TemporaryDirectory(prefix="briefings-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tmp, filter="data")
            else:  # Python without extraction filters; git archive writes no links outside the tree
                tar.extractall(tmp)
        return load_side(Path(tmp), Path(tmp) / config.relative_to(root), label)


def ref_problem(root: Path, ref: str) -> str | None:
    """Why `ref` does not name a commit of the repository holding `root`, or None if it does or
    if `root` is in no repository (an earlier edition unpacked to be compared, or a download)."""
    try:
        _git(root, "rev-parse", "--is-inside-work-tree", what="not in a git repository")
    except GitError:
        return None
    try:
        commit(root, ref)
    except GitError as exc:
        return str(exc)
    return None


def commit(root: Path, ref: str) -> str:
    """The commit `ref` names; `GitError` says why there is none."""
    return _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=f"'{ref}' is not a commit").strip()


def load_side(root: Path, config: Path, label: str) -> Side:
    from generator.resolve import build_model

    try:
        model, _ = build_model(root, config)
    except ContentError as exc:
        return Side(label, problems=exc.problems)
    return Side(label, model)


def _git(root: Path, *args: str, what: str, binary: bool = False):
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=not binary)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if result.returncode != 0:
        err = result.stderr if not binary else result.stderr.decode("utf-8", "replace")
        raise GitError(f"{what}: {err.strip()}" if err.strip() else what)
    return result.stdout


# -- rendering -----------------------------------------------------------------------


def render(old: Side, new: Side) -> str:
    lines = ["## Changes to the evidence base", "", f"From {old.label} to {new.label}.", ""]
    broken = [s for s in (old, new) if s.model is None]
    if broken:
        for side in broken:
            lines += _problems(side)
        return "\n".join(lines)
    body = changes(old, new)
    return "\n".join(lines + (body or [NO_CHANGES, ""]))


def _problems(side: Side) -> list[str]:
    problems = side.problems.sorted() if side.problems else []
    errors = [p for p in problems if not p.warning]
    out = [f"**{side.label} cannot be built**, so it cannot be compared. `briefings check` reports:", ""]
    out += [f"- `{p}`" for p in errors[:_MAX_PROBLEMS]]
    if len(errors) > _MAX_PROBLEMS:
        out.append(f"- … and {len(errors) - _MAX_PROBLEMS} more")
    return out + [""]


def changes(old: Side, new: Side) -> list[str]:
    """The Markdown sections for everything that differs (empty if nothing does)."""
    a, b = old.model, new.model
    assert a is not None and b is not None, "both sides build"
    out: list[str] = []
    out += _section("Routes", _items(a.routes, b.routes, lambda r: f"{r.title} (`{r.id}`)", _with_sections))
    out += _section("Figures", _figures(a, b))
    out += _section("Changed sentences", _sentences(a, b))
    every = (tuple(r.id for r in a.routes), tuple(r.id for r in b.routes))

    def rec_fields(x, y) -> list[str]:  # `routes: [all]` stays "all" when routes are added
        return [f for f in _fields(x, y) if f != "routes" or (x.routes, y.routes) != every]

    out += _section(
        "Recommendations",
        _items(
            a.recommendations,
            b.recommendations,
            lambda r: f"`{r.id}`",
            rec_fields,
            detail=lambda r: _short(r.text.source),
        ),
    )
    out += _section("References", _references(old, new))
    other = []
    for name, x, y, label, fields in (
        ("Topics", a.topics, b.topics, lambda t: f"{t.title} (`{t.id}`)", _with_sections),
        ("Sources", a.sources, b.sources, lambda s: f"{s.short_title} (`{s.id}`)", _with_sections),
        ("Voices", a.voices, b.voices, lambda v: f"`{v.id}` ({v.who})", _fields),
        ("Glossary", a.terms, b.terms, lambda t: f"{t.term} (`{t.id}`)", _fields),
        ("Pages", a.pages, b.pages, lambda p: f"{p.title} (`{p.id}`)", _fields),
        ("Print briefings", a.briefings, b.briefings, lambda p: f"{p.title} (`{p.id}`)", _fields),
    ):
        items = _items(x, y, label, fields)
        other += [f"- **{name}**: " + "; ".join(i.removeprefix("- ") for i in items)] if items else []
    settings = _changed_fields(a.config, b.config, skip=_SKIP)
    other += [f"- **Site settings** (`site_config.yml`): changed {', '.join(settings)}"] if settings else []
    return out + _section("Other content", other)


def _section(title: str, items: list[str]) -> list[str]:
    return [f"### {title}", "", *items, ""] if items else []


def _items(old, new, label, fields, detail=None) -> list[str]:
    """Added, changed (with the fields that changed) and removed items, matched by id."""
    a = {x.id: x for x in old}
    b = {x.id: x for x in new}

    def described(x) -> str:
        return label(x) + (f": {detail(x)}" if detail else "")

    out = [f"- Added {described(b[i])}" for i in b if i not in a]
    for i in b:
        if i in a:
            changed = fields(a[i], b[i])
            if changed:
                out.append(f"- Changed {label(b[i])}: {', '.join(changed)}")
    out += [f"- Removed {described(a[i])}" for i in a if i not in b]
    return out


def _with_sections(a, b) -> list[str]:
    changed = _fields(a, b)
    sa = {s.title: s.body.source for s in a.sections}
    sb = {s.title: s.body.source for s in b.sections}
    changed += [f"section “{t}” added" for t in sb if t not in sa]
    changed += [f"section “{t}”" for t in sb if t in sa and sa[t] != sb[t]]
    changed += [f"section “{t}” removed" for t in sa if t not in sb]
    if [s.title for s in a.sections if s.title in sb] != [s.title for s in b.sections if s.title in sa]:
        changed.append("order of sections")
    return changed


def _fields(a, b) -> list[str]:
    return _changed_fields(a, b, skip=_SKIP)


def _changed_fields(a, b, skip=frozenset()) -> list[str]:
    """Names (with spaces) of the dataclass fields whose values differ."""
    return [
        f.name.replace("_", " ")
        for f in dataclasses.fields(a)
        if f.name not in skip and _plain(getattr(a, f.name)) != _plain(getattr(b, f.name))
    ]


def _plain(value):
    """A value reduced to what an author wrote: Markdown source for text, tuples for lists."""
    if isinstance(value, RichText):
        return value.source.strip()
    if dataclasses.is_dataclass(value):
        return tuple((f.name, _plain(getattr(value, f.name))) for f in dataclasses.fields(value) if f.name not in _SKIP)
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _plain(v)) for k, v in value.items()))
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _owners(model: Model) -> tuple[Route | Topic, ...]:
    """The pages that hold figures, summaries and key messages."""
    return (*model.routes, *model.topics)


def _figures(a: Model, b: Model) -> list[str]:
    """Figures paired within each route or topic: same value and measure, then same measure, then same value."""
    owners = {o.id: o for o in _owners(a)} | {o.id: o for o in _owners(b)}
    old = {o.id: list(o.figures) for o in _owners(a)}
    new = {o.id: list(o.figures) for o in _owners(b)}
    out = []
    for owner_id, owner in owners.items():
        xs, ys = old.get(owner_id, []), new.get(owner_id, [])
        pairs = []
        for key in (lambda f: (f.value, f.measure.source), lambda f: f.measure.source, lambda f: f.value):
            for y in list(ys):
                x = next((x for x in xs if key(x) == key(y)), None)
                if x is not None:
                    pairs.append((x, y))
                    xs.remove(x)
                    ys.remove(y)
        where = owner.title
        out += [f"- Added on {where}: {_figure(y)}" for y in ys]
        for x, y in sorted(pairs, key=lambda p: p[1].number):
            changed = [
                f
                for f in ("value", "measure", "population", "period", "citation", "headline")
                if _plain(getattr(x, f)) != _plain(getattr(y, f))
            ]
            if changed:
                was = f"was {x.value}; " if "value" in changed else ""
                out.append(f"- Changed on {where}: {_figure(y)} ({was}changed {', '.join(changed)})")
        out += [f"- Removed from {where}: {_figure(x)}" for x in xs]
    return out


_SENTENCES_NOTE = (
    "Every sentence of a summary, key message or figure whose wording changed, with the source it "
    "cites: check each against its source at the locator."
)


def _sentences(a: Model, b: Model) -> list[str]:
    """Sentences of summaries, key messages and figures that were reworded, added or removed, beside their sources."""
    old = {o.id: o for o in _owners(a)}
    out = []
    for owner in _owners(b):
        was = old.get(owner.id)
        if was is None:
            continue  # a new page: listed under Routes or Topics
        for _part, x, y in (
            ("summary", _statements(was.summary), _statements(owner.summary)),
            ("key messages", _messages(was), _messages(owner)),
            ("figures", _figure_statements(was), _figure_statements(owner)),
        ):
            for old_s, new_s in _changed(x, y):
                shown = new_s or old_s
                lines = [f"- **{owner.title}, {shown[0]}**"]
                lines += [f"  - Was: {old_s[1]}"] if old_s else []
                lines += [f"  - Now: {new_s[1]}"] if new_s else ["  - Now: removed"]
                lines.append(f"  - Source: {shown[2] or 'no citation'}")
                out += lines
    return ([_SENTENCES_NOTE, ""] + out) if out else []


Statement = tuple[str, str, str]  # (where: "key message 2", the sentence as written, its formatted citations)


def _statements(text: RichText, where: str = "summary") -> list[Statement]:
    every = [c.source for c in text.citations]
    out = []
    for sentence in split(text.source, every):
        own = [c for c in text.citations if c.source in sentence] or list(text.citations)
        out.append((where, " ".join(sentence.split()), "; ".join(c.text for c in own)))
    return out


def _messages(owner) -> list[Statement]:
    return [s for n, m in enumerate(owner.key_messages, 1) for s in _statements(m, f"key message {n}")]


def _figure_statements(owner) -> list[Statement]:
    return [
        (
            f"figure {f.number}",
            f"{f.value} {' '.join(f.measure.source.split())} ({f.context})",
            "; ".join(c.text for c in f.citation.citations),
        )
        for f in owner.figures
    ]


def _changed(old: list[Statement], new: list[Statement]):
    """(old, new) pairs of statements that differ: (x, None) removed, (None, y) added."""

    def words(s: Statement) -> str:
        return plain(s[1], []).casefold() + "|" + s[2]

    def alike(x: Statement, y: Statement) -> float:
        return difflib.SequenceMatcher(a=words(x).split(), b=words(y).split(), autojunk=False).ratio()

    matcher = difflib.SequenceMatcher(a=[words(s) for s in old], b=[words(s) for s in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        xs, ys = old[i1:i2], new[j1:j2]
        pairs: list[tuple[Statement | None, Statement | None]] = []
        for x in xs:  # a reworded sentence is paired with the most alike new one
            y = max((y for y in ys if y not in [p[1] for p in pairs]), key=lambda y: alike(x, y), default=None)
            pairs.append((x, y if y is not None and alike(x, y) >= 0.5 else None))
        pairs += [(None, y) for y in ys if y not in [p[1] for p in pairs]]

        def place(pair: tuple[Statement | None, Statement | None], xs: list = xs, ys: list = ys) -> float:
            x, y = pair  # new sentences in their order; a removed one just before where it stood
            return ys.index(y) if y else xs.index(x) - 0.5 if x else 0

        yield from sorted(pairs, key=place)


def _figure(f: Figure) -> str:
    return f"**{f.value}** {_short(f.measure.source)} {f.citation.source}"


def _references(old: Side, new: Side) -> list[str]:
    assert old.model is not None and new.model is not None
    a = {r.key: r for r in old.model.references}
    b = {r.key: r for r in new.model.references}
    out = [f"- Added `{k}`: {b[k].text}" for k in b if k not in a]
    for k in b:
        if k in a:
            x, y = dict(a[k].fields), dict(b[k].fields)
            changed = (["entry type"] if a[k].type != b[k].type else []) + sorted(
                f for f in set(x) | set(y) if x.get(f) != y.get(f)
            )
            if changed:
                out.append(f"- Changed `{k}`: {', '.join(changed)}")
    out += [f"- Removed `{k}`: {a[k].text}" for k in a if k not in b]
    return out


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"
