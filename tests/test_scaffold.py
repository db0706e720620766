"""`briefings new`: every scaffold passes `check` as written; bad ids and clashes are refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.resolve import build_model


def new(project: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["new", *args, "--config", str(project / "site_config.yml")])
    return code, capsys.readouterr().err


def check_strict(project: Path, capsys) -> None:
    """Assert that `briefings check` passes, warning only about the REPLACE placeholders, which
    `--strict` (as in CI) refuses until they are filled in."""
    config = str(project / "site_config.yml")
    code = main(["check", "-q", "--config", config])
    problems = [line for line in capsys.readouterr().err.splitlines() if re.match(r"^[^:]+:\d+:\d+: ", line)]
    assert code == 0
    assert problems and all("warning: placeholder REPLACE left by `briefings new`" in p for p in problems), problems
    assert main(["check", "--strict", "-q", "--config", config]) == 1
    capsys.readouterr()


def test_new_route_passes_check(project, capsys):
    code, err = new(project, capsys, "route", "foster-to-adopt")
    assert code == 0
    assert "Created content/routes/foster-to-adopt.md" in err
    check_strict(project, capsys)
    model, _ = build_model(project)
    route = model.get("route", "foster-to-adopt")
    assert route.order == 3  # after the fixture's two routes
    assert route.outcomes == ("stability",)  # the first outcome in site_config.yml
    [figure] = route.figures
    assert figure.citation.source == "[@thoburn2021routes, sec. REPLACE]"  # a key that exists, with a locator
    assert [s.title for s in route.sections] == ["What the research says", "What helps", "What needs to change"]
    text = (project / "content/routes/foster-to-adopt.md").read_text(encoding="utf-8")
    assert "REPLACE" in route.summary.source and "# The citations below use the key 'thoburn2021routes'" in text


def test_new_source_takes_title_and_year_from_its_reference(project, capsys):
    assert new(project, capsys, "source", "selwyn-2014", "--reference", "selwyn2014beyond")[0] == 0
    check_strict(project, capsys)
    source = build_model(project)[0].get("source", "selwyn-2014")
    assert (source.reference, source.year, source.short_title) == ("selwyn2014beyond", 2014, "Selwyn (2014)")
    assert source.title == "Beyond the Adoption Order: Challenges, Interventions and Adoption Disruption"


def test_new_source_without_reference_uses_a_placeholder_key(project, capsys):
    assert new(project, capsys, "source", "new-report")[0] == 0
    check_strict(project, capsys)
    text = (project / "content/sources/new-report.md").read_text(encoding="utf-8")
    assert "'reference' is 'thoburn2021routes' only so that this file passes `check`" in text


def test_new_recommendation_appends_and_keeps_existing_text(project, capsys):
    path = project / "content/recommendations/thoburn-2021.yml"
    before = path.read_text(encoding="utf-8")
    code, err = new(project, capsys, "recommendation", "fixture-3", "--source", "thoburn-2021", "--route", "adoption")
    assert code == 0 and "Created content/recommendations/thoburn-2021.yml" in err
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))
    check_strict(project, capsys)
    model, _ = build_model(project)
    assert [r.id for r in model.recommendations] == ["fixture-1", "fixture-2", "fixture-3"]
    rec = model.get("recommendation", "fixture-3")
    assert (rec.number, rec.source, rec.routes) == ("3", "thoburn-2021", ("adoption",))
    assert rec.citation.source == "[@thoburn2021routes, para. REPLACE]"  # the source's own document
    assert "fixture-3" in model.get("route", "adoption").recommendations


def test_new_recommendation_creates_the_file_for_a_new_source(project, capsys):
    assert new(project, capsys, "source", "selwyn-2014", "--reference", "selwyn2014beyond")[0] == 0
    assert new(project, capsys, "recommendation", "selwyn-1", "--source", "selwyn-2014")[0] == 0
    data = yaml.safe_load((project / "content/recommendations/selwyn-2014.yml").read_text(encoding="utf-8"))
    assert data["source"] == "selwyn-2014" and [r["id"] for r in data["recommendations"]] == ["selwyn-1"]
    check_strict(project, capsys)
    assert (
        build_model(project)[0].get("recommendation", "selwyn-1").citation.source
        == "[@selwyn2014beyond, para. REPLACE]"
    )


def test_new_briefing_route_handout_and_summary(project, capsys):
    assert new(project, capsys, "briefing", "handout-return-home", "--route", "return-home")[0] == 0
    assert new(project, capsys, "briefing", "summary-fixture")[0] == 0
    check_strict(project, capsys)
    model, _ = build_model(project)
    handout = model.get("briefing", "handout-return-home")
    assert (handout.kind, handout.routes, handout.title) == (
        "route-handout",
        ("return-home",),
        "Return home: what the evidence says",
    )
    summary = model.get("briefing", "summary-fixture")
    assert (summary.kind, summary.routes) == ("summary", ("return-home", "adoption"))  # in route order


def test_every_kind_at_once_still_passes(project, capsys):
    for args in (
        ("route", "foster-to-adopt"),
        ("source", "extra"),
        ("recommendation", "extra-1", "--source", "extra"),
        ("briefing", "handout-foster-to-adopt", "--route", "foster-to-adopt"),
    ):
        assert new(project, capsys, *args)[0] == 0
    check_strict(project, capsys)


@pytest.mark.parametrize(
    "args, message",
    [
        (("route", "Foster To Adopt"), "'Foster To Adopt' is not an id: use lower-case letters, digits, - and ."),
        (("route", "adoption"), "content/routes/adoption.md already exists"),
        (("source", "thoburn-2021"), "content/sources/thoburn-2021.md already exists"),
        (("source", "x", "--reference", "nobody2020"), "reference 'nobody2020' is not in references.bib"),
        (("briefing", "handout-adoption"), "content/briefings/handout-adoption.yml already exists"),
        (
            ("briefing", "handout-x", "--route", "fostering"),
            "route 'fostering' does not exist; routes: return-home, adoption",
        ),
        (
            ("recommendation", "fixture-1", "--source", "thoburn-2021"),
            "recommendation 'fixture-1' already exists in content/recommendations/thoburn-2021.yml",
        ),
        (("recommendation", "fixture-9"), "a recommendation needs --source <source-id>"),
        (
            ("recommendation", "fixture-9", "--source", "nowhere"),
            "source 'nowhere' does not exist; sources: thoburn-2021",
        ),
    ],
)
def test_refusals_write_nothing(project, capsys, args, message):
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    code, err = new(project, capsys, *args)
    assert code == 2
    assert err.startswith("briefings new: ") and message in err
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_recommendations_file_that_does_not_end_with_its_list_is_left_alone(project, capsys):
    path = project / "content/recommendations/thoburn-2021.yml"
    path.write_text(
        'recommendations:\n  - id: fixture-1\n    number: "1"\n    theme: support\n    routes: [adoption]\n'
        '    audience: [practitioners]\n    text: Offer support.\n    citation: "[@thoburn2021routes, p. 1]"\n'
        "source: thoburn-2021\n",
        encoding="utf-8",
    )
    before = path.read_text(encoding="utf-8")
    code, err = new(project, capsys, "recommendation", "fixture-3", "--source", "thoburn-2021")
    assert code == 2 and "cannot be added safely: add it by hand" in err
    assert path.read_text(encoding="utf-8") == before


def test_missing_project_is_a_usage_error(tmp_path, capsys):
    code = main(["new", "route", "x", "--config", str(tmp_path / "site_config.yml")])
    assert code == 2
    assert "no site_config.yml in" in capsys.readouterr().err


def test_new_reads_the_config_named_by_config(project, capsys):
    """The review found `new` always read site_config.yml, whatever --config named."""
    (project / "site_config.yml").rename(project / "briefings.yml")
    config = str(project / "briefings.yml")
    assert main(["new", "route", "foster-to-adopt", "--config", config]) == 0
    assert (project / "content/routes/foster-to-adopt.md").is_file()
    assert main(["check", "-q", "--config", config]) == 0
