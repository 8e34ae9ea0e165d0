"""Close height estimates for the sections left to ``content-visibility: auto`` (issue 26).

_ext/light_pages.py gives the sections under a chapter's title ``content-visibility:
auto``: the browser lays a section out only when it comes near the screen, and counts it
meanwhile at its ``contain-intrinsic-block-size``.  With one fixed figure for every
section (1200 px) a chapter was 21 to 63 % short of its real height at load (issue 26)
and the scrollbar jumped as the reader scrolled.  This module estimates each section's real
height from the built HTML, for each layout band of the theme, and writes the estimates
into the section's ``style`` as custom properties::

    <section id="..." style="--itml-h-xs:2310px;--itml-h-sm:..;--itml-h-md:..;--itml-h-lg:..;--itml-h-xl:..">

which light_pages' stylesheet (``STYLE``, below) reads in one ``@media`` band each.  No
browser runs at build time (chromium is a test-only package): the estimate is a small
model of the theme's block layout, run on the built page once its math is typeset:

* text is broken into lines greedily, word by word, at the column's width, with DejaVu
  Sans's advance widths (the font the book's tests see; a reader's system font is usually
  a little narrower, and the estimate errs long for them); inline math counts at its SVG's
  width, in ex;
* display math at its SVG's height (92 % of it on a phone, with the equation number
  under it); code and text outputs at their line count (they scroll, never wrap); figures
  and slider frames at their width and height scaled to the column; collapsed toggles
  (hidden cell inputs) at their summary line; quizzes, admonitions, tables, lists and the
  bibliography by the same rules, with the theme's margins, paddings and line heights;
* a nested section's estimate is part of its parent's.

The constants (the theme's font sizes, line heights, margins, the column's width in each
band) were measured in chromium; ``python benchmarks/section_heights.py`` prints the model
against the real heights of every chapter (``--blocks``: of every paragraph, cell and
equation), and tests/site/test_site_sections.py checks that each chapter's height at load
is within 10 % of its real height at 390, 800 and 1280 px.  An element the model does not
know is counted as a block of text: the estimate degrades, the build never fails on it.
The page is read with Beautiful Soup (beautifulsoup4, which pydata-sphinx-theme requires).
"""

from __future__ import annotations

import hashlib
import html as htmllib
import math
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

__all__ = ["BANDS", "STYLE", "annotate", "estimates", "block_heights"]


@dataclass(frozen=True)
class Band:
    name: str
    min_width: int      # the viewport's, in px (the theme's breakpoints)
    column: float       # the article's text column at the band's typical width, px
    phone: bool         # the phone layout (equation numbers under the equations)


# Measured in chromium: the text column is the viewport less 32 px below 768 px; 768-991 px
# wide, less 64; from 992 px the primary sidebar takes its share and from 1200 px the
# secondary one (the column: 729.6 px at 992, 895 at 1199, 624 at 1200, 688 at 1280,
# 790.4 px at most).  Each band's figure is the column at a typical width: 390, 640, 800,
# 1100 and 1280 px.
BANDS = (
    Band("xs", 0, 358.0, True),
    Band("sm", 576, 608.0, False),
    Band("md", 768, 736.0, False),
    Band("lg", 992, 816.0, False),
    Band("xl", 1200, 688.0, False),
)
FALLBACK = 1200  # px, for a section without an estimate

# The chapter's sections, laid out when near the screen.  Containment (content-visibility)
# keeps the children's margins inside a section; so that the page is as tall with it as
# without, a section always keeps them inside (display: flow-root), its heading's top
# margin moves to the section itself, and its last block has no bottom margin (the
# spacing between sections stays the heading's 2.75rem, as when the margins collapsed).
STYLE = (".bd-article section section {content-visibility: auto; display: flow-root; "
         "contain-intrinsic-block-size: auto var(--itml-h-xs, %dpx); margin-top: 2.75rem}"
         ".bd-article section section > :first-child {margin-top: 0}"
         ".bd-article section section > :last-child {margin-bottom: 0}" % FALLBACK
         + "".join("@media (min-width: %dpx) {.bd-article section section "
                   "{contain-intrinsic-block-size: auto var(--itml-h-%s, %dpx)}}"
                   % (b.min_width, b.name, FALLBACK) for b in BANDS[1:]))

# -- fonts ----------------------------------------------------------------------------------
# DejaVu Sans advance widths of the characters 32-126, in 1/100 em (fontTools, hmtx).
_SANS = [int(w) for w in (
    "32 40 46 84 64 95 78 27 39 39 50 84 32 36 32 34 64 64 64 64 64 64 64 64 64 64 34 34 84 "
    "84 84 53 100 68 69 70 77 63 58 77 75 29 29 66 56 86 75 79 60 79 69 63 61 73 68 99 69 61 "
    "69 39 34 39 84 50 50 61 63 55 63 62 35 63 63 28 28 58 28 97 63 61 63 63 41 52 39 63 59 "
    "82 59 59 52 64 34 64 84").split()]
_OTHER = 0.62       # any other character, em
_BOLD = 1.12        # DejaVu Sans Bold against Book, on average
_MONO = 0.602       # DejaVu Sans Mono, em
_EX = 0.545         # DejaVu Sans's x-height, em: MathJax's SVGs are sized in ex


def _text_width(text: str, size: float, bold: bool = False) -> float:
    em = sum(_SANS[o - 32] / 100 if 32 <= (o := ord(c)) < 127 else _OTHER for c in text)
    return em * size * (_BOLD if bold else 1.0)


# -- the theme's blocks (chromium's computed styles) ----------------------------------------
BODY = 16.0          # px
LINE = 1.65          # the body's line height, of the font size
CODE_LINE = 17.5     # a line of a code cell or a text output (14 px, line height 1.25)
CODE_PAD = 32.0      # a code block's padding, top and bottom together


@dataclass
class Box:
    top: float       # the margins that collapse with the neighbours'
    height: float
    bottom: float
    inner: float = 0.0  # the part of ``bottom`` that comes from the last descendant


@dataclass(frozen=True)
class Ctx:
    width: float
    size: float = BODY
    line: float = BODY * LINE
    phone: bool = False
    bold: bool = False


def _classes(el: Tag) -> set[str]:
    return set(el.get("class") or ())


def _hidden(el: Tag) -> bool:
    style = el.get("style") or ""
    return (el.has_attr("hidden") or "display:none" in style.replace(" ", "")
            or el.name in ("script", "style", "template", "noscript", "mjx-assistive-mml")
            or "itlib-quiz-static" in _classes(el))


_BLOCK_TAGS = {"p", "div", "section", "ul", "ol", "li", "dl", "dt", "dd", "pre", "table",
               "figure", "figcaption", "blockquote", "details", "summary", "h1", "h2", "h3",
               "h4", "h5", "h6", "fieldset", "legend", "form", "hr", "aside", "nav",
               "header", "footer", "caption", "tbody", "thead", "tr"}


def _is_block(el) -> bool:
    if not isinstance(el, Tag) or _hidden(el):
        return False
    if el.name == "mjx-container":
        return el.get("display") == "true"
    if el.name == "img":
        return el.parent is not None and el.parent.name in ("figure", "div", "a")
    if el.name == "a":  # a figure's link to its full-size image
        return "image-reference" in _classes(el)
    return el.name in _BLOCK_TAGS


# -- inline content: greedy line breaking ---------------------------------------------------
def _ex_attr(svg: Tag, name: str) -> float:
    m = re.match(r"([\d.]+)ex", svg.get(name) or "")
    return float(m[1]) if m else 0.0


def _items(el, ctx: Ctx, out: list):
    """Append the inline boxes of ``el`` to ``out``: (width, height, breakable after)."""
    for node in el.children if hasattr(el, "children") else [el]:
        if isinstance(node, NavigableString):
            if type(node).__name__ in ("Comment", "Doctype"):
                continue
            text = str(node)
            words = text.split()
            if text[:1].isspace() and out:
                out[-1][2] = True
            for k, w in enumerate(words):
                out.append([_text_width(w, ctx.size, ctx.bold), 0.0,
                            k < len(words) - 1 or text[-1:].isspace()])
                out[-1][0] += _text_width(" ", ctx.size, ctx.bold) if out[-1][2] else 0
            continue
        if not isinstance(node, Tag) or _hidden(node):
            continue
        cls = _classes(node)
        if node.name == "br":
            out.append([0.0, 0.0, "break"])
        elif node.name == "mjx-container":
            svg = node.find("svg")
            if svg is not None:
                ex = _EX * ctx.size
                out.append([_ex_attr(svg, "width") * ex, _ex_attr(svg, "height") * ex, False])
        elif node.name == "math":  # MathML the browser lays out itself: about its text
            out.append([_text_width(node.get_text(" ", strip=True), ctx.size) * 0.9,
                        ctx.size * 1.2, False])
        elif node.name == "code" or "pre" in cls and node.name == "span":
            size = ctx.size * 0.875
            for k, w in enumerate(node.get_text().split()):
                out.append([len(w) * _MONO * size + (10 if k == 0 else 0), 0.0, True])
        elif node.name in ("button", "input", "select", "textarea"):
            # itlib's quiz: padding .2em .7em, a 1 px border, margin .2em .4em .2em 0
            frame_w, frame_h = 1.8 * ctx.size + 2, 0.8 * ctx.size + 2
            if node.name == "input":
                out.append([8 * ctx.size + frame_w, ctx.line + frame_h, True])
                continue
            inner = Ctx(ctx.width - frame_w, ctx.size, ctx.line, ctx.phone, ctx.bold)
            label: list = []
            _items(node, inner, label)
            width = sum(w for w, _, _ in label)
            if width > inner.width:  # the label wraps inside the button
                out.append([ctx.width, _lines(label, inner) + frame_h, True])
            else:
                out.append([width + frame_w, ctx.line + frame_h, True])
        elif node.name == "img":
            w, h = _img_size(node, ctx.width)
            out.append([w, h, True])
        elif node.name in ("strong", "b", "th"):
            _items(node, Ctx(ctx.width, ctx.size, ctx.line, ctx.phone, True), out)
        elif node.name == "a" and "headerlink" in cls:
            continue
        else:
            _items(node, ctx, out)


def _lines(items: list, ctx: Ctx) -> float:
    """The height of the inline boxes broken into lines of ``ctx.width``."""
    if not items:
        return 0.0
    height, x, tallest = 0.0, 0.0, 0.0
    for w, h, brk in items:
        if brk == "break" or (x > 0 and x + w > ctx.width + 0.5):
            height += max(ctx.line, tallest)
            x, tallest = 0.0, 0.0
            if brk == "break":
                continue
        x += w
        tallest = max(tallest, h + (ctx.line - ctx.size) * 0.5 if h > ctx.size else 0.0)
    if x > 0 or tallest:
        height += max(ctx.line, tallest)
    return height


# -- images ---------------------------------------------------------------------------------
def _img_size(img: Tag, width: float) -> tuple[float, float]:
    """An image's drawn size: its width and height attributes or inline style, scaled
    down to ``width`` (the site's images have max-width: 100%, height: auto)."""
    w = h = None
    style = img.get("style") or ""
    m = re.search(r"width:\s*([\d.]+)px", style)
    n = re.search(r"height:\s*([\d.]+)px", style)
    if m and n:
        w, h = float(m[1]), float(n[1])
    elif img.get("width") and img.get("height"):
        try:
            w, h = float(img["width"]), float(img["height"])
        except ValueError:
            w = h = None
    if not w or not h:
        return width, width * 0.6  # a figure of unknown size: a typical aspect ratio
    scale = min(1.0, width / w)
    return w * scale, h * scale


# -- blocks ---------------------------------------------------------------------------------
def _stack(children: list[Box]) -> Box:
    """Boxes one under the other, adjacent margins collapsed; the first's top margin and
    the last's bottom margin are left to collapse with the parent's."""
    if not children:
        return Box(0.0, 0.0, 0.0)
    height = children[0].height
    for prev, nxt in zip(children, children[1:]):
        height += max(prev.bottom, nxt.top) + nxt.height
    return Box(children[0].top, height, children[-1].bottom, children[-1].bottom)


def _container(el: Tag, ctx: Ctx) -> Box:
    """The blocks of ``el`` stacked; runs of inline content between them are lines."""
    boxes: list[Box] = []
    run: list = []

    def flush():
        if run and any(w for w, _, _ in run):
            boxes.append(Box(0.0, _lines(run, ctx), 0.0))
        run.clear()

    for node in el.children:
        if _is_block(node):
            flush()
            boxes.append(_block(node, ctx))
        else:
            _items(_Single(node), ctx, run)
    flush()
    return _stack(boxes)


class _Single:
    """A stand-in parent with ``node`` as its only child (for _items)."""

    def __init__(self, node):
        self.children = [node]


def _block(el: Tag, ctx: Ctx) -> Box:  # noqa: C901 - one rule per kind of block
    name, cls = el.name, _classes(el)
    phone = ctx.phone
    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        size, line = {"h1": (42, 48.3), "h2": (34, 39.1), "h3": (28, 32.2),
                      "h4": (24, 27.6), "h5": (20, 26.4), "h6": (16, 26.4)}[name]
        run: list = []  # weights 500-600: DejaVu Sans Bold
        _items(el, Ctx(ctx.width, size, line, phone, True), run)
        return Box(44.0 if name != "h1" else 0.0,
                   _lines(run, Ctx(ctx.width, size, line, phone)), 16.8)
    if name == "div" and "math" in cls:
        svg = el.find("svg")
        scale = 0.92 if phone else 1.0
        size = ctx.size * scale
        # the SVG sits on a line of the container's line height; padding .2em below
        h = max(size * LINE, _ex_attr(svg, "height") * _EX * size if svg is not None else 0)
        h += 0.2 * size + 2 * size  # the container's margins, inside the flex box
        if el.find("span", class_="eqno") is not None:
            h = h + ctx.line if phone else max(h, ctx.line)
        return Box(0.0, h, 0.0)
    if name == "mjx-container":
        svg = el.find("svg")
        h = _ex_attr(svg, "height") * _EX * ctx.size if svg is not None else ctx.line
        return Box(ctx.size, h + 0.2 * ctx.size, ctx.size)
    if name == "pre":
        text = el.get_text()
        lines = text.rstrip("\n").count("\n") + 1 if text.strip() else 1
        return Box(0.0, lines * CODE_LINE + CODE_PAD, 0.0)
    if name == "details":
        summary = el.find("summary")
        open_ = el.has_attr("open")
        inner = Ctx(ctx.width - 22.2, ctx.size, ctx.line, phone)
        if not open_:
            h = _container(summary, inner).height if summary is not None else ctx.line
            return Box(25.0, h, 25.0)
        return Box(25.0, _container(el, inner).height, 25.0)
    if name == "summary":
        return Box(0.0, ctx.line, 0.0)
    if name == "p" and "admonition-title" in cls:
        if "collapsed" not in cls and el.parent is not None and el.parent.name == "summary":
            return Box(0.0, 0.0, 0.0)
    if name == "img":
        return Box(0.0, _img_size(el, ctx.width)[1], 0.0)
    if name == "figure":
        inner = Ctx(ctx.width - 16, ctx.size, ctx.line, phone)
        body = _container(el, inner)
        return Box(0.0, body.height + 16, 16.0)
    if name == "figcaption":
        inner = Ctx(ctx.width - 9.6, ctx.size, ctx.line, phone)
        run: list = []
        _items(el, inner, run)
        return Box(4.8, _lines(run, inner) + 9.6, 0.0)
    if name == "div" and "cell_input" in cls:
        return Box(0.0, _container(el, ctx).height + 2, 0.0)
    if name == "div" and "cell_output" in cls:
        body = _container(el, ctx)
        return Box(16.0, body.height, body.bottom, body.bottom)
    if name == "div" and "cell" in cls:
        body = _container(el, ctx)
        return Box(0.0, body.height, max(16.0, body.bottom), body.bottom)
    if name == "div" and "output" in cls:
        body = _container(el, ctx)
        return Box(max(16.0 if "text_html" not in cls else 0.0, body.top), body.height,
                   body.bottom, body.bottom)
    if name == "div" and "itlib-slider-controls" in cls:
        return Box(0.0, ctx.line, 0.0)
    if name == "div" and "itlib-quiz" in cls:
        inner = Ctx(ctx.width - 2 * ctx.size - 2, ctx.size, ctx.line, phone)
        body = _container(el, inner)
        pad = 0.6 * ctx.size
        return Box(ctx.size, body.top + body.height + body.bottom + 2 * pad + 2, ctx.size)
    if name == "fieldset":
        body = _container(el, ctx)
        return Box(max(0.8 * ctx.size, body.top), body.height, max(0.8 * ctx.size, body.bottom))
    if name == "legend":
        inner = Ctx(ctx.width, ctx.size, 1.4 * ctx.size, phone, True)
        run: list = []
        _items(el, inner, run)
        return Box(0.0, _lines(run, inner), 0.3 * ctx.size)
    if name == "p" and "itlib-quiz-title" in cls:
        inner = Ctx(ctx.width, 1.1 * BODY, 1.1 * BODY * LINE, phone, True)
        run: list = []
        _items(el, inner, run)
        return Box(0.2 * inner.size, _lines(run, inner), 0.2 * inner.size)
    if name == "p" and "itlib-quiz-feedback" in cls:
        run: list = []
        _items(el, ctx, run)
        return Box(0.3 * ctx.size, max(1.2 * ctx.size, _lines(run, ctx)), 0.3 * ctx.size)
    if name in ("ul", "ol"):
        inner = Ctx(ctx.width - 32, ctx.size, ctx.line, phone)
        body = _container(el, inner)
        return Box(body.top, body.height, max(16.0, body.bottom), body.bottom)
    if name == "li":
        body = _container(el, ctx)
        return Box(body.top, body.height, body.bottom, body.bottom)
    if name == "div" and "citation" in cls:
        inner = Ctx(ctx.width - 64, ctx.size, ctx.line, phone)
        paras = [c for c in el.children if isinstance(c, Tag) and c.name == "p"]
        h = sum(_container(p, inner).height for p in paras) or ctx.line
        return Box(0.0, h, 0.0)
    if name == "div" and "admonition" in cls or name == "aside":
        inner = Ctx(ctx.width - 2 * 1.4 * ctx.size, ctx.size, ctx.line, phone)
        body = _container(el, inner)
        return Box(1.25 * ctx.size, body.height + 0.4 * ctx.size + 2 * 0.8 * ctx.size + 2,
                   1.25 * ctx.size)
    if name == "table":
        return _table(el, ctx)
    if name == "p" or name in ("dt", "dd", "blockquote", "caption"):
        body = _container(el, ctx)
        if name == "p":
            in_list = el.parent is not None and el.parent.name == "li"
            return Box(0.0, body.height, 4.0 if in_list else 18.4)
        return Box(body.top, body.height, max(body.bottom, 8.0 if name == "dd" else 0.0))
    if name == "hr":
        return Box(16.0, 1.0, 16.0)
    body = _container(el, ctx)
    return body


def _table(el: Tag, ctx: Ctx) -> Box:
    rows = el.find_all("tr")
    if not rows:
        return Box(0.0, 0.0, 16.0)
    cols = max(len(r.find_all(["td", "th"], recursive=False)) for r in rows) or 1
    inner = Ctx(ctx.width / cols - 16, ctx.size, ctx.line, ctx.phone)
    h = 0.0
    for r in rows:
        cells = r.find_all(["td", "th"], recursive=False)
        h += max((_container(c, inner).height for c in cells), default=ctx.line) + 8.8
    return Box(0.0, h, 16.0)


def _section(sec: Tag, ctx: Ctx, out: dict[str, list[float]] | None = None) -> float:
    """A contained section's height: its blocks, with the first one's top margin and the
    last one's bottom margin inside (STYLE sets them to zero)."""
    boxes = []
    for node in sec.children:
        if isinstance(node, Tag) and node.name == "section":
            h = _section(node, ctx, out)
            boxes.append(Box(44.0, h, 0.0))
        elif _is_block(node):
            boxes.append(_block(node, ctx))
    stacked = _stack(boxes)
    last = sec.find_all(recursive=False)[-1:]
    if boxes and last and last[0].name != "section":
        # the last block's own bottom margin is 0 (STYLE); its last descendant's stays
        # inside the section (display: flow-root)
        return stacked.height + boxes[-1].inner
    return stacked.height


# -- the page -------------------------------------------------------------------------------
def _article_sections(soup: BeautifulSoup):
    article = soup.find("article", class_="bd-article")
    if article is None:
        return []
    return [s for s in article.find_all("section") if s.find_parent("section") is not None
            and s.get("id")]


def _article(html: str) -> BeautifulSoup:
    """The page's article, parsed (the rest of the page is not read: parsing it, the
    sidebars and MathJax's glyph definitions, took most of the time)."""
    start, end = html.find("<article"), html.rfind("</article>")
    return BeautifulSoup(html[start:end + 10] if 0 <= start < end else html, "html.parser")


def estimates(html: str) -> dict[str, dict[str, int]]:
    """{section id: {band name: estimated height in px}} for every section the stylesheet
    leaves to content-visibility (a section inside another under the article)."""
    soup = _article(html)
    found = {}
    for sec in _article_sections(soup):
        found[sec["id"]] = {b.name: int(math.ceil(_section(sec, Ctx(b.column, phone=b.phone))))
                            for b in BANDS}
    return found


def block_heights(html: str, viewport: int) -> dict[str, list[tuple[str, float]]]:
    """For benchmarks/section_heights.py: {section id: [(what, modelled height with
    margins)]} for the blocks of each section that are not sections, at ``viewport``."""
    band = [b for b in BANDS if viewport >= b.min_width][-1]
    soup = _article(html)
    ctx = Ctx(band.column, phone=band.phone)
    out = {}
    for sec in _article_sections(soup):
        rows = []
        for node in sec.children:
            if isinstance(node, Tag) and node.name != "section" and _is_block(node):
                b = _block(node, ctx)
                top = b.top if rows else 0.0  # STYLE: the first block's top margin is 0
                last = node is sec.find_all(recursive=False)[-1]  # and the last's bottom
                rows.append((node.get_text(" ", strip=True)[:40],
                             top + b.height + (b.inner if last else b.bottom)))
        out[sec["id"]] = rows
    return out


_SECTION_TAG = re.compile(r'<section\b(?P<attrs>[^>]*)>')
_ID = re.compile(r'\sid="(?P<id>[^"]+)"')
_OLD_STYLE = re.compile(r'\sstyle="--itml-h-[^"]*"')


# Written into a page with its estimates: a page that an earlier build wrote with this
# very model is not estimated again (a warm rebuild reads every page).
_MODEL = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
_STAMP = f"<!-- itml-section-sizes {_MODEL} -->"


def annotate(html: str) -> str:
    """``html`` with every contained section's estimates in its ``style`` (idempotent:
    estimates written by an earlier build, by another model, are replaced)."""
    if _STAMP in html:
        return html
    html = re.sub(r"<!-- itml-section-sizes \w+ -->", "", html)
    found = estimates(html)
    if not found:
        return html

    def tag(m: re.Match) -> str:
        ident = _ID.search(m["attrs"])
        est = found.get(htmllib.unescape(ident["id"])) if ident else None
        if est is None:
            return m[0]
        props = ";".join(f"--itml-h-{b.name}:{est[b.name]}px" for b in BANDS)
        return f'<section{_OLD_STYLE.sub("", m["attrs"])} style="{props}">'

    return _SECTION_TAG.sub(tag, html).replace("</body>", _STAMP + "</body>", 1)
