"""The site's search finds each chapter by a word of its title."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from site_helpers import CHAPTER_DOCS, assert_clean, search, title_term


@pytest.mark.parametrize("doc", CHAPTER_DOCS)
def test_search_finds_the_chapter(fresh, doc):
    page, log, hits = search(fresh, doc)
    assert any(urlparse(h).path.endswith(doc + ".html") for h in hits), \
        f"searching {title_term(doc)!r} does not find {doc}: {hits}"
    assert_clean(log, "search.html")


@pytest.mark.parametrize("term, chapter", [("InfoNCE", "chapters/06_infonce"),
                                           ("bottleneck", "chapters/05_information_bottleneck")])
def test_results_rank_the_chapter_first_once_per_page_without_furniture(fresh, term, chapter):
    """A concept's chapter ranks above the itlib entry of the same name; a page is listed
    once; snippets come from the article, not its header ("Contents", ".ipynb .pdf")."""
    page, log = fresh(f"search.html?q={term}")
    page.wait_for_selector("#search-results ul.search li a", timeout=15000)
    page.wait_for_timeout(1500)  # the snippets are fetched after the list is drawn
    items = page.eval_on_selector_all(
        "#search-results ul.search > li",
        "lis => lis.map(li => [li.querySelector('a').getAttribute('href'), li.innerText])")
    paths = [urlparse(h).path for h, _ in items]
    assert len(paths) == len(set(paths)), f"a page is listed twice: {paths}"
    firsts = [p for p in paths if "reference/" in p or p.endswith(chapter + ".html")]
    assert firsts and firsts[0].endswith(chapter + ".html"), \
        f"{chapter} does not rank above the API reference for {term!r}: {paths}"
    furniture = [text for _, text in items
                 if re.search(r"\bContents\b|\.ipynb|\.pdf", text.split("\n", 1)[-1])]
    assert not furniture, f"snippets with page furniture: {furniture[:2]}"
    assert_clean(log, "search.html")
