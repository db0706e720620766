"""Formatted citations are cached by a hash of pandoc's inputs, in memory and on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator import citecache, citeproc

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"


def test_cache_reuses_output_until_an_input_changes(tmp_path, monkeypatch):
    bib = tmp_path / "references.bib"
    shutil.copy(FIXTURE / "references.bib", bib)
    style = citeproc.resolve_style("harvard-cite-them-right", tmp_path)
    key = next(line.split("{", 1)[1].rstrip(",") for line in bib.read_text().splitlines() if line.startswith("@"))
    runs = []
    real = citeproc.format_all
    monkeypatch.setattr(citeproc, "format_all", lambda *a: runs.append(a) or real(*a))

    first = citecache.format_all([f"[@{key}]"], bib, style, "en-GB")
    assert citecache.format_all([f"[@{key}]"], bib, style, "en-GB") == first and len(runs) == 1
    citecache._MEMORY.clear()  # a new process: read back from .cache/ beside the bibliography
    assert citecache.format_all([f"[@{key}]"], bib, style, "en-GB") == first and len(runs) == 1
    assert list((tmp_path / ".cache" / "citeproc").glob("*.json"))

    citecache.format_all([f"[@{key}, p. 3]"], bib, style, "en-GB")  # a new citation
    assert len(runs) == 2
    bib.write_text(bib.read_text().replace("title = {", "title = {Revised ", 1))  # an edited reference
    revised = citecache.format_all([f"[@{key}]"], bib, style, "en-GB")
    assert len(runs) == 3 and "Revised" in revised.references[key]


def test_build_model_caches_in_the_project_folder_even_when_pandoc_reads_a_rewritten_bibliography(project):
    """pandoc reads a cleaned copy of a bibliography with comments; the cache still lands in the project."""
    from generator.resolve import build_model

    bib = project / "references.bib"
    bib.write_text("% a comment pandoc would misread\n" + bib.read_text(encoding="utf-8"), encoding="utf-8")
    citecache._MEMORY.clear()
    build_model(project)
    assert list((project / ".cache" / "citeproc").glob("*.json"))
