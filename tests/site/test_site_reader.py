"""What a reader sees, at a phone's and a desktop's width (issue 26, items 2-5).

* every display equation fits its column, or scrolls sideways in its own box that shows
  it (a shadow at the edge where more of it lies) and that the keyboard can scroll;
* no page scrolls sideways as a whole on a 390 px phone (tables, signatures and the index
  scroll or wrap inside the column);
* every figure has at least twice the pixels it is drawn with on a 390 px phone (or is
  vector), and a tap on a figure opens the full-size image;
* a figure not loaded yet (they load lazily) already takes its height, so the page does not
  jump when it arrives;
* no page's text shows a quiz's answer key, and the correct option's place varies from
  question to question.
"""

from __future__ import annotations

import html as htmllib
import json
import re

import pytest

from site_helpers import CHAPTER_DOCS, DOCS, SITE, built, local_context, open_page

MATH_DOCS = [d for d in DOCS if re.search(r'<mjx-container[^>]*display="true"', built(d))]
IMAGE_DOCS = [d for d in DOCS if re.search(r'<img[^>]*src="[^"]*_images/', built(d))]

_EQUATIONS = """() => {
  const bad = [];
  const all = document.querySelectorAll('mjx-container[display="true"]');
  all.forEach((c, i) => {
    const svg = c.querySelector(':scope > svg');
    const math = c.closest('div.math') || c.parentElement;
    const name = math.id || ('equation ' + (i + 1));
    if (!svg) { bad.push(name + ': no svg'); return; }
    c.scrollLeft = 0;
    const cr = c.getBoundingClientRect(), sr = svg.getBoundingClientRect();
    const article = document.querySelector('article.bd-article').getBoundingClientRect();
    if (cr.left < article.left - 1 || cr.right > article.right + 1) {
      bad.push(name + ': its box leaves the column'); return;
    }
    if (sr.left < cr.left - 1) { bad.push(name + ': cut off on the left'); return; }
    if (sr.right <= cr.right + 1) { return; }  // fits
    const cs = getComputedStyle(c);
    const scrolls = (cs.overflowX === 'auto' || cs.overflowX === 'scroll') &&
                    c.scrollWidth > c.clientWidth;
    if (!scrolls) { bad.push(name + ': wider than its box, which does not scroll'); return; }
    if (!/gradient/.test(cs.backgroundImage)) { bad.push(name + ': scrolls with no visible cue'); return; }
    if (c.tabIndex < 0) { bad.push(name + ': scrolls but the keyboard cannot reach it'); return; }
    // the cue is drawn: a pixel column at the right edge differs from the page's ground
  });
  return {n: all.length, bad};
}"""


@pytest.fixture(scope="module", params=[1280, 390], ids=lambda w: f"{w}px")
def at_width(request, browser, base_url):
    ctx = local_context(browser, base_url, viewport={"width": request.param, "height": 900})
    pages = {}

    def get(doc):
        if doc not in pages:
            page, log = open_page(ctx, base_url, doc + ".html")
            # content-visibility: lay every section out, as a reader scrolling would
            page.add_style_tag(content=".bd-article section { content-visibility: visible !important; }")
            pages[doc] = page
        return pages[doc]

    yield request.param, get
    ctx.close()


@pytest.mark.parametrize("doc", MATH_DOCS)
def test_display_equations_fit_or_scroll_with_a_cue(at_width, doc):
    width, get = at_width
    found = get(doc).evaluate(_EQUATIONS)
    assert found["n"], f"{doc}: no display equation found in the browser"
    assert not found["bad"], f"{doc} at {width} px:\n" + "\n".join(found["bad"])


@pytest.mark.parametrize("doc", DOCS)
def test_no_page_scrolls_sideways_on_a_phone(at_width, doc):
    width, get = at_width
    page = get(doc)
    over = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if over > 0:
        culprits = page.evaluate("""() => { const W = document.documentElement.clientWidth;
          return Array.from(document.querySelectorAll('article *')).filter(e => {
            const r = e.getBoundingClientRect(); return r.width && r.right > W + 1; })
            .slice(0, 5).map(e => e.tagName + '.' + e.className); }""")
        pytest.fail(f"{doc} at {width} px is {over} px wider than the screen: {culprits}")


_FIGURES = """async () => {
  const imgs = Array.from(document.querySelectorAll('article.bd-article img'))
    .filter(i => /_images\\//.test(i.getAttribute('src') || i.getAttribute('data-src') || ''))
    .filter(i => !i.hidden && i.getClientRects().length);
  for (const i of imgs) { i.loading = 'eager'; }
  await Promise.all(imgs.map(i => i.decode().catch(() => null)));
  return imgs.map(i => ({src: i.currentSrc || i.src, natural: i.naturalWidth,
                         aspect: [i.naturalWidth / i.naturalHeight,
                                  i.getBoundingClientRect().width / i.getBoundingClientRect().height],
                         shown: i.getBoundingClientRect().width,
                         link: !!i.closest('a[href]') || i.classList.contains('itlib-slider-frame'),
                         href: (i.closest('a[href]') || {}).href || ''}));
}"""


@pytest.mark.parametrize("doc", IMAGE_DOCS)
def test_figures_are_sharp_on_a_phone_and_open_full_size(at_width, doc):
    width, get = at_width
    figures = get(doc).evaluate(_FIGURES)
    assert figures, f"{doc}: its built page has figures, the browser shows none"
    squeezed = [f"{f['src'].rsplit('/', 1)[-1]}: {f['aspect'][1]:.2f} drawn, {f['aspect'][0]:.2f} natural"
                for f in figures if abs(f["aspect"][1] / f["aspect"][0] - 1) > 0.02]
    assert not squeezed, f"{doc} at {width} px: figures drawn out of proportion:\n" + "\n".join(squeezed)
    if width > 500:
        return  # the resolution rule is for the phone; the links are checked there too
    blurry = [f"{f['src'].rsplit('/', 1)[-1]}: {f['natural']} px drawn at {f['shown']:.0f} px"
              for f in figures if not f["src"].endswith(".svg") and f["natural"] < 2 * f["shown"] - 1]
    assert not blurry, f"{doc}: figures with less than 2x their displayed pixels at 390 px:\n" + \
        "\n".join(blurry)
    unlinked = [f["src"] for f in figures if not f["link"]]
    assert not unlinked, f"{doc}: figures a tap cannot open full size: {unlinked}"
    wrong = [f for f in figures if f["href"] and f["href"] != f["src"]]
    assert not wrong, f"{doc}: a figure's link does not open its own image: {wrong}"


_WAITING = """() => Array.from(document.querySelectorAll('article.bd-article img'))
  .filter(i => /_images\\//.test(i.getAttribute('src') || '') && !i.hidden && !i.complete)
  .map(i => {
    const r = i.getBoundingClientRect();
    const m = /width:\\s*([\\d.]+)px;\\s*height:\\s*([\\d.]+)px/.exec(i.getAttribute('style') || '');
    const [w, h] = m ? [+m[1], +m[2]] : [+i.getAttribute('width'), +i.getAttribute('height')];
    return {src: i.getAttribute('src').split('/').pop().slice(0, 16), width: r.width,
            height: r.height, ratio: w / h};
  })"""


@pytest.mark.parametrize("doc", [d for d in CHAPTER_DOCS if d in IMAGE_DOCS])
def test_figures_keep_their_space_before_they_load(browser, base_url, doc):
    # Figures load lazily: one far below the screen is not loaded yet when the page opens.
    # It must already take the height it will have, or the page jumps when it arrives.
    ctx = local_context(browser, base_url, viewport={"width": 390, "height": 844})
    page, _ = open_page(ctx, base_url, doc + ".html")
    page.add_style_tag(content=".bd-article section { content-visibility: visible !important; }")
    waiting = page.evaluate(_WAITING)
    ctx.close()
    assert waiting, f"{doc}: no figure is still waiting to load at the top of the page"
    jumpy = [f"{f['src']}: {f['width']:.0f} x {f['height']:.0f} px, {f['ratio']:.2f} expected"
             for f in waiting if not f["ratio"] > 0 or abs(f["width"] - f["height"] * f["ratio"]) > 2]
    assert not jumpy, f"{doc} at 390 px: figures without their space before loading:\n" + \
        "\n".join(jumpy)


# -- quizzes, from the built files ------------------------------------------------------
_KEY = re.compile(r'<script type="application/json" class="itlib-quiz-key">(.*?)</script>', re.S)


def _visible_text(page_html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.S | re.I)
    body = re.sub(r"<[^>]+>", " ", body)
    return htmllib.unescape(re.sub(r"\s+", " ", body))


def _keys(doc):
    return [json.loads(htmllib.unescape(k) if "&quot;" in k else k) for k in _KEY.findall(built(doc))]


@pytest.mark.parametrize("doc", CHAPTER_DOCS)
def test_no_page_shows_a_quiz_answer_key(doc):
    page = built(doc)
    assert page, f"{doc} is not built"
    text = _visible_text(page)
    for marker in ("correct=True", "answer=", "Quiz(", "MultipleChoice(", "Numeric(", "Option("):
        assert marker not in text, f"{doc}: the page shows quiz source ({marker!r})"
    feedback = [f for key in _keys(doc) for q in key for f in
                (q.get("feedback", []) + [m[1] for m in q.get("mistakes", [])]) if len(f) >= 25]
    shown = [f for f in feedback if _visible_text(f) in text]
    assert not shown, f"{doc}: quiz feedback shown before any answer: {shown[:3]}"


def test_the_correct_options_place_varies_across_the_book():
    places = []
    for doc in CHAPTER_DOCS:
        for key in _keys(doc):
            places += [q["correct"].index(True) for q in key if q["kind"] == "mc"]
    assert len(places) >= 6, f"only {len(places)} multiple-choice questions found on the site"
    counts = {p: places.count(p) for p in set(places)}
    assert len(counts) >= 2 and max(counts.values()) <= 0.6 * len(places), \
        f"the correct option sits mostly in one place: {counts} (of {len(places)})"


def test_notation_table_writes_the_double_bar():
    """In a Markdown table, ``\\|`` is an escaped cell separator: the TeX saw a single bar,
    and D_KL(p | q) was printed.  The table writes ‖ as the chapters do."""
    from site_helpers import ROOT

    rows = [line for line in (ROOT / "notation.md").read_text(encoding="utf8").splitlines()
            if line.startswith("|")]
    assert rows and not [r for r in rows if "\\|" in r]
    assert "‖" in "".join(rows)


@pytest.mark.parametrize("doc", [d for d in DOCS if d.startswith("reference/")])
def test_reference_pages_show_no_raw_markup(doc):
    """A docstring sentence that napoleon takes for a parameter shows its reST raw
    (":class:`...`", "``x``"): the itlib.vae page did."""
    text = _visible_text(built(doc))
    raw = re.findall(r":(?:class|func|meth|mod|attr|data|exc|obj|doc|ref|math):`[^`]*`|``[^`]+``", text)
    assert not raw, f"{doc} shows raw reST: {raw[:3]}"


# -- what a course site offers -------------------------------------------------------------
def test_every_page_links_to_the_pdf():
    missing = [d for d in DOCS if 'class="itml-pdf-link"' not in built(d)
               or "information-theory-for-ml.pdf" not in built(d)]
    assert not missing, f"pages without the link to the PDF: {missing[:5]}"


def test_the_pdf_link_is_visible_in_the_sidebar(at_width):
    width, get = at_width
    if width < 992:
        return  # in the navigation dialog (test_site_navigation opens it)
    link = get("intro").locator(".itml-pdf-link a")
    assert link.is_visible(), "the link to the PDF is not visible beside the page"


def test_the_glossary_defines_the_core_concepts_and_the_index_lists_them():
    page = built("glossary")
    assert page, "glossary.html is not built"
    terms = re.findall(r'<dt id="term-([^"]+)"', page)
    for core in ("entropy", "cross-entropy", "KL-divergence", "mutual-information", "ELBO",
                 "rate", "distortion", "information-bottleneck", "InfoNCE"):
        assert core in terms, f"the glossary does not define {core!r} (terms: {terms})"
    index = (SITE / "genindex.html").read_text(encoding="utf8")
    assert "glossary.html#term-InfoNCE" in index and "itlib.bounds" in index, \
        "the general index should list the glossary's concepts beside the API"


def test_the_reference_pages_do_not_dominate_the_sidebar():
    page = built("chapters/01_entropy")
    nav = page[page.find('<nav class="bd-links'):]
    nav = nav[:nav.find("</nav>")]
    top = re.findall(r'<li class="toctree-l1[^"]*"><a[^>]*href="([^"]+)"', nav)
    refs = [h for h in top if "reference/" in h]
    assert len(refs) <= 1, f"{len(refs)} reference pages at the sidebar's top level: {refs}"
    assert re.search(r'<li class="toctree-l2[^"]*"><a[^>]*href="[^"]*reference/vae\.html"', nav), \
        "the reference pages should sit one level down, under the reference's index"
