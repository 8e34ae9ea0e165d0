"""Sphinx extension: the build fails when a rewrite of the theme's HTML silently did nothing
(issue 26, item 7).

_ext/ rewrites markup that Sphinx, MyST-NB and the themes write (itml_a11y, light_pages,
fast_pages, nav_fix, figures), each with a regular expression for the exact markup of
today's versions.  After an upgrade such a pattern may match nothing, and the page simply
keeps what the rewrite was there to remove.  Counting matches per build cannot tell that
from a warm build, where the pages were rewritten by an earlier build and rightly match
nothing; so this audit, run after every other build step, looks at the finished site for
what each rewrite must leave behind, with a *looser* pattern than the rewrite's own (any
attribute order, any spacing), and for the marks the rewrites add:

=====================  ===============================================================
rule                   on the finished site, there must be no
=====================  ===============================================================
a11y-summary           ``<summary ... aria-label="Toggle hidden content">`` (itml_a11y)
a11y-biblioentry       ``role="doc-biblioentry"`` (itml_a11y)
slider-inline-frames   slider frames inline as ``data:`` URLs (light_pages)
widget-state           ipywidgets' ``widget-state+json`` script (light_pages)
icon-script            the Font Awesome ``fontawesome.js`` script (light_pages)
mathjax-tex            TeX left in a ``.math`` element, or MathJax's script (light_pages)
blocking-head-scripts  a ``<script src>`` in ``<head>`` without ``defer``/``async``,
                       but ``documentation_options.js`` (fast_pages)
script-preload         ``<link rel="preload" as="script">`` (fast_pages)
search-scripts         searchtools.js or the search index on a page but search.html
                       (fast_pages)
eager-images           an ``<img>`` in the article without ``loading=`` (not a rewrite:
                       docutils' ``image_loading: lazy`` in docutils.conf, read from
                       the folder the build runs in; the module index's toggle icons,
                       from Sphinx's template, excepted)
nav-header-toggles     the theme header's hidden sidebar toggles (nav_fix)
figure-links           a figure under ``_images/`` that is not a link (figures)
=====================  ===============================================================

and each rewrite's mark must be on every page it applies to (``MARKS``).  A failure names
the rule, the rewrite to look at and up to five pages.  tests/test_rewrite_audit.py feeds
pages with the old markup and sees each rule fail.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.errors import ExtensionError

__all__ = ["setup", "audit", "LEFTOVERS", "MARKS"]

_I = re.I | re.S


def _head(html: str) -> str:
    end = html.find("</head>")
    return html[:end] if end >= 0 else ""


def _article(html: str) -> str:
    start, end = html.find("<article"), html.rfind("</article>")
    return html[start:end] if 0 <= start < end else ""


def _header(html: str) -> str:
    m = re.search(r"<header\b[^>]*\bbd-header\b.*?</header>", html, _I)
    return m[0] if m else ""


def _blocking_head_scripts(html: str, page: str) -> list[str]:
    out = []
    for m in re.finditer(r"<script\b([^>]*)>", _head(html), _I):
        attrs = m[1]
        if re.search(r"\ssrc\s*=", attrs, _I) and not re.search(r"\s(defer|async)\b", attrs, _I) \
                and not re.search(r'type\s*=\s*"module"', attrs, _I) \
                and "documentation_options.js" not in attrs:
            out.append(m[0])
    return out


def _search_scripts(html: str, page: str) -> list[str]:
    if Path(page).name == "search.html" or "search_as_you_type = true" in html:
        return []
    return re.findall(r'<script\b[^>]*src="[^"]*(?:searchtools\.js|searchindex\.js)[^"]*"', html, _I)


def _eager_images(html: str, page: str) -> list[str]:
    return [m[0] for m in re.finditer(r"<img\b[^>]*>", _article(html), _I)
            if not re.search(r"\sloading\s*=", m[0], _I)
            and "itlib-slider-frame" not in m[0]
            and not re.search(r'\sclass="toggler"', m[0], _I)]


def _tex_left(html: str, page: str) -> list[str]:
    out = re.findall(r'<(?:span|div)\b[^>]*class="[^"]*\bmath\b[^"]*"[^>]*>\s*\\[(\[]', html, _I)
    out += re.findall(r'<script\b[^>]*src="[^"]*mathjax/[^"]*"', html, _I)
    return out


def _header_toggles(html: str, page: str) -> list[str]:
    return re.findall(r"<button\b[^>]*\b(?:primary|secondary)-toggle\b[^>]*>", _header(html), _I)


def _unlinked_figures(html: str, page: str) -> list[str]:
    art = _article(html)
    out = []
    for m in re.finditer(r'<img\b[^>]*\bsrc="([^"]*_images/[^"]+)"[^>]*>', art, _I):
        if "itlib-slider-frame" in m[0] or "/slider-" in m[1]:
            continue
        before = art[max(0, m.start() - 300):m.start()]
        if not re.search(r'<a\b[^>]*href="[^"]*"[^>]*>\s*$', before, _I):
            out.append(m[1])
    return out


def _pattern(regex: str, part=lambda h: h):
    compiled = re.compile(regex, _I)
    return lambda html, page: compiled.findall(part(html))


# rule -> (the rewrite to look at, finder(html, page) -> leftovers)
LEFTOVERS = {
    "a11y-summary": ("_ext/itml_a11y.py", _pattern(r'<summary\b[^>]*aria-label="Toggle hidden content"')),
    "a11y-biblioentry": ("_ext/itml_a11y.py", _pattern(r'role\s*=\s*"doc-biblioentry"')),
    "slider-inline-frames": ("_ext/light_pages.py",
                             _pattern(r'<img\b[^>]*itlib-slider-frame[^>]*\bsrc\s*=\s*"data:')),
    "widget-state": ("_ext/light_pages.py", _pattern(r"application/vnd\.jupyter\.widget-state\+json")),
    "icon-script": ("_ext/light_pages.py", _pattern(r'<script\b[^>]*src="[^"]*fontawesome\.js')),
    "mathjax-tex": ("_ext/light_pages.py", _tex_left),
    "blocking-head-scripts": ("_ext/fast_pages.py", _blocking_head_scripts),
    "script-preload": ("_ext/fast_pages.py", _pattern(r'<link\b[^>]*rel="preload"[^>]*as="script"', _head)),
    "search-scripts": ("_ext/fast_pages.py", _search_scripts),
    "eager-images": ("docutils.conf's image_loading; build from the book's folder", _eager_images),
    "nav-header-toggles": ("_ext/nav_fix.py", _header_toggles),
    "figure-links": ("_ext/figures.py", _unlinked_figures),
    "nav-toggle-names": ("_ext/nav_fix.py",
                         _pattern(r'<summary>\s*<span class="toctree-toggle"')),
}

# rule -> (the rewrite, does the page need the mark?, the mark)
MARKS = {
    "nav-fixed": ("_ext/nav_fix.py", lambda h: bool(_header(h)) or "bd-header" in h,
                  "itml: hidden header sidebar toggles removed"),
    "light-pages-style": ("_ext/light_pages.py", lambda h: "<article" in h, 'id="itlib-light-pages"'),
    "math-svg-style": ("_ext/light_pages.py", lambda h: "<mjx-container" in h, 'id="itlib-math-svg"'),
    "early-theme": ("_ext/fast_pages.py", lambda h: "<article" in h, 'id="itlib-early-theme"'),
}


def audit(pages: dict[str, str]) -> list[str]:
    """Problems of the finished pages (name -> html): one line per rule that failed."""
    problems = []
    for rule, (owner, find) in LEFTOVERS.items():
        bad = [(name, found) for name, html in pages.items() if (found := find(html, name))]
        if bad:
            sample = "; ".join(f"{n}: {str(f[0])[:90]}" for n, f in bad[:5])
            problems.append(f"{rule} ({owner}): {len(bad)} page(s) keep what it removes: {sample}")
    for rule, (owner, needs, mark) in MARKS.items():
        bad = [name for name, html in pages.items() if needs(html) and mark not in html]
        if bad:
            problems.append(f"{rule} ({owner}): {len(bad)} page(s) lack its mark {mark!r}: "
                            + ", ".join(bad[:5]))
    return problems


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = {}
    for page in outdir.rglob("*.html"):
        rel = page.relative_to(outdir)
        if rel.parts[0] in ("_static", "_sources", "_images"):
            continue
        pages[rel.as_posix()] = page.read_text(encoding="utf8")
    problems = audit(pages)
    if problems:
        raise ExtensionError(
            "rewrite_audit: a rewrite of _ext/ left its target in the finished site (the "
            "markup it expects changed?):\n  " + "\n  ".join(problems))


def setup(app):
    # After every other build-finished step (lean_styles runs at 960).
    app.connect("build-finished", _build_finished, priority=990)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
