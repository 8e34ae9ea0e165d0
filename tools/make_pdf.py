"""The book as one PDF, printed from the built website by Debian's chromium.

Run after ``make book`` (``make pdf`` does both)::

    python tools/make_pdf.py            # writes _build/pdf/information-theory-for-ml.pdf

What goes in, in the order of ``_toc.yml``: the front matter (the introduction, with the
licence and "How to cite", and the notation page), the six chapters, the student exercise
sheets; each chapter ends with its references.  The itlib reference pages and the status
page stay on the website (the PDF links to them).

**Why chromium and not LaTeX.**  The website is already a finished typesetting of the book:
math is SVG typeset at build time (``_ext/light_pages.py``), figures are PNG, sliders and
quizzes have static HTML forms, and Debian's chromium is installed for the browser tests.
Printing that HTML gives the same book as the website, in a few seconds and with no new system
package.  Sphinx's LaTeX builder would need TeX Live (about 90 Debian packages, several
minutes of CI) and a second rendering of everything the website does (the sliders' and
quizzes' HTML, the SVG math, the notebooks' HTML outputs), which could then drift apart.

**How.**  The article of every page is taken from ``_build/html`` into one HTML document
(``_build/pdf/book.html``) with the site's stylesheets and a print stylesheet:

* ids are made unique per page, and links between pages of the PDF become links inside it;
  links to pages that are not in the PDF go to the website;
* code cells hidden on the website (``hide-input``) show only their outputs, as there;
* **a slider** keeps its initial frame, with a caption that names the parameter, its range
  and the website page where it moves;
* **a quiz** shows its questions (choices lettered), and its answers go to a short key at the
  end of the chapter;
* a title page carries the footer's copyright and licence line, then a table of contents
  with page numbers.

Chromium prints it (Playwright's ``page.pdf``) as a tagged (accessible) PDF.  The document
is printed twice: the first print's tagged headings give the page numbers written into the
table of contents.  Then pypdf adds the bookmarks (part > page > section, with the
website's titles; chromium's own outline garbles titles that wrap or hold math) and sets the PDF's title, author and subject.  ``tests/test_pdf.py`` checks the result.
"""

from __future__ import annotations

import argparse
import html as htmllib
import json
import logging
import math
import re
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import yaml
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from plain_notebooks import site_url  # noqa: E402  (the website's address, from _config.yml)

SITE = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "pdf" / "information-theory-for-ml.pdf"
# The parts of _toc.yml that go into the PDF (by caption); the root page comes first.
PRINTED_PARTS = ("Front matter", "Chapters", "Exercises")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-extensions"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"

PRINT_CSS = """
@page { size: A4; }
html, body { background: #fff !important; color: #000; }
body { font-size: 10.5pt; margin: 0; }
main.itml-print { max-width: none; padding: 0; }
.itml-doc { break-before: page; }
.itml-doc:first-of-type { break-before: auto; }
h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; }
h1 { font-size: 22pt; } h2 { font-size: 16pt; margin-top: 1.2em; } h3 { font-size: 13pt; }
img, figure, svg, .itlib-slider, fieldset, .itml-quiz-key li { break-inside: avoid; }
img { max-width: 100% !important; height: auto !important; }
pre { white-space: pre-wrap !important; word-break: break-word; overflow: visible !important;
      max-height: none !important; }
div.highlight, div.cell_output, div.output { overflow: visible !important;
      max-height: none !important; }
/* A display equation wider than the text column is scaled down to fit it (on the website
   it scrolls): nothing is clipped, its left-hand side included (the theme's div.math clips
   with overflow: hidden, and its row-reverse layout cut the left side). */
div.math { overflow: visible !important; }
div.math > mjx-container[display="true"] { overflow: visible !important; min-width: 0;
      background: none !important; }
mjx-container[display="true"] > svg { max-width: 100% !important; height: auto !important; }
a { color: #1a4d8f; text-decoration: none; }
.itml-title-page { break-after: page; text-align: center; padding-top: 30%; }
.itml-title-page .itml-title { font-size: 28pt; font-weight: 700; margin: 0 0 .4em; }
.itml-title-page .itml-author { font-size: 14pt; margin: 0 0 3em; }
.itml-title-page .itml-small { font-size: 10pt; margin: .3em 0; }
.itml-toc { break-after: page; }
.itml-toc ol { list-style: none; padding-left: 0; }
.itml-toc ol ol { padding-left: 1.6em; }
.itml-toc li { margin: .15em 0; }
.itml-toc a { display: flex; color: #000; }
.itml-toc .itml-toc-title { flex: 0 1 auto; }
.itml-toc .itml-toc-dots { flex: 1 1 auto; border-bottom: 1px dotted #888; margin: 0 .4em .3em; }
.itml-toc .itml-toc-page { flex: 0 0 auto; }
.itml-toc > ol > li { margin-top: .5em; font-weight: 600; }
.itml-toc > ol > li li { font-weight: 400; }
.itml-toc .itml-toc-part { margin-top: 1em; font-weight: 700; text-transform: uppercase;
      font-size: 9pt; letter-spacing: .05em; }
.itml-print-caption { font-size: 9pt; font-style: italic; margin: .2em 0 1em; }
.itlib-quiz { border: 1px solid #888; }
.itml-quiz-choices { list-style: none; padding-left: 1.2em; margin: .2em 0; }
.itml-quiz-blank { display: inline-block; min-width: 8em; border-bottom: 1px solid #000; }
.itml-quiz-key ol { padding-left: 1.4em; }
"""


class PdfError(RuntimeError):
    """The built site lacks something the PDF needs."""


# --------------------------------------------------------------------------- the pages
def printed_docs(root: Path = ROOT) -> list[tuple[str, str]]:
    """(docname, part caption) of the pages in the PDF, in the order of _toc.yml."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    docs = [(toc["root"], "Front matter")]
    for part in toc.get("parts", []):
        if part.get("caption") in PRINTED_PARTS:
            docs += [(entry["file"], part["caption"]) for entry in part.get("chapters", [])]
    return docs


def doc_anchor(index: int) -> str:
    return f"d{index}"


# --------------------------------------------------------------------------- print forms
def print_slider(slider: Tag, soup: BeautifulSoup, page_url: str) -> None:
    """A static slider becomes its initial frame with a caption naming the parameter's range."""
    labels_tag = slider.find("script", class_="itlib-slider-labels")
    if labels_tag is None:
        raise PdfError(f"a slider on {page_url} has no itlib-slider-labels")
    labels = json.loads(labels_tag.string)
    rng = slider.find("input", attrs={"type": "range"})
    current = int(rng["value"]) if rng is not None and rng.has_attr("value") else 0
    name_tag = slider.find("label")
    name = name_tag.get_text(strip=True) if name_tag else "the parameter"
    shown = None
    for img in slider.find_all("img", class_="itlib-slider-frame"):
        if int(img.get("data-index", -1)) == current and img.get("src"):
            shown = img
        else:
            img.decompose()
    if shown is None:
        raise PdfError(f"a slider on {page_url} has no frame for its initial value")
    del shown["loading"]
    for tag in slider.find_all("script") + slider.select(".itlib-slider-controls"):
        tag.decompose()
    caption = soup.new_tag("p", attrs={"class": "itml-print-caption"})
    caption.append(f"Interactive figure, printed at {labels[current]}. On the website a slider "
                   f"moves {name} from {labels[0]} to {labels[-1]} ({len(labels)} values): ")
    link = soup.new_tag("a", href=page_url)
    link.string = page_url
    caption.append(link)
    caption.append(".")
    slider.append(caption)


def _answer_text(key: dict, options: list[str]) -> str:
    """The answer of one question as HTML (``options`` and the key's texts are HTML: they
    may hold ``<code>`` and MathML)."""
    if key["kind"] == "num":
        tol = float(key.get("tol") or 0)
        decimals = max(0, math.ceil(-math.log10(tol))) if tol > 0 else 4
        text = f"{key['answer']:.{decimals}f}"
    elif key["kind"] == "mc":
        right = [i for i, ok in enumerate(key["correct"]) if ok]
        if not right:
            raise PdfError(f"a quiz question has no correct choice: {key}")
        parts = []
        for i in right:
            parts.append(f"({LETTERS[i]}) {options[i]}" if i < len(options) else f"({LETTERS[i]})")
        text = "; ".join(parts)
        feedback = key.get("feedback") or []
        if len(right) == 1 and right[0] < len(feedback) and feedback[right[0]]:
            text += f". {feedback[right[0]]}"
    else:
        raise PdfError(f"a quiz question of unknown kind {key['kind']!r}")
    explanation = key.get("explanation")
    if explanation:
        text = text.rstrip(".") + f". {explanation}"
    return text


def _append_html(tag: Tag, fragment: str) -> None:
    """Append the HTML ``fragment`` (text with ``<code>``, MathML) to ``tag`` as markup."""
    for node in list(BeautifulSoup(fragment, "html.parser").contents):
        tag.append(node.extract())


def print_quiz(quiz: Tag, soup: BeautifulSoup, number: int) -> list[tuple[str, str]]:
    """A quiz becomes a list of questions; returns [(question, answer text)] for the key."""
    key_tag = quiz.find("script", class_="itlib-quiz-key")
    if key_tag is None:
        raise PdfError("a quiz has no itlib-quiz-key")
    # The key is JSON as itlib writes it (itlib._html.script_json); its texts are HTML.
    keys = json.loads(key_tag.string)
    questions = quiz.find_all("fieldset", class_="itlib-quiz-question")
    if len(questions) != len(keys):
        raise PdfError(f"a quiz has {len(questions)} questions but {len(keys)} answers")
    answers = []
    for fieldset, key in zip(questions, keys):
        legend = fieldset.find("legend")
        # Markup kept (code, MathML math), not flattened to text.
        question = legend.decode_contents().strip() if legend else ""
        options = [b.decode_contents().strip()
                   for b in fieldset.find_all("button", class_="itlib-quiz-option")]
        answers.append((question, _answer_text(key, options)))
        for child in list(fieldset.children):
            if child is not legend and isinstance(child, Tag):
                child.decompose()
        if key["kind"] == "mc":
            ul = soup.new_tag("ul", attrs={"class": "itml-quiz-choices"})
            for i, option in enumerate(options):
                li = soup.new_tag("li")
                li.append(f"({LETTERS[i]}) ")
                _append_html(li, option)
                ul.append(li)
            fieldset.append(ul)
        else:
            p = soup.new_tag("p")
            p.append("Answer: ")
            p.append(soup.new_tag("span", attrs={"class": "itml-quiz-blank"}))
            fieldset.append(p)
    for tag in quiz.find_all(["script", "button"]) + quiz.find_all(class_="itlib-quiz-static"):
        tag.decompose()
    note = soup.new_tag("p", attrs={"class": "itml-print-caption"})
    note.string = f"Answers in the key at the end of the chapter (quiz {number})."
    quiz.append(note)
    return answers


def quiz_key(soup: BeautifulSoup, quizzes: list[list[tuple[str, str]]], anchor: str) -> Tag:
    section = soup.new_tag("section", attrs={"class": "itml-quiz-key", "id": anchor})
    title = soup.new_tag("h2")
    title.string = "Answers to the quiz" if len(quizzes) == 1 else "Answers to the quizzes"
    section.append(title)
    for n, answers in enumerate(quizzes, 1):
        if len(quizzes) > 1:
            sub = soup.new_tag("p")
            sub.string = f"Quiz {n}"
            section.append(sub)
        ol = soup.new_tag("ol")
        for question, answer in answers:
            li = soup.new_tag("li")
            em = soup.new_tag("em")
            _append_html(em, re.sub(r"^\d+\.\s*", "", question))
            li.append(em)
            li.append(" ")
            _append_html(li, answer)
            ol.append(li)
        section.append(ol)
    return section


# --------------------------------------------------------------------------- one page
_ID_LISTS = ("aria-labelledby", "aria-describedby", "aria-controls", "aria-owns")


def _local_id(value: str) -> bool:
    return not value.startswith("MJX-")  # MathJax's shared glyph cache keeps its ids


def prepare_article(html: str, doc: str, index: int, docs: dict[str, int], site: Path,
                    base_url: str) -> tuple[BeautifulSoup, Tag, list]:
    """The article of one built page, made ready to stand in the combined document.

    ``docs`` maps the docnames in the PDF to their index.  Returns the page's soup, the
    article (a <section class="itml-doc">) and the MathJax glyph definitions the page uses.
    """
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article", class_="bd-article")
    if article is None:
        raise PdfError(f"{doc}.html has no <article class='bd-article'>: is the site built?")
    prefix = doc_anchor(index) + "-"
    page_url = base_url + doc + ".html"
    page_dir = (site / doc).parent

    # What the website hides or adds for the screen.
    for tag in article.select("details.above-input, a.headerlink, button.copybtn, "
                              "style#itlib-light-pages"):
        tag.decompose()
    # Only real headings are headings: the contents' tags are matched to h1/h2 in order
    # (the introduction's toctree captions carry role="heading").
    for tag in article.find_all(attrs={"role": "heading"}):
        if not re.fullmatch(r"h[1-6]", tag.name):
            del tag["role"]
            if tag.has_attr("aria-level"):
                del tag["aria-level"]
    for details in article.find_all("details"):
        details["open"] = ""
    for tag in article.find_all(attrs={"loading": True}):
        del tag["loading"]

    # Print forms of the interactive parts.
    for slider in article.find_all("div", class_="itlib-slider"):
        print_slider(slider, soup, page_url)
    quizzes = [print_quiz(quiz, soup, n)
               for n, quiz in enumerate(article.find_all("div", class_="itlib-quiz"), 1)]
    if quizzes:  # the key closes the chapter, after its references
        top = article.find("section") or article
        top.append(quiz_key(soup, quizzes, "itml-quiz-key"))

    # Unique ids; links inside the PDF where the target is in it.
    for tag in article.find_all(True):
        if tag.has_attr("id") and _local_id(tag["id"]):
            tag["id"] = prefix + tag["id"]
        if tag.name == "label" and tag.has_attr("for"):
            tag["for"] = prefix + tag["for"]
        for attr in _ID_LISTS:
            if tag.has_attr(attr):
                tag[attr] = " ".join(prefix + v for v in tag[attr].split())
        for attr in ("src", "data-src"):
            if tag.has_attr(attr) and not re.match(r"^[a-z]+:", tag[attr]):
                tag[attr] = (page_dir / tag[attr]).resolve().as_uri()
        if tag.name == "a" and tag.has_attr("href"):
            tag["href"] = _link(tag["href"], doc, prefix, docs, base_url)
    return soup, article, soup.select("#MJX-SVG-global-cache defs > *")


def _link(href: str, doc: str, prefix: str, docs: dict[str, int], base_url: str) -> str:
    if href.startswith("#"):
        return href if not _local_id(href[1:]) else "#" + prefix + href[1:]
    if re.match(r"^[a-z][a-z0-9+.-]*:", href):
        return href
    target = urljoin(f"https://book.invalid/{doc}.html", href)
    path, fragment = urldefrag(target)
    target_doc = path.removeprefix("https://book.invalid/").removesuffix(".html")
    if target_doc in docs:
        index = docs[target_doc]
        return "#" + (f"{doc_anchor(index)}-{fragment}" if fragment else doc_anchor(index))
    return base_url + path.removeprefix("https://book.invalid/") + (
        "#" + fragment if fragment else "")


# --------------------------------------------------------------------------- the document
def headings(article: Tag, index: int) -> tuple[str, list[tuple[str, str]]]:
    """(title, [(section title, anchor)]) of a prepared article, for the contents.

    Each section heading gets a mark of its own to link to: a link to the section's id would
    land on the page where the section's box starts, which can be the page before its heading.
    """
    h1 = article.find("h1")
    if h1 is None:
        raise PdfError(f"page {index} of the PDF has no title (h1)")
    sections = []
    for n, h2 in enumerate(article.find_all("h2")):
        # An inline mark at the start of the heading's text: a block's destination can lie
        # on the page before, where its top margin starts.
        mark = BeautifulSoup("", "html.parser").new_tag(
            "span", attrs={"id": f"{doc_anchor(index)}-h2-{n}", "class": "itml-mark"})
        sections.append((h2.get_text(" ", strip=True), mark["id"]))
        h2.insert(0, mark)
    return h1.get_text(" ", strip=True), sections


def contents(entries: list[dict], pages: dict[str, int] | None) -> str:
    """The table of contents; page numbers from ``pages`` (anchor -> page), or blanks."""
    out, part = ['<nav class="itml-toc" aria-label="Contents"><h1>Contents</h1><ol>'], None

    def item(title, anchor):
        page = str(pages[anchor]) if pages and anchor in pages else "000"
        return (f'<a href="#{anchor}"><span class="itml-toc-title">{htmllib.escape(title)}'
                f'</span><span class="itml-toc-dots"></span>'
                f'<span class="itml-toc-page">{page}</span></a>')

    for entry in entries:
        if entry["part"] != part:
            part = entry["part"]
            out.append(f'<li class="itml-toc-part">{htmllib.escape(part)}</li>')
        out.append("<li>" + item(entry["title"], entry["anchor"]))
        if entry["sections"]:
            out.append("<ol>" + "".join(f"<li>{item(t, a)}</li>" for t, a in entry["sections"])
                       + "</ol>")
        out.append("</li>")
    out.append("</ol></nav>")
    return "".join(out)


def build_document(site: Path = SITE, root: Path = ROOT) -> tuple[str, list[dict]]:
    """The combined HTML (with a contents placeholder) and the contents' entries."""
    docs = printed_docs(root)
    index_of = {doc: i for i, (doc, _) in enumerate(docs)}
    cfg = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    base_url = site_url(cfg)
    glyphs, seen, bodies, entries, head, styles = [], set(), [], [], None, {}
    for i, (doc, part) in enumerate(docs):
        path = site / f"{doc}.html"
        if not path.is_file():
            raise PdfError(f"{path} is missing: build the book first (make book)")
        soup, article, defs = prepare_article(path.read_text(encoding="utf-8"), doc, i,
                                              index_of, site, base_url)
        if head is None:
            head = soup.head
        for style in soup.head.find_all("style"):  # e.g. the math's, only on pages with math
            if style.get("id") != "itlib-light-pages":
                styles.setdefault(style.get_text(), str(style))
        for d in defs:
            if d.get("id") not in seen:
                seen.add(d.get("id"))
                glyphs.append(str(d))
        title, sections = headings(article, i)
        entries.append({"doc": doc, "part": part, "title": title, "anchor": doc_anchor(i),
                        "sections": sections})
        bodies.append(f'<section class="itml-doc" id="{doc_anchor(i)}">'
                      f'{article.decode_contents()}</section>')
    links = []
    for link in head.find_all("link", rel="stylesheet"):  # the root page's, relative to site/
        href = link["href"].split("?")[0]
        links.append(f'<link rel="stylesheet" href="{(site / href).resolve().as_uri()}">')
    footer = _footer_line(site)
    title_page = (
        '<section class="itml-title-page">'
        f'<p class="itml-title">{htmllib.escape(cfg["title"])}</p>'
        f'<p class="itml-author">{htmllib.escape(cfg["author"])}</p>'
        f'<p class="itml-small">{htmllib.escape(footer)}</p>'
        f'<p class="itml-small">The website, with live sliders and quizzes: '
        f'<a href="{base_url}">{base_url}</a></p>'
        f'<p class="itml-small">Printed {time.strftime("%Y-%m-%d")} from the website\'s build.</p>'
        '</section>')
    document = (
        '<!DOCTYPE html><html lang="en" data-theme="light" data-mode="light"><head>'
        f'<meta charset="utf-8"><title>{htmllib.escape(cfg["title"])}</title>'
        + "".join(links) + "".join(styles.values()) + f"<style>{PRINT_CSS}</style></head><body>"
        '<svg id="MJX-SVG-global-cache" style="display: none" aria-hidden="true" '
        'xmlns="http://www.w3.org/2000/svg"><defs>' + "".join(glyphs) + "</defs></svg>"
        '<main class="itml-print">' + title_page + "@@CONTENTS@@" + "".join(bodies)
        + "</main></body></html>")
    return document, entries


def _footer_line(site: Path) -> str:
    """The website footer's copyright and licence line, as the pages show it."""
    soup = BeautifulSoup((site / "intro.html").read_text(encoding="utf-8"), "html.parser")
    line = soup.find("p", class_="copyright")
    if line is None:
        raise PdfError("intro.html has no copyright line in its footer")
    return " ".join(line.get_text(" ", strip=True).split())


# --------------------------------------------------------------------------- printing
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#444;">'
          '<span class="pageNumber"></span></div>')


def print_pdf(page, html_path: Path, pdf_path: Path) -> None:
    page.goto(html_path.as_uri(), wait_until="load")
    page.pdf(path=str(pdf_path), format="A4", print_background=True,
             tagged=True, display_header_footer=True, header_template="<span></span>",
             footer_template=FOOTER,
             margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})


def _heading_pages(reader) -> list[tuple[str, int]]:
    """[(level "/H1" or "/H2", page)] of the tagged PDF's headings, in document order.

    A heading's page is the last page that holds any of its marked content: chromium tags
    an empty fragment at the foot of the previous page when it moves a heading to the next
    one (and its named destinations point there too), so the last page is where the text is.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    page_no = {p.indirect_reference.idnum: i + 1 for i, p in enumerate(reader.pages)}
    found = []

    def kids(el):
        k = el.get("/K")
        return [] if k is None else list(k) if isinstance(k, ArrayObject) else [k]

    def pages_of(el, inherited):
        own = page_no[el.raw_get("/Pg").idnum] if "/Pg" in el else inherited
        out = []
        for kid in kids(el):
            kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(kid, DictionaryObject):
                if kid.get("/Type") == "/MCR":
                    out.append(page_no[kid.raw_get("/Pg").idnum] if "/Pg" in kid else own)
                elif kid.get("/Type") != "/OBJR":
                    out += pages_of(kid, own)
            elif own is not None:  # a marked-content id on this element's page
                out.append(own)
        return out

    def walk(el):
        el = el.get_object()
        if el.get("/S") in ("/H1", "/H2"):
            pages = pages_of(el, None)
            found.append((str(el["/S"]), max(pages) if pages else None))
        for kid in kids(el):
            kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(kid, DictionaryObject) and "/S" in kid:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def anchor_pages(pdf_path: Path, entries: list[dict]) -> dict[str, int]:
    """anchor -> 1-based page number of every title and section in the contents.

    Read from the tagged PDF's structure tree: its headings come in document order, the
    contents' own title first, then each page's title (h1) and sections (h2).
    """
    from pypdf import PdfReader

    found = _heading_pages(PdfReader(pdf_path))
    wanted = [("/H1", "contents")]
    for e in entries:
        wanted += [("/H1", e["anchor"])] + [("/H2", anchor) for _, anchor in e["sections"]]
    if [level for level, _ in found] != [level for level, _ in wanted]:
        raise PdfError(f"the printed PDF has {len(found)} tagged headings where the document "
                       f"has {len(wanted)}: cannot tell their pages")
    if any(page is None for _, page in found):
        raise PdfError("a tagged heading of the printed PDF has no page")
    return {anchor: page for (_, anchor), (_, page) in zip(wanted, found)}


def add_bookmarks(writer, entries: list[dict], pages: dict[str, int]) -> None:
    """Bookmarks: part > page > section, titled as the website titles them."""
    writer.add_outline_item(title="Contents", page_number=1)
    part, parent = None, None
    for e in entries:
        if e["part"] != part:
            part = e["part"]
            parent = writer.add_outline_item(title=part, page_number=pages[e["anchor"]] - 1)
        page = writer.add_outline_item(title=e["title"], page_number=pages[e["anchor"]] - 1,
                                       parent=parent)
        for title, anchor in e["sections"]:
            writer.add_outline_item(title=title, page_number=pages[anchor] - 1, parent=page)


def make_pdf(site: Path = SITE, out: Path = OUT, chromium: str | None = None) -> Path:
    # chromium's PDFs have one more object than their trailer says; pypdf reads them fine
    # and would log it on every read.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    from playwright.sync_api import sync_playwright
    from pypdf import PdfWriter

    chromium = chromium or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        raise PdfError("chromium is not installed (Debian package chromium; `make pdf` "
                       "installs it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    document, entries = build_document(site)
    html_path = out.with_name("book.html")
    draft = out.with_name("draft.pdf")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            html_path.write_text(document.replace("@@CONTENTS@@", contents(entries, None)),
                                 encoding="utf-8")
            print_pdf(page, html_path, draft)
            pages = anchor_pages(draft, entries)
            html_path.write_text(document.replace("@@CONTENTS@@", contents(entries, pages)),
                                 encoding="utf-8")
            print_pdf(page, html_path, draft)
            if anchor_pages(draft, entries) != pages:  # the contents' length did not change
                raise PdfError("the contents' page numbers moved between the two prints")
        finally:
            browser.close()
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    writer = PdfWriter(clone_from=draft)
    add_bookmarks(writer, entries, pages)
    writer.add_metadata({"/Title": cfg["title"], "/Author": cfg["author"],
                         "/Subject": _footer_line(site)})
    with open(out, "wb") as fh:
        writer.write(fh)
    draft.unlink()
    # The website's sidebar links to the PDF at its root (_ext/itml_a11y/templates).
    if site.is_dir():
        shutil.copyfile(out, site / out.name)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built website")
    parser.add_argument("--out", type=Path, default=OUT, help="the PDF to write")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        out = make_pdf(args.site, args.out)
    except PdfError as err:
        print(f"make_pdf: {err}", file=sys.stderr)
        return 1
    from pypdf import PdfReader
    n = len(PdfReader(out).pages)
    print(f"make_pdf: wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} "
          f"({n} pages, {out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
