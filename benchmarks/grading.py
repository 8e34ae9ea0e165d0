#!/usr/bin/env python
"""How long nbgrader takes to grade the exercises, and the marks of every submission.

    python benchmarks/grading.py                        # every exercises/*.ipynb
    python benchmarks/grading.py exercises/01_entropy.ipynb

Builds the same courses as tests/test_exercises.py (the shipped nbgrader_config.py, one
``nbgrader autograde`` run per notebook grading the solution, the blank and broken
submissions and every wrong answer of tests/wrong_answers/, then ``generate_feedback``),
two notebooks at a time, and prints per notebook: the number of submissions, the
wall-clock time of autograde (which includes one cell timeout, CELL_TIMEOUT seconds, for
the looping submission), and the table of marks per test cell.  At the end: the total
wall-clock time and the CPU time of all child processes (kernels and nbgrader), which
depends less than wall-clock time on how busy the machine is.

Timings live here, printed, and not in the tests, where they would fail on a slow machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
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
    args = parser.parse_args(argv)
    tests = _load_tests()
    notebooks = [p.resolve() for p in args.notebooks] or tests.NOTEBOOKS

    def child_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
