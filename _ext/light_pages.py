"""Sphinx extension: light pages for the book's website (issue 14, "Pages").

After the HTML build, every written page is rewritten once (the rewrite is idempotent,
so pages left untouched by an incremental build are simply found already light):

* **Slider frames load when needed.**  A static slider (``itlib.sliders``) carries one
  base64 PNG per grid value inline (``<img class="itlib-slider-frame" src="data:...">``),
  most of a chapter page's weight.  Each frame is written to ``_images/slider-<hash>.png``
  (named by its content, so identical frames are stored once); the frame shown first keeps
  a ``src`` (``loading="lazy"``), the hidden ones get ``data-src`` only.  A small script at
  the end of the page sets their ``src`` when the slider comes near the viewport, or when
  the reader focuses, touches or moves it, so frames are ready before they are shown.
* **No widget state.**  MyST-NB embeds the executed notebook's ipywidgets state
  (``application/vnd.jupyter.widget-state+json``, tens of KB a page) for a widget manager;
  the site loads none (``nb_ipywidgets_js: {}``) and shows the sliders' static form, so
  the state is never read: it is dropped.
* **No icon script.**  The theme loads Font Awesome's JavaScript (1.5 MB, 0.4 MB
  compressed), which replaces each ``<i class="fa-...">`` with an SVG on the main thread.
  The theme's stylesheet already carries Font Awesome's classes and web fonts, which draw
  the same icons, so the script tag is removed.

* **Math typeset at build time.**  Every ``.math`` element (Sphinx writes ``\\(...\\)``
  and ``\\[...\\]`` for MathJax) is typeset once by MathJax in Node
  (tools/mathjax/render_math.js, mathjax-full pinned in tools/mathjax/package-lock.json,
  installed by tools/fetch_assets.sh) into SVG with hidden MathML for screen readers
  (MathJax's assistive-mml, the same accessible form the browser would build), and the page
  no longer loads MathJax.  A TeX error fails the build.

* **Less work for the browser.**  The sections under a chapter's title get
  ``content-visibility: auto``: the browser lays out and paints a section only when it comes
  near the screen (it stays in the page, in find-in-page and in the accessibility tree).
  Until then the section counts at an estimate of its height, for the reader's layout band
  (_ext/section_sizes.py writes it into the section's ``style``, from the page with its
  math typeset), so the page is about as tall at load as laid out and the scrollbar does
  not jump (issue 26; tests/site/test_site_sections.py: within 10 % on every chapter at
  390, 800 and 1280 px, ``python benchmarks/section_heights.py`` prints the figures).  A
  section keeps its margins inside (the page is as tall with the feature as without), and
  a small script keeps a section laid out once it has been on screen, so a full-page
  capture after a read-through shows every section.
(The bibliography's ARIA roles are _ext/itml_a11y.py's business, with the other
accessibility fixes.)

tests/site/test_site_weight.py checks the result without a browser; tests/site/ checks
in chromium that sliders, search and dark mode still work.
"""

from __future__ import annotations

import base64
import hashlib
import html as htmllib
import json
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

from sphinx.errors import ExtensionError

sys.path.insert(0, str(Path(__file__).resolve().parent))
import section_sizes  # noqa: E402  (_ext/ is on the path when Sphinx loads this)

__all__ = ["setup", "lighten"]

_FRAME = re.compile(
    r'<img class="itlib-slider-frame" data-index="(?P<index>\d+)" '
    r'src="data:image/png;base64,(?P<data>[A-Za-z0-9+/=]+)"(?P<rest>[^>]*)>')
_WIDGET_STATE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-state\+json">.*?</script>\s*', re.S)
_ICON_SCRIPT = re.compile(r'<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*>'
                          r'</script>\s*')
_LOADER_MARK = "itlib-lazy-frames"

# Sets a hidden frame's src from its data-src: all frames of a slider once the slider
# comes within 50% of a screen of the viewport, or is focused, touched, hovered; the
# frame to show at once when the slider moves (in case none of the above fired).
_LOADER = """<script id="%s">
(function () {
  function load(img) {
    if (img && !img.getAttribute('src') && img.getAttribute('data-src')) {
      img.setAttribute('src', img.getAttribute('data-src'));
    }
  }
  function loadAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll('img.itlib-slider-frame'), load);
  }
  Array.prototype.forEach.call(document.querySelectorAll('div.itlib-slider'), function (root) {
    var range = root.querySelector('input[type=range]');
    if (!range) { return; }
    ['focus', 'pointerdown', 'touchstart', 'mouseenter'].forEach(function (ev) {
      range.addEventListener(ev, function () { loadAll(root); }, {once: true, passive: true});
    });
    var current = function () {
      load(root.querySelector('img.itlib-slider-frame[data-index="' + range.value + '"]'));
    };
    range.addEventListener('input', current);
    range.addEventListener('change', current);
    if ('IntersectionObserver' in window) {
      var seen = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) {
          loadAll(root);
          seen.disconnect();
        }
      }, {rootMargin: '50%% 0px'});
      seen.observe(root);
    } else {
      loadAll(root);
    }
  });
})();
</script>
""" % _LOADER_MARK


_MATH = re.compile(r'(?P<open><(?P<tag>span|div) class="math notranslate nohighlight"[^>]*>)'
                   r'(?P<body>.*?)(?P<close></(?P=tag)>)', re.S)
_DELIMS = re.compile(r'\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\]', re.S)
_MATHJAX_SCRIPTS = re.compile(r'<script>window\.MathJax = .*?</script>\s*'
                              r'|<script[^>]*src="[^"]*_static/mathjax/[^"]*"[^>]*></script>\s*',
                              re.S)
_MATH_STYLE_MARK = "itlib-math-svg"
RENDER_MATH = Path(__file__).resolve().parent.parent / "tools" / "mathjax" / "render_math.js"


def typeset(pages: dict[str, str]) -> dict[str, str]:
    """The pages (name -> html) with their math typeset as SVG and MathJax's scripts gone.

    One Node process typesets the formulas of all pages.  Pages without math come back
    unchanged.
    """
    names, batches = [], []
    for name, text in pages.items():
        items = []
        for m in _MATH.finditer(text):
            for d in _DELIMS.finditer(m["body"]):
                display = d["display"] is not None
                tex = htmllib.unescape(d["display"] if display else d["inline"])
                items.append({"tex": tex.strip(), "display": display})
        if items:
            names.append(name)
            batches.append(items)
    if not batches:
        return pages
    node = shutil.which("node")
    if node is None or not (RENDER_MATH.parent / "node_modules" / "mathjax-full").is_dir():
        raise ExtensionError(
            "light_pages: typesetting the math needs Node and MathJax: run "
            "`bash tools/fetch_assets.sh` (or `make assets`; Debian: apt-get install npm)")
    done = subprocess.run([node, str(RENDER_MATH)], input=json.dumps({"pages": batches}),
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise ExtensionError(f"light_pages: typesetting the math failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout)
    style = f'<style id="{_MATH_STYLE_MARK}">{result["css"]}</style>\n'
    out = dict(pages)
    for name, typeset_page in zip(names, result["pages"]):
        svgs = iter(typeset_page["html"])

        def math(m: re.Match) -> str:
            return m["open"] + _DELIMS.sub(lambda d: next(svgs), m["body"]) + m["close"]

        text = _MATH.sub(math, pages[name])
        text = _MATHJAX_SCRIPTS.sub("", text)
        text = text.replace("</head>", style + "</head>", 1)
        # The glyphs the page's formulas use, once, at the start of the body.
        text = re.sub(r"(<body[^>]*>)", lambda b: b[1] + typeset_page["defs"], text, count=1)
        out[name] = text
    return out


def _png_size(png: bytes) -> tuple[int, int] | None:
    if png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR":
        return struct.unpack(">II", png[16:24])
    return None


_STYLE_MARK = "itlib-light-pages"
_STYLE = f'<style id="{_STYLE_MARK}">{section_sizes.STYLE}</style>\n'
# A section stays laid out once it has been on screen (content-visibility: visible), so
# that after a read-through the page is all drawn: a full-page capture shows every section
# (content-visibility: auto skips painting whatever is off screen, even if seen before).
# The switch is made when the section leaves the screen: laid out already, it keeps its
# size, and it holds nothing the browser's scroll anchoring is holding on to (a style
# change on the anchor's section would suspend anchoring while others get their size).
_KEEP_MARK = "itlib-keep-sections"
_KEEP = """<script id="%s">
(function () {
  if (!('IntersectionObserver' in window)) { return; }
  var seen = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.isIntersecting) {
        e.target.itlibSeen = true;
      } else if (e.target.itlibSeen) {
        e.target.style.contentVisibility = 'visible';
        seen.unobserve(e.target);
      }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('.bd-article section section'),
                               function (s) { seen.observe(s); });
})();
</script>
""" % _KEEP_MARK


def lighten(html: str, images_dir: Path, images_url: str) -> str:
    """The page ``html`` made light; slider frames are written into ``images_dir``,
    which the page reaches as ``images_url`` (ending in "/")."""
    html = _WIDGET_STATE.sub("", html)
    html = _ICON_SCRIPT.sub("", html)
    # (a page written by an earlier build gets today's stylesheet and script)
    html = re.sub(rf'<style id="{_STYLE_MARK}">.*?</style>\n', "", html, flags=re.S)
    html = html.replace("</head>", _STYLE + "</head>", 1)

    def frame(m: re.Match) -> str:
        png = base64.b64decode(m["data"])
        name = f"slider-{hashlib.sha256(png).hexdigest()[:20]}.png"
        path = images_dir / name
        if not path.is_file():
            images_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
        rest = m["rest"]
        size = _png_size(png)
        # the frame's display size: itlib.sliders writes it (frames at 2x); else the PNG's
        dims = f' width="{size[0]}" height="{size[1]}"' if size and " width=" not in rest else ""
        if re.search(r"\shidden\s*$", rest):  # not shown: loaded by the script when needed
            attr = f'data-src="{images_url}{name}"'
        else:
            attr = f'src="{images_url}{name}" loading="lazy"'
        return (f'<img class="itlib-slider-frame" data-index="{m["index"]}" {attr}{dims} '
                f'decoding="async"{rest}>')

    html, n = _FRAME.subn(frame, html)
    if (n or "itlib-slider-frame" in html) and _LOADER_MARK not in html:
        html = html.replace("</body>", _LOADER + "</body>", 1)
    html = re.sub(rf'<script id="{_KEEP_MARK}">.*?</script>\n', "", html, flags=re.S)
    html = html.replace("</body>", _KEEP + "</body>", 1)
    return html


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    images = outdir / "_images"
    before, after = {}, {}
    for page in outdir.rglob("*.html"):
        rel = page.relative_to(outdir)
        if rel.parts[0] in ("_static", "_sources", "_images"):
            continue
        text = page.read_text(encoding="utf8")
        before[rel.as_posix()] = text
        after[rel.as_posix()] = lighten(text, images, "../" * (len(rel.parts) - 1) + "_images/")
    after = typeset(after)
    # Pages without math (the introduction) loaded MathJax for nothing: every formula of
    # the site is typeset above, so no page needs it (tests/site: no raw TeX anywhere).
    after = {rel: _MATHJAX_SCRIPTS.sub("", text) for rel, text in after.items()}
    # Each section's height estimate, from the page as the reader gets it (math typeset).
    after = {rel: section_sizes.annotate(text) for rel, text in after.items()}
    for rel, text in after.items():
        if text != before[rel]:
            (outdir / rel).write_text(text, encoding="utf8")


def setup(app):
    # After every other build-finished handler (MyST-NB copies its CSS there).
    app.connect("build-finished", _build_finished, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
