"""Sphinx extension: a quiz's source never shows on the website or in the PDF (issue 26, item 3).

A quiz cell builds ``Quiz([...])`` with the answer key in its source (``correct=True``,
``answer=``, the feedback texts).  The chapters tag every quiz cell ``remove-input``, which
MyST-NB honours; this extension is the second lock: any notebook code cell whose source
constructs a ``Quiz`` (``QUIZ_CALL``) loses its input in the doctree, tag or no tag, so a
new quiz cell whose tag was forgotten still shows only the quiz.  A "show code" toggle
left by a ``hide-input`` tag goes with it.

Each document's count of quiz cells is checked against the notebook's cells that build a
Quiz: if MyST-NB's doctree no longer carries the cell containers this code expects, the
build fails (``ExtensionError``) rather than showing answer keys.  tests/test_quiz_hide.py
checks the functions; tests/site/test_site_quizzes.py checks the built pages' text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError

__all__ = ["setup", "QUIZ_CALL", "builds_quiz", "strip_quiz_sources", "notebook_quiz_cells"]

# ``Quiz(`` or ``it.Quiz(`` / ``itlib.quiz.Quiz(`` as a call, not in a comment's text only.
QUIZ_CALL = re.compile(r"^(?!\s*#).*\bQuiz\s*\(", re.M)


def builds_quiz(source: str) -> bool:
    """Whether a code cell's ``source`` constructs a Quiz."""
    return bool(QUIZ_CALL.search(source))


def notebook_quiz_cells(path: Path) -> int:
    """How many code cells of the notebook at ``path`` construct a Quiz."""
    nb = json.loads(path.read_text(encoding="utf8"))
    n = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            if builds_quiz("".join(src) if isinstance(src, list) else src):
                n += 1
    return n


def strip_quiz_sources(doctree) -> tuple[int, int]:
    """Remove the input of every notebook code cell of ``doctree`` that builds a Quiz.
    Returns (quiz cells seen, inputs removed here): a cell already without input
    (``remove-input``) counts as seen when its output holds a quiz."""
    seen = removed = 0
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") != "cell_code":
            continue
        sources = [c for c in cell.children
                   if isinstance(c, nodes.container) and c.get("nb_element") == "cell_code_source"]
        if sources:
            if not any(builds_quiz(s.astext()) for s in sources):
                continue
            for s in sources:
                cell.remove(s)
                removed += 1
            seen += 1
            mode = cell.get("hide_mode")
            if mode == "input":
                del cell["hide_mode"]
            elif mode == "input+output":
                cell["hide_mode"] = "output"
        elif "itlib-quiz" in cell.astext() or _has_quiz_output(cell):
            seen += 1
    return seen, removed


def _has_quiz_output(cell) -> bool:
    for raw in cell.findall(nodes.raw):
        if 'class="itlib-quiz"' in raw.astext():
            return True
    return False


def _doctree_read(app, doctree):
    docname = app.env.docname
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    expected = notebook_quiz_cells(path)
    seen, _ = strip_quiz_sources(doctree)
    if seen < expected:
        raise ExtensionError(
            f"quiz_hide: {docname}: the notebook has {expected} quiz cell(s), but only {seen} "
            "were found in MyST-NB's doctree (cell containers with nb_element='cell_code'): "
            "MyST-NB's output changed; update _ext/quiz_hide.py so no answer key is shown")


def setup(app):
    app.connect("doctree-read", _doctree_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
