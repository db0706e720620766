"""`serve`'s incremental preview shows, after each save, what a fresh build of the same files gives."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.progress import Progress
from generator.resolve import build_model
from generator.serve import Builds, Preview
from generator.web.pages import site_pages

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Preview:
    """The default content in a preview, after its first (full) build."""
    root = tmp_path_factory.mktemp("preview")
    for name in ("content", "references.bib", "site_config.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    (root / "work").mkdir()
    preview = Preview(root, root / "site_config.yml", Builds(root / "work"), Progress(quiet=True))
    assert preview.build(full=True)
    return preview


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_fresh(preview: Preview, printed: str) -> None:
    """The preview's model, problems and served pages are those of a fresh build."""
    model, problems = build_model(preview.root, preview.config_path)
    assert preview.model == model
    assert printed.splitlines() == [str(p) for p in problems.sorted()]
    assert preview.builds.current is not None
    for page in site_pages(model):
        served = (preview.builds.current / f"{page.path}.html").read_text(encoding="utf-8")
        assert page.body.strip() in served, page.path


EDITS = [  # (file, old, new): each builds, and the next starts from it
    ("content/routes/adoption.md", "summary: >-\n", "summary: >-\n  A prose edit.\n"),
    ("content/routes/adoption.md", "A prose edit.", "A new citation [@selwyn2014beyond, p. 901]."),
    ("references.bib", "title = {Beyond the Adoption Order", "title = {Beyond the Adoption Order, Revisited"),
    ("content/glossary.yml", "expansion: Adoption Support Fund", "expansion: Adoption Support Fund (England)"),
    ("content/routes/adoption.md", "A new citation", "We utilise a new citation"),  # a readability warning
]


@pytest.mark.parametrize("n", range(len(EDITS)))
def test_each_save_previews_what_a_fresh_build_gives(preview, capsys, n):
    file, old, new = EDITS[n]
    edit(preview.root / file, old, new)
    capsys.readouterr()
    assert preview.build()
    assert_fresh(preview, capsys.readouterr().err)


def test_a_problem_keeps_the_last_good_preview_until_fixed(preview, capsys):
    """A broken file is reported at path:line:col while other files change, and the preview
    stays as it was; once fixed, the preview is a fresh build's again."""
    glossary, route = preview.root / "content/glossary.yml", preview.root / "content/routes/adoption.md"
    good_glossary, good_route = (p.read_text(encoding="utf-8") for p in (glossary, route))
    version, model = preview.builds.version, preview.model
    glossary.write_text(good_glossary.replace("\n", "\n  : [\n", 1), encoding="utf-8")
    for n in range(2):  # the second save changes another file: the glossary's problem is still reported
        edit(route, "summary: >-\n", f"summary: >-\n  Edit {n}.\n")
        assert not preview.build()
        assert any(re.match(r"content/glossary\.yml:\d+:\d+: ", p) for p in preview.builds.problems)
        assert (preview.builds.version, preview.model) == (version, model)
    assert "Edit 0." not in (preview.builds.current / "routes/adoption.html").read_text(encoding="utf-8")
    glossary.write_text(good_glossary, encoding="utf-8")
    route.write_text(good_route, encoding="utf-8")
    capsys.readouterr()
    assert preview.build()
    assert preview.builds.problems == []
    assert_fresh(preview, capsys.readouterr().err)
