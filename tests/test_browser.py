"""The built default site in a real headless Chromium, served on 127.0.0.1, once per site engine.

Search, citation previews, a phone-sized viewport, axe-core (WCAG 2.2 A and AA),
internal links and anchors, the print stylesheet, and no request to any other host.
Every test runs on the site as Material for MkDocs builds it and as Zensical does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from conftest import serving

from generator.vocabulary import ENGINES

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def built_site(engine, built_site, tmp_path_factory) -> Path:
    """The default content's site as `engine` builds it (the session's full build for Material)."""
    if engine == "material":
        return built_site
    import dataclasses

    from generator import opendata
    from generator.modeljson import model_to_json
    from generator.progress import Progress
    from generator.resolve import build_model
    from generator.web import render_site

    model, _ = build_model(ROOT, ROOT / "site_config.yml")
    model = dataclasses.replace(model, config=dataclasses.replace(model.config, engine=engine))
    out = tmp_path_factory.mktemp(engine) / "site"
    out.mkdir()
    render_site(model, out, Progress(quiet=True))
    (out / "model.json").write_text(model_to_json(model), encoding="utf-8")
    opendata.write_data(model, out / "data", ROOT / "references.bib")  # the downloads page links to it
    return out


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serving(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def model(built_site: Path) -> dict:
    return json.loads((built_site / "model.json").read_text(encoding="utf-8"))


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    yield page
    page.close()


def first_route(model: dict) -> dict:
    return model["routes"][0]


def _search(page, words: str) -> list[str]:
    """Every result link for `words`, once the list stops growing as it scrolls, from Material's
    search or Zensical's (a dialog in a shadow root, which Playwright's CSS locators enter)."""
    zensical = page.locator("button.md-search__button").count() > 0
    if zensical:
        button = page.locator("button.md-search__button")  # on a phone, the header's search icon instead
        (button if button.is_visible() else page.locator("label.md-header__button[for=__search]")).click()
        box = page.locator("dialog[aria-label=Search] input[role=combobox]")
        results = page.locator("dialog[aria-label=Search] a[role=option]")
    else:
        opener = page.locator("label.md-header__button[for=__search]")  # the search button on a phone
        (opener if opener.is_visible() else page.locator(".md-search__input")).click()
        box = page.locator("input.md-search__input")
        results = page.locator(".md-search-result__item a")
    box.press_sequentially(words, delay=30)
    results.first.wait_for(timeout=10_000)
    hrefs: list[str] = []
    for _ in range(40):
        page.wait_for_timeout(250)
        # both engines show the first results, then more as the list scrolls
        results.evaluate_all("els => els.length && els[els.length - 1].scrollIntoView()")
        now = results.evaluate_all("els => els.map(a => a.getAttribute('href'))")
        if now and now == hrefs:
            break
        hrefs = now
    return hrefs


def test_searching_a_route_name_finds_its_page_first(page, site_url, model):
    for route in model["routes"]:
        page.goto(site_url + "index.html")
        hrefs = _search(page, route["title"])
        assert urldefrag(hrefs[0]).url.endswith(f"routes/{route['id']}.html"), (route["title"], hrefs[:5])


def test_search_works_from_file(page, built_site, model):
    route = model["routes"][-1]
    page.goto((built_site / "index.html").as_uri())
    hrefs = _search(page, route["title"])
    assert any(f"routes/{route['id']}.html" in h for h in hrefs), hrefs


def test_search_index_is_shipped_once_and_serves_http(page, site_url, built_site, model):
    """Only the script form of the index is shipped (file:// needs it); over http the engine's
    request for the JSON copy is answered from it, with no failed request."""
    scripts = [p.name for p in built_site.rglob("search*.js*") if "assets" not in p.parts]
    assert scripts in (["search_index.js"], ["search.js"]), scripts
    failed: list[str] = []
    page.on("requestfinished", lambda r: r.response() and r.response().status >= 400 and failed.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(site_url + "index.html")
    assert _search(page, first_route(model)["title"])
    assert not failed, failed


def test_search_finds_each_kind_of_entry_first(page, site_url, model):
    """A glossary term, a recommendation's label and a reference's title each put their own page
    first, with the entry itself among the first results (each is a heading, so its own section)."""
    terms = model["terms"]
    glossed = " ".join(f"{t['term']} {t.get('expansion') or ''}" for t in terms).lower()
    term = max(terms, key=lambda t: len(t["term"].split()))
    rec = model["recommendations"][-1]
    # a title of a few words that no glossary entry spells out (an Act's name can be both)
    ref = next(
        r for r in model["references"] if 4 <= len(r["title"].split()) <= 8 and r["title"].lower() not in glossed
    )
    for words, first, entry in [
        (term["term"], "glossary.html", "#" + term["id"]),
        (rec["label"], "recommendations.html", f"#{rec['id']}-label"),
        (ref["title"], "bibliography.html", f"#ref-{ref['key']}"),
        ("recommendations", "recommendations.html", ""),
    ]:
        page.goto(site_url + "index.html")
        hrefs = _search(page, words)
        assert urldefrag(hrefs[0]).url.endswith(first), (words, hrefs[:5])
        assert any(h.endswith(first + entry) for h in hrefs[:2]), (words, hrefs[:5])


def _tap(page, locator) -> None:
    """A finger's tap (touch events, so pointerType is "touch"), as on a phone."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(200)


def test_tapping_a_citation_opens_every_source_in_place(page, site_url, model):
    """On a phone, a tap shows the preview (not the bibliography), with a link to each source's entry."""
    page.set_viewport_size({"width": 375, "height": 800})
    url = site_url + f"routes/{first_route(model)['id']}.html"
    page.goto(url)
    citation = page.locator("article a.citation[data-cites*=' ']").first  # one that cites two or more works
    keys = citation.get_attribute("data-cites").split()
    _tap(page, citation)
    assert page.url == url
    tip = page.locator("#pb-tip")
    tip.wait_for(state="visible", timeout=3000)
    links = tip.locator("a")
    assert [a.get_attribute("href").split("#")[1] for a in links.all()] == [f"ref-{k}" for k in keys]
    for key in keys:
        assert " ".join(model_reference(model, key)["text"].split())[:25] in " ".join(tip.inner_text().split())
    assert tip.evaluate("e => e.getBoundingClientRect().right") <= 375
    _tap(page, page.locator(".md-header__title"))  # a tap elsewhere closes it
    tip.wait_for(state="detached", timeout=3000)
    _tap(page, citation)
    _tap(page, page.locator("#pb-tip a").first)
    page.wait_for_url(f"**/bibliography.html#ref-{keys[0]}")


def model_reference(model: dict, key: str) -> dict:
    return next(r for r in model["references"] if r["key"] == key)


def _expected_tip(citation: dict) -> str:
    """What a citation's preview shows: with `citations: compact`, the citation itself, then its references."""
    return " ".join(" ".join(filter(None, [citation.get("pbCite"), citation["pbTip"]])).split())


def _tip_text(page) -> str:
    tip = page.locator("#pb-tip[role=tooltip]")
    tip.wait_for(state="visible", timeout=3000)
    return " ".join(tip.inner_text().split())


def test_citation_preview_on_hover(page, site_url, model):
    page.goto(site_url + f"routes/{first_route(model)['id']}.html")
    citation = page.locator("article a.citation").first
    expected = _expected_tip(citation.evaluate("el => ({...el.dataset})"))
    assert len(expected) > 30  # a full reference, not the short (Author, year)
    citation.hover()
    assert _tip_text(page) == expected
    page.mouse.move(0, 0)
    page.locator("#pb-tip").wait_for(state="detached", timeout=3000)


def test_citation_preview_on_keyboard_focus(page, site_url, model):
    page.goto(site_url + f"routes/{first_route(model)['id']}.html")
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.citation')"):
            break
    else:
        pytest.fail("no citation reached with the Tab key")
    expected = _expected_tip(page.evaluate("({...document.activeElement.dataset})"))
    assert _tip_text(page) == expected
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "pb-tip"
    page.keyboard.press("Escape")
    page.locator("#pb-tip").wait_for(state="detached", timeout=3000)


def test_glossary_term_preview_on_focus(page, site_url, model, built_site):
    # a route page whose text uses a glossary term (the default content uses several); fails, not skips, if none does
    route = next(
        r["id"]
        for r in model["routes"]
        if "<abbr" in (built_site / f"routes/{r['id']}.html").read_text(encoding="utf-8")
    )
    page.goto(site_url + f"routes/{route}.html")
    abbr = page.locator("article abbr[data-pb-tip]").first
    abbr.focus()
    assert _tip_text(page) == abbr.get_attribute("data-pb-tip")


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "routes/{route}.html",
        "compare.html",
        "recommendations.html",
        "bibliography.html",
        "glossary.html",
        "downloads.html",
    ],
)
def test_nothing_scrolls_sideways_at_375px(page, site_url, model, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + path.format(route=first_route(model)["id"]))
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                     && getComputedStyle(e).visibility !== 'hidden' && e.offsetParent !== null
                     && !e.closest('.md-sidebar, [hidden]'))
        .slice(0, 5).map(e => e.outerHTML.slice(0, 120))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, wide


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "routes/{route}.html",
        "recommendations.html",
        "bibliography.html",
        "compare.html",
        "downloads.html",
        "glossary.html",
    ],
)
def test_axe_finds_no_wcag_22_a_or_aa_violation(page, site_url, model, path):
    page.goto(site_url + path.format(route=first_route(model)["id"]))
    problems = _axe(page)
    assert not problems, "\n".join(problems)


def _axe(page, selector: str | None = None) -> list[str]:
    """axe-core's WCAG 2.2 A and AA violations on the page as it is now (or within `selector`)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        # evaluated through DevTools: the page's Content-Security-Policy rightly refuses an added <script>
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "([sel, tags]) => axe.run(sel || document, {runOnly: {type: 'tag', values: tags}})", [selector, WCAG]
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_with_search_results_shown(page, site_url, model, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site_url + "index.html")
    assert _search(page, first_route(model)["title"])  # results shown (and finished rendering)
    problems = _axe(page)
    assert not problems, "\n".join(problems)


def test_axe_with_the_navigation_drawer_open_at_375px(page, site_url, model):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + f"routes/{first_route(model)['id']}.html")
    page.locator("label.md-header__button[for=__drawer]").click()
    page.locator(".md-sidebar--primary").wait_for(state="visible")
    page.wait_for_timeout(400)  # the drawer slides in
    assert page.evaluate("document.getElementById('__drawer').checked")
    problems = _axe(page)
    assert not problems, "\n".join(problems)


def test_compact_citations_are_numbers_whose_preview_holds_the_citation(page, site_url, model):
    """The default content sets `citations: compact`."""
    page.goto(site_url + f"routes/{first_route(model)['id']}.html")
    assert page.locator("meta[name=pb-citations]").get_attribute("content") == "compact"
    citation = page.locator("article a.citation").first
    mark = citation.locator("sup.pb-cite__mark")
    assert mark.inner_text() == "1" and mark.is_visible()
    full = citation.get_attribute("data-pb-cite")
    assert full.startswith("(") and not citation.locator(".pb-cite__full").is_visible()
    assert citation.get_attribute("aria-label") == f"Source 1: {full}"
    citation.hover()
    text = _tip_text(page)
    assert text.startswith(" ".join(full.split())) and len(text) > len(full) + 30  # then the full reference
    problems = _axe(page)
    assert not problems, "\n".join(problems)
    page.emulate_media(media="print")  # print keeps the citation in full
    assert citation.locator(".pb-cite__full").is_visible() and not mark.is_visible()
    page.emulate_media(media="screen")
    page.goto(site_url + "recommendations.html")  # "From APSW KEE 4 (2021)¹." with no comma before the number
    meta = page.locator("li.pb-rec .pb-rec__meta").first.inner_text()
    assert re.match(r"From [^,]+\)\d+\. Theme: ", meta), meta


def test_full_citations_where_the_config_does_not_ask_for_compact(page, built_fixture_site):
    """The fixture project leaves `citations:` out: citations are printed in full."""
    with serving(built_fixture_site) as url:
        page.goto(url + "routes/adoption.html")
        assert page.locator("meta[name=pb-citations]").get_attribute("content") == "full"
        citation = page.locator("article a.citation").first
        assert citation.inner_text().startswith("(") and citation.is_visible()
        assert page.locator("article sup.pb-cite__mark").count() == 0


def test_axe_with_a_citation_preview_open(page, site_url, model):
    page.goto(site_url + f"routes/{first_route(model)['id']}.html")
    page.locator("article a.citation").first.focus()
    page.locator("#pb-tip").wait_for(state="visible")
    problems = _axe(page)
    assert not problems, "\n".join(problems)


def test_search_dialog_has_an_accessible_name(page, site_url):
    page.goto(site_url + "index.html")
    dialog = page.get_by_role("dialog", name="Search")
    assert dialog.count() == 1


@pytest.mark.parametrize("width", [1280, 375])
def test_every_standalone_target_is_at_least_24px(page, site_url, width):
    """WCAG 2.2 target size: links and buttons outside running text (the Downloads page's PDF and Word)."""
    page.set_viewport_size({"width": width, "height": 800})
    for path in ["downloads.html", "index.html"]:
        page.goto(site_url + path)
        small = page.evaluate("""() => [...document.querySelectorAll(
                '.pb-download__files a, .md-header a, .md-header label, .md-header button, .pb-card a.pb-rating')]
            .filter(e => e.offsetParent !== null && getComputedStyle(e).pointerEvents !== 'none'
                         && getComputedStyle(e).opacity !== '0')
            .map(e => [e.textContent.trim() || e.getAttribute('aria-label') || e.className,
                       e.getBoundingClientRect()])
            .filter(([, r]) => r.width < 24 || r.height < 24)
            .map(([name, r]) => `${name}: ${Math.round(r.width)}x${Math.round(r.height)}`)""")
        assert not small, (path, small)
        assert page.locator(".pb-download__files a").count() or path != "downloads.html"


@pytest.mark.parametrize("width, height", [(1280, 800), (375, 667)])
def test_home_page_shows_route_cards_above_the_fold(page, site_url, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site_url + "index.html")
    top = page.locator(".pb-card").first.bounding_box()["y"]
    assert top < height - 80, top  # the first card's title is in view without scrolling
    assert page.locator("article h1").inner_text() != page.locator(".md-header__title").inner_text().strip()


def test_headings_are_strong(page, site_url, model):
    """The H1 is bold and at least as dark as the text under it (Material's is light grey, weight 300)."""
    page.goto(site_url + f"routes/{first_route(model)['id']}.html")
    weight, colour, text = page.evaluate("""() => {
        const h1 = getComputedStyle(document.querySelector('article h1'));
        return [parseInt(h1.fontWeight), h1.color, getComputedStyle(document.querySelector('.md-typeset')).color]; }""")
    assert weight >= 700 and _luminance(colour) <= _luminance(text), (weight, colour, text)


def _luminance(css: str) -> float:
    """Relative luminance of a CSS rgb()/rgba() colour laid over white."""
    r, g, b, *alpha = (float(x) for x in re.findall(r"[\d.]+", css))
    a = alpha[0] if alpha else 1.0
    channels = [(c * a + 255 * (1 - a)) / 255 for c in (r, g, b)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_compare_table_breaks_no_word(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + "compare.html")
    broken = page.evaluate("""() => {
        const out = [];
        for (const cell of document.querySelectorAll('table.pb-compare th, table.pb-compare td')) {
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const m of node.data.matchAll(/[A-Za-z]{4,}/g)) {
              const range = document.createRange();
              range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
              const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
              if (tops.size > 1) out.push(m[0]);
            }
          }
        }
        return out.slice(0, 10); }""")
    assert not broken, broken


def test_every_internal_link_and_anchor_resolves(page, site_url, built_site):
    """Visit every page reachable from home; every link's page loads and its anchor exists."""
    host = urlparse(site_url).netloc
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    queue, seen = [site_url + "index.html"], set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response and response.ok, f"{url} answered {response and response.status}"
        ids[url] = set(page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)"))
        for href in page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)"):
            if urlparse(href).netloc != host:
                continue
            links.append((url, href))
            target = urldefrag(href).url
            if target.endswith(".html") and target not in seen:
                queue.append(target)
    print_outputs = (built_site / "briefings").is_dir()
    broken = []
    for source, href in links:
        target, anchor = urldefrag(href)
        if target.endswith(".html"):
            if anchor and anchor not in ids[target]:
                broken.append(f"{source} -> {href}: no such anchor")
        elif target.rsplit(".", 1)[-1] in ("pdf", "docx") and "/briefings/" in target and not print_outputs:
            continue  # the print renderer writes these; this build ran without it
        elif page.request.get(target).status != 200:
            broken.append(f"{source} -> {href}: not found")
    assert len(seen) > 20
    assert not broken, "\n".join(sorted(set(broken))[:30])


def test_no_request_to_any_other_host(page, site_url, model):
    host = urlparse(site_url).netloc
    foreign: list[str] = []

    def check(route):
        if urlparse(route.request.url).netloc not in (host, ""):
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", check)
    for path in [
        "index.html",
        f"routes/{first_route(model)['id']}.html",
        "compare.html",
        "recommendations.html",
        "bibliography.html",
        "glossary.html",
        "downloads.html",
    ]:
        page.goto(site_url + path, wait_until="networkidle")
    _search(page, first_route(model)["title"])
    page.locator("article a.citation").first.hover() if page.locator("article a.citation").count() else None
    page.wait_for_load_state("networkidle")
    assert foreign == []


def test_print_stylesheet_hides_navigation_and_shows_source(page, site_url, model):
    page.goto(site_url + f"routes/{first_route(model)['id']}.html")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    footer = page.locator(".pb-print-footer")
    assert footer.is_visible()
    assert re.search(r"Edition of \d+ \w+ \d{4}", footer.inner_text())
    after = page.evaluate("""() => getComputedStyle(document.querySelector(
        'article a[data-print-url]:not(.citation)'), '::after').content""")
    assert "http" in after


def test_recommendation_filter_narrows_the_list(page, site_url, model):
    route = model["routes"][1]
    page.goto(site_url + "recommendations.html")
    total = page.locator("li.pb-rec:visible").count()
    page.select_option("#pb-filter-route", route["id"])
    shown = page.locator("li.pb-rec:visible").count()
    expected = sum(1 for r in model["recommendations"] if route["id"] in r["routes"])
    assert 0 < shown == expected < total
    assert f"Showing {expected} of {total}" in page.locator(".pb-filter__status").inner_text()


def test_a_route_page_is_read_in_five_minutes(page, site_url, model):
    """Key messages first, then the evidence and the route's few main recommendations: under 6,000 px
    on a desktop, with every recommendation one link away, already filtered to the route."""
    page.set_viewport_size({"width": 1280, "height": 900})
    for route in model["routes"]:
        page.goto(site_url + f"routes/{route['id']}.html")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 6000, (route["id"], height)
        assert page.locator("article .pb-recs li.pb-rec").count() == len(route["main_recommendations"]) <= 6
        assert page.locator("article .pb-figures").first.locator(".pb-figure").count() <= 6
    page.locator(".pb-more-recs a").click()
    page.wait_for_load_state()
    shown = page.locator("li.pb-rec[id]:visible")
    assert 0 < shown.count() == len(model["routes"][-1]["recommendations"])


@pytest.fixture(scope="module")
def note_site_url(engine, tmp_path_factory):
    """The fixture project's website in a note style (Chicago notes), as `engine` builds it, served."""
    import dataclasses
    import shutil

    from generator.progress import Progress
    from generator.resolve import build_model
    from generator.web import render_site
    from tests.conftest import FIXTURE

    root = tmp_path_factory.mktemp(f"notes-{engine}") / "project"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("site"))
    config = root / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("csl: harvard-cite-them-right", "csl: chicago-notes-bibliography"), encoding="utf-8")
    model, _ = build_model(root, config)
    model = dataclasses.replace(model, config=dataclasses.replace(model.config, engine=engine))
    out = root / "site"
    out.mkdir()
    render_site(model, out, Progress(quiet=True))
    with serving(out) as url:
        yield url


def test_note_style_markers_preview_their_note_and_link_to_the_list_of_notes(page, note_site_url):
    url = note_site_url + "routes/adoption.html"
    page.goto(url)
    markers = page.locator("article a.citation.note")
    assert markers.count() >= 2
    for i in range(markers.count()):  # superscript numbers in reading order, each a 24 px target
        assert markers.nth(i).inner_text() == str(i + 1)
        box = markers.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    notes = page.locator("article .pb-notes li")

    def note_text(n: int) -> str:
        return " ".join(notes.nth(n - 1).locator(".pb-note__text").inner_text().split())

    for _ in range(300):  # the keyboard reaches the first marker, whose note shows as its description
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.citation.note')"):
            break
    else:
        pytest.fail("no note marker reached with the Tab key")
    assert page.evaluate("document.activeElement.textContent") == "1"
    assert _tip_text(page) == note_text(1) and len(note_text(1)) > 20
    assert page.locator("#pb-tip em").count() == notes.nth(0).locator(".pb-note__text em").count()  # as formatted
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "pb-tip"
    problems = _axe(page)
    assert not problems, "\n".join(problems)
    page.keyboard.press("Escape")
    page.locator("#pb-tip").wait_for(state="detached", timeout=3000)
    markers.nth(1).hover()  # hover shows the second note
    assert _tip_text(page) == note_text(2)
    page.mouse.move(0, 0)
    page.locator("#pb-tip").wait_for(state="detached", timeout=3000)
    markers.nth(1).focus()
    page.keyboard.press("Enter")  # the link leads to the note at the foot of the page, which links back
    page.wait_for_url(url + "#note-2")
    assert notes.nth(1).evaluate("li => li.matches(':target')") and notes.nth(1).is_visible()
    notes.nth(1).locator("a.pb-note__back").click()
    page.wait_for_url(url + "#note-2-ref")
    assert markers.nth(1).evaluate("a => a.matches(':target')")
    problems = _axe(page, ".pb-notes")
    assert not problems, "\n".join(problems)
    small = page.evaluate("""() => [...document.querySelectorAll('.pb-notes a')].map(a => a.getBoundingClientRect())
        .filter(r => r.width < 24 || r.height < 24).length""")
    assert small == 0  # back-links and bibliography links are 24 px targets


def test_note_style_marker_opens_its_note_on_a_tap(page, note_site_url):
    page.set_viewport_size({"width": 375, "height": 800})
    url = note_site_url + "routes/adoption.html"
    page.goto(url)
    marker = page.locator("article a.citation.note[data-cites*=' ']").first  # a note citing two works
    n = marker.inner_text()
    _tap(page, marker)
    assert page.url == url
    tip = page.locator("#pb-tip")
    tip.wait_for(state="visible", timeout=3000)
    note = page.locator(f"#note-{n}")
    assert " ".join(note.locator(".pb-note__text").inner_text().split()) in " ".join(tip.inner_text().split())
    hrefs = [a.get_attribute("href") for a in tip.locator("a.pb-bib-link").all()]
    assert len(hrefs) == 2 and hrefs == [a.get_attribute("href") for a in note.locator("a.pb-bib-link").all()]
    for link in tip.locator("a").all():  # finger-sized links to the bibliography
        box = link.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, (link.inner_text(), box)
    assert tip.evaluate("e => e.getBoundingClientRect().right") <= 375
    _tap(page, marker)  # a second tap follows the link to the note
    page.wait_for_url(url + f"#note-{n}")


def test_navigation_is_by_reader_task_in_tabs_on_a_wide_screen(page, site_url, model):
    """Top-level sections as tabs (a route, the themes across routes, what should change, the
    evidence, the briefings, the site); the home page without a left column; a route page's left
    column lists the routes. On a phone the tabs give way to the drawer."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + "index.html")
    tabs = page.locator(".md-tabs__link")
    assert [t.strip() for t in tabs.all_inner_texts()] == [
        "Home",
        "Routes",
        "Across the routes",
        "Recommendations",
        "Evidence",
        "Downloads",
        "About",
    ]
    assert not page.locator(".md-sidebar--primary").is_visible()
    page.goto(site_url + f"routes/{first_route(model)['id']}.html")
    assert page.locator(".md-tabs__item--active").inner_text().strip() == "Routes"
    column = page.locator(".md-sidebar--primary")
    assert column.is_visible()
    for route in model["routes"]:
        assert column.get_by_role("link", name=route["title"], exact=True).first.is_visible()
    assert not column.get_by_role("link", name="Bibliography", exact=True).is_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    assert not tabs.first.is_visible()
