"""`render_briefings`: every briefing of the model as PDF and DOCX, the pandoc and Typst work in parallel."""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import typst

from generator.model import Briefing, Model
from generator.printing.document import build_document
from generator.printing.failures import PrintError, located
from generator.printing.layout import Layout, docx_of, lay_out, prune, too_long_message
from generator.printing.pandoc import PandocFailed
from generator.progress import Progress


def render_briefings(model: Model, out: Path, progress: Progress, project: Path | None = None) -> list[Path]:
    """Write <briefing-id>.pdf and <briefing-id>.docx for every briefing into `out`; return the paths.

    `project` is the folder of the site configuration: its ``.cache/print/`` keeps the layouts
    and the DOCX files (`layout`), and errors name files relative to it. Raises `PrintError` or `ContentError`
    (`failures`) when pandoc or Typst fails, and `PrintError` when a PDF exceeds its max_pages.
    """
    out.mkdir(parents=True, exist_ok=True)
    if not model.briefings:
        return []
    cache = project / ".cache" / "print" if project else None
    with progress.step(f"Rendering {len(model.briefings)} print briefings (PDF and DOCX)"):
        # Longest first, so that the two cores finish together.
        order = sorted(model.briefings, key=lambda b: -len(build_document(model, b).body))
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            layout_jobs = {b.id: pool.submit(lay_out, model, b, cache) for b in order}
            docx_jobs: dict[str, tuple[Layout, Future]] = {}
            for b in order:
                layout = _result(layout_jobs[b.id], b, "making the PDF", project)
                if layout.too_long:
                    raise PrintError(
                        f"{b.origin.path}:{b.max_pages_at[0]}:{b.max_pages_at[1]}: " + too_long_message(layout, model)
                    )
                docx_jobs[b.id] = layout, pool.submit(docx_of, model, layout, cache)
            written: list[Path] = []
            for b in model.briefings:
                layout, job = docx_jobs[b.id]
                docx = _result(job, b, "making the DOCX", project)
                written.append(_write(out / f"{b.id}.pdf", layout.pdf))
                written.append(_write(out / f"{b.id}.docx", docx))
    prune(cache)
    return written


def _result(job: Future, b: Briefing, what: str, project: Path | None):
    try:
        return job.result()
    except (typst.TypstError, PandocFailed) as exc:
        raise located(exc, b, what, project) from None


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
