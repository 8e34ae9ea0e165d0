"""What the browser tests of the built site share: paths, the expected pages, helpers.

The expected lists (which pages hold a slider, a quiz, a figure) are read from the
notebook sources, never from the built site: if a regression removes every slider from
the website, the slider tests still run for the pages whose notebooks call ``it.slider``
and fail there, instead of being skipped for want of parameters.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SITE = ROOT / "_build" / "html"
AXE_JS = ROOT / "_vendor" / "test" / "axe-core" / "axe.min.js"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))


def local_context(browser, base_url: str, **options):
    """A browser context in which nothing but the local site answers: every other request
    is aborted here, never sent to the network (a page's PageLog still records it, and
    the test fails).  ``options`` go to ``browser.new_context`` (viewport, is_mobile)."""
    ctx = browser.new_context(**options)
    ctx.route(re.compile("^(?!" + re.escape(base_url) + ")"), lambda route: route.abort())
    return ctx


def open_page(context, base_url: str, path: str, wait_until: str = "load"):
    """(page, its PageLog): ``path`` of the site opened in a new page of ``context``."""
    from urllib.parse import urljoin

    page = context.new_page()
    log = PageLog(base_url)
    log.attach(page)
    page.goto(urljoin(base_url, path), wait_until=wait_until)
    return page, log


def js(name: str) -> str:
    """The JavaScript of tests/site/js/<name>.js, without its leading comment lines."""
    lines = (HERE / "js" / f"{name}.js").read_text(encoding="utf8").splitlines()
    while lines and lines[0].lstrip().startswith("//"):
        lines.pop(0)
    return "\n".join(lines)


# -- the pages, from the table of contents and the sources --------------------------------
def toc_docs() -> list[str]:
    """Docnames of the table of contents (_toc.yml), in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf8"))
    docs = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                docs.append(str(node["file"]))
            if "glob" in node:
                for path in sorted(ROOT.glob(str(node["glob"]))):
                    if path.suffix in (".md", ".ipynb"):
                        docs.append(path.relative_to(ROOT).with_suffix("").as_posix())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    docs = [re.sub(r"\.(md|ipynb)$", "", d) for d in docs]
    return list(dict.fromkeys(docs))


def source(doc: str) -> Path | None:
    for suffix in (".ipynb", ".md"):
        if (ROOT / (doc + suffix)).is_file():
            return ROOT / (doc + suffix)
    return None


def built(doc: str) -> str:
    path = SITE / (doc + ".html")
    return path.read_text(encoding="utf8") if path.is_file() else ""


def _code_cells(doc: str) -> list[dict]:
    path = source(doc)
    if path is None or path.suffix != ".ipynb":
        return []
    nb = json.loads(path.read_text(encoding="utf8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _has_slider(cell) -> bool:
    return re.search(r"\bslider\(", _text(cell["source"])) is not None


def _is_figure(cell) -> bool:
    mystnb = cell.get("metadata", {}).get("mystnb", {})
    return "image" in mystnb or "figure" in mystnb


def _md_has_figure(doc: str) -> bool:
    path = source(doc)
    if path is None or path.suffix != ".md":
        return False
    return re.search(r"!\[|\{(figure|image)\}|<img\b", path.read_text(encoding="utf8")) is not None


@dataclass(frozen=True)
class QuizQuestion:
    doc: str
    quiz: int         # which quiz of the page (0, 1, ...)
    number: int       # the question's number in that quiz (1, 2, ...)
    text: str

    def __str__(self):
        return f"{self.doc}-quiz{self.quiz}-q{self.number}"


def quiz_questions(doc: str) -> list[QuizQuestion]:
    """The questions of the page's quizzes, from the quiz cells' stored text output.

    A quiz cell is tagged nbval-check-output, so its stored text is the answer key
    ("Quiz: title", then "1. question", ...).  A quiz cell with no stored output gets one
    entry with number 0, which the test reports.
    """
    found = []
    quizzes = [c for c in _code_cells(doc) if re.search(r"\bQuiz\(", _text(c["source"]))]
    for k, cell in enumerate(quizzes):
        texts = [_text(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", [])]
        text = next((t for t in texts if t.startswith("Quiz:")), "")
        numbered = re.findall(r"^(\d+)\. (.*)$", text, re.M)
        if not numbered:
            found.append(QuizQuestion(doc, k, 0, "(no stored output: run tools/store_outputs.py)"))
        found += [QuizQuestion(doc, k, int(n), q) for n, q in numbered]
    return found


DOCS = toc_docs()
NOTEBOOK_DOCS = [d for d in DOCS if (s := source(d)) is not None and s.suffix == ".ipynb"]
CHAPTER_DOCS = [d for d in DOCS if d.startswith("chapters/")]
SLIDER_DOCS = [d for d in DOCS if any(_has_slider(c) for c in _code_cells(d))]
QUIZ_QUESTIONS = [q for d in DOCS for q in quiz_questions(d)]
QUIZ_DOCS = list(dict.fromkeys(q.doc for q in QUIZ_QUESTIONS))
FIGURE_DOCS = [d for d in DOCS if _md_has_figure(d)
               or any(_is_figure(c) or _has_slider(c) for c in _code_cells(d))]


# -- what a page did ----------------------------------------------------------------------
class PageLog:
    """What a page did: its requests and every sign of trouble."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.requests: list[str] = []
        self.problems: list[str] = []

    def external(self) -> list[str]:
        return [u for u in self.requests
                if not (u.startswith(self.base_url) or u.split(":", 1)[0] in ("data", "blob", "about"))]

    def attach(self, page):
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed",
                lambda r: self.problems.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))
        page.on("pageerror", lambda e: self.problems.append(f"uncaught error: {e}"))
        page.on("console", self._console)

    def _console(self, msg):
        if msg.type not in ("error", "assert"):
            return
        self.problems.append(f"console {msg.type}: {msg.text} ({msg.location.get('url')})")


def title_term(doc: str) -> str:
    """The longest word of the page's title: a term the search index must know."""
    m = re.search(r"<h1[^>]*>(.*?)</h1>", built(doc), re.S)
    assert m, f"{doc} has no <h1>"
    text = re.sub(r"<[^>]+>", " ", m.group(1))
    words = re.findall(r"[A-Za-z]{4,}", text)
    assert words, f"no word in the title of {doc}: {text!r}"
    return max(words, key=len).lower()


def search(fresh, doc):
    """Open search.html for a word of ``doc``'s title: (page, log, the hits' hrefs)."""
    term = title_term(doc)
    page, log = fresh(f"search.html?q={term}")
    page.wait_for_selector("#search-results ul.search li a", timeout=15000)
    hits = page.eval_on_selector_all("#search-results ul.search li a",
                                     "as => as.map(a => a.getAttribute('href'))")
    return page, log, hits


def page_problems(page, script: str) -> list[str]:
    """Run js/<script>.js, which returns {description: [instances]}, and list the problems."""
    found = page.evaluate(js(script))
    return [f"{what}: {items}" for what, items in found.items() if items]


def assert_clean(log: PageLog, what: str):
    assert not log.external(), f"{what}: requests leaving the site: {log.external()}"
    assert not log.problems, f"{what}: " + "\n".join(log.problems)
