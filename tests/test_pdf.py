"""The PDF of the book (tools/make_pdf.py, ``make pdf``).

The print forms of sliders and quizzes and the link rewriting are tested on small pieces of
HTML.  The PDF itself (built by ``make pdf``, which ``make test`` runs first) is read back
with pypdf and checked against the sources, not against the tool's own lists: the chapter
titles come from the notebooks, the TeX commands to look for from the notebooks' math, the
number of sliders from the built website.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from functools import cache
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_pdf  # noqa: E402

from itlib import quiz as Q  # noqa: E402
from itlib._html import script_json  # noqa: E402

PDF = make_pdf.OUT
SITE = ROOT / "_build" / "html"
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


# --------------------------------------------------------------------------- print forms
SLIDER = """<div class="itlib-slider" id="s1"><div class="itlib-slider-controls">
<label for="s1-range">beta</label><input type="range" id="s1-range" min="0" max="2" value="1">
<output for="s1-range" class="itlib-slider-label">beta = 2.0</output></div>
<img class="itlib-slider-frame" data-index="0" data-src="a.png" hidden>
<img class="itlib-slider-frame" data-index="1" src="b.png" loading="lazy">
<img class="itlib-slider-frame" data-index="2" data-src="c.png" hidden>
<script type="application/json" class="itlib-slider-labels">["beta = 1.0", "beta = 2.0", "beta = 8.0"]</script>
<script>/* binds the slider */</script></div>"""


def _key(entries):
    """A quiz key as itlib writes it: JSON made safe for a script element, texts in HTML."""
    return ('<script type="application/json" class="itlib-quiz-key">'
            + script_json(entries) + "</script>")


QUIZ = """<div class="itlib-quiz"><p class="itlib-quiz-title"><strong>Check</strong></p>
<p class="itlib-quiz-static">This quiz answers once its cell has run.</p>
<fieldset class="itlib-quiz-question" data-kind="num"><legend>1. How many bits?</legend>
<label>Your answer (bits): <input type="text"></label> <button class="itlib-quiz-check">Check</button>
<p class="itlib-quiz-feedback"></p></fieldset>
<fieldset class="itlib-quiz-question" data-kind="mc"><legend>2. Which one?</legend>
<div class="itlib-quiz-options"><button class="itlib-quiz-option" data-index="0">zero</button>
<button class="itlib-quiz-option" data-index="1">one &lt; two</button></div>
<p class="itlib-quiz-feedback"></p></fieldset>""" + _key([
    {"kind": "num", "answer": 0.7219280949, "tol": 0.005, "explanation": "h_b(0.2).",
     "mistakes": []},
    {"kind": "mc", "correct": [False, True], "explanation": "",
     "feedback": ["Not zero.", "One is right, as 1 &lt; 2."]}]) + "</div>"


def _page(body: str) -> str:
    return ('<html><head></head><body><article class="bd-article"><section id="top">'
            f'<h1>1. Title</h1>{body}</section></article></body></html>')


def test_slider_prints_its_initial_frame_with_the_parameters_range(tmp_path):
    soup, article, _ = make_pdf.prepare_article(_page(SLIDER), "chapters/x", 3, {}, tmp_path,
                                                "https://example.org/book/")
    frames = article.find_all("img")
    assert [Path(f["src"]).name for f in frames] == ["b.png"], "only the initial frame stays"
    assert not frames[0].has_attr("loading"), "a lazy image may not load before printing"
    assert article.find("input") is None and article.find("script") is None
    caption = article.find(class_="itml-print-caption").get_text(" ", strip=True)
    assert "printed at beta = 2.0" in caption
    assert "moves beta from beta = 1.0 to beta = 8.0 (3 values)" in caption
    assert "https://example.org/book/chapters/x.html" in caption


def test_quiz_prints_its_questions_and_a_key_at_the_end_of_the_chapter(tmp_path):
    soup, article, _ = make_pdf.prepare_article(
        _page(QUIZ + '<section id="references"><h2>References</h2>'
              '<div class="bibliography">refs</div></section>'),
        "chapters/x", 0, {}, tmp_path, "https://example.org/")
    quiz = article.find(class_="itlib-quiz")
    assert quiz.find("button") is None and quiz.find("script") is None
    assert quiz.find(class_="itlib-quiz-static") is None, "no 'run the cell' note on paper"
    choices = [li.get_text() for li in quiz.find_all("li")]
    assert choices == ["(a) zero", "(b) one < two"]
    key = article.find(class_="itml-quiz-key")
    assert key is not None and key.find_previous_sibling("section")["id"].endswith("references"), \
        "the key comes last in the chapter, after the references"
    answers = [li.get_text(" ", strip=True) for li in key.find_all("li")]
    # 0.7219... with a tolerance of 0.005 is printed to 3 decimals; the mc answer is (b).
    assert answers[0].startswith("How many bits? 0.722.") and "h_b(0.2)" in answers[0]
    assert answers[1].startswith("Which one? (b) one < two") and "1 < 2" in answers[1]


def test_a_quiz_prints_its_math_code_and_quotes_as_the_website_shows_them(tmp_path):
    """An itlib quiz as a chapter writes it: math ($...$, MathML), `code` and quotation
    marks survive in the printed questions, choices and key (not flattened to text)."""
    quiz = Q.Quiz([Q.MultipleChoice("How many typical sequences, of $2^{n}$ in all?", [
        Q.Option("About $2^{nH}$", correct=True, feedback='Yes: "typical" means $p \\approx 2^{-nH}$.'),
        Q.Option("All of them, `n` large", feedback="No: only $2^{nH}$ of them."),
    ], shuffle=False)])
    soup, article, _ = make_pdf.prepare_article(
        _page(quiz._repr_html_() + '<section id="references"><h2>References</h2>'
              '<div class="bibliography">refs</div></section>'),
        "chapters/x", 0, {}, tmp_path, "https://example.org/")
    printed = article.find(class_="itlib-quiz")
    assert printed.find("legend").find("math") is not None, "the question keeps its math"
    choices = printed.find_all("li")
    assert [li.find("math") is not None for li in choices] == [True, False]
    assert choices[1].find("code").get_text() == "n"
    key = article.find(class_="itml-quiz-key").find("li")
    assert len(key.find_all("math")) == 3, "question, choice and feedback keep their math"
    assert '"typical"' in key.get_text(), "a quotation mark in the feedback stays text"
    assert "$" not in article.get_text(), "no TeX source is printed"


def test_a_quiz_whose_key_does_not_match_its_questions_is_an_error(tmp_path):
    broken = QUIZ.replace('<fieldset class="itlib-quiz-question" data-kind="mc">',
                          '<fieldset class="other">')
    with pytest.raises(make_pdf.PdfError, match="2 answers"):
        make_pdf.prepare_article(_page(broken), "chapters/x", 0, {}, tmp_path, "https://e/")


def test_links_stay_inside_the_pdf_when_their_target_is_in_it():
    docs = {"chapters/01_a": 2, "chapters/02_b": 3}
    link = make_pdf._link
    assert link("#eq-1", "chapters/01_a", "d2-", docs, "https://s/") == "#d2-eq-1"
    assert link("02_b.html#kl", "chapters/01_a", "d2-", docs, "https://s/") == "#d3-kl"
    assert link("02_b.html", "chapters/01_a", "d2-", docs, "https://s/") == "#d3"
    assert (link("../reference/ib.html#itlib.ib.ib_curve", "chapters/01_a", "d2-", docs,
                 "https://s/") == "https://s/reference/ib.html#itlib.ib.ib_curve")
    assert link("https://doi.org/x", "chapters/01_a", "d2-", docs, "https://s/") == \
        "https://doi.org/x"
    assert link("#MJX-TEX-N-29", "chapters/01_a", "d2-", docs, "https://s/") == "#MJX-TEX-N-29"


def test_printed_parts_follow_the_table_of_contents():
    docs = [doc for doc, _ in make_pdf.printed_docs()]
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    assert docs[0] == toc["root"]
    assert [d for d in docs if d.startswith("chapters/")] == \
        [f"chapters/{p.stem}" for p in CHAPTERS]
    assert [d for d in docs if d.startswith("exercises/")] == \
        [f"exercises/student/{p.stem}" for p in CHAPTERS]
    assert not any(d.startswith("reference/") for d in docs)


# --------------------------------------------------------------------------- the PDF
@cache
def reader():
    from pypdf import PdfReader

    if not PDF.is_file():
        pytest.fail(f"{PDF.relative_to(ROOT)} is missing: run `make pdf` (make test does)")
    return PdfReader(PDF)


@cache
def page_texts() -> tuple[str, ...]:
    # NFKC: chromium's fonts set ligatures ("ﬁgure" for "figure").
    return tuple(" ".join(unicodedata.normalize("NFKC", p.extract_text()).split())
                 for p in reader().pages)


def _title(nb_path: Path) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^# (.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    raise AssertionError(f"{nb_path.name} has no title")


def _bookmarks():
    """[(depth, title, page)] of the PDF's outline."""
    r, out = reader(), []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, r.get_destination_page_number(item) + 1))
    walk(r.outline, 0)
    return out


def _contents_end() -> int:
    """Index of the first page after the table of contents (where the front matter starts)."""
    return min(page for depth, title, page in _bookmarks() if title == "Front matter") - 1


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


pdf = pytest.mark.slow


@pdf
def test_every_chapter_title_is_in_the_pdf_with_its_number():
    text = "\n".join(page_texts())
    for n, path in enumerate(CHAPTERS, 1):
        assert f"{n}. {_title(path)}" in text, f"chapter {n} ({_title(path)}) is not in the PDF"


@pdf
def test_no_raw_tex_markup_or_html_in_the_text():
    # The TeX commands the chapters' math uses (\frac, \mathbb, \log, ...): none may show.
    commands = set()
    for path in CHAPTERS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                commands |= set(re.findall(r"\\[A-Za-z]{2,}", cell.source))
    assert "\\frac" in commands and len(commands) > 20, "the chapters' math was not found"
    for i, text in enumerate(page_texts(), 1):
        for bad in ["$", "\\(", "\\[", "{cite", "{eq}", "{doc}", "{ref}", "```", ":::",
                    "&lt;", "&gt;", "&amp;", "<div", "<span", "</", "<img"] + sorted(commands):
            assert bad not in text, f"page {i} shows {bad!r}: ...{text[max(0, text.find(bad) - 80):text.find(bad) + 40]}..."


@pdf
def test_enough_pages_and_every_chapter_has_several():
    marks = _bookmarks()
    n_pages = len(reader().pages)
    chapters = [(title, page) for depth, title, page in marks if depth == 1
                and re.match(r"\d+\. ", title)]
    assert len(chapters) == len(CHAPTERS)
    starts = [page for _, page in chapters] + [
        min(page for d, t, page in marks if d == 0 and t == "Exercises")]
    for (title, _), first, after in zip(chapters, starts, starts[1:]):
        assert after - first >= 6, f"{title} has {after - first} pages"
    assert n_pages >= 100, f"the PDF has only {n_pages} pages"


@pdf
def test_bookmarks_point_at_the_pages_that_carry_their_titles():
    marks = _bookmarks()
    tops = [t for d, t, _ in marks if d == 0]
    assert tops == ["Contents", "Front matter", "Chapters", "Exercises"]
    texts = page_texts()
    titles = [_title(p) for p in CHAPTERS]
    chapters = [t for d, t, _ in marks if d == 1 and re.match(r"\d+\. ", t)]
    assert chapters == [f"{n}. {t}" for n, t in enumerate(titles, 1)]
    checked = 0
    for depth, title, page in marks:
        if depth >= 1 and re.fullmatch(r"[\w .,:’'()-]+", title):  # titles without math
            # A one-letter variable of a title ("When Y is a function of X") is math on the
            # page, drawn as SVG, which has no text: leave such letters out.
            bare = re.sub(r"(?<![\w’'])[B-HJ-Z](?![\w’'])", "", title)
            assert _squash(bare) in _squash(texts[page - 1]), \
                f"bookmark {title!r} points at page {page}, which does not show it"
            checked += 1
    assert checked > 60
    sections = [t for d, t, _ in marks if d == 2 and t.startswith("1.")]
    assert len(sections) >= 8, "chapter 1's sections are bookmarked"


@pdf
def test_the_contents_page_numbers_are_the_bookmarks_pages():
    texts = page_texts()
    contents_pages = [t for t in texts[:8] if "Contents" in t and "1. Entropy" in t]
    assert contents_pages, "no table of contents near the front"
    contents = " ".join(texts[1:8])
    for depth, title, page in _bookmarks():
        if depth == 1 and re.match(r"\d+\. ", title):
            assert re.search(re.escape(title) + r"\s*(\S*\s*)?" + str(page) + r"\b", contents), \
                f"the contents do not list {title!r} on page {page}"


@pdf
def test_sliders_and_quizzes_have_their_print_forms():
    text = "\n".join(page_texts())
    n_sliders = sum(len(BeautifulSoup((SITE / f"chapters/{p.stem}.html").read_text(),
                                      "html.parser").select("div.itlib-slider"))
                    for p in CHAPTERS)
    assert n_sliders >= len(CHAPTERS)
    assert text.count("Interactive figure, printed at") == n_sliders
    assert text.count("On the website a slider moves") == n_sliders
    body = "\n".join(page_texts()[_contents_end():])
    assert body.count("Answers to the quiz") == len(CHAPTERS)
    assert "Your answer" not in text, "a quiz's answer box or Check button was printed"


@pdf
def test_front_matter_carries_the_sites_licence_line_and_metadata():
    footer = BeautifulSoup((SITE / "intro.html").read_text(), "html.parser").find(
        "p", class_="copyright").get_text(" ", strip=True)
    footer = " ".join(footer.split())
    assert "CC BY 4.0" in footer and "MIT" in footer
    assert footer in page_texts()[0], "the title page repeats the website footer's licence line"
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    meta = reader().metadata
    assert meta.title == config["title"] and meta.author == config["author"]


# --------------------------------------------------------------------------- equations
# The text area of an A4 page less make_pdf's 16 mm side margins, in CSS px (96 per inch).
TEXT_WIDTH_PX = (210 - 2 * 16) / 25.4 * 96

_EQUATION_EXTENTS = """() => {
  const bad = [], W = document.documentElement.clientWidth;
  const all = document.querySelectorAll('mjx-container[display="true"] > svg');
  all.forEach((svg, i) => {
    const r = svg.getBoundingClientRect();
    const name = (svg.closest('div.math') || {}).id || ('equation ' + (i + 1));
    if (r.left < -0.5 || r.right > W + 0.5) {
      bad.push(`${name}: drawn from ${r.left.toFixed(0)} to ${r.right.toFixed(0)} px, page text is 0-${W}`);
      return;
    }
    for (let a = svg.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a);
      if (o.overflowX !== 'visible' || o.overflowY !== 'visible') {
        const ar = a.getBoundingClientRect();
        if (r.left < ar.left - 0.5 || r.right > ar.right + 0.5) {
          bad.push(`${name}: clipped by ${a.tagName}.${a.className} (${ar.left.toFixed(0)}-${ar.right.toFixed(0)} px)`
                   + ` drawn ${r.left.toFixed(0)}-${r.right.toFixed(0)} px`);
          return;
        }
      }
    }
  });
  return {n: all.length, bad};
}"""


def test_every_display_equation_lies_inside_the_text_area(browser):
    """The printed document (book.html, what make_pdf prints) laid out for print at the
    width of the page's text area: every display equation is drawn inside it and inside
    every box that clips (the PDF lost equations' left-hand sides: issue 26)."""
    book = PDF.with_name("book.html")
    if not book.is_file():
        pytest.fail(f"{book.relative_to(ROOT)} is missing: run `make pdf`")
    ctx = browser.new_context(viewport={"width": round(TEXT_WIDTH_PX), "height": 1000})
    try:
        page = ctx.new_page()
        page.emulate_media(media="print")
        page.goto(book.as_uri(), wait_until="load")
        found = page.evaluate(_EQUATION_EXTENTS)
    finally:
        ctx.close()
    assert found["n"] > 20, f"only {found['n']} display equations in the printed document"
    assert not found["bad"], "equations cut off in the PDF:\n" + "\n".join(found["bad"])
