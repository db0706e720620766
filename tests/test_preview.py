"""`serve`'s incremental preview shows, after each save, what a fresh build of the same files gives."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build import with_project
from generator.progress import Progress
from generator.resolve import build_model
from generator.serve import Builds, Preview
from generator.web.pages import site_pages
from tests.test_check import edit
from tests.test_diff import git
from tests.test_opendata import tag_first_edition

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


def assert_fresh(preview: Preview, printed: str) -> None:
    """The preview's model, problems and served pages are those of a fresh build."""
    model, problems = build_model(preview.root, preview.config_path)
    model = with_project(model, preview.config_path)
    assert preview.model == model
    assert printed.splitlines() == [str(p) for p in problems.sorted()]
    assert preview.builds.current is not None
    for page in site_pages(model):
        served = (preview.builds.current / f"{page.path}.html").read_text(encoding="utf-8")
        assert page.body.strip() in served, page.path


def test_the_preview_shows_what_only_build_added_before(preview):
    """ "Cite this page" blocks and the changes page, as `build` makes them."""
    served = preview.builds.current
    assert preview.model is not None and preview.model.page_citations and preview.model.changes
    for cited in preview.model.page_citations:
        assert cited.bibtex.split(",")[0] in (served / f"{cited.page}.html").read_text(encoding="utf-8")
    assert "(this edition)" in (served / "changes.html").read_text(encoding="utf-8")


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


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_an_earlier_edition_is_built_once_per_commit(project, capsys, monkeypatch):
    """The changes page follows each save; the earlier edition is built again only when its ref moves."""
    from generator import diff

    tag_first_edition(project)
    built = []
    side_at = diff.side_at
    monkeypatch.setattr(diff, "side_at", lambda *args: built.append(args[2]) or side_at(*args))
    (project / "work").mkdir()
    preview = Preview(project, project / "site_config.yml", Builds(project / "work"), Progress(quiet=True))
    assert preview.build(full=True)
    route = project / "content/routes/adoption.md"
    for words in ("More support.", "Much more support."):
        edit(route, words, f"Much {words.lower()}")
        capsys.readouterr()
        assert preview.build()
        assert_fresh(preview, capsys.readouterr().err)
    assert built == ["first"] * 3  # the preview's first build, then only the fresh builds compared with
    before = (preview.builds.current / "changes.html").read_text(encoding="utf-8")
    git(project, "commit", "-qm", "second", "content")  # the edits: the tag then differs only in settings
    git(project, "tag", "-f", "first")
    assert preview.build()
    after = (preview.builds.current / "changes.html").read_text(encoding="utf-8")
    assert len(built) == 4
    before, after = (
        page.split('id="edition-2026-06-01"')[1].split('id="edition-2026-01-01"')[0] for page in (before, after)
    )
    assert "Adoption" in before and "Adoption" not in after and "changed edition, editions" in after


def test_a_prose_edit_is_written_in_place_on_zensical_too(tmp_path):
    """Zensical drops our `data-search-exclude` attributes from page bodies: the preview still
    finds every body in its page, so a prose edit rewrites the page instead of running the engine."""
    root = tmp_path / "project"
    for name in ("content", "references.bib", "site_config.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "engine: zensical\n", encoding="utf-8")
    (root / "work").mkdir()
    preview = Preview(root, config, Builds(root / "work"), Progress(quiet=True))
    assert preview.build(full=True)
    assert set(preview.site.shells) == set(preview.site.pages)
    edit(root / "content/routes/adoption.md", "summary: >-\n", "summary: >-\n  A prose edit on Zensical.\n")
    assert preview.build()
    assert preview.stale  # written into the served build in place; the engine did not run
    served = (preview.builds.current / "routes/adoption.html").read_text(encoding="utf-8")
    assert "A prose edit on Zensical." in served and served.count("</html>") == 1
