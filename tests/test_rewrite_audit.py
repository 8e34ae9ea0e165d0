"""_ext/rewrite_audit.py: each rule fails on a page that keeps what its rewrite removes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
import rewrite_audit  # noqa: E402

MARKS = ('<style id="itlib-light-pages"></style><script id="itlib-early-theme"></script>'
         '<!-- itml: hidden header sidebar toggles removed (_ext/nav_fix.py) -->')
GOOD = (f"<html><head>{MARKS}<script src=\"_static/documentation_options.js\"></script>"
        '<script defer src="_static/x.js"></script></head><body>'
        '<header id="pst-header" class="bd-header navbar"><div></div></header>'
        '<article class="bd-article"><details><summary>Show code</summary></details>'
        '<a class="itml-figure-full" href="../_images/f.png"><img src="../_images/f.png" loading="lazy"></a>'
        '<img class="itlib-slider-frame" data-index="0" src="../_images/slider-1.png">'
        '<span class="math notranslate nohighlight"><mjx-container></mjx-container></span>'
        '<style id="itlib-math-svg"></style></article></body></html>')

# rule -> the finished page as it would be if that rewrite had matched nothing
BROKEN = {
    "a11y-summary": GOOD.replace("<summary>", '<summary class="x" aria-label="Toggle hidden content">'),
    "a11y-biblioentry": GOOD.replace("<article", '<div class="citation" role="doc-biblioentry"></div><article'),
    "slider-inline-frames": GOOD.replace('src="../_images/slider-1.png"', 'src="data:image/png;base64,AAAA"'),
    "widget-state": GOOD.replace("</body>", '<script type="application/vnd.jupyter.widget-state+json">{}</script></body>'),
    "icon-script": GOOD.replace("</head>", '<script defer src="_static/scripts/fontawesome.js"></script></head>'),
    "mathjax-tex": GOOD.replace("<mjx-container></mjx-container>", r"\(x^2\)"),
    "blocking-head-scripts": GOOD.replace('<script defer src="_static/x.js">', '<script src="_static/x.js">'),
    "script-preload": GOOD.replace("</head>", '<link rel="preload" as="script" href="a.js"></head>'),
    "search-scripts": GOOD.replace("</head>", '<script defer src="_static/searchtools.js"></script></head>'),
    "eager-images": GOOD.replace(' loading="lazy"', ""),
    "nav-header-toggles": GOOD.replace("<div></div></header>",
                                       '<button class="pst-navbar-icon sidebar-toggle primary-toggle"></button></header>'),
    "figure-links": GOOD.replace('<a class="itml-figure-full" href="../_images/f.png">', "<p>"),
    "nav-toggle-names": GOOD.replace("</article>", '<details><summary><span class="toctree-toggle" role="presentation"></span></summary></details></article>'),
    "nav-fixed": GOOD.replace("<!-- itml: hidden header sidebar toggles removed (_ext/nav_fix.py) -->", ""),
    "early-theme": GOOD.replace('<script id="itlib-early-theme"></script>', ""),
    "math-svg-style": GOOD.replace('<style id="itlib-math-svg"></style>', ""),
}


def test_a_finished_page_passes():
    assert rewrite_audit.audit({"chapters/a.html": GOOD}) == []


def test_every_rule_is_tested():
    assert set(BROKEN) >= set(rewrite_audit.LEFTOVERS) | set(rewrite_audit.MARKS) - {"light-pages-style"}


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_a_rewrite_that_did_nothing_fails(rule):
    assert BROKEN[rule] != GOOD, rule
    problems = rewrite_audit.audit({"chapters/a.html": BROKEN[rule]})
    assert problems and all(p.startswith(rule + " (") for p in problems), problems


def test_the_search_page_may_load_the_search_scripts():
    page = BROKEN["search-scripts"]
    assert rewrite_audit.audit({"search.html": page}) == []
