"""`briefings build`: the model, then every output, written to a temporary folder and swapped in.

A failed build leaves the last good output exactly as it was.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from generator import citeproc, citethis, editions, opendata
from generator.memo import Memo
from generator.model import Model
from generator.modeljson import model_to_json
from generator.printing import render_briefings
from generator.progress import Progress
from generator.web import render_site


def with_project(model: Model, config: Path, memo: Memo | None = None) -> Model:
    """The model with what only a build adds from the project folder: edition changes, page citations.
    A `memo` kept between builds (`serve`) redoes them only when what they read changed."""
    root = config.parent
    memo = memo or Memo()
    style = citeproc.resolve_style(model.config.csl, root)
    cited = ("page citations", repr(model.config), tuple(citethis.cited_pages(model)), style, style.path.read_bytes())
    return dataclasses.replace(
        model,
        changes=editions.history(model, root, config, memo),
        page_citations=memo.get(cited, citethis.page_citations, model, style, root / ".cache"),
    )


def write_outputs(model: Model, staging: Path, progress: Progress, config: Path) -> Path:
    """Render everything under `staging`; return the finished site folder.

    The print briefings render alongside the website, in a folder of their own (the
    site engine empties its output folder when it starts), and are moved in after.
    """
    site = staging / "site"
    with progress.step("Comparing editions and citing pages"):
        model = with_project(model, config)
    with ThreadPoolExecutor(max_workers=1) as pool:
        briefings = pool.submit(render_briefings, model, staging / "briefings", progress, config.parent)
        render_site(model, site, progress, config.parent / ".cache")
        briefings.result()
    (staging / "briefings").rename(site / "briefings")
    with progress.step("Writing the resolved model"):
        (site / "model.json").write_text(model_to_json(model), encoding="utf-8")
    with progress.step("Writing the open data"):
        opendata.write_data(model, site / "data", config.parent / "references.bib")
    return site


def remove_stale(out: Path) -> None:
    """Delete the staging folders of earlier builds that were killed (their process is gone)."""
    for path in out.parent.glob(f"{glob.escape(out.name)}.*-*"):
        kind, _, pid = path.name[len(out.name) + 1 :].partition("-")
        if kind in ("tmp", "old") and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def build_into(model: Model, out: Path, progress: Progress, config: Path) -> None:
    """Build in a temporary sibling of `out`, then swap it in; on failure `out` is untouched."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out)
    staging = out.parent / f"{out.name}.tmp-{os.getpid()}"
    old = out.parent / f"{out.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "site").mkdir(parents=True)
    try:
        site = write_outputs(model, staging, progress, config)
        if out.exists():
            out.rename(old)
        site.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
