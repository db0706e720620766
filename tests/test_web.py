"""The website as built files: pages, back-links, anchors, links, reproducibility, no other hosts."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
import yaml

from generator.model import anchor_for
from generator.progress import Progress
from generator.resolve import build_model
from generator.web import render_site
from generator.web.engines.mkdocs import mkdocs_config
from generator.web.pages import site_pages
from generator.web.render import THEME

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"


class Page(HTMLParser):
    """The ids, links and resource references of one HTML file."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.resources.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical", "prev", "next", "alternate"):
            self.resources.append(a["href"])


def parsed(site: Path) -> dict[str, Page]:
    return {
        p.relative_to(site).as_posix(): Page(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.html"))
        if p.name != "404.html"
    }


@pytest.fixture(scope="module")
def default_model():
    model, _ = build_model(ROOT, ROOT / "site_config.yml")
    return model


@pytest.fixture(scope="module")
def site(built_site):
    return parsed(built_site)


def test_every_page_of_the_model_exists(built_site, default_model):
    m = default_model
    expected = ["index", "compare", "recommendations", "bibliography", "glossary", "voices", "downloads"]
    expected += [f"routes/{r.id}" for r in m.routes] + [f"topics/{t.id}" for t in m.topics]
    expected += [f"sources/{s.id}" for s in m.sources] + [p.id for p in m.pages]
    for page in expected:
        assert (built_site / f"{page}.html").is_file(), page
    assert (built_site / "model.json").is_file()


def test_every_item_has_its_anchor(site, default_model):
    m = default_model
    for target in (
        [("recommendation", r.id) for r in m.recommendations]
        + [("reference", r.key) for r in m.references]
        + [("term", t.id) for t in m.terms]
        + [("voice", v.id) for v in m.voices]
        + [("briefing", b.id) for b in m.briefings]
        + [("figure", f"{r.id}/{f.number}") for r in m.routes for f in r.figures]
    ):
        page, anchor = m.address(target)
        assert anchor in site[f"{page}.html"].ids, target


def test_route_pages_list_their_main_recommendations_voices_and_handout(site, default_model):
    for route in default_model.routes:
        links = site[f"routes/{route.id}.html"].links
        assert 0 < len(route.main_recommendations) <= 6
        for rec in route.main_recommendations:
            assert f"../recommendations.html#{anchor_for(rec)}" in links, (route.id, rec)
        assert f"../recommendations.html?route={route.id}" in links  # all of them, filtered to the route
        for voice in route.voices[:2]:
            assert f"../voices.html#{anchor_for(voice)}" in links
        handouts = [b for b in default_model.briefings if b.kind == "route-handout" and b.routes == (route.id,)]
        for b in handouts:
            assert f"../briefings/{b.id}.pdf" in links and f"../briefings/{b.id}.docx" in links


def test_recommendations_link_to_their_source_and_routes(built_site, default_model):
    text = (built_site / "recommendations.html").read_text(encoding="utf-8")
    for rec in default_model.recommendations:
        item = re.search(rf'<li class="pb-rec" id="{re.escape(rec.anchor)}".*?</li>', text, re.S).group(0)
        assert f'href="sources/{rec.source}.html"' in item
        for route in rec.routes:
            assert f'href="routes/{route}.html"' in item


def test_bibliography_links_back_to_every_citer(site, default_model):
    bib = site["bibliography.html"]
    for ref in default_model.references:
        assert ref.anchor in bib.ids
        for b in ref.cited_by:
            assert f"{b.page}.html" + (f"#{b.anchor}" if b.anchor else "") in bib.links, (ref.key, b)


def test_downloads_list_every_briefing(site, default_model):
    links = site["downloads.html"].links
    for b in default_model.briefings:
        assert f"briefings/{b.id}.pdf" in links and f"briefings/{b.id}.docx" in links


def test_evidence_ratings_are_words_linked_to_the_explainer(built_site, default_model):
    for route in default_model.routes:
        text = (built_site / f"routes/{route.id}.html").read_text(encoding="utf-8")
        assert re.search(
            r'<a class="pb-rating[^"]*"[^>]* href="../methods.html#evidence-ratings">'
            + re.escape(route.evidence.rating.capitalize())
            + "</a>",
            text,
        )
    assert "evidence-ratings" in parsed(built_site)["methods.html"].ids


def _check_links(site_dir: Path, pages: dict[str, Page]) -> list[str]:
    broken = []
    for name, page in pages.items():
        for href in page.links:
            if urlparse(href).scheme or href.startswith("//"):
                continue
            path, anchor = urldefrag(href)
            path = path.split("?", 1)[0]  # a query only preselects a filter
            target = (Path(name).parent / path).as_posix() if path else name
            target = re.sub(r"[^/]+/\.\./", "", target)
            if target.startswith("briefings/") and not (site_dir / "briefings").is_dir():
                continue  # written by the print renderer, which this build did not run
            if target.endswith(".html"):
                if target not in pages:
                    broken.append(f"{name}: {href}")
                elif anchor and html.unescape(anchor) not in pages[target].ids:
                    broken.append(f"{name}: {href} (no anchor)")
            elif not (site_dir / target).exists():
                broken.append(f"{name}: {href}")
    return broken


def test_every_internal_link_and_anchor_resolves(built_site, site):
    assert not _check_links(built_site, site)


def test_fixture_site_links_resolve(built_fixture_site):
    assert not _check_links(built_fixture_site, parsed(built_fixture_site))


def test_no_file_loads_anything_from_another_host(built_site, site):
    for name, page in site.items():
        foreign = [r for r in page.resources if urlparse(r).scheme in ("http", "https") or r.startswith("//")]
        assert not foreign, (name, foreign)
    for css in built_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"""(url\(\s*['"]?(https?:)?//|@import)""", text), css
    for name in ("index.html", "search/search_index.js"):
        assert "fonts.googleapis" not in (built_site / name).read_text(encoding="utf-8")
    ours = [
        p
        for p in built_site.rglob("*.js")
        if "bundle" not in p.name and "workers" not in p.parts and "lunr" not in p.parts and p.name != "search_index.js"
    ]
    for js in ours:
        assert not re.search(
            r"https?://",
            js.read_text(encoding="utf-8").split("\n", 1)[1]
            if js.name == "iframe-worker-shim.js"
            else js.read_text(encoding="utf-8"),
        ), js


def test_the_search_index_is_shipped_once(built_site):
    assert (built_site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = {")
    assert not (built_site / "search" / "search_index.json").exists()


def test_config_uses_only_materials_own_plugins(default_model, tmp_path):
    config = mkdocs_config(default_model, site_pages(default_model), tmp_path / "site", THEME)
    plugins = {next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]}
    assert plugins <= {"search", "offline", "tags"}
    assert config["use_directory_urls"] is False
    assert config["theme"]["font"] is False
    yaml.safe_load(yaml.safe_dump(config))  # plain YAML: no Python tags


def test_two_builds_are_byte_identical(default_model, tmp_path):
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        out.mkdir()
        render_site(default_model, out, Progress(quiet=True))
    files = [sorted(p.relative_to(o).as_posix() for p in o.rglob("*") if p.is_file()) for o in outs]
    assert files[0] == files[1]
    differ = [f for f in files[0] if (outs[0] / f).read_bytes() != (outs[1] / f).read_bytes()]
    assert not differ
    assert b"<lastmod>" + str(default_model.config.edition).encode() in (outs[0] / "sitemap.xml").read_bytes()


def test_fixture_without_methods_page_shows_ratings_unlinked(built_fixture_site):
    text = (built_fixture_site / "routes" / "adoption.html").read_text(encoding="utf-8")
    assert '<span class="pb-rating pb-rating--moderate">Moderate</span>' in text


def test_serve_rebuilds_on_change_and_keeps_the_last_good_build(project):
    """`briefings serve`: pages carry the reload script; an edit bumps the version; a bad edit reports
    its problems to the page (the overlay) and keeps the last good build; the next good build clears them."""
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--config", str(project / "site_config.yml"), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"

    def get(path: str, timeout: float = 30) -> str:
        return urllib.request.urlopen(base + path, timeout=timeout).read().decode("utf-8")

    def poll(token: str) -> list[str]:
        return get(f"/__livereload?v={token}").splitlines()

    try:
        for line in proc.stdout:
            if "Serving" in line:
                break
        page = get("/routes/adoption.html")
        assert "/__livereload" in page and "Most adoptions last" in page
        assert poll("x&wait=nonsense") == ["1.0"]  # an unreadable wait is not a traceback
        with urllib.request.urlopen(base + "/routes/adoption.html") as answer:
            assert answer.headers.get_all("Cache-Control") == ["no-cache"]
        # Its stylesheets name the build folder, which never changes: the browser keeps them between reloads.
        css = re.search(r'href="\.\./(assets/stylesheets/[^"]+\?build=build-1)"', page).group(1)
        for url, cache in ((css, "max-age=31536000, immutable"), (css.split("?")[0], "no-cache")):
            with urllib.request.urlopen(f"{base}/{url}") as answer:
                assert answer.headers.get_all("Cache-Control") == [cache]
        route = project / "content" / "routes" / "adoption.md"
        text = route.read_text(encoding="utf-8")
        route.write_text(text.replace("More support.", "Much more support."), encoding="utf-8")
        assert poll("1.0") == ["2.0"]
        assert "Much more support." in get("/routes/adoption.html")
        route.write_text(text.replace("[@selwyn2014beyond", "[@nosuchkey", 1), encoding="utf-8")
        token, *problems = poll("2.0")
        assert token == "2.1"  # same build, one failure: pages show the problems and do not reload
        assert any(
            p.startswith("content/routes/adoption.md:") and "unknown citation key 'nosuchkey'" in p for p in problems
        ), problems
        page = get("/routes/adoption.html")
        assert "Much more support." in page and "nosuchkey" in page  # last good build, with the overlay's problems
        route.write_text(text, encoding="utf-8")
        assert poll("2.1") == ["3.1"]  # a good build: pages reload, without problems
        assert "nosuchkey" not in get("/routes/adoption.html")
        # Briefings render on first download, so the Downloads page's links work in preview.
        pdf = next(link for link in Page(get("/downloads.html")).links if link.endswith(".pdf"))
        assert urllib.request.urlopen(f"{base}/{pdf}", timeout=120).read(4) == b"%PDF"
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
    assert "Traceback" not in output


def test_pages_are_records_with_an_explicit_table_of_contents(default_model):
    pages = {p.path: p for p in site_pages(default_model)}
    route = default_model.routes[0]
    page = pages[f"routes/{route.id}"]
    assert page.title == route.title and page.description
    ids = [h.id for h in page.toc]
    assert ids[0] == "key-messages" and "references" in ids
    assert [s.slug for s in route.sections] == [i for i in ids if i in {s.slug for s in route.sections}]
    for h in page.toc:  # every TOC entry is a heading of the body, written once
        assert page.body.count(f'<h2 id="{h.id}">') == 1
    assert page.body.startswith(f"<h1>{html.escape(route.title)}</h1>")
    assert pages["compare"].hide_toc and not page.hide_toc


def test_plain_text_fields_are_escaped_once(default_model):
    """Titles and labels are plain text: a `<` or `&` in them is escaped in the body and the TOC."""
    import dataclasses

    route = default_model.routes[0]
    odd = dataclasses.replace(
        route,
        title="Care & <b>homes</b>",
        sections=tuple(
            dataclasses.replace(s, heading=dataclasses.replace(s.heading, web="Notes on <em>care</em> &amp; SGO"))
            if i == 0
            else s
            for i, s in enumerate(route.sections)
        ),
    )
    model = dataclasses.replace(default_model, routes=(odd, *default_model.routes[1:]))
    page = next(p for p in site_pages(model) if p.path == f"routes/{route.id}")
    assert "<h1>Care &amp; &lt;b&gt;homes&lt;/b&gt;</h1>" in page.body
    heading = next(h for h in page.toc if h.id == route.sections[0].slug)
    # the heading is the model's rendered Markdown; the TOC's text is its words
    assert heading.html == "Notes on <em>care</em> &amp; SGO" and heading.text == "Notes on care & SGO"


def test_engine_output_keeps_our_headings_and_toc(built_site, default_model):
    """The engine passes the prebuilt body through: our ids, one <h1>, and the TOC in the sidebar."""
    route = default_model.routes[0]
    text = (built_site / f"routes/{route.id}.html").read_text(encoding="utf-8")
    assert text.count("<h1") == 1 and "wzxhzdk" not in text
    for s in route.sections:
        assert f'<h2 id="{s.slug}">' in text
        assert f'href="#{s.slug}"' in text


def test_renderer_modules_use_no_regular_expressions():
    """Renderers read the model; they do not post-process HTML or Markdown with regexes (issue 14)."""
    web = Path(__file__).resolve().parent.parent / "generator" / "web"
    for module in web.rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "import re\n" not in text and "from re " not in text, module


def test_bibliography_groups_back_links_by_kind_and_collapses_long_lists(built_site, default_model):
    text = (built_site / "bibliography.html").read_text(encoding="utf-8")
    busiest = max(default_model.references, key=lambda r: len(r.cited_by))
    entry = text[text.index(f'id="{busiest.anchor}"') :]
    entry = entry[: entry.index("</li>")]
    assert '<details class="pb-ref__cited" data-search-exclude><summary>Cited by ' in entry
    assert "<strong>Routes (" in entry and "<strong>Recommendations (" in entry
    assert "glossary.html#" not in entry
    quiet = next(r for r in default_model.references if 0 < len(r.cited_by) <= 2)
    entry = text[text.index(f'id="{quiet.anchor}"') :]
    assert "<details" not in entry[: entry.index("</li>")]


def test_long_navigation_sections_are_split_into_groups():
    """At scale, a page's navigation stays short: Material prunes closed sections, and a long
    section is split into numbered groups of at most GROUP pages."""
    from generator.web.engines.mkdocs import FEATURES, GROUP, grouped

    assert "navigation.prune" in FEATURES
    entries = [{f"Route {i}": f"routes/r{i}.md"} for i in range(2 * GROUP + 3)]
    assert grouped("Routes", entries[:GROUP]) == {"Routes": entries[:GROUP]}
    groups = grouped("Routes", entries)["Routes"]
    assert [next(iter(g)) for g in groups] == [
        f"Routes 1–{GROUP}",
        f"Routes {GROUP + 1}–{2 * GROUP}",
        f"Routes {2 * GROUP + 1}–{2 * GROUP + 3}",
    ]
    assert [e for g in groups for e in next(iter(g.values()))] == entries


def test_a_pages_references_are_listed_once_in_the_styles_order(default_model):
    from generator.web.pages import Ctx

    positions = {ref.key: i for i, ref in enumerate(default_model.references)}
    c = Ctx(default_model, "routes/adoption", None, positions)
    route = default_model.get("route", "adoption")
    keys = tuple(reversed(route.references)) + route.references[:2] + ("no-such-key",)
    assert [r.key for r in c.references(keys)] == [r.key for r in default_model.references if r.key in route.references]
    assert len(route.references) > 2


def test_the_evidence_maps_phone_list_stays_out_of_the_search_index(default_model):
    """Material's search ends an excluded element at the first closing tag of the same name,
    so the phone list's wrapper must not be a <div> (it holds one per route)."""
    from material.plugins.search.plugin import Parser

    from generator.web.pages import site_pages

    body = next(p for p in site_pages(default_model) if p.path == "map").body
    parser = Parser()
    parser.feed(body)
    parser.close()
    indexed = " ".join("".join(s.title + s.text) for s in parser.data)
    outcome = next(iter(default_model.config.outcomes.values()))
    assert f'<span class="pb-map-list__outcome">{outcome}:</span>' in body
    assert f"{outcome}:" not in indexed and default_model.routes[0].title in indexed
