"""mkdocs.yml for the docs tree: Material, its own search and offline plugins, nothing else.

Zensical reads the same file, so keep to settings both engines understand.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.model import Model
from generator.web.pages import DocPage

CSS = ["assets/stylesheets/briefings.css"]
JS = ["assets/javascripts/briefings.js"]
# A local copy of iframe-worker's shim: search from file:// without fetching it from a CDN.
# The offline plugin adds the CDN copy unless a polyfill named "iframe-worker" is already listed.
POLYFILLS = ["assets/javascripts/iframe-worker-shim.js"]
FEATURES = ["navigation.top", "navigation.footer", "search.suggest", "toc.follow"]


def _nav(model: Model, pages: list[DocPage]) -> list:
    titles = {p.page: p for p in pages}

    def entry(page: str, title: str) -> dict:
        assert page in titles, page
        return {title: f"{page}.md"}

    nav = [entry("index", "Home"),
           {"Routes": [entry(f"routes/{r.id}", r.title) for r in model.routes]},
           entry("compare", "Compare routes"),
           entry("recommendations", "Recommendations")]
    if model.topics:
        nav.append({"Across the routes": [entry(f"topics/{t.id}", t.title) for t in model.topics]})
    nav.append(entry("voices", "Voices"))
    if model.sources:
        nav.append({"Sources": [entry(f"sources/{s.id}", s.short_title) for s in model.sources]})
    nav += [entry("downloads", "Downloads"), entry("bibliography", "Bibliography"), entry("glossary", "Glossary")]
    if model.pages:
        nav.append({"About": [entry(p.id, p.title) for p in model.pages]})
    return nav


def mkdocs_config(model: Model, pages: list[DocPage], site_dir: Path, theme_dir: Path) -> dict:
    """The configuration as a dict; `docs/` sits beside the file."""
    c = model.config
    return {
        "site_name": c.title,
        "site_description": c.description,
        "site_author": c.publisher or None,
        "site_url": c.url,
        "copyright": f"{c.publisher + '. ' if c.publisher else ''}Edition of {c.edition.day} {c.edition:%B %Y}.",
        "docs_dir": "docs",
        "site_dir": str(site_dir),
        "use_directory_urls": False,
        "theme": {
            "name": "material",
            "custom_dir": str(theme_dir),
            "language": c.language.split("-")[0].lower(),
            "font": False,
            "features": FEATURES,
            "palette": {"scheme": "default", "primary": "custom", "accent": "custom"},
        },
        "plugins": [{"search": {"lang": "en"}}, "offline"],
        "markdown_extensions": ["attr_list", {"toc": {"permalink": False}}],
        "extra_css": CSS,
        "extra_javascript": JS,
        "extra": {"polyfills": POLYFILLS, "generator": False},
        "nav": _nav(model, pages),
    }


def write_config(path: Path, config: dict) -> None:
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
