"""Problems found in content: collected, sorted and reported as `path:line:col: message`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}:{self.col}: {kind}{self.message}"

    def annotation(self) -> str:
        """The problem as a GitHub Actions workflow command, shown on the changed line."""
        level = "warning" if self.warning else "error"
        message = _escape(self.message)
        path = _escape(self.path).replace(":", "%3A").replace(",", "%2C")  # property values escape these too
        return f"::{level} file={path},line={self.line},col={self.col}::{message}"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _problem(path: str, where: tuple[int | str, ...], warning: bool) -> Problem:
    line, col, message = where
    return Problem(path, max(int(line), 1), max(int(col), 1), str(message), warning)


@dataclass
class Problems:
    """Everything wrong with the content, gathered in one pass."""

    items: list[Problem] = field(default_factory=list)

    # Positions usually arrive unpacked from a (line, col) pair: error(path, *pos, message).
    def error(self, path: str, *where: int | str) -> None:
        """Add an error at `where` = line, col, message."""
        self.items.append(_problem(path, where, warning=False))

    def warn(self, path: str, *where: int | str) -> None:
        """Add a warning at `where` = line, col, message."""
        self.items.append(_problem(path, where, warning=True))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.warning]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


class ContentError(Exception):
    """Raised when content cannot be built; carries every problem found."""

    def __init__(self, problems: Problems):
        self.problems = problems
        super().__init__(f"{len(problems.errors)} error(s) in content")


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"
