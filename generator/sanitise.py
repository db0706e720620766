"""The one allowlist for HTML that reaches any output, and the checks that explain it.

`clean()` runs every rendered text through nh3 (the Rust `ammonia` sanitiser) with
this allowlist. `refusals()` finds, in an author's raw HTML, what `clean()` would drop,
so that `check` can say where it is and what to write instead.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

# Internal links are written as href="xref:N", a slot that RichText fills per page.
SLOT_SCHEME = "xref"
URL_SCHEMES = frozenset({"http", "https", "mailto"})
TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "class", "data-cites"},
    "abbr": {"title"},
    "code": {"class"},
    "div": {"class"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "ol": {"start"},
    "span": {"class", "style"},
    "sup": {"class"},
    "td": {"style"},
    "th": {"style"},
}
STYLE_PROPERTIES = frozenset({"text-align", "font-variant", "font-style", "font-weight"})
# Why a tag is refused, and what to write instead.
_INSTEAD = {
    "img": "images are not allowed in content (they could load from other hosts): describe the image in words",
    "style": "styles come from the site's theme: remove it",
    "link": "styles and scripts come from the site's theme: remove it",
    "form": "forms are not allowed in content: link to the form's page instead",
    "input": "forms are not allowed in content: link to the form's page instead",
}


def clean(html: str) -> str:
    """`html` with everything outside the allowlist removed (tags, attributes, URL schemes)."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES | {SLOT_SCHEME}),
        link_rel=None,
        filter_style_properties=set(STYLE_PROPERTIES),
        strip_comments=True,
    )


def url_refusal(url: str) -> str | None:
    """Why a link address is refused, or None: only relative, #, http(s) and mailto pass."""
    # Browsers ignore ASCII whitespace and control characters inside a scheme ("jav\tascript:").
    squeezed = "".join(ch for ch in url if ord(ch) > 32 and ch != "\x7f")
    scheme, colon, _ = squeezed.partition(":")
    if not colon or "/" in scheme or "?" in scheme or "#" in scheme or scheme.lower() in URL_SCHEMES:
        return None
    return (
        f"a '{scheme.lower()}:' address is not allowed: link to an http(s) or mailto address, "
        "or to an item with a cross-reference such as [](route:adoption)"
    )


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append(
                f"raw <{tag}> is not allowed: "
                + _INSTEAD.get(tag, "it could run script or change the page; write Markdown instead")
            )
        for name, value in attrs:
            if tag not in TAGS and not name.startswith("on"):
                continue
            if name not in ATTRIBUTES.get(tag, set()):
                if name.startswith("on"):
                    self.found.append(f"the HTML attribute {name}= could run script; remove it")
                else:
                    allowed = ", ".join(sorted(ATTRIBUTES.get(tag, ()))) or "none"
                    self.found.append(
                        f"the attribute {name}= is not allowed on <{tag}> (allowed: {allowed}); remove it"
                    )
            elif name == "href" and value is not None:
                why = url_refusal(value)
                if why:
                    self.found.append(why)

    handle_startendtag = handle_starttag


def refusals(html: str) -> list[str]:
    """What `clean()` would remove from an author's raw HTML, each as a message."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found
