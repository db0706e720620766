"""Time the print briefings of the default content: every PDF and DOCX, in parallel as the build does.

    python benchmarks/bench_print.py [--runs 3]

Prints wall-clock and CPU seconds per run (the target is under 3 s wall on two cores).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from generator.printing import render_briefings
from generator.progress import Progress
from generator.resolve import build_model

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    model, _ = build_model(ROOT)
    print(f"{len(model.briefings)} briefings, {2 * len(model.briefings)} files")
    for run in range(1, args.runs + 1):
        out = Path(tempfile.mkdtemp())
        wall, cpu = time.perf_counter(), time.process_time()
        render_briefings(model, out, Progress(quiet=True))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"run {run}: {wall:.2f} s wall, {cpu:.2f} s CPU in this process (Typst; pandoc runs in subprocesses)")
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
