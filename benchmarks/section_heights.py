"""The sections' height estimates (_ext/section_sizes.py) against their real heights, in
Debian's chromium, at a phone's, a tablet's and a desktop's width.

Run after `make book` (the site in _build/html):

    python benchmarks/section_heights.py                  # every chapter page, 390/800/1280 px
    python benchmarks/section_heights.py --sections       # and every section of each
    python benchmarks/section_heights.py --blocks chapters/01_entropy --width 390
                                                        # each block of each section

For each page and width it prints the page's height at load (scrolled to the top: the
sections not yet laid out count at their estimate) and its real height (every section laid
out: ``content-visibility: visible``), and the error.  ``--sections`` adds each section's
estimate (the ``contain-intrinsic-block-size`` chromium resolved for it at that width)
against its laid-out height; ``--blocks`` each block of the sections (paragraph, cell,
equation, ...) against the model's figure for it: what calibrating the model's constants
(_ext/section_sizes.py) looks at.  tests/site/test_site_sections.py checks the pages'
figures against a tolerance.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "_ext"))
from pages import SITE, chapter_docs, serve  # noqa: E402

VISIBLE = ".bd-article section { content-visibility: visible !important; }"

_SECTIONS = """() => Array.from(document.querySelectorAll('.bd-article section section')).map(s => ({
  id: s.id, height: s.getBoundingClientRect().height,
  estimate: getComputedStyle(s).containIntrinsicBlockSize}))"""

# Each section's own blocks (its children that are not sections), with their margins.
_BLOCKS = """() => Array.from(document.querySelectorAll('.bd-article section section')).map(s => ({
  id: s.id, blocks: Array.from(s.children).filter(c => c.tagName !== 'SECTION').map(c => {
    const cs = getComputedStyle(c), r = c.getBoundingClientRect();
    return {what: c.tagName.toLowerCase() + (c.className ? '.' + c.className.split(' ').join('.') : ''),
            height: r.height, top: parseFloat(cs.marginTop), bottom: parseFloat(cs.marginBottom)};
  })}))"""

_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

# Every image of the article loaded and decoded (figures lazy-load; each keeps its space
# before it loads, _ext/figures.py, but the heights measured are those of the page as read).
LOAD_IMAGES = """async () => {
  const imgs = Array.from(document.querySelectorAll('article.bd-article img'))
    .filter(i => i.getAttribute('src'));
  for (const i of imgs) { i.loading = 'eager'; }
  await Promise.all(imgs.map(i => i.decode().catch(() => null)));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""


def measure(page, url: str, width: int, blocks: bool) -> dict:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => 0)")
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate(_FRAMES)
    initial = page.evaluate("document.documentElement.scrollHeight")
    estimates = {s["id"]: s["estimate"] for s in page.evaluate(_SECTIONS)}
    page.add_style_tag(content=VISIBLE)
    page.evaluate(LOAD_IMAGES)
    real = page.evaluate("document.documentElement.scrollHeight")
    sections = [dict(s, estimate=estimates.get(s["id"], "")) for s in page.evaluate(_SECTIONS)]
    return {"initial": initial, "real": real, "sections": sections,
            "blocks": page.evaluate(_BLOCKS) if blocks else []}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", nargs="*", help="docnames (default: every chapter)")
    parser.add_argument("--width", type=int, action="append",
                        help="viewport width in px (default: 390, 800 and 1280)")
    parser.add_argument("--site", type=Path, default=SITE,
                        help="the built site (default: _build/html)")
    parser.add_argument("--sections", action="store_true", help="print every section")
    parser.add_argument("--blocks", action="store_true",
                        help="print every block of every section, measured and modelled")
    args = parser.parse_args(argv)
    docs = args.docs or chapter_docs()
    widths = args.width or [390, 800, 1280]
    from playwright.sync_api import sync_playwright

    server = serve(args.site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    worst = 0.0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        print(f"{'page':<36} {'width':>5} {'at load':>8} {'real':>8} {'error':>7}")
        for doc in docs:
            html = (args.site / f"{doc}.html").read_text(encoding="utf8")
            for width in widths:
                m = measure(page, base + doc + ".html", width, args.blocks)
                error = m["initial"] / m["real"] - 1
                worst = max(worst, abs(error))
                print(f"{doc:<36} {width:>5} {m['initial']:>8} {m['real']:>8} {error:>+7.1%}")
                if args.sections:
                    for s in m["sections"]:
                        est = float(s["estimate"].split()[-1].removesuffix("px") or "nan")
                        print(f"    {s['id'][:44]:<44} {est:>8.0f} {s['height']:>8.0f} "
                              f"{est / s['height'] - 1 if s['height'] else 0:>+7.1%}")
                if args.blocks:
                    import section_sizes

                    modelled = section_sizes.block_heights(html, width)
                    for s in m["blocks"]:
                        print(f"  section {s['id']}")
                        for b, model in zip(s["blocks"], modelled.get(s["id"], [])):
                            measured = b["height"] + b["top"] + b["bottom"]
                            print(f"    {b['what'][:52]:<52} {model[1]:>7.0f} {measured:>7.0f} "
                                  f"{model[1] - measured:>+6.0f}  {model[0][:30]}")
        browser.close()
    server.shutdown()
    print(f"worst error: {worst:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
