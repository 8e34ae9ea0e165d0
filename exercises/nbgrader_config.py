"""nbgrader configuration for a course made of this book's exercises (nbgrader 0.9.6).

Copy this file and ``itml_nbgrader.py`` into an empty course directory and run nbgrader
there (exercises/README.md gives every step).  Nothing else is needed: no
``nbgrader quickstart``, whose header cells and sample assignment would make the release
differ from ``exercises/student/``.
"""

import os
import sys
import warnings

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

# Two kinds of log noise that every autograde printed, both harmless here:
# - SQLAlchemy's SAWarning about nbgrader's gradebook relationships (nbgrader's own
#   models; nothing a course can fix), silenced in this process;
# - the grading kernel's "Kernel is running over TCP without encryption" warning: the
#   kernel listens on 127.0.0.1 only, for the few seconds a notebook runs; its log level
#   is raised to ERROR (cell outputs and errors are not affected).
try:
    from sqlalchemy.exc import SAWarning  # noqa: E402
    warnings.filterwarnings("ignore", category=SAWarning)
except ImportError:  # pragma: no cover -- nbgrader always brings SQLAlchemy
    pass
c.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]

# Autograde: nbgrader's sanitizing steps, with OverwriteCells replaced by a version that
# restores an unchanged test cell's hidden tests without logging "Attribute 'checksum'
# for cell ... has changed!" (a changed locked cell is still reported).
c.Autograde.sanitize_preprocessors = [
    ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreHiddenTests, CheckCellMetadata]

# Feedback: remove the hidden tests' code from the HTML; keep scores and failure messages.
c.GenerateFeedback.preprocessors = [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]

# Grading safely (exercises/README.md): with ITML_GRADER_USER set to an unprivileged
# user, every grading kernel runs as that user, over Unix sockets in a folder of its own,
# and without network when nbgrader runs as root; nbgrader itself stays the instructor.
if os.environ.get("ITML_GRADER_USER"):
    import tempfile  # noqa: E402

    from itml_nbgrader import KERNEL_NAME, sandbox_kernelspec  # noqa: E402

    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [sandbox_kernelspec(COURSE, sys.executable), os.environ.get("JUPYTER_PATH", "")])
    c.Execute.kernel_name = KERNEL_NAME
    _sockets = tempfile.mkdtemp(prefix="itml-sockets-")
    os.chmod(_sockets, 0o777)   # a fresh, randomly named folder the kernel can bind in
    c.KernelManager.transport = "ipc"
    c.KernelManager.ip = os.path.join(_sockets, "kernel")

