"""Open data, "cite this page" and the changes between editions."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import bibtexparser
import jsonschema
import pytest

from generator import citecache, citeproc, citethis, editions, opendata
from generator.problems import ContentError
from generator.resolve import build_model
from tests.test_check import edit

ROOT = Path(__file__).parent.parent
SCHEMAS = ROOT / "docs" / "schemas"


@pytest.fixture(scope="module")
def model():
    return build_model(ROOT)[0]


@pytest.fixture(scope="module")
def files(model):
    return opendata.data_files(model, ROOT / "references.bib")


@pytest.mark.parametrize(
    "name, schema",
    [
        ("figures.json", "figures"),
        ("recommendations.json", "recommendations"),
        ("references.json", "references"),
        ("map.json", "map"),
    ],
)
def test_json_files_validate_against_their_schemas(files, name, schema):
    schema = json.loads((SCHEMAS / f"{schema}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(files[name]), schema, format_checker=jsonschema.FormatChecker())


def test_figures_csv_round_trips_to_the_models_figures(model, files):
    data = files["figures.csv"]
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so spreadsheets read UTF-8"
    assert b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    figures = [f for owner in (*model.routes, *model.topics) for f in owner.figures]
    assert len(rows) == len(figures)
    for row, fig in zip(rows, figures, strict=True):
        assert (row["route"], int(row["number"]), row["value"], row["population"], row["outcome"]) == (
            fig.route,
            fig.number,
            fig.value,
            fig.population,
            fig.outcome or "",
        )
        assert row["measure"] == " ".join(opendata.plain(fig.measure).split())
        assert row["citation_key"].split("; ") == [k for c in fig.citation.citations for k in c.keys]
        assert row["citation"] == " ".join(c.text for c in fig.citation.citations)
        assert row["url"].endswith(
            f"/{'routes' if row['kind'] == 'route' else 'topics'}/{fig.route}.html#figure-{fig.number}"
        )
    assert "→" in data.decode("utf-8-sig"), "non-ASCII survives"


def test_locators_are_kept_per_key(model):
    fig = model.get("route", "adoption").figures[0]
    assert opendata.cited(fig.citation.citations) == [
        {"key": "selwyn2014beyond", "locator": ""},
        {"key": "apsw2021kee", "locator": "sec. Permanent family placement"},
    ]


def test_recommendations_csv_lists_routes_and_audiences(model, files):
    rows = list(csv.DictReader(io.StringIO(files["recommendations.csv"].decode("utf-8-sig"), newline="")))
    assert [r["id"] for r in rows] == [r.id for r in model.recommendations]
    first = model.recommendations[0]
    assert rows[0]["routes"].split("; ") == list(first.routes)
    assert rows[0]["audience"].split("; ") == list(first.audience)


def test_bibliography_files_hold_every_reference(model, files):
    assert files["references.bib"] == (ROOT / "references.bib").read_bytes()
    ids = {item["id"] for item in json.loads(files["references.json"])}
    assert ids == {r.key for r in model.references}


def test_data_files_are_byte_identical_across_builds(model, files):
    assert opendata.data_files(model, ROOT / "references.bib") == files


def test_cite_this_page_in_the_configured_style_and_bibtex(project):
    model = build_model(project)[0]
    cites = {c.page: c for c in citethis.page_citations(model, citeproc.resolve_style(model.config.csl, project))}
    assert list(cites) == ["routes/return-home", "routes/adoption", "topics/stability"]
    adoption = cites["routes/adoption"]
    assert adoption.text == (
        "Test (2026) Adoption, Fixture Briefings. Available at: https://example.org/fixture/routes/adoption.html."
    )
    entry = bibtexparser.parse_string(adoption.bibtex).entries[0]
    assert entry.entry_type == "online"
    assert entry.fields_dict["url"].value == "https://example.org/fixture/routes/adoption.html"
    assert entry.fields_dict["date"].value == "2026-01-01"
    assert entry.fields_dict["title"].value == "Adoption"


def _alone(model, page: str, title: str, style: citeproc.Style, tmp: Path) -> tuple[str, str]:
    """A page's entry as pandoc formats it on its own, with the style as published."""
    path = tmp / "one.json"
    path.write_text(json.dumps([citethis.csl_entry(model, page, title)], ensure_ascii=False), encoding="utf-8")
    formatted, key = citeproc.format_all([], path, style, model.config.language), citethis.page_key(model, page)
    return formatted.reference_text[key], formatted.references[key]


@pytest.mark.parametrize("name", ["harvard-cite-them-right", "apa", "ieee", "chicago-note-bibliography"])
def test_cite_this_page_formats_every_page_in_one_run_as_pandoc_does_alone(project, tmp_path, monkeypatch, name):
    model = build_model(project)[0]
    style = citeproc.resolve_style(name, project)
    pages = citethis.cited_pages(model)
    assert len(pages) >= 2  # every page: the same publisher, the same edition year
    runs = []
    real = citeproc.format_all
    monkeypatch.setattr(citeproc, "format_all", lambda *a: runs.append(a) or real(*a))
    cites = citethis.page_citations(model, style)
    assert len(runs) == 1
    monkeypatch.setattr(citeproc, "format_all", real)
    for cite, (page, title) in zip(cites, pages, strict=True):
        assert (cite.text, cite.html) == _alone(model, page, title, style, tmp_path)
        assert f"({model.config.edition.year}a)" not in cite.text and "———" not in cite.text


def test_cite_this_page_without_standalone_style_would_add_year_suffixes(project, tmp_path):
    """Why `standalone` exists: formatted together with the published style, the pages get 2026a, 2026b."""
    model = build_model(project)[0]
    style = citeproc.resolve_style("harvard-cite-them-right", project)
    path = tmp_path / "pages.json"
    path.write_text(json.dumps([citethis.csl_entry(model, p, t) for p, t in citethis.cited_pages(model)]))
    together = citeproc.format_all([], path, style, model.config.language).reference_text.values()
    assert any(f"({model.config.edition.year}a)" in text for text in together)


def test_cite_this_page_is_cached(project, monkeypatch):
    model = build_model(project)[0]
    style = citeproc.resolve_style(model.config.csl, project)
    first = citethis.page_citations(model, style, project / ".cache")
    citecache._MEMORY.clear()  # a new process
    monkeypatch.setattr(citeproc, "format_all", lambda *a: pytest.fail("pandoc ran again"))
    assert citethis.page_citations(model, style, project / ".cache") == first


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


def tag_first_edition(project: Path, editions: str = "  - {date: 2026-01-01, ref: first}\n") -> None:
    """The project as a git repository whose one commit is tagged `first`; the working tree is
    then a new edition whose `editions:` are `editions` (YAML list lines)."""
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "first edition")
    _git(project, "tag", "first")
    edit(project / "site_config.yml", "edition: 2026-01-01\n", "edition: 2026-06-01\neditions:\n" + editions)


def test_changes_page_lists_what_each_edition_changed(project):
    tag_first_edition(project, "  - {date: 2026-01-01, ref: first, note: First edition}\n")
    edit(
        project / "content/routes/adoption.md",
        "    headline: true\n",
        """    headline: true
  - value: "1 in 3"
    measure: adoptive families report distress
    population: Adoptive families
    citation: "[@selwyn2014beyond, p. 40]"
    outcome: stability
""",
    )
    model = build_model(project)[0]
    history = editions.history(model, project, project / "site_config.yml")
    assert [(e.date.isoformat(), e.ref, e.previous and e.previous.isoformat()) for e in history] == [
        ("2026-06-01", "", "2026-01-01"),
        ("2026-01-01", "first", None),
    ]
    assert "<h3>Figures</h3>" in history[0].html
    assert "Added on Adoption: <strong>1 in 3</strong> adoptive families report distress" in history[0].html
    assert history[1].html == "" and history[1].note == "First edition"


def test_check_refuses_an_edition_ref_that_is_not_a_commit(project):
    tag_first_edition(project, "  - {date: 2026-01-01, ref: first}\n  - {date: 2025-01-01, ref: no-such-tag}\n")
    with pytest.raises(ContentError) as caught:
        build_model(project)
    lines = config_lines(project)
    problems = [str(p) for p in caught.value.problems.sorted()]
    assert problems == [
        f"site_config.yml:{lines.index('  - {date: 2025-01-01, ref: no-such-tag}') + 1}:29: edition ref "
        "'no-such-tag': 'no-such-tag' is not a commit; name a git tag or commit that holds that edition"
    ]


def test_an_earlier_edition_that_lists_its_own_editions_is_compared(project):
    """An edition is unpacked outside the repository to be built; its own `editions:` are not checked there."""
    tag_first_edition(project)
    _git(project, "commit", "-qam", "second edition")
    _git(project, "tag", "second")
    edit(project / "site_config.yml", "edition: 2026-06-01\n", "edition: 2026-09-01\n")
    edit(project / "site_config.yml", "editions:\n", "editions:\n  - {date: 2026-06-01, ref: second}\n")
    model = build_model(project)[0]
    history = editions.history(model, project, project / "site_config.yml")
    assert [e.ref for e in history] == ["", "second", "first"]
    assert not any("cannot be built" in e.html for e in history), [e.html for e in history]


def config_lines(project):
    return (project / "site_config.yml").read_text(encoding="utf-8").splitlines()
