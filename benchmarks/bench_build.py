"""Time `briefings check` and `briefings build` on synthetic corpora of growing size.

Generates N routes, M references and K citations a page, then prints wall-clock
and CPU time (of the command and the processes it starts) per run and per page so
that cost growth with size is visible, and the time of a second build with nothing
changed (formatted citations, briefings and compiled templates then come from
.cache/). The load average is printed too: the machine may be shared. A benchmark,
not a test: it asserts nothing.

    python benchmarks/bench_build.py                 # N = 10, 100, 1000
    python benchmarks/bench_build.py --sizes 10 100 --refs-per-route 5 --cites 8 --engine zensical
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The default configuration, without the settings that name pages of the default content.
CONFIG = "".join(
    line
    for line in (ROOT / "site_config.yml").read_text(encoding="utf-8").splitlines(keepends=True)
    if not line.startswith(("home_topic:", "explainer:"))
).replace("review_limit_days: 730", "review_limit_days: 36500")


def make_corpus(dest: Path, routes: int, refs: int, cites: int, seed: int = 1, engine: str = "material") -> None:
    """Write a synthetic project: routes with figures and sections, recommendations, a bibliography."""
    rnd = random.Random(seed)
    (dest / "content" / "routes").mkdir(parents=True)
    (dest / "content" / "recommendations").mkdir()
    (dest / "content" / "sources").mkdir()
    (dest / "site_config.yml").write_text(CONFIG + f"engine: {engine}\n", encoding="utf-8")
    bib = []
    for i in range(refs):
        bib.append(
            f"@article{{ref{i},\n  author = {{Author{i % 97}, A. and Writer{i % 13}, B.}},\n"
            f"  title = {{Study number {i} of children in care}},\n  journal = {{Journal of Care {i % 7}}},\n"
            f"  volume = {{{i % 40}}},\n  pages = {{{i}--{i + 10}}},\n  year = {{{1990 + i % 35}}}\n}}\n"
        )
    (dest / "references.bib").write_text("\n".join(bib), encoding="utf-8")
    (dest / "content" / "sources" / "synthetic.md").write_text(
        "---\nid: synthetic\ntitle: Synthetic source\nshort_title: Synthetic\nkind: other\nreference: ref0\n"
        "year: 2020\nsummary: A generated source.\n---\n\n## What it is\n\nGenerated.\n",
        encoding="utf-8",
    )

    def cite() -> str:
        return f"[@ref{rnd.randrange(refs)}, p. {rnd.randrange(1, 300)}]"

    recs = []
    for n in range(routes):
        rid = f"route-{n:04d}"
        paragraphs = "\n\n".join(f"Finding {k} about this route {cite()}." for k in range(cites))
        (dest / "content" / "routes" / f"{rid}.md").write_text(
            f"""---
id: {rid}
title: Route {n}
order: {n}
summary: A synthetic route {cite()}.
key_messages:
  - First message {cite()}.
  - Second message, see [](route:route-{(n + 1) % routes:04d}).
figures:
  - value: "{n % 100}%"
    measure: of something measured
    population: Synthetic children
    citation: "{cite()}"
    headline: true
evidence:
  rating: moderate
  reason: Generated.
outcomes: [stability]
compare:
  who: Everyone.
  legal_basis: None.
  stability: Stable {cite()}.
  support: Some.
reviewed: 2026-01-01
---

## What the research says

{paragraphs}

## What helps

Help {cite()}.

## What needs to change

Change.
""",
            encoding="utf-8",
        )
        recs.append(
            f'  - id: synthetic-{n}\n    number: "{n}"\n    theme: support\n    routes: [{rid}]\n'
            f'    audience: [practitioners]\n    text: Do something.\n    citation: "{cite()}"\n'
        )
    (dest / "content" / "recommendations" / "synthetic.yml").write_text(
        "source: synthetic\nrecommendations:\n" + "".join(recs), encoding="utf-8"
    )
    # cite every reference once, so the corpus is clean under --strict
    (dest / "content" / "pages").mkdir()
    (dest / "content" / "pages" / "about.md").write_text(
        "---\nid: about\ntitle: About\n---\n\nAll works: " + "; ".join(f"[@ref{i}]" for i in range(refs)) + ".\n",
        encoding="utf-8",
    )


def timed(*args: str) -> tuple[float, float]:
    """Wall and CPU seconds (user and system, with its children) of one `briefings` command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator", *args, "-q"], capture_output=True, text=True)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"briefings {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000], help="numbers of routes")
    parser.add_argument("--refs-per-route", type=int, default=5, help="references per route (M = N x this)")
    parser.add_argument("--cites", type=int, default=5, help="citations per page body (K)")
    parser.add_argument("--engine", choices=("material", "zensical"), default="material")
    args = parser.parse_args()
    print(f"engine: {args.engine}; times are wall / CPU seconds")
    print(
        f"{'routes':>7} {'refs':>6} {'pages':>6} {'check':>12} {'build':>12} {'build ms/page':>16}"
        f" {'rebuild':>12} {'load avg':>9}"
    )
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp)
            refs = max(n * args.refs_per_route, 10)
            make_corpus(project, n, refs, args.cites, engine=args.engine)
            config = str(project / "site_config.yml")
            check = timed("check", "--config", config)
            build = timed("build", "--config", config)
            rebuild = timed("build", "--config", config)
            pages = sum(1 for _ in (project / "site").rglob("*.html")) or n
            print(
                f"{n:>7} {refs:>6} {pages:>6} {check[0]:>5.2f} / {check[1]:<4.2f} {build[0]:>5.2f} / {build[1]:<4.2f}"
                f" {1000 * build[0] / pages:>7.1f} / {1000 * build[1] / pages:<6.1f}"
                f" {rebuild[0]:>5.2f} / {rebuild[1]:<4.2f} {os.getloadavg()[0]:>9.1f}",
                flush=True,
            )
            shutil.rmtree(project / "site", ignore_errors=True)


if __name__ == "__main__":
    main()
