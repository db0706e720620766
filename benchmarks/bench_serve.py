"""Time `briefings serve` from saving a file to the browser showing the change.

Copies the default content to a temporary folder, starts `briefings serve` on it,
opens the adoption route page in headless Chromium (Debian's /usr/bin/chromium),
then makes three kinds of edit, each several times, and waits until the reloaded
page shows it:

- prose: new words in the route's summary (target: median <= 0.5 s);
- citation: a sentence with a new citation (a new locator), so pandoc runs (<= 1.5 s);
- bibliography: a changed title in references.bib, shown in the page's references (<= 2 s).

    python benchmarks/bench_serve.py [--edits 5] [--port 8765] [--engine material|zensical]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGETS = {"prose": 0.5, "citation": 1.5, "bibliography": 2.0}
KEY = "selwyn2014beyond"  # cited on the adoption page
TITLE = "title = {Beyond the Adoption Order: Challenges, Interventions and Disruptions"


def wait_for_server(url: str, limit: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        try:
            urllib.request.urlopen(url, timeout=1)
            return time.perf_counter() - start
        except OSError:
            time.sleep(0.1)
    sys.exit(f"the preview did not start within {limit} s")


def edits(project: Path, n: int):
    """(kind, file, new text, words the page then shows) for edit `n` of each kind."""
    route = project / "content" / "routes" / "adoption.md"
    bib = project / "references.bib"
    text = route.read_text(encoding="utf-8")
    marker = f"Benchmark edit number {n}."
    yield "prose", route, text.replace("summary: >-\n", f"summary: >-\n  {marker}\n", 1), marker
    marker = f"Benchmark citation {n}"
    yield (
        "citation",
        route,
        text.replace("summary: >-\n", f"summary: >-\n  {marker} [@{KEY}, p. {900 + n}].\n", 1),
        f"p. {900 + n}",
    )
    marker = f"Bench edition {n}"
    yield (
        "bibliography",
        bib,
        re.sub(re.escape(TITLE), f"{TITLE} ({marker})", bib.read_text(encoding="utf-8"), count=1),
        marker,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=5, help="edits of each kind (default: 5)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--engine", choices=("material", "zensical"), help="override site_config.yml's engine")
    args = parser.parse_args()
    times: dict[str, list[float]] = {kind: [] for kind in TARGETS}
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("content", "references.bib", "site_config.yml"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
        if args.engine:
            config = project / "site_config.yml"
            text = re.sub(r"(?m)^engine:.*\n", "", config.read_text(encoding="utf-8"))
            config.write_text(text + f"engine: {args.engine}\n", encoding="utf-8")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "serve",
                "--port",
                str(args.port),
                "-q",
                "--config",
                str(project / "site_config.yml"),
            ],
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{args.port}/routes/adoption.html"
            print(f"first build until serving: {wait_for_server(url):.2f} s")
            originals = {
                p: p.read_text(encoding="utf-8")
                for p in (project / "references.bib", project / "content/routes/adoption.md")
            }
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page()
                page.goto(url)
                for n in range(1, args.edits + 1):
                    for kind, file, text, shown in edits(project, n):
                        page.wait_for_load_state("load")
                        time.sleep(0.3)  # let the page's long-poll connect
                        start = time.perf_counter()
                        file.write_text(text, encoding="utf-8")
                        page.wait_for_function(
                            "m => document.body && document.body.textContent.includes(m)", arg=shown, timeout=120_000
                        )
                        times[kind].append(time.perf_counter() - start)
                        print(f"{kind} edit {n}: saved to shown in the browser in {times[kind][-1]:.2f} s")
                        file.write_text(originals[file], encoding="utf-8")  # undo, and wait for that too
                        page.wait_for_function(
                            "m => document.body && !document.body.textContent.includes(m)", arg=shown, timeout=120_000
                        )
                browser.close()
        finally:
            server.terminate()
            server.wait(10)
    for kind, target in TARGETS.items():
        median = statistics.median(times[kind])
        print(f"median {kind} edit: {median:.2f} s (target {target} s){'' if median <= target else '  OVER TARGET'}")


if __name__ == "__main__":
    main()
