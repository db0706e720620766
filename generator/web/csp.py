"""A Content-Security-Policy on every built page: no inline or third-party script runs.

The engine's own inline scripts are allowed by their SHA-256 hash, page by page; any
other inline script, event handler or `javascript:` link is blocked by the browser,
a second line of defence behind the sanitiser.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser
from pathlib import Path

# Types of <script> that a browser executes (JSON data blocks are not).
_EXECUTED = {"", "text/javascript", "application/javascript", "module"}


def policy(script_hashes: list[str]) -> str:
    """The policy for one page, allowing its own inline scripts by hash."""
    scripts = " ".join(["'self'", *(f"'sha256-{h}'" for h in script_hashes)])
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
        "style-src 'self' 'unsafe-inline'; "  # style attributes; no script can run from them
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "worker-src 'self' blob:; frame-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'"
    )


class _InlineScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            a = dict(attrs)
            inline = "src" not in a and (a.get("type") or "").lower() in _EXECUTED
            self._open = [] if inline else None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.scripts.append("".join(self._open))
            self._open = None


def inline_script_hashes(html: str) -> list[str]:
    """Base64 SHA-256 of each inline script the page executes, in order, without repeats.

    Only the stretches from each ``<script`` to the next ``</script>`` are parsed: parsing
    every tag of a page cost more than the engine's rendering of it. Content is sanitised,
    so every ``<script`` is the engine's; one in a comment would only add a harmless hash.
    """
    parser = _InlineScripts()
    lower = html.lower()
    start = lower.find("<script")
    while start >= 0:
        close = lower.find("</script", start)
        end = lower.find(">", close) + 1 if close >= 0 else len(html)
        parser.feed(html[start : end or len(html)])
        start = lower.find("<script", end) if end else -1
    parser.close()
    digests = (base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") for s in parser.scripts)
    return list(dict.fromkeys(digests))


def with_policy(html: str) -> str:
    """`html` with its policy as the first element of <head>, before any script."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(inline_script_hashes(html))}">'
    head = html.find("<head>")
    if head < 0:
        return html
    return html[: head + 6] + "\n" + meta + html[head + 6 :]


def add_policies(site: Path) -> None:
    """Give every page of a built site its policy."""
    for path in sorted(site.rglob("*.html")):
        path.write_text(with_policy(path.read_text(encoding="utf-8")), encoding="utf-8")
