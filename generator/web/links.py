"""Relative links between the site's pages, from the model's engine-neutral addresses."""

from __future__ import annotations

from generator.model import Linker, Model, Target


def _up(from_page: str) -> str:
    """The way from a page (``routes/adoption``) back to the site's root folder."""
    return "../" * from_page.count("/")


def href(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A relative link from one page (``routes/adoption``) to another page and anchor."""
    if to_page == from_page and anchor:
        return f"#{anchor}"
    return _up(from_page) + to_page + ".html" + (f"#{anchor}" if anchor else "")


def asset(from_page: str, path: str) -> str:
    """A relative link from a page to a file of the site, e.g. ``briefings/x.pdf``."""
    return _up(from_page) + path


def linker(model: Model, page: str) -> Linker:
    """The linker `RichText.html` needs on `page`."""

    def link(target: Target) -> str:
        return href(page, *model.address(target))

    return link
