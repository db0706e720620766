"""CI workflows (linted with actionlint) and the pre-commit hook for content repositories."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINT = Path(__file__).parent / "lint_workflows.cjs"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    if shutil.which("node") is None:
        pytest.skip("needs Node.js")
    if not (ROOT / "node_modules" / "@tktco" / "node-actionlint").is_dir():
        pytest.skip("needs the npm test tools: run `npm ci` (make test does)")
    return subprocess.run(["node", str(LINT), *map(str, paths)], cwd=ROOT, capture_output=True, text=True, timeout=120)


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def test_actionlint_passes_on_every_workflow():
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "pull-request.yml"]
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_catches_mistakes(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with:\n          fetch-dept: 0\n"
        "      - run: echo ${{ github.event.pull_request.head.ref }}\n",
        encoding="utf-8",
    )
    result = actionlint(bad)
    assert result.returncode == 1
    assert f'{bad}:8:11: input "fetch-dept" is not defined in action "actions/checkout@v4"' in result.stdout
    assert "potentially untrusted" in result.stdout


def test_pull_request_workflow_checks_builds_tests_and_uploads_a_preview():
    wf = load("pull-request.yml")
    assert list(wf[True]) == ["pull_request"]  # PyYAML reads the key `on` as true
    runs = [s.get("run", "") for s in steps(wf)]
    assert ".venv/bin/briefings check --strict" in runs
    assert ".venv/bin/briefings build" in runs
    assert "make test" in runs  # installs chromium and the npm tools, then runs pytest
    assert any(r.startswith('.venv/bin/briefings diff "$BASE_SHA"') and "GITHUB_STEP_SUMMARY" in r for r in runs)
    [upload] = [s for s in steps(wf) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["path"] == "site/"
    assert wf["permissions"] == {"contents": "read"}


def test_deploy_workflow_publishes_main_on_pages():
    wf = load("deploy.yml")
    assert wf[True]["push"] == {"branches": ["main"]}
    assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert ".venv/bin/briefings check --strict" in [s.get("run") for s in build["steps"]]
    [upload] = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload["with"]["path"] == "site/"
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]


def test_actions_are_pinned_to_a_major_version():
    for path in WORKFLOWS:
        for step in steps(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), (path.name, step["uses"])


def test_pre_commit_hook_definition():
    [hook] = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "briefings-check",
        "briefings check --strict",
        "python",
        False,
    )
    files = re.compile(hook["files"])
    for path in (
        "content/routes/adoption.md",
        "content/recommendations/thoburn-2021.yml",
        "references.bib",
        "site_config.yml",
    ):
        assert files.search(path), path
    for path in ("README.md", "generator/cli.py", "tests/fixtures/minimal/references.bib"):
        assert not files.search(path), path


def test_pre_commit_hook_entry_runs_check_in_the_project(project):
    [hook] = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("GITHUB_ACTIONS", None)
    ok = subprocess.run(shlex.split(hook["entry"]), cwd=project, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr

    route = project / "content/routes/adoption.md"
    route.write_text(
        route.read_text(encoding="utf-8").replace(
            'citation: "[@selwyn2014beyond, p. 12]"', 'citation: "[@selwyn2014beyond]"'
        ),
        encoding="utf-8",
    )
    failed = subprocess.run(shlex.split(hook["entry"]), cwd=project, env=env, capture_output=True, text=True)
    assert failed.returncode == 1  # --strict: a figure without a page or section stops the commit
    assert "content/routes/adoption.md:" in failed.stderr and "figure citation has no locator" in failed.stderr


def _messages() -> list[tuple[str, int, str]]:
    """(file, line, words) of every message `check` can print, harvested from the code: each call
    ``*.error(...)``/``*.warn(...)`` whose message is written out, with its longest constant words."""
    import ast

    def words(node) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.JoinedStr):
            return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return words(node.left) + words(node.right)
        return []

    found = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("error", "warn")
                and node.args
            ):
                parts = [w.strip(" ():;'\"") for w in words(node.args[-1])]
                parts = [w for w in parts if len(w) >= 12]
                if parts:
                    found.append((path.relative_to(ROOT).as_posix(), node.lineno, max(parts, key=len)))
    return found


def test_messages_are_harvested_from_the_code():
    found = _messages()
    assert len(found) >= 40
    assert any("add it to references.bib or correct the key" in w for _, _, w in found)


@pytest.mark.parametrize("where, line, words", _messages(), ids=lambda v: v if isinstance(v, str) else None)
def test_contributing_explains_every_check_message(where, line, words):
    guide = " ".join((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    start = " ".join(words.split()[:6])  # the message's distinctive opening words
    assert start in guide, f"{where}:{line}: CONTRIBUTING.md does not explain the message {words!r}"
