"""The navigation of a large generated site (benchmarks/bench_build.py's corpus) in headless Chromium.

At a thousand routes a page still shows where it is: its own entry, marked current, inside
its open group of at most 25 routes, next to its neighbours, which a reader can follow.
The build takes minutes on two cores, so this runs with the slow tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import serving

from generator.cli import main
from generator.web.engines.mkdocs import GROUP

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_build import make_corpus  # noqa: E402

pytestmark = pytest.mark.slow
ROUTES = 1000


@pytest.fixture(scope="module")
def large_site(tmp_path_factory) -> Path:
    """The synthetic corpus, one citation a page so that the build is mostly the site's own work."""
    project = tmp_path_factory.mktemp("large")
    make_corpus(project, ROUTES, ROUTES, 1)
    assert main(["build", "--config", str(project / "site_config.yml"), "-q"]) == 0
    return project / "site"


@pytest.mark.parametrize("n", [517, ROUTES - 1])
def test_a_route_finds_itself_and_its_neighbour_in_a_large_navigation(browser_context, large_site, n):
    first = n // GROUP * GROUP
    group = f"Routes {first + 1}–{min(first + GROUP, ROUTES)}"
    neighbour = n - 1 if n == ROUTES - 1 else n + 1
    html = (large_site / "routes" / f"route-{n:04d}.html").read_text(encoding="utf-8")
    assert len(html) < 100_000  # each page carries only the navigation it shows
    with serving(large_site) as url:
        page = browser_context.new_page()
        try:
            page.goto(f"{url}routes/route-{n:04d}.html")
            nav = page.locator("nav.md-nav--primary")
            assert nav.locator("a.md-nav__link--active").inner_text().strip() == f"Route {n}"
            open_group = nav.get_by_role("navigation", name=group, exact=True)
            assert open_group.get_attribute("aria-expanded") == "true"
            link = open_group.get_by_role("link", name=f"Route {neighbour}", exact=True)
            link.click()
            page.wait_for_url(f"**/routes/route-{neighbour:04d}.html")
            assert page.locator("nav.md-nav--primary a.md-nav__link--active").inner_text().strip() == (
                f"Route {neighbour}"
            )
            assert page.locator("h1").inner_text() == f"Route {neighbour}"
        finally:
            page.close()
