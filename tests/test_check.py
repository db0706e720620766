"""`briefings check`: every kind of broken input is reported at its file, line and column."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.resolve import build_model

FIXTURES = Path(__file__).parent / "fixtures"


def run_check(project: Path, capsys, *extra: str) -> tuple[int, list[str]]:
    code = main(["check", "--config", str(project / "site_config.yml"), "-q", *extra])
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if re.match(r"^[^:]+:\d+:\d+: ", line)]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_passes(project, capsys):
    code, problems = run_check(project, capsys)
    assert code == 0
    assert problems == []


def test_default_content_passes_strict(capsys):
    root = Path(__file__).parent.parent
    code, problems = run_check(root, capsys, "--strict")
    assert problems == []
    assert code == 0


def test_malformed_front_matter_yaml(project, capsys):
    edit(project / "content/routes/adoption.md", "order: 2\n", "order: 2\nsummary: [unclosed\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(
        p.startswith("content/routes/adoption.md:6:8: malformed YAML") and "starts on line 5" in p for p in problems
    ), problems
    assert len(problems) == 1, problems


def test_malformed_yaml_file(project, capsys):
    edit(project / "content/glossary.yml", "    term: SGO\n", "    term: SGO\n   bad: indentation\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(p.startswith("content/glossary.yml:4:") and "malformed YAML" in p for p in problems), problems


def test_missing_required_field(project, capsys):
    edit(project / "content/routes/return-home.md", "reviewed: 2026-01-01\n", "")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert (
        "content/routes/return-home.md:2:1: missing required field 'reviewed' in front matter: add `reviewed: ...`"
        in problems
    )


def test_wrong_type(project, capsys):
    edit(project / "content/routes/return-home.md", "order: 1\n", "order: first\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(
        p.startswith("content/routes/return-home.md:4:8: 'order' in front matter must be a whole number")
        for p in problems
    ), problems


def test_unknown_field_lists_allowed(project, capsys):
    edit(project / "content/routes/return-home.md", "order: 1\n", "order: 1\nsumary: typo\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    [p] = [p for p in problems if "unknown field" in p]
    assert p.startswith(
        "content/routes/return-home.md:5:1: unknown field 'sumary' in front matter; allowed fields: id, title, order, summary"
    )


def test_unknown_citation_key_suggests(project, capsys):
    edit(
        project / "content/routes/adoption.md",
        "Support [@thoburn2021routes; @selwyn2014beyond].",
        "Support [@thoburn2021routes; @selwyn2014beyon].",
    )
    code, problems = run_check(project, capsys)
    assert code == 1
    assert (
        "content/routes/adoption.md:33:9: unknown citation key 'selwyn2014beyon'; did you mean 'selwyn2014beyond'?: "
        "add it to references.bib or correct the key"
    ) in problems, problems


def test_unknown_citation_key_in_yaml_field(project, capsys):
    edit(
        project / "content/recommendations/thoburn-2021.yml",
        "[@thoburn2021routes, sec. Relationships]",
        "[@thoburne2021routes, sec. Relationships]",
    )
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(
        p.startswith("content/recommendations/thoburn-2021.yml:16:16: unknown citation key 'thoburne2021routes'")
        for p in problems
    ), problems


def test_duplicate_recommendation_id(project, capsys):
    edit(project / "content/recommendations/thoburn-2021.yml", "  - id: fixture-2\n", "  - id: fixture-1\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(
        p.startswith(
            "content/recommendations/thoburn-2021.yml:10:9: duplicate recommendation id 'fixture-1' (also in content/recommendations/thoburn-2021.yml:3)"
        )
        for p in problems
    ), problems


def test_duplicate_bibtex_key(project, capsys):
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@book{selwyn2014beyond,\n  title = {Again},\n  year = {2014}\n}\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(p.startswith("references.bib:28:1: duplicate BibTeX key 'selwyn2014beyond'") for p in problems), problems


def test_malformed_bibtex(project, capsys):
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@book{broken,\n  title = {Unclosed,\n  year = {2014}\n}\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(p.startswith("references.bib:28:1: malformed BibTeX in '@book{broken,'") for p in problems), problems


def test_cross_reference_to_missing_route(project, capsys):
    edit(project / "content/routes/adoption.md", "[](route:return-home)", "[](route:return-hom)")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(
        p.startswith("content/routes/adoption.md:8:")
        and "cross-reference to route 'return-hom' does not exist; did you mean 'return-home'?" in p
        for p in problems
    ), problems


def test_recommendation_route_missing(project, capsys):
    edit(project / "content/recommendations/thoburn-2021.yml", "routes: [adoption]", "routes: [adopton]")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(
        p.startswith(
            "content/recommendations/thoburn-2021.yml:6:14: route 'adopton' does not exist; did you mean 'adoption'?"
        )
        for p in problems
    ), problems


def test_briefing_naming_missing_route(project, capsys):
    edit(project / "content/briefings/handout-adoption.yml", "routes: [adoption]", "routes: [adoptoin]")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(
        p.startswith("content/briefings/handout-adoption.yml:6:10: route 'adoptoin' does not exist") for p in problems
    ), problems


def test_unknown_csl_style(project, capsys):
    edit(project / "site_config.yml", "csl: harvard-cite-them-right", "csl: harvard-cite-them-rite")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(
        p.startswith(
            "site_config.yml:8:6: unknown CSL style 'harvard-cite-them-rite': did you mean harvard-cite-them-right"
        )
        for p in problems
    ), problems


@pytest.mark.parametrize(
    "html, message",
    [
        ("<script>alert(1)</script>", "raw <script> is not allowed"),
        ('<img src="x.png" onerror="alert(1)">', "the HTML attribute onerror= could run script"),
        ("[click](javascript:alert(1))", "a 'javascript:' address is not allowed"),
    ],
)
def test_unsafe_html_is_refused(project, capsys, html, message):
    edit(project / "content/routes/adoption.md", "More support.", f"More support.\n\n{html}")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(p.startswith("content/routes/adoption.md:39:") and message in p for p in problems), problems


def test_every_problem_is_reported_in_one_run(project, capsys):
    edit(project / "content/routes/return-home.md", "order: 1\n", "order: first\n")
    edit(project / "content/routes/adoption.md", "[](route:return-home)", "[](route:nowhere)")
    edit(project / "content/glossary.yml", "term: SGO", "term: SGO\n    colour: red")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert [p.split(":")[0] for p in problems] == [
        "content/glossary.yml",
        "content/routes/adoption.md",
        "content/routes/return-home.md",
    ]


def test_warnings_and_strict(project, capsys):
    bib = project / "references.bib"
    bib.write_text(
        bib.read_text()
        + "\n@book{uncited2020,\n  author = {Nobody, A.},\n  title = {Never cited},\n  year = {2020}\n}\n"
    )
    edit(
        project / "content/routes/adoption.md",
        '"[@selwyn2014beyond, p. 12]"\n    headline',
        '"[@selwyn2014beyond]"\n    headline',
    )
    code, problems = run_check(project, capsys)
    assert code == 0
    assert "references.bib:28:1: warning: reference 'uncited2020' is never cited: cite it or remove it" in problems
    assert any(
        p.startswith("content/routes/adoption.md:13:15: warning: figure citation has no locator") for p in problems
    ), problems
    code, problems = run_check(project, capsys, "--strict")
    assert code == 1
    assert len(problems) == 2


def test_stale_review_date_warns(project, capsys):
    edit(project / "site_config.yml", "review_limit_days: 3650", "review_limit_days: 30")
    code, problems = run_check(project, capsys)
    assert code == 0
    assert any(
        p.startswith("content/routes/adoption.md:") and "last reviewed 2026-01-01, over 30 days ago" in p
        for p in problems
    )


def test_id_must_match_file_name(project, capsys):
    shutil.copy(project / "content/routes/adoption.md", project / "content/routes/adoption-2.md")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert (
        "content/routes/adoption-2.md:2:5: id 'adoption' must match the file name 'adoption-2': rename one" in problems
    )


def test_github_annotations(project, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    edit(project / "content/routes/adoption.md", "[](route:return-home)", "[](route:nowhere)")
    assert main(["check", "--config", str(project / "site_config.yml"), "-q"]) == 1
    out = capsys.readouterr().out
    assert re.search(
        r"^::error file=content/routes/adoption\.md,line=8,col=\d+::cross-reference to route 'nowhere'", out, re.M
    ), out


def test_zotero_and_biblatex_exports_load(project, capsys):
    """A Better BibTeX export with BibLaTeX fields and TeX accents loads as it is."""
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + (FIXTURES / "zotero-export.bib").read_text())
    code, problems = run_check(project, capsys)
    assert code == 0
    assert all("never cited" in p for p in problems), problems
    assert len(problems) == 9


def test_biblatex_features_are_formatted(project):
    """@string macros, crossref inheritance and month macros reach the formatted references."""
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + (FIXTURES / "zotero-export.bib").read_text())
    route = project / "content/routes/return-home.md"
    route.write_text(
        route.read_text().replace(
            "Written agreements.",
            "Written agreements [@westfahl2000frontier; @boddy2013international; @mullerstrasse2021].",
        )
    )
    model = build_model(project)[0]
    assert "Jessica Kingsley Publishers" in model.get("reference", "boddy2013international").text
    frontier = model.get("reference", "westfahl2000frontier").text
    assert "Space and beyond" in frontier and "Greenwood" in frontier and "pp. 55–65" in frontier
    assert "Müller-Straße, J." in model.get("reference", "mullerstrasse2021").text


def test_unknown_citation_display(project, capsys):
    edit(
        project / "site_config.yml", "csl: harvard-cite-them-right\n", "csl: harvard-cite-them-right\ncitations: tiny\n"
    )
    code, problems = run_check(project, capsys)
    assert code == 1
    assert "site_config.yml:9:12: citations 'tiny' must be one of: full, compact" in problems, problems


def test_unknown_site_engine(project, capsys):
    edit(project / "site_config.yml", "csl: harvard-cite-them-right\n", "csl: harvard-cite-them-right\nengine: hugo\n")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert "site_config.yml:9:9: engine 'hugo' must be one of: material, zensical" in problems, problems
