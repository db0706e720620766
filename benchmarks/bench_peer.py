"""Time `briefings build` against a peer: Material for MkDocs with the mkdocs-bibtex plugin and a CSL style.

Both build the same synthetic corpus (bench_build's: by default 100 routes and 500
references, five citations a page). The peer gets each route's text as a Markdown
page with pandoc-style citations, formatted by mkdocs-bibtex through pandoc with the
same CSL style. The peer runs in its own virtual environment (created once, under
.cache/peer-venv); ours runs with nothing cached (.cache/ removed before each run).
Prints both wall and CPU times (user and system, with child processes such as pandoc),
the load average (the machine may be shared) and the ratios.

    python benchmarks/bench_peer.py [--routes 100] [--refs 500] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import ROOT, make_corpus  # noqa: E402

VENV = ROOT / ".cache" / "peer-venv"
PEER = ["mkdocs-material==9.8.1", "mkdocs-bibtex==4.4.0", "pypandoc-binary"]


def peer_python() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        venv.create(VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PEER], check=True)
    return python


def peer_project(project: Path, dest: Path, style: Path) -> None:
    """The same routes as Markdown pages for Material + mkdocs-bibtex."""
    docs = dest / "docs"
    docs.mkdir(parents=True)
    nav = []
    for route in sorted((project / "content" / "routes").glob("*.md")):
        text = route.read_text(encoding="utf-8")
        front, body = text.split("\n---\n", 1)
        title = re.search(r"^title: (.*)$", front, re.M).group(1)
        summary = re.search(r"^summary: (.*)$", front, re.M).group(1)
        (docs / route.name).write_text(
            f"# {title}\n\n{summary}\n\n{body}\n\n## References\n\n\\bibliography\n", encoding="utf-8"
        )
        nav.append({title: route.name})
    (docs / "index.md").write_text("# Home\n\nA synthetic site.\n", encoding="utf-8")
    shutil.copy(project / "references.bib", dest / "references.bib")
    import yaml

    config = {
        "site_name": "Peer",
        "use_directory_urls": False,
        "theme": {"name": "material"},
        "plugins": ["search", {"bibtex": {"bib_file": "references.bib", "csl_file": str(style)}}],
        "markdown_extensions": ["footnotes"],
        "nav": [{"Home": "index.md"}, {"Routes": nav}],
    }
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `command`, its child processes included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routes", type=int, default=100)
    parser.add_argument("--refs", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3, help="builds of each; medians are compared")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from generator.citeproc import resolve_style

    python = peer_python()
    with tempfile.TemporaryDirectory() as tmp:
        ours, peer = Path(tmp) / "ours", Path(tmp) / "peer"
        make_corpus(ours, args.routes, args.refs, 5)
        peer_project(ours, peer, resolve_style("harvard-cite-them-right", ours).path)
        times: dict[str, list[tuple[float, float]]] = {"briefings build": [], "Material + mkdocs-bibtex": []}
        for _ in range(args.runs):
            shutil.rmtree(ours / ".cache", ignore_errors=True)  # cold: nothing cached
            times["briefings build"].append(
                timed(
                    [sys.executable, "-m", "generator", "build", "-q", "--config", str(ours / "site_config.yml")], ROOT
                )
            )
            times["Material + mkdocs-bibtex"].append(timed([str(python), "-m", "mkdocs", "build", "-q"], peer))
        pages = sum(1 for _ in (ours / "site").rglob("*.html"))
    print(f"corpus: {args.routes} routes ({pages} pages of ours), {args.refs} references, 5 citations a page")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    medians = {}
    for name, values in times.items():
        medians[name] = [statistics.median(v[k] for v in values) for k in (0, 1)]
        runs = ", ".join(f"{w:.2f}/{c:.2f}" for w, c in values)
        print(f"{name}: median {medians[name][0]:.2f} s wall, {medians[name][1]:.2f} s CPU  (wall/CPU: {runs})")
    ours_t, peer_t = medians["briefings build"], medians["Material + mkdocs-bibtex"]
    print(
        f"ratio: briefings build is {peer_t[0] / ours_t[0]:.1f}x faster in wall time, {peer_t[1] / ours_t[1]:.1f}x in CPU"
    )


if __name__ == "__main__":
    main()
