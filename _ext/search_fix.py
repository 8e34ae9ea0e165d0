"""Sphinx extension: search results a reader can use (issue 26, item 5).

* **Snippets from the article only.**  Sphinx's searchtools.js builds each result's
  snippet from the text of the page's ``[role="main"]``, which in this theme also holds
  the article's header (the download menu's ".ipynb .pdf", "Contents" and the page's
  contents list), the previous/next links and the footer: snippets began with that
  furniture.  Those parts are removed before the text is taken (``REMOVED``).
* **One result per page.**  Sphinx drops only identical results: the glossary (title,
  term and text) or an API entry and its page came twice.  Results are kept per page,
  the best-scoring one.
* **Chapters first.**  ``html_search_scorer`` (_ext/search_scorer.js, set here) ranks
  chapters, then the glossary and the exercises, above the API reference.

The patch of searchtools.js fails the build (``ExtensionError``) if Sphinx's script no
longer has the line it changes.  tests/test_search_fix.py feeds it a changed script;
tests/site/test_site_search.py checks the results in chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.errors import ExtensionError

__all__ = ["setup", "patch_searchtools", "OLD", "NEW", "REMOVED"]

REMOVED = (".headerlink", "script", "style", ".bd-header-article", ".bd-sidebar-secondary",
           ".prev-next-area", ".prev-next-footer", ".bd-footer-article", ".bd-footer-content",
           ".itml-pdf-link", ".onlyprint")
OLD = 'for (const removalQuery of [".headerlink", "script", "style"]) {'
NEW = "for (const removalQuery of [%s]) {" % ", ".join(f'"{s}"' for s in REMOVED)
# One result per page: Sphinx removes only identical results, so a page matched by its
# title, a term and its text (the glossary), or an API entry and its page, came twice.
OLD_DEDUP = "let resultStr = result.slice(0, 4).concat([result[5]]).map(v => String(v)).join(',');"
NEW_DEDUP = "let resultStr = String(result[0]);  // itml: one result per page (_ext/search_fix.py)"
SCORER = Path(__file__).resolve().parent / "search_scorer.js"


def patch_searchtools(js: str) -> str:
    """Sphinx's searchtools.js with the page furniture removed from snippets."""
    # a list patched by an earlier version of this module is patched again
    js = re.sub(r'for \(const removalQuery of \[".headerlink", "script", "style"(?:, "[^"]*")+\]\) \{',
                lambda m: OLD, js)
    for old, new, what in ((OLD, NEW, "lists what snippets leave out"),
                           (OLD_DEDUP, NEW_DEDUP, "removes duplicate results")):
        if new in js:
            continue
        if js.count(old) != 1:
            raise ExtensionError(
                f"search_fix: Sphinx's searchtools.js no longer has the line that {what} "
                f"({old!r}): update _ext/search_fix.py")
        js = js.replace(old, new)
    return js


def _config_inited(app, config):
    if not config.html_search_scorer:
        config.html_search_scorer = str(SCORER)


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "_static" / "searchtools.js"
    if not path.is_file():
        raise ExtensionError("search_fix: _static/searchtools.js is missing")
    js = path.read_text(encoding="utf8")
    new = patch_searchtools(js)
    if new != js:
        path.write_text(new, encoding="utf8")


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("build-finished", _build_finished, priority=800)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
