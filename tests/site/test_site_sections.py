"""The chapters' sections left to ``content-visibility: auto`` (_ext/light_pages.py) carry
a close estimate of their height (_ext/section_sizes.py), at a phone's, a tablet's and a
desktop's width (issue 26, item 5):

* the page's height at load, scrolled to the top (most sections not laid out yet, each
  counted at its estimate), is within TOLERANCE of its real height (every section laid
  out): the scrollbar does not jump as the reader scrolls;
* the page's real height is the same with the feature as without it: once every section
  has been on screen under ``content-visibility: auto`` (its containment keeps its
  children's margins inside), as with every section laid out (``visible``);
* a full-page capture taken after the reader scrolled once to the bottom and back shows
  every section drawn, none a blank band (the page keeps a section laid out once seen).

``python benchmarks/section_heights.py`` prints the same figures per page and per section.
"""

from __future__ import annotations

import io
import sys

import pytest

from site_helpers import CHAPTER_DOCS, ROOT, js, local_context, open_page

# The calibration tool's own steps (benchmarks/section_heights.py): every article image loaded
# (figures load lazily; the heights compared are those of the page as read), and two
# frames waited for.
sys.path.insert(0, str(ROOT / "benchmarks"))
from section_heights import _FRAMES, LOAD_IMAGES  # noqa: E402

WIDTHS = [390, 800, 1280]
TOLERANCE = 0.10  # the estimate is aimed at 5 %

# Every section laid out, as content-visibility: visible lays it out.
VISIBLE = ".bd-article section { content-visibility: visible !important; }"
# Every section left to content-visibility: auto, also those the page's script keeps laid
# out once seen (_ext/light_pages.py): their size as the browser remembers it.
AUTO = ".bd-article section section { content-visibility: auto !important; }"
HEIGHT = "document.documentElement.scrollHeight"

# Scrolls down the page a screen at a time, then back to the top, waiting two frames at
# each step (a section is laid out in the frame after it comes near the screen).
_SCROLL_THROUGH = """async () => {
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
    window.scrollTo(0, y);
    await frames();
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
  await frames();
  window.scrollTo(0, 0);
  await frames();
}"""

# The chapter's top-level sections: their place on the page (page coordinates).
_SECTIONS = """() => Array.from(document.querySelectorAll('.bd-article > section > section'))
  .map(s => { const r = s.getBoundingClientRect();
              return {id: s.id, top: r.top + scrollY, height: r.height}; })"""


def _measure(page) -> dict:
    """One chapter page at one width, as loaded: the figures the tests below check."""
    found = {"sections": page.evaluate(
        "document.querySelectorAll('.bd-article section section').length")}
    found["at_load"] = page.evaluate(HEIGHT)  # nothing scrolled: the estimates count
    auto = page.add_style_tag(content=AUTO)
    page.evaluate(LOAD_IMAGES)
    page.evaluate(_SCROLL_THROUGH)
    found["auto"] = page.evaluate(HEIGHT)  # every section laid out once, contained
    auto.evaluate("e => e.remove()")  # back to the page's own rules
    page.evaluate(_FRAMES)
    found["shot"] = page.screenshot(full_page=True, type="jpeg", quality=60)
    found["top_sections"] = page.evaluate(_SECTIONS)
    page.add_style_tag(content=VISIBLE)
    page.evaluate(LOAD_IMAGES)
    found["real"] = page.evaluate(HEIGHT)  # every section laid out, uncontained
    return found


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def at_width(request, browser, base_url):
    """(width, measure(doc)): each chapter measured once per width, for the three tests."""
    ctx = local_context(browser, base_url, viewport={"width": request.param, "height": 900})
    cache: dict[str, dict] = {}

    def get(doc):
        if doc not in cache:
            page, log = open_page(ctx, base_url, doc + ".html")
            try:
                page.evaluate(js("wait_ready"))
                page.evaluate("window.scrollTo(0, 0)")
                page.evaluate(_FRAMES)
                cache[doc] = _measure(page)
            finally:
                page.close()
        return cache[doc]

    yield request.param, get
    ctx.close()


@pytest.mark.parametrize("doc", CHAPTER_DOCS)
def test_height_at_load_is_close_to_the_real_height(at_width, doc):
    width, get = at_width
    m = get(doc)
    assert m["sections"], f"{doc}: no section under the chapter's title"
    error = m["at_load"] / m["real"] - 1
    assert abs(error) <= TOLERANCE, (
        f"{doc} at {width} px: {m['at_load']} px tall at load, {m['real']} px laid out "
        f"({error:+.1%}; at most {TOLERANCE:.0%}): see `python benchmarks/section_heights.py`")


@pytest.mark.parametrize("doc", CHAPTER_DOCS)
def test_real_height_is_the_same_with_and_without_the_feature(at_width, doc):
    width, get = at_width
    m = get(doc)
    assert abs(m["auto"] - m["real"]) <= 1, (
        f"{doc} at {width} px: {m['auto']} px with content-visibility once every section "
        f"was on screen, {m['real']} px without it")


def _blank(image, box) -> bool:
    """True when the part ``box`` of the capture is of one colour (a section not drawn)."""
    part = image.crop(box).convert("L")
    low, high = part.getextrema()
    return high - low < 16


@pytest.mark.parametrize("doc", CHAPTER_DOCS)
def test_full_page_capture_shows_every_section(at_width, doc):
    from PIL import Image

    width, get = at_width
    m = get(doc)
    shot = Image.open(io.BytesIO(m["shot"]))
    sections = m["top_sections"]
    assert sections, f"{doc}: no section under the chapter's title"
    blank = [s["id"] for s in sections
             if s["top"] + s["height"] > shot.height
             or _blank(shot, (0, int(s["top"]), shot.width, int(s["top"] + s["height"])))]
    assert not blank, (f"{doc} at {width} px: sections blank or cut off in a full-page "
                       f"capture ({shot.height} px tall): {blank}")
