"""The evidence and gap map: which studies fill which cell, gaps, and the checks on its tags."""

from __future__ import annotations

from pathlib import Path

from generator import gapmap
from generator.resolve import build_model
from tests.test_check import edit, run_check

ROOT = Path(__file__).parent.parent


def tag_figure(project: Path, outcome: str = "stability") -> None:
    edit(
        project / "content/routes/adoption.md", "    headline: true\n", f"    headline: true\n    outcome: {outcome}\n"
    )


def test_cells_hold_studies_with_what_they_support(project):
    tag_figure(project)
    model, _ = build_model(project)
    cells = {(c.route, c.outcome): c for c in gapmap.cells(model)}
    assert list(cells) == [
        ("return-home", "stability"),
        ("return-home", "identity"),
        ("adoption", "stability"),
        ("adoption", "identity"),
    ]
    assert cells["adoption", "stability"].studies == (gapmap.Support("selwyn2014beyond", (1,), (1,)),)
    assert cells["adoption", "identity"].studies == (gapmap.Support("selwyn2014beyond", (), (1,)),)
    assert cells["adoption", "stability"].rating == "moderate"
    # return-home's outcomes are [stability]: identity is a gap
    assert cells["return-home", "identity"].studies == ()
    assert [s.key for s in cells["return-home", "stability"].studies] == ["farmer2014reunification"]


def test_figure_outcome_outside_route_outcomes_still_fills_its_column(project):
    edit(
        project / "content/routes/return-home.md",
        "figures: []\n",
        """figures:
  - value: "1 in 3"
    measure: returns broke down
    population: Children returned home
    citation: "[@thoburn2021routes, sec. Return]"
    outcome: identity
""",
    )
    model, _ = build_model(project)
    cell = next(c for c in gapmap.cells(model) if (c.route, c.outcome) == ("return-home", "identity"))
    assert cell.studies == (gapmap.Support("thoburn2021routes", (1,), ()),)


def test_unknown_figure_outcome_is_an_error_at_its_position(project, capsys):
    tag_figure(project, "stabilty")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert problems == [
        "content/routes/adoption.md:15:14: unknown outcome 'stabilty'; did you mean 'stability'? allowed: stability, identity "
        "(site_config.yml outcomes), or none for a figure that only gives context"
    ]


def test_route_outcome_without_a_study_is_warned(project, capsys):
    edit(
        project / "content/routes/return-home.md",
        "  - Returns need support [@farmer2014reunification, p. 350].\n",
        "  - Returns need support.\n",
    )
    code, problems = run_check(project, capsys)
    assert code == 0
    assert (
        "content/routes/return-home.md:12:12: warning: outcome 'stability' has no study behind it: cite a study "
        "in a key message, or give a figure `outcome: stability`" in problems
    )


def test_study_tied_to_no_outcome_is_warned(project, capsys):
    edit(
        project / "content/routes/adoption.md",
        '    citation: "[@selwyn2014beyond, p. 12]"',
        '    citation: "[@selwyn2014beyond, p. 12; @farmer2014reunification, p. 3]"',
    )
    code, problems = run_check(project, capsys)
    assert code == 0
    assert [p for p in problems if "tied to no outcome" in p] == [
        "content/routes/adoption.md:13:16: warning: study 'farmer2014reunification' is cited on this route but tied "
        "to no outcome: give this figure an `outcome:` (an id from site_config.yml outcomes, or none if it only "
        "gives context)"
    ]
    tag_figure(project, "none")  # context, deliberately tied to no outcome
    assert not [p for p in run_check(project, capsys)[1] if "tied to no outcome" in p]


def test_study_design_from_keywords(project):
    edit(
        project / "references.bib",
        "  year = {2014}\n}",
        "  year = {2014},\n  keywords = {adoption, Design:Cohort; design:survey}\n}",
    )
    model, _ = build_model(project)
    assert model.get("reference", "selwyn2014beyond").designs == ("cohort", "survey")


def test_unknown_study_design_is_an_error_at_the_keyword(project, capsys):
    edit(project / "references.bib", "  year = {2014}\n}", "  year = {2014},\n  keywords = {adoption, design:RCT}\n}")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert problems == [
        "references.bib:15:25: unknown study design 'rct' in keywords of 'selwyn2014beyond'; use "
        "design:<one of systematic-review, cohort, survey, qualitative, administrative-data, "
        "expert-overview>"
    ]


def test_default_content_map_has_studies_and_gaps():
    model, _ = build_model(ROOT)
    data = gapmap.map_data(model)
    assert len(data["cells"]) == len(model.routes) * len(model.config.outcomes)
    filled = [c for c in data["cells"] if not c["gap"]]
    assert filled and len(filled) < len(data["cells"])
    assert {s["key"] for c in filled for s in c["studies"]} == {s["key"] for s in data["studies"]}


def test_default_bibliography_records_study_designs_from_the_seeds():
    model, _ = build_model(ROOT)
    assert model.get("reference", "winokur2014").designs == ("systematic-review",)
    assert model.get("reference", "thoburn2021routes").designs == ("expert-overview",)
    studies = gapmap.map_data(model)["studies"]
    assert {d for s in studies for d in s["designs"]} >= {"expert-overview", "survey", "administrative-data"}
