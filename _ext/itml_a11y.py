"""Accessibility fixes for what Jupyter Book's tooling writes (a small local Sphinx extension).

axe-core (tests/site/test_site_accessibility.py) and Lighthouse flag, in HTML this book
does not write itself:

- pydata-sphinx-theme's search and colour-mode buttons (label-content-name-mismatch):
  overridden templates in ``itml_a11y/templates/components/``;
- MyST-NB's hide-input toggles, ``<summary aria-label="Toggle hidden content">`` around
  the visible "Show code cell source" (label-content-name-mismatch): the aria-label is
  dropped, so the visible text names the control;
- docutils' citation list, ``role="list"`` around ``role="doc-biblioentry"`` entries
  (aria-required-children; doc-biblioentry is also deprecated in DPUB-ARIA 1.1,
  aria-deprecated-role): the entries become ``role="listitem"``;
- the theme's search highlights in dark mode (color-contrast): ``itml-a11y.css``.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent / "itml_a11y"

# (pattern, replacement) applied to each page's body
BODY_FIXES = [
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    (re.compile(r'(<div class="citation" id="[^"]*") role="doc-biblioentry"'),
     r'\1 role="listitem"'),
]


def fix_body(body: str) -> str:
    for pattern, replacement in BODY_FIXES:
        body = pattern.sub(replacement, body)
    return body


def _page_context(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = fix_body(context["body"])


def _config_inited(app, config):
    config.templates_path = [str(HERE / "templates"), *config.templates_path]
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _page_context)
    app.add_css_file("itml-a11y.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
