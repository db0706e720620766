"""Every family of CSL style (author-date, numeric, label, note) formats like pandoc's own output,
numbers in reading order, never leaves an orphan "Ibid.", and is found by any of its names."""

from __future__ import annotations

import html as html_lib
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pypandoc
import pytest
from pypdf import PdfReader

from generator import citeproc
from generator.cli import main
from generator.model import Citation, Model
from generator.printing import render_briefings
from generator.progress import Progress
from generator.resolve import build_model
from generator.web import render_site
from generator.web.pages import site_pages
from tests.conftest import FIXTURE, ROOT

FIRST = "[@farmer2014reunification]"  # the fixture's first citation in reading order (route return-home)


def model_with_style(project: Path, style: str) -> Model:
    config = project / "site_config.yml"
    config.write_text(config.read_text().replace("csl: harvard-cite-them-right", f"csl: {style}"))
    return build_model(project)[0]


def pandoc_plain(style: Path, first: str, keys: list[str], lang: str = "en-GB") -> tuple[str, list[str]]:
    """pandoc's own plain text for `style`: the citation `first`, then the bibliography entries.

    Before the bibliography, every key is cited once in `keys` order, so that numeric
    styles give each entry the number the site gives it.
    """
    doc = f"{first}\n\n{' '.join(f'[@{k}]' for k in keys)}\n\n::: {{#refs}}\n:::\n"
    out = subprocess.run(
        [
            pypandoc.get_pandoc_path(),
            "-f",
            "markdown",
            "-t",
            "plain",
            "--wrap=none",
            "--citeproc",
            f"--csl={style}",
            f"--bibliography={FIXTURE / 'references.bib'}",
            "-M",
            f"lang={lang}",
        ],
        input=doc,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    paragraphs = out.strip().split("\n\n")
    citation, entries, notes = paragraphs[0], paragraphs[2 : 2 + len(keys)], paragraphs[2 + len(keys) :]
    if notes:  # a note style: the citation is footnote [1]
        citation = notes[0].removeprefix("[1] ")
    return citation, entries


def citation(model: Model, source: str) -> Citation:
    """The citation written as `source` in a route or a recommendation."""
    texts = [
        t
        for r in model.routes
        for t in (r.summary, *r.key_messages, *(s.body for s in r.sections), *(f.citation for f in r.figures))
    ]
    texts += [rec.citation for rec in model.recommendations]
    return next(c for t in texts for c in t.citations if c.source == source)


FAMILIES = [
    ("harvard-cite-them-right", "author-date"),
    ("apa", "author-date"),
    ("ieee", "numeric"),
    ("vancouver", "numeric"),  # renamed: nlm-citation-sequence
    ("american-mathematical-society-label", "label"),
    ("chicago-notes-bibliography", "note"),
    ("chicago-fullnote-bibliography", "note"),  # renamed: chicago-notes-bibliography
]


@pytest.mark.parametrize("name,family", FAMILIES)
def test_each_family_matches_pandocs_own_output(project, name, family):
    model = model_with_style(project, name)
    keys = [r.key for r in model.references]
    expected_citation, expected_entries = pandoc_plain(citeproc.resolve_style(name, project).path, FIRST, keys)
    cited = citation(model, FIRST)
    assert cited.text == expected_citation
    assert cited.note == (family == "note")
    assert [r.text for r in model.references] == expected_entries
    for ref in model.references:  # complete entries, no <div> inside the <p> they are shown in
        assert not re.fullmatch(r"\W*\d+\W*", ref.text) and len(ref.text) > 40, ref.text
        assert "<div" not in ref.html
    if family == "numeric":
        assert re.match(
            r'<span class="csl-left-margin">\[?1[\].]*</span> <span class="csl-right-inline">.+</span>$',
            model.references[0].html,
        )


def test_numbers_follow_first_citation_in_reading_order(project):
    model = model_with_style(project, "ieee")
    assert citation(model, FIRST).text == "[1]"  # route return-home (order 1) cites Farmer first
    assert [r.key for r in model.references] == ["farmer2014reunification", "thoburn2021routes", "selwyn2014beyond"]
    assert [r.text[:3] for r in model.references] == ["[1]", "[2]", "[3]"]
    bib, style = FIXTURE / "references.bib", citeproc.resolve_style("ieee", FIXTURE)
    forward = citeproc.format_all(["[@thoburn2021routes]", "[@farmer2014reunification]"], bib, style, "en-GB")
    backward = citeproc.format_all(["[@farmer2014reunification]", "[@thoburn2021routes]"], bib, style, "en-GB")
    assert forward.citations["[@thoburn2021routes]"][0] == backward.citations["[@farmer2014reunification]"][0] == "[1]"
    assert forward.order[0] == "thoburn2021routes" and backward.order[0] == "farmer2014reunification"


def test_note_style_never_gives_an_orphan_ibid(project):
    """Farmer is cited three times running; each citation is shown on its own, so none may be "Ibid."."""
    model = model_with_style(project, "chicago-notes-bibliography-subsequent-ibid")
    texts = {
        c.source: c.text
        for r in model.routes
        for t in (r.summary, *r.key_messages, *(s.body for s in r.sections))
        for c in t.citations
    }
    assert texts["[@farmer2014reunification, p. 350]"] == "Farmer, ‘Improving Reunification Practice’, 350."
    assert not [t for t in texts.values() if re.match(r"(?i)ibid", t) or t.endswith("..")]


def test_note_style_keeps_an_in_text_author_in_the_sentence(project):
    """@key [p. 12] in a note style: the author stays in the sentence, the rest goes into the note."""
    model = model_with_style(project, "chicago-notes-bibliography")
    cited = citation(model, "@selwyn2014beyond [p. 12]")
    assert (cited.note, cited.lead, cited.text) == (True, "Selwyn et al.", "Beyond the Adoption Order, 12.")
    text = next(
        t
        for r in model.routes
        for t in (r.summary, *r.key_messages, *(s.body for s in r.sections))
        if cited in t.citations
    )
    assert 'Selwyn et al.<a class="citation note"' in text.html(lambda target: "#")


def test_note_style_prints_real_footnotes(project, tmp_path):
    model = model_with_style(project, "chicago-notes-bibliography")
    written = render_briefings(model, tmp_path, Progress(quiet=True))
    docx = next(p for p in written if p.name == "handout-adoption.docx")
    with zipfile.ZipFile(docx) as z:
        notes = z.read("word/footnotes.xml").decode("utf-8")
        body = z.read("word/document.xml").decode("utf-8")
    note = citation(model, "[@selwyn2014beyond, p. 12]")
    assert "Beyond the Adoption Order" in note.text
    assert "Beyond the Adoption Order" in re.sub(r"<[^>]+>", "", notes)
    assert "footnoteReference" in body and "†" not in body
    pdf = "".join(page.extract_text() for page in PdfReader(tmp_path / "handout-adoption.pdf").pages)
    assert "Beyond the Adoption Order" in pdf and "†" not in pdf


def test_dependent_style_by_name_runs_as_its_parent_in_its_own_locale(project):
    style = citeproc.resolve_style("berliner-journal-fur-soziologie", project)
    assert style.path.name == "springer-socpsych-author-date.csl"
    assert (style.title, style.locale) == ("Berliner Journal für Soziologie (Deutsch)", "de-DE")
    model = model_with_style(project, "berliner-journal-fur-soziologie")
    assert model.config.csl_title == "Berliner Journal für Soziologie (Deutsch)"
    expected, entries = pandoc_plain(style.path, FIRST, [r.key for r in model.references], lang="de-DE")
    assert citation(model, FIRST).text == expected
    assert [r.text for r in model.references] == entries


@pytest.mark.parametrize(
    "old,new",
    [
        ("vancouver", "nlm-citation-sequence.csl"),
        ("chicago-note-bibliography", "chicago-shortened-notes-bibliography.csl"),
        ("chicago-fullnote-bibliography", "chicago-notes-bibliography.csl"),
    ],
)
def test_renamed_styles_are_found_under_their_old_names(old, new):
    assert citeproc.resolve_style(old, FIXTURE).path.name == new


def test_unknown_style_suggests_the_nearest_names(project, capsys):
    config = project / "site_config.yml"
    config.write_text(config.read_text().replace("csl: harvard-cite-them-right", "csl: chicago-notes-biblography"))
    assert main(["check", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert re.search(
        r"site_config.yml:\d+:\d+: unknown CSL style 'chicago-notes-biblography': did you mean "
        r"chicago-notes-bibliography, ",
        err,
    )


def test_malformed_csl_file_is_reported_by_check_in_the_file(project, capsys):
    """Broken XML is located in the .csl file itself (relative to the project); other faults at `csl:`."""
    (project / "styles").mkdir()
    (project / "styles" / "mine.csl").write_text(
        '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">\n<info>\n</style>\n'
    )
    config = project / "site_config.yml"
    config.write_text(config.read_text().replace("csl: harvard-cite-them-right", "csl: styles/mine.csl"))
    assert main(["check", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert (
        "styles/mine.csl:4:3: 'mine.csl' is not well-formed XML: mismatched tag; fix the .csl file or use a style name"
        in err.splitlines()
    )
    assert "references.bib" not in err and "site_config.yml" not in err
    (project / "mine.csl").write_text('<style xmlns="http://purl.org/net/xbiblio/csl"><info/></style>')
    config.write_text(config.read_text().replace("csl: styles/mine.csl", "csl: mine.csl"))
    (project / "mine.csl").write_text('<style xmlns="http://purl.org/net/xbiblio/csl"><info/></style>')
    assert main(["check", "--config", str(config)]) == 1
    assert "'mine.csl' is not a CSL style: it has no <citation> element" in capsys.readouterr().err


def test_default_content_builds_with_a_numeric_style(tmp_path):
    """The site's bibliography page lists every entry whole, numbered in reading order."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "references.bib", project)
    text = (ROOT / "site_config.yml").read_text()
    (project / "site_config.yml").write_text(re.sub(r"(?m)^csl: .*$", "csl: ieee", text))
    model = build_model(project)[0]
    (tmp_path / "site").mkdir()
    render_site(model, tmp_path / "site", Progress(quiet=True))
    page = (tmp_path / "site" / "bibliography.html").read_text(encoding="utf-8")
    entries = re.findall(r'<h3 id="[^"]+" class="pb-ref__text">(.*?)</h3>', page, re.DOTALL)
    assert len(entries) == len(model.references) > 50
    for number, (entry, ref) in enumerate(zip(entries, model.references, strict=True), 1):
        assert entry.startswith(f'<span class="csl-left-margin">[{number}]</span> <span class="csl-right-inline">')
        assert "<div" not in entry
        assert html_lib.unescape(re.sub(r"<[^>]+>", "", entry)) == ref.text
        if ref.title:
            assert ref.title.split()[-1].lower().strip(".:") in ref.text.lower(), ref.text
        else:  # a secondary citation: the work it was read in stands in for a title
            assert ", cited in [" in ref.text, ref.text
    # the first route's text, as read, introduces references in the order of their numbers
    route = (tmp_path / "site" / "routes" / f"{model.routes[0].id}.html").read_text(encoding="utf-8")
    text = route[route.index("<article") : route.index('id="voices"')]
    numbers = [
        int(n)
        for cite in re.findall(r'<a class="citation"[^>]*>(.*?)</a>', text)
        for n in re.findall(r"\[(\d+)[],]", cite)
    ]
    firsts = list(dict.fromkeys(numbers))
    assert len(firsts) > 10 and firsts == list(range(1, len(firsts) + 1))


def _default_content_in(style: str, tmp_path: Path) -> str:
    """A copy of the default content set in `style`; returns its config path."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "references.bib", root)
    text = (ROOT / "site_config.yml").read_text()
    (root / "site_config.yml").write_text(re.sub(r"(?m)^csl: .*$", f"csl: {style}", text))
    return str(root / "site_config.yml")


def test_default_content_in_a_note_style_prints_every_handout_within_its_limit(tmp_path, capsys):
    """Footnotes as compact as the reference list; where a handout still runs over, it drops its
    reference list first (each work's first note gives it in full), then its other extras."""
    config = _default_content_in("chicago-note-bibliography", tmp_path)
    assert main(["check", "-q", "--config", config]) == 0, capsys.readouterr().err
    assert main(["build", "-q", "--config", config]) == 0, capsys.readouterr().err
    handouts = sorted((tmp_path / "project" / "site" / "briefings").glob("handout-*.pdf"))
    assert len(handouts) == 6
    without_list = 0
    for pdf in handouts:
        reader = PdfReader(pdf)
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert len(reader.pages) <= 2, pdf.name
        assert ".." not in text.replace("...", ""), pdf.name
        without_list += "\nReferences\n" not in text
    assert 0 < without_list < len(handouts)  # some keep their list: it goes only where room runs out


def test_a_style_that_pushes_a_handout_over_its_limit_is_a_located_error(tmp_path, capsys):
    """MLA's longer entries push the return-home handout to 3 pages: `check` says where, never exit 3."""
    style = "modern-language-association"
    config = _default_content_in(style, tmp_path)
    code = main(["check", "-q", "--config", config])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    *errors, count = err.splitlines()
    located = (
        rf"content/briefings/handout-[a-z-]+\.yml:6:12: briefing 'handout-[a-z-]+' is \d+ pages long with the style "
        rf"'{style}', more than its max_pages of 2 even without its optional extras: shorten the texts it includes, "
        r"name fewer recommendations, or raise max_pages"
    )
    assert errors and all(re.fullmatch(located, e) for e in errors), errors
    assert count == f"{len(errors)} error(s), 0 warning(s)"
    assert main(["build", "-q", "--config", config]) == 1
    assert capsys.readouterr().err.splitlines()[:-2] == errors and not (tmp_path / "project" / "site").exists()


def test_a_secondary_citation_in_a_note_style_ends_in_one_full_stop(tmp_path):
    """The parent's note ends in '.': "Hunt. 2020, cited in <parent>." not "… (KEE 4).."."""
    model = build_model(tmp_path / "project", Path(_default_content_in("chicago-notes-bibliography", tmp_path)))[0]
    secondary = [r for r in model.references if ", cited in " in r.text]
    assert secondary
    for ref in secondary:
        assert ref.text.endswith(".") and ".." not in ref.text, ref.text


class _Notes(HTMLParser):
    """Note markers, notes and their back-links of a page body, in document order."""

    def __init__(self, body: str):
        super().__init__(convert_charrefs=True)
        self.markers: list[dict] = []  # {"id", "href", "title", "label"}
        self.notes: list[dict] = []  # {"id", "back", "text"}
        self.pos: list[str] = []  # "marker" or "note", in document order
        self._in: str | None = None
        self._depth = 0
        self.feed(body)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._in == "text" and tag == "span":
            self._depth += 1
        if tag == "a" and "note" in (a.get("class") or "").split() and "citation" in a["class"].split():
            self.markers.append({"id": a.get("id"), "href": a["href"], "title": a["title"], "label": ""})
            self.pos.append("marker")
            self._in = "marker"
        elif tag == "li" and (a.get("id") or "").startswith("note-"):
            self.notes.append({"id": a["id"], "back": None, "text": ""})
            self.pos.append("note")
        elif tag == "a" and a.get("class") == "pb-note__back":
            self.notes[-1]["back"] = a["href"]
        elif tag == "span" and a.get("class") == "pb-note__text":
            self._in, self._depth = "text", 1

    def handle_endtag(self, tag):
        if self._in == "marker" and tag == "a":
            self._in = None
        elif self._in == "text" and tag == "span":
            self._depth -= 1
            if not self._depth:
                self._in = None

    def handle_data(self, data):
        if self._in == "marker":
            self.markers[-1]["label"] += data
        elif self._in == "text":
            self.notes[-1]["text"] += data


def test_note_style_on_the_web_numbers_markers_in_reading_order_and_lists_the_notes_at_the_foot(project):
    route_file = project / "content" / "routes" / "adoption.md"
    text = route_file.read_text(encoding="utf-8")
    route_file.write_text(text.replace("## What helps\n", "## What helps [@thoburn2021routes]\n"), encoding="utf-8")
    model = model_with_style(project, "chicago-notes-bibliography")
    pages = {p.path: p for p in site_pages(model)}
    with_notes = 0
    for page in pages.values():
        found = _Notes(page.body)
        n = len(found.markers)
        assert "†" not in page.body and "note-text" not in page.body and "†" not in page.description, page.path
        if not n:
            assert not found.notes and "notes" not in [h.id for h in page.toc], page.path
            continue
        with_notes += 1
        # markers: superscript numbers 1..n in reading order, each a link to its note
        assert [m["label"] for m in found.markers] == [str(i) for i in range(1, n + 1)], page.path
        assert [(m["id"], m["href"]) for m in found.markers] == [
            (f"note-{i}-ref", f"#note-{i}") for i in range(1, n + 1)
        ]
        # the notes: one per marker, after the last marker, each linking back to its marker
        assert found.pos == ["marker"] * n + ["note"] * n, page.path
        assert [(x["id"], x["back"]) for x in found.notes] == [(f"note-{i}", f"#note-{i}-ref") for i in range(1, n + 1)]
        # a note holds the same formatted note as print; the marker's tooltip is its text
        for marker, note in zip(found.markers, found.notes, strict=True):
            assert note["text"] == marker["title"] and len(note["text"]) > 10
        assert page.body.count('<h2 id="notes">Notes</h2>') == 1 and page.toc[-1].id == "notes", page.path
    assert with_notes >= 3
    helps = next(h for h in pages["routes/adoption"].toc if h.id == "what-helps")  # a marker in a heading
    assert helps.text == "What helps" and 'id="note-' not in helps.html
    assert re.search(
        r'<h2 id="what-helps">What helps<a class="citation note" [^>]*><sup>\d+</sup></a></h2>',
        route := pages["routes/adoption"].body,
    )
    # the number sits against the word it follows; an in-text author stays in the sentence
    assert re.search(r"[\w.)]<a class=\"citation note\"", route)
    note = citation(model, "[@selwyn2014beyond, p. 12]")
    assert "<em>Beyond the Adoption Order" in note.html and f'<span class="pb-note__text">{note.html}</span>' in route
    assert 'href="../bibliography.html#ref-selwyn2014beyond">Bibliography entry<span class="pb-sr">' in route


def test_other_families_keep_their_citations_on_the_web(project):
    """Author-date: no note markers, no list of notes; the citation is the link's text."""
    model = model_with_style(project, "harvard-cite-them-right")
    route = next(p for p in site_pages(model) if p.path == "routes/adoption")
    assert "pb-notes" not in route.body and 'id="note-' not in route.body and "citation note" not in route.body
    assert ">(Selwyn, Wijedasa and Meakings, 2014, p. 12)</a>" in route.body


@pytest.mark.parametrize(
    "style",
    ["harvard-cite-them-right", "ieee", "american-mathematical-society-label", "chicago-note-bibliography"],
    ids=["author-date", "numeric", "label", "note"],
)
def test_default_content_builds_in_each_family_with_whole_references_on_the_web_in_pdf_and_docx(style, tmp_path):
    """Every reference on the bibliography page is the model's whole entry; every briefing's
    reference list, read back from the DOCX, holds whole entries of the model, and the PDF
    prints the same entries."""
    import docx

    config = _default_content_in(style, tmp_path)
    assert main(["build", "-q", "--config", config]) == 0
    site = tmp_path / "project" / "site"
    model = build_model(tmp_path / "project", Path(config))[0]
    texts = {" ".join(r.text.split()) for r in model.references}
    page = (site / "bibliography.html").read_text(encoding="utf-8")
    shown = re.findall(r'<h3 id="[^"]+" class="pb-ref__text">(.*?)</h3>', page, re.DOTALL)
    assert len(shown) == len(model.references)
    assert {" ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", e)).split()) for e in shown} == texts
    listed = 0
    for b in model.briefings:
        paragraphs = [
            " ".join(p.text.split()) for p in docx.Document(str(site / "briefings" / f"{b.id}.docx")).paragraphs
        ]
        if "References" not in paragraphs:
            continue  # a note-style handout that gave up its list for room: its first notes give each work
        entries = [p for p in paragraphs[paragraphs.index("References") + 1 :] if p]  # the list ends the briefing
        assert entries and all(e in texts for e in entries), (b.id, [e for e in entries if e not in texts])
        pdf = "".join("".join(p.extract_text() for p in PdfReader(site / "briefings" / f"{b.id}.pdf").pages).split())
        for entry in entries:
            assert "".join(entry.split()) in pdf, (b.id, entry)
        listed += 1
    assert listed >= len(model.briefings) - 3
