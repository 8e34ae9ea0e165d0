"""nbgrader configuration for a course made of this book's exercises (nbgrader 0.9.6).

Copy this file and ``itml_nbgrader.py`` into an empty course directory and run nbgrader
there (exercises/README.md gives every step).  Nothing else is needed: no
``nbgrader quickstart``, whose header cells and sample assignment would make the release
differ from ``exercises/student/``.
"""

import os
import sys

# The course directory is the folder of this file; itml_nbgrader.py sits beside it.
COURSE = os.path.dirname(os.path.abspath(__file__))
if COURSE not in sys.path:
    sys.path.insert(0, COURSE)

from itml_nbgrader import HideHiddenTests, RestoreHiddenTests  # noqa: E402
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    CheckCellMetadata, ClearOutput, DeduplicateIds, GetGrades, OverwriteKernelspec)

c = get_config()  # noqa: F821 -- defined by the loader of configuration files

c.CourseDirectory.root = COURSE
c.CourseDirectory.course_id = "itml"

# Seconds each cell may run while autograding (nbgrader's default is 30).  A cell that
# runs longer is interrupted: it and the tests that depend on it score zero, and grading
# goes on with the next cell.  The model solutions need under 5 s per cell.
c.Execute.timeout = 60

# Autograde: nbgrader's sanitizing steps, with OverwriteCells replaced by a version that
# restores an unchanged test cell's hidden tests without logging "Attribute 'checksum'
# for cell ... has changed!" (a changed locked cell is still reported).
c.Autograde.sanitize_preprocessors = [
    ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreHiddenTests, CheckCellMetadata]

# Feedback: remove the hidden tests' code from the HTML; keep scores and failure messages.
c.GenerateFeedback.preprocessors = [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]
