"""Progress on long work: a live line in a terminal, plain lines when piped, nothing when quiet."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager


class Progress:
    def __init__(self, quiet: bool = False, verbose: bool = False, stream=None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.verbose = verbose
        self.tty = self.stream.isatty()

    @contextmanager
    def step(self, what: str):
        """Announce a step; report how long it took (in a terminal, or with -v)."""
        if self.quiet:
            yield
            return
        start = time.perf_counter()
        if self.tty:
            self.stream.write(f"\r\033[K… {what}")
            self.stream.flush()
        yield
        took = time.perf_counter() - start
        if self.tty:
            self.stream.write(f"\r\033[K✓ {what} ({took:.1f} s)\n")
        elif self.verbose:
            self.stream.write(f"{what}: done in {took:.2f} s\n")
        else:
            self.stream.write(f"{what}\n")
        self.stream.flush()

    def info(self, message: str) -> None:
        if not self.quiet:
            self.stream.write(message + "\n")
            self.stream.flush()
