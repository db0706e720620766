"""`render_site`: write the docs tree and mkdocs.yml to a working folder, build, normalise."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from generator.model import Model
from generator.progress import Progress
from generator.web.mkdocs_config import mkdocs_config, write_config
from generator.web.pages import docs_tree

THEME = Path(__file__).resolve().parents[2] / "theme" / "web"


class SiteBuildError(Exception):
    """The engine reported problems building the site."""


def render_site(model: Model, out: Path, progress: Progress) -> None:
    """Write the complete static site into `out`, an existing (normally empty) folder."""
    with tempfile.TemporaryDirectory(prefix="briefings-web-") as tmp:
        work = Path(tmp)
        with progress.step("Writing the website's pages"):
            config_file = write_docs(model, work, work / "site")
        with progress.step("Building the website (Material for MkDocs)"):
            run_engine(config_file, epoch(model.config.edition))
        shutil.copytree(work / "site", out, dirs_exist_ok=True)


def write_docs(model: Model, work: Path, site_dir: Path) -> Path:
    """The docs tree and mkdocs.yml in `work`; returns the config file's path."""
    pages = docs_tree(model)
    docs = work / "docs"
    for page in pages:
        path = docs / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.text, encoding="utf-8")
    config_file = work / "mkdocs.yml"
    write_config(config_file, mkdocs_config(model, pages, site_dir, THEME))
    return config_file


def epoch(day: dt.date) -> int:
    """Seconds since 1970 at midnight UTC on `day`: every timestamp the engine writes."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def run_engine(config_file: Path, source_date_epoch: int) -> None:
    """`mkdocs build` in this process; raise `SiteBuildError` on any warning or error."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _source_date_epoch(source_date_epoch), _engine_log() as problems:
        try:
            build(load_config(str(config_file)))
        except MkDocsException as exc:
            problems.append(str(exc))
    if problems:
        raise SiteBuildError("the site engine reported: " + "; ".join(problems))


@contextmanager
def _source_date_epoch(value: int):
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(value)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _engine_log():
    """Collect the engine's warnings instead of printing them."""
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    saved = (logger.handlers[:], logger.propagate, logger.level)
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.INFO)
    try:
        yield handler.messages
    finally:
        logger.handlers, logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])
