"""`briefings diff`: what a change does to the evidence base, across real commits of a git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.scaffold import new_item

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
EXTRA_REFERENCE = """
@book{wade2011caring,
  author = {Wade, Jim and Biehal, Nina and Farrelly, Nicola and Sinclair, Ian},
  title = {Caring for Abused and Neglected Children},
  publisher = {Jessica Kingsley},
  year = {2011}
}
"""
NEW_RECOMMENDATION = """
  - id: fixture-3
    number: "3"
    theme: support
    routes: [return-home]
    audience: [practitioners]
    text: Plan support for every return home.
    citation: "[@farmer2014reunification, p. 360]"
"""

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the fixture project in a subfolder, with one commit."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root / "evidence", ignore=shutil.ignore_patterns("site"))
    with (root / "evidence/references.bib").open("a", encoding="utf-8") as bib:
        bib.write(EXTRA_REFERENCE)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Evidence base")
    return root


def diff(project: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args, "-q", "--config", str(project / "site_config.yml")])
    out = capsys.readouterr()
    return code, out.out, out.err


def change_everything(project: Path) -> None:
    edit(project / "content/routes/adoption.md", 'value: "3.2%"', 'value: "3.5%"')
    edit(
        project / "content/routes/adoption.md",
        "population: Children adopted from care in England",
        "population: Children adopted from care in England, 2000 to 2011",
    )
    with (project / "content/recommendations/thoburn-2021.yml").open("a", encoding="utf-8") as recs:
        recs.write(NEW_RECOMMENDATION)
    edit(project / "references.bib", EXTRA_REFERENCE, "")
    edit(project / "references.bib", "publisher = {Department for Education}", "publisher = {DfE}")
    edit(
        project / "content/topics/stability.md",
        "summary: Stability is feeling settled.",
        "summary: Stability is feeling settled and belonging.",
    )
    new_item(project, "route", "foster-to-adopt")


def test_diff_between_two_commits(repo, capsys):
    project = repo / "evidence"
    change_everything(project)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Update the evidence")
    first, second = (git(repo, "rev-parse", "--short=7", ref).strip() for ref in ("HEAD~1", "HEAD"))

    code, out, _ = diff(project, capsys, "HEAD~1", "--to", "HEAD")
    assert code == 0
    lines = out.splitlines()
    assert lines[:3] == ["## Changes to the evidence base", "", f"From `HEAD~1` ({first}) to `HEAD` ({second})."]
    assert section(out, "Routes") == ["- Added Foster to adopt (`foster-to-adopt`)"]  # Adoption changed only a figure
    figures = section(out, "Figures")
    assert (
        "- Changed on Adoption: **3.5%** of adoptions broke down within 12 years [@selwyn2014beyond, p. 12] "
        "(was 3.2%; changed value, population)" in figures
    )
    assert (
        "- Added on Foster to adopt: **REPLACE** REPLACE with what the number counts [@thoburn2021routes, sec. REPLACE]"
        in figures
    )
    assert len(figures) == 2
    assert section(out, "Recommendations") == ["- Added `fixture-3`: Plan support for every return home."]
    references = section(out, "References")
    assert references[0] == "- Changed `selwyn2014beyond`: publisher"
    assert (
        references[1]
        == "- Removed `wade2011caring`: Wade, J. et al. (2011) Caring for abused and neglected children. Jessica Kingsley."
    )
    assert len(references) == 2
    assert section(out, "Other content") == ["- **Topics**: Changed Stability (`stability`): summary"]


def test_diff_against_the_working_tree(repo, capsys):
    project = repo / "evidence"
    code, out, _ = diff(project, capsys, "HEAD")
    assert code == 0
    assert out.splitlines()[2].endswith("to the working tree.")
    assert "No changes to the evidence base." in out

    edit(project / "content/routes/return-home.md", "Written agreements.", "Written agreements with parents.")
    edit(
        project / "content/recommendations/thoburn-2021.yml",
        "text: Keep relationships going.",
        "text: Keep relationships.",
    )
    code, out, _ = diff(project, capsys, "main")
    assert code == 0
    assert section(out, "Routes") == ["- Changed Return home (`return-home`): section “What helps”"]
    assert section(out, "Recommendations") == ["- Changed `fixture-2`: text"]


def test_a_side_that_does_not_build_is_reported(repo, capsys):
    project = repo / "evidence"
    edit(
        project / "content/routes/adoption.md",
        "Most adoptions last [@selwyn2014beyond, p. 12].",
        "Most adoptions last [@selwyn2014beyon, p. 12].",
    )
    git(repo, "commit", "-q", "-am", "Typo in a key")
    code, out, _ = diff(project, capsys, "HEAD~1", "--to", "HEAD")
    assert code == 1
    assert "**`HEAD` (" in out and "cannot be built**, so it cannot be compared" in out
    assert any(
        line.startswith("- `content/routes/adoption.md:") and "unknown citation key 'selwyn2014beyon'" in line
        for line in out.splitlines()
    )


def test_a_ref_that_is_not_a_commit_is_a_usage_error(repo, capsys):
    code, out, err = diff(repo / "evidence", capsys, "no-such-branch")
    assert (code, out) == (2, "")
    assert "briefings diff: 'no-such-branch' is not a commit" in err


def test_outside_a_git_repository(project, capsys):
    code, _, err = diff(project, capsys, "HEAD")
    assert code == 2 and "is not inside a git repository" in err


def section(markdown: str, title: str) -> list[str]:
    """The bullet lines under `### title`."""
    lines = markdown.splitlines()
    start = lines.index(f"### {title}") + 2
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("- ")), len(lines))
    return lines[start:end]


def test_diff_shows_each_changed_sentence_beside_its_source(repo, capsys):
    project = repo / "evidence"
    edit(
        project / "content/routes/adoption.md",
        "  - Most adoptions last [@selwyn2014beyond, p. 12].",
        "  - Adoption is for life. All adoptions last [@selwyn2014beyond, p. 12].",
    )
    edit(project / "content/routes/adoption.md", 'value: "3.2%"', 'value: "3.5%"')
    edit(
        project / "content/topics/stability.md",
        "summary: Stability is feeling settled.",
        "summary: Stability is feeling settled.   And belonging.",
    )  # a new sentence; the first one only respaced
    code, out, _ = diff(project, capsys, "HEAD")
    assert code == 0
    lines = out.splitlines()
    start = lines.index("### Changed sentences")
    assert lines[start + 2].startswith("Every sentence of a summary, key message or figure whose wording changed")
    assert (
        lines[start + 4 :]
        == [
            "- **Adoption, key message 1**",
            "  - Now: Adoption is for life.",
            "  - Source: (Selwyn, Wijedasa and Meakings, 2014, p. 12)",
            "- **Adoption, key message 1**",
            "  - Was: Most adoptions last [@selwyn2014beyond, p. 12].",
            "  - Now: All adoptions last [@selwyn2014beyond, p. 12].",
            "  - Source: (Selwyn, Wijedasa and Meakings, 2014, p. 12)",
            "- **Adoption, figure 1**",
            "  - Was: 3.2% of adoptions broke down within 12 years (Children adopted from care in England, adopted 2000 to 2011)",
            "  - Now: 3.5% of adoptions broke down within 12 years (Children adopted from care in England, adopted 2000 to 2011)",
            "  - Source: (Selwyn, Wijedasa and Meakings, 2014, p. 12)",
            "- **Stability, summary**",
            "  - Now: And belonging.",
            "  - Source: no citation",
            "",
            "### Other content",
            "",
            "- **Topics**: Changed Stability (`stability`): summary",
            "",
        ][: len(lines) - start - 4]
    )
