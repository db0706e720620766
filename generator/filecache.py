"""Files kept in the project's ``.cache/``, each named by a hash of everything that made it.

Used for formatted citations (`citecache`) and for print layouts and DOCX
(`printing.layout`). An unreadable or unwritable cache is never an error: the
result is computed again, and a read-only checkout still builds.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


def key(parts: Iterable[bytes]) -> str:
    """A name for what `parts` make: a hash of each part's hash, so parts cannot run into each other."""
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def read(file: Path) -> bytes | None:
    """The cached file's bytes, marked as recently used (`prune` keeps it), or None."""
    try:
        data = file.read_bytes()
        os.utime(file)
        return data
    except OSError:
        return None


def write(file: Path, data: bytes) -> None:
    """Store `data` as `file`, atomically, so that a build running beside this one never reads half a file."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f"{file.name}.tmp-{os.getpid()}-{id(data)}")
        tmp.write_bytes(data)
        tmp.replace(file)
    except OSError:
        pass


def prune(folder: Path, keep: int) -> None:
    """Delete all but the `keep` most recently used files of `folder`."""
    try:
        files = sorted(folder.iterdir(), key=lambda f: f.stat().st_mtime, reverse=True)
        for file in files[keep:]:
            file.unlink()
    except OSError:
        pass  # another build pruned it first, or the checkout is read-only
