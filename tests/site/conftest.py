"""Fixtures of the browser tests: the built site on a local server, Debian's chromium.

`make test` runs these after `make book`: the built site (_build/html) is served on
127.0.0.1 (a random free port) and opened in Debian's chromium through Playwright, one
browser for the session (the ``browser`` fixture of tests/conftest.py).  Every page of the table of contents is opened once (``visit``)
and shared by the tests of that page; a test that changes a page (the dark-mode check)
puts it back.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from site_helpers import AXE_JS, DOCS, SITE, js, local_context, open_page

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


@pytest.fixture(scope="session")
def base_url():
    """The built site, served on 127.0.0.1 at a free port."""
    if not (SITE / "index.html").is_file():
        pytest.fail("the website is not built (_build/html/index.html is missing): "
                    "run `make book` first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def context(browser, base_url):
    ctx = local_context(browser, base_url, viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def _start(context, base_url, path):
    return open_page(context, base_url, path, wait_until="commit")


def _ready(page):
    # "load" comes after the deferred MathJax has typeset the page and fetched its fonts.
    page.wait_for_load_state("load")
    page.evaluate(js("wait_ready"))


def _start_audit(page):
    """Start axe-core on a freshly loaded page; test_site_accessibility reads the result."""
    if AXE_JS.is_file():  # else test_site_accessibility reports it
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf8"))
        page.evaluate(js("axe_audit"))


@pytest.fixture(scope="session")
def visit(context, base_url):
    """visit(doc) -> (page, log): every page of the toc, opened once for the session.

    At the first call all pages start loading, so that their typesetting runs in
    parallel, and each starts its axe-core audit in the background as soon as it is
    ready, before any test touches it.
    """
    cache: dict[str, tuple] = {}

    def get(doc):
        if not cache:
            started = {d: _start(context, base_url, d + ".html") for d in DOCS}
            for d, (page, log) in started.items():
                _ready(page)
                _start_audit(page)
                cache[d] = (page, log)
        if doc not in cache:
            page, log = _start(context, base_url, doc + ".html")
            _ready(page)
            _start_audit(page)
            cache[doc] = (page, log)
        page, log = cache[doc]
        # Only the front page gets animation frames, which Playwright's actions wait for.
        page.bring_to_front()
        return page, log

    yield get
    for page, _ in cache.values():
        page.close()


@pytest.fixture
def fresh(context, base_url):
    """fresh(path) -> (page, log): a new page of its own (the search page)."""
    opened = []

    def get(path):
        page, log = _start(context, base_url, path)
        _ready(page)
        opened.append(page)
        return page, log

    yield get
    for page in opened:
        page.close()
