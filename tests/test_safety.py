"""Content is untrusted: `check` refuses unsafe markup at its line, and the one sanitiser
removes it from every output even when check is bypassed (tested in Chromium)."""

from __future__ import annotations

import functools
import http.server
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_check import edit, run_check

from generator import sanitise
from generator.check import check_content
from generator.progress import Progress
from generator.resolve import Assembler
from generator.web import render_site

# Each vector, as a contributor might hide it in a page body, and the words check says.
VECTORS = [
    ('<a href="&#106;avascript:window.pwned=1">x</a>', "'javascript:' address is not allowed"),
    ('<a href="jav&#x09;ascript:window.pwned=1">x</a>', "'javascript:' address is not allowed"),
    ('<a href="\x01javascript:window.pwned=1">x</a>', "'javascript:' address is not allowed"),
    ("[x](jav&#x09;ascript:window.pwned=1)", "address is not allowed"),
    ("<script>window.pwned=1</script>", "raw <script> is not allowed"),
    ('<img src=x onerror="window.pwned=1">', "the HTML attribute onerror= could run script"),
    ('<img src="data:image/png;base64,AAAA">', "images are not allowed in content"),
    ("<style>body{display:none}</style>", "raw <style> is not allowed"),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', "raw <link> is not allowed"),
    ('<form action="https://evil.example/"><input type="password" name="p"></form>', "forms are not allowed"),
    ('<iframe src="https://evil.example/"></iframe>', "raw <iframe> is not allowed"),
    ('<svg><animate onbegin="window.pwned=1"/></svg>', "raw <svg> is not allowed"),
    ('<p style="background:url(https://evil.example/)">x</p>', "the attribute style= is not allowed on <p>"),
]


@pytest.mark.parametrize("html, message", VECTORS)
def test_check_refuses_each_vector_at_its_line(project, capsys, html, message):
    edit(project / "content/routes/adoption.md", "More support.", f"More support.\n\n{html}")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(p.startswith("content/routes/adoption.md:39:") and message in p for p in problems), problems


@pytest.mark.parametrize(
    "field, old, new, line",
    [
        ("title", "title: Adoption", "title: Adoption <img src=x onerror=alert(1)>", 3),
        ("population", "population: Children adopted", "population: <b>Children</b> adopted", 12),
    ],
)
def test_plain_text_fields_refuse_html(project, capsys, field, old, new, line):
    edit(project / "content/routes/adoption.md", old, new)
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(
        p.startswith(f"content/routes/adoption.md:{line}:") and f"'{field}' is plain text" in p for p in problems
    ), problems


def test_site_title_refuses_html(project, capsys):
    edit(project / "site_config.yml", "title: Fixture Briefings", "title: Fixture <script>alert(1)</script>")
    code, problems = run_check(project, capsys)
    assert code == 1
    assert any(p.startswith("site_config.yml:1:8: 'title' is plain text") for p in problems), problems


def test_safe_markup_passes(project, capsys):
    edit(
        project / "content/routes/adoption.md",
        "More support.",
        'More support, see <a href="https://example.org/a?b=1#c">this</a>, <abbr title="x">X</abbr>, '
        "[mail](mailto:a@example.org), [rel](../glossary.html#sgo) and <sup>2</sup>.",
    )
    code, problems = run_check(project, capsys)
    assert (code, problems) == (0, [])


def test_sanitiser_keeps_what_content_needs_and_drops_the_rest():
    kept = (
        '<h2 id="a">A</h2><p><a href="xref:0" class="citation" title="T" data-cites="k">(A, 2021)</a> '
        '<abbr title="Special Guardianship Order">SGO</abbr></p>'
        '<table><tbody><tr><td style="text-align:right">1</td></tr></tbody></table>'
    )
    assert sanitise.clean(kept) == kept
    for html, _ in VECTORS:
        if html.startswith("["):
            continue  # Markdown, not HTML
        out = sanitise.clean(html)
        for bad in (
            "javascript",
            "script",
            "onerror",
            "onbegin",
            "<style",
            "<link",
            "<form",
            "<input",
            "<iframe",
            "<img",
            "data:",
            "evil.example/x.css",
            "background",
        ):
            assert bad not in out.lower(), (html, out)


class _Live(HTMLParser):
    """Collects markup from the vectors that a browser would act on (escaped text is harmless)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.tag = ""
        self.article = 0  # the page's content; the theme's own search form is outside it

    def handle_endtag(self, tag):
        self.article -= tag == "article"

    def handle_starttag(self, tag, attrs):
        self.tag = tag
        self.article += tag == "article"
        for name, value in attrs:
            value = value or ""
            scheme = "".join(ch for ch in value if ord(ch) > 32).lower()
            if (
                (name.startswith("on") and "pwned" in value)
                or "evil.example" in value
                or scheme.startswith(("javascript:", "data:"))
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if ("type", "password") in attrs:
            self.found.append("<input type=password>")
        if (
            self.article
            and tag in ("iframe", "svg", "style")
            or (tag == "img" and "src" in dict(attrs) and dict(attrs)["src"] == "x")
        ):
            self.found.append(f"<{tag}>")

    def handle_data(self, data):
        if self.tag in ("script", "style") and "pwned" in data:
            self.found.append(f"<{self.tag}>{data[:40]}")


def _live_markup(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    return parser.found


def _hostile_project(project: Path) -> None:
    """Every vector at once, in a body, a key message, a heading and a glossary entry."""
    body = "\n\n".join(html for html, _ in VECTORS)
    edit(project / "content/routes/adoption.md", "More support.", f"More support.\n\n{body}")
    edit(project / "content/routes/adoption.md", "## What helps", "## What helps <img src=x onerror=window.pwned=1>")
    edit(
        project / "content/routes/adoption.md",
        "  - Most adoptions last",
        '  - Most <a href="&#106;avascript:window.pwned=1">adoptions</a> last',
    )
    edit(project / "content/glossary.yml", "A court order", "A court <script>window.pwned=1</script> order")


def test_sanitiser_holds_when_check_is_bypassed(project, tmp_path, browser_context):
    """Assemble the model despite check's errors: no vector survives into the built site."""
    _hostile_project(project)
    content, style = check_content(project)
    assert content.problems.failed(False)  # check refuses it; now render it anyway
    assert style is not None
    model = Assembler(content, style).model()
    out = tmp_path / "site"
    out.mkdir()
    render_site(model, out, Progress(quiet=True))
    for path in out.rglob("*.html"):
        assert _live_markup(path.read_text(encoding="utf-8")) == [], path

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser_context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        for path in ("routes/adoption.html", "glossary.html", "index.html"):
            page.goto(f"http://127.0.0.1:{server.server_port}/{path}")
            page.wait_for_load_state("load")
            # the browser's own reading of every link and frame: none can run script
            live = page.evaluate("""() => [...document.querySelectorAll('a[href], iframe, img, form')]
                .map(e => e.href || e.src || e.action || '')
                .filter(u => /^(javascript|data|vbscript):/i.test(u) || u.includes('evil.example'))""")
            assert live == [], (path, live)
            assert page.evaluate("window.pwned") is None, path
        assert dialogs == []
    finally:
        page.close()
        server.shutdown()


def test_quotes_in_titles_cannot_break_out_of_attributes(project, tmp_path, browser_context):
    """The engine prints titles unescaped, some inside attributes: a `"` must not end one."""
    edit(
        project / "site_config.yml",
        "title: Fixture Briefings",
        'title: \'Fixture" onfocus="window.pwned=1" autofocus="\'',
    )
    edit(project / "content/routes/adoption.md", "title: Adoption", "title: 'Adoption\" onmouseover=\"window.pwned=1'")
    out = tmp_path / "site"
    from generator.cli import main

    assert main(["build", "--config", str(project / "site_config.yml"), "--out", str(out), "-q"]) == 0
    page = browser_context.new_page()
    try:
        for path in ("index.html", "routes/adoption.html"):
            page.goto((out / path).as_uri())
            handlers = page.evaluate("""() => [...document.querySelectorAll('*')]
                .flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))""")
            assert handlers == [], (path, handlers)
            assert page.evaluate("window.pwned") is None
        assert "Adoption” onmouseover" in page.content()
    finally:
        page.close()


def test_policy_allows_exactly_the_inline_scripts_a_browser_runs():
    import base64
    import hashlib

    from generator.web.csp import inline_script_hashes

    def digest(script: str) -> str:
        return base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()

    page = """<html><head><script>var a = 1;</script><script src="x.js"></script>
    <script type="application/json">{"not": "run"}</script><SCRIPT type='module' >import "y";</SCRIPT >
    <script id=s1 type=text/javascript>b()</script><script>var a = 1;</script></head>
    <body><p title="&lt;script&gt;">x</p><script async>
    c("</p>")
    </script></body></html>"""
    assert inline_script_hashes(page) == [
        digest(s) for s in ("var a = 1;", 'import "y";', "b()", '\n    c("</p>")\n    ')
    ]


@pytest.mark.parametrize("path", ["index.html", "routes/adoption.html", "recommendations.html", "bibliography.html"])
def test_content_security_policy_holds_in_chromium(browser_context, site_url, built_site, path):
    """Every page carries a policy; the theme's own scripts run under it, injected script does not."""
    text = (built_site / path).read_text(encoding="utf-8")
    assert text.count('http-equiv="Content-Security-Policy"') == 1
    assert text.index("Content-Security-Policy") < text.index("<script")
    page = browser_context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(site_url + path, wait_until="networkidle")
        assert page.locator("label.md-search__icon, .md-search__input").first.is_visible()
        assert violations == []  # the theme's inline scripts are allowed by their hashes
        page.evaluate("""() => { const d = document.createElement('div');
            d.innerHTML = '<img src=x onerror="window.pwned=1">'; document.body.append(d);
            const s = document.createElement('script'); s.textContent = 'window.pwned=2'; document.body.append(s); }""")
        page.wait_for_timeout(200)
        assert page.evaluate("window.pwned") is None
        assert violations, "the browser reports the blocked script"
    finally:
        page.close()
