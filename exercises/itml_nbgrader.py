"""Two nbgrader preprocessors for this book's exercises (nbgrader 0.9.6).

``exercises/nbgrader_config.py`` switches them on; copy both files into the course
directory (see exercises/README.md).

:class:`RestoreHiddenTests`
    Replaces nbgrader's ``OverwriteCells`` while autograding.  nbgrader stores each test
    cell in its database *with* the hidden tests, and its checksum, at
    ``generate_assignment``; the student receives the cell *without* them.  When grading,
    ``OverwriteCells`` sees that the submitted cell's checksum differs from the stored one,
    logs ``Attribute 'checksum' for cell ... has changed!`` and puts the stored source
    back: that is how the hidden tests return (nbgrader issue #1961).  The warning is thus
    printed for every cell with hidden tests of every submission, correct ones included,
    and hides the one that matters: a student who edited a locked cell.
    :class:`RestoreHiddenTests` puts the stored source back first, silently, when the
    submitted cell is exactly the released one (the stored source with its hidden-test
    regions removed), then lets ``OverwriteCells`` do everything else as before.  A cell a
    student did change still gets the warning, and its stored source back.

:class:`HideHiddenTests`
    A ``generate_feedback`` preprocessor.  The autograded notebook that feedback is made
    from holds the hidden tests (source and expected values); nbgrader copies them into the
    feedback HTML, so after one term they are public.  This removes each hidden-test region
    from the cells' source, leaving a one-line comment in its place, and cuts the
    traceback of an error in such a cell down to its last line, ``CheckFailed: ✗ ...``.
    A failed *hidden* check (see ``itlib.checks.hidden_tests``) names the property that
    failed on that line and keeps the hidden input, the expected and the found value on a
    second line starting ``[for the instructor]``: that line, and anything after it, is
    removed too, so students read which property failed but not the hidden values (the
    autograded notebook, which the formgrader shows, keeps the whole message).  A failed
    visible check keeps its full "expected ..., got ..." message: its inputs are public.
    The score of every cell is kept.

:class:`RestoreHiddenTests` also logs a warning for an answer cell whose code reaches for
the check machinery (``itlib.checks``, ``hidden_tests``, ``setattr``, ``sys.modules``,
``builtins``, ``importlib``, ``__import__``, ``globals()[...]``): such a submission may be
trying to rebind the helpers the tests call; read it before trusting its marks.
"""

from __future__ import annotations

import copy
import re

from nbformat.v4 import new_code_cell
from nbgrader import utils
from nbgrader.api import MissingEntry
from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells
from traitlets import Bool

__all__ = ["RestoreHiddenTests", "HideHiddenTests", "HIDDEN_NOTE", "INSTRUCTOR", "SUSPICIOUS"]

#: What replaces a hidden-test region in the feedback.
HIDDEN_NOTE = "# (hidden tests ran here; their code is not shown)"
#: Starts the instructor-only line of a failed hidden check (``itlib.checks.INSTRUCTOR``).
INSTRUCTOR = "[for the instructor] "
#: Code in an answer cell that may tamper with the checks: logged for a human look.
SUSPICIOUS = re.compile(r"itlib\.checks|\bchecks\.|hidden_tests|setattr|sys\.modules|builtins"
                        r"|importlib|__import__|globals\(\)\s*\[|\b(check|assert_close|"
                        r"assert_raises|defined|assert_own_work)\s*=[^=]")


def student_part(text: str) -> str:
    """``text`` up to its instructor-only line (all of it if there is none)."""
    cut = text.find("\n" + INSTRUCTOR)
    return text if cut < 0 else text[:cut]


def _strip_hidden(source: str, *, note: str | None = None) -> tuple[str, bool]:
    """``source`` without its hidden-test regions (nbgrader's own parser), and whether
    there was one.  With ``note``, each region is replaced by that line."""
    cell = new_code_cell(source)
    clearer = ClearHiddenTests()
    if note is None:
        removed = clearer._remove_hidden_test_region(cell)
        return cell.source, removed
    begin, end = clearer.begin_test_delimeter, clearer.end_test_delimeter
    lines, inside, removed = [], False, False
    for line in source.split("\n"):
        if begin in line:
            inside = removed = True
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(indent + note)
        elif end in line:
            inside = False
        elif not inside:
            lines.append(line)
    return "\n".join(lines), removed


class RestoreHiddenTests(OverwriteCells):
    """``OverwriteCells`` that restores an unchanged released test cell without a warning."""

    def preprocess_cell(self, cell, resources, cell_index):
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if cell.cell_type == "code" and meta.get("solution") and SUSPICIOUS.search(cell.source):
            found = SUSPICIOUS.search(cell.source).group(0)
            self.log.warning("Answer cell %s of %s reaches for the check machinery (%r): "
                             "read it before trusting its marks", grade_id,
                             resources.get("nbgrader", {}).get("student", "this submission"),
                             found.strip())
        if grade_id is not None and utils.is_grade(cell) and utils.is_locked(cell):
            try:
                stored = self.gradebook.find_source_cell(grade_id, self.notebook_id,
                                                         self.assignment_id)
            except MissingEntry:
                stored = None
            if stored is not None and stored.source != cell.source:
                released, removed = _strip_hidden(stored.source)
                if removed and released == cell.source:
                    cell.source = stored.source  # exactly what OverwriteCells would restore
        return super().preprocess_cell(cell, resources, cell_index)


class HideHiddenTests(Preprocessor):
    """Remove hidden-test code from feedback; keep outputs and one-line error messages."""

    enabled = Bool(True, help="Whether to remove hidden tests from feedback").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        source, removed = _strip_hidden(cell.source, note=HIDDEN_NOTE)
        hidden_failure = any(INSTRUCTOR in o.get("evalue", "") for o in cell.get("outputs", [])
                             if o.get("output_type") == "error")
        if not removed and not hidden_failure:
            return cell, resources
        cell = copy.deepcopy(cell)
        cell.source = source
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                # IPython's traceback quotes the failing line (a hidden test, perhaps) with
                # its neighbours; the message itself says what failed.  A hidden check's
                # instructor-only line (hidden input, expected and found value) goes.
                output["evalue"] = student_part(output.get("evalue", ""))
                output["traceback"] = [f"{output.get('ename', 'Error')}: {output['evalue']}"]
        return cell, resources


# ------------------------------------------------------------------ sandboxed kernel
#
# Autograding runs the students' code.  With ITML_GRADER_USER set (see nbgrader_config.py
# and exercises/README.md, "Grading safely"), the grading kernel is started through
# ``python itml_nbgrader.py kernel CONNECTION_FILE`` below: it runs as that unprivileged
# user (``runuser`` when nbgrader runs as root, ``sudo -n -u`` otherwise), over Unix
# sockets, and, when nbgrader runs as root, in a network namespace of its own (no network
# at all).  nbgrader itself, which reads source/ and writes gradebook.db, keeps running as
# the instructor; make those two unreadable to the grading user (chmod 700 source,
# chmod 600 gradebook.db) and the students' code can neither read the solutions nor
# change its marks.

KERNEL_NAME = "itml-sandboxed"


def sandbox_kernelspec(course: str, python: str) -> str:
    """Write the kernelspec that starts sandboxed kernels under ``course``; return the
    directory to add to ``JUPYTER_PATH``."""
    import json
    import os

    root = os.path.join(course, ".itml-kernels")
    spec_dir = os.path.join(root, "kernels", KERNEL_NAME)
    os.makedirs(spec_dir, exist_ok=True)
    spec = {"argv": [python, os.path.join(course, "itml_nbgrader.py"), "kernel",
                     "{connection_file}"],
            "display_name": "Python 3 (sandboxed grading kernel)", "language": "python"}
    with open(os.path.join(spec_dir, "kernel.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
    return root


def _run_sandboxed_kernel(connection_file: str, extra: list[str]) -> None:
    """Start ipykernel as ``$ITML_GRADER_USER`` with a copy of ``connection_file`` (and
    the ``extra`` arguments nbgrader's configuration adds)."""
    import os
    import shutil
    import sys
    import tempfile

    user = os.environ.get("ITML_GRADER_USER", "itml-grader")
    home = tempfile.mkdtemp(prefix="itml-kernel-")
    copy_path = os.path.join(home, "connection.json")
    shutil.copy(connection_file, copy_path)
    env = dict(os.environ, HOME=home, IPYTHONDIR=os.path.join(home, "ipython"),
               MPLCONFIGDIR=os.path.join(home, "mpl"), JUPYTER_RUNTIME_DIR=home,
               JUPYTER_DATA_DIR=home, JUPYTER_CONFIG_DIR=home)
    # ITML_GRADER_PYTHON: the grading user's Python, when it cannot run nbgrader's own
    # (an interpreter under a private home folder, say); it must import itlib and ipykernel.
    python = os.environ.get("ITML_GRADER_PYTHON") or sys.executable
    kernel = [python, "-m", "ipykernel_launcher", "-f", copy_path, *extra]
    if os.geteuid() == 0:
        shutil.chown(home, user)
        shutil.chown(copy_path, user)
        # no network for the students' code: a namespace with only a (down) loopback
        argv = ["unshare", "--net", "runuser", "-u", user, "--", *kernel]
    else:   # a sudoers rule lets the instructor run Python as the grading user
        os.chmod(home, 0o777)
        os.chmod(copy_path, 0o644)
        argv = ["sudo", "-n", "-u", user, "--preserve-env=HOME,IPYTHONDIR,MPLCONFIGDIR,"
                "JUPYTER_RUNTIME_DIR,JUPYTER_DATA_DIR,JUPYTER_CONFIG_DIR,PYTHONPATH,"
                "OMP_NUM_THREADS,MPLBACKEND", "--", *kernel]
    os.execvpe(argv[0], argv, env)


if __name__ == "__main__":
    import sys

    if len(sys.argv) >= 3 and sys.argv[1] == "kernel":
        _run_sandboxed_kernel(sys.argv[2], sys.argv[3:])
    else:
        sys.exit("usage: python itml_nbgrader.py kernel CONNECTION_FILE [KERNEL ARGUMENTS]")
