"""The website as readers get it, tested in a real browser.

`make test` runs these after `make book`: the built site (_build/html) is served by a
local HTTP server on 127.0.0.1 (a random free port) and every page of the table of
contents is opened in Debian's chromium through Playwright (one browser for the session).

Checked on every page: no request leaves 127.0.0.1 (and none fails), no console error,
the math is typeset by the vendored MathJax, every image has a text alternative, and axe-core
(vendored by tools/fetch_assets.sh, injected by this test only) finds no serious or critical
accessibility violation.  Checked where they occur: the static sliders and the quizzes work
with the keyboard, the Binder and Colab buttons point at the page's notebook on the
repository and branch of _config.yml, the download button gives the .ipynb, search finds
each chapter, and figures stay readable in dark mode.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import json
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
AXE_JS = ROOT / "_vendor" / "test" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync",
                 # Pages wait open in the background while others are tested: do not
                 # throttle their timers (axe-core and MathJax run on timers).
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                 "--disable-backgrounding-occluded-windows"]

pytestmark = pytest.mark.skipif(
    not SITE.is_dir(),
    reason="the website is not built (_build/html is missing): run `make book` first",
)

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))


# -- what the site holds, read from the table of contents ---------------------------------
def _toc_docs() -> list[str]:
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


def _source(doc: str) -> Path | None:
    for suffix in (".ipynb", ".md"):
        if (ROOT / (doc + suffix)).is_file():
            return ROOT / (doc + suffix)
    return None


def _built(doc: str) -> str:
    path = SITE / (doc + ".html")
    return path.read_text(encoding="utf8") if path.is_file() else ""


DOCS = _toc_docs()
NOTEBOOK_DOCS = [d for d in DOCS if (s := _source(d)) is not None and s.suffix == ".ipynb"]
CHAPTER_DOCS = [d for d in DOCS if d.startswith("chapters/")]
SLIDER_DOCS = [d for d in DOCS if 'class="itlib-slider"' in _built(d)]
QUIZ_DOCS = [d for d in DOCS if 'class="itlib-quiz"' in _built(d)]
FIGURE_DOCS = [d for d in DOCS if "<img" in _built(d).split('class="bd-article"', 1)[-1]]

# Serious or critical axe findings that come from Jupyter Book's own tooling (the theme,
# docutils, sphinx-togglebutton), not from this book's content, itlib or configuration.
# Each entry: (axe rule, regular expression matched against the node's HTML, why).
# Keep this list short and precise: a violation not matched here fails the test.
AXE_KNOWN = [
    ("label-content-name-mismatch", r'class="[^"]*search-button__button',
     "pydata-sphinx-theme: the search button's aria-label 'Search' omits its "
     "visible text 'Search... Ctrl+K'"),
    ("label-content-name-mismatch", r'class="[^"]*theme-switch-button',
     "pydata-sphinx-theme: the colour-mode button's aria-label omits its icon titles"),
    ("label-content-name-mismatch", r'^<summary aria-label="Toggle hidden content">',
     "sphinx-togglebutton/MyST-NB: a hide-input cell's summary is labelled "
     "'Toggle hidden content' while it shows 'Show code cell source'"),
    ("aria-required-children", r'^<div role="list" class="citation-list">',
     "docutils: the bibliography is role=list around role=doc-biblioentry entries"),
    ("color-contrast", r'^<span class="highlighted">',
     "pydata-sphinx-theme: search-term highlighting in dark mode"),
]


# -- fixtures: server, browser ------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


@pytest.fixture(scope="session")
def base_url():
    """The built site, served on 127.0.0.1 at a free port."""
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        pytest.fail("chromium is not installed: `apt-get install chromium` "
                    "(never `playwright install`, which downloads a browser)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def context(browser, base_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    # Whatever is not the local site is answered here, never by the network; the request
    # is still recorded (and fails the test) by the page's log below.
    ctx.route(re.compile("^(?!" + re.escape(base_url) + ")"), lambda route: route.abort())
    yield ctx
    ctx.close()


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


_WAIT_READY = """async () => {
  const ready = (async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      await MathJax.startup.promise;
    }
    if (document.fonts) { await document.fonts.ready; }
  })();
  const late = new Promise((_, fail) => setTimeout(
      () => fail(new Error('MathJax or the fonts not ready after 60 s')), 60000));
  await Promise.race([ready, late]);
}"""


def _start(context, base_url, path):
    page = context.new_page()
    log = PageLog(base_url)
    log.attach(page)
    page.goto(urljoin(base_url, path), wait_until="commit")
    return page, log


def _ready(page):
    # "load" comes after the deferred MathJax has typeset the page and fetched its fonts.
    page.wait_for_load_state("load")
    page.evaluate(_WAIT_READY)


def _open(context, base_url, path):
    page, log = _start(context, base_url, path)
    _ready(page)
    return page, log


@pytest.fixture(scope="session")
def visit(context, base_url):
    """visit(doc) -> (page, log): every page of the toc, opened once for the session.

    At the first call all pages start loading, so that their typesetting runs in
    parallel, and each starts its axe-core audit in the background as soon as it is ready
    (test_accessibility collects the result).  The tests of a page run in file order:
    read-only checks first, then the sliders and quizzes, which change the page's state.
    """
    cache: dict[str, list] = {}

    def prepare(doc):
        page, log = _start(context, base_url, doc + ".html")
        cache[doc] = [page, log, False]

    def get(doc):
        if not cache:
            for d in DOCS:
                prepare(d)
            for d in DOCS:
                _ready(cache[d][0])
                _start_audit(cache[d][0])
                cache[d][2] = True
        if doc not in cache:
            prepare(doc)
        entry = cache[doc]
        # Only the front page gets animation frames, which Playwright's actions wait for.
        entry[0].bring_to_front()
        if not entry[2]:
            _ready(entry[0])
            _start_audit(entry[0])
            entry[2] = True
        return entry[0], entry[1]

    yield get
    for page, _, _ in cache.values():
        page.close()


@pytest.fixture
def fresh(context, base_url):
    """fresh(path) -> (page, log): a new page (the search page)."""
    opened = []

    def get(path):
        page, log = _open(context, base_url, path)
        opened.append(page)
        return page, log

    yield get
    for page in opened:
        page.close()


def _assert_clean(log: PageLog, what: str):
    assert not log.external(), f"{what}: requests leaving the site: {log.external()}"
    assert not log.problems, f"{what}: " + "\n".join(log.problems)


# -- static checks of the built files -----------------------------------------------------
class _AssetParser(html.parser.HTMLParser):
    """Collects every URL a page would load by itself (not the links a reader follows)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed", "track"):
            if a.get("src"):
                self.urls.append(a["src"])
        if tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower().split()
            if set(rel) & {"stylesheet", "preload", "modulepreload", "prefetch", "icon",
                           "manifest", "preconnect", "dns-prefetch"}:
                self.urls.append(a["href"])
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])
        if tag == "script" and not a.get("src"):
            kind = (a.get("type") or "text/javascript").lower()
            self._in_script = [] if "javascript" in kind or kind == "module" else None

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.inline_scripts.append("".join(self._in_script))
            self._in_script = None


def _is_remote(url: str) -> bool:
    return bool(re.match(r"^\s*(https?:)?//", url, re.I))


def test_toc_pages_are_built():
    missing = [d for d in DOCS if not (SITE / (d + ".html")).is_file()]
    assert not missing, f"pages of _toc.yml missing from _build/html: {missing}"
    assert CHAPTER_DOCS, "the table of contents lists no chapter"


def test_no_third_party_assets_in_built_files():
    """No page, stylesheet or script of the site names a third-party asset to load.

    This also covers what the browser test below cannot see: assets loaded only on a
    click (thebe, a CDN fallback).
    """
    bad = []
    pages = [SITE / (d + ".html") for d in DOCS] + [SITE / "search.html", SITE / "genindex.html"]
    for path in pages:
        if not path.is_file():
            continue  # test_toc_pages_are_built reports it
        parser = _AssetParser()
        parser.feed(path.read_text(encoding="utf8"))
        rel = path.relative_to(SITE)
        bad += [f"{rel}: loads {u}" for u in parser.urls if _is_remote(u)]
        for body in parser.inline_scripts:
            bad += [f"{rel}: inline script names {u}"
                    for u in re.findall(r"""["'`]((?:https?:)?//[^"'`\s]+)""", body)]
    for css in SITE.joinpath("_static").rglob("*.css"):
        text = css.read_text(encoding="utf8", errors="replace")
        for u in re.findall(r"""(?:url\(|@import)\s*["']?([^"')\s]+)""", text):
            if _is_remote(u):
                bad.append(f"{css.relative_to(SITE)}: loads {u}")
    assert not bad, "third-party assets:\n" + "\n".join(bad)
    # The vendored folder is served, not auto-included: one MathJax entry point per page
    # at most (Jupyter Book adds a tag for every .js under _static/, see fetch_assets.sh).
    for path in pages:
        if path.is_file():
            parser = _AssetParser()
            parser.feed(path.read_text(encoding="utf8"))
            mathjax = [u for u in parser.urls if "_static/mathjax/" in u]
            assert len(mathjax) <= 1, f"{path.relative_to(SITE)} loads {mathjax}"
    assert (SITE / "_static" / CONFIG["sphinx"]["config"]["mathjax_path"]).is_file(), \
        "the vendored MathJax is missing from the site: run tools/fetch_assets.sh"
    assert not (SITE / "_static" / "axe-core").exists() and \
        not list(SITE.rglob("axe.min.js")), "axe-core is for the tests only: not shipped"


def test_fetch_assets_is_fast_when_present():
    """tools/fetch_assets.sh (run by `make assets` before every build) fetches nothing twice."""
    start = time.monotonic()
    done = subprocess.run([str(ROOT / "tools" / "fetch_assets.sh")], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    if "fetching" not in done.stdout:  # the assets were present: nothing was fetched
        assert time.monotonic() - start < 5
    again = subprocess.run([str(ROOT / "tools" / "fetch_assets.sh")], capture_output=True,
                           text=True, timeout=60)
    assert again.returncode == 0 and again.stdout == "", again.stdout + again.stderr
    assert AXE_JS.is_file()
    assert (ROOT / "_vendor" / "site" / CONFIG["sphinx"]["config"]["mathjax_path"]).is_file()


# -- every page ---------------------------------------------------------------------------
@pytest.mark.parametrize("doc", DOCS)
def test_page_loads_cleanly(visit, doc):
    """No request leaves 127.0.0.1, none fails, no console error, no uncaught error."""
    page, log = visit(doc)
    assert log.requests, "no request recorded"
    _assert_clean(log, doc)


_MATH_STATE = """() => {
  const math = Array.from(document.querySelectorAll('.bd-article .math'));
  const untypeset = math.filter(m => !m.querySelector('mjx-container'))
                        .map(m => m.textContent.trim().slice(0, 80));
  const skip = 'pre, code, script, style, textarea, mjx-container, .highlight';
  const walker = document.createTreeWalker(document.querySelector('.bd-article') || document.body,
                                           NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip)) { continue; }
    const t = n.textContent;
    if (/\\$\\$|\\\\\\(|\\\\\\)|\\\\\\[|\\\\\\]|\\\\begin\\{/.test(t)) { raw.push(t.trim().slice(0, 80)); }
  }
  return {count: math.length,
          containers: document.querySelectorAll('.bd-article mjx-container').length,
          errors: Array.from(document.querySelectorAll('mjx-merror'))
                       .map(e => e.getAttribute('data-mjx-error') || e.textContent),
          untypeset, raw};
}"""


@pytest.mark.parametrize("doc", DOCS)
def test_math_is_typeset(visit, doc):
    page, _ = visit(doc)
    state = page.evaluate(_MATH_STATE)
    assert not state["raw"], f"raw TeX left in the text of {doc}: {state['raw']}"
    assert not state["untypeset"], f"math not typeset in {doc}: {state['untypeset']}"
    assert not state["errors"], f"MathJax errors in {doc}: {state['errors']}"
    if state["count"]:
        assert state["containers"] >= state["count"]


@pytest.mark.parametrize("doc", DOCS)
def test_images_have_alt_text(visit, doc):
    page, _ = visit(doc)
    missing = page.evaluate("""() => Array.from(document.images)
        .filter(i => !(i.getAttribute('alt') || '').trim())
        .map(i => i.outerHTML.replace(/base64,[^"]*/, 'base64,...').slice(0, 200))""")
    assert not missing, f"images without alt text in {doc}: {missing}"
    broken = page.evaluate("""() => Array.from(document.images)
        .filter(i => i.complete && i.naturalWidth === 0)
        .map(i => (i.getAttribute('src') || '').slice(0, 80))""")
    assert not broken, f"images that do not load in {doc}: {broken}"


# The audit: the whole page in light mode, MathJax's CommonHTML glyphs left out (they are
# aria-hidden; assistive technology reads MathJax's hidden MathML, which is audited); then,
# in dark mode, the contrast of the cell outputs (the book's own HTML: quizzes, sliders).
_AXE_AUDIT = """() => {
  const summary = (r) => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, impact: n.impact}))}));
  window.__itlibAudit = (async () => {
    const light = await axe.run({exclude: [['mjx-container > mjx-math']]},
                                {resultTypes: ['violations']});
    if (!document.querySelector('.bd-article .cell_output')) {
      return {light: summary(light), dark: []};
    }
    const root = document.documentElement, before = root.dataset.theme;
    root.dataset.theme = 'dark';
    try {
      const dark = await axe.run({include: [['.bd-article .cell_output']],
                                  exclude: [['mjx-container > mjx-math']]},
                                 {runOnly: ['color-contrast'], resultTypes: ['violations']});
      return {light: summary(light), dark: summary(dark)};
    } finally {
      root.dataset.theme = before;
    }
  })().catch(e => ({error: String(e)}));
}"""


def _start_audit(page):
    if not AXE_JS.is_file():
        return  # test_accessibility reports it
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf8"))
    page.evaluate(_AXE_AUDIT)


def _serious(violations: list[dict]) -> list[str]:
    found = []
    for v in violations:
        for node in v["nodes"]:
            impact = node["impact"] or v["impact"]
            if impact not in ("serious", "critical"):
                continue
            if any(rule == v["id"] and re.search(rx, node["html"]) for rule, rx, _ in AXE_KNOWN):
                continue
            found.append(f"[{impact}] {v['id']} ({v['help']}): {node['target']}: "
                         f"{node['html'][:160]}")
    return found


@pytest.mark.parametrize("doc", DOCS)
def test_accessibility(visit, doc):
    """axe-core finds no serious or critical violation (light mode; dark-mode contrast)."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS.relative_to(ROOT)} is missing: run tools/fetch_assets.sh")
    page, log = visit(doc)
    result = page.evaluate("""() => Promise.race([window.__itlibAudit, new Promise(
        done => setTimeout(() => done({error: 'no result after 120 s'}), 120000))])""")
    assert "error" not in result, f"axe-core failed on {doc}: {result.get('error')}"
    found = _serious(result["light"]) + [f"dark mode: {f}" for f in _serious(result["dark"])]
    assert not found, f"accessibility violations in {doc}:\n" + "\n".join(found)
    _assert_clean(log, doc)


# -- sliders ------------------------------------------------------------------------------
_SLIDER_STATE = """(root) => {
  const range = root.querySelector('input[type=range]');
  const shown = Array.from(root.querySelectorAll('img.itlib-slider-frame')).filter(
      i => !i.hidden && getComputedStyle(i).display !== 'none');
  return {value: Number(range.value), min: Number(range.min), max: Number(range.max),
          valuetext: range.getAttribute('aria-valuetext'),
          label: root.querySelector('.itlib-slider-label').textContent,
          shown: shown.map(i => ({index: Number(i.dataset.index), src: i.src,
                                  alt: i.alt, width: i.getBoundingClientRect().width,
                                  natural: i.naturalWidth}))};
}"""


@pytest.mark.parametrize("doc", SLIDER_DOCS)
def test_sliders_move_with_the_keyboard(visit, doc):
    page, log = visit(doc)
    sliders = page.locator("div.itlib-slider")
    assert sliders.count() > 0
    for k in range(sliders.count()):
        root = sliders.nth(k)
        root.scroll_into_view_if_needed()
        labels = json.loads(root.locator("script.itlib-slider-labels").text_content())
        before = root.evaluate(_SLIDER_STATE)
        assert len(before["shown"]) == 1, f"slider {k}: {len(before['shown'])} frames shown"
        assert before["label"] == labels[before["value"]]
        key, step = ("ArrowRight", 1) if before["value"] < before["max"] else ("ArrowLeft", -1)
        root.locator("input[type=range]").focus()
        page.keyboard.press(key)
        after = root.evaluate(_SLIDER_STATE)
        assert after["value"] == before["value"] + step, f"slider {k}: {key} did not move it"
        assert len(after["shown"]) == 1, f"slider {k}: {len(after['shown'])} frames shown"
        shown = after["shown"][0]
        assert shown["index"] == after["value"]
        assert shown["src"] != before["shown"][0]["src"], f"slider {k}: the picture did not change"
        assert shown["width"] > 0 and shown["natural"] > 0, f"slider {k}: frame not drawn"
        assert after["label"] == labels[after["value"]] != before["label"], \
            f"slider {k}: the label did not follow ({after['label']!r})"
        assert after["valuetext"] == after["label"]
    _assert_clean(log, doc)


# -- quizzes ------------------------------------------------------------------------------
def _text_of(page, fragment: str) -> str:
    return page.evaluate("(h) => { const d = document.createElement('div'); d.innerHTML = h;"
                         " return d.textContent; }", fragment)


def _feedback(question):
    out = question.locator(".itlib-quiz-feedback")
    return (out.get_attribute("class") or "").split(), out.text_content().strip()


def _far_from(key) -> float:
    """A value far from the answer and from every known mistake."""
    x = key["answer"] + 1000.0 * (1.0 + abs(key["answer"]) + key["tol"])
    while any(abs(x - v) <= key["tol"] for v, _ in key["mistakes"]):
        x += 1000.0
    return x


@pytest.mark.parametrize("doc", QUIZ_DOCS)
def test_quizzes_give_the_right_feedback(visit, doc):
    """Wrong answers get the wrong-answer feedback, right ones the right feedback.

    Multiple choice is answered with the keyboard (Tab to the option, Enter or Space);
    numeric questions by typing, Enter, a click on Check, and Tab + Space on Check.
    """
    page, log = visit(doc)
    quizzes = page.locator("div.itlib-quiz")
    assert quizzes.count() > 0
    for qn in range(quizzes.count()):
        quiz = quizzes.nth(qn)
        keys = json.loads(quiz.locator("script.itlib-quiz-key").text_content())
        questions = quiz.locator("fieldset.itlib-quiz-question")
        assert questions.count() == len(keys), f"quiz {qn}: questions and key disagree"
        for qi, key in enumerate(keys):
            q = questions.nth(qi)
            where = f"quiz {qn} question {qi + 1}"
            q.scroll_into_view_if_needed()
            assert q.get_attribute("data-kind") == key["kind"]
            if key["kind"] == "mc":
                options = q.locator(".itlib-quiz-option")
                assert options.count() == len(key["correct"])
                wrong = [i for i, c in enumerate(key["correct"]) if not c]
                right = [i for i, c in enumerate(key["correct"]) if c]
                assert right, f"{where}: no correct option in the key"
                # Keyboard: focus the first option, Tab to the target, Enter / Space.
                for target, press, ok in ([(wrong[0], "Enter", False)] if wrong else []) + \
                                          [(right[0], "Space", True)]:
                    options.nth(0).focus()
                    for _ in range(target):
                        page.keyboard.press("Tab")
                    assert options.nth(target).evaluate("b => b === document.activeElement"), \
                        f"{where}: Tab did not reach option {target}"
                    page.keyboard.press(press)
                    cls, text = _feedback(q)
                    expected = _text_of(page, key["feedback"][target]).strip()
                    if ok:
                        assert "right" in cls and text.startswith("Correct."), f"{where}: {text!r}"
                    else:
                        assert "wrong" in cls and text.startswith("Not quite"), f"{where}: {text!r}"
                    assert expected in text, f"{where}: feedback {text!r} lacks {expected!r}"
                    assert options.nth(target).get_attribute("aria-pressed") == "true"
            else:
                box = q.locator("input.itlib-quiz-input")
                check = q.locator("button.itlib-quiz-check")
                # A far-off value, typed and sent with Enter.
                box.fill("")
                box.focus()
                page.keyboard.type(f"{_far_from(key):.6g}")
                page.keyboard.press("Enter")
                cls, text = _feedback(q)
                assert "wrong" in cls and text.startswith("Not quite"), f"{where}: {text!r}"
                # A known mistake gets its own hint (mouse: click Check).
                for value, hint in key["mistakes"][:1]:
                    box.fill(repr(value))
                    check.click()
                    cls, text = _feedback(q)
                    assert "wrong" in cls and _text_of(page, hint).strip() in text, \
                        f"{where}: mistake {value}: {text!r}"
                # Not a number.
                box.fill("abc")
                check.click()
                cls, text = _feedback(q)
                assert "wrong" in cls and "number" in text, f"{where}: {text!r}"
                # The answer, then Tab to Check and Space.
                box.fill(repr(key["answer"]))
                box.focus()
                page.keyboard.press("Tab")
                assert check.evaluate("b => b === document.activeElement"), \
                    f"{where}: Tab from the answer box does not reach Check"
                page.keyboard.press("Space")
                cls, text = _feedback(q)
                assert "right" in cls and text.startswith("Correct."), f"{where}: {text!r}"
    _assert_clean(log, doc)


# -- launch and download buttons ----------------------------------------------------------
def _repo():
    repo = CONFIG["repository"]
    url = repo["url"].rstrip("/")
    parts = urlparse(url).path.strip("/").split("/")
    assert urlparse(url).netloc == "github.com" and len(parts) == 2, f"unexpected url {url}"
    book = (repo.get("path_to_book") or "").strip("/")
    return parts[0], parts[1], repo.get("branch", "main"), book


def test_chapters_are_notebooks():
    """Launch and download buttons exist only for notebook pages: chapters must be ones."""
    not_nb = [d for d in CHAPTER_DOCS if d not in NOTEBOOK_DOCS]
    assert not not_nb, f"chapters that are not .ipynb (no launch buttons): {not_nb}"


@pytest.mark.parametrize("doc", NOTEBOOK_DOCS)
def test_launch_buttons_open_this_notebook(visit, doc):
    page, _ = visit(doc)
    org, repo, branch, book = _repo()
    nb_path = "/".join(p for p in (book, doc + ".ipynb") if p)
    assert (ROOT / book / (doc + ".ipynb")).is_file()
    links = page.eval_on_selector_all(".dropdown-launch-buttons a", "as => as.map(a => a.href)")
    launch = CONFIG["launch_buttons"]

    binder_host = urlparse(launch["binderhub_url"]).netloc
    binder = [u for u in links if urlparse(u).netloc == binder_host]
    assert len(binder) == 1, f"{doc}: Binder links {binder} among {links}"
    u = urlparse(binder[0])
    assert u.path == f"/v2/gh/{org}/{repo}/{branch}", f"{doc}: Binder link {binder[0]}"
    urlpath = parse_qs(u.query)["urlpath"][0]
    assert urlpath.endswith("/" + nb_path), f"{doc}: Binder opens {urlpath}, not {nb_path}"

    colab_host = urlparse(launch["colab_url"]).netloc
    colab = [u for u in links if urlparse(u).netloc == colab_host]
    assert len(colab) == 1, f"{doc}: Colab links {colab} among {links}"
    assert urlparse(colab[0]).path == f"/github/{org}/{repo}/blob/{branch}/{nb_path}", \
        f"{doc}: Colab link {colab[0]}"


@pytest.mark.parametrize("doc", NOTEBOOK_DOCS)
def test_download_button_gives_the_notebook(visit, doc):
    page, _ = visit(doc)
    hrefs = page.eval_on_selector_all(
        ".dropdown-download-buttons a", "as => as.map(a => a.href)")
    ipynb = [h for h in hrefs if urlparse(h).path.endswith(".ipynb")]
    assert len(ipynb) == 1, f"{doc}: download links {hrefs}"
    assert urlparse(ipynb[0]).path.endswith("/" + doc + ".ipynb")
    response = page.request.get(ipynb[0])
    assert response.status == 200, f"{ipynb[0]}: HTTP {response.status}"
    nb = json.loads(response.body())
    assert nb.get("nbformat") == 4 and nb.get("cells"), f"{ipynb[0]} is not a notebook"


# -- search -------------------------------------------------------------------------------
def _title_term(doc: str) -> str:
    """The longest word of the page's title: a term the search index must know."""
    m = re.search(r"<h1[^>]*>(.*?)</h1>", _built(doc), re.S)
    assert m, f"{doc} has no <h1>"
    text = re.sub(r"<[^>]+>", " ", m.group(1))
    words = re.findall(r"[A-Za-z]{4,}", text)
    assert words, f"no word in the title of {doc}: {text!r}"
    return max(words, key=len).lower()


@pytest.mark.parametrize("doc", CHAPTER_DOCS)
def test_search_finds_the_chapter(fresh, doc):
    term = _title_term(doc)
    page, log = fresh(f"search.html?q={term}")
    page.wait_for_selector("#search-results ul.search li a", timeout=15000)
    hits = page.eval_on_selector_all("#search-results ul.search li a",
                                     "as => as.map(a => a.getAttribute('href'))")
    assert any(urlparse(h).path.endswith(doc + ".html") for h in hits), \
        f"searching {term!r} does not find {doc}: {hits}"
    _assert_clean(log, f"search.html?q={term}")


def test_search_page_accessibility(fresh):
    """The search page with results: axe-core, light mode and dark-mode contrast."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS.relative_to(ROOT)} is missing: run tools/fetch_assets.sh")
    term = _title_term(CHAPTER_DOCS[0])
    page, log = fresh(f"search.html?q={term}")
    page.wait_for_selector("#search-results ul.search li a", timeout=15000)
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf8"))
    result = page.evaluate("""async () => {
      const summary = (r) => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, impact: n.impact}))}));
      const light = await axe.run(document, {resultTypes: ['violations']});
      document.documentElement.dataset.theme = 'dark';
      const dark = await axe.run({include: [['#search-results']]},
                                 {runOnly: ['color-contrast'], resultTypes: ['violations']});
      return {light: summary(light), dark: summary(dark)};
    }""")
    found = _serious(result["light"]) + [f"dark mode: {f}" for f in _serious(result["dark"])]
    assert not found, "accessibility violations in search.html:\n" + "\n".join(found)
    _assert_clean(log, "search.html")


# -- dark mode ----------------------------------------------------------------------------
_FIGURES_IN_DARK = """async () => {
  const lum = (r, g, b) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const rgba = (css) => { const m = css.match(/[\\d.]+/g) || [0, 0, 0, 0];
                          return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
  const body = rgba(getComputedStyle(document.body).backgroundColor);
  const results = [];
  for (const img of document.querySelectorAll('.bd-article img')) {
    const probe = new Image();
    probe.src = img.src;
    try { await probe.decode(); } catch (e) { results.push({src: img.src.slice(0, 80), error: String(e)}); continue; }
    const w = probe.naturalWidth, h = probe.naturalHeight;
    const canvas = document.createElement('canvas');
    canvas.width = w; canvas.height = h;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(probe, 0, 0);
    const corners = [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]].map(
        ([x, y]) => Array.from(ctx.getImageData(x, y, 1, 1).data));
    const bg = rgba(getComputedStyle(img).backgroundColor);
    results.push({src: img.src.slice(0, 80), alt: img.alt.slice(0, 60),
                  opaqueLight: corners.every(c => c[3] === 255 && lum(c[0], c[1], c[2]) > 200),
                  backgroundLight: bg[3] === 1 && lum(bg[0], bg[1], bg[2]) > 200,
                  corners});
  }
  return {body: lum(body[0], body[1], body[2]), theme: document.documentElement.dataset.theme,
          results};
}"""


@pytest.mark.parametrize("doc", FIGURE_DOCS)
def test_figures_readable_in_dark_mode(visit, doc):
    """In dark mode every figure keeps an opaque light ground (no black-on-black axes)."""
    page, log = visit(doc)
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    try:
        state = page.evaluate(_FIGURES_IN_DARK)
    finally:
        page.evaluate("document.documentElement.dataset.theme = 'light'")
    assert state["theme"] == "dark" and state["body"] < 80, "dark mode did not apply"
    assert state["results"], f"{doc}: no figure found"
    bad = [r for r in state["results"]
           if "error" in r or not (r["opaqueLight"] or r["backgroundLight"])]
    assert not bad, f"{doc}: figures unreadable on a dark page: {bad}"
    _assert_clean(log, doc)
