"""`briefings serve`: a live preview on localhost that rebuilds on change and reloads the browser.

Each build goes to a fresh temporary folder; the server always serves the last good
one. Pages get a small script that long-polls ``/__livereload`` and reloads when a
newer build is ready. A build with problems prints them and keeps the last good site.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.problems import ContentError
from generator.progress import Progress

RELOAD = "/__livereload"
_SCRIPT = (
    '<script>(function(){{var v="{version}";function poll(){{fetch("{path}?v="+v,{{cache:"no-store"}})'
    '.then(function(r){{return r.text()}}).then(function(t){{if(t!==v){{location.reload()}}else{{poll()}}}})'
    '.catch(function(){{setTimeout(poll,1000)}})}}poll()}})();</script>'
)
DEBOUNCE = 0.15  # seconds to wait for a burst of saves to finish


class Builds:
    """The current good build, its version number, and a way to wait for the next one."""

    def __init__(self, work: Path):
        self.work = work
        self.version = 0
        self.current: Path | None = None
        self.changed = threading.Condition()

    def publish(self, folder: Path) -> None:
        with self.changed:
            previous, self.current = self.current, folder
            self.version += 1
            self.changed.notify_all()
        if previous is not None:  # let requests already reading it finish
            threading.Timer(5, shutil.rmtree, (previous,), {"ignore_errors": True}).start()

    def wait_for_change(self, seen: str, timeout: float = 25) -> str:
        with self.changed:
            self.changed.wait_for(lambda: str(self.version) != seen, timeout)
            return str(self.version)


def build_once(root: Path, config_path: Path, builds: Builds, progress: Progress, strict: bool = False) -> bool:
    """Check, render into a new folder and publish it; print problems and keep the last good build."""
    from generator.resolve import build_model
    from generator.web import render_site

    start = time.perf_counter()
    folder = builds.work / f"build-{builds.version + 1}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    try:
        model, problems = build_model(root, config_path, strict=strict)
        for problem in problems.sorted():
            print(problem, file=sys.stderr)
        render_site(model, folder, Progress(quiet=True))
    except ContentError as exc:
        for problem in exc.problems.sorted():
            print(problem, file=sys.stderr)
        print("build failed: still serving the last good build", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
        return False
    except Exception as exc:  # an engine or renderer failure: report it, keep serving
        print(f"build failed: {exc}; still serving the last good build", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
        return False
    builds.publish(folder)
    progress.info(f"Rebuilt in {time.perf_counter() - start:.1f} s")
    return True


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the current build; injects the reload script into HTML; answers long-polls."""

    def __init__(self, *args, builds: Builds, **kwargs):
        self.builds = builds
        super().__init__(*args, directory=str(builds.current), **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == RELOAD:
            query = urllib.parse.parse_qs(self.path.partition("?")[2])
            seen = query.get("v", [""])[0]
            wait = min(float(query.get("wait", ["25"])[0]), 25)
            self._send(self.builds.wait_for_change(seen, wait).encode(), "text/plain")
            return
        if path.endswith("/"):
            path += "index.html"
        file = Path(self.translate_path(path))
        if file.suffix == ".html" and file.is_file():
            script = _SCRIPT.format(version=self.builds.version, path=RELOAD)
            text = file.read_text(encoding="utf-8").replace("</body>", script + "</body>", 1)
            self._send(text.encode("utf-8"), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


class Watcher(FileSystemEventHandler):
    """Sets `pending` when content, the bibliography, the config or the theme changes."""

    def __init__(self, root: Path, config_path: Path, theme: Path):
        self.watched = [root / "content", root / "references.bib", config_path, theme]
        self.pending = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw and any(Path(raw) == w or w in Path(raw).parents for w in self.watched):
                self.pending.set()


def serve(config_path: Path, port: int, progress: Progress, strict: bool = False) -> int:
    """Build, serve on 127.0.0.1:`port`, rebuild on every change until interrupted."""
    from generator.web.render import THEME

    config_path = config_path.resolve()
    root = config_path.parent
    work = Path(tempfile.mkdtemp(prefix="briefings-serve-"))
    builds = Builds(work)
    try:
        with progress.step("Building the preview"):
            ok = build_once(root, config_path, builds, Progress(quiet=True), strict)
        if not ok:
            print("fix the problems above, then run `briefings serve` again", file=sys.stderr)
            return 1
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, builds=builds))
        except OSError as exc:
            print(f"cannot serve on port {port}: {exc}; try --port", file=sys.stderr)
            return 3
        server.daemon_threads = True
        watcher = Watcher(root, config_path, THEME)
        observer = Observer()
        for folder in {root, THEME}:
            observer.schedule(watcher, str(folder), recursive=True)
        observer.start()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        progress.info(f"Serving http://127.0.0.1:{server.server_port}/ : edits rebuild and reload the page. Ctrl+C stops.")
        try:
            while True:
                watcher.pending.wait()
                time.sleep(DEBOUNCE)
                watcher.pending.clear()
                build_once(root, config_path, builds, progress, strict)
        except KeyboardInterrupt:
            progress.info("Stopped")
        finally:
            observer.stop()
            server.shutdown()
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
