"""No traceback, ever: hostile or odd input ends as `path:line:col: message` and exit 1,
a fault outside the content as one line and exit 3, an interrupt as one line and 130."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import build
from generator.cli import main
from generator.resolve import build_model

ROOT = Path(__file__).resolve().parent.parent
PROBLEM = re.compile(r"^[^:\s]+:\d+:\d+: ")


def run_check(project: Path, capsys, *extra: str) -> tuple[int, list[str]]:
    """Exit code and every line printed; each problem must be one located line."""
    code = main(["check", "--config", str(project / "site_config.yml"), "-q", *extra])
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert "Traceback" not in err
    assert all(PROBLEM.match(line) or re.match(r"^\d+ error\(s\), \d+ warning\(s\)$", line) for line in lines), lines
    return code, [line for line in lines if PROBLEM.match(line)]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def bib_lines(project: Path) -> int:
    return len((project / "references.bib").read_text().split("\n"))


# -- dates and YAML ------------------------------------------------------------------


def test_impossible_date_in_front_matter(project, capsys):
    route = project / "content/routes/adoption.md"
    edit(route, "reviewed: 2026-01-01", "reviewed: 2026-02-30")
    line = route.read_text().split("\n").index("reviewed: 2026-02-30") + 1
    code, problems = run_check(project, capsys)
    assert code == 1
    assert problems == [
        f"content/routes/adoption.md:{line}:11: impossible date '2026-02-30' (day is out of range for month): "
        "give a real date as YYYY-MM-DD"
    ]


def test_impossible_date_in_config(project, capsys):
    edit(project / "site_config.yml", "edition: 2026-01-01", "edition: 2026-13-01")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert len(problems) == 1 and problems[0].startswith("site_config.yml:9:10: impossible date '2026-13-01'"), problems


@pytest.mark.parametrize("nesting", ["[" * 5000 + "]" * 5000, "{a: " * 5000 + "}" * 5000, "[" * 200_000])
def test_deep_nesting_is_refused_at_its_line(project, capsys, nesting):
    (project / "content/glossary.yml").write_text("terms:\n  - id: x\n    term: " + nesting + "\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(p.startswith("content/glossary.yml:3:") and "nested more than 64 deep" in p for p in problems), problems


def test_alias_expansion_is_capped(project, capsys):
    """A 63 KB route whose key messages repeat one long string through aliases (it took 5.7 GB to build)."""
    route = project / "content/routes/adoption.md"
    long = "Adoption lasts. " * 3700  # about 60 KB
    aliases = "\n".join(["  - *long"] * 200)
    edit(route, "key_messages:\n", f"key_messages:\n  - &long {long}\n{aliases}\n")
    assert 60_000 < route.stat().st_size < 70_000
    code, problems = run_check(project, capsys)
    assert code == 1
    assert len(problems) == 1, problems
    assert re.match(
        r"content/routes/adoption\.md:\d+:5: aliases expand this file past 2,000,000 characters", problems[0]
    )


def test_recursive_alias_is_refused(project, capsys):
    (project / "content/glossary.yml").write_text("terms: &a\n  - *a\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert problems[0].startswith("content/glossary.yml:2:5: alias *a refers to no finished anchor"), problems


def test_oversized_file_is_refused(project, capsys):
    append(project / "content/routes/adoption.md", "\nMore text. " * 100_000)
    code, problems = run_check(project, capsys)
    assert code == 1
    assert len(problems) == 1, problems
    assert re.fullmatch(
        r"content/routes/adoption\.md:1:1: the file is 1,\d{3},\d{3} bytes, over the limit of 1,000,000: "
        r"split it into smaller files",
        problems[0],
    )


def test_bom_and_crlf_are_accepted_everywhere(project, capsys):
    before = build_model(project)[0]
    for path in project.rglob("*"):
        if path.is_file():
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    code, problems = run_check(project, capsys)
    assert (code, problems) == (0, [])
    assert build_model(project)[0] == before


# -- missing and unreadable files -------------------------------------------------------


def test_missing_config_is_one_error(project, capsys):
    (project / "site_config.yml").unlink()
    assert run_check(project, capsys) == (
        1,
        ["site_config.yml:1:1: site configuration not found: create site_config.yml (see docs/content-format.md)"],
    )


def test_unreadable_config_does_not_cascade(project, capsys):
    (project / "site_config.yml").write_text("title: [unclosed\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert [p for p in problems if not p.startswith("site_config.yml:")] == [], problems


def test_missing_bibliography_is_one_error(project, capsys):
    (project / "references.bib").unlink()
    assert run_check(project, capsys) == (
        1,
        ["references.bib:1:1: bibliography not found: create references.bib (BibTeX)"],
    )


def test_non_utf8_bibliography_is_reported_at_the_bad_byte(project, capsys):
    bib = project / "references.bib"
    n = bib_lines(project)
    bib.write_bytes(bib.read_bytes() + b"@book{latin1,\n  title = {Caf\xe9},\n  year = {2000}\n}\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    errors = [p for p in problems if "warning:" not in p]
    assert errors == [
        f"references.bib:{n + 1}:15: not UTF-8 text (byte 0xe9: invalid continuation byte); save the file as UTF-8"
    ]


def test_unknown_language_is_refused_by_check(project, capsys):
    for tag, message in [
        ("xx-NOPE", "is not a language and region tag"),
        ("xx", "is not a known language tag"),
        ("am", "has no translation of the website's theme"),
    ]:
        edit(project / "site_config.yml", "language: en-GB", f"language: {tag}")
        code, problems = run_check(project, capsys)
        assert code == 1
        assert len(problems) == 1 and problems[0].startswith(f"site_config.yml:7:11: language '{tag}' {message}"), (
            problems
        )
        edit(project / "site_config.yml", f"language: {tag}", "language: en-GB")


# -- BibTeX as BibTeX and biber read it ---------------------------------------------------


def test_commentary_and_commented_are_entry_types(project, capsys):
    """Real biblatex-jura2 / jurabib / biblatex-sbl types: they crashed the resolver even when not cited."""
    n = bib_lines(project)
    append(
        project / "references.bib",
        "@commentary{maunz,\n  title = {Grundgesetz},\n  year = {2019}\n}\n"
        "@COMMENTED{dahood,\n  title = {Psalms},\n  year = {1965}\n}\n"
        "@comment{this is a comment, not an entry}\n",
    )
    code, problems = run_check(project, capsys)
    assert code == 0
    assert problems == [
        f"references.bib:{n}:1: warning: reference 'maunz' is never cited: cite it or remove it",
        f"references.bib:{n + 4}:1: warning: reference 'dahood' is never cited: cite it or remove it",
    ]


def test_percent_comments_are_skipped(project, capsys):
    """As biber and pandoc read them: a commented-out entry is not an entry, a `%` inside a value is text."""
    append(
        project / "references.bib",
        "%@book{selwyn2014beyond, title = {Commented out}}\n"
        "@book{pct, % the key\n  title = {50% of {all}}, % trailing\n  % year = {1999},\n"
        "  year = {2000}\n}\n",
    )
    code, problems = run_check(project, capsys)
    assert code == 0
    assert len(problems) == 1 and "reference 'pct' is never cited" in problems[0], problems


def test_repeated_field_warns_and_keeps_the_first(project, capsys):
    n = bib_lines(project)
    append(
        project / "references.bib",
        "@book{twice,\n  title = {The First},\n  year = {2000},\n  title = {The Second}\n}\n",
    )
    edit(project / "content/routes/return-home.md", "Written agreements.", "Written agreements [@twice].")
    code, problems = run_check(project, capsys)
    assert code == 0
    assert problems == [
        f"references.bib:{n + 3}:1: warning: field 'title' of 'twice' is given twice (first on line {n + 1}): "
        "the first value is used; delete one"
    ]
    reference = build_model(project)[0].get("reference", "twice")
    assert "The first" in reference.text and "second" not in reference.text.lower()
    assert reference.title == "The First"


def test_undefined_string_macro_warns(project, capsys):
    n = bib_lines(project)
    append(
        project / "references.bib",
        "@string{dfe = {Department for Education}}\n"
        "@book{macro,\n  title = {T},\n  year = {2000},\n"
        "  publisher = dfe # { and } # NoSuchPress\n}\n",
    )
    code, problems = run_check(project, capsys)
    assert any(
        p
        == f"references.bib:{n + 4}:1: warning: 'publisher' of 'macro' uses the undefined @string macro 'NoSuchPress': "
        "define it with @string{NoSuchPress = {...}}, or write the text in braces"
        for p in problems
    ), problems
    assert code == 0


def test_latex_left_in_a_formatted_reference_warns(project, capsys):
    n = bib_lines(project)
    append(
        project / "references.bib",
        "@thesis{tex,\n  title = {T},\n  type = {Suppl\\'ement},\n  institution = {U},\n  year = {2000}\n}\n",
    )
    edit(project / "content/routes/return-home.md", "Written agreements.", "Written agreements [@tex].")
    code, problems = run_check(project, capsys)
    assert problems == [
        f"references.bib:{n}:1: warning: the formatted reference 'tex' still shows the TeX command '\\'': "
        "write the character itself (é, not \\'e; μ, not $\\mu$) or drop the command"
    ]
    assert run_check(project, capsys, "--strict")[0] == 1


def test_pandoc_bibtex_error_is_at_its_line(project, capsys):
    n = bib_lines(project)
    append(project / "references.bib", "@article{bad, title = {A}, year = 2000 # }\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert (
        f"references.bib:{n}:42: pandoc cannot read this BibTeX: unexpected '}}'; check its braces, commas and quotes"
        in problems
    )


def test_malformed_csl_is_blamed_on_the_style(project, capsys):
    head = '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">\n'
    edit(project / "site_config.yml", "csl: harvard-cite-them-right", "csl: bad.csl")
    (project / "bad.csl").write_text(
        head + '<info><title>Bad</title></info>\n<citation><layout><text variable="title"/>'
        '</layout></citation>\n<bibliography><layout><text varble="title"/></layout>'
        "</bibliography>\n</style>\n"
    )
    code, problems = run_check(project, capsys)
    assert code == 1
    assert problems == [
        "bad.csl:1:1: the CSL style is not valid: text element lacks needed attribute; "
        "fix the .csl file or use a style name"
    ]
    (project / "bad.csl").write_text(head + "<info><title>Bad</title></info>\n<citation><layout></layout>\n</style>\n")
    code, problems = run_check(project, capsys)
    assert code == 1 and len(problems) == 1 and problems[0].startswith("bad.csl:5:3: 'bad.csl' is not well-formed XML")
    (project / "bad.csl").write_bytes(b"\xff\xfe<style/>")
    code, problems = run_check(project, capsys)
    assert code == 1 and len(problems) == 1 and problems[0].startswith("bad.csl:1:"), problems
    (project / "bad.csl").write_text('<style xmlns="http://purl.org/net/xbiblio/csl"><info/></style>')
    code, problems = run_check(project, capsys)
    assert code == 1 and problems[0].startswith("site_config.yml:8:6: 'bad.csl' is not a CSL style"), problems


# -- citations in Markdown ------------------------------------------------------------------


def test_unclosed_and_empty_citations_are_refused(project, capsys):
    edit(
        project / "content/routes/return-home.md",
        "Written agreements.",
        "Written agreements [@farmer2014reunification, p. 3 help. Empty [@] too; [@farmer2014reunification; x] is odd; "
        "\\[@farmer2014reunification] is a literal bracket.",
    )
    code, problems = run_check(project, capsys)
    assert code == 1
    line, text = next(
        (i, t)
        for i, t in enumerate((project / "content/routes/return-home.md").read_text().split("\n"), 1)
        if "Empty [@]" in t
    )
    cols = [text.index(s) + 1 for s in ("[@farmer2014reunification, p. 3", "[@]", "[@farmer2014reunification; x]")]
    assert [p.split(": ", 1)[0] for p in problems] == [f"content/routes/return-home.md:{line}:{col}" for col in cols], (
        problems
    )
    assert "citation '[@farmer2014reunification, p. 3 help. Em' is not closed: add ']'" in problems[0]
    assert "empty citation '[@]'" in problems[1]
    assert "'[@farmer2014reunification; x]' is not a citation" in problems[2]


# -- faults outside the content, interrupts, leftovers ----------------------------------------


def test_fault_outside_the_content_is_one_line_and_exit_3(project, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device\nsecond line")

    monkeypatch.setattr(build, "write_outputs", broken)
    assert main(["build", "--config", str(project / "site_config.yml"), "-q"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    monkeypatch.setattr("generator.cli.cmd_check", broken)
    assert main(["check", "--config", str(project / "site_config.yml"), "-q"]) == 3
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "briefings check failed: OSError: [Errno 28] No space left on device second line "
        "(a fault outside the content; run with -v for details)"
    ]
    with pytest.raises(OSError):
        main(["check", "--config", str(project / "site_config.yml"), "-v"])


def _build_and_signal(project: Path, sig: int) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Start a build, wait until it is writing its staging folder, then send `sig`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "-q"], cwd=project, env=env, stderr=subprocess.PIPE, text=True
    )
    staging = project / f"site.tmp-{proc.pid}"
    deadline = time.monotonic() + 60
    while not staging.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    time.sleep(0.3)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    return proc, err.strip().splitlines()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("sig, code, word", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_interrupted_build_exits_cleanly(project, sig, code, word):
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("the last good output")
    before = snapshot(project / "site")
    proc, err = _build_and_signal(project, sig)
    assert proc.returncode == code
    assert err == [f"briefings build: {word}; the last good output is unchanged"]
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site.")) == []
    assert snapshot(project / "site") == before


def test_next_build_removes_folders_left_by_a_killed_build(project, tmp_path):
    proc, _ = _build_and_signal(project, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    left = project / f"site.tmp-{proc.pid}"
    assert left.is_dir()  # nothing can clean up after SIGKILL ...
    live = project / f"site.tmp-{os.getpid()}"  # ... and a running build's folder must stay
    live.mkdir()
    build.remove_stale(project / "site")  # what the next build does first
    assert not left.exists() and live.is_dir()
