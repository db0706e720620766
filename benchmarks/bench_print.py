"""Time the print briefings of the default content: every PDF and DOCX, in parallel as the build does,
and the page-limit layout that `check` adds, without and with its cache.

    python benchmarks/bench_print.py [--runs 3]

Prints wall-clock and CPU seconds per run, CPU both in this process (Typst) and in its pandoc
subprocesses (the target for the render is under 3 s wall on two cores).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.printing import check_page_limits, render_briefings
from generator.problems import Problems
from generator.progress import Progress
from generator.resolve import build_model

ROOT = Path(__file__).resolve().parent.parent


def timed(what: str, run: Callable[[], object]) -> None:
    def cpu(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    wall, own, children = time.perf_counter(), cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    run()
    wall, own, children = (
        time.perf_counter() - wall,
        cpu(resource.RUSAGE_SELF) - own,
        cpu(resource.RUSAGE_CHILDREN) - children,
    )
    print(f"{what}: {wall:.2f} s wall, {own:.2f} s CPU in this process + {children:.2f} s in pandoc")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    model, _ = build_model(ROOT)
    limited = sum(1 for b in model.briefings if b.max_pages)
    print(f"{len(model.briefings)} briefings ({limited} with a max_pages), {2 * len(model.briefings)} files")
    for run in range(1, args.runs + 1):
        one_run(run, model)


def one_run(run: int, model) -> None:
    project = Path(tempfile.mkdtemp())  # an empty .cache/print/ in it
    out = project / "out"
    timed(f"run {run}: render, no cache", lambda: render_briefings(model, out, Progress(quiet=True)))
    timed(f"run {run}: check's layout, cold cache", lambda: check_page_limits(model, Problems(), project))
    timed(f"run {run}: check's layout, warm cache", lambda: check_page_limits(model, Problems(), project))
    timed(f"run {run}: render after check", lambda: render_briefings(model, out, Progress(quiet=True), project))
    shutil.rmtree(project)


if __name__ == "__main__":
    main()
