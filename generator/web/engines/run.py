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


def run_engine(
    engine: str, config_file: Path, source_date_epoch: int, dirty: bool = False, cache: Path | None = None
) -> None:
    """Build the site that `config_file` describes; raise `SiteBuildError` on any warning or error.

    `cache`: a folder where Material keeps its compiled templates between builds.
    """
    if engine == "zensical":
        run_zensical(config_file, source_date_epoch)
    else:
        run_material(config_file, source_date_epoch, dirty, cache)


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


def run_material(config_file: Path, source_date_epoch: int, dirty: bool = False, cache: Path | None = None) -> None:
    """`mkdocs build` in this process, its compiled templates kept in `cache`/jinja if given.

    Compiling Material's templates is a third of a small site's build; Jinja's bytecode
    cache is keyed by each template's source, so an edited template is compiled afresh.
    """
    import jinja2
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config = load_config(str(config_file))
    if cache is not None:
        (cache / "jinja").mkdir(parents=True, exist_ok=True)
        new_env = config.theme.get_env

        def cached_env() -> jinja2.Environment:
            env = new_env()
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache / "jinja"))
            return env

        config.theme.get_env = cached_env  # type: ignore[method-assign]
    with _source_date_epoch(source_date_epoch), _engine_log() as problems:
        try:
            build(config, dirty=dirty)
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
