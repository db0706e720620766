"""The Markdown layer on its own: citation syntax, positions, cross-references, terms and
rendering through markdown-it's rules. No content is loaded and no model is built."""

from __future__ import annotations

import pytest

from generator.markdown import Locator, new_parser, parse
from generator.model import Citation
from generator.richtext import RichRenderer, Tables

MD = new_parser()


def draft(text: str, line: int = 1, col: int = 1, raw: str | None = None):
    return parse(MD, text, "x.md", Locator(raw if raw is not None else text, line, col))


@pytest.mark.parametrize(
    "text, cites",
    [
        ("As shown [@a, p. 3; @b].", [("[@a, p. 3; @b]", ("a", "b"))]),
        ("As @a [p. 12] found.", [("@a [p. 12]", ("a",))]),
        ("Quiet [-@a].", [("[-@a]", ("a",))]),
        ("Braced [@{a.b:c}].", [("[@{a.b:c}]", ("a.b:c",))]),
        ("Write to x@y.org or [@a].", [("[@a]", ("a",))]),  # an e-mail address is no citation
        ("A [link @a](https://example.org).", []),  # a link's text, not a citation
        ("[@a](https://example.org) is a link.", []),
        ("Twice [@a] and [@a].", [("[@a]", ("a",)), ("[@a]", ("a",))]),
    ],
)
def test_citation_forms(text, cites):
    assert [(c.source, c.keys) for c in draft(text).cites] == cites


def test_positions_follow_the_text_on_every_line():
    d = draft("First line.\n\nSecond [@a] and [@b, p. 2].", line=10)
    assert [(c.source, c.line, c.col) for c in d.cites] == [("[@a]", 12, 8), ("[@b, p. 2]", 12, 17)]


def test_positions_in_a_folded_yaml_value():
    raw = ">-\n  Moves harm\n  children [@a, p. 3]."
    d = draft("Moves harm children [@a, p. 3].", line=5, col=10, raw=raw)
    assert [(c.line, c.col) for c in d.cites] == [(7, 12)]


def test_cross_references_and_their_positions():
    d = draft("See [](route:adoption) and [the order](term:sgo).", line=3)
    assert [(x.target, x.line, x.col) for x in d.xrefs] == [(("route", "adoption"), 3, 8), (("term", "sgo"), 3, 40)]


def render(text: str, block: bool = False):
    tables = Tables(
        citations={"[@a, p. 3]": Citation("[@a, p. 3]", ("a",), "(A, 2021, p. 3)", "(A, 2021, p. 3)")},
        reference_text={"a": "A (2021) A study."},
        titles={("route", "adoption"): "Adoption", ("term", "sgo"): "SGO"},
        terms={"SGO": "Special Guardianship Order", "IRO": "Independent Reviewing Officer"},
    )
    return RichRenderer(new_parser(), tables).rich(draft(text), block=block)


def test_rendering_fills_titles_terms_and_citations():
    rich = render("IROs and an SGO [@a, p. 3]; see [](route:adoption).")
    html = rich.html(lambda t: f"/{t[0]}/{t[1]}")
    assert rich.inline and not html.startswith("<p>")
    assert '<abbr title="Independent Reviewing Officer">IRO</abbr>s' in html
    assert (
        '<a class="citation" href="/reference/a" title="A (2021) A study." data-cites="a">(A, 2021, p. 3)</a>' in html
    )
    assert '<a href="/route/adoption" class="xref">Adoption</a>' in html
    assert rich.links == (("reference", "a"), ("route", "adoption"))


def test_no_abbreviations_inside_links_nor_in_print():
    rich = render("[The SGO page](https://example.org) and an SGO.")
    web = rich.html(str)
    assert web.count("<abbr") == 1 and '<a href="https://example.org">The SGO page</a>' in web
    assert "<abbr" not in rich.html(str, abbreviations=False)


def test_whole_stream_rendering_keeps_markdown_it_look_ahead():
    """Rendered token by token, a tight list came out as <li>\\none</li>."""
    html = render("- one\n- two\n\n| a | b |\n|--:|---|\n| 1 | 2 |", block=True).html(str)
    assert "<li>one</li>" in html and '<td style="text-align:right">1</td>' in html


def test_headings_get_stable_ids():
    html = render("## What helps\n\nText.", block=True).html(str)
    assert '<h2 id="what-helps">What helps</h2>' in html
