"""`briefings build`: the model, then every output, written to a temporary folder and swapped in.

A failed build leaves the last good output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.model import Model
from generator.modeljson import model_to_json
from generator.progress import Progress


def write_outputs(model: Model, root: Path, out: Path, progress: Progress) -> None:
    """Render everything into `out`, a fresh folder."""
    with progress.step("Writing the resolved model"):
        (out / "model.json").write_text(model_to_json(model), encoding="utf-8")


def build_into(model: Model, root: Path, out: Path, progress: Progress) -> None:
    """Build in a temporary sibling of `out`, then swap it in; on failure `out` is untouched."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f"{out.name}.tmp-{os.getpid()}"
    old = out.parent / f"{out.name}.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        write_outputs(model, root, tmp, progress)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
