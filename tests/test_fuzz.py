"""Property-based fuzzing: the real default content, mutated, never makes `check` crash.

Each example copies the repository's content, applies one to three mutations
(inserted fragments that mean something to YAML, Markdown, BibTeX or pandoc, random
text, deleted or repeated spans, stray bytes, truncation) to its front matter,
Markdown, BibTeX or configuration, and runs `check`. It must exit 0 or 1, print no
traceback, and put every problem on one line starting `path:line:col:` with a path
relative to the project. A failed `build` must leave the last good `site/` as it was.
Derandomized: every run tries the same examples, so a failure reproduces.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"
TARGETS = (
    "site_config.yml",
    "references.bib",
    "content/routes/adoption.md",
    "content/routes/kinship-care.md",
    "content/topics/care-population.md",
    "content/recommendations/thoburn-2021.yml",
    "content/glossary.yml",
    "content/voices.yml",
    "content/sources/thoburn-2021.md",
    "content/briefings/handout-adoption.yml",
    "content/pages/about.md",
)
FRAGMENTS = (
    "[@",
    "[@]",
    "[-@",
    "@",
    "]",
    "[",
    "{",
    "}",
    "---\n",
    "...\n",
    "\n---\n",
    ": ",
    "- ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\ufeff",
    "&a ",
    "*a",
    "&a [x]\n",
    "<<: *a\n",
    "!!python/object/apply:os.system ['true']",
    "!!binary x",
    "? ",
    "|\n",
    ">-\n",
    "2026-02-30",
    "2026-13-01",
    "1e400",
    "0x",
    "~",
    "null",
    "[[[[[[[[[[[[[[[[[[[[",
    "{{{{{{{{{{",
    "@book{",
    "@string{x = ",
    "@commentary{k,\n",
    "@comment{",
    "%",
    "#",
    '"',
    "\\",
    "\\'e",
    "$\\mu$",
    "title = {",
    "<script>alert(1)</script>",
    '<a href="&#106;avascript:x">',
    "[x](route:nowhere)",
    "](",
    "<!--",
    "`",
    "```\n",
    "| a | b |\n|---|---|\n",
    "\x00",
    "\u202e",
    "é",
    "\U0001f600",
)


@dataclass(frozen=True)
class Mutation:
    target: str
    kind: str
    where: float
    text: str
    length: int
    raw: bytes

    def apply(self, data: bytes) -> bytes:
        at = int(self.where * len(data))
        if self.kind == "insert":
            return data[:at] + self.text.encode("utf-8") + data[at:]
        if self.kind == "delete":
            return data[:at] + data[at + self.length :]
        if self.kind == "repeat":
            return data[:at] + data[at : at + self.length] * 3 + data[at:]
        if self.kind == "bytes":
            return data[:at] + self.raw + data[at:]
        return data[:at]  # truncate


mutations = st.builds(
    Mutation,
    st.sampled_from(TARGETS),
    st.sampled_from(("insert", "insert", "delete", "repeat", "bytes", "truncate")),
    st.floats(0, 1),
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)),
    st.integers(1, 400),
    st.binary(min_size=1, max_size=3),
)
LOCATED = re.compile(r"^(?P<path>[^/\s:][^:]*):\d+:\d+: \S")
COUNT = re.compile(r"^\d+ error\(s\), \d+ warning\(s\)$")
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: it can take minutes; the example is printed
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def mutate(project: Path, changes: list[Mutation]) -> None:
    for change in changes:
        path = project / change.target
        if path.is_file():
            path.write_bytes(change.apply(path.read_bytes()))


def run(project: Path, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main([*args, "--config", str(project / "site_config.yml"), "-q"])
    return code, err.getvalue()


def assert_located(project: Path, err: str) -> None:
    assert "Traceback" not in err, err
    for line in err.splitlines():
        m = LOCATED.match(line)
        assert m or COUNT.match(line), f"not a located one-line problem: {line!r}"
        if m:
            assert (project / m.group("path")).is_file(), f"{m.group('path')} is not a file of the project"


@pytest.fixture(scope="module")
def checked_cache(tmp_path_factory) -> Path:
    """The .cache/ of a checked copy of the default content, as in a contributor's checkout: a mutated
    project lays out again only the briefings its change touches."""
    project = tmp_path_factory.mktemp("fuzz-cache")
    copy_default(project)
    assert run(project, "check")[0] == 0
    return project / ".cache"


def copy_default(project: Path) -> None:
    for name in ("site_config.yml", "references.bib", "content"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, project / name)


@FUZZ
@given(st.lists(mutations, min_size=1, max_size=3))
def test_check_never_crashes_on_mutated_content(tmp_path_factory, checked_cache, changes):
    project = tmp_path_factory.mktemp("fuzz")
    copy_default(project)
    shutil.copytree(checked_cache, project / ".cache")
    mutate(project, changes)
    code, err = run(project, "check")
    assert code in (0, 1), err
    assert_located(project, err)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@settings(FUZZ, max_examples=8)
@given(
    st.lists(
        mutations.filter(lambda m: m.target in ("site_config.yml", "references.bib") or (FIXTURE / m.target).is_file()),
        min_size=1,
        max_size=3,
    )
)
def test_failed_build_leaves_site_unchanged(tmp_path_factory, changes):
    project = tmp_path_factory.mktemp("fuzz-build")
    shutil.copytree(FIXTURE, project, dirs_exist_ok=True)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>the last good output</p>")
    before = snapshot(site)
    mutate(project, changes)
    code, err = run(project, "build")
    assert code in (0, 1), err
    assert "Traceback" not in err
    if code != 0:
        assert snapshot(site) == before
        assert sorted(p.name for p in project.iterdir() if p.name.startswith("site.")) == []
