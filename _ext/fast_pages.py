"""Sphinx extension: a short critical path for the book's pages (issue 14, "Pages").

_ext/light_pages.py makes each page light (no inline frames, no widget state, math as SVG);
this module, run after it, cuts what the browser must fetch and run before it can paint
(Lighthouse's mobile preset: slow 4G and a 4x slower CPU):

* **Scripts in <head> are deferred.**  Sphinx and the extensions put their scripts in
  <head> without ``defer``, so parsing stops at each of them.  They all wait for
  DOMContentLoaded or check ``document.readyState`` before they touch the page, so each
  external script in <head> gets ``defer`` (they keep their order), except
  ``documentation_options.js``, which the inline scripts after it read at once.  The
  theme's ``<link rel="preload">`` of its own two (already deferred) scripts goes: it
  made them compete with the stylesheets.
* **No search scripts on pages that do not search.**  pydata-sphinx-theme loads
  searchtools.js, language_data.js and the whole search index on every page for its
  search-as-you-type, which this book leaves off (``search_as_you_type = false`` in the
  page): they are dropped from every page but search.html, which loads its own.
* **Icon fonts cut to the icons the site uses.**  The theme's stylesheet carries all of
  Font Awesome: 1,900 ``.fa-NAME:before`` rules and three web fonts (solid 157 KB, brands
  118 KB), which the browser fetches at the highest priority on every page.  The rules
  for names that no page and no script of the site mentions are dropped, and each font
  is subset (fontTools) to the code points the remaining rules and the theme's own icon
  variables (``--pst-icon-*``, ``content:``) use, written as WOFF (zlib; WOFF2 would
  need brotli) under a name that carries its digest.
* **No forced layout of the whole page at load.**  pydata-sphinx-theme's script, once the
  page is parsed, reads ``scrollWidth``/``scrollHeight`` of every code block and output
  to give the scrollable ones a tab stop (keyboard access to scrolling).  Each read lays
  out sections that ``content-visibility: auto`` (light_pages) had left for later: the
  whole chapter, seconds on a phone's CPU, after the first paint (Lighthouse's total
  blocking time).  The theme's first call is removed from its script (it still runs on
  resize and when the content changes) and the page does the same job without forcing
  layout: every such element gets ``tabindex="0"`` at once (no read), and an
  IntersectionObserver sets the theme's value (0 if it scrolls, -1 if not) when the
  element comes on screen, where it is laid out anyway.  The theme's bootstrap.js forced
  one more layout of the whole page as it ran: its back-to-top button reads the header's
  ``getBoundingClientRect()`` at load, for a scroll listener.  It now reads it at the first
  scroll, when the page is laid out anyway, and adds ``window.scrollY``: the header's
  bottom in page coordinates, which is what the load-time read gave for a page opened at
  its top (the header is not sticky in this theme).
* **The page's own inline scripts wait for the parser.**  itlib's sliders and quizzes
  bind their controls with an inline ``<script>(function () {...})();</script>`` after
  each widget.  Measured in Lighthouse's chromium, a chapter with them painted first at
  2.2 s (observed, unthrottled), without them at 0.25-0.3 s.  Each such script in the body
  is wrapped in a DOMContentLoaded listener: the same code, in the same order, run once
  the page is parsed (they look up every widget of the page, so one run binds all).
* **The colour theme is chosen before the first paint.**  The theme's script sets
  ``data-mode`` and ``data-theme`` on ``<html>`` once the page is parsed, so every style
  of the page was computed twice (a long task after the first paint) and a reader who
  prefers dark saw a light page first.  A short inline script in ``<head>``, right after
  the theme's own (which only copies the stored values, or "auto"), makes the same choice
  by the same rule (the stored mode, else the default, "auto"
  following the system's preference) before the page is drawn.

Content images load lazily too, but that is docutils' own setting, not a rewrite here:
``image_loading: lazy`` in the book's docutils.conf gives every image Sphinx writes
(figures, cell outputs) ``loading="lazy"`` (slider frames, which are HTML outputs, get
theirs from light_pages), and _ext/rewrite_audit.py fails the build if an image of the
article is left without it.

tests/site/test_site_weight.py checks the result on the built site; tests/test_fast_pages.py
checks the functions on small inputs; the browser tests (tests/site/) check that icons,
search, dark mode, sliders and quizzes still work.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from sphinx.errors import ExtensionError

__all__ = ["setup", "fast_head", "late_inline_scripts", "scroll_stops", "quiet_theme_script",
           "quiet_back_to_top", "early_theme",
           "used_icon_names", "trim_icon_css", "icon_codepoints", "subset_font", "fast_icons"]

THEME_CSS = Path("_static") / "styles" / "pydata-sphinx-theme.css"
KEEP_BLOCKING = ("documentation_options.js",)
_SEARCH_SCRIPTS = re.compile(
    r'[ \t]*<script (?:defer )?src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|'
    r'searchindex\.js)"></script>\n?')
_HEAD_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>")
_PRELOAD = re.compile(r'[ \t]*<link rel="preload" as="script" href="[^"]*"\s*/?>\n?')


def fast_head(html: str, page: str) -> str:
    """The page with its <head> scripts deferred, the theme's script preloads gone, and
    the search scripts gone unless ``page`` (its path in the site) is the search page or
    the page turns search-as-you-type on."""
    end = html.find("</head>")
    if end < 0:
        return html
    head, rest = html[:end], html[end:]

    def defer(m: re.Match) -> str:
        attrs = m["attrs"]
        src = re.search(r'\ssrc="([^"]*)"', attrs)
        if (src is None or re.search(r"\s(defer|async)\b", attrs)
                or re.search(r'\stype="module"', attrs)
                or any(k in src[1] for k in KEEP_BLOCKING)):
            return m[0]
        return f"<script defer{attrs}>"

    if (Path(page).name != "search.html"
            and "DOCUMENTATION_OPTIONS.search_as_you_type = false;" in head):
        head = _SEARCH_SCRIPTS.sub("", head)
    head = _HEAD_SCRIPT.sub(defer, head)
    head = _PRELOAD.sub("", head)
    return head + rest


_EARLY_THEME_MARK = "itlib-early-theme"
# pydata-sphinx-theme's script picks the colour theme (data-mode, data-theme on <html>)
# only once the page is parsed: <html data-theme="auto"> then becomes "light" or "dark",
# every style of the page is computed again, and a reader who prefers dark sees the page
# light first.  The same choice, made by the same rule before anything is drawn:
_EARLY_THEME = (
    '<script id="%s">(function () {\n'
    '  var d = document.documentElement, m = "auto";\n'
    '  try { m = localStorage.getItem("mode") || d.dataset.defaultMode || "auto"; } catch (e) {}\n'
    '  if (m !== "light" && m !== "dark") { m = "auto"; }\n'
    '  d.dataset.mode = m;\n'
    '  d.dataset.theme = m !== "auto" ? m\n'
    '    : (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");\n'
    '})();</script>\n' % _EARLY_THEME_MARK)


# The theme's inline script in <head>: data-mode and data-theme from localStorage, or "auto".
_THEME_HEAD_SCRIPT = re.compile(
    r'<script[^>]*>\s*document\.documentElement\.dataset\.mode = [^<]*'
    r'document\.documentElement\.dataset\.theme = [^<]*</script>\n?')


def early_theme(html: str) -> str:
    """The page with the theme's colour choice made first thing in <head> (once)."""
    if _EARLY_THEME_MARK in html:
        return html
    m = (_THEME_HEAD_SCRIPT.search(html)                  # after the theme's own, which
         or re.search(r"<meta charset=[^>]*>\n?", html)      # sets "auto"; else after the
         or re.search(r"<head\b[^>]*>\n?", html))            # charset, or first
    if m is None or m.start() > html.find("</head>"):
        return html
    return html[:m.end()] + _EARLY_THEME + html[m.end():]


_INLINE_IIFE = re.compile(r"<script>(?P<code>\s*\(function\s*\(\)\s*\{.*?)</script>", re.S)
_ON_READY = "<script>document.addEventListener('DOMContentLoaded', function () {%s\n});</script>"


def late_inline_scripts(html: str) -> str:
    """Inline scripts of the body that run a function at once, ``<script>(function () {``,
    run at DOMContentLoaded instead (see the module's docstring)."""
    start = html.find("<body")
    if start < 0:
        return html
    body = _INLINE_IIFE.sub(lambda m: _ON_READY % m["code"], html[start:])
    return html[:start] + body


THEME_JS = Path("_static") / "scripts" / "pydata-sphinx-theme.js"
# pydata-sphinx-theme 0.17's addTabStopsToScrollableElements: it observes #main-content,
# then calls its worker once ("e()"); only that first call goes.
_THEME_FIRST_CALL = ('new MutationObserver(t).observe(document.getElementById("main-content"),'
                     '{subtree:!0,childList:!0}),e()}')
_THEME_NO_FIRST_CALL = _THEME_FIRST_CALL[:-len(",e()}")] + "}"
BOOTSTRAP_JS = Path("_static") / "scripts" / "bootstrap.js"
# pydata-sphinx-theme 0.17's back-to-top button: the header's rectangle read at load...
_BACK_TO_TOP = ('var e=document.getElementsByClassName("bd-header")[0].getBoundingClientRect();'
                'window.addEventListener("scroll",function(){')
# ... and read at the first scroll instead.
_BACK_TO_TOP_LAZY = ('var e;window.addEventListener("scroll",function(){e=e||{bottom:'
                     'document.getElementsByClassName("bd-header")[0].getBoundingClientRect()'
                     '.bottom+window.scrollY};')
SCROLLABLE = ("pre, .nboutput > .output_area, .cell_output > .output, "
              ".jp-RenderedHTMLCommon, .pst-scrollable-table-container")
_STOPS_MARK = "itlib-scroll-stops"
_STOPS = """<script id="%s">
(function () {
  var els = Array.prototype.slice.call(document.querySelectorAll('%s'));
  els.forEach(function (el) { if (!el.hasAttribute('tabindex')) { el.tabIndex = 0; } });
  if (!('IntersectionObserver' in window)) { return; }
  var seen = new IntersectionObserver(function (entries) {
    var shown = entries.filter(function (e) { return e.isIntersecting; }).map(function (e) {
      var el = e.target;
      seen.unobserve(el);
      return [el, el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight];
    });
    shown.forEach(function (s) { s[0].tabIndex = s[1] ? 0 : -1; });
  });
  els.forEach(function (el) { seen.observe(el); });
})();
</script>
""" % (_STOPS_MARK, SCROLLABLE)


def scroll_stops(html: str) -> str:
    """The page with the script that gives scrollable blocks their tab stop (once)."""
    if _STOPS_MARK in html or "</body>" not in html:
        return html
    return html.replace("</body>", _STOPS + "</body>", 1)


def _patch_script(path: Path, old: str, new: str, unknown: str) -> bool:
    """Replace the one ``old`` in the script at ``path`` by ``new``.  False if there is no
    such file or it was patched already; ExtensionError(``unknown``) if ``old`` is not
    there exactly once (a theme update: the patch must be looked at again)."""
    if not path.is_file():
        return False
    js = path.read_text(encoding="utf8")
    if new in js and old not in js:
        return False
    if js.count(old) != 1:
        raise ExtensionError(unknown)
    path.write_text(js.replace(old, new), encoding="utf8")
    return True


def quiet_theme_script(outdir: Path) -> bool:
    """Remove the theme script's first pass over every scrollable block (see above).
    True if the script was changed; an unknown theme script fails the build, since the
    pages' own pass (scroll_stops) assumes it."""
    return _patch_script(
        outdir / THEME_JS, _THEME_FIRST_CALL, _THEME_NO_FIRST_CALL,
        "fast_pages: pydata-sphinx-theme.js is not the one this extension knows "
        "(addTabStopsToScrollableElements changed?): update _THEME_FIRST_CALL")


def quiet_back_to_top(outdir: Path) -> bool:
    """Read the header's rectangle for the back-to-top button at the first scroll, not at
    load (see above).  True if bootstrap.js was changed; an unknown bootstrap.js fails
    the build, so that a theme update cannot bring the forced layout back unnoticed."""
    return _patch_script(
        outdir / BOOTSTRAP_JS, _BACK_TO_TOP, _BACK_TO_TOP_LAZY,
        "fast_pages: the theme's bootstrap.js is not the one this extension knows "
        "(the back-to-top button changed?): update _BACK_TO_TOP")


_NAME = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*")
# A Font Awesome glyph rule: one or more ".fa-NAME:before" selectors, one content string.
_GLYPH_RULE = re.compile(r'(?P<sel>\.fa-[a-z0-9-]+:{1,2}before(?:,\.fa-[a-z0-9-]+:{1,2}before)*)'
                         r'\{content:"(?P<content>(?:[^"\\]|\\.)*)"\}')
_SEL_NAME = re.compile(r"\.(fa-[a-z0-9-]+):{1,2}before")
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_CONTENT = re.compile(r'content:\s*"((?:[^"\\\n]|\\.)*)"')


def used_icon_names(texts) -> set[str]:
    """Every ``fa-NAME`` token in the given texts (the site's pages and scripts)."""
    names: set[str] = set()
    for text in texts:
        names.update(_NAME.findall(text))
    return names


def _css_string(s: str) -> str:
    """A CSS string's value: escapes (``\\f09b``, ``\\"``) decoded."""
    return re.sub(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)",
                  lambda m: chr(int(m[1], 16)) if m[1] else m[2], s)


def trim_icon_css(css: str, used: set[str]) -> str:
    """The stylesheet without the glyph rules of icon names not in ``used``; a rule
    shared by several names keeps the used ones."""

    def rule(m: re.Match) -> str:
        keep = [s for s in m["sel"].split(",") if _SEL_NAME.fullmatch(s)[1] in used]
        return f'{",".join(keep)}{{content:"{m["content"]}"}}' if keep else ""

    return _GLYPH_RULE.sub(rule, css)


def icon_codepoints(css_texts) -> set[int]:
    """The code points that the stylesheets can draw with an icon font: every character
    of a ``content:`` string, and every private-use character (U+E000-U+F8FF, where
    Font Awesome's icons live) of any string, e.g. the theme's ``--pst-icon-*``."""
    points: set[int] = set()
    for css in css_texts:
        for m in _CONTENT.finditer(css):
            points.update(ord(c) for c in _css_string(m[1]))
        for m in _STRING.finditer(css):
            points.update(ord(c) for c in _css_string(m[1]) if 0xE000 <= ord(c) <= 0xF8FF)
    return points


def subset_font(source: Path, codepoints: set[int]) -> bytes:
    """The TrueType font ``source`` cut to ``codepoints`` (those it has), as WOFF bytes.
    Its name table (copyright, licence) is kept."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = TTFont(str(source), recalcTimestamp=False)
    have = set(font.getBestCmap())
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(codepoints & have))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


_FONT_SRC = re.compile(r'src:url\((?P<base>[^)]*?/(?P<stem>fa-[a-z0-9-]+))\.woff2\) '
                       r'format\("woff2"\),url\((?P=base)\.ttf\) format\("truetype"\)')


def fast_icons(outdir: Path) -> dict[str, int] | None:
    """Trim the theme stylesheet of ``outdir`` to the icons the site uses and point its
    @font-face rules at subset fonts.  Returns {font file written: bytes}, or None when
    the site has no such stylesheet (another theme) or it is already done."""
    css_path = outdir / THEME_CSS
    if not css_path.is_file():
        return None
    css = css_path.read_text(encoding="utf8")
    if not _FONT_SRC.search(css):
        return None  # done already (this build copied no fresh stylesheet)
    texts = [p.read_text(encoding="utf8", errors="replace") for p in outdir.rglob("*.html")
             if p.relative_to(outdir).parts[0] not in ("_sources",)]
    texts += [p.read_text(encoding="utf8", errors="replace")
              for p in (outdir / "_static").rglob("*.js")
              if p.name != "fontawesome.js" and "mathjax" not in p.parts]
    css = trim_icon_css(css, used_icon_names(texts))
    others = [p.read_text(encoding="utf8", errors="replace")
              for p in (outdir / "_static").rglob("*.css") if p != css_path]
    points = icon_codepoints([css, *others])
    written: dict[str, int] = {}

    def src(m: re.Match) -> str:
        ttf = css_path.parent / (m["base"] + ".ttf")
        data = subset_font(ttf, points)
        name = f'{m["stem"]}-{hashlib.sha256(data).hexdigest()[:12]}.woff'
        (ttf.parent / name).write_bytes(data)
        written[name] = len(data)
        base_dir = m["base"].rsplit("/", 1)[0]
        return f'src:url({base_dir}/{name}) format("woff")'

    css = _FONT_SRC.sub(src, css)
    css_path.write_text(css, encoding="utf8")
    return written


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        rel = page.relative_to(outdir)
        if rel.parts[0] in ("_static", "_sources", "_images"):
            continue
        text = page.read_text(encoding="utf8")
        new = early_theme(scroll_stops(late_inline_scripts(fast_head(text, rel.as_posix()))))
        if new != text:
            page.write_text(new, encoding="utf8")
    quiet_theme_script(outdir)
    quiet_back_to_top(outdir)
    fast_icons(outdir)


def setup(app):
    # After light_pages (priority 900), which rewrites the same pages.
    app.connect("build-finished", _build_finished, priority=950)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
