"""Progress on long work: a live line in a terminal, plain lines when piped, nothing when quiet."""

from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager


class Progress:
    def __init__(self, quiet: bool = False, verbose: bool = False, stream=None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.verbose = verbose
        self.tty = self.stream.isatty()
        self._lock = threading.Lock()  # renderers report from more than one thread

    def _write(self, text: str) -> None:
        with self._lock:
            self.stream.write(text)
            self.stream.flush()

    @contextmanager
    def step(self, what: str):
        """Announce a step; report how long it took (in a terminal, or with -v)."""
        if self.quiet:
            yield
            return
        start = time.perf_counter()
        if self.tty:
            self._write(f"\r\033[K… {what}")
        yield
        took = time.perf_counter() - start
        if self.tty:
            self._write(f"\r\033[K✓ {what} ({took:.1f} s)\n")
        elif self.verbose:
            self._write(f"{what}: done in {took:.2f} s\n")
        else:
            self._write(f"{what}\n")

    def info(self, message: str) -> None:
        if not self.quiet:
            self._write(message + "\n")
