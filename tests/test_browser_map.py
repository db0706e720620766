"""The evidence map, changes and downloads pages in headless Chromium: without and with
JavaScript, filters, the cell panel by keyboard, the phone layout, and axe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_browser import _axe

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    yield page
    page.close()


@pytest.fixture(scope="module")
def map_data(built_site: Path) -> dict:
    return json.loads((built_site / "data" / "map.json").read_text(encoding="utf-8"))


def without_scripts(page):
    """Load pages with no script files: the site as a reader without JavaScript gets it."""
    page.route("**/*.js", lambda route: route.abort())


def axe_problems(page) -> list[str]:
    return _axe(page)


def counts(page) -> dict[str, str]:
    """Visible text of each table cell, by its data-cell id."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('table.pb-map td[data-cell]')]
        .map(td => [td.dataset.cell, td.innerText.replace(/\\s+/g, ' ').trim()]))""")


def test_without_javascript_the_map_is_a_real_table_with_gaps_in_words(page, site_url, map_data):
    without_scripts(page)
    page.goto(site_url + "map.html")
    assert page.locator("#pb-map-filter").is_hidden()
    cols = page.locator("table.pb-map thead th[scope=col]").all_inner_texts()
    assert cols == ["Route"] + [o["label"] for o in map_data["outcomes"]]
    rows = page.locator("table.pb-map tbody th[scope=row] > a:first-child").all_inner_texts()
    assert rows == [r["title"] for r in map_data["routes"]]
    text = counts(page)
    for cell in map_data["cells"]:
        anchor = f"cell-{cell['route']}-{cell['outcome']}"
        if cell["gap"]:
            assert text[anchor] == "Gap: no studies"
        else:
            n = cell["count"]
            assert text[anchor].startswith(f"{n} {'study' if n == 1 else 'studies'}"), text[anchor]
            assert f"Evidence: {cell['rating']}" in text[anchor]
            # the count links to the list of those studies, further down the page
            link = page.locator(f'table.pb-map a[href="#{anchor}"]')
            assert link.count() == 1
            assert page.locator(f"section#{anchor} ul.pb-map-studies > li").count() == n
    assert any(c["gap"] for c in map_data["cells"]), "the default content has gaps"
    assert axe_problems(page) == []


def test_with_javascript_filters_narrow_the_counts(page, site_url, map_data):
    page.goto(site_url + "map.html")
    form = page.locator("#pb-map-filter")
    assert form.is_visible()
    before = counts(page)
    years = page.locator("#pb-map-from option").all_inner_texts()[1:]
    page.select_option("#pb-map-from", years[0])
    page.select_option("#pb-map-to", years[1])
    after = counts(page)
    assert after != before
    visible = page.evaluate("""() => [...document.querySelectorAll('section.pb-map-cell:not([hidden]) ul.pb-map-studies > li:not([hidden])')]
        .map(li => li.dataset.year)""")
    assert visible and all(years[0] <= y <= years[1] for y in visible)
    assert any(t.startswith("No studies match the filters") for t in after.values())
    assert "match the filters" in page.locator(".pb-map-filter .pb-filter__status").inner_text()
    page.select_option("#pb-map-from", "")
    page.select_option("#pb-map-to", "")
    assert counts(page) == before
    # by source document: only studies that document is or cites
    source = page.locator("#pb-map-source option").nth(1).get_attribute("value")
    page.select_option("#pb-map-source", source)
    studies = {s["key"]: s for s in map_data["studies"]}
    shown = page.evaluate("""() => [...document.querySelectorAll('section.pb-map-cell ul.pb-map-studies > li:not([hidden])')]
        .map(li => li.dataset.sources)""")
    assert shown and all(source in s.split() for s in shown)
    assert studies  # every shown study is in the open data too
    assert axe_problems(page) == []


def test_design_filter_keeps_studies_of_that_design(page, site_url, map_data):
    designs = sorted({d for s in map_data["studies"] for d in s["designs"]})
    if not designs:
        pytest.skip("no study design recorded in the bibliography")
    page.goto(site_url + "map.html")
    page.select_option("#pb-map-design", designs[0])
    shown = page.evaluate("""() => [...document.querySelectorAll('section.pb-map-cell ul.pb-map-studies > li:not([hidden])')]
        .map(li => li.dataset.designs)""")
    assert shown and all(designs[0] in d.split() for d in shown)


def test_cell_panel_opens_and_closes_by_keyboard(page, site_url, map_data):
    page.goto(site_url + "map.html")
    cell = next(c for c in map_data["cells"] if not c["gap"])
    link = page.locator(f'table.pb-map a[href="#cell-{cell["route"]}-{cell["outcome"]}"]')
    link.focus()
    page.keyboard.press("Enter")
    panel = page.locator("#pb-map-panel")
    assert panel.is_visible()
    assert page.evaluate("document.activeElement.id") == "pb-map-panel"
    assert panel.locator("ul.pb-map-studies > li").count() == cell["count"]
    assert axe_problems(page) == []
    page.keyboard.press("Tab")  # into the panel's links, then Escape closes it
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"#cell-{cell['route']}-{cell['outcome']}"


def test_on_a_phone_the_map_is_a_list_per_route(page, site_url, map_data):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + "map.html")
    assert page.locator("table.pb-map").is_hidden()
    routes = page.locator(".pb-map-list__route")
    assert routes.count() == len(map_data["routes"])
    first = routes.first.inner_text()
    assert map_data["routes"][0]["title"] in first and "Gap: no studies" in first
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_problems(page) == []


@pytest.mark.parametrize("path", ["changes.html", "downloads.html", "topics/stability.html"])
def test_axe_is_clean_on_changes_downloads_and_cite_this_page(page, site_url, path):
    page.goto(site_url + path)
    assert axe_problems(page) == []


def test_route_page_offers_a_citation_and_bibtex(page, site_url, map_data):
    route = map_data["routes"][0]
    page.goto(site_url + f"routes/{route['id']}.html")
    block = page.locator(".pb-cite")
    assert route["title"] in block.locator(".pb-cite__text").inner_text()
    page.locator(".pb-cite__bibtex summary").click()
    assert f"routes/{route['id']}.html" in block.locator("pre code").inner_text()
