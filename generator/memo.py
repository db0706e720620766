"""Results of pure steps, kept from one build to the next by their inputs: what makes a preview fast.

Every build runs the same steps through a `Memo`. A build's own fresh Memo
computes everything once; `serve` keeps one Memo between saves, so a save
recomputes only the steps whose inputs changed (a file's text, a text's words).
A key must hold everything its step reads. Each build keeps only the entries it
used, so memory stays the size of one build.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self._last: dict[Hashable, Any] = {}
        self._now: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[..., T], *args: Any) -> T:
        """`compute(*args)`, or its result from this or the last build for the same `key`."""
        if key not in self._now:
            self._now[key] = self._last[key] if key in self._last else compute(*args)
        return self._now[key]

    def next_build(self) -> None:
        """Start a build: entries the last build did not use are dropped."""
        self._last, self._now = self._now, {}
