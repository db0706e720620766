"""The model is plain data, resolved once: it pickles, and renderers only fill its link slots.

Also the bugs found by tracing the data (architecture review §1.3): bodies without a
heading, headings that bypassed markdown-it, and anchors that collide.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from test_check import edit, run_check

from generator.cli import main
from generator.resolve import build_model


def test_model_pickles_and_renders_the_same_after(project):
    model, _ = build_model(project)
    copy = pickle.loads(pickle.dumps(model))
    assert copy == model
    route = copy.get("route", "adoption")
    link = lambda target: f"/{target[0]}/{target[1]}"  # noqa: E731
    assert route.key_messages[1].html(link) == model.get("route", "adoption").key_messages[1].html(link)
    assert 'href="/route/return-home"' in route.key_messages[1].html(link)


def test_rich_text_fills_slots_with_each_renderers_links(project):
    model, _ = build_model(project)
    text = model.get("route", "adoption").key_messages[1]
    web = text.html(lambda t: "web-" + t[1])
    paper = text.html(lambda t: "https://example.org/" + t[1], abbreviations=False)
    assert 'href="web-return-home"' in web and 'href="https://example.org/return-home"' in paper
    assert "xref:" not in web + paper
    # print has no tooltips; the web keeps the reference as a tooltip
    cited = model.get("route", "adoption").key_messages[0]
    assert 'title="' in cited.html(str) and 'title="' not in cited.html(str, abbreviations=False)


def test_topic_body_without_heading_is_refused(project, capsys):
    """Bug 1: the text, its unknown key and its script were silently dropped, and check passed."""
    path = project / "content/topics/stability.md"
    edit(
        path,
        "## What stability means\n\nBelonging.",
        "Belonging matters most, says [@nosuchkey] and <script>alert(1)</script>.",
    )
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(
        p.startswith("content/topics/stability.md:12:1: text before the first '## ' heading") for p in problems
    ), problems


def test_section_heading_is_markdown_like_any_text(project, capsys, tmp_path):
    """Bug 2: a heading's citation was neither checked nor formatted, and SGO got no <abbr>."""
    route = project / "content/routes/adoption.md"
    edit(route, "## What needs to change", "## Notes on *care* & SGO [@nosuchkey]\n\nText.\n\n## What needs to change")
    code, problems = run_check(project, capsys)
    assert code == 1 and any("content/routes/adoption.md:" in p and "nosuchkey" in p for p in problems), problems

    edit(route, "[@nosuchkey]", "[@selwyn2014beyond, p. 3]")
    model, _ = build_model(project)
    section = next(s for s in model.get("route", "adoption").sections if s.slug.startswith("notes-on"))
    assert section.title == "Notes on care & SGO"
    heading = section.heading.html(str)
    assert "<em>care</em>" in heading and '<abbr title="Special Guardianship Order">SGO</abbr>' in heading
    assert "Selwyn" in heading and "[@" not in heading
    out = tmp_path / "site"
    assert main(["build", "--config", str(project / "site_config.yml"), "--out", str(out), "-q"]) == 0
    page = (out / "routes/adoption.html").read_text(encoding="utf-8")
    assert "<em>care</em>" in page and "[@selwyn2014beyond" not in page


def test_ids_that_share_a_web_address_are_refused(project, capsys):
    """Bug 3: care-inquiry-5.1 and care-inquiry-5-1 both became #care-inquiry-5-1."""
    recs = project / "content/recommendations/thoburn-2021.yml"
    edit(recs, "id: fixture-2", "id: fixture.1")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(
        p.startswith("content/recommendations/thoburn-2021.yml:10:9:") and "same web address as 'fixture-1'" in p
        for p in problems
    ), problems


def test_recommendation_labels_are_unique(project, capsys):
    recs = project / "content/recommendations/thoburn-2021.yml"
    edit(recs, 'number: "2"', 'number: "1"')
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any("same label as 'fixture-1'" in p and "give one a short `title:`" in p for p in problems), problems
    edit(
        recs,
        "    text: Keep relationships going.",
        "    title: Keeping relationships\n    text: Keep relationships going.",
    )
    assert run_check(project, capsys)[0] == 0


def test_labels_titles_notes_and_main_recommendations(project):
    recs = project / "content/recommendations/thoburn-2021.yml"
    edit(
        recs,
        "    text: Keep relationships going.",
        "    title: Keeping relationships\n    main: true\n    note: The source numbers this *twice*.\n"
        "    text: Keep relationships going.",
    )
    model, _ = build_model(project)
    rec = model.get("recommendation", "fixture-2")
    assert rec.label == "Keeping relationships" and rec.main
    assert model.get("recommendation", "fixture-1").label == "Thoburn (2021), recommendation 1"
    assert "<em>twice</em>" in rec.note.html(str) and "twice" not in rec.text.html(str)
    adoption = model.get("route", "adoption")
    assert adoption.main_recommendations == ("fixture-2",)
    assert adoption.handouts == ("handout-adoption",)
    assert model.get("briefing", "handout-adoption").recommendations == ("fixture-2",)


def test_too_many_main_recommendations(project, capsys):
    recs = project / "content/recommendations/thoburn-2021.yml"
    extra = "".join(
        f"""  - id: extra-{n}
    number: "x{n}"
    theme: support
    routes: [adoption]
    audience: [practitioners]
    main: true
    text: Extra {n}.
    citation: "[@thoburn2021routes, sec. Adoption]"
"""
        for n in range(7)
    )
    recs.write_text(recs.read_text(encoding="utf-8") + extra, encoding="utf-8")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any("route 'adoption' has more than 6 main recommendations" in p for p in problems), problems


def test_home_topic_and_explainer_come_from_config(project, capsys):
    config = project / "site_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "home_topic: stabilty\nexplainer: about#ratings\n", encoding="utf-8"
    )
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(p.startswith("site_config.yml:20:13:") and "did you mean 'stability'" in p for p in problems), problems
    assert any(
        p.startswith("site_config.yml:21:") and "page 'about' has no heading with the id 'ratings'" in p
        for p in problems
    ), problems


def test_dates_do_not_depend_on_the_locale(monkeypatch):
    import datetime as dt
    import locale

    from generator.vocabulary import format_date

    for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8"):
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        assert format_date(dt.date(2026, 11, 22)) == "22 November 2026"
    locale.setlocale(locale.LC_TIME, "C")


def test_renderers_hold_no_regular_expressions_over_html_or_markdown():
    """Print and web read the model; they do not scrape or rewrite each other's HTML."""
    root = Path(__file__).parent.parent / "generator"
    for folder in ("printing",):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "import re\n" not in text or path.name in {"typst_pdf.py", "docx.py"}, path  # PDF bytes, Word XML


def test_secondary_citations_say_where_they_were_read(project, capsys):
    """A work known only from another source is shown as cited in it, never with an invented title."""
    bib = project / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8") + "\n@misc{hunt2020,\n  author = {Hunt},\n  year = {2020},\n"
        "  citedin = {thoburn2021routes}\n}\n",
        encoding="utf-8",
    )
    edit(
        project / "content/routes/adoption.md",
        "More support.",
        "More support [@hunt2020; cited in @thoburn2021routes].",
    )
    assert run_check(project, capsys) == (0, [])
    model, _ = build_model(project)
    ref = model.get("reference", "hunt2020")
    assert ref.text == "Hunt (2020), cited in Thoburn (2021)."
    assert ref.html.endswith(", cited in Thoburn (2021).")

    edit(bib, "citedin = {thoburn2021routes}", "citedin = {thoburn2021route}")
    code, problems = run_check(project, capsys)
    assert code == 1 and any(
        "'hunt2020' is cited in 'thoburn2021route', which is not in references.bib; did you mean "
        "'thoburn2021routes'?" in p
        for p in problems
    ), problems
    edit(bib, "citedin = {thoburn2021route}", "title = {[A survey; full reference not given]}")
    code, problems = run_check(project, capsys, "--strict")
    assert code == 1 and any("has a bracketed placeholder title" in p for p in problems), problems


def test_cited_in_goes_inside_the_entrys_markup():
    from generator.resolve import _cited_in

    numeric = '<span class="csl-left-margin">[3]</span> <span class="csl-right-inline">Hunt, 2020.</span>'
    assert _cited_in(numeric, "[1]") == (
        '<span class="csl-left-margin">[3]</span> <span class="csl-right-inline">Hunt, 2020, cited in [1].</span>'
    )


def test_annotations_escape_the_path_as_github_requires():
    from generator.problems import Problem

    line = Problem("content/a,b:c.md", 3, 1, "50% done\nnext").annotation()
    assert line == "::error file=content/a%2Cb%3Ac.md,line=3,col=1::50%25 done%0Anext"
