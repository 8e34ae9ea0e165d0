"""What _ext/fast_pages.py changed still works in chromium, on a phone-sized screen:
scrollable code blocks and outputs get their keyboard tab stop (the job the theme's script
no longer does at load), and the icon fonts, cut to the icons the site uses, load; and
figures, lazy by docutils' setting (docutils.conf), load when the reader scrolls to them."""

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


# Scroll down by 2000 px, then up by 300 px: the theme shows its back-to-top button when
# the reader scrolls up below the header, and hides it at the top (fast_pages now reads the
# header's rectangle at the first scroll instead of at load).
_BACK_TO_TOP = """async () => {
  const button = document.getElementById('pst-back-to-top');
  const settle = () => new Promise(r => setTimeout(r, 150));
  const seen = [];
  for (const y of [2000, 1700, 0]) {
    window.scrollTo({top: y, behavior: 'instant'});
    await settle();
    seen.push(getComputedStyle(button).display);
  }
  return seen;
}"""


def test_back_to_top_button_appears_on_scrolling_up(phone, base_url):
    page, log = _open(phone, base_url, CHAPTER_DOCS[0])
    try:
        seen = page.evaluate(_BACK_TO_TOP)
    finally:
        page.close()
    assert seen == ["none", "block", "none"], f"back-to-top button display: {seen}"
    assert_clean(log, CHAPTER_DOCS[0])


# The table of contents' scroll spy (its start now waits one frame): scroll a section's
# heading to the top of the window and its entry in the page's contents becomes active.
_SPY = """async () => {
  const links = Array.from(document.querySelectorAll('#pst-page-toc-nav a.nav-link[href^="#"]'));
  const link = links[3];                   // a section well before the page's end
  const target = document.getElementById(link.getAttribute('href').slice(1));
  target.scrollIntoView({block: 'start', behavior: 'instant'});
  for (let t = 0; t < 40 && !link.classList.contains('active'); t++) {
    await new Promise(r => setTimeout(r, 50));
  }
  return [links.length, link.getAttribute('href'), link.classList.contains('active')];
}"""


def test_contents_follow_the_scroll(context, base_url):
    page, log = open_page(context, base_url, CHAPTER_DOCS[1] + ".html")
    try:
        n_links, href, active = page.evaluate(_SPY)
    finally:
        page.close()
    assert n_links > 3 and active, f"{CHAPTER_DOCS[1]}: the contents entry {href} did not become active"
    assert_clean(log, CHAPTER_DOCS[1])


# The colour theme is set before the page is drawn (fast_pages.early_theme): when the parser
# adds <body>, <html> already carries the theme the reader's system prefers, and the
# theme's own script, once the page is parsed, keeps it.
_THEME_AT_BODY = """
window.__themes = [];
new MutationObserver((records, observer) => {
  if (document.body) {
    window.__themes.push(document.documentElement.dataset.theme);
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_colour_theme_is_set_before_the_body(browser, base_url, scheme):
    ctx = local_context(browser, base_url, viewport={"width": 360, "height": 740},
                        color_scheme=scheme)
    ctx.add_init_script(_THEME_AT_BODY)
    try:
        page, log = open_page(ctx, base_url, CHAPTER_DOCS[2] + ".html")
        at_body = page.evaluate("window.__themes[0]")
        at_load = page.evaluate("[document.documentElement.dataset.theme, "
                                "document.documentElement.dataset.mode]")
    finally:
        ctx.close()
    assert at_body == scheme, f"data-theme when <body> was parsed: {at_body!r}"
    assert at_load == [scheme, "auto"], at_load
    assert_clean(log, CHAPTER_DOCS[2])


# Figures load lazily (docutils' image_loading, set in docutils.conf): on a phone, a figure
# far below the first screen is not fetched with the page, and it is there once the reader
# scrolls to it.  [src, fetched at load?, loaded after scrolling to it?] per figure more
# than 4000 px below the top.
_LAZY = """async () => {
  const fetched = new Set(performance.getEntriesByType('resource').map(e => e.name));
  const figs = Array.from(document.querySelectorAll('article img[src*="_images/"]'))
    .filter(i => !i.classList.contains('itlib-slider-frame'))
    .filter(i => i.getBoundingClientRect().top + window.scrollY > 4000);
  const out = [];
  for (const img of figs) {
    const atLoad = fetched.has(img.currentSrc || img.src);
    img.scrollIntoView({block: 'center', behavior: 'instant'});
    for (let t = 0; t < 100 && !(img.complete && img.naturalWidth > 0); t++) {
      await new Promise(r => setTimeout(r, 50));
    }
    out.push([img.getAttribute('src'), atLoad, img.complete && img.naturalWidth > 0]);
  }
  return out;
}"""


def test_figures_load_when_scrolled_to(phone, base_url):
    doc = next(d for d in CHAPTER_DOCS if "mutual_information" in d)    # four figures
    page, log = _open(phone, base_url, doc)
    try:
        figs = page.evaluate(_LAZY)
    finally:
        page.close()
    assert figs, f"{doc}: no figure far below the first screen"
    assert not [f for f in figs if f[1]], f"{doc}: figures fetched with the page: {figs}"
    assert all(f[2] for f in figs), f"{doc}: figures that did not load on scrolling: {figs}"
    assert_clean(log, doc)
