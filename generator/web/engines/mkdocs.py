"""The docs tree and mkdocs.yml that Material for MkDocs and Zensical both read.

Each page is written as front matter (title, description) plus the prebuilt body,
which the `prebuilt` Markdown extension passes through without parsing. Only
Material's own search and offline plugins are used; Zensical has its own search
and works offline without a plugin.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

import yaml

from generator import vocabulary
from generator.model import Model
from generator.web.engines.prebuilt import page_text
from generator.web.engines.run import SiteBuildError
from generator.web.pages import SitePage

CSS = ["assets/stylesheets/briefings.css", "assets/stylesheets/evidence-map.css"]
JS = ["assets/javascripts/briefings.js", "assets/javascripts/print-urls.js", "assets/javascripts/evidence-map.js"]
# A local copy of iframe-worker's shim: search from file:// without fetching it from a CDN.
# The offline plugin adds the CDN copy unless a polyfill named "iframe-worker" is already listed.
# search-index.js serves the search index over http from the script form that file:// needs, so
# that one copy is shipped (`one_search_index`).
POLYFILLS = ["assets/javascripts/iframe-worker-shim.js", "assets/javascripts/search-index.js"]
# navigation.prune: each page carries only the navigation it shows (the open sections), not
# the whole tree, so page size does not grow with the number of pages.
FEATURES = [
    "navigation.tabs",
    "navigation.top",
    "navigation.footer",
    "navigation.prune",
    "search.suggest",
    "toc.follow",
    "toc.integrate",
]
# Zensical's search: its own word separators plus typographic quotes, so that a word straight after
# ‘ or “ (as in a reference's title) is found.
ZENSICAL_SEPARATOR = '[\\s\\-_,:!=\\[\\]()\\\\"`/‘’“”]+|\\.(?!\\d)'
# Material's search adds a trailing wildcard to every word searched for, so a rare word that merely
# starts with it ("care’," or a URL's "adoptionresearchinitiative") outscores the word itself. Split
# words at spaces, hyphens and typographic quotes only, trim punctuation off their ends, and keep
# URLs whole; route pages get a boost, so that a route's name finds its page first (browser-tested).
MATERIAL_SEARCH = {"lang": "en", "separator": "[\\s\\-‘’“”]+", "pipeline": ["stopWordFilter", "trimmer"]}
ROUTE_BOOST = 1.5
GROUP = 25  # at most this many pages in one navigation section; longer lists are split into numbered groups
PREBUILT = "generator.web.engines.prebuilt"
# Each engine's search index as JSON (for http), beside its script form (for file://): `.js`.
SEARCH_JSON = {"material": "search/search_index.json", "zensical": "search.json"}
# Overrides of Material's templates that Zensical must not get: its search is a different component.
MATERIAL_ONLY = ("partials/search.html",)
# Accessibility fixes inside Zensical's search dialog, which Material does not have.
ZENSICAL_ONLY = ("assets/javascripts/zensical-search.js",)


def engine_text(text: str) -> str:
    """Plain text for the engine's templates, which print titles unescaped, sometimes inside
    attributes. `check` refuses tags in plain-text fields; straight double quotes, which could
    end an attribute, become typographic ones."""
    out, previous = [], " "
    for ch in text:
        if ch == '"':
            ch = "“" if previous.isspace() or previous in "([{" else "”"
        out.append(ch)
        previous = ch
    return "".join(out)


def as_written(body: str, engine: str) -> str:
    """A page body as the engine writes it into the page. Both pass our body through, but
    Zensical drops the `data-search-exclude` attributes (ours, see the templates) once its
    search index has read them."""
    return body.replace(" data-search-exclude", "") if engine == "zensical" else body


def page_file(page: SitePage) -> str:
    """A page's docs file: front matter, then the table of contents and the body for `prebuilt`."""
    meta: dict = {"title": engine_text(page.title)}
    if page.description:
        meta["description"] = engine_text(page.description)
    if page.path == "index":
        meta["hide"] = ["navigation", "toc"]  # the home page is the way in: tabs, or the drawer on a phone
    elif page.hide_toc:
        meta["hide"] = ["toc"]
    if page.path.startswith("routes/"):
        meta["search"] = {"boost": ROUTE_BOOST}
    toc = [
        {
            "level": h.level,
            "id": h.id,
            "name": html.escape(h.text, quote=False),
            "html": h.html,
            "data-toc-label": "",
            "children": [],
        }
        for h in page.toc
    ]
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{front}---\n\n{page_text(toc, page.body)}"


def grouped(label: str, entries: list) -> dict:
    """A navigation section; past `GROUP` entries, a section of numbered groups (Routes 1-25, ...)."""
    if len(entries) <= GROUP:
        return {label: entries}
    return {
        label: [
            {f"{label} {i + 1}–{min(i + GROUP, len(entries))}": entries[i : i + GROUP]}
            for i in range(0, len(entries), GROUP)
        ]
    }


def _nav(model: Model, pages: list[SitePage]) -> list:
    """The navigation by what a reader came to do: a route, the themes across routes, what should
    change, the evidence behind it all, the printable briefings, and the site itself. On a wide
    screen each top-level section is a tab (`navigation.tabs`) and the left column lists only the
    current one."""
    titles = {p.path for p in pages}

    def entry(page: str, title: str) -> dict:
        assert page in titles, page
        return {engine_text(title): f"{page}.md"}

    routes = grouped("Routes", [entry(f"routes/{r.id}", r.title) for r in model.routes])["Routes"]
    nav = [entry("index", "Home"), {"Routes": [entry("compare", "Compare the routes"), *routes]}]
    if model.topics:
        nav.append(grouped("Across the routes", [entry(f"topics/{t.id}", t.title) for t in model.topics]))
    nav.append(entry("recommendations", "Recommendations"))
    evidence = [entry("map", "Evidence map"), entry("voices", "Voices")]
    if model.sources:
        evidence.append(grouped("Sources", [entry(f"sources/{s.id}", s.short_title) for s in model.sources]))
    evidence += [entry("bibliography", "Bibliography"), entry("glossary", "Glossary")]
    nav += [{"Evidence": evidence}, entry("downloads", "Downloads")]
    nav.append({"About": [*(entry(p.id, p.title) for p in model.pages), entry("changes", "Changes")]})
    return nav


def mkdocs_config(
    model: Model, pages: list[SitePage], site_dir: Path, theme_dir: Path, engine: str = "material"
) -> dict:
    """The configuration as a dict; `docs/` sits beside the file."""
    c = model.config
    edition = vocabulary.format_date(c.edition)
    config: dict[str, Any] = {
        "site_name": engine_text(c.title),
        "site_description": engine_text(c.description),
        "site_author": c.publisher or None,
        "site_url": c.url,
        "copyright": engine_text(f"{c.publisher + '. ' if c.publisher else ''}Edition of {edition}."),
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
        "plugins": [{"search": MATERIAL_SEARCH}, "offline"],
        "markdown_extensions": [PREBUILT],
        "extra_css": CSS,
        "extra_javascript": JS,
        "extra": {"polyfills": POLYFILLS, "generator": False, "citations": c.citations},
        "nav": _nav(model, pages),
    }
    if engine == "zensical":
        config["theme"]["variant"] = "classic"  # Material's look: the primary colour fills the header
        config["plugins"] = [{"search": {"separator": ZENSICAL_SEPARATOR}}, "offline"]  # its own search
        config["extra_javascript"] = JS + list(ZENSICAL_ONLY)
    return config


def write_docs(
    model: Model, pages: list[SitePage], work: Path, site_dir: Path, theme_dir: Path, engine: str = "material"
) -> Path:
    """The docs tree and mkdocs.yml in `work`; returns the config file's path."""
    docs = work / "docs"
    for page in pages:
        path = docs / f"{page.path}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_file(page), encoding="utf-8")
    theme_dir = _without(theme_dir, MATERIAL_ONLY if engine == "zensical" else ZENSICAL_ONLY, work / "theme")
    config_file = work / "mkdocs.yml"
    config = mkdocs_config(model, pages, site_dir, theme_dir, engine)
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return config_file


def _without(theme_dir: Path, names: tuple[str, ...], dest: Path) -> Path:
    """A copy of `theme_dir` without the files `names` (paths relative to it)."""
    shutil.copytree(
        theme_dir,
        dest,
        ignore=lambda folder, files: [
            f for f in files if (Path(folder) / f).relative_to(theme_dir).as_posix() in names
        ],
    )
    return dest


def one_search_index(site_dir: Path, engine: str) -> None:
    """Delete the JSON copy of the search index: `search-index.js` answers the engine's request
    for it from the script copy, which search from file:// needs anyway."""
    json_copy = site_dir / SEARCH_JSON[engine]
    if not json_copy.with_suffix(".js").is_file():
        raise SiteBuildError(f"the site engine wrote no {json_copy.with_suffix('.js').name} (the offline search index)")
    json_copy.unlink()
