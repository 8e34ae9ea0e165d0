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
    traceback of an error in such a cell down to its last line, ``CheckFailed: ✗ ...``,
    which says what was expected and what was found.  The score of every cell is kept.
"""

from __future__ import annotations

import copy

from nbformat.v4 import new_code_cell
from nbgrader import utils
from nbgrader.api import MissingEntry
from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells
from traitlets import Bool

__all__ = ["RestoreHiddenTests", "HideHiddenTests", "HIDDEN_NOTE"]

#: What replaces a hidden-test region in the feedback.
HIDDEN_NOTE = "# (hidden tests ran here; their code is not shown)"


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
        if not removed:
            return cell, resources
        cell = copy.deepcopy(cell)
        cell.source = source
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                # IPython's traceback quotes the failing line (a hidden test, perhaps) with
                # its neighbours; the message itself says what was expected and found.
                output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
