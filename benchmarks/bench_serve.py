"""Time `briefings serve` from saving a route file to the browser showing the change.

Copies the default content to a temporary folder, starts `briefings serve` on it,
opens a route page in headless Chromium (Debian's /usr/bin/chromium), then edits
the route's summary and waits until the reloaded page shows the new words.

    python benchmarks/bench_serve.py [--edits 3] [--port 8765]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def wait_for_server(url: str, limit: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        try:
            urllib.request.urlopen(url, timeout=1)
            return time.perf_counter() - start
        except OSError:
            time.sleep(0.1)
    sys.exit(f"the preview did not start within {limit} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("content", "references.bib", "site_config.yml"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(args.port), "-q",
                                   "--config", str(project / "site_config.yml")], stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{args.port}/routes/adoption.html"
            print(f"first build until serving: {wait_for_server(url):.2f} s")
            route = project / "content" / "routes" / "adoption.md"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page()
                page.goto(url)
                for n in range(1, args.edits + 1):
                    marker = f"Benchmark edit number {n}."
                    text = route.read_text(encoding="utf-8")
                    start = time.perf_counter()
                    route.write_text(text.replace("summary: >-\n", f"summary: >-\n  {marker}\n", 1), encoding="utf-8")
                    page.wait_for_function("m => document.body.innerText.includes(m)", arg=marker, timeout=120_000)
                    print(f"edit {n}: saved to shown in the browser in {time.perf_counter() - start:.2f} s")
                browser.close()
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
