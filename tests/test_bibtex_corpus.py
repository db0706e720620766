"""Real BibTeX at scale: `check` over every .bib in Debian's texlive-bibtex-extra.

About 174 files and 17,800 entries from the TeX community (biblatex styles' examples,
Nelson Beebe's TUGboat and typesetting bibliographies, jurabib, ...), each used in turn
as the references.bib of a project that cites nothing. No file may crash `check`:
it exits 0 or 1, every message is one line `references.bib:line:col: ...`, every entry
is reported at the line of its `@`, and every refusal at a line of the file.
The package is downloaded once with apt into .cache/debian-bibtex/ (CI runs as root).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from generator.bibliography import read_bibliography
from generator.cli import main
from generator.problems import Problems

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "debian-bibtex"
PACKAGE = "texlive-bibtex-extra"
LINE = re.compile(r"^references\.bib:(?P<line>\d+):\d+: (?P<message>.*)$")
COUNT = re.compile(r"^\d+ error\(s\), \d+ warning\(s\)$")

pytestmark = pytest.mark.slow


def corpus() -> Path:
    """The unpacked package, downloaded and unpacked on first use."""
    tree = CACHE / "tree"
    if tree.is_dir():
        return tree
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        pytest.skip("needs Debian's apt-get and dpkg-deb")
    CACHE.mkdir(parents=True, exist_ok=True)
    download = ["apt-get", "download", PACKAGE]
    if subprocess.run(download, cwd=CACHE, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True)  # a fresh machine has no package lists
        subprocess.run(download, cwd=CACHE, check=True, capture_output=True)
    deb = next(CACHE.glob(f"{PACKAGE}_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(CACHE / "tree.tmp")], check=True)
    (CACHE / "tree.tmp").rename(tree)
    deb.unlink()
    return tree


def test_check_reads_every_bib_file_in_texlive_bibtex_extra(tmp_path):
    files = sorted(p for p in corpus().rglob("*") if p.name.endswith((".bib", ".bib.gz")))
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    shutil.copy(Path(__file__).parent / "fixtures" / "minimal" / "site_config.yml", project)
    bib = project / "references.bib"
    entries = refused = 0
    started = time.monotonic()
    for path in files:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        bib.write_bytes(data)
        lines = data.decode("utf-8", "replace").split("\n")
        entries += len(read_bibliography(data.decode("utf-8", "replace"), "references.bib", Problems()))
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["check", "--config", str(project / "site_config.yml"), "-q"])
        where = path.name
        assert code in (0, 1), f"{where}: {err.getvalue()[-500:]}"
        refused += code
        for printed in err.getvalue().splitlines():
            m = LINE.match(printed)
            assert m or COUNT.match(printed), f"{where}: not one located line: {printed!r}"
            if not m:
                continue
            line, message = int(m.group("line")), m.group("message")
            assert 1 <= line <= len(lines), f"{where}: line {line} is not in the file: {printed}"
            key = re.match(r"warning: reference '(.+)' is never cited", message)
            if key:
                assert key.group(1) in lines[line - 1], f"{where}: entry '{key.group(1)}' is not on line {line}"
            head = re.match(r"malformed BibTeX in '(.+?)': ", message)
            if head:
                assert head.group(1) in lines[line - 1], f"{where}: '{head.group(1)}' is not on line {line}"
    seconds = time.monotonic() - started
    print(f"\n{len(files)} files, {entries} entries, {refused} refused, {seconds:.0f} s")
    assert len(files) >= 150 and entries >= 15_000
