"""The resolved model: back-links computed once, cross-references rendered, JSON dump complete."""

from __future__ import annotations

import json

from generator.cli import main
from generator.resolve import build_model


def test_back_links(project):
    model, _ = build_model(project)
    adoption = model.get("route", "adoption")
    assert adoption.recommendations == ("fixture-1", "fixture-2")  # fixture-2 serves [all]
    assert adoption.voices == ("young-person-1",)
    assert adoption.topics == ("stability",)
    assert model.get("route", "return-home").recommendations == ("fixture-2",)
    assert model.get("recommendation", "fixture-2").routes == ("return-home", "adoption")
    assert model.get("source", "thoburn-2021").recommendations == ("fixture-1", "fixture-2")
    cited_by = [(b.target, b.page, b.anchor) for b in model.get("reference", "thoburn2021routes").cited_by]
    assert cited_by == [
        (("route", "adoption"), "routes/adoption", None),
        (("topic", "stability"), "topics/stability", None),
        (("source", "thoburn-2021"), "sources/thoburn-2021", None),
        (("recommendation", "fixture-1"), "recommendations", "fixture-1"),
        (("recommendation", "fixture-2"), "recommendations", "fixture-2"),
        (("voice", "young-person-1"), "voices", "young-person-1"),
    ]


def test_cross_references_and_abbreviations(project):
    model, _ = build_model(project)
    route = model.get("route", "adoption")
    html = route.key_messages[1].html(lambda t: f"/{t[0]}/{t[1]}")
    assert '<a href="/route/return-home" class="xref">Return home</a>' in html
    assert '<a href="/recommendation/fixture-1" class="xref">Thoburn (2021), recommendation 1</a>' in html
    body = route.section("what-the-research-says").body.html(lambda t: "#")
    assert '<abbr title="Special Guardianship Order">SGO</abbr>' in body
    assert "<abbr" not in route.section("what-the-research-says").body.html(lambda t: "#", abbreviations=False)


def test_model_json(project, capsys):
    out = project / "site"
    assert main(["build", "--config", str(project / "site_config.yml"), "--out", str(out), "-q"]) == 0
    data = json.loads((out / "model.json").read_text())
    ref = next(r for r in data["references"] if r["key"] == "selwyn2014beyond")
    assert ref["text"].startswith("Selwyn, J., Wijedasa, D. and Meakings, S. (2014)")
    assert {tuple(b["target"]) for b in ref["cited_by"]} == {("route", "adoption")}
    route = next(r for r in data["routes"] if r["id"] == "adoption")
    assert route["figures"][0]["citation"]["citations"][0]["text"] == "(Selwyn, Wijedasa and Meakings, 2014, p. 12)"
    assert 'href="bibliography.html#ref-selwyn2014beyond"' in route["figures"][0]["citation"]["html"]


def test_failed_build_leaves_last_good_output(project, capsys):
    out = project / "site"
    config = str(project / "site_config.yml")
    assert main(["build", "--config", config, "--out", str(out), "-q"]) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    route = project / "content/routes/adoption.md"
    route.write_text(route.read_text().replace("[](route:return-home)", "[](route:nowhere)"))
    assert main(["build", "--config", config, "--out", str(out), "-q"]) == 1
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith("site.") or p.name == "site") == ["site"]
    assert "the last good output is unchanged" in capsys.readouterr().err


def test_renderer_failure_leaves_last_good_output(project, capsys, monkeypatch):
    out = project / "site"
    config = str(project / "site_config.yml")
    assert main(["build", "--config", config, "--out", str(out), "-q"]) == 0
    before = (out / "model.json").read_bytes()

    def broken(*args):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("generator.build.model_to_json", broken)
    assert main(["build", "--config", config, "--out", str(out), "-q"]) == 3
    assert (out / "model.json").read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith("site.") or p.name == "site") == ["site"]


def test_builds_are_reproducible(project, tmp_path):
    """Two full builds (website, briefings, model) of the same input are byte-identical,
    the second from what the first cached (citations, compiled templates)."""
    config = str(project / "site_config.yml")
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["build", "--config", config, "--out", str(a), "-q"]) == 0
    cached = {p.name: len(list(p.iterdir())) for p in (project / ".cache").iterdir()}
    assert {"citeproc", "jinja"} <= cached.keys() and all(cached.values())
    assert main(["build", "--config", config, "--out", str(b), "-q"]) == 0
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert {
        "model.json",
        "index.html",
        "briefings/handout-adoption.pdf",
        "briefings/handout-adoption.docx",
        "data/figures.csv",
        "data/map.json",
        "data/references.json",
    } <= {f.as_posix() for f in files}
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert [f for f in files if (a / f).read_bytes() != (b / f).read_bytes()] == []
