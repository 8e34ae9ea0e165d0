"""The built files, without a browser: every page is there, nothing is loaded from a
third-party host, and the pages the sources promise hold their sliders, quizzes, figures."""

from __future__ import annotations

import html.parser
import re
import subprocess

import pytest

from site_helpers import (AXE_JS, CHAPTER_DOCS, CONFIG, DOCS, FIGURE_DOCS, QUIZ_DOCS, ROOT,
                          SITE, SLIDER_DOCS, built)


class _AssetParser(html.parser.HTMLParser):
    """Collects every URL a page would load by itself (not the links a reader follows)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed", "track"):
            if a.get("src"):
                self.urls.append(a["src"])
        if tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower().split()
            if set(rel) & {"stylesheet", "preload", "modulepreload", "prefetch", "icon",
                           "manifest", "preconnect", "dns-prefetch"}:
                self.urls.append(a["href"])
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])
        if tag == "script" and not a.get("src"):
            kind = (a.get("type") or "text/javascript").lower()
            self._in_script = [] if "javascript" in kind or kind == "module" else None

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.inline_scripts.append("".join(self._in_script))
            self._in_script = None


def _is_remote(url: str) -> bool:
    return bool(re.match(r"^\s*(https?:)?//", url, re.I))


def _parse(path) -> _AssetParser:
    parser = _AssetParser()
    parser.feed(path.read_text(encoding="utf8"))
    return parser


def test_toc_pages_are_built():
    missing = [d for d in DOCS if not (SITE / (d + ".html")).is_file()]
    assert not missing, f"pages of _toc.yml missing from _build/html (run `make book`): {missing}"
    assert CHAPTER_DOCS, "the table of contents lists no chapter"


def test_every_chapter_has_a_slider_a_quiz_and_a_figure():
    """The chapter contract, read from the notebook sources."""
    lacking = [f"{d}: no {what}" for d in CHAPTER_DOCS
               for what, docs in (("slider", SLIDER_DOCS), ("quiz", QUIZ_DOCS),
                                  ("figure", FIGURE_DOCS)) if d not in docs]
    assert not lacking, "\n".join(lacking)


@pytest.mark.parametrize("what, docs, marker", [
    ("slider", SLIDER_DOCS, 'class="itlib-slider"'),
    ("quiz", QUIZ_DOCS, 'class="itlib-quiz"'),
])
def test_built_pages_hold_what_their_sources_make(what, docs, marker):
    """Each page whose notebook makes a slider (quiz) has one on the website, and no other
    page has one the sources do not know of (which the browser tests would leave out)."""
    on_site = {d for d in DOCS if marker in built(d)}
    assert not set(docs) - on_site, f"{what} missing from the built pages {sorted(set(docs) - on_site)}"
    assert not on_site - set(docs), f"{what} on pages the sources do not show: {sorted(on_site - set(docs))}"


def test_no_third_party_assets_in_built_files():
    """No page, stylesheet or script of the site names a third-party asset to load.

    This also covers what the browser tests cannot see: assets loaded only on a click
    (thebe, a CDN fallback).
    """
    bad = []
    pages = [SITE / (d + ".html") for d in DOCS] + [SITE / "search.html", SITE / "genindex.html"]
    pages = [p for p in pages if p.is_file()]  # test_toc_pages_are_built reports the others
    for path in pages:
        parser = _parse(path)
        rel = path.relative_to(SITE)
        bad += [f"{rel}: loads {u}" for u in parser.urls if _is_remote(u)]
        for body in parser.inline_scripts:
            bad += [f"{rel}: inline script names {u}"
                    for u in re.findall(r"""["'`]((?:https?:)?//[^"'`\s]+)""", body)]
    for css in SITE.joinpath("_static").rglob("*.css"):
        text = css.read_text(encoding="utf8", errors="replace")
        for u in re.findall(r"""(?:url\(|@import)\s*["']?([^"')\s]+)""", text):
            if _is_remote(u):
                bad.append(f"{css.relative_to(SITE)}: loads {u}")
    assert not bad, "third-party assets:\n" + "\n".join(bad)
    # The vendored folder is served, not auto-included: one MathJax entry point per page
    # at most (Jupyter Book adds a tag for every .js under _static/, see fetch_assets.sh).
    for path in pages:
        mathjax = [u for u in _parse(path).urls if "_static/mathjax/" in u]
        assert len(mathjax) <= 1, f"{path.relative_to(SITE)} loads {mathjax}"
    assert (SITE / "_static" / CONFIG["sphinx"]["config"]["mathjax_path"]).is_file(), \
        "the vendored MathJax is missing from the site: run tools/fetch_assets.sh"
    assert not (SITE / "_static" / "axe-core").exists() and \
        not list(SITE.rglob("axe.min.js")), "axe-core is for the tests only: not shipped"


def test_fetch_assets_fetches_nothing_twice():
    """tools/fetch_assets.sh (run by `make assets` before every build) is idempotent: a
    second run prints nothing and fetches nothing."""
    script = ["bash", str(ROOT / "tools" / "fetch_assets.sh")]
    done = subprocess.run(script, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    again = subprocess.run(script, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stdout == "", again.stdout + again.stderr
    assert AXE_JS.is_file()
    assert (ROOT / "_vendor" / "site" / CONFIG["sphinx"]["config"]["mathjax_path"]).is_file()
