"""Light pages (issue 14), without a browser: each page's own HTML is at most 300 KB
gzip-compressed, carries no ipywidgets state, and no slider frame inline as a data URI
(the frames are files that load when needed: _ext/light_pages.py); nothing blocks the
first paint that need not, icon fonts are small and still draw the icons the pages use
(_ext/fast_pages.py).

The speed figures (Lighthouse) are measured by benchmarks/pages.py, not here.
"""

from __future__ import annotations

import gzip
import re
from urllib.parse import urljoin

import pytest

from site_helpers import CHAPTER_DOCS, DOCS, SITE, SLIDER_DOCS, built

BUDGET_KB = 300  # own HTML, gzip-compressed (level 6, as hosts serve it), 1 KB = 1000 bytes


@pytest.mark.parametrize("doc", DOCS)
def test_page_html_is_light(doc):
    text = built(doc)
    assert text, f"{doc}: not built (run `make book`)"
    kb = len(gzip.compress(text.encode("utf8"), compresslevel=6)) / 1000
    assert kb <= BUDGET_KB, f"{doc}: its HTML is {kb:.0f} KB gzip-compressed (budget {BUDGET_KB} KB)"
    assert "application/vnd.jupyter.widget-state+json" not in text, \
        f"{doc}: the page embeds ipywidgets state, which the static site never reads"
    inline = re.findall(r'<img[^>]*class="itlib-slider-frame"[^>]*\ssrc="data:', text)
    assert not inline, f"{doc}: {len(inline)} slider frames inline as data URIs"


@pytest.mark.parametrize("doc", SLIDER_DOCS)
def test_slider_frames_are_files(doc):
    """Every frame of every slider names a PNG file of the site; exactly one per slider
    is shown at first (src), the others wait for the page's loader (data-src)."""
    text = built(doc)
    frames = re.findall(r'<img class="itlib-slider-frame"[^>]*>', text)
    assert frames, f"{doc}: its notebook makes a slider, the page holds no frame"
    missing = []
    for img in frames:
        url = re.search(r'\s(?:data-)?src="([^"]+)"', img)
        assert url, f"{doc}: a frame with neither src nor data-src: {img[:200]}"
        path = (SITE / urljoin(doc, url[1])).resolve()
        if not path.is_file() or path.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            missing.append(url[1])
    assert not missing, f"{doc}: slider frames that are not PNG files of the site: {missing[:5]}"
    shown = [f for f in frames if re.search(r'\ssrc="', f)]
    assert len(shown) == text.count('<div class="itlib-slider"'), \
        f"{doc}: {len(shown)} frames load with the page, expected one per slider"
    assert "itlib-lazy-frames" in text, f"{doc}: the frames' loader script is missing"


def test_chapters_are_listed():
    assert CHAPTER_DOCS and set(SLIDER_DOCS) & set(CHAPTER_DOCS)


# -- the critical path (_ext/fast_pages.py) ------------------------------------------------
FONT_BUDGET_KB = 20  # each icon font the site's stylesheets load, as stored (WOFF, zlib)
BLOCKING_ALLOWED = ("documentation_options.js",)  # inline scripts after it read it at once
SEARCH_SCRIPTS = ("searchtools.js", "language_data.js", "searchindex.js")


def _head(text: str) -> str:
    return text[:text.find("</head>")]


@pytest.mark.parametrize("doc", DOCS)
def test_head_scripts_do_not_block(doc):
    """No external script in <head> stops the parser, but documentation_options.js; no
    preload of scripts; no search scripts but on the search page."""
    head = _head(built(doc))
    blocking = [m[0] for m in re.finditer(r"<script\b[^>]*\ssrc=\"([^\"]+)\"[^>]*>", head)
                if not re.search(r"\s(defer|async)\b", m[0])
                and not any(k in m[1] for k in BLOCKING_ALLOWED)]
    assert not blocking, f"{doc}: render-blocking scripts in <head>: {blocking}"
    assert 'rel="preload" as="script"' not in head, f"{doc}: scripts preloaded in <head>"
    if doc != "search":
        loaded = [s for s in SEARCH_SCRIPTS if s in head]
        assert not loaded, f"{doc}: loads the search scripts {loaded} (search.html does)"


def test_search_page_keeps_its_scripts():
    text = built("search")
    assert all(s in text for s in SEARCH_SCRIPTS), "search.html lost its search scripts"


@pytest.mark.parametrize("doc", CHAPTER_DOCS)
def test_figures_load_lazily(doc):
    """Every image of the article says loading="lazy" (slider frames have their loader)."""
    text = built(doc)
    article = text[text.find("<article"):text.rfind("</article>")]
    imgs = re.findall(r"<img\b[^>]*>", article)
    eager = [i[:120] for i in imgs if 'loading="lazy"' not in i and " data-src=" not in i]
    assert not eager, f"{doc}: images that load with the page: {eager}"


def _theme_css() -> str:
    return (SITE / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf8")


def _font_faces() -> dict[tuple[str, str], Path]:
    """(font family, weight) -> the font file its @font-face loads."""
    faces = {}
    for face in re.findall(r"@font-face\{([^}]*)\}", _theme_css()):
        family = re.search(r"font-family:([^;]+)", face)[1].replace("\\", "").strip("\"' ")
        weight = re.search(r"font-weight:(\d+)", face)[1]
        urls = re.findall(r"url\(([^)]+)\)", face)
        assert len(urls) == 1, f"@font-face of {family} {weight} loads {urls}"
        faces[(family, weight)] = (SITE / "_static" / "styles" / urls[0]).resolve()
    return faces


def test_icon_fonts_are_small():
    faces = _font_faces()
    assert {f for f, _ in faces} >= {"Font Awesome 6 Free", "Font Awesome 6 Brands"}, faces
    for (family, weight), path in faces.items():
        assert path.is_file(), f"{family} {weight}: {path} is missing"
        kb = path.stat().st_size / 1000
        assert kb <= FONT_BUDGET_KB, f"{path.name}: {kb:.0f} KB (budget {FONT_BUDGET_KB} KB)"


_MODIFIER = re.compile(r"fa-(?:[0-9]?x|2?xs|sm|lg|xl|2xl|fw|spin.*|pulse|border|inverse|flip.*"
                       r"|rotate.*|stack.*|ul|li|beat.*|fade|shake|bounce|pull-.*)")


def test_icons_the_pages_use_exist_in_the_fonts():
    """Each <i class="fa-solid|fa-brands fa-NAME"> of the site (and the icons the theme's
    own script adds) has its glyph rule, and the glyph has an outline in the font loaded."""
    from fontTools.ttLib import TTFont

    css = _theme_css()
    rules = {}
    for sel, content in re.findall(r'((?:\.fa-[a-z0-9-]+:{1,2}before,?)+)\{content:"([^"]*)"\}',
                                   css):
        for name in re.findall(r"\.(fa-[a-z0-9-]+):", sel):
            rules[name] = chr(int(content.lstrip("\\"), 16)) if content.startswith("\\") \
                else content
    faces = _font_faces()
    fonts = {"solid": TTFont(faces[("Font Awesome 6 Free", "900")]),
             "regular": TTFont(faces[("Font Awesome 6 Free", "400")]),
             "brands": TTFont(faces[("Font Awesome 6 Brands", "400")])}
    styles = {"fas": "solid", "fa-solid": "solid", "far": "regular", "fa-regular": "regular",
              "fab": "brands", "fa-brands": "brands"}
    used = {("solid", "fa-xmark")}  # pydata-sphinx-theme.js: the dialogs' close button
    for doc in DOCS:
        for cls in re.findall(r'class="([^"]*\bfa[bsr]?\b[^"]*|[^"]*\bfa-(?:solid|brands|regular)\b[^"]*)"',
                              built(doc)):
            tokens = cls.split()
            style = next((styles[t] for t in tokens if t in styles), None)
            for t in tokens:
                if t.startswith("fa-") and t not in styles and not _MODIFIER.fullmatch(t):
                    used.add((style, t))
    assert ("brands", "fa-github") in used and ("solid", "fa-bars") in used, used
    missing = []
    for style, name in sorted(used, key=str):
        if style is None:
            missing.append(f"{name}: no style class (fa-solid, fa-brands, ...)")
            continue
        if name not in rules:
            missing.append(f"{name}: no CSS rule")
            continue
        font = fonts[style]
        glyph = font.getBestCmap().get(ord(rules[name]))
        if glyph is None or font["glyf"][glyph].numberOfContours == 0:
            missing.append(f"{style} {name}: no glyph for U+{ord(rules[name]):04X}")
    assert not missing, "icons that would not draw: " + "; ".join(missing)


def test_theme_script_does_not_lay_out_every_block_at_load():
    js = (SITE / "_static" / "scripts" / "pydata-sphinx-theme.js").read_text(encoding="utf8")
    assert '{subtree:!0,childList:!0}),e()}' not in js, \
        "pydata-sphinx-theme.js still measures every scrollable block at load"
    for doc in CHAPTER_DOCS:
        assert built(doc).count('id="itlib-scroll-stops"') == 1, \
            f"{doc}: the scrollable blocks' tab stops script is missing"


@pytest.mark.parametrize("doc", CHAPTER_DOCS)
def test_no_inline_script_runs_mid_parse(doc):
    """The body's inline scripts that run code at once (itlib's sliders and quizzes) wait
    for DOMContentLoaded: mid-parse they held the first paint back by two seconds."""
    text = built(doc)
    body = text[text.find("<body"):]
    early = re.findall(r"<script>\s*\(function\b.{0,80}", body, re.S)
    assert not early, f"{doc}: inline scripts run during parsing: {early[:3]}"
