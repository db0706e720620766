"""Evidence checks in `briefings check`: figure periods, stitched ranges, claims against their figures, plain English."""

from __future__ import annotations

import re
from pathlib import Path

from generator.cli import main
from tests.test_check import edit, run_check

ADOPTION = "content/routes/adoption.md"
LONG = (
    "Families who adopt children from care often need help from many different services over a long time, "
    "including schools, health services and the local authority, and they should be able to get it easily."
)


def lines_with(problems: list[str], text: str) -> list[str]:
    return [p for p in problems if text in p]


def test_figure_without_period_warns_and_strict_fails(project, capsys):
    edit(project / ADOPTION, "    period: adopted 2000 to 2011\n", "")
    code, problems = run_check(project, capsys)
    assert code == 0
    assert problems == [
        "content/routes/adoption.md:10:5: warning: figure has no period: add `period:` with when the data "
        "were collected or how long children were followed, e.g. `period: 2019` or "
        "`period: within two years of return`"
    ]
    assert run_check(project, capsys, "--strict")[0] == 1


def test_range_stitched_from_two_studies_is_refused_at_its_line(project, capsys):
    edit(project / ADOPTION, 'value: "3.2%"', 'value: "3.2% to 20%"')
    edit(
        project / ADOPTION,
        '"[@selwyn2014beyond, p. 12]"\n    headline',
        '"[@selwyn2014beyond, p. 12; @thoburn2021routes, sec. Adoption]"\n    headline',
    )
    code, problems = run_check(project, capsys)
    assert code == 1
    [problem] = lines_with(problems, "range")
    assert problem.startswith(
        "content/routes/adoption.md:10:12: figure value '3.2% to 20%' is a range cited to 2 works "
        "(selwyn2014beyond, thoburn2021routes): give each study its own figure"
    )


def test_range_reported_by_a_secondary_source_is_one_study(project, capsys):
    edit(project / ADOPTION, 'value: "3.2%"', 'value: "43–48%"')
    edit(
        project / ADOPTION,
        '"[@selwyn2014beyond, p. 12]"\n    headline',
        '"[@selwyn2014beyond; cited in @thoburn2021routes, sec. Adoption]"\n    outcome: stability\n    headline',
    )
    assert run_check(project, capsys, "--strict") == (0, [])


def test_range_in_a_compare_cell_from_two_works_warns(project, capsys):
    edit(
        project / ADOPTION,
        "stability: Low breakdown [@selwyn2014beyond, p. 12].",
        "stability: Breakdown between 3.2% and about 20% [@selwyn2014beyond; @thoburn2021routes, sec. Adoption].",
    )
    code, problems = run_check(project, capsys)
    assert code == 0
    [problem] = problems
    assert problem.startswith(
        "content/routes/adoption.md:23:24: warning: the range 'between 3.2% and about 20%' is cited to 2 works"
    )


def test_certainty_word_the_cited_figure_does_not_make_warns_at_its_word(project, capsys):
    edit(
        project / ADOPTION,
        "  - Most adoptions last [@selwyn2014beyond, p. 12].  # check: ignore claim – 3.2% broke down, so most last",
        "  - Adoptions last,\n    and adoption is the best route [@selwyn2014beyond, p. 12].",
    )
    code, problems = run_check(project, capsys)
    assert code == 0
    [problem] = problems
    assert problem.startswith(
        "content/routes/adoption.md:8:21: warning: 'the best' in this key message is not said by the "
        "figure it cites (same citation and locator): “3.2% of adoptions broke down within 12 years”"
    )
    assert "# check: ignore claim – <reason>" in problem
    assert run_check(project, capsys, "--strict")[0] == 1


def test_dropped_hedge_warns(project, capsys):
    edit(
        project / ADOPTION,
        "measure: of adoptions broke down within 12 years",
        "measure: of adoptions are likely to break down",
    )
    edit(
        project / ADOPTION,
        "  - Most adoptions last [@selwyn2014beyond, p. 12].  # check: ignore claim – 3.2% broke down, so most last",
        "  - 3.2% of adoptions break down [@selwyn2014beyond, p. 12].",
    )
    code, problems = run_check(project, capsys)
    [problem] = problems
    assert problem.startswith(
        "content/routes/adoption.md:7:5: warning: this key message states as fact what the figure it "
        "cites hedges: “3.2% of adoptions are likely to break down”; keep the hedge"
    )
    edit(project / ADOPTION, "  - 3.2% of adoptions break down", "  - 3.2% of adoptions may break down")
    assert run_check(project, capsys, "--strict") == (0, [])


def test_claim_warning_is_silenced_with_a_reason_and_not_without(project, capsys):
    text = (project / ADOPTION).read_text(encoding="utf-8")
    (project / ADOPTION).write_text(text.replace(" – 3.2% broke down, so most last", ""), encoding="utf-8")
    code, problems = run_check(project, capsys)
    assert (
        "content/routes/adoption.md:7:1: warning: `# check: ignore claim` needs a reason: "
        "`# check: ignore claim – why this text may stay`" in problems
    )
    assert lines_with(problems, "'Most' in this key message")
    (project / ADOPTION).write_text(text.replace("# check: ignore claim", "# check: ignore clam"), encoding="utf-8")
    code, problems = run_check(project, capsys)
    assert lines_with(problems, "`# check: ignore clam` names no check: use one or more of grade, length, words, claim")


def test_silence_comment_on_the_line_above(project, capsys):
    edit(
        project / ADOPTION,
        "  - Most adoptions last [@selwyn2014beyond, p. 12].  # check: ignore claim – 3.2% broke down, so most last",
        "  # check: ignore claim — 3.2% broke down, so most last\n  - Most adoptions last [@selwyn2014beyond, p. 12].",
    )
    assert run_check(project, capsys, "--strict") == (0, [])


def test_long_sentence_warns_at_its_line_and_strict_fails(project, capsys):
    edit(
        project / ADOPTION,
        "  - Families need support after the order, see [](route:return-home) and [](rec:fixture-1).",
        f"  - >-\n    Adoption is for life. {LONG[:58]}\n    {LONG[59:]} [@selwyn2014beyond, p. 12]",
    )
    code, problems = run_check(project, capsys)
    assert code == 0
    length = lines_with(problems, "sentence of")
    assert length == [
        "content/routes/adoption.md:9:27: warning: sentence of 34 words in this key message is over the limit of 25: "
        "“Families who adopt children from care often need help from many …”: split it, or silence it "
        "for this text with `# check: ignore length – <reason>` (docs/content-format.md)"
    ]
    assert lines_with(problems, "reading grade") == []  # grade 8.5: under the limit of 9
    assert run_check(project, capsys, "--strict")[0] == 1
    edit(
        project / "site_config.yml",
        "review_limit_days: 3650",
        "review_limit_days: 3650\nreadability:\n  key_message: {sentence_words: 40}",
    )
    assert run_check(project, capsys, "--strict") == (0, [])


def test_reading_grade_names_the_hardest_sentence(project, capsys):
    hard = (
        "Intergenerational permanence considerations necessitate comprehensive multidisciplinary evaluation. "
        "Most children settle well in their new families."
    )
    edit(
        project / ADOPTION,
        "summary: Adoption makes the adopters the child's legal parents [@thoburn2021routes, sec. Adoption].",
        f"summary: {hard} [@thoburn2021routes, sec. Adoption].",
    )
    code, problems = run_check(project, capsys)
    [problem] = lines_with(problems, "reading grade")
    assert re.match(
        r"content/routes/adoption\.md:5:10: warning: reading grade [\d.]+ in this summary is over the limit of 9; "
        r"hardest sentence: “Intergenerational permanence considerations necessitate comprehensive …” "
        r"\(grade [\d.]+\)",
        problem,
    ), problem
    edit(project / ADOPTION, f"summary: {hard}", f"summary:  # check: ignore grade – a test of silencing\n  {hard}")
    assert lines_with(run_check(project, capsys)[1], "reading grade") == []


def test_glossary_terms_are_not_counted(project, capsys):
    summary = "Special Guardianship Orders often suit children who already know and love their relatives."
    edit(
        project / "site_config.yml",
        "review_limit_days: 3650",
        "review_limit_days: 3650\nreadability:\n  summary: {grade: 7}",
    )
    edit(
        project / ADOPTION,
        "summary: Adoption makes the adopters the child's legal parents [@thoburn2021routes, sec. Adoption].",
        f"summary: {summary} [@thoburn2021routes, sec. Adoption]",
    )
    assert run_check(project, capsys, "--strict") == (0, [])  # read as "term often suit children …": grade 5.9
    edit(
        project / "content/glossary.yml",
        "    expansion: Special Guardianship Order",
        "    expansion: Special Guardianship Decree",
    )
    [problem] = run_check(project, capsys)[1]
    assert problem.startswith(
        "content/routes/adoption.md:5:10: warning: reading grade 8.5 in this summary is over the limit of 7"
    )


def test_words_a_plain_english_guide_would_replace(project, capsys):
    edit(
        project / "content/recommendations/thoburn-2021.yml",
        "Keep relationships going.",
        "Keep relationships going in order to\n      facilitate contact.",
    )
    code, problems = run_check(project, capsys)
    assert [p.split(" (in ")[0] for p in problems] == [
        "content/recommendations/thoburn-2021.yml:15:36: warning: 'in order to' in this recommendation: plain English would say 'to'",
        "content/recommendations/thoburn-2021.yml:16:7: warning: 'facilitate' in this recommendation: plain English would say "
        "'help, make possible'",
    ]


def test_checks_can_be_switched_off(project, capsys):
    edit(project / ADOPTION, "    period: adopted 2000 to 2011\n", "")
    edit(
        project / "site_config.yml",
        "review_limit_days: 3650",
        "review_limit_days: 3650\nchecks:\n  figure_period: false\n  claim_wording: false\n  readability: false",
    )
    edit(
        project / ADOPTION,
        "  - Most adoptions last [@selwyn2014beyond, p. 12].  # check: ignore claim – 3.2% broke down, so most last",
        f"  - All adoptions last. {LONG} [@selwyn2014beyond, p. 12].",
    )
    assert run_check(project, capsys, "--strict") == (0, [])


def test_period_and_population_shown_with_every_figure(built_fixture_site):
    home = (built_fixture_site / "index.html").read_text(encoding="utf-8")
    route = (built_fixture_site / "routes" / "adoption.html").read_text(encoding="utf-8")
    for page in (home, route):
        assert "Children adopted from care in England, adopted 2000 to 2011." in page
    compare = (built_fixture_site / "compare.html").read_text(encoding="utf-8")
    assert "Not directly comparable:" in compare and "different studies" in compare


def test_default_content_has_no_stitched_figure_range(capsys):
    root = Path(__file__).parent.parent
    main(["check", "--config", str(root / "site_config.yml"), "-q"])
    assert "is a range cited to" not in capsys.readouterr().err


def test_ranking_in_a_figure_measure_warns(project, capsys):
    edit(
        project / ADOPTION,
        "measure: of adoptions broke down within 12 years",
        "measure: of adoptions broke down within 12 years, the best result of all routes",
    )
    code, problems = run_check(project, capsys)
    assert [p.split(";")[0] for p in problems] == [
        "content/routes/adoption.md:11:55: warning: 'the best' in this measure ranks or compares: the figure's own source must say so"
    ]


def test_a_hedge_is_kept_only_where_the_figure_is_restated(project, capsys):
    edit(
        project / ADOPTION,
        "measure: of adoptions broke down within 12 years",
        "measure: of adoptions are likely to break down",
    )
    edit(
        project / ADOPTION,
        "  - Most adoptions last [@selwyn2014beyond, p. 12].  # check: ignore claim – 3.2% broke down, so most last",
        "  - Adoption is for life [@selwyn2014beyond, p. 12].",
    )
    assert run_check(project, capsys, "--strict") == (0, [])  # the message does not restate the 3.2%


def test_default_site_shows_population_and_period_with_every_figure(built_site):
    import html

    from generator.resolve import build_model
    from generator.web.pages import headline

    model, _ = build_model(Path(__file__).parent.parent)
    home = html.unescape((built_site / "index.html").read_text(encoding="utf-8"))
    for route in model.routes:
        assert f"{headline(route).context}." in home, route.id
    for owner, folder in [(r, "routes") for r in model.routes] + [(t, "topics") for t in model.topics]:
        page = html.unescape((built_site / folder / f"{owner.id}.html").read_text(encoding="utf-8"))
        assert all(f"{f.context}." in page for f in owner.figures), owner.id


def test_a_figure_missing_its_value_is_reported_not_a_traceback(project, capsys):
    edit(project / ADOPTION, '  - value: "3.2%"\n    measure:', "  - measure:")
    edit(
        project / ADOPTION,
        "  - Most adoptions last [@selwyn2014beyond, p. 12].  # check: ignore claim – 3.2% broke down, so most last",
        "  - Most adoptions last [@selwyn2014beyond, p. 12].",
    )
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any("missing required field 'value'" in p for p in problems), problems
