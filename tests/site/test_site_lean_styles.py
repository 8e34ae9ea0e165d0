"""The stylesheets that _ext/lean_styles.py cuts with PurgeCSS draw the site exactly as the
originals do.

Each view below is drawn twice in chromium: once as the site is served, once with every
stylesheet request answered by its original (kept by the build under the doctree
folder).  The two screenshots must be the same, pixel for pixel: a rule dropped that
the page needed, or a code span unwrapped that had a colour of its own, shows up as a
difference.  The views cover a chapter in light and dark mode on a desktop and a phone
(top of the page, a quiz after a wrong answer, a slider moved, code, an admonition, a
table, the references), the opened menus (site navigation on a phone, the search
dialog, the download menu, a tooltip), the search page with results, and the front page.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from site_helpers import ROOT, SITE, local_context

sys.path.insert(0, str(ROOT / "_ext"))
import lean_styles  # noqa: E402

ORIGINALS = SITE.parent / ".doctrees" / lean_styles.ORIGINALS
CHAPTER = "chapters/01_entropy.html"
# Compositing and anti-aliasing round a translucent backdrop or a rounded corner a few
# levels differently from one drawing to the next; a rule that goes missing changes far
# more.  Two drawings count as the same when at most SPECKS pixels differ by more than
# NOISE (in grey levels, 0-255).
NOISE, SPECKS = 8, 16

# Things to look at on a chapter page, each scrolled to the middle of the screen.
PARTS = ["div.cell", "div.admonition", "table", "div.itlib-quiz", "div.itlib-slider",
         "#references"]

# Waits until every image shown on the screen has loaded and two frames have passed.
_SETTLED = """async () => {
  const shown = () => Array.from(document.images).filter(img => {
    const r = img.getBoundingClientRect();
    return r.width > 0 && r.bottom > 0 && r.top < innerHeight && img.getAttribute('src');
  });
  for (let t = 0; t < 100 && !shown().every(img => img.complete); t++) {
    await new Promise(r => setTimeout(r, 50));
  }
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""


def _contexts(browser, base_url, **options):
    """(lean, original): two contexts on the site; the second answers every stylesheet
    with the original the build kept."""
    lean = local_context(browser, base_url, **options)
    full = local_context(browser, base_url, **options)

    def original(route):
        rel = urlparse(route.request.url).path.lstrip("/")
        kept = ORIGINALS / rel
        if kept.is_file():
            route.fulfill(body=kept.read_bytes(), content_type="text/css")
        else:
            route.continue_()

    full.route("**/*.css*", original)
    return lean, full


def _shots(ctx, base_url, path, steps, dark=False) -> list[tuple[str, bytes]]:
    page = ctx.new_page()
    if dark:
        page.add_init_script("localStorage.setItem('theme', 'dark')")
    page.goto(base_url + path, wait_until="load")
    # Lazy images load when chromium gets round to them, which may be after a screenshot.
    page.evaluate("document.querySelectorAll('img[loading=lazy]')"
                  ".forEach(img => { img.loading = 'eager'; })")
    page.evaluate(_SETTLED)
    shots = []
    for name, act in steps:
        act(page)
        page.evaluate(_SETTLED)
        page.wait_for_timeout(150)
        shots.append((name, page.screenshot(animations="disabled", caret="hide")))
    page.close()
    return shots


def _scroll_to(selector):
    def act(page):
        loc = page.locator(selector).first
        if loc.count():
            loc.evaluate("el => el.scrollIntoView({block: 'center'})")
    return act


def _quiz_wrong_answer(page):
    quiz = page.locator("div.itlib-quiz").first
    quiz.evaluate("el => el.scrollIntoView({block: 'center'})")
    option = quiz.locator("button.itlib-quiz-option")
    if option.count():
        option.last.click()
    quiz.locator("button.itlib-quiz-check").first.click()


def _slider_moved(page):
    rng = page.locator("div.itlib-slider input[type=range]").first
    rng.evaluate("el => el.scrollIntoView({block: 'center'})")
    rng.focus()
    for _ in range(3):
        rng.press("ArrowRight")


def _click(selector):
    def act(page):
        page.locator(selector).first.click()
        page.wait_for_timeout(400)
    return act


def _hover(selector):
    def act(page):
        page.locator(selector).first.hover()
        page.wait_for_timeout(600)
    return act


def _same(lean, full, where):
    """Fail with both images saved when the two drawings differ."""
    from PIL import Image, ImageChops

    bad = []
    out = ROOT / "_build" / "lean-styles-diff"
    for (name, a), (_, b) in zip(lean, full):
        if a == b:
            continue
        ia, ib = Image.open(io.BytesIO(a)).convert("RGB"), Image.open(io.BytesIO(b)).convert("RGB")
        if ia.size == ib.size:
            over = ImageChops.difference(ia, ib).convert("L").point(lambda v: 255 * (v > NOISE))
            if over.histogram()[255] <= SPECKS:
                continue
            box = over.getbbox()
        else:
            box = f"size {ia.size} against {ib.size}"
        out.mkdir(parents=True, exist_ok=True)
        stem = f"{where}-{name}".replace("/", "_")
        (out / f"{stem}-lean.png").write_bytes(a)
        (out / f"{stem}-original.png").write_bytes(b)
        bad.append(f"{name}: differs in {box}")
    assert not bad, (f"{where}: the cut stylesheets draw differently from the originals "
                     f"(images in {out}):\n" + "\n".join(bad))


@pytest.fixture(scope="module")
def originals():
    if not any(ORIGINALS.rglob("*.css")):
        pytest.fail(f"no original stylesheets under {ORIGINALS}: the build did not run "
                    "_ext/lean_styles.py")
    return ORIGINALS


CHAPTER_STEPS = [("top", lambda p: None)] + [(s, _scroll_to(s)) for s in PARTS] + [
    ("quiz-answered", _quiz_wrong_answer), ("slider-moved", _slider_moved)]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_chapter_on_a_desktop(browser, base_url, originals, dark):
    lean, full = _contexts(browser, base_url, viewport={"width": 1280, "height": 900})
    steps = CHAPTER_STEPS
    if not dark:                      # the menus are drawn with the same rules in both
        steps = steps + [("tooltip", _hover("button.search-button__button")),
                         ("download-menu", _click(".dropdown-download-buttons button")),
                         ("search-dialog", _click("button.search-button__button"))]
    try:
        _same(_shots(lean, base_url, CHAPTER, steps, dark),
              _shots(full, base_url, CHAPTER, steps, dark), f"desktop-{dark}")
    finally:
        lean.close()
        full.close()


def test_chapter_on_a_phone(browser, base_url, originals):
    options = dict(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    lean, full = _contexts(browser, base_url, **options)
    steps = CHAPTER_STEPS + [("navigation", _click("button.primary-toggle >> visible=true"))]
    try:
        _same(_shots(lean, base_url, CHAPTER, steps), _shots(full, base_url, CHAPTER, steps),
              "phone")
    finally:
        lean.close()
        full.close()


@pytest.mark.parametrize("path", ["search.html?q=entropy", "intro.html"])
def test_other_pages(browser, base_url, originals, path):
    lean, full = _contexts(browser, base_url, viewport={"width": 1280, "height": 900})

    def results(page):
        if "search" in path:
            page.wait_for_selector("#search-results li", timeout=15000)
            page.wait_for_timeout(300)

    steps = [("top", results), ("end", lambda p: p.evaluate("window.scrollTo(0, document.body.scrollHeight)"))]
    try:
        _same(_shots(lean, base_url, path, steps), _shots(full, base_url, path, steps), path)
    finally:
        lean.close()
        full.close()
