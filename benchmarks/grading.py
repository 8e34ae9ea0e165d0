#!/usr/bin/env python
"""How long nbgrader takes to grade the exercises, and the marks of every submission.

    python benchmarks/grading.py                        # every exercises/*.ipynb
    python benchmarks/grading.py exercises/01_entropy.ipynb
    python benchmarks/grading.py --class-size 10        # time a class of correct submissions

Builds the same courses as tests/test_exercises.py (the shipped nbgrader_config.py, one
``nbgrader autograde`` run per notebook grading the solution, the blank and broken
submissions and every wrong answer of tests/wrong_answers/, then ``generate_feedback``),
two notebooks at a time, and prints per notebook: the number of submissions, the
wall-clock time of autograde (which includes one cell timeout, CELL_TIMEOUT seconds, for
the looping submission), and the table of marks per test cell.  At the end: the total
wall-clock time and the CPU time of all child processes (kernels and nbgrader), which
depends less than wall-clock time on how busy the machine is.

With ``--class-size N``, it then grades, per notebook, a class of N copies of the solution
in one ``nbgrader autograde`` run (what an instructor runs), and prints the seconds per
submission and what a class of 100 takes at that rate, notebook by notebook and for all six.
Budget (issue 27): on a quiet 2-core machine any one submission grades in at most 15 s,
and all of tests/test_exercises.py runs in under 4 minutes.  Run it with
``OMP_NUM_THREADS=1``, as ``make`` does.

Timings live here, printed, and not in the tests, where they would fail on a slow machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_tests():
    spec = importlib.util.spec_from_file_location("test_exercises", ROOT / "tests" / "test_exercises.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="exercise notebooks (default: all)")
    parser.add_argument("--class-size", type=int, default=0,
                        help="also grade a class of this many correct submissions per notebook")
    parser.add_argument("--class-only", action="store_true",
                        help="only the class timing, not the test submissions")
    args = parser.parse_args(argv)
    tests = _load_tests()
    notebooks = [p.resolve() for p in args.notebooks] or tests.NOTEBOOKS

    def child_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    print(f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '(unset)')}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the start")
    if args.class_only:
        return time_classes(tests, notebooks, args.class_size or 10)

    with tempfile.TemporaryDirectory(prefix="itml-grading-") as tmp:
        def grade(notebook):
            start = time.monotonic()
            course = tests.grade_in_a_course(notebook, Path(tmp) / notebook.stem)
            return course, time.monotonic() - start

        cpu0, wall0 = child_cpu(), time.monotonic()
        with ThreadPoolExecutor(max_workers=tests.WORKERS) as pool:
            results = list(pool.map(grade, notebooks))
        wall, cpu = time.monotonic() - wall0, child_cpu() - cpu0

        failed = False
        for course, seconds in results:
            n = len(course.marks)
            print(f"\n== {course.notebook.relative_to(ROOT)}: {n} submissions, autograde "
                  f"{course.autograde_seconds:.0f} s, with feedback {seconds:.0f} s "
                  f"(exit codes {course.autograde_returncode}, {course.feedback_returncode})")
            print(tests.marks_table(course))
            failed |= bool(course.autograde_returncode or course.feedback_returncode)
    print(f"\n{len(notebooks)} notebooks graded in {wall:.0f} s wall-clock, {tests.WORKERS} at a time; "
          f"child processes used {cpu:.0f} s of CPU")
    if args.class_size:
        failed |= bool(time_classes(tests, notebooks, args.class_size))
    return 1 if failed else 0


def time_classes(tests, notebooks, size: int) -> int:
    """Grade ``size`` copies of each solution, one notebook at a time; print the rates."""
    import nbformat

    mse = tests.mse
    total_per_submission = 0.0
    print(f"\nA class of {size} correct submissions per notebook, one autograde run each, "
          "one notebook at a time:")
    for notebook in notebooks:
        with tempfile.TemporaryDirectory(prefix="itml-class-") as tmp:
            tmp = Path(tmp)
            root = tmp / "course"
            env = mse.isolated_env(tmp)
            mse.make_course(root)
            mse.generate(notebook, root, env)
            assignment = mse.assignment_name(notebook)
            solution = nbformat.read(notebook, as_version=4)
            for i in range(size):
                tests._submit(root, assignment, f"student{i:03d}", notebook, solution)
            start = time.monotonic()
            proc = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment],
                                  cwd=root, env=env, capture_output=True, text=True)
            seconds = time.monotonic() - start
            if proc.returncode:
                print(proc.stdout[-2000:], proc.stderr[-2000:])
                return 1
        per = seconds / size
        total_per_submission += per
        print(f"  {notebook.name}: {seconds:.0f} s for {size}, {per:.1f} s per submission, "
              f"a class of 100 in {100 * per / 60:.0f} min")
    print(f"  all {len(notebooks)} assignments: a class of 100 in "
          f"{100 * total_per_submission / 60:.0f} min of grading")
    return 0


if __name__ == "__main__":
    sys.exit(main())
