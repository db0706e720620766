"""A built site whose page bodies can be replaced in place: what `serve` needs for fast previews.

After a full engine build, each page's HTML is split around the body we gave the
engine (it passes bodies through unchanged, see `engines.prebuilt`), leaving the
engine's shell: header, navigation, table of contents, footer. When only bodies
change, a preview writes shell + new body for the changed pages and skips the
engine. Anything else (a title, a heading, a page added or removed, the
navigation) needs a full build. The search index then lags until the next full
build, which `serve` runs once the author pauses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.model import Model
from generator.web.engines.mkdocs import as_written, mkdocs_config
from generator.web.pages import SitePage
from generator.web.render import THEME, build_pages


def _layout(page: SitePage) -> tuple:
    """What of a page the engine's shell shows. The description is left out: it is only in
    a ``<meta>`` tag, which the next full build brings up to date."""
    return (page.path, page.title, page.toc, page.hide_toc)


@dataclass
class IncrementalSite:
    """The last full build's pages and shells, and the configuration that made them."""

    pages: dict[str, SitePage] = field(default_factory=dict)
    shells: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (before body, after body)
    signature: tuple = ()  # pages' layouts and the engine configuration

    def full(self, model: Model, pages: list[SitePage], folder: Path) -> None:
        """Build the whole site into `folder` (empty or new) and remember its shells."""
        build_pages(model, pages, folder)
        self.pages = {p.path: p for p in pages}
        self.shells = {}
        for page in pages:
            html = (folder / f"{page.path}.html").read_text(encoding="utf-8")
            core = as_written(page.body.strip(), model.config.engine)
            if html.count(core) == 1:
                before, _, after = html.partition(core)
                self.shells[page.path] = (before, after)
        self.signature = self._signature(model, pages)

    def update(self, model: Model, pages: list[SitePage], folder: Path) -> list[str] | None:
        """Write the pages whose bodies changed into `folder`, the last full build; None if the
        site needs a full build instead."""
        if self._signature(model, pages) != self.signature:
            return None
        changed = [p for p in pages if p.body != self.pages[p.path].body]
        if any(p.path not in self.shells for p in changed):
            return None
        for page in changed:
            before, after = self.shells[page.path]
            file = folder / f"{page.path}.html"
            tmp = file.with_name(file.name + ".tmp")
            tmp.write_text(before + as_written(page.body.strip(), model.config.engine) + after, encoding="utf-8")
            tmp.replace(file)
            self.pages[page.path] = page
        return [p.path for p in changed]

    @staticmethod
    def _signature(model: Model, pages: list[SitePage]) -> tuple:
        config = mkdocs_config(model, pages, Path("site"), THEME, model.config.engine)
        return (tuple(_layout(p) for p in pages), repr(config), model.config.engine)
