#!/usr/bin/env python
"""Regenerate the student versions of the exercises with nbgrader.

    python tools/make_student_exercises.py          # rewrite exercises/student/*.ipynb
    python tools/make_student_exercises.py --check  # exit 1 if any is out of date

For each source notebook ``exercises/NN_name.ipynb`` (the instructor's version, with
solutions and hidden tests), this runs ``nbgrader generate_assignment`` in a temporary
course directory and copies the released notebook to ``exercises/student/NN_name.ipynb``,
the version the website shows.  Run it after every change to an exercise notebook;
tests/test_exercises.py fails while a student version is out of date.

The helpers here are also used by tests/test_exercises.py, so both produce the student
version the same way.  Jupyter's configuration and data directories are pointed into the
temporary directory: nothing under ~/.jupyter is read or written.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"
STUDENT = EXERCISES / "student"
#: The files an nbgrader course needs from this repository, besides the notebooks.
COURSE_FILES = ("nbgrader_config.py", "itml_nbgrader.py")


def source_notebooks() -> list[Path]:
    """The exercise source notebooks: ``exercises/*.ipynb`` (not the student versions)."""
    return sorted(EXERCISES.glob("*.ipynb"))


def assignment_name(notebook: Path) -> str:
    """The nbgrader assignment that holds one notebook, e.g. ``ex_01_entropy``."""
    return "ex_" + notebook.stem


def isolated_env(tmp: Path) -> dict:
    """Environment for nbgrader and its kernels, with every Jupyter directory in ``tmp``."""
    env = dict(os.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "jupyter-config"), ("JUPYTER_DATA_DIR", "jupyter-data"),
                     ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"), ("IPYTHONDIR", "ipython")]:
        path = tmp / sub
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env["MPLBACKEND"] = "Agg"
    # nbgrader runs helper programs (alembic, for its database) by name: find them beside
    # this interpreter even when its virtual environment is not activated.
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    return env


def make_course(course: Path, *, timeout: int | None = None) -> None:
    """Create an empty nbgrader course directory, configured as exercises/README.md says.

    Copies the shipped ``exercises/nbgrader_config.py`` and ``exercises/itml_nbgrader.py``
    into ``course``.  ``timeout``, if given, replaces the configured limit, in seconds, on
    each cell while autograding: a cell that runs longer is interrupted and its tests
    score zero.
    """
    (course / "source").mkdir(parents=True, exist_ok=True)
    for name in COURSE_FILES:
        shutil.copy(EXERCISES / name, course / name)
    if timeout is not None:
        with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
            config.write(f"\nc.Execute.timeout = {int(timeout)}  # set by make_course\n")


def nbgrader(args: list[str], course: Path, env: dict, *, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``python -m nbgrader ARGS`` in ``course``; raise with its log if it fails."""
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed (exit {proc.returncode}):\n"
                           f"{proc.stdout}\n{proc.stderr}")
    return proc


def generate(notebook: Path, course: Path, env: dict) -> Path:
    """Put ``notebook`` into ``course`` as an assignment, run generate_assignment on it.

    Returns the path of the released (student) notebook.
    """
    name = assignment_name(notebook)
    src = course / "source" / name
    src.mkdir(parents=True, exist_ok=True)
    shutil.copy(notebook, src / notebook.name)
    nbgrader(["generate_assignment", name, "--force"], course, env)
    released = course / "release" / name / notebook.name
    if not released.exists():
        raise RuntimeError(f"nbgrader did not release {released}")
    return released


def student_version(notebook: Path) -> str:
    """The text of the student version nbgrader makes from ``notebook`` now."""
    with tempfile.TemporaryDirectory(prefix="itml-nbgrader-") as tmp:
        tmp = Path(tmp)
        course = tmp / "course"
        make_course(course)
        return generate(notebook, course, isolated_env(tmp)).read_text(encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only report student versions that are out of date")
    args = parser.parse_args(argv)
    stale = []
    for notebook in source_notebooks():
        target = STUDENT / notebook.name
        text = student_version(notebook)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current is not None and json.loads(current) == json.loads(text):
            print(f"up to date: {target.relative_to(ROOT)}")
            continue
        if args.check:
            stale.append(target)
            print(f"OUT OF DATE: {target.relative_to(ROOT)}")
        else:
            STUDENT.mkdir(exist_ok=True)
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
