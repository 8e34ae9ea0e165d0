"""The exercises, graded by real nbgrader, and the website's student versions.

For every source notebook ``exercises/NN_name.ipynb`` (parametrized: later chapters'
exercises are picked up automatically), a temporary nbgrader course is built exactly as
exercises/README.md tells an instructor (its ``nbgrader_config.py`` and ``itml_nbgrader.py``
copied in), nbgrader ``generate_assignment`` releases the student version, and ONE
``nbgrader autograde`` run grades all these submissions:

===============  =====================================================  ====================
student          submission                                             expected marks
===============  =====================================================  ====================
solution         the source notebook itself                             full on every test
untouched        the released student version, unchanged               zero on every test
empty-answers    the student version with every answer cell emptied     zero on every test
no-cells         a notebook whose cells were all deleted                zero in total
raises           the solution, its last tested answer cell raising      zero on that cell's
                                                                        tests, full elsewhere
loops            the solution, its first tested answer cell looping     the same, for the
                 forever (interrupted after CELL_TIMEOUT seconds)       first answer cell
edited-test      the solution, its first test cell emptied by the       full: nbgrader puts
                 student (a locked cell)                                 the tests back
wrong-N          the solution, several answer cells replaced, each by   less than full on
                 a plausible wrong answer from                          the tests of each
                 tests/wrong_answers/NN_name.py (one round of them)     replaced cell, full
                                                                        elsewhere
===============  =====================================================  ====================

``tests/wrong_answers/NN_name.py`` (required for every exercise notebook) holds one dict,
``WRONG = {name: (grade_id of the answer cell it replaces, kind, new cell source)}``, with
at least one wrong answer for every answer cell that has tests; ``kind`` is one of
``KINDS``.  Marks are read back from nbgrader's gradebook database.  Exercise notebooks
therefore follow one rule (see exercises/README.md): an exercise's tests use only the
answers of that exercise.

The wrong answers are graded in rounds (``wrong_rounds``), not one submission each: a
round replaces at most one answer cell by one of its wrong answers, for several answer
cells at once, and every wrong answer is in exactly one round.  A round's marks show that
each replaced cell's tests reject its wrong answer and that the other tests do not notice.
The rounds are chosen so that for every two tested answer cells A and B some submission
breaks A and leaves B alone (a round, or the ``raises`` and ``loops`` submissions): the
rule above is then checked for every pair, so a test cell that lost marks lost them to its
own wrong answer.  This grades 27 wrong-answer submissions instead of 67 (a fresh kernel
each), a third of the grading time.

Then ``nbgrader generate_feedback`` writes every submission's feedback, which must hold
no line of a hidden test but must hold each failure message.

Other tests: the committed student version equals what nbgrader makes now; it runs top to
bottom with its unanswered cells raising NotImplementedError and nothing else; the
notebooks' nbgrader metadata, points and chapter links are consistent; and no file of the
built website contains a solution or a hidden test.  How long grading takes is measured by
``benchmarks/grading.py``, not asserted here.

Jupyter's configuration, data and runtime directories are redirected into pytest's
temporary directory: nothing under ~/.jupyter is read or written.
"""

from __future__ import annotations

import ast
import copy
import html
import importlib.util
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import types
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The built website; ITML_SITE_DIR points elsewhere (a build made with --path-output).
SITE = Path(os.environ.get("ITML_SITE_DIR", ROOT / "_build" / "html"))

_spec = importlib.util.spec_from_file_location(
    "make_student_exercises", ROOT / "tools" / "make_student_exercises.py")
mse = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mse)

NOTEBOOKS = mse.source_notebooks()
#: Seconds a cell may run while autograding before nbgrader interrupts it.
CELL_TIMEOUT = 15
#: Notebooks graded at the same time.
WORKERS = 2
#: Marker lines of nbgrader's solution and hidden-test regions.
MARKERS = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME"]
NBGRADER_KEYS = {"grade", "grade_id", "locked", "schema_version", "solution", "task"}
#: Where the plausible wrong answers to exercises/NN_name.ipynb live: WRONG_DIR/NN_name.py.
WRONG_DIR = ROOT / "tests" / "wrong_answers"
#: The kinds of wrong answer a WRONG entry may declare.
KINDS = {"sign", "swapped arguments", "nats for bits", "copied from the prompt",
         "assumes what it checks", "calls the library", "other"}
#: The submissions every notebook gets, besides its wrong answers.
BASE_STUDENTS = ("solution", "untouched", "empty-answers", "no-cells", "raises", "loops",
                 "edited-test", "tampers")
#: The one-line cheat of issue 27: every check helper rebound to a no-op, on itlib.checks
#: and in the notebook's namespace.  Put at the top of the first answer cell of the first
#: wrong-answer round ("tampers"), it must not score more than that round.
TAMPER = """import itlib.checks
for _name in ["check", "assert_close", "assert_raises", "defined", "assert_own_work"]:
    setattr(itlib.checks, _name, lambda *args, **kwargs: None)
    globals()[_name] = getattr(itlib.checks, _name)
"""


def test_there_are_exercise_notebooks():
    assert NOTEBOOKS, "no exercise notebooks found in exercises/"


# ------------------------------------------------------------------ cell roles


def nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer(cell) -> bool:
    """An autograded answer cell: code the student writes."""
    return cell.cell_type == "code" and nbg(cell).get("solution") and not nbg(cell).get("grade")


def is_test(cell) -> bool:
    """An autograded test cell: locked code whose success earns its points."""
    return cell.cell_type == "code" and nbg(cell).get("grade") and not nbg(cell).get("solution")


def is_manual(cell) -> bool:
    """A manually graded answer (a written answer, or code graded by hand)."""
    return bool(nbg(cell).get("grade") and nbg(cell).get("solution"))


def blocks(nb) -> list[tuple[str, list[str]]]:
    """``(answer cell id, [ids of the test cells after it])`` for each tested answer cell.

    The test cells of an answer cell are those between it and the next answer cell.
    """
    out = []
    for cell in nb.cells:
        if is_answer(cell):
            out.append((nbg(cell)["grade_id"], []))
        elif is_test(cell) and out:
            out[-1][1].append(nbg(cell)["grade_id"])
    return [(a, t) for a, t in out if t]


# ------------------------------------------------------------------ the graded course


@dataclass
class Course:
    notebook: Path
    root: Path
    released: Path
    autograde_log: str
    autograde_returncode: int
    autograde_seconds: float
    #: student -> grade cell id -> (score, max score, needs manual grade)
    marks: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)
    #: student -> grade_id of the answer cell that submission breaks ("raises", "loops")
    broken: dict = field(default_factory=dict)
    #: wrong-answer round (student) -> {grade_id of an answer cell: wrong answer it holds}
    rounds: dict = field(default_factory=dict)
    feedback_log: str = ""
    feedback_returncode: int = 0


def load_wrong_answers(notebook: Path) -> dict:
    """The ``WRONG`` dict of ``tests/wrong_answers/<notebook stem>.py`` (empty if missing)."""
    path = WRONG_DIR / f"{notebook.stem}.py"
    if not path.exists():
        return {}
    module = types.ModuleType(f"wrong_answers_{notebook.stem}")
    module.__file__ = str(path)
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    return dict(getattr(module, "WRONG", {}))


def _single_breaks(notebook: Path) -> set[str]:
    """The answer cells that the ``raises`` and ``loops`` submissions break, each alone."""
    tested = [a for a, _ in blocks(nbformat.read(notebook, as_version=4))]
    return {tested[0], tested[-1]} if tested else set()


def separated_pairs(rounds: list[dict], singles: set[str], answers: list[str]) -> set:
    """The ordered pairs ``(a, b)`` of ``answers`` for which some submission breaks ``a``
    and leaves ``b`` alone: a round holding a wrong ``a`` and no wrong ``b``, or a
    submission that breaks ``a`` only (``singles``)."""
    pairs = {(a, b) for a in singles for b in answers if b != a}
    for held in rounds:
        pairs |= {(a, b) for a in held for b in answers if b not in held}
    return pairs


def wrong_rounds(notebook: Path) -> list[dict]:
    """The wrong answers of ``notebook`` in rounds: ``[{answer grade_id: wrong name}]``.

    Each answer cell's wrong answers go to consecutive rounds (cyclically, from an offset
    of its own); the fewest rounds, then the first offsets (in a fixed order), for which
    every ordered pair of tested answer cells is separated (``separated_pairs``).  The
    result depends on the notebook and its wrong answers only."""
    wrong = load_wrong_answers(notebook)
    answers = [a for a, _ in blocks(nbformat.read(notebook, as_version=4))]
    names = {a: [n for n, entry in wrong.items() if entry[0] == a] for a in answers}
    used = [a for a in answers if names[a]]
    if not used:
        return []
    singles = _single_breaks(notebook)
    wanted = {(a, b) for a in answers for b in answers if a != b}
    for n_rounds in itertools.count(max(len(names[a]) for a in used)):
        for offsets in itertools.product(range(n_rounds), repeat=len(used) - 1):
            rounds = [{} for _ in range(n_rounds)]
            for a, offset in zip(used, (0, *offsets)):
                for k, name in enumerate(names[a]):
                    rounds[(offset + k) % n_rounds][a] = name
            rounds = [r for r in rounds if r]
            if wanted <= separated_pairs(rounds, singles, answers):
                return rounds
        if n_rounds > 2 * len(wrong) + 2:   # cannot happen: one wrong answer per round does
            raise AssertionError(f"{notebook.name}: no rounds separate every pair")


def _submit(course: Path, assignment: str, student: str, notebook: Path, nb) -> None:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / notebook.name)


def _replace_source(nb, grade_id: str, source: str):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if nbg(cell).get("grade_id") == grade_id:
            cell.source = source
            return nb
    raise AssertionError(f"no cell {grade_id}")


def submissions_for(notebook: Path, released: Path) -> tuple[dict, dict, dict]:
    """``({student: notebook}, {student: grade_id of the answer cell it breaks},
    {wrong-answer round: {answer grade_id: wrong answer}})``."""
    solution = nbformat.read(notebook, as_version=4)
    student = nbformat.read(released, as_version=4)
    tested = blocks(solution)
    assert tested, f"{notebook.name}: no answer cell is followed by a test cell"
    first_answer, last_answer = tested[0][0], tested[-1][0]
    first_test = tested[0][1][0]

    empty = copy.deepcopy(student)
    for cell in empty.cells:
        if nbg(cell).get("solution"):
            cell.source = ""
    no_cells = copy.deepcopy(student)
    no_cells.cells = []
    submissions = {
        "solution": solution,
        "untouched": student,
        "empty-answers": empty,
        "no-cells": no_cells,
        "raises": _replace_source(
            solution, last_answer, 'raise RuntimeError("a bug in the submitted code")'),
        "loops": _replace_source(solution, first_answer, "while True:\n    pass"),
        "edited-test": _replace_source(solution, first_test, "pass  # the tests were in the way"),
    }
    broken = {"raises": last_answer, "loops": first_answer}
    wrong = load_wrong_answers(notebook)
    rounds = {}
    for i, held in enumerate(wrong_rounds(notebook), 1):
        nb = solution
        for answer_id, name in held.items():
            nb = _replace_source(nb, answer_id, wrong[name][2].strip("\n") + "\n")
        submissions[f"wrong-{i}"] = nb
        rounds[f"wrong-{i}"] = dict(held)
    if rounds:   # the first round's wrong answers, with the helpers rebound first
        nb = submissions["wrong-1"]
        first = next(c for c in nb.cells if nbg(c).get("grade_id") == first_answer)
        submissions["tampers"] = _replace_source(nb, first_answer, TAMPER + first.source)
    return submissions, broken, rounds


def grade_in_a_course(notebook: Path, tmp: Path) -> Course:
    """Release ``notebook`` in a fresh course under ``tmp``; autograde every submission in
    one run; write everyone's feedback."""
    root = tmp / "course"
    env = mse.isolated_env(tmp)
    mse.make_course(root, timeout=CELL_TIMEOUT)
    released = mse.generate(notebook, root, env)
    assignment = mse.assignment_name(notebook)

    submissions, broken, rounds = submissions_for(notebook, released)
    for name, nb in submissions.items():
        _submit(root, assignment, name, notebook, nb)

    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"],
        cwd=root, env=env, capture_output=True, text=True, timeout=900)
    seconds = time.monotonic() - start
    feedback = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_feedback", assignment, "--force"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600)

    result = Course(notebook, root, released, proc.stdout + proc.stderr, proc.returncode, seconds,
                    broken=broken, rounds=rounds, feedback_log=feedback.stdout + feedback.stderr,
                    feedback_returncode=feedback.returncode)
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for name in submissions:
            try:
                sub = gb.find_submission_notebook(notebook.stem, assignment, name)
            except MissingEntry:
                continue
            result.marks[name] = {g.name: (g.score, g.max_score, g.needs_manual_grade)
                                  for g in sub.grades}
            result.totals[name] = (sub.score, sub.max_score)
    return result


@pytest.fixture(scope="session")
def graded_courses(tmp_path_factory) -> dict:
    """Every exercise notebook graded in its own course, two at a time (2 cores suffice:
    much of a run is spent starting kernels or waiting out the endless loop)."""
    def run(notebook):
        try:
            return grade_in_a_course(notebook, tmp_path_factory.mktemp(f"nbgrader-{notebook.stem}"))
        except Exception as exc:  # reported by the tests of this notebook only
            return exc

    tmp_path_factory.getbasetemp()   # made once, here: two threads making it race
    start = time.monotonic()
    # The notebooks that train networks (PyTorch) grade slowest: start them first, so that
    # the two workers finish together (chapter 4 alone takes a third of the grading time).
    order = sorted(NOTEBOOKS, key=lambda p: "import torch" not in p.read_text(encoding="utf-8"))
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = dict(zip(order, pool.map(run, order)))
    report = os.environ.get("ITML_GRADING_REPORT")
    if report:   # the marks tables and times of this run, for the record
        lines = [f"graded {len(NOTEBOOKS)} notebooks in {time.monotonic() - start:.0f} s, "
                 f"{WORKERS} at a time"]
        for notebook, course in results.items():
            if isinstance(course, Exception):
                lines.append(f"\n== {notebook.name}: {course!r}")
                continue
            lines.append(f"\n== {notebook.name}: {len(course.marks)} submissions, autograde "
                         f"{course.autograde_seconds:.0f} s "
                         f"({course.autograde_seconds / max(len(course.marks), 1):.1f} s each)")
            lines.append(marks_table(course))
            lines += [f"{student}: {held}" for student, held in course.rounds.items()]
        Path(report).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return results


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def course(request, graded_courses) -> Course:
    result = graded_courses[request.param]
    if isinstance(result, Exception):
        raise result
    return result


def _test_ids(notebook: Path) -> list[str]:
    return [nbg(c)["grade_id"] for c in nbformat.read(notebook, as_version=4).cells if is_test(c)]


def _manual_ids(notebook: Path) -> list[str]:
    return [nbg(c)["grade_id"] for c in nbformat.read(notebook, as_version=4).cells if is_manual(c)]


def test_grading_run_completes_for_every_submission(course):
    assert course.autograde_returncode == 0, course.autograde_log[-5000:]
    # nbgrader logs the interrupted loop as errors; any other error is a failure.
    expected = ("Timeout waiting for execute reply", "Interrupting kernel")
    errors = [line for line in course.autograde_log.splitlines()
              if "| ERROR]" in line and not any(e in line for e in expected)]
    assert not errors, "\n".join(errors)
    assert sum("Interrupting kernel" in line for line in course.autograde_log.splitlines()) == 1
    # issue 27: the shipped configuration silences two harmless warnings of every autograde
    for noise in ("SAWarning", "TCP without encryption"):
        assert noise not in course.autograde_log + course.feedback_log, f"the log shows {noise}"
    assert set(course.marks) == set(BASE_STUDENTS) | set(course.rounds)
    wanted = set(_test_ids(course.notebook)) | set(_manual_ids(course.notebook))
    for student, marks in course.marks.items():
        assert set(marks) == wanted, f"{student}: grades recorded for {sorted(marks)}"


def test_tampering_scores_no_more_than_the_same_wrong_answers(course):
    """Issue 27: rebinding the check helpers to no-ops (on itlib.checks and in the
    notebook) used to give full marks.  The hidden tests of every test cell now load the
    helpers afresh and fail the cell if the ones it called were replaced."""
    tests = _test_ids(course.notebook)
    tampered = sum(course.marks["tampers"][g][0] for g in tests)
    honest = sum(course.marks["wrong-1"][g][0] for g in tests)
    top = sum(course.marks["solution"][g][1] for g in tests)
    assert tampered <= honest < top, f"tampering scores {tampered}, the same wrong answers {honest}"
    # nbgrader's log names the answer cell that reaches for the check machinery
    flagged = [line for line in course.autograde_log.splitlines()
               if "reaches for the check machinery" in line]
    assert flagged and all("tampers" in line for line in flagged), "\n".join(flagged[:5])


def test_hidden_checks_are_silent_when_they_pass(course):
    """Issue 27: a correct solution's output shows one "✓ passed" line per *visible* check
    and nothing from the hidden ones (their inputs and expected values stay hidden)."""
    graded = course.root / "autograded" / "solution" / mse.assignment_name(course.notebook)
    nb = nbformat.read(graded / course.notebook.name, as_version=4)
    released = {nbg(c)["grade_id"]: c.source for c in nbformat.read(course.released, as_version=4).cells
                if is_test(c)}
    helpers = {"check", "assert_close", "assert_raises", "defined", "assert_own_work"}
    for cell in nb.cells:
        if not is_test(cell):
            continue
        gid = nbg(cell)["grade_id"]
        visible_calls = sum(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                            and node.func.id in helpers
                            for node in ast.walk(ast.parse(released[gid])))
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert printed.count("✓ passed") == visible_calls, (
            f"{gid}: {printed.count('✓ passed')} lines for {visible_calls} visible checks:\n{printed}")


def test_hidden_tests_come_back_without_checksum_warnings(course):
    """nbgrader's own OverwriteCells warns "Attribute 'checksum' ... has changed!" for every
    cell with hidden tests of every submission; the shipped configuration restores an
    unchanged cell silently and still warns about a locked cell the student edited."""
    warnings = [line for line in course.autograde_log.splitlines()
                if "Attribute 'checksum'" in line]
    solution = nbformat.read(course.notebook, as_version=4)
    first_test = blocks(solution)[0][1][0]
    assert len(warnings) == 1 and f"for cell {first_test} has changed" in warnings[0], (
        "\n".join(warnings[:10]))
    assert course.marks["edited-test"][first_test] == course.marks["solution"][first_test]


def test_solution_gets_full_marks_on_every_autograded_cell(course):
    marks = course.marks["solution"]
    for grade_id in _test_ids(course.notebook):
        score, max_score, _ = marks[grade_id]
        assert max_score > 0
        assert score == max_score, f"the solution scores {score}/{max_score} on {grade_id}"
    for grade_id in _manual_ids(course.notebook):
        assert marks[grade_id][2], f"{grade_id} should wait for a human grader"


@pytest.mark.parametrize("student", ["untouched", "empty-answers", "no-cells"])
def test_unanswered_submissions_get_zero(course, student):
    marks = course.marks[student]
    for grade_id in _test_ids(course.notebook):
        score, max_score, _ = marks[grade_id]
        assert score == 0, f"{student}: {score}/{max_score} on {grade_id}, expected 0"
        if student == "no-cells":  # nothing to run: nbgrader asks a human to look
            assert marks[grade_id][2], f"{grade_id} of an empty notebook is not flagged"
    assert course.totals[student][0] == 0


def test_untouched_written_answers_score_zero_automatically(course):
    # nbgrader gives an unchanged "YOUR ANSWER HERE" zero without a human look.
    for grade_id in _manual_ids(course.notebook):
        score, _, needs_manual = course.marks["untouched"][grade_id]
        assert score == 0 and not needs_manual


@pytest.mark.parametrize("student", ["raises", "loops"])
def test_a_broken_cell_costs_only_its_own_tests(course, student):
    solution = nbformat.read(course.notebook, as_version=4)
    broken_tests = dict(blocks(solution))[course.broken[student]]
    marks, solution_marks = course.marks[student], course.marks["solution"]
    for grade_id in _test_ids(course.notebook):
        score, max_score, _ = marks[grade_id]
        if grade_id in broken_tests:
            assert score == 0, f"{student}: {grade_id} scored {score}, expected 0"
        else:
            # The same marks as the solution (full marks, unless the solution test fails).
            assert score == solution_marks[grade_id][0], (
                f"{student}: {grade_id} scored {score}/{max_score}, the solution "
                f"{solution_marks[grade_id][0]}: do this exercise's tests use another "
                "exercise's answers?")


def test_endless_loop_was_interrupted_at_the_timeout(course):
    graded = course.root / "autograded" / "loops" / mse.assignment_name(course.notebook)
    nb = nbformat.read(graded / course.notebook.name, as_version=4)
    cell = next(c for c in nb.cells if nbg(c).get("grade_id") == course.broken["loops"])
    enames = [o.ename for o in cell.outputs if o.output_type == "error"]
    assert enames and enames[0] in {"KeyboardInterrupt", "CellTimeoutError"}, enames


# ------------------------------------------------------------------ wrong answers


def _wrong_cases() -> list:
    return [pytest.param(nb, name, id=f"{nb.stem}-{name}")
            for nb in NOTEBOOKS for name in load_wrong_answers(nb)]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_tested_answer_has_a_plausible_wrong_answer(notebook):
    path = WRONG_DIR / f"{notebook.stem}.py"
    assert path.exists(), (
        f"{path.relative_to(ROOT)} is missing: declare plausible wrong answers to "
        f"{notebook.name} there (see this module's docstring)")
    wrong = load_wrong_answers(notebook)
    assert wrong, f"{path.relative_to(ROOT)} defines no WRONG answers"
    solution = nbformat.read(notebook, as_version=4)
    answers = dict(blocks(solution))
    for name, entry in wrong.items():
        assert isinstance(entry, tuple) and len(entry) == 3, f"{name}: (grade_id, kind, source)"
        answer_id, kind, source = entry
        assert answer_id in answers, f"{name}: {answer_id!r} is not an answer cell with tests"
        assert kind in KINDS, f"{name}: kind {kind!r} is not one of {sorted(KINDS)}"
        assert isinstance(source, str) and source.strip(), f"{name}: no source"
        compile(source, name, "exec")  # a wrong answer, not a syntax error
        original = next(c.source for c in solution.cells if nbg(c).get("grade_id") == answer_id)
        assert source.strip() != original.strip(), f"{name} is the solution itself"
    covered = {answer_id for answer_id, _, _ in wrong.values()}
    missing = sorted(set(answers) - covered)
    assert not missing, f"answer cells without a wrong answer in {path.name}: {missing}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_wrong_answer_rounds_hold_each_once_and_separate_every_pair(notebook):
    wrong = load_wrong_answers(notebook)
    rounds = wrong_rounds(notebook)
    held = [name for r in rounds for name in r.values()]
    assert sorted(held) == sorted(wrong), "every wrong answer in exactly one round"
    for r in rounds:
        assert all(wrong[name][0] == answer_id for answer_id, name in r.items())
    answers = [a for a, _ in blocks(nbformat.read(notebook, as_version=4))]
    missing = {(a, b) for a in answers for b in answers if a != b} - separated_pairs(
        rounds, _single_breaks(notebook), answers)
    assert not missing, f"never one broken without the other: {sorted(missing)}"
    assert len(rounds) < len(wrong), "rounds save nothing"
    assert wrong_rounds(notebook) == rounds, "rounds must not change from call to call"


def test_separated_pairs_sees_only_what_a_submission_separates():
    answers = ["a", "b", "c"]
    assert separated_pairs([{"a": "a1", "b": "b1"}], set(), answers) == {("a", "c"), ("b", "c")}
    assert separated_pairs([{"a": "a1"}, {"b": "b1", "c": "c1"}], {"c"}, answers) == {
        ("a", "b"), ("a", "c"), ("b", "a"), ("c", "a"), ("c", "b")}


@pytest.mark.parametrize("notebook, name", _wrong_cases())
def test_wrong_answer_loses_marks_of_its_exercise_only(graded_courses, notebook, name):
    course = graded_courses[notebook]
    if isinstance(course, Exception):
        raise course
    student = next(s for s, held in course.rounds.items() if name in held.values())
    answer_id = next(a for a, n in course.rounds[student].items() if n == name)
    tests_of = dict(blocks(nbformat.read(notebook, as_version=4)))
    own_tests = tests_of[answer_id]
    replaced = {g for a in course.rounds[student] for g in tests_of[a]}
    marks, solution_marks = course.marks[student], course.marks["solution"]
    own = [(marks[g][0], marks[g][1]) for g in own_tests]
    assert sum(s for s, _ in own) < sum(m for _, m in own), (
        f"{name} ({student}) gets full marks on {own_tests}: the tests of {answer_id} accept it")
    if load_wrong_answers(notebook)[name][1] == "calls the library":
        messages = _failure_messages(course, student, own_tests)
        assert any("this exercise asks you to write" in m for m in messages), (
            f"{name}: no failure says why calling itlib is wrong: {messages}")
    for grade_id in _test_ids(notebook):
        if grade_id not in replaced:
            assert marks[grade_id][0] == solution_marks[grade_id][0], (
                f"{student} (wrong {sorted(course.rounds[student])}) scores "
                f"{marks[grade_id][0]} on {grade_id}, the solution "
                f"{solution_marks[grade_id][0]}: do its tests use another exercise's answers?")


def marks_table(course: Course) -> str:
    """A text table: one row per submission, its marks on each test cell, and its total."""
    tests = _test_ids(course.notebook)
    rows = [["submission", "wrong answers", *tests, "total"]]
    for student in [*BASE_STUDENTS, *course.rounds]:
        marks = course.marks.get(student, {})
        cells = [f"{marks[g][0]:g}/{marks[g][1]:g}" if g in marks else "-" for g in tests]
        total = sum(marks[g][0] for g in tests if g in marks)
        top = sum(marks[g][1] for g in tests if g in marks)
        held = ", ".join(course.rounds.get(student, {}).values())
        rows.append([student, held, *cells, f"{total:g}/{top:g}"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


# ------------------------------------------------------------------ feedback


def hidden_test_lines(notebook: Path) -> list[str]:
    """The lines of ``notebook``'s hidden tests (20 characters or more) that appear nowhere
    else in it, not even as part of a line."""
    nb = nbformat.read(notebook, as_version=4)
    visible = []   # every line outside the hidden tests, whitespace normalized
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif not inside:
                visible.append(" ".join(line.split()))
    public = "\n".join(visible)   # a hidden line found in here is not a secret
    lines = []
    for cell in nb.cells:
        if not is_test(cell):
            continue
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside:
                line = " ".join(line.split())
                if len(line) >= 20 and line not in public and not line.startswith("#"):
                    lines.append(line)
    return lines


def _failure_messages(course: Course, student: str, cells=None) -> list[str]:
    graded = course.root / "autograded" / student / mse.assignment_name(course.notebook)
    nb = nbformat.read(graded / course.notebook.name, as_version=4)
    return [o.evalue for c in nb.cells if is_test(c)
            and (cells is None or nbg(c)["grade_id"] in cells) for o in c.get("outputs", [])
            if o.output_type == "error" and o.ename == "CheckFailed"]


def _submitted(course: Course, student: str):
    return nbformat.read(course.root / "submitted" / student / mse.assignment_name(course.notebook)
                         / course.notebook.name, as_version=4)


def _feedback(course: Course, student: str) -> Path:
    return (course.root / "feedback" / student / mse.assignment_name(course.notebook)
            / f"{course.notebook.stem}.html")


def test_feedback_shows_no_hidden_test_but_every_failure_message(course):
    assert course.feedback_returncode == 0, course.feedback_log[-5000:]
    secrets = hidden_test_lines(course.notebook)
    assert len(secrets) >= 5, f"{course.notebook.name}: too few hidden-test lines to look for"
    failures_seen = 0
    for student in [s for s in course.marks if s != "no-cells"]:
        page = _feedback(course, student)
        assert page.exists(), f"no feedback for {student}"
        text, raw = _visible_text(page), page.read_text(encoding="utf-8")
        # a line the student wrote in an answer cell is theirs to see
        own = "\n".join(" ".join(line.split()) for c in _submitted(course, student).cells
                         if not is_test(c) for line in c.source.splitlines())
        leaks = [line for line in secrets if line in text and line not in own]
        assert not leaks and "HIDDEN TESTS" not in raw, f"{student}'s feedback shows {leaks[:3]}"
        for message in _failure_messages(course, student):
            shown = _itml_nbgrader().student_part(message)
            assert " ".join(shown.split()) in text, f"{student}: {shown!r} is not in the feedback"
            if shown != message:   # a hidden check: its values are for the instructor only
                assert shown.startswith("✗ a hidden test failed: "), shown
                assert "[for the instructor]" not in text
                instructor = " ".join(message[len(shown):].split())
                assert instructor not in text, f"{student}'s feedback shows {instructor!r}"
            failures_seen += 1
    assert failures_seen >= len(load_wrong_answers(course.notebook))


def _itml_nbgrader():
    spec = importlib.util.spec_from_file_location("itml_nbgrader", ROOT / "exercises" / "itml_nbgrader.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hidden_test_lines_are_found_unless_the_preprocessor_removes_them(tmp_path):
    """The feedback check above can fail: the source notebook rendered to HTML shows its
    hidden-test lines; the same notebook passed through HideHiddenTests first shows none.
    (Graded for real without the shipped preprocessor, the feedback test fails too.)"""
    from nbconvert import HTMLExporter

    hide = _itml_nbgrader().HideHiddenTests()
    for notebook in NOTEBOOKS:
        secrets = hidden_test_lines(notebook)
        nb = nbformat.read(notebook, as_version=4)
        for name, version in [("raw", nb), ("hidden", hide.preprocess(copy.deepcopy(nb), {})[0])]:
            body, _ = HTMLExporter().from_notebook_node(version)
            page = tmp_path / f"{notebook.stem}-{name}.html"
            page.write_text(body, encoding="utf-8")
            found = sum(line in _visible_text(page) for line in secrets)
            if name == "raw":
                assert found >= 0.9 * len(secrets), f"{notebook.name}: {found}/{len(secrets)}"
            else:
                assert found == 0, f"{notebook.name}: {found} hidden-test lines left"


def test_feedback_preprocessor_strips_regions_and_tracebacks():
    module = _itml_nbgrader()
    cell = nbformat.v4.new_code_cell(
        'check(ok, "visible")\n    ### BEGIN HIDDEN TESTS\n    assert_close(x, 0.87680367, "x")\n'
        '    ### END HIDDEN TESTS\nprint("after")')
    cell.outputs = [nbformat.v4.new_output(
        "error", ename="CheckFailed", evalue="✗ x: expected 0.8768 bits, got 1 bit",
        traceback=["assert_close(x, 0.87680367, \"x\")", "CheckFailed: ✗ x: expected 0.8768 bits"])]
    out, _ = module.HideHiddenTests().preprocess_cell(cell, {}, 0)
    assert out.source == f'check(ok, "visible")\n    {module.HIDDEN_NOTE}\nprint("after")'
    assert out.outputs[0].traceback == ["CheckFailed: ✗ x: expected 0.8768 bits, got 1 bit"]
    plain = nbformat.v4.new_code_cell("print(1)")
    assert module.HideHiddenTests().preprocess_cell(plain, {}, 0)[0] is plain
    # a failed hidden check: the property stays, the instructor's line goes
    hidden = nbformat.v4.new_code_cell("x = 1\n### BEGIN HIDDEN TESTS\nsecret()\n### END HIDDEN TESTS")
    message = "✗ a hidden test failed: x: wrong value\n[for the instructor] x: expected 0.8768 bits, got 1 bit"
    hidden.outputs = [nbformat.v4.new_output("error", ename="CheckFailed", evalue=message,
                                             traceback=message.split("\n"))]
    out, _ = module.HideHiddenTests().preprocess_cell(hidden, {}, 0)
    assert out.outputs[0].evalue == "✗ a hidden test failed: x: wrong value"
    assert out.outputs[0].traceback == ["CheckFailed: ✗ a hidden test failed: x: wrong value"]
    assert hidden.outputs[0].evalue == message      # the autograded notebook keeps it all


# ------------------------------------------------------------------ the student version


def test_committed_student_version_is_what_nbgrader_makes_now(course):
    committed = mse.STUDENT / course.notebook.name
    assert committed.exists(), (
        f"{committed.relative_to(ROOT)} is missing: run python tools/make_student_exercises.py")
    fresh = json.loads(course.released.read_text(encoding="utf-8"))
    assert json.loads(committed.read_text(encoding="utf-8")) == fresh, (
        f"{committed.relative_to(ROOT)} is out of date: run python tools/make_student_exercises.py")


def _defines_only(source: str) -> bool:
    """True if ``source`` only defines functions or classes (and imports)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    allowed = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
    return all(isinstance(node, allowed) for node in tree.body)


def test_student_version_runs_with_only_not_implemented_errors(course):
    """Top to bottom: answer cells raise NotImplementedError (or define a function that
    does), test cells fail with NotImplementedError or a clear CheckFailed, and every other
    cell runs cleanly.  No SyntaxError, NameError or anything else.

    The notebook looked at is the unchanged student version as nbgrader executed it
    while autograding (its test cells then hold the hidden tests again, after the
    visible ones)."""
    graded = course.root / "autograded" / "untouched" / mse.assignment_name(course.notebook)
    nb = nbformat.read(graded / course.notebook.name, as_version=4)
    assert [c.source for c in nb.cells if not is_test(c)] == [
        c.source for c in nbformat.read(course.released, as_version=4).cells if not is_test(c)]
    released = {nbg(c).get("grade_id"): c.source for c in nbformat.read(course.released, as_version=4).cells}
    stubs = {}   # test cell -> the released source of its answer cell, if it is the first test
    for answer_id, test_ids in blocks(nbformat.read(course.notebook, as_version=4)):
        stubs[test_ids[0]] = released[answer_id]
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        gid = nbg(cell).get("grade_id", cell.get("id"))
        enames = [o.ename for o in cell.outputs if o.output_type == "error"]
        if is_answer(cell):
            if _defines_only(cell.source):
                assert enames == [], f"{gid}: {enames}"
            else:
                assert enames == ["NotImplementedError"], f"{gid}: {enames}"
        elif is_test(cell):
            assert len(enames) == 1 and enames[0] in {"NotImplementedError", "CheckFailed"}, (
                f"{gid}: {enames}")
            if gid in stubs and _defines_only(stubs[gid]):
                # issue 32: one line saying the answer above is not done, not "✓ passed:
                # f is defined" followed by a NotImplementedError traceback
                error = next(o for o in cell.outputs if o.output_type == "error")
                printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
                assert "is not answered yet" in error.evalue and len(error.traceback) == 1, (
                    f"{gid}: {error.ename}: {error.evalue}")
                assert "✓ passed" not in printed, f"{gid} printed {printed!r}"
        else:
            assert enames == [], f"{gid} is not an answer, yet raised {enames}"


def test_student_versions_are_in_the_book_and_not_executed():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    files = set(re.findall(r"file:\s*(\S+)", toc))
    for notebook in NOTEBOOKS:
        rel = (mse.STUDENT / notebook.name).relative_to(ROOT).with_suffix("").as_posix()
        assert rel in files, f"{rel} is not in _toc.yml"
        student = json.loads((mse.STUDENT / notebook.name).read_text(encoding="utf-8"))
        assert student["metadata"].get("mystnb", {}).get("execution_mode") == "off", (
            f"{notebook.name}: the website must not run the student version")
    orphans = {p.name for p in mse.STUDENT.glob("*.ipynb")} - {p.name for p in NOTEBOOKS}
    assert not orphans, f"student versions without a source notebook: {sorted(orphans)}"


# ------------------------------------------------------------------ authoring rules


def _headings(notebook: Path) -> set[str]:
    nb = nbformat.read(notebook, as_version=4)
    return {m.group(1).strip() for c in nb.cells if c.cell_type == "markdown"
            for m in re.finditer(r"^#{1,6}\s+(.+)$", c.source, flags=re.M)}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_exercise_notebook_follows_the_rules(notebook):
    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    ids = [c.get("id") for c in nb.cells]
    assert all(ids) and len(set(ids)) == len(ids), "every cell needs a fixed, unique id"
    grade_ids = [nbg(c)["grade_id"] for c in nb.cells if nbg(c)]
    assert len(set(grade_ids)) == len(grade_ids), "grade_ids must be unique"
    for cell in nb.cells:
        meta = nbg(cell)
        if not meta:
            continue
        gid = meta["grade_id"]
        assert NBGRADER_KEYS <= set(meta) and meta["schema_version"] == 3, gid
        if meta["grade"]:
            assert meta.get("points", 0) > 0, f"{gid} is graded but has no points"
        if meta["solution"] and cell.cell_type == "code":
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source, gid
        if not meta["solution"]:
            assert meta["locked"], f"{gid}: a cell the student does not answer must be locked"
            assert "BEGIN SOLUTION" not in cell.source, gid
        if not is_test(cell):
            assert "BEGIN HIDDEN TESTS" not in cell.source, gid
        else:  # every failed check says what was found: check() needs a hint
            for node in ast.walk(ast.parse(cell.source)):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id == "check"):
                    assert len(node.args) >= 3 or any(k.arg == "hint" for k in node.keywords), (
                        f"{gid}, line {node.lineno}: check() without a hint saying what was found")

    assert sum(is_manual(c) for c in nb.cells) >= 1, "at least one answer graded by hand"
    assert any("### BEGIN HIDDEN TESTS" in c.source for c in nb.cells if is_test(c))

    # Exercises: "## Exercise N: title (P points)", each naming what it practises and
    # linking the chapter section it belongs to; P = the points of its graded cells.
    sections, current = [], None
    for cell in nb.cells:
        m = re.search(r"^## (Exercise \d+.*)$", cell.source, flags=re.M) \
            if cell.cell_type == "markdown" else None
        if m:
            current = {"title": m.group(1), "text": cell.source, "points": 0}
            sections.append(current)
        elif current is not None and nbg(cell).get("grade"):
            current["points"] += nbg(cell)["points"]
    assert len(sections) >= 3, "at least three exercises"
    for sec in sections:
        m = re.search(r"\((\d+) points?", sec["title"])
        assert m, f"{sec['title']!r} does not state its points"
        assert int(m.group(1)) == sec["points"], (
            f"{sec['title']!r}: its cells carry {sec['points']} points")
        assert "*Practises:*" in sec["text"], f"{sec['title']!r} does not say what it practises"
        links = re.findall(r"\[([^\]]+)\]\((/chapters/[^)#]+\.ipynb)(?:#[^)]*)?\)", sec["text"])
        assert links, f"{sec['title']!r} does not link its chapter section"
        for title, target in links:
            chapter = ROOT / target.lstrip("/")
            assert chapter.exists(), f"{sec['title']!r} links {target}, which does not exist"
            assert title in _headings(chapter), (
                f"{sec['title']!r} names the section {title!r}, not a heading of {target}")
    total = sum(nbg(c).get("points", 0) for c in nb.cells if nbg(c).get("grade"))
    m = re.search(r"worth (\d+) points in all", nb.cells[0].source)
    if m:
        assert int(m.group(1)) == total, f"the introduction says {m.group(1)} points, cells carry {total}"


# ------------------------------------------------------------------ the website


def _visible_text(path: Path) -> str:
    """What a file of the built site says, with HTML tags, entities and spacing undone."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        try:
            raw = "\n".join("".join(c.get("source", "")) for c in json.loads(raw)["cells"])
        except (ValueError, KeyError):
            pass
    elif path.suffix in {".html", ".htm"}:
        raw = html.unescape(re.sub(r"<[^>]+>", "", raw))
    return " ".join(raw.split())


def _regions(source: str) -> list[str]:
    """The lines inside nbgrader's solution and hidden-test regions of one cell."""
    lines, inside = [], False
    for line in source.splitlines():
        if re.search(r"### BEGIN (SOLUTION|HIDDEN TESTS|MARK SCHEME)", line):
            inside = True
        elif re.search(r"### END (SOLUTION|HIDDEN TESTS|MARK SCHEME)", line):
            inside = False
        elif inside:
            lines.append(line)
    return lines


def secret_lines(notebook: Path) -> list[str]:
    """Distinctive lines of the solutions and hidden tests of ``notebook``.

    Long enough to be distinctive, and found neither in the student version nor in any
    chapter (where the same line may legitimately appear).
    """
    nb = nbformat.read(notebook, as_version=4)
    public = _visible_text(mse.STUDENT / notebook.name) if (mse.STUDENT / notebook.name).exists() else ""
    for chapter in sorted((ROOT / "chapters").glob("*.ipynb")) + sorted(ROOT.glob("*.md")):
        public += " " + _visible_text(chapter)
    # the hidden-test block's first line is documented (itlib.checks, this README): public
    for doc in (ROOT / "itlib" / "checks.py", ROOT / "exercises" / "README.md"):
        public += " " + " ".join(doc.read_text(encoding="utf-8").split())
    secrets = []
    for cell in nb.cells:
        for line in _regions(cell.source):
            line = " ".join(line.split())
            if len(line) >= 24 and line not in public and line not in secrets:
                secrets.append(line)
    return secrets


def _site_files() -> list[Path]:
    text_suffixes = {".html", ".htm", ".js", ".json", ".txt", ".ipynb", ".md", ".py", ".xml"}
    return [p for p in SITE.rglob("*") if p.is_file() and p.suffix in text_suffixes]


def test_secret_lines_are_found_in_rendered_html(tmp_path):
    """The site check below would see a solution that slipped into a page: render the
    source notebook to HTML (syntax-highlighted like the site) and find its secrets."""
    from nbconvert import HTMLExporter

    for notebook in NOTEBOOKS:
        secrets = secret_lines(notebook)
        assert len(secrets) >= 5, f"{notebook.name}: too few distinctive solution lines"
        body, _ = HTMLExporter().from_filename(str(notebook))
        page = tmp_path / f"{notebook.stem}.html"
        page.write_text(body, encoding="utf-8")
        text = _visible_text(page)
        found = [s for s in secrets if s in text]
        assert len(found) >= 0.8 * len(secrets), f"only {len(found)}/{len(secrets)} found"
        assert all(m in text for m in ["BEGIN SOLUTION", "BEGIN HIDDEN TESTS"])


@pytest.mark.skipif(not (SITE / "index.html").exists(),
                    reason="the website is not built (_build/html is missing): run `make book` first")
def test_built_site_shows_no_solutions_and_no_hidden_tests():
    for notebook in NOTEBOOKS:
        page = SITE / "exercises" / "student" / f"{notebook.stem}.html"
        assert page.exists(), f"the site has no page for the exercises {notebook.name}"
    needles = list(MARKERS)
    for notebook in NOTEBOOKS:
        needles += secret_lines(notebook)
    leaks = []
    for path in _site_files():
        text = _visible_text(path)
        raw = path.read_text(encoding="utf-8", errors="replace")
        for needle in needles:
            if needle in text or needle in raw:
                leaks.append(f"{path.relative_to(SITE)}: {needle!r}")
    assert not leaks, "the website shows solutions or hidden tests:\n" + "\n".join(leaks[:20])


# ------------------------------------------------------------------ grading safely


SNOOP = '''import os, socket
_course = {course!r}
for _what, _do in [("read source", lambda: open(os.path.join(_course, "source", {assignment!r}, {name!r})).read()),
                   ("read gradebook", lambda: open(os.path.join(_course, "gradebook.db"), "rb").read(10)),
                   ("write gradebook", lambda: open(os.path.join(_course, "gradebook.db"), "ab")),
                   ("write course", lambda: open(os.path.join(_course, "planted.txt"), "w"))]:
    try:
        _do()
        print(_what, "ALLOWED")
    except OSError as _exc:
        print(_what, "refused:", type(_exc).__name__)
print("network interfaces:", sorted(n for _, n in socket.if_nameindex()))
print("user:", os.geteuid())
'''


def _runs_as_nobody(python: str) -> bool:
    probe = subprocess.run(["runuser", "-u", "nobody", "--", python, "-c", "pass"],
                           capture_output=True, timeout=60)
    return probe.returncode == 0


@pytest.mark.skipif(not (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("runuser")
                         and shutil.which("unshare")),
                    reason="needs root, runuser and unshare to start kernels as another user")
def test_grading_as_an_unprivileged_user_with_the_shipped_configuration(tmp_path):
    """exercises/README.md, "Grading safely": with ITML_GRADER_USER=nobody the kernels run
    as nobody, without network; the solution still gets full marks, and a submission that
    snoops can read neither the solution key (source/) nor the gradebook, nor write either."""
    notebook = next(n for n in NOTEBOOKS if n.stem.startswith("01_"))
    base = Path(tempfile.mkdtemp(prefix="itml-safe-"))   # traversable by nobody, unlike tmp_path
    try:
        os.chmod(base, 0o755)
        root = base / "course"
        env = mse.isolated_env(tmp_path)
        mse.make_course(root)
        mse.generate(notebook, root, env)
        assignment = mse.assignment_name(notebook)
        os.chmod(root / "source", 0o700)
        os.chmod(root / "gradebook.db", 0o600)
        solution = nbformat.read(notebook, as_version=4)
        first_answer = blocks(solution)[0][0]
        answer = next(c.source for c in solution.cells if nbg(c).get("grade_id") == first_answer)
        snoop = SNOOP.format(course=str(root), assignment=assignment, name=notebook.name)
        _submit(root, assignment, "solution", notebook, solution)
        _submit(root, assignment, "snoop", notebook,
                _replace_source(solution, first_answer, snoop + answer))
        sandbox = {**env, "ITML_GRADER_USER": "nobody"}
        if not _runs_as_nobody(sys.executable):
            # Here this Python lives under /root, which nobody cannot enter: the kernel runs
            # on the system's CPython of the same version, with this environment's packages.
            system = shutil.which(f"python{sys.version_info[0]}.{sys.version_info[1]}",
                                  path="/usr/bin:/usr/local/bin")
            site = [p for p in sys.path if p.endswith("site-packages")]
            if not (system and _runs_as_nobody(system) and site):
                pytest.skip("no Python that the user nobody can run")
            sandbox.update(ITML_GRADER_PYTHON=system,
                           PYTHONPATH=os.pathsep.join([str(ROOT), *site]))
        proc = subprocess.run(
            [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"],
            cwd=root, env=sandbox, capture_output=True, text=True, timeout=600)
        log = proc.stdout + proc.stderr
        assert proc.returncode == 0, log[:3000] + "\n...\n" + log[-2000:]
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            for student in ("solution", "snoop"):
                sub = gb.find_submission_notebook(notebook.stem, assignment, student)
                tests = {g.name: g for g in sub.grades if g.name in _test_ids(notebook)}
                assert tests and all(g.score == g.max_score for g in tests.values()), (
                    student, {k: (g.score, g.max_score) for k, g in tests.items()})
        graded = nbformat.read(root / "autograded" / "snoop" / assignment / notebook.name, as_version=4)
        cell = next(c for c in graded.cells if nbg(c).get("grade_id") == first_answer)
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        for what in ("read source", "read gradebook", "write gradebook", "write course"):
            assert f"{what} refused: PermissionError" in printed, printed
        assert "network interfaces: ['lo']" in printed and "user: 65534" in printed, printed
        assert not (root / "planted.txt").exists()
    finally:
        shutil.rmtree(base, ignore_errors=True)
