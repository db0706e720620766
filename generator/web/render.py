"""`render_site`: page records, written as a docs tree for the configured engine, built into `out`."""

from __future__ import annotations

import tempfile
from pathlib import Path

from generator.model import Model
from generator.progress import Progress
from generator.vocabulary import epoch
from generator.web.csp import add_policies
from generator.web.engines.mkdocs import one_search_index, write_docs
from generator.web.engines.run import SiteBuildError, run_engine
from generator.web.pages import SitePage, site_pages

THEME = Path(__file__).resolve().parents[2] / "theme" / "web"
ENGINE_NAMES = {"material": "Material for MkDocs", "zensical": "Zensical"}

__all__ = ["THEME", "SiteBuildError", "build_pages", "render_site"]


def render_site(model: Model, out: Path, progress: Progress, cache: Path | None = None) -> None:
    """Write the complete static site into `out`, an existing (normally empty) folder.

    `cache`: a folder for what the engine may keep between builds (the project's .cache/).
    """
    with progress.step("Writing the website's pages"):
        pages = site_pages(model)
    with progress.step(f"Building the website ({ENGINE_NAMES[model.config.engine]})"):
        build_pages(model, pages, out, cache)


def build_pages(model: Model, pages: list[SitePage], out: Path, cache: Path | None = None) -> None:
    """Have the configured engine build `pages` into `out`."""
    engine = model.config.engine
    # Zensical writes only inside its project folder: build there, on out's file system, and move in.
    with tempfile.TemporaryDirectory(prefix="briefings-web-", dir=out.parent) as tmp:
        work = Path(tmp)
        site_dir = out if engine == "material" else work / "site"
        config_file = write_docs(model, pages, work, site_dir, THEME, engine)
        run_engine(engine, config_file, epoch(model.config.edition), cache=cache)
        one_search_index(site_dir, engine)
        add_policies(site_dir)
        if site_dir != out:
            out.mkdir(exist_ok=True)
            for item in sorted(site_dir.iterdir()):
                item.rename(out / item.name)
