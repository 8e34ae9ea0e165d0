"""Every page of the table of contents in the browser: clean loading and images."""

from __future__ import annotations

import pytest

from site_helpers import DOCS, assert_clean, page_problems


@pytest.mark.parametrize("doc", DOCS)
def test_page_loads_cleanly(visit, doc):
    """No request leaves 127.0.0.1, none fails, no console error, no uncaught error."""
    page, log = visit(doc)
    assert log.requests, "no request recorded"
    assert_clean(log, doc)


@pytest.mark.parametrize("doc", DOCS)
def test_images_have_alt_text_and_load(visit, doc):
    page, _ = visit(doc)
    problems = page_problems(page, "image_problems")
    assert not problems, f"{doc}:\n" + "\n".join(problems)
