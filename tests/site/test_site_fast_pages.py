"""What _ext/fast_pages.py changed still works in chromium, on a phone-sized screen:
scrollable code blocks and outputs get their keyboard tab stop (the job the theme's script
no longer does at load), and the icon fonts, cut to the icons the site uses, load."""

from __future__ import annotations

import pytest

from site_helpers import CHAPTER_DOCS, assert_clean, local_context, open_page

SCROLLABLE = ("pre, .nboutput > .output_area, .cell_output > .output, "
              ".jp-RenderedHTMLCommon, .pst-scrollable-table-container")

# Scroll each candidate into view, wait (up to 3 s) for the page to settle its tab stop,
# then report [scrolls?, tabIndex] for each.
_STOPS = """async (sel) => {
  const els = Array.from(document.querySelectorAll(sel));
  const out = [];
  for (const el of els) {
    el.scrollIntoView({block: 'center'});
    const scrolls = () => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight;
    for (let t = 0; t < 60 && el.tabIndex !== (scrolls() ? 0 : -1); t++) {
      await new Promise(r => setTimeout(r, 50));
    }
    out.push([scrolls(), el.tabIndex, el.outerHTML.slice(0, 80)]);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def phone(browser, base_url):
    ctx = local_context(browser, base_url, viewport={"width": 360, "height": 740},
                        is_mobile=True)
    yield ctx
    ctx.close()


def _open(phone, base_url, doc):
    page, log = open_page(phone, base_url, doc + ".html")
    page.bring_to_front()
    return page, log


@pytest.mark.parametrize("doc", CHAPTER_DOCS[:2])
def test_scrollable_blocks_get_a_tab_stop(phone, base_url, doc):
    page, log = _open(phone, base_url, doc)
    try:
        found = page.evaluate(_STOPS, SCROLLABLE)
    finally:
        page.close()
    assert any(s for s, _, _ in found) and any(not s for s, _, _ in found), \
        f"{doc}: expected both scrolling and fitting blocks on a phone screen: {found[:5]}"
    wrong = [(s, i, h) for s, i, h in found if i != (0 if s else -1)]
    assert not wrong, f"{doc}: blocks whose tab stop does not match their scrolling: {wrong[:5]}"
    assert_clean(log, doc)


def test_icon_fonts_load(phone, base_url):
    page, log = _open(phone, base_url, CHAPTER_DOCS[0])
    try:
        faces = page.evaluate("""async () => {
          await document.fonts.ready;
          return Array.from(document.fonts).filter(f => /Font Awesome/.test(f.family))
                      .map(f => [f.family.replace(/"/g, ''), f.weight, f.status]);
        }""")
    finally:
        page.close()
    loaded = {(family, weight) for family, weight, status in faces if status == "loaded"}
    assert {("Font Awesome 6 Free", "900"), ("Font Awesome 6 Brands", "400")} <= loaded, faces
    assert_clean(log, CHAPTER_DOCS[0])
