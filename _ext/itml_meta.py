"""Each page's description, which sphinxext-opengraph then publishes (a small local Sphinx
extension).

sphinxext-opengraph (``sphinxext.opengraph`` in _config.yml) writes the Open Graph tags of
every page: og:title, og:type, og:url, og:site_name and og:description.  Its own
description of a page is the page's text from the top, cut at a fixed length, and on this
book's pages that read badly (seen on the built site, sphinxext-opengraph 0.13.0): TeX
source (chapter 4: ``p(x) = \\int p(z)\\, p(x \\mid z)\\, dz``), a table's cells joined by
commas (notation: ``Variables:,, Symbol, Meaning,,, X, the input``), no space before an
inline formula (``pair(X, Y)``) and a cut in the middle of a word.  This extension keeps
the one job it does better, the text:

* a page's description is its opening paragraph (a chapter's overview sentence), its
  math read as plain text (``\\int`` as ∫, ``\\mid`` as |), shortened to at most 160
  characters at a word boundary;
* it is written as the page's ``<meta name="description">`` and handed to
  sphinxext-opengraph as the page's ``og:description`` field, so both say the same (this
  handler runs before sphinxext-opengraph's; ``ogp_enable_meta_description`` is off);
* a page without a paragraph or without a doctree (the search page, the index, which get
  no Open Graph tags) gets the book's title and the page's;
* a page whose front matter sets ``html_meta: {description: ...}`` keeps its own (and
  it is the og:description too, unless the front matter sets ``og:description``).

tests/site/test_site_meta.py checks the descriptions and the Open Graph tags on the built
site.
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
    own = re.search(r'<meta\s[^>]*name="description"[^>]*>', metatags)
    if own:
        content = re.search(r'\scontent="([^"]*)"', own[0])
        text = html.unescape(content[1]) if content else ""
    else:
        text = opening_paragraph(doctree) if doctree is not None else ""
        if not text:
            title = re.sub(r"<[^>]+>", "", context.get("title") or "")
            text = f"{app.config.html_title}: {html.unescape(title)}".rstrip(": ")
        text = shorten(text)
        tag = f'<meta name="description" content="{html.escape(text, quote=True)}" />'
        context["metatags"] = metatags + "\n    " + tag + "\n"
    # A page's "og:*" fields replace sphinxext-opengraph's own tags; one the page sets
    # itself wins.  A new dict: the page's is the environment's metadata.  The field is
    # written as it is, so it is escaped here, as sphinxext-opengraph escapes its own.
    context["meta"] = {"og:description": html.escape(text, quote=True),
                       **(context.get("meta") or {})}


def setup(app):
    app.setup_extension("sphinxext.opengraph")
    # Before sphinxext-opengraph's handler (priority 500), which reads the page's fields.
    app.connect("html-page-context", add_description, priority=400)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
