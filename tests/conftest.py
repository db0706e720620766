"""Shared fixtures: paths, the fixture project, a copy helper and the built default site."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture project."""
    dest = tmp_path / "project"
    shutil.copytree(FIXTURE, dest, ignore=shutil.ignore_patterns("site"))
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The default content of this repository, built once per test session."""
    out = tmp_path_factory.mktemp("built") / "site"
    assert main(["build", "--config", str(ROOT / "site_config.yml"), "--out", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="session")
def built_fixture_site(tmp_path_factory) -> Path:
    """The minimal fixture project, built once per test session."""
    out = tmp_path_factory.mktemp("built-fixture") / "site"
    assert main(["build", "--config", str(FIXTURE / "site_config.yml"), "--out", str(out), "-q"]) == 0
    return out


@contextlib.contextmanager
def serving(folder: Path):
    """`folder` served over HTTP on 127.0.0.1 at a free port; yields its URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The built default site, served over HTTP on 127.0.0.1 at a free port."""
    with serving(built_site) as url:
        yield url


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    """Debian's Chromium, headless, with a fresh user-data-dir (Playwright drives it)."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    with playwright.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path="/usr/bin/chromium",
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()
