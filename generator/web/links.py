"""Relative links between the site's pages, from the model's engine-neutral addresses."""

from __future__ import annotations

import posixpath
import re

from generator.model import Linker, Model, Target


def href(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A relative link from one page (``routes/adoption``) to another page and anchor."""
    if to_page == from_page and anchor:
        return f"#{anchor}"
    rel = posixpath.relpath(to_page + ".html", posixpath.dirname(from_page) or ".")
    return rel + (f"#{anchor}" if anchor else "")


def asset(from_page: str, path: str) -> str:
    """A relative link from a page to a file of the site, e.g. ``briefings/x.pdf``."""
    return posixpath.relpath(path, posixpath.dirname(from_page) or ".")


def linker(model: Model, page: str) -> Linker:
    """The linker `RichText.html` needs on `page`."""

    def link(target: Target) -> str:
        return href(page, *model.address(target))

    return link


_LINK = re.compile(r'<a ([^>]*?)href="([^"]*)"')


def with_print_urls(html: str, page: str, base_url: str) -> str:
    """Give each internal link a ``data-print-url``: its public address, for the print stylesheet."""

    def add(m: re.Match) -> str:
        attrs, target = m.group(1), m.group(2)
        if "://" in target or target.startswith("mailto:") or "data-print-url" in attrs:
            return m.group(0)
        path, _, anchor = target.partition("#")
        absolute = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page + ".html"
        url = base_url + absolute + (f"#{anchor}" if anchor else "")
        return f'<a {attrs}data-print-url="{url}" href="{target}"'

    return _LINK.sub(add, html)
