"""`briefings serve`: a live preview on localhost that updates on every save and reloads the browser.

One process keeps the last good build. On a save it rebuilds the model through a
`Memo` kept between saves (changed files are re-read, changed texts re-checked and
re-rendered; formatted citations come from `citecache` unless citations or
references changed) and renders every page record; when only page bodies changed, it writes those pages
into the served build and skips the site engine (`web.incremental`). Otherwise,
and once the author pauses (to bring the search index up to date), the engine
builds a fresh folder that replaces the served one.

Served pages name their stylesheets and scripts with the build folder, whose files
never change, so a reload takes them from the browser's cache. Pages get a small
script that long-polls ``/__livereload``: it reloads the page after a good build, and shows each ``path:line:col`` problem over the page after a
failed one, keeping the last good build underneath. The pages are those `build`
makes, "Cite this page" blocks and the changes page included (`build.with_project`).
Briefings (PDF, DOCX) are rendered when first downloaded, from the current model.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.memo import Memo
from generator.model import Model
from generator.problems import ContentError
from generator.progress import Progress

RELOAD = "/__livereload"
# The reload script is a file of its own, so that the pages' Content-Security-Policy ('self'
# and hashes only) lets it run; the page gives it the build token and problems as data.
_SCRIPT = """(function(){var me=document.currentScript,v=me.dataset.token,box=null;
function show(lines){if(box){box.remove();box=null}if(!lines.length)return;
box=document.createElement("div");box.id="pb-build-problems";box.setAttribute("role","alert");
box.style.cssText="position:fixed;z-index:1000;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;margin:0;padding:1rem;background:#fff;color:#1a1a1a;border-top:.3rem solid #b00020;font:.8rem/1.4 monospace;white-space:pre-wrap";
var h=document.createElement("strong");h.textContent="The last save did not build. Still showing the last good build. Fix:\\n";
box.appendChild(h);lines.forEach(function(l){box.appendChild(document.createTextNode(l+"\\n"))});document.body.appendChild(box)}
function poll(){fetch("%(path)s?v="+encodeURIComponent(v),{cache:"no-store"}).then(function(r){return r.text()}).then(function(t){
var lines=t.split("\\n").filter(Boolean),n=lines.shift();if(n.split(".")[0]!==v.split(".")[0]){location.reload();return}
v=n;show(lines);poll()}).catch(function(){setTimeout(poll,1000)})}
show(JSON.parse(me.dataset.problems));poll()})();
""".replace("%(path)s", RELOAD)
_TAG = '<script src="%(path)s.js" data-token="%(token)s" data-problems="%(problems)s"></script>'
# A page's own stylesheets and scripts: served pages name them with the build folder
# (`?build=build-3`), which never changes its files, so the browser keeps them between reloads.
_ASSET = re.compile(r'\b(src|href)="((?:\.\./)*assets/[^"?#]+)"')
DEBOUNCE = 0.05  # seconds to wait for a burst of saves to finish
SETTLE = 2.0  # seconds without saves before a full build brings the search index up to date


class Builds:
    """The served build folder, a version (bumped by each good build) and the last failure's problems."""

    def __init__(self, work: Path):
        self.work = work
        self.version = 0
        self.failures = 0
        self.problems: list[str] = []
        self.current: Path | None = None
        self.changed = threading.Condition()

    @property
    def token(self) -> str:
        """What a page last saw: ``version.failures``; the page reloads when the version part changes."""
        return f"{self.version}.{self.failures}"

    def publish(self, folder: Path | None = None, reload: bool = True) -> None:
        """Serve `folder` (or the current one, updated in place); tell pages to reload if `reload`."""
        with self.changed:
            previous = self.current if folder is not None and folder != self.current else None
            self.current = folder or self.current
            self.problems = []
            if reload:
                self.version += 1
            self.changed.notify_all()
        if previous is not None:  # let requests already reading it finish
            threading.Timer(5, shutil.rmtree, (previous,), {"ignore_errors": True}).start()

    def fail(self, problems: list[str]) -> None:
        with self.changed:
            self.problems = problems
            self.failures += 1
            self.changed.notify_all()

    def wait_for_change(self, seen: str, timeout: float = 25) -> tuple[str, list[str]]:
        with self.changed:
            self.changed.wait_for(lambda: self.token != seen, timeout)
            return self.token, list(self.problems)


class Preview:
    """Rebuilds on request: incrementally when it can, fully when it must."""

    def __init__(self, root: Path, config_path: Path, builds: Builds, progress: Progress, strict: bool = False):
        from generator.web.incremental import IncrementalSite

        self.root, self.config_path, self.builds, self.progress, self.strict = (
            root,
            config_path,
            builds,
            progress,
            strict,
        )
        self.site = IncrementalSite()
        self.memo = Memo()  # what unchanged files and texts gave the last build
        self.model: Model | None = None
        self.stale = False  # the served build was updated in place: its search index lags
        self.briefings: tuple[Model, Path] | None = None
        self.briefings_lock = threading.Lock()

    def build(self, full: bool = False) -> bool:
        """Check and render; publish the result, or report problems and keep the last good build."""
        from generator.build import with_project
        from generator.resolve import build_model
        from generator.web.pages import site_pages

        start = time.perf_counter()
        try:
            self.memo.next_build()
            model, problems = build_model(self.root, self.config_path, strict=self.strict, memo=self.memo)
            for problem in problems.sorted():
                print(problem, file=sys.stderr)
            model = with_project(model, self.config_path, self.memo)
            pages = site_pages(model)
            changed = (
                None if full or self.builds.current is None else self.site.update(model, pages, self.builds.current)
            )
            if changed is None:
                folder = self.builds.work / f"build-{self.builds.version + 1}"
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                try:
                    self.site.full(model, pages, folder)
                except BaseException:
                    shutil.rmtree(folder, ignore_errors=True)
                    raise
        except ContentError as exc:
            lines = [str(p) for p in exc.problems.sorted()]
            return self._failed(lines)
        except Exception as exc:  # an engine or renderer failure: report it, keep serving
            return self._failed([f"build failed: {exc}"])
        self.model = model
        if changed is None:
            self.builds.publish(folder)
            self.stale = False
            self.progress.info(f"Rebuilt in {time.perf_counter() - start:.2f} s")
        else:
            self.builds.publish()
            self.stale = True
            self.progress.info(
                f"Updated {len(changed)} page{'s' if len(changed) != 1 else ''} in {time.perf_counter() - start:.2f} s"
            )
        return True

    def _failed(self, lines: list[str]) -> bool:
        for line in lines:
            print(line, file=sys.stderr)
        print("build failed: still serving the last good build", file=sys.stderr)
        self.builds.fail(lines)
        return False

    def settle(self) -> None:
        """A full build after a pause, without reloading pages: search and page metadata catch up."""
        if self.stale and self.model is not None:
            from generator.web.pages import site_pages

            folder = self.builds.work / f"build-{self.builds.version}-full"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                self.site.full(self.model, site_pages(self.model), folder)
            except Exception as exc:
                shutil.rmtree(folder, ignore_errors=True)
                print(f"build failed: {exc}", file=sys.stderr)
                return
            self.builds.publish(folder, reload=False)
            self.stale = False

    def briefings_folder(self) -> Path | None:
        """The current model's briefings, rendered on first request and kept until the model changes."""
        from generator.printing import render_briefings

        with self.briefings_lock:
            model = self.model
            if model is None:
                return None
            if self.briefings is None or self.briefings[0] is not model:
                out = Path(tempfile.mkdtemp(prefix="briefings-", dir=self.builds.work))
                try:
                    render_briefings(model, out, Progress(quiet=True), self.root)
                except Exception as exc:
                    problems = exc.problems.sorted() if isinstance(exc, ContentError) else [exc]
                    print(*(f"briefings failed: {p}" for p in problems), sep="\n", file=sys.stderr)
                    shutil.rmtree(out, ignore_errors=True)
                    return None
                if self.briefings is not None:
                    shutil.rmtree(self.briefings[1], ignore_errors=True)
                self.briefings = (model, out)
            return self.briefings[1]


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the current build; injects the reload script into HTML; answers long-polls."""

    def __init__(self, *args, preview: Preview, **kwargs):
        self.preview = preview
        self.builds = preview.builds
        super().__init__(*args, directory=str(self.builds.current), **kwargs)

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away mid-answer (a reload): nothing to report

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == RELOAD + ".js":
            self._send(_SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8")
            return
        if path == RELOAD:
            query = urllib.parse.parse_qs(self.path.partition("?")[2])
            try:
                wait = min(max(float(query.get("wait", ["25"])[0]), 0), 25)
            except ValueError:
                wait = 25
            token, problems = self.builds.wait_for_change(query.get("v", [""])[0], wait)
            self._send("\n".join([token, *problems]).encode(), "text/plain; charset=utf-8")
            return
        if path.startswith("/briefings/"):
            self._briefing(urllib.parse.unquote(path[len("/briefings/") :]))
            return
        if path.endswith("/"):
            path += "index.html"
        file = Path(self.translate_path(path))
        if file.suffix == ".html" and file.is_file():
            script = _TAG % {
                "path": RELOAD,
                "token": html.escape(self.builds.token),
                "problems": html.escape(json.dumps(self.builds.problems)),
            }
            text = file.read_text(encoding="utf-8").replace("</body>", script + "</body>", 1)
            text = _ASSET.sub(rf'\1="\2?build={self.build}"', text)
            self._send(text.encode("utf-8"), "text/html; charset=utf-8")
            return
        self.keep = urllib.parse.parse_qs(self.path.partition("?")[2]).get("build") == [self.build]
        super().do_GET()

    @property
    def build(self) -> str:
        """The name of the build folder this request is answered from."""
        return Path(self.directory).name

    def _briefing(self, name: str) -> None:
        folder = self.preview.briefings_folder()
        file = folder / name if folder and "/" not in name else None
        if file is None or not file.is_file():
            self.send_error(404, "no such briefing (see the terminal for problems)")
            return
        self._send(file.read_bytes(), self.guess_type(name))

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    keep = False  # the request names the current build folder, whose files never change

    def end_headers(self) -> None:
        # HTML is answered by _send, always fresh; other files are kept while their build is
        # served, else checked each time (If-Modified-Since).
        self.send_header("Cache-Control", "max-age=31536000, immutable" if self.keep else "no-cache")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


class Watcher(FileSystemEventHandler):
    """Sets `pending` when content, the bibliography, the config or the theme changes."""

    def __init__(self, root: Path, config_path: Path, theme: Path):
        self.watched = [root / "content", root / "references.bib", config_path, theme]
        self.theme = theme
        self.pending = threading.Event()
        self.theme_changed = False

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = Path(os.fsdecode(raw)) if raw else None
            if path and any(path == w or w in path.parents for w in self.watched):
                self.theme_changed |= self.theme in path.parents
                self.pending.set()


def serve(config_path: Path, port: int, progress: Progress, strict: bool = False) -> int:
    """Build, serve on 127.0.0.1:`port`, rebuild on every change until interrupted."""
    from generator.cli import EXIT_CONTENT, EXIT_FAILURE
    from generator.web.render import THEME

    config_path = config_path.resolve()
    root = config_path.parent
    work = Path(tempfile.mkdtemp(prefix="briefings-serve-"))
    builds = Builds(work)
    try:
        preview = Preview(root, config_path, builds, Progress(quiet=True), strict)
        with progress.step("Building the preview"):
            ok = preview.build(full=True)
        preview.progress = progress
        if not ok:
            print("fix the problems above, then run `briefings serve` again", file=sys.stderr)
            return EXIT_CONTENT
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, preview=preview))
        except OSError as exc:
            print(f"cannot serve on port {port}: {exc}; try --port", file=sys.stderr)
            return EXIT_FAILURE
        server.daemon_threads = True
        watcher = Watcher(root, config_path, THEME)
        observer = Observer()
        for folder in {root / "content", THEME}:
            observer.schedule(watcher, str(folder), recursive=True)
        observer.schedule(watcher, str(root), recursive=False)  # references.bib, site_config.yml
        observer.start()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        progress.info(
            f"Serving http://127.0.0.1:{server.server_port}/ : edits rebuild and reload the page. Ctrl+C stops."
        )
        try:
            while True:
                if not watcher.pending.wait(SETTLE if preview.stale else None):
                    preview.settle()
                    continue
                time.sleep(DEBOUNCE)
                watcher.pending.clear()
                full, watcher.theme_changed = watcher.theme_changed, False
                preview.build(full=full)
        except KeyboardInterrupt:
            progress.info("Stopped")
        finally:
            observer.stop()
            server.shutdown()
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
