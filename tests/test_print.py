"""Print briefings: PDF and DOCX read back, for the fixture and the default content."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree
from pypdf import PdfReader

from generator.cli import main
from generator.printing import PrintError, render_briefings
from generator.progress import Progress
from generator.resolve import build_model

ROOT = Path(__file__).resolve().parent.parent

MORE_BRIEFINGS = {
    "summary-fixture.yml": """\
id: summary-fixture
kind: summary
title: Fixture summary
audience: Trainers
routes: [return-home, adoption]
topics: [stability]
intro: Every route needs support [@thoburn2021routes, sec. Adoption].
""",
    "event-fixture.yml": """\
id: event-fixture
kind: event
title: Fixture event
audience: Practitioners
source: thoburn-2021
sections:
  - title: Adoption session
    speaker: Professor Example Speaker
    route: adoption
    key_messages:
      - Adoption support matters [@selwyn2014beyond, p. 12].
messages:
  - Relationships come first.
""",
    "recommendations-fixture.yml": """\
id: recommendations-fixture
kind: recommendations
title: Fixture recommendations
audience: Managers
""",
}


def text_of(pdf: Path) -> str:
    """The PDF's text without whitespace, so that line breaks (even inside URLs) do not matter."""
    return flat(" ".join(page.extract_text() for page in PdfReader(pdf).pages))


def flat(s: str) -> str:
    return "".join(s.split())


@pytest.fixture(scope="module")
def fixture_print(tmp_path_factory) -> tuple:
    """The fixture project with one briefing of each kind, rendered twice."""
    from tests.conftest import FIXTURE

    root = tmp_path_factory.mktemp("print") / "project"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("site"))
    for name, text in MORE_BRIEFINGS.items():
        (root / "content" / "briefings" / name).write_text(text, encoding="utf-8")
    model, _ = build_model(root)
    first = render_briefings(model, root / "out1", Progress(quiet=True))
    second = render_briefings(model, root / "out2", Progress(quiet=True))
    return model, root / "out1", first, second


@pytest.fixture(scope="module")
def default_print(tmp_path_factory) -> tuple:
    """The repository's default content, rendered once."""
    model, _ = build_model(ROOT)
    out = tmp_path_factory.mktemp("default-print")
    render_briefings(model, out, Progress(quiet=True))
    return model, out


def test_every_briefing_gives_a_pdf_and_a_docx(fixture_print):
    model, out, written, _ = fixture_print
    assert sorted(p.name for p in written) == sorted(
        f"{b.id}.{ext}" for b in model.briefings for ext in ("pdf", "docx")
    )
    assert all(p.parent == out and p.stat().st_size > 1000 for p in written)


def test_rebuilds_are_byte_identical(fixture_print):
    _, _, first, second = fixture_print
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_pdf_is_tagged_with_title_and_language(fixture_print):
    model, out, _, _ = fixture_print
    for briefing in model.briefings:
        reader = PdfReader(out / f"{briefing.id}.pdf")
        catalog = reader.trailer["/Root"]
        assert "/StructTreeRoot" in catalog
        assert catalog["/Lang"] == "en-GB"
        assert bool(catalog["/MarkInfo"]["/Marked"])
        assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
        assert reader.metadata.title == briefing.title
        xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
        assert re.search(r"pdfuaid:part>\s*1\s*<", xmp), "not marked as PDF/UA-1"
        kinds = set(re.findall(r"/S /(\w+)", str(_structure(catalog["/StructTreeRoot"]))))
        assert {"H1", "P", "L", "LI"} <= kinds


def _structure(node, out=None) -> list:
    """Every structure element's type, in reading order."""
    out = [] if out is None else out
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _structure(child, out)
    elif hasattr(node, "get"):
        if "/S" in node:
            out.append(f"/S {node['/S']}")
        kids = node.get("/K")
        if kids is not None:
            _structure(kids if isinstance(kids, list) else [kids], out)
    return out


def test_route_handout_holds_title_figures_recommendations_and_references(fixture_print):
    model, out, _, _ = fixture_print
    route = model.get("route", "adoption")
    pdf = out / "handout-adoption.pdf"
    assert len(PdfReader(pdf).pages) <= 2
    text = text_of(pdf)
    assert flat("Adoption: what the evidence says") in text
    for heading in ("Key messages", "Headline figures", "What helps", "Main recommendations", "References"):
        assert flat(heading) in text
    figure = route.figures[0]
    assert flat(figure.value) in text
    assert flat("Children adopted from care in England, adopted 2000 to 2011") in text  # population and period
    # Citations print exactly as pandoc citeproc formatted them for the site.
    assert flat(figure.citation.citations[0].text) in text
    assert flat(model.get("recommendation", "fixture-1").text.source) in text
    for key in ("thoburn2021routes", "selwyn2014beyond"):
        assert flat(model.get("reference", key).text) in text
    # The footer: title, edition date, site address, page n of m.
    assert flat("Adoption: what the evidence says · 1 January 2026 · example.org/fixture") in text
    assert flat("Page 1 of 1") in text


def test_summary_event_and_recommendations_briefings(fixture_print):
    model, out, _, _ = fixture_print
    summary = text_of(out / "summary-fixture.pdf")
    assert flat("Contents") in summary
    for title in ("Return home", "Adoption", "The routes at a glance", "Main recommendations", "References"):
        assert flat(title) in summary
    # A summary points to the recommendations briefing instead of repeating it.
    assert flat("Fixture recommendations") in summary and flat("briefings/recommendations-fixture.pdf") in summary
    assert "Recommendations by theme" not in summary
    assert flat("Children adopted from care in England, adopted 2000 to 2011") in summary  # population and period
    event = text_of(out / "event-fixture.pdf")
    assert flat("Adoption session") in event and flat("Professor Example Speaker") in event
    assert flat("Collective messages") in event and flat("Relationships come first.") in event
    recs = text_of(out / "recommendations-fixture.pdf")
    for label in model.config.themes.values():
        assert flat(label) in recs
    assert flat("Offer support after adoption.") in recs
    assert flat("Thoburn (2021), recommendation 1") in recs and flat("Routes: Adoption") in recs


def test_handout_carries_rating_and_a_voice_when_there_is_room(fixture_print):
    model, out, _, _ = fixture_print
    route = model.get("route", "adoption")
    text = text_of(out / "handout-adoption.pdf")
    assert flat(f"Strength of the evidence: {route.evidence.rating}.") in text
    assert flat(route.evidence.reason.source.split("[@")[0]) in text
    voice = model.get("voice", route.voices[0])
    assert flat(f"“{voice.quote}”") in text and flat(voice.who) in text
    assert flat(voice.quote) in flat(_docx_text(out / "handout-adoption.docx"))


def test_a_full_handout_gives_up_its_voice_before_failing(project: Path, tmp_path: Path):
    """Extras go first (the voice, then the rating's reason); the rating itself stays."""
    from generator.printing.document import build_document, page_html
    from generator.printing.pandoc import html_to_ast
    from generator.printing.typst_pdf import page_count, render_pdf

    path = project / "content" / "briefings" / "handout-adoption.yml"
    original = path.read_text().replace("max_pages: 2", "max_pages: 1")

    def model_with(words: int):
        path.write_text(original + "intro: " + "Support matters. " * words + "\n")
        return build_model(project)[0]

    def pages(words: int) -> int:
        model = model_with(words)
        doc = build_document(model, model.get("briefing", "handout-adoption"))
        return page_count(render_pdf(model, doc, html_to_ast(page_html(model, doc), model.config.edition)))

    low, high = 0, 400  # find the shortest intro that pushes the handout with its extras onto a second page
    assert pages(low) == 1 and pages(high) > 1
    while high - low > 4:
        middle = (low + high) // 2
        low, high = (middle, high) if pages(middle) == 1 else (low, middle)
    model = model_with(high)
    render_briefings(model, tmp_path / "out", Progress(quiet=True))
    pdf = tmp_path / "out" / "handout-adoption.pdf"
    assert len(PdfReader(pdf).pages) == 1
    text = text_of(pdf)
    route = model.get("route", "adoption")
    assert flat(f"Strength of the evidence: {route.evidence.rating}.") in text
    assert flat(model.get("voice", route.voices[0]).quote) not in text


def test_quote_after_a_bracket_closes(project: Path, tmp_path: Path):
    """An article's title in quotation marks, ending in a bracket: the quote after it closes."""
    bib = project / "references.bib"
    bib.write_text(bib.read_text().replace("reunification practice}", "reunification practice [draft]}"))
    (project / "content" / "briefings" / "handout-return-home.yml").write_text(
        "id: handout-return-home\nkind: route-handout\ntitle: Return home\naudience: All\nroutes: [return-home]\n"
    )
    model, _ = build_model(project)
    assert "practice [draft]’" in model.get("reference", "farmer2014reunification").text
    render_briefings(model, tmp_path / "out", Progress(quiet=True))
    text = text_of(tmp_path / "out" / "handout-return-home.pdf")
    assert flat("‘Improving reunification practice [draft]’") in text and "]‘" not in text


def test_docx_uses_word_styles(fixture_print):
    model, out, _, _ = fixture_print
    doc = Document(out / "handout-adoption.docx")
    styles = {p.text: p.style.name for p in doc.paragraphs}
    assert styles["Adoption: what the evidence says"] == "Title"
    assert styles["Key messages"] == "Heading 1"
    assert styles["Main recommendations"] == "Heading 1"
    assert any(s == "Bibliography" for s in styles.values())
    assert doc.tables and doc.tables[0].rows[1].cells[0].text == "3.2%"
    assert doc.core_properties.title == "Adoption: what the evidence says"
    assert doc.core_properties.language == "en-GB"
    footer = doc.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Adoption: what the evidence says · 1 January 2026 · example.org/fixture · Page")
    assert round(doc.sections[0].page_width.cm, 1) == 21.0
    summary = Document(out / "summary-fixture.docx")
    assert {"Heading 1", "Heading 2"} <= {p.style.name for p in summary.paragraphs}


def test_a_handout_longer_than_max_pages_is_a_content_error_found_by_check(project: Path, capsys):
    """What does not fit even without the extras: `check` and `build` exit 1 at its max_pages; nothing written."""
    path = project / "content" / "briefings" / "handout-adoption.yml"
    long_intro = "\n\n".join(["Adoption support matters for every family, at every age and stage. " * 12] * 12)
    text = path.read_text().replace("max_pages: 2", "max_pages: 1")
    path.write_text(text + "intro: |\n" + "".join(f"  {line}\n" for line in long_intro.splitlines()))
    line = text.splitlines().index("max_pages: 1") + 1
    expected = (
        rf"content/briefings/handout-adoption.yml:{line}:12: briefing 'handout-adoption' is [3-9] pages long with "
        r"the style 'harvard-cite-them-right', more than its max_pages of 1 even without its optional extras: "
        r"shorten the texts it includes, name fewer recommendations, or raise max_pages"
    )
    config = str(project / "site_config.yml")
    assert main(["check", "-q", "--config", config]) == 1
    assert re.fullmatch(expected, capsys.readouterr().err.splitlines()[0])
    out = project / "site"
    out.mkdir()
    (out / "last-good.txt").write_text("kept")
    assert main(["build", "-q", "--config", config]) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(expected, err.splitlines()[0]) and "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["last-good.txt"]
    model, _ = build_model(project)  # rendering without check (as `serve` does) refuses it too, located
    with pytest.raises(PrintError, match=expected):
        render_briefings(model, project / "out", Progress(quiet=True))


def test_check_lays_out_once_and_build_reuses_it(project: Path, capsys, monkeypatch):
    """Layouts are cached in .cache/print/ by a hash of their input: unchanged briefings are not laid out again."""
    from generator.printing import layout, typst_pdf

    shutil.rmtree(project / ".cache" / "print", ignore_errors=True)  # laid out when the fixture was built
    config = str(project / "site_config.yml")
    compiled: list[str] = []
    real = typst_pdf.compile_pdf
    monkeypatch.setattr(typst_pdf, "compile_pdf", lambda text, day: compiled.append(text) or real(text, day))
    assert main(["check", "-q", "--config", config]) == 0
    (project / "content" / "briefings" / "event-fixture.yml").write_text(MORE_BRIEFINGS["event-fixture.yml"])
    assert main(["check", "-q", "--config", config]) == 0
    assert len(compiled) == 1  # the handout has a page limit; the event briefing has none
    assert main(["check", "-q", "--config", config]) == 0
    assert main(["build", "-q", "--config", config]) == 0
    assert len(compiled) == 2  # the build laid out only the event briefing
    path = project / "content" / "briefings" / "handout-adoption.yml"
    path.write_text(path.read_text().replace('title: "', 'title: "Changed ', 1))
    assert main(["check", "-q", "--config", config]) == 0
    assert len(compiled) == 3 and "Changed " in compiled[-1]
    monkeypatch.setattr(layout, "KEEP", 2)  # the least recently used go: here all but the handout's tree and PDF
    assert main(["check", "-q", "--config", config]) == 0
    assert len(list((project / ".cache" / "print").iterdir())) == 2
    assert main(["check", "-q", "--config", config]) == 0
    assert len(compiled) == 3
    capsys.readouterr()


def test_no_change_rebuild_runs_neither_pandoc_nor_typst_and_gives_the_same_bytes(project: Path, monkeypatch):
    """PDF and DOCX come from .cache/print/ while a briefing's input is unchanged; an edit renders only its briefing."""
    from generator.printing import pandoc, typst_pdf

    (project / "content" / "briefings" / "summary-fixture.yml").write_text(MORE_BRIEFINGS["summary-fixture.yml"])
    config, out = str(project / "site_config.yml"), project / "site"
    assert main(["build", "-q", "--config", config]) == 0
    first = {p.name: p.read_bytes() for p in (out / "briefings").iterdir()}
    runs: list[str] = []
    real_run, real_compile = pandoc.run, typst_pdf.compile_pdf
    monkeypatch.setattr(pandoc, "run", lambda data, source, to, *a: runs.append(to) or real_run(data, source, to, *a))
    monkeypatch.setattr(typst_pdf, "compile_pdf", lambda text, day: runs.append("pdf") or real_compile(text, day))
    assert main(["build", "-q", "--config", config]) == 0
    assert runs == []
    assert {p.name: p.read_bytes() for p in (out / "briefings").iterdir()} == first
    path = project / "content" / "briefings" / "handout-adoption.yml"
    path.write_text(path.read_text().replace('title: "', 'title: "Changed ', 1))
    assert main(["build", "-q", "--config", config]) == 0
    assert sorted(runs) == ["docx", "json", "pdf", "typst-smart"]  # the handout alone, once each
    assert "Changed" in " ".join(p.text for p in Document(str(out / "briefings" / "handout-adoption.docx")).paragraphs)
    assert (out / "briefings" / "summary-fixture.docx").read_bytes() == first["summary-fixture.docx"]


def test_briefing_naming_unknown_route_or_recommendation_fails_check(project: Path, capsys):
    path = project / "content" / "briefings" / "handout-adoption.yml"
    path.write_text(
        path.read_text().replace("routes: [adoption]", "routes: [adoptoin]\nrecommendations: [fixture-1, no-such-rec]")
    )
    assert main(["check", "--config", str(project / "site_config.yml")]) == 1
    err = capsys.readouterr().err
    assert "content/briefings/handout-adoption.yml:6:10: route 'adoptoin' does not exist" in err
    assert "content/briefings/handout-adoption.yml:7:30: recommendation 'no-such-rec' does not exist" in err


def test_default_content_handouts_fit_and_carry_their_figures(default_print):
    model, out = default_print
    for briefing in model.briefings:
        assert (out / f"{briefing.id}.pdf").is_file() and (out / f"{briefing.id}.docx").is_file()
        if briefing.kind != "route-handout":
            continue
        pdf = out / f"{briefing.id}.pdf"
        assert len(PdfReader(pdf).pages) <= (briefing.max_pages or 2), briefing.id
        text = text_of(pdf)
        assert flat(briefing.title) in text
        route = model.get("route", briefing.routes[0])
        for figure in route.figures:
            if figure.headline:
                assert flat(figure.value) in text, (briefing.id, figure.value)
        assert flat("References") in text


def test_default_summary_covers_every_route(default_print):
    model, out = default_print
    summary = next(b for b in model.briefings if b.kind == "summary")
    text = text_of(out / f"{summary.id}.pdf")
    for route_id in summary.routes:
        assert flat(model.get("route", route_id).title) in text
    headings = [p.text for p in Document(out / f"{summary.id}.docx").paragraphs if p.style.name == "Heading 1"]
    assert "References" in headings


def test_default_summary_is_a_summary(default_print):
    """Cover, contents and about a page per route: not the 28 pages that repeated every recommendation."""
    model, out = default_print
    summary = next(b for b in model.briefings if b.kind == "summary")
    assert len(PdfReader(out / f"{summary.id}.pdf").pages) < 14
    text = text_of(out / f"{summary.id}.pdf")
    assert text.count(flat("Main recommendations")) == len(summary.routes)
    handout = next(b for b in model.briefings if b.kind == "recommendations")
    assert flat(f"briefings/{handout.id}.pdf") in text


def test_default_docx_contents_show_when_opened(default_print):
    """The summary's table of contents holds its entries already, linked to the headings."""
    model, out = default_print
    summary = next(b for b in model.briefings if b.kind == "summary")
    path = out / f"{summary.id}.docx"
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    toc = body.xpath("//w:sdt/w:sdtContent", namespaces=ns)[0]
    texts = ["".join(p.xpath(".//w:t/text()", namespaces=ns)) for p in toc.xpath("./w:p", namespaces=ns)]
    assert texts[0] == "Contents"
    headings = [p.text for p in Document(path).paragraphs if p.style.name == "Heading 1"]
    assert texts[1:] == headings and len(headings) >= len(summary.routes) + 2
    anchors = toc.xpath(".//w:hyperlink/@w:anchor", namespaces=ns)
    assert len(anchors) == len(headings)
    assert set(anchors) <= set(body.xpath("//w:bookmarkStart/@w:name", namespaces=ns))
    # The entries are the TOC field's result: updating the field in Word adds page numbers.
    xml = etree.tostring(toc, encoding="unicode")
    assert re.search(r'fldCharType="separate"/>.*?w:anchor=.*?fldCharType="end"/>', xml, re.S)


def test_default_handouts_carry_the_evidence_rating(default_print):
    model, out = default_print
    handouts = [b for b in model.briefings if b.kind == "route-handout"]
    assert handouts
    for briefing in handouts:
        route = model.get("route", briefing.routes[0])
        for path in (out / f"{briefing.id}.pdf", out / f"{briefing.id}.docx"):
            text = text_of(path) if path.suffix == ".pdf" else flat(_docx_text(path))
            assert flat(f"Strength of the evidence: {route.evidence.rating}.") in text, path.name


def test_default_briefings_print_closing_quotes_the_right_way_round(default_print):
    """pandoc wrote curly quotes as straight ones and Typst then opened a quote after a bracket."""
    model, out = default_print
    for briefing in model.briefings:
        text = " ".join(page.extract_text() for page in PdfReader(out / f"{briefing.id}.pdf").pages)
        assert not re.search(r"[\])]‘", text), briefing.id
        assert text.count("‘") <= text.count("’"), briefing.id  # every opening quote closes (’ is also an apostrophe)


def _docx_text(path: Path) -> str:
    return " ".join(p.text for p in Document(path).paragraphs)


def test_default_headline_figures_carry_population_and_period_in_print(default_print):
    """Every headline figure of a route handout is printed with "population, period" (PDF and DOCX read back)."""
    model, out = default_print
    for briefing in (b for b in model.briefings if b.kind == "route-handout"):
        route = model.get("route", briefing.routes[0])
        pdf = text_of(out / f"{briefing.id}.pdf")
        doc = Document(out / f"{briefing.id}.docx")
        docx = flat(" ".join(cell.text for table in doc.tables for row in table.rows for cell in row.cells))
        for figure in (f for f in route.figures if f.headline):
            context = flat(figure.context).replace("'", "’")  # printed with typographic apostrophes
            assert context in pdf.replace("'", "’") and context in docx.replace("'", "’"), (briefing.id, figure.context)


def test_default_summary_prints_the_evidence_map(default_print):
    """The map's table, read back from the PDF: a row per route with its counts and gaps."""
    from generator import gapmap

    model, out = default_print
    summary = next(b for b in model.briefings if b.kind == "summary")
    text = text_of(out / f"{summary.id}.pdf")
    assert flat("Where the evidence is: the evidence map") in text
    assert flat(" ".join(model.config.outcomes.values())) in text
    for route_id in summary.routes:
        route = model.get("route", route_id)
        cells = " ".join(
            f"{len(c.studies)} {'study' if len(c.studies) == 1 else 'studies'}" if c.studies else "Gap"
            for c in gapmap.route_cells(route, model.config.outcomes)
        )
        assert flat(cells) in text, (route.title, cells)


def test_an_error_in_the_print_template_is_located_in_the_template(project: Path, capsys, monkeypatch):
    """A fault outside the content: exit 3, one line naming the template's path:line:col in the project."""
    from generator.printing import pandoc

    theme = project / "theme" / "print"
    shutil.copytree(pandoc.THEME, theme)
    template = theme / "briefing.typ"
    lines = template.read_text().splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("#let muted = rgb("))
    lines[line - 1] = "#let muted = rgb(nosuchcolour)\n"
    template.write_text("".join(lines))
    monkeypatch.setattr(pandoc, "THEME", theme)
    assert main(["check", "-q", "--config", str(project / "site_config.yml")]) == 3
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert (
        f"PrintError: theme/print/briefing.typ:{line}:18: Typst failed laying out the PDF of briefing "
        "'handout-adoption': unknown variable: nosuchcolour (a fault outside the content" in err
    )
    model, _ = build_model(project)
    with pytest.raises(PrintError, match=rf"^theme/print/briefing.typ:{line}:18: Typst failed making the PDF"):
        render_briefings(model, project / "out", Progress(quiet=True), project)


def test_a_typst_error_from_content_is_located_at_the_briefing(project: Path, capsys, monkeypatch):
    """Markup Typst cannot read that came from a briefing's texts: a content error at its file, exit 1."""
    from generator.printing import typst_pdf

    shutil.rmtree(project / ".cache" / "print", ignore_errors=True)  # laid out when the fixture was built
    real = typst_pdf.to_typst
    monkeypatch.setattr(typst_pdf, "to_typst", lambda ast, day: real(ast, day) + "\n#nosuchfunction()\n")
    config = str(project / "site_config.yml")
    expected = (
        r"content/briefings/handout-adoption.yml:1:1: Typst cannot print briefing 'handout-adoption' "
        r"\(line \d+ of its Typst markup\): unknown variable: nosuchfunction; look for unusual characters "
        "or markup in the texts it includes"
    )
    for command in ("check", "build"):
        assert main([command, "-q", "--config", config]) == 1
        err = capsys.readouterr().err.splitlines()
        assert re.fullmatch(expected, err[0]) and err[1] == "1 error(s), 0 warning(s)", err
    (project / "content" / "briefings" / "handout-adoption.yml").write_text(
        "id: handout-adoption\nkind: route-handout\ntitle: A\naudience: All\nroutes: [adoption]\n"
    )  # without a max_pages, check does not lay it out, and build finds it
    assert main(["check", "-q", "--config", config]) == 0
    assert main(["build", "-q", "--config", config]) == 1
    err = capsys.readouterr().err.splitlines()
    assert re.fullmatch(expected, err[0]) and err[-1] == "build stopped: the last good output is unchanged", err
    assert not (project / "site").exists()


HOSTILE = "#set text(red) $x$ [a] ]b[ *bold* _u_ @ref <lab> \\ & \" ' – 𝑥"  # Typst markup, Word XML, a non-BMP letter


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_typst_markup_and_word_characters_in_content_print_as_written(project: Path):
    """Plain fields (briefing title, route title, figure, source label) and Markdown reach PDF and DOCX as text.

    Straight quotes print as curly ones (typography, by design); nothing else changes.
    """
    plain = HOSTILE.replace(" <lab>", "")  # plain fields refuse anything that looks like HTML
    edits = {
        "content/briefings/handout-adoption.yml": [
            ('title: "Adoption: what the evidence says"', f"title: {_yaml('T1 ' + plain)}")
        ],
        "content/routes/adoption.md": [
            ("title: Adoption\n", f"title: {_yaml('R1 ' + plain)}\n"),
            ('value: "3.2%"', f"value: {_yaml('V1 ' + plain)}"),
            ("population: Children adopted from care in England", f"population: {_yaml('P1 ' + plain)}"),
        ],
        "content/sources/thoburn-2021.md": [("short_title: Thoburn (2021)", f"short_title: {_yaml('L1 ' + plain)}")],
        "content/recommendations/thoburn-2021.yml": [
            (
                "text: Offer support after adoption.",
                "text: " + _yaml(r"M1 \#set text(red) \$x\$ \[a\] \*bold\* \_u\_ \@ref &lt;lab&gt; \\ &amp; – 𝑥"),
            )
        ],
    }
    for name, changes in edits.items():
        path = project / name
        text = path.read_text()
        for old, new in changes:
            assert old in text
            text = text.replace(old, new)
        path.write_text(text)
    (project / "content" / "briefings" / "summary-x.yml").write_text(
        "id: summary-x\nkind: summary\ntitle: All\naudience: All\nroutes: [adoption, return-home]\n"
    )
    assert main(["check", "-q", "--config", str(project / "site_config.yml")]) == 0
    model, _ = build_model(project)
    out = project / "out"
    render_briefings(model, out, Progress(quiet=True))

    def straight(text: str) -> str:
        return flat(text).translate(str.maketrans("“”‘’", "\"\"''"))

    markdown = flat("M1 #set text(red) $x$ [a] *bold* _u_ @ref <lab> \\ & – 𝑥")
    for name, tags in (("handout-adoption", ["T1", "V1", "P1", "L1"]), ("summary-x", ["R1", "V1", "P1", "L1"])):
        docx = Document(out / f"{name}.docx")
        docx_text = straight(
            " ".join(
                [p.text for p in docx.paragraphs]
                + [cell.text for table in docx.tables for row in table.rows for cell in row.cells]
            )
        )
        pdf_text = straight(text_of(out / f"{name}.pdf"))
        for tag in tags:
            assert flat(f"{tag} {plain}") in pdf_text, (name, tag, "PDF")
            assert flat(f"{tag} {plain}") in docx_text, (name, tag, "DOCX")
        assert markdown in pdf_text and markdown in docx_text, name
    assert straight(Document(out / "handout-adoption.docx").core_properties.title) == flat(f"T1 {plain}")


def test_a_character_no_print_font_has_is_located_in_the_content(project: Path, capsys):
    """Typst refuses a character its fonts lack (PDF/UA): the error is at the text that holds it, exit 1."""
    shutil.rmtree(project / ".cache" / "print", ignore_errors=True)
    route = project / "content" / "routes" / "adoption.md"
    text = route.read_text().replace("Large cohort studies", "Large 😀 cohort studies")
    route.write_text(text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "😀" in t)
    col = text.splitlines()[line - 1].index("😀") + 1
    expected = (
        f"content/routes/adoption.md:{line}:{col}: '😀' cannot be printed in briefing 'handout-adoption': no font of "
        "the print briefings has this character; write it in words or leave it out"
    )
    for command in ("check", "build"):
        assert main([command, "-q", "--config", str(project / "site_config.yml")]) == 1
        assert capsys.readouterr().err.splitlines()[0] == expected
    from generator.serve import Builds, Preview  # the preview renders briefings on request: it says the same

    (project / "work").mkdir()
    preview = Preview(project, project / "site_config.yml", Builds(project / "work"), Progress(quiet=True))
    preview.model = build_model(project)[0]
    assert preview.briefings_folder() is None
    assert capsys.readouterr().err.splitlines() == [f"briefings failed: {expected}"]
