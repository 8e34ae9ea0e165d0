"""The README's commands install the system packages they need (issue 18).

The Makefile lists, per command, the Debian packages it needs (``BOOK_PACKAGES``,
``TEST_PACKAGES``) and installs the missing ones when it may (root or passwordless sudo),
or stops with the one command to run.  These tests check that the lists cover every
program the tests and tools call, and that the step costs nothing when all is present.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Programs every machine that runs `make` has (Debian's essential and build tools), or
# that the Makefile itself uses to install the rest.
BASE_PROGRAMS = {"bash", "sh", "env", "id", "tar", "make", "python3", "git", "dpkg-query",
                 "sudo", "apt-get",
                 # util-linux, an Essential package of every Debian system
                 "runuser", "unshare"}
# The Debian packages that provide each program the code calls (with what it needs
# at run time: a browser needs a font, npm the certificate store).
PROGRAM_PACKAGES = {
    "chromium": {"chromium", "fonts-dejavu-core"},
    "npm": {"npm", "ca-certificates"},
}


def _make_lists() -> dict[str, set[str]]:
    text = (ROOT / "Makefile").read_text()
    lists = dict(re.findall(r"^(\w+_PACKAGES)\s*:?=\s*(.*)$", text, re.M))
    return {name: set(value.split()) for name, value in lists.items()}


def _called_programs() -> dict[str, list[str]]:
    """Program -> files that call it, found by grepping the tests, tools and Makefile."""
    python = [
        r"""shutil\.which\(\s*["']([\w.+-]+)["']""",
        r"""subprocess\.\w+\(\s*\[\s*["']([\w.+-]+)["']""",
        r"""executable_path\s*=\s*["'](?:/usr/bin/)?([\w.+-]+)["']""",
    ]
    shell = [
        r"""command -v ([\w.+-]+)""",
        # A command at the start of a line, after ; && || | ( or then/do: the usual
        # system programs a book's tooling may call.
        r"""(?:^\s*|[;&|(]\s*|\bthen\s+|\bdo\s+)(npm|npx|node|chromium|latexmk|xelatex|"""
        r"""pdflatex|inkscape|convert|lighthouse|rsvg-convert)\b""",
    ]
    files = [*ROOT.glob("tests/**/*.py"), *ROOT.glob("tools/*"), ROOT / "Makefile",
             ROOT / ".ci" / "run"]
    found: dict[str, list[str]] = {}
    for path in files:
        # system_packages.sh is the probe table itself, not a caller.
        if not path.is_file() or path.name in ("test_setup.py", "system_packages.sh"):
            continue
        text = path.read_text(encoding="utf8", errors="replace")
        is_python = path.suffix == ".py"
        for pattern in python + ([] if is_python else shell):
            for name in re.findall(pattern, text, re.M):
                found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


def test_package_lists_cover_every_program_called():
    lists = _make_lists()
    assert {"BOOK_PACKAGES", "TEST_PACKAGES"} <= set(lists), f"Makefile lists: {lists}"
    listed = set().union(*lists.values())
    called = _called_programs()
    assert "chromium" in called and "npm" in called, f"the grep found {sorted(called)}"
    venv_bin = ROOT / ".venv" / "bin"
    problems = []
    for program, where in sorted(called.items()):
        if program in BASE_PROGRAMS or (venv_bin / program).exists():
            continue
        if program not in PROGRAM_PACKAGES:
            problems.append(f"{program} (called in {sorted(set(where))}) has no entry in "
                            "PROGRAM_PACKAGES: add it there and its package to the Makefile")
        elif not PROGRAM_PACKAGES[program] <= listed:
            problems.append(f"{program}: Makefile lists lack "
                            f"{sorted(PROGRAM_PACKAGES[program] - listed)}")
    assert not problems, "\n".join(problems)


def _missing_here() -> list[str]:
    packages = sorted(set().union(*_make_lists().values()))
    out = subprocess.run([str(ROOT / "tools" / "system_packages.sh"), "missing", *packages],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def _make_n(target: str, path: str | None = None):
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = path
    return subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)


def test_make_n_test_runs_no_apt_get_when_everything_is_present():
    missing = _missing_here()
    if missing:
        pytest.skip(f"this machine lacks {missing}: `make test` installs them first")
    done = _make_n("test")
    assert done.returncode == 0, done.stderr
    assert "pytest" in done.stdout, done.stdout        # the dry run reached the tests
    assert "apt-get" not in done.stdout + done.stderr, done.stdout


def _path_without(tmp_path: Path, hidden: set[str], fakes: dict[str, str]) -> str:
    """A PATH of links to every program of the current PATH but ``hidden``, plus fakes."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, script in fakes.items():
        (bin_dir / name).write_text("#!/bin/sh\n" + script + "\n")
        (bin_dir / name).chmod(0o755)
    for folder in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(folder) or Path(folder).resolve() == (ROOT / ".venv" / "bin").resolve():
            continue
        for entry in os.scandir(folder):
            link = bin_dir / entry.name
            if entry.name not in hidden and not link.exists() and not link.is_symlink():
                link.symlink_to(entry.path)
    return str(bin_dir)


def test_a_missing_package_is_installed_by_root(tmp_path):
    """The same dry run without chromium: as root, the step is apt-get install chromium."""
    path = _path_without(tmp_path, {"chromium"}, {"id": 'echo 0'})
    done = _make_n("test", path)
    assert done.returncode == 0, done.stderr
    line = [x for x in done.stdout.splitlines() if "apt-get install" in x]
    assert line and line[0].split()[-1] == "chromium", done.stdout


def test_without_root_or_sudo_make_stops_with_the_command_to_run(tmp_path):
    path = _path_without(tmp_path, {"chromium"}, {"id": 'echo 1000', "sudo": "exit 1"})
    done = _make_n("test", path)
    assert done.returncode != 0
    assert "apt-get install" not in done.stdout
    assert "sudo apt-get install -y --no-install-recommends chromium" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_asset_fetch_does_not_depend_on_the_run_bit():
    """The Makefile used to skip tools/fetch_assets.sh without a word if it lost its x bit."""
    done = _make_n("assets")
    assert done.returncode == 0, done.stderr
    assert "bash tools/fetch_assets.sh" in done.stdout.splitlines(), done.stdout


def test_ci_runs_the_readme_test_command():
    lines = [x.strip() for x in (ROOT / ".ci" / "run").read_text().splitlines()
             if x.strip() and not x.lstrip().startswith("#")]
    commands = [x for x in lines if x not in ("set -euo pipefail", 'cd "$(dirname "$0")/.."')]
    assert commands[-1] == "make test", lines
    assert len(commands) <= 2, f".ci/run does more than the README's command: {commands}"
    assert "make test" in (ROOT / "README.md").read_text()


def test_pyproject_has_no_python_upper_cap_and_keeps_the_torch_extra():
    """A cap (it was <3.14) would break every chapter's Colab install cell the day Colab
    moves to a newer Python; the torch extra is what itlib.nn needs."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "<" not in project["requires-python"], project["requires-python"]
    assert any(r.startswith("torch") for r in project["optional-dependencies"]["torch"])
