"""The Pages workflow (.github/workflows/deploy.yml) is a valid GitHub workflow, and does
what the README says: builds with `make book`, caches the virtual environment and the
execution cache, uploads _build/html and deploys it.  check-jsonschema validates it
against the GitHub-workflow schema that it ships (no network)."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"


def _check_jsonschema() -> list[str]:
    exe = pathlib.Path(sys.executable).with_name("check-jsonschema")
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("check-jsonschema")
    if found is None:
        pytest.fail("check-jsonschema is not installed: pip install -r requirements-dev.txt")
    return [found]


def validate(path: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True, text=True, timeout=120)


def _steps() -> list[dict]:
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf8"))["jobs"]
    return [step for job in jobs.values() for step in job.get("steps", [])]


def test_workflow_validates():
    result = validate(WORKFLOW)
    assert result.returncode == 0, (
        f"{WORKFLOW.relative_to(ROOT)} fails the GitHub-workflow schema:\n"
        f"{result.stdout}{result.stderr}")


@pytest.mark.parametrize("typo", [("runs-on:", "run-on:"),
                                  ("workflow_dispatch:", "workflow_dispath:")])
def test_a_typo_fails_validation(tmp_path, typo):
    # the check can fail: the same file with one typo is rejected
    text = WORKFLOW.read_text(encoding="utf8")
    assert typo[0] in text
    broken = tmp_path / "deploy.yml"
    broken.write_text(text.replace(typo[0], typo[1], 1), encoding="utf8")
    assert validate(broken).returncode != 0, f"a workflow with {typo[1]!r} validated"


def test_builds_with_the_readme_command():
    runs = [step.get("run", "") for step in _steps()]
    assert any(line.strip() == "make book" for run in runs for line in run.splitlines()), runs
    assert "make book" in (ROOT / "README.md").read_text(encoding="utf8")
    # Every page's sidebar links to the PDF: the published site must carry it.
    assert any(line.strip() == "make pdf" for run in runs for line in run.splitlines()), runs


def test_uses_the_pages_actions_and_uploads_the_site():
    uses = {step["uses"].split("@")[0]: step for step in _steps() if "uses" in step}
    for action in ("actions/checkout", "actions/setup-python", "actions/cache",
                   "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses, f"the workflow does not use {action}"
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_build/html"


def test_caches_the_venv_and_the_execution_cache():
    cached = {path.strip() for step in _steps()
              if step.get("uses", "").startswith("actions/cache@")
              for path in step["with"]["path"].splitlines() if path.strip()}
    # the execution cache travels with the digest of the code it was made with, or the
    # next `make book` clears it (tools/forget_stale_outputs.py)
    assert {".venv", "_build/.jupyter_cache", "_build/.executed-with"} <= cached, cached
    # the key of each cache names what invalidates it
    keys = " ".join(step["with"]["key"] for step in _steps()
                    if step.get("uses", "").startswith("actions/cache@"))
    assert "requirements" in keys and "itlib" in keys


def test_permissions_allow_pages_deployment():
    wf = yaml.safe_load(WORKFLOW.read_text(encoding="utf8"))
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
