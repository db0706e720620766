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
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level} file={self.path},line={self.line},col={self.col}::{message}"


@dataclass
class Problems:
    """Everything wrong with the content, gathered in one pass."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, col: int, message: str) -> None:
        self.items.append(Problem(path, max(line, 1), max(col, 1), message))

    def warn(self, path: str, line: int, col: int, message: str) -> None:
        self.items.append(Problem(path, max(line, 1), max(col, 1), message, warning=True))

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
