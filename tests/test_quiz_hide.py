"""_ext/quiz_hide.py: a code cell that builds a Quiz loses its source in the doctree."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from docutils import nodes

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
import quiz_hide  # noqa: E402


def _cell(source: str | None, output_html: str, hide_mode: str | None = None):
    cell = nodes.container(nb_element="cell_code", classes=["cell"])
    if hide_mode:
        cell["hide_mode"] = hide_mode
    if source is not None:
        src = nodes.container(nb_element="cell_code_source", classes=["cell_input"])
        src += nodes.literal_block(source, source)
        cell += src
    out = nodes.container(nb_element="cell_code_output", classes=["cell_output"])
    out += nodes.raw("", output_html, format="html")
    cell += out
    return cell


QUIZ_SRC = 'it.Quiz([it.MultipleChoice("Q?", [it.Option("a", correct=True, feedback="yes")])])'


def test_builds_quiz():
    assert quiz_hide.builds_quiz(QUIZ_SRC)
    assert quiz_hide.builds_quiz("from itlib.quiz import Quiz\nq = Quiz(\n  [])")
    assert not quiz_hide.builds_quiz("# the Quiz( below is a comment only\nprint(1)")
    assert not quiz_hide.builds_quiz("x = QuizBank()")


def test_quiz_sources_are_removed_other_cells_kept():
    doc = nodes.document(None, None)
    doc += _cell(QUIZ_SRC, '<div class="itlib-quiz">...</div>', hide_mode="input")
    doc += _cell("print(1)", "<pre>1</pre>")
    doc += _cell(None, '<div class="itlib-quiz">...</div>')  # already remove-input
    seen, removed = quiz_hide.strip_quiz_sources(doc)
    assert (seen, removed) == (2, 1)
    text = doc.astext()
    assert "correct=True" not in text and "print(1)" in text
    assert "hide_mode" not in doc.children[0]  # no empty "show code" toggle


def test_quiz_cells_of_a_notebook_are_counted(tmp_path):
    nb = {"cells": [{"cell_type": "code", "source": [QUIZ_SRC], "metadata": {}, "outputs": []},
                    {"cell_type": "markdown", "source": "A Quiz(...) in prose", "metadata": {}},
                    {"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": []}]}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(nb))
    assert quiz_hide.notebook_quiz_cells(path) == 1
