"""In dark mode every figure keeps an opaque light ground (no black-on-black axes)."""

from __future__ import annotations

import pytest

from site_helpers import FIGURE_DOCS, assert_clean, js


@pytest.mark.parametrize("doc", FIGURE_DOCS)
def test_figures_readable_in_dark_mode(visit, doc):
    page, log = visit(doc)
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    try:
        state = page.evaluate(js("figures_in_dark"))
    finally:
        page.evaluate("document.documentElement.dataset.theme = 'light'")
    assert state["theme"] == "dark" and state["body"] < 80, "dark mode did not apply"
    assert state["results"], f"{doc}: its source has figures, the page shows none"
    bad = [r for r in state["results"]
           if "error" in r or not (r["opaqueLight"] or r["backgroundLight"])]
    assert not bad, f"{doc}: figures unreadable on a dark page: {bad}"
    assert_clean(log, doc)
