"""The math of every page is typeset by the vendored MathJax, without errors."""

from __future__ import annotations

import pytest

from site_helpers import DOCS, js


@pytest.mark.parametrize("doc", DOCS)
def test_math_is_typeset(visit, doc):
    page, _ = visit(doc)
    state = page.evaluate(js("math_state"))
    assert not state["raw"], f"raw TeX left in the text of {doc}: {state['raw']}"
    assert not state["untypeset"], f"math not typeset in {doc}: {state['untypeset']}"
    assert not state["errors"], f"MathJax errors in {doc}: {state['errors']}"
    assert state["containers"] >= state["count"]
