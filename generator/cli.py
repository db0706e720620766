"""The `briefings` command line.

Exit codes: 0 success; 1 the content has errors (or warnings, with --strict);
2 the command was used wrongly; 3 a build step failed for a reason outside the
content (a renderer or tool error); 130 interrupted (Ctrl-C); 143 terminated
(SIGTERM). Each failure is one line on stderr; -v adds the traceback.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import threading
from pathlib import Path

from generator import __version__
from generator.problems import ContentError, Problems, in_github_actions
from generator.progress import Progress

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_FAILURE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every `finally` (the build's clean-up) runs."""


def _terminate(signum, frame):
    raise Terminated()


def report(problems: Problems, strict: bool, stream=None) -> None:
    """Print every problem as `path:line:col: message`, then a count."""
    stream = stream or sys.stderr
    items = problems.sorted()
    for problem in items:
        print(problem, file=stream)
    if in_github_actions():
        for problem in items:
            print(problem.annotation())
    errors = len(problems.errors) + (len(problems.warnings) if strict else 0)
    warnings = 0 if strict else len(problems.warnings)
    if items:
        print(f"{errors} error(s), {warnings} warning(s)", file=stream)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        type=Path,
        default=Path("site_config.yml"),
        help="the site configuration; content is read from its folder (default: ./site_config.yml)",
    )
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    common.add_argument("-v", "--verbose", action="store_true", help="print timings and details")

    parser = argparse.ArgumentParser(
        prog="briefings", description="Evidence briefings on routes to permanence: check, build and preview."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("check", parents=[common], help="validate the content and report every problem")
    build = sub.add_parser("build", parents=[common], help="build the website and print briefings")
    build.add_argument("--out", type=Path, default=None, help="output folder (default: site/ beside the config)")
    serve = sub.add_parser(
        "serve", parents=[common], help="preview the website on localhost; rebuild and reload on every change"
    )
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    new = sub.add_parser(
        "new", parents=[common], help="start a new route, recommendation, source or briefing that passes check"
    )
    new.add_argument("kind", choices=("route", "recommendation", "source", "briefing"), help="what to create")
    new.add_argument("id", help="its id: lower-case letters, digits, - and . (e.g. foster-to-adopt)")
    new.add_argument("--source", help="recommendation: the id of the source document that makes it")
    new.add_argument(
        "--route", help="briefing: make a handout for this route (default: a summary); recommendation: its route"
    )
    new.add_argument("--reference", help="source: the BibTeX key of the document in references.bib")
    diff = sub.add_parser(
        "diff", parents=[common], help="what a change adds, alters or removes, as Markdown for a pull request"
    )
    diff.add_argument("ref", help="the git commit, branch or tag to compare from (e.g. origin/main)")
    diff.add_argument("--to", default=None, help="the git ref to compare to (default: the working tree)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config = args.config.resolve()
    root = config.parent
    progress = Progress(quiet=args.quiet, verbose=args.verbose)
    command = {"check": cmd_check, "build": cmd_build, "serve": cmd_serve, "new": cmd_new, "diff": cmd_diff}[
        args.command
    ]
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        return command(args, root, config, progress)
    except Terminated:
        print(f"briefings {args.command}: terminated; the last good output is unchanged", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print(f"briefings {args.command}: interrupted; the last good output is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a fault outside the content: one line, or the traceback with -v
        if args.verbose:
            raise
        print(
            f"briefings {args.command} failed: {type(exc).__name__}: {_one_line(str(exc))} "
            "(a fault outside the content; run with -v for details)",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:500]


def load(args, root: Path, config: Path, progress: Progress):
    """The model, or None after reporting the content's problems."""
    from generator.resolve import build_model

    try:
        with progress.step("Reading and checking content, formatting citations"):
            model, problems = build_model(root, config, strict=args.strict)
    except ContentError as exc:
        report(exc.problems, args.strict)
        return None
    if not problems.failed(args.strict):
        from generator.printing import check_page_limits

        with progress.step("Laying out the print briefings that have a page limit"):
            check_page_limits(model, problems, root)
    report(problems, args.strict)
    return None if problems.failed(args.strict) else model  # formatting and layout may add problems


def cmd_check(args, root: Path, config: Path, progress: Progress) -> int:
    model = load(args, root, config, progress)
    if model is None:
        return EXIT_CONTENT
    progress.info(
        f"OK: {len(model.routes)} routes, {len(model.recommendations)} recommendations, "
        f"{len(model.references)} references, {len(model.briefings)} briefings"
    )
    return EXIT_OK


def cmd_build(args, root: Path, config: Path, progress: Progress) -> int:
    from generator.build import build_into

    model = load(args, root, config, progress)
    if model is None:
        print("build stopped: nothing was written; the last good output is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    out = args.out or root / "site"
    try:
        build_into(model, out, progress, config)
    except ContentError as exc:  # Typst could not print what a briefing's content became
        report(exc.problems, args.strict)
        print("build stopped: the last good output is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    except Exception as exc:  # a renderer or external tool failed
        print(f"build failed: {_one_line(str(exc))}; the last good output in {out} is unchanged", file=sys.stderr)
        if args.verbose:
            raise
        return EXIT_FAILURE
    progress.info(f"Built {out}")
    return EXIT_OK


def cmd_serve(args, root: Path, config: Path, progress: Progress) -> int:
    from generator.serve import serve

    return serve(config, args.port, progress, strict=args.strict)


def cmd_new(args, root: Path, config: Path, progress: Progress) -> int:
    from generator.scaffold import ScaffoldError, new_item

    try:
        path = new_item(
            root, args.kind, args.id, source=args.source, route=args.route, reference=args.reference, config=config
        )
    except ScaffoldError as exc:
        print(f"briefings new: {exc}", file=sys.stderr)
        return EXIT_USAGE
    progress.info(f"Created {path.relative_to(root).as_posix()}: replace every REPLACE, then run `briefings check`")
    return EXIT_OK


def cmd_diff(args, root: Path, config: Path, progress: Progress) -> int:
    from generator.diff import GitError, compare

    try:
        with progress.step(f"Comparing the content at {args.ref} with {args.to or 'the working tree'}"):
            text, built = compare(root, config, args.ref, args.to)
    except GitError as exc:
        print(f"briefings diff: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(text)
    return EXIT_OK if built else EXIT_CONTENT
