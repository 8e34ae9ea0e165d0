"""The math of every page is typeset (by MathJax, at build time: _ext/light_pages.py), without errors."""

from __future__ import annotations

import pytest

from site_helpers import DOCS, page_problems


@pytest.mark.parametrize("doc", DOCS)
def test_math_is_typeset(visit, doc):
    page, _ = visit(doc)
    problems = page_problems(page, "math_problems")
    assert not problems, f"{doc}:\n" + "\n".join(problems)
