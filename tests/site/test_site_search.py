"""The site's search finds each chapter by a word of its title."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from site_helpers import CHAPTER_DOCS, assert_clean, search, title_term


@pytest.mark.parametrize("doc", CHAPTER_DOCS)
def test_search_finds_the_chapter(fresh, doc):
    page, log, hits = search(fresh, doc)
    assert any(urlparse(h).path.endswith(doc + ".html") for h in hits), \
        f"searching {title_term(doc)!r} does not find {doc}: {hits}"
    assert_clean(log, "search.html")
