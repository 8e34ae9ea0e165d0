"""Sphinx extension: the sidebar toggles work at every width (issue 26, item 1).

pydata-sphinx-theme 0.17 writes a hamburger (``.primary-toggle``) and an "On this page"
button (``.secondary-toggle``) into its page header, ``.bd-header``; sphinx-book-theme hides
every ``button.sidebar-toggle`` there and draws its own pair in the article header.  Both
themes' scripts wire the toggles with ``document.querySelector(".primary-toggle")`` (and
``".secondary-toggle"``), which returns the *first*, hidden button: clicking the visible
one does nothing, below 992 px (no dialog opens) or above (the book theme's "hide the
sidebar" handler sits on the hidden button too).  pydata-sphinx-theme issue #2451,
sphinx-book-theme issue #865.

The fix: the two hidden buttons of ``.bd-header`` are removed from every page, so the
themes' ``querySelector`` finds the visible ones.  It depends on two facts about the
themes, and the build fails (``ExtensionError``) when either stops holding, so that an
upgrade cannot silently undo or break it:

* every page that has the header holds exactly one hidden header hamburger (and at most
  one hidden "On this page" button) in the markup below (``HEADER_PRIMARY``,
  ``HEADER_SECONDARY``), and book theme's CSS hides ``.bd-header button.sidebar-toggle``;
* the themes' scripts still pick the toggle by ``document.querySelector(".primary-toggle")``.

tests/test_nav_fix.py feeds changed markup and sees the build fail; the browser test
tests/site/test_site_navigation.py opens and closes the sidebar and the page's contents
at 390, 800 and 1280 px, with the mouse and from the keyboard.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.errors import ExtensionError

__all__ = ["setup", "fix_page", "label_toggles", "check_scripts", "HEADER_PRIMARY", "HEADER_SECONDARY", "MARK"]

MARK = "<!-- itml: hidden header sidebar toggles removed (_ext/nav_fix.py) -->"
_HEADER_OPEN = re.compile(r'<header\b[^>]*\bclass="bd-header\b[^"]*"[^>]*>')
HEADER_PRIMARY = re.compile(
    r'\s*<button class="pst-navbar-icon sidebar-toggle primary-toggle" aria-label="[^"]*">\s*'
    r'<span class="fa-solid fa-bars"></span>\s*</button>')
HEADER_SECONDARY = re.compile(
    r'\s*<button class="pst-navbar-icon sidebar-toggle secondary-toggle" aria-label="[^"]*">\s*'
    r'<span class="fa-solid fa-outdent"></span>\s*</button>')
_HEADER_END = "</header>"

# The themes' scripts (under _static/) and the call whose first match this fix relies on.
SCRIPTS = ("scripts/pydata-sphinx-theme.js", "scripts/sphinx-book-theme.js")
_QUERY = re.compile(r'document\.querySelector\(\s*["\']\.primary-toggle["\']\s*\)')
# sphinx-book-theme's stylesheet hides the header's toggles (the reason they are dead).
BOOK_CSS = "styles/sphinx-book-theme.css"
_HIDDEN_RULE = re.compile(r"\.bd-header\s+button\.sidebar-toggle\s*\{\s*display:\s*none")


# The focus goes back to the toggle when its dialog closes, and stays on it when a key
# hid or showed the desktop sidebar (WCAG 2.4.3): sphinx-book-theme blurs the toggle on
# click (to hide its tooltip), so the focus went to <body> and a keyboard reader started
# again from the top of the page.
FOCUS_MARK = "itml-nav-focus"
FOCUS_SCRIPT = """<script id="%s">
document.addEventListener('DOMContentLoaded', function () {
  ['primary', 'secondary'].forEach(function (side) {
    var dialog = document.getElementById('pst-' + side + '-sidebar-modal');
    var toggle = document.querySelector('.' + side + '-toggle');
    if (!dialog || !toggle) { return; }
    var refocus = function () { setTimeout(function () { toggle.focus({preventScroll: true}); }, 0); };
    dialog.addEventListener('close', refocus);
    // On a wide screen the hamburger hides the sidebar in place: a keyboard press
    // (a click with no pointer, detail 0) keeps the focus on it for the next press.
    // (On the document, capturing: the book theme's own handler on the toggle stops the
    // event from reaching later listeners of the toggle.)
    document.addEventListener('click', function (e) {
      if (e.detail === 0 && e.target instanceof Element && e.target.closest('.' + side + '-toggle') === toggle
          && window.matchMedia('(min-width: 992px)').matches) { refocus(); }
    }, true);
  });
});
</script>
""" % FOCUS_MARK


# The theme's toggle of a sidebar entry with children (the itlib reference's pages) is a
# <summary> holding only an icon: no accessible name (axe-core's summary-name).
_TOGGLE = re.compile(r'<summary>(\s*<span class="toctree-toggle" role="presentation">)')
TOGGLE_LABEL = '<summary aria-label="Show or hide the pages under this entry">'


def label_toggles(html: str) -> str:
    """The sidebar's expand/collapse toggles with an accessible name."""
    return _TOGGLE.sub(lambda m: TOGGLE_LABEL + m[1], html)


def fix_page(html: str, page: str = "") -> str:
    """The page without the hidden header toggles.  ``ExtensionError`` if the page has the
    theme's header but not the markup this fix expects (or holds it more than once)."""
    if MARK in html:
        if FOCUS_MARK not in html:
            html = html.replace("</body>", FOCUS_SCRIPT + "</body>", 1)
        return html
    start = _HEADER_OPEN.search(html)
    if start is None:
        return html  # a page without the theme's header (none in this book today)
    end = html.find(_HEADER_END, start.end())
    if end < 0:
        raise ExtensionError(f"nav_fix: {page}: the theme's <header> is not closed")
    header = html[start.start():end]
    header, n_primary = HEADER_PRIMARY.subn("", header)
    header, n_secondary = HEADER_SECONDARY.subn("", header)
    if n_primary != 1 or n_secondary > 1:
        raise ExtensionError(
            f"nav_fix: {page}: expected one hidden hamburger (and at most one 'On this page' "
            f"button) in the theme's header, found {n_primary} and {n_secondary}: the theme's "
            "markup changed; check whether pydata-sphinx-theme issue #2451 is fixed and "
            "update or drop _ext/nav_fix.py")
    if 'class="sidebar-toggle primary-toggle' not in html[end:]:
        raise ExtensionError(
            f"nav_fix: {page}: no visible sidebar toggle (sphinx-book-theme's "
            "'sidebar-toggle primary-toggle' button) after the header: the theme changed")
    html = html[:start.start()] + header + MARK + html[end:]
    if FOCUS_MARK not in html:
        html = html.replace("</body>", FOCUS_SCRIPT + "</body>", 1)
    return html


def check_scripts(static: Path) -> None:
    """``ExtensionError`` unless the themes' scripts still wire the first ``.primary-toggle``
    and the book theme's stylesheet still hides the header's toggles."""
    for rel in SCRIPTS:
        path = static / rel
        if not path.is_file():
            raise ExtensionError(f"nav_fix: the theme script {rel} is missing: the theme changed")
        if not _QUERY.search(path.read_text(encoding="utf8")):
            raise ExtensionError(
                f"nav_fix: {rel} no longer calls document.querySelector(\".primary-toggle\"): "
                "the theme changed; check the sidebar toggles and update _ext/nav_fix.py")
    css = static / BOOK_CSS
    if not css.is_file() or not _HIDDEN_RULE.search(css.read_text(encoding="utf8")):
        raise ExtensionError(
            f"nav_fix: {BOOK_CSS} no longer hides '.bd-header button.sidebar-toggle': "
            "the theme changed; check the sidebar toggles and update _ext/nav_fix.py")


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    # Before lean_styles cuts the stylesheets (it keeps the originals elsewhere).
    check_scripts(outdir / "_static")
    fixed = 0
    for page in outdir.rglob("*.html"):
        rel = page.relative_to(outdir)
        if rel.parts[0] in ("_static", "_sources", "_images"):
            continue
        text = page.read_text(encoding="utf8")
        new = label_toggles(fix_page(text, rel.as_posix()))
        if MARK in new:
            fixed += 1
        if new != text:
            page.write_text(new, encoding="utf8")
    if fixed == 0:
        raise ExtensionError("nav_fix: no page has the theme's header: the theme changed")


def setup(app):
    # Before light_pages (900), fast_pages (950) and lean_styles.
    app.connect("build-finished", _build_finished, priority=800)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
