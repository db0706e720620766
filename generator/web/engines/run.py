"""Run an engine over a docs tree: Material for MkDocs in this process, Zensical as a subprocess."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]  # the checkout, so Zensical can import our Markdown extension


class SiteBuildError(Exception):
    """The engine reported problems building the site."""


def run_engine(engine: str, config_file: Path, source_date_epoch: int, dirty: bool = False) -> None:
    """Build the site that `config_file` describes; raise `SiteBuildError` on any warning or error."""
    if engine == "zensical":
        run_zensical(config_file, source_date_epoch)
    else:
        run_material(config_file, source_date_epoch, dirty)


def run_zensical(config_file: Path, source_date_epoch: int) -> None:
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": str(source_date_epoch),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", str(config_file)],
        cwd=config_file.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SiteBuildError("the site engine (Zensical) reported: " + (done.stderr or done.stdout).strip())


def run_material(config_file: Path, source_date_epoch: int, dirty: bool = False) -> None:
    """`mkdocs build` in this process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _source_date_epoch(source_date_epoch), _engine_log() as problems:
        try:
            build(load_config(str(config_file)), dirty=dirty)
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
