"""A meta description on every page of the book (a small local Sphinx extension).

A page's description is its opening paragraph (a chapter's overview sentence), shortened
to about 160 characters at a word boundary; a page without a paragraph (the search page,
the index) gets the book's title and the page's.  A page whose front matter sets
``html_meta: {description: ...}`` keeps its own.  tests/site/test_site_pages.py checks
that every built page has a non-empty one.
"""

from __future__ import annotations

import html
import re

from docutils import nodes

MAX_CHARS = 160


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` on one line, cut at the last word boundary before ``limit`` characters
    (with an ellipsis when cut)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _skipped(node: nodes.Node) -> bool:
    """A paragraph inside a code cell's output, an admonition, a table, a figure caption,
    a list or a bibliography is not the page's opening paragraph."""
    parent = node.parent
    while parent is not None:
        classes = parent.get("classes", []) if isinstance(parent, nodes.Element) else []
        if isinstance(parent, (nodes.Admonition, nodes.table, nodes.figure, nodes.caption,
                               nodes.list_item, nodes.citation, nodes.footnote,
                               nodes.field_list, nodes.container)) \
                or any(c.startswith("cell") for c in classes):
            return True
        parent = parent.parent
    return False


# LaTeX in a description reads as plain text: a few symbols, then commands and braces dropped.
_TEX = [(r"\\[,;:!]", " "), (r"\\mid\b", "|"), (r"\\int\b", "∫"), (r"\\sum\b", "Σ"),
        (r"\\mathbb\{E\}", "E"), (r"\\le(q)?\b", "≤"), (r"\\ge(q)?\b", "≥"),
        (r"\\beta\b", "β"), (r"\\mu\b", "μ"), (r"\\sigma\b", "σ"), (r"\\rho\b", "ρ"),
        (r"\\tau\b", "τ"), (r"\\theta\b", "θ"), (r"\\phi\b", "φ"), (r"\\(\|)", "‖"),
        (r"\\[A-Za-z]+", ""), (r"[{}]", "")]


def plain_math(tex: str) -> str:
    """``p(x) = \\int p(z)\\, p(x \\mid z)\\, dz`` -> ``p(x) = ∫ p(z) p(x | z) dz``."""
    for pattern, replacement in _TEX:
        tex = re.sub(pattern, replacement, tex)
    return " ".join(tex.split())


def paragraph_text(para: nodes.paragraph) -> str:
    parts = []
    for node in para.findall(nodes.Text):
        parent = node.parent
        parts.append(plain_math(str(node)) if isinstance(parent, nodes.math) else str(node))
    return " ".join("".join(parts).split())


def opening_paragraph(doctree: nodes.document) -> str:
    for para in doctree.findall(nodes.paragraph):
        if _skipped(para):
            continue
        text = paragraph_text(para)
        if len(text) >= 20:
            return text
    return ""


def add_description(app, pagename, templatename, context, doctree):
    metatags = context.get("metatags", "")
    if re.search(r'<meta\s+[^>]*name="description"', metatags):
        return
    text = opening_paragraph(doctree) if doctree is not None else ""
    if not text:
        title = re.sub(r"<[^>]+>", "", context.get("title") or "")
        text = f"{app.config.html_title}: {html.unescape(title)}".rstrip(": ")
    tag = f'<meta name="description" content="{html.escape(shorten(text), quote=True)}" />'
    context["metatags"] = metatags + "\n    " + tag + "\n"


def setup(app):
    app.connect("html-page-context", add_description)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
