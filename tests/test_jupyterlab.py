r"""The chapters in a real JupyterLab, the way a Binder reader sees and runs them (issues 16, 32).

The tests start ``jupyter lab`` on 127.0.0.1 (a free port, a token) with the test
environment's JupyterLab, as Binder has it: plain JupyterLab, whose own Markdown renderer
typesets the math with MathJax.  Binder no longer installs jupyterlab-myst (issue 32: it
numbered every display equation a second time, "(1.1) (1)", and JupyterLab 4.6 reports it
incompatible), so the extension is disabled here where the test environment still has it.
They open the copies the website's Binder button opens (the plain copies under ``colab/``,
see _ext/plain_notebook_links.py) in Debian's chromium.

``test_equation_numbers`` opens every chapter's copy and reads each display equation as
typeset: it shows exactly one number, the ``\tag`` that the website gives it and the prose
cites, or none when the website numbers none.

``test_chapter_runs_in_jupyterlab`` runs a chapter as a student does: the "Run" menu,
"Run All Cells".  ``make test`` runs chapter 1 (about a minute); ``make binder-chapters``
runs all six (ITML_JUPYTERLAB_CHAPTERS=all, several minutes).  It then checks what the
reader sees:

- every code cell ran (each has an execution count) and none printed an error or anything
  on stderr, and no widget failed to display;
- each cell that builds a slider shows an ipywidgets slider (chapter 1 must have one), and
  the first one is live: the right arrow key moves it and its picture changes (through the
  kernel);
- every Markdown cell was rendered, and no MyST role (``{cite}``, ``{eq}``, ``{doc}``,
  ``{py:func}``...) is left as raw text: a citation reads as on the website, with its
  authors' surname and year (taken here from references.bib with pybtex), never its
  BibTeX key;
- the kernel is this environment's Python, with ITLIB_PROGRESS=0 and OMP_NUM_THREADS=1
  (set here as the Makefile sets them).

Nothing of $HOME is read or written: Jupyter's config, data, runtime, settings and
workspace folders are temporary, and the chapter is run from a temporary copy (autosave
would otherwise write outputs into chapters/).  No network: the news feed, the update
check and the extension manager's PyPI look-up are off, nbgrader's extensions (instructor
tooling, absent on Binder) are disabled, and the browser may reach nothing but the server.
The server is always shut down, kernels with it.  Two to three minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
#: The plain copies that the Binder button opens, one per chapter.
COPIES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "colab" / "chapters").glob("*.ipynb"))
#: The lightest chapter with a citation and a slider (about 15 s of execution): the one
#: ``make test`` runs; ITML_JUPYTERLAB_CHAPTERS=all (``make binder-chapters``) runs all.
CHAPTER = "colab/chapters/01_entropy.ipynb"
RUN = COPIES if os.environ.get("ITML_JUPYTERLAB_CHAPTERS") == "all" else [CHAPTER]
#: Lab extensions the test environment has and Binder does not: disabled in the test's lab.
#: jupyterlab-myst: dropped from Binder (issue 32); nbgrader: instructor tooling.
NOT_ON_BINDER = {"jupyterlab-myst": True, "@jupyter/nbgrader": True}
NBGRADER_SERVER_EXTENSIONS = ["nbgrader.server_extensions.formgrader",
                              "nbgrader.server_extensions.assignment_list",
                              "nbgrader.server_extensions.course_list",
                              "nbgrader.server_extensions.validate_assignment"]
RUN_TIMEOUT_S = 180  # the chapter runs in 10-30 s; a loaded machine may take several times that
#: A MyST role left as text: {cite}`...`, {eq}`...`, {py:func}`...` and the like.
ROLE = re.compile(r"\{[a-z][a-z0-9:_-]*\}`")

#: After "Run All Cells" (once some cell shows "[*]"): done when no cell is waiting or
#: running any more and the kernel is idle.  An error stops the run early.
WAIT_DONE_JS = r"""() => {
  const bar = document.querySelector('#jp-main-statusbar');
  const idle = bar !== null && /\|\s*Idle/.test(bar.innerText);
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
  return idle && !prompts.some(p => p.textContent.trim() === '[*]:');
}"""
STARTED_JS = r"""() => [...document.querySelectorAll(
    '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')].some(p => p.textContent.trim() === '[*]:')"""

#: Every code cell shows an execution count, on its input or (input hidden) on its output.
ALL_COUNTED_JS = r"""() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].every(cell =>
    [...cell.querySelectorAll('.jp-InputArea-prompt, .jp-OutputArea-prompt')]
        .some(p => /^\[\d+\]:$/.test(p.textContent.trim())))"""

#: What the reader sees, read from the page once the run is over.
READ_PAGE_JS = r"""() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Notebook-cell')];
  return cells.map(cell => {
    const kind = cell.classList.contains('jp-CodeCell') ? 'code'
      : cell.classList.contains('jp-MarkdownCell') ? 'markdown' : 'raw';
    const prompt = cell.querySelector('.jp-InputArea-prompt');
    const myst = cell.querySelector('.jp-Cell-inputWrapper .myst');
    const rendered = cell.querySelector('.jp-Cell-inputWrapper .jp-RenderedMarkdown');
    // textContent, not innerText: the cells out of view are not laid out (content-visibility).
    const text = el => (el ? el.textContent : null);
    return {
      kind,
      // A quiz cell's input is hidden (source_hidden): its count shows on its output.
      prompt: (prompt && prompt.textContent.trim()) || [...cell.querySelectorAll(
          '.jp-OutputArea-prompt')].map(p => p.textContent.trim()).find(t => t) || '',
      myst: text(myst),
      // Citations as jupyterlab-myst renders them: a span with the cited text.
      cites: myst ? [...myst.querySelectorAll('cite, [title="Citation Not Found"], .cite')]
                      .map(e => e.textContent.trim()) : [],
      markdown: text(rendered),
      stderr: [...cell.querySelectorAll(
          '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
          .map(e => e.textContent),
      outputs: [...cell.querySelectorAll('.jp-OutputArea-output')].map(e => e.textContent),
      sliders: cell.querySelectorAll('.jp-OutputArea-output .widget-slider').length,
    };
  });
}"""


def _surname_and_year(key: str) -> tuple[str, str]:
    """The first author's surname and the year of a references.bib entry (pybtex)."""
    from pybtex.database import parse_file

    entries = parse_file(str(ROOT / "references.bib")).entries
    # A chapter cites with its key prefix (c1-shannon1948 for shannon1948; :keyprefix:).
    entry = entries[key] if key in entries else entries[re.sub(r"^c\d+-", "", key)]
    person = entry.persons["author"][0]
    return " ".join(person.last_names), entry.fields["year"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf8")


def _source_of(copy: str) -> str:
    """colab/chapters/01_entropy.ipynb -> chapters/01_entropy.ipynb"""
    return copy.removeprefix("colab/")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1: (base URL, token, runtime dir, notebooks folder).

    The folder is a copy of colab/ (autosave would otherwise write outputs into it)."""
    tmp_path = tmp_path_factory.mktemp("lab")
    home = tmp_path / "jupyter"
    config, runtime, settings = home / "config", home / "runtime", home / "settings"
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "colab", notebooks / "colab")
    # No news feed, no update check (the browser side of both).
    _write_json(settings / "@jupyterlab" / "apputils-extension" /
                "notification.jupyterlab-settings",
                {"fetchNews": "false", "checkForUpdates": False})
    # What Binder does not have stays off: nbgrader (instructor tooling), jupyterlab-myst.
    _write_json(config / "labconfig" / "page_config.json",
                {"disabledExtensions": NOT_ON_BINDER})
    _write_json(config / "jupyter_server_config.json",
                {"ServerApp": {"jpserver_extensions":
                               {name: False for name in NBGRADER_SERVER_EXTENSIONS}}})
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(runtime), JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               IPYTHONDIR=str(home / "ipython"), MPLCONFIGDIR=str(home / "matplotlib"),
               ITLIB_PROGRESS="0", OMP_NUM_THREADS="1",
               # The kernel's "python" is resolved to this interpreter by jupyter_client.
               PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    port, token = _free_port(), secrets.token_hex(16)
    log_path = tmp_path / "jupyterlab.log"
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
           "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={notebooks}",
           "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly"]
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w", encoding="utf8") as log:
        server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  cwd=notebooks)
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                pytest.fail(f"jupyter lab exited with {server.returncode} before answering:\n"
                            + log_path.read_text(encoding="utf8")[-3000:])
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("jupyter lab did not answer within 90 s:\n"
                                + log_path.read_text(encoding="utf8")[-3000:])
                time.sleep(0.5)
        yield base, token, runtime, notebooks
    finally:
        # SIGTERM: the server shuts its kernels down before it exits.
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _kernel_prefix(runtime: Path) -> str:
    """sys.prefix of the one kernel the server started, asked through its connection file."""
    from jupyter_client import BlockingKernelClient

    files = sorted(runtime.glob("kernel-*.json"))
    assert len(files) == 1, f"expected one running kernel, found connection files {files}"
    client = BlockingKernelClient()
    client.load_connection_file(str(files[0]))
    client.start_channels()
    try:
        client.wait_for_ready(timeout=30)
        seen = []
        client.execute_interactive(
            "import os, sys; print(sys.prefix, os.environ.get('ITLIB_PROGRESS'), "
            "os.environ.get('OMP_NUM_THREADS'), sep='|')",
            store_history=False, timeout=30,
            output_hook=lambda m: seen.append(m["content"].get("text", "")))
        return "".join(seen).strip()
    finally:
        client.stop_channels()


def _move_first_slider(page) -> str:
    """Press the right arrow on the first slider: '' when its readout and picture change.

    The picture of an itlib slider changes through a callback in the kernel, so this checks
    that the widget is live (on the website the same slider is a frozen snapshot).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.locator(".jp-OutputArea-output .widget-vbox",
                       has=page.locator(".widget-slider")).first
    if not box.count():
        return "no slider widget to move"
    handle, readout, image = (box.locator(".noUi-handle").first,
                              box.locator(".widget-readout").first, box.locator("img").first)
    box.scroll_into_view_if_needed()
    before = readout.text_content(), image.get_attribute("src")
    handle.focus()
    page.keyboard.press("ArrowRight")
    try:
        page.wait_for_function(
            "([r, i, b]) => r.textContent !== b[0] && i.getAttribute('src') !== b[1]",
            arg=[readout.element_handle(), image.element_handle(), list(before)],
            timeout=30_000)
    except PlaywrightTimeout:
        return (f"the first slider did not respond to the right arrow key: readout "
                f"{before[0]!r} -> {readout.text_content()!r}, picture "
                f"{'unchanged' if image.get_attribute('src') == before[1] else 'changed'}")
    return ""


def _api(base: str, token: str, path: str, method: str = "GET"):
    request = urllib.request.Request(f"{base}/api/{path}?token={token}", method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return json.loads(body) if body else None


def _shut_down_kernels(base: str, token: str) -> None:
    """Stop every kernel the server runs (opening a notebook starts one)."""
    for kernel in _api(base, token, "kernels"):
        _api(base, token, f"kernels/{kernel['id']}", method="DELETE")
    deadline = time.monotonic() + 30
    while _api(base, token, "kernels") and time.monotonic() < deadline:
        time.sleep(0.5)


#: Each display equation of the rendered Markdown, as MathJax typeset it: the text of its
#: equation labels.  MathJax's CHTML output draws characters from CSS (an element
#: ``mjx-c`` of class ``mjx-c`` + the hexadecimal code point, empty text), so the labels
#: are read back from those classes.
EQUATIONS_JS = r"""() => {
  const chars = el => [...el.querySelectorAll('mjx-c')].map(c => {
    const m = [...c.classList].map(k => /^mjx-c([0-9A-F]+)$/.exec(k)).find(Boolean);
    return m ? String.fromCodePoint(parseInt(m[1], 16)) : '';
  }).join('');
  return [...document.querySelectorAll(
      '.jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown mjx-container[display="true"]')]
    .map(eq => [...eq.querySelectorAll('mjx-labels mjx-mtd')].map(chars).filter(t => t !== ''));
}"""


@pytest.mark.parametrize("copy", COPIES, ids=lambda c: Path(c).stem)
def test_equation_numbers(lab, browser, copy, tmp_path):
    """Every display equation shows one number, the website's (the copy's \\tag), or none."""
    base, token, _, notebooks = lab
    cells = json.loads((notebooks / copy).read_text(encoding="utf8"))["cells"]
    markdown = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    blocks = re.findall(r"\$\$(.+?)\$\$", markdown, re.S)
    expected = [[f"({t})" for t in re.findall(r"\\tag\{([^{}]*)\}", b)] for b in blocks]
    assert any(expected), f"{copy} has no tagged equation: the test would prove nothing"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    screenshot = tmp_path / "equations.png"
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{base}/lab/tree/{copy}?reset&token={token}")
        # Typeset: as many display equations as the copy has $$ blocks.
        try:
            page.wait_for_function(
                "n => document.querySelectorAll('.jp-Notebook .jp-MarkdownCell "
                "mjx-container[display=\"true\"]').length >= n || "
                "document.querySelector('.jp-Notebook .jp-MarkdownCell .myst') !== null",
                arg=len(blocks), timeout=120_000, polling=500)
            page.wait_for_timeout(1000)
            myst = page.locator(".jp-Notebook .jp-MarkdownCell .myst").count()
        except Exception:
            page.screenshot(path=screenshot)
            raise
        shown = page.evaluate(EQUATIONS_JS)
    finally:
        context.close()
        _shut_down_kernels(base, token)
    assert not myst, (f"{myst} Markdown cell(s) of {copy} rendered by jupyterlab-myst, which "
                      "Binder does not install (it adds a second number to each equation)")
    assert len(shown) == len(blocks), (f"{len(shown)} display equations typeset, "
                                       f"{len(blocks)} $$ blocks in {copy}")
    wrong = [(i + 1, s, e) for i, (s, e) in enumerate(zip(shown, expected)) if s != e]
    assert not wrong, (f"{copy}: display equations whose numbers are not the text's "
                       f"(equation, shown, expected): {wrong[:8]}")


@pytest.mark.parametrize("chapter", RUN, ids=lambda c: Path(c).stem)
def test_chapter_runs_in_jupyterlab(lab, browser, tmp_path, chapter):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    base, token, runtime, notebooks = lab
    _shut_down_kernels(base, token)
    notebook = notebooks / chapter
    source = json.loads(notebook.read_text(encoding="utf8"))["cells"]
    screenshot = tmp_path / "jupyterlab.png"
    outside, page_errors = [], []
    # The session's chromium (tests/conftest.py), in a context of its own.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.route(re.compile("^(?!" + re.escape(base) + ")"),
                      lambda route: (outside.append(route.request.url), route.abort()))
        page = context.new_page()
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        page.set_default_timeout(120_000)
        page.goto(f"{base}/lab/tree/{chapter}?reset&token={token}")
        # Every cell is in the page (JupyterLab's default "contentVisibility" mode
        # attaches them all) and the kernel has started.
        page.wait_for_function(
            f"document.querySelectorAll('.jp-Notebook .jp-Notebook-cell').length === "
            f"{len(source)}")
        page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\| Idle$")).wait_for()
        # What a student does: the Run menu, "Run All Cells".
        page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        # The stored outputs carry execution counts: wait for the run to start.
        page.wait_for_function(STARTED_JS, timeout=60_000, polling=100)
        try:
            page.wait_for_function(WAIT_DONE_JS, timeout=RUN_TIMEOUT_S * 1000, polling=500)
        except PlaywrightTimeout:
            page.screenshot(path=screenshot)
            prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-prompt")
            pytest.fail(f"the chapter did not finish running within {RUN_TIMEOUT_S} s; "
                        f"status bar: {page.locator('#jp-main-statusbar').inner_text()!r};"
                        f" code cell prompts: {prompts.all_text_contents()};"
                        f" screenshot {screenshot}")
        # "Idle" can come before the last output is drawn: a quiz cell (input hidden) shows
        # its count on its output only. Give the page a moment to draw every count; a cell
        # still without one is reported by the check below.
        try:
            page.wait_for_function(ALL_COUNTED_JS, timeout=30_000, polling=250)
        except PlaywrightTimeout:
            pass
        cells = page.evaluate(READ_PAGE_JS)
        has_slider = any("it.slider(" in "".join(c["source"]) for c in source
                         if c["cell_type"] == "code")
        moved = _move_first_slider(page) if has_slider else ""
        page.screenshot(path=screenshot)
    finally:
        context.close()

    where = f"(screenshot: {screenshot})"
    assert len(cells) == len(source), f"{len(cells)} cells on the page, {len(source)} in {chapter}"
    code = [(i, c) for i, c in enumerate(cells) if source[i]["cell_type"] == "code"]
    # 1. Every code cell ran, without an error, a traceback or a warning on stderr.
    stderr = [(i, text) for i, c in code for text in c["stderr"]]
    assert not stderr, (f"{len(stderr)} error or stderr output(s); the first, of cell "
                        f"{stderr[0][0]}:\n{stderr[0][1][:2000]}\n{where}")
    # A fresh kernel numbers the cells 1, 2, 3, ... in order when each ran once, in this run
    # (the chapter's stored counts have gaps).
    prompts = [c["prompt"] for _, c in code]
    expected = [f"[{n}]:" for n in range(1, len(code) + 1)]
    wrong = [(i, p, e) for (i, _), p, e in zip(code, prompts, expected) if p != e]
    assert not wrong, (f"code cells not run once, in order (cell, prompt, expected): "
                       f"{wrong[:8]} {where}")
    broken = [(i, o) for i, c in code for o in c["outputs"]
              if re.search(r"Error displaying widget|Error rendering output|Traceback", o)]
    assert not broken, f"an output reads as an error, cell {broken[0][0]}: {broken[0][1][:500]!r}"
    assert not page_errors, f"uncaught JavaScript errors in JupyterLab: {page_errors[:3]}"
    assert not outside, f"requests to other hosts (the test allows none): {outside[:5]}"
    # 2. The slider is a live ipywidgets slider, one per code cell that builds one.
    with_slider = [i for i, _ in code if "it.slider(" in "".join(source[i]["source"])]
    assert with_slider or chapter != CHAPTER, f"{CHAPTER} builds no slider any more: pick another chapter"
    missing = [i for i in with_slider if cells[i]["sliders"] == 0]
    assert not missing, (f"no ipywidgets slider rendered in cell(s) {missing}; their output: "
                         f"{[cells[i]['outputs'] for i in missing]} {where}")
    assert not moved, f"{moved} {where}"
    # 3. The Markdown is rendered (by jupyterlab-myst where it takes the cell, otherwise by
    # JupyterLab's own renderer: the plain copy needs nothing more), no MyST role left.
    markdown = [i for i, c in enumerate(source) if c["cell_type"] == "markdown"]
    text = {i: cells[i]["myst"] if cells[i]["myst"] is not None else cells[i]["markdown"]
            for i in markdown}
    unrendered = [i for i in markdown if text[i] is None]
    assert not unrendered, f"Markdown cell(s) {unrendered} not rendered {where}"
    empty = [i for i in markdown if not text[i].strip()]
    assert not empty, f"Markdown cell(s) {empty} rendered empty {where}"
    raw = [(i, m.group(0)) for i in markdown for m in [ROLE.search(text[i])] if m]
    assert not raw, f"MyST roles shown as raw text (cell, role): {raw[:5]} {where}"
    # The plain copy has the cells of the MyST source, in order: find the source's first
    # citation and read that cell as rendered.
    myst_source = json.loads((ROOT / _source_of(chapter)).read_text(encoding="utf8"))["cells"]
    assert [c["cell_type"] for c in myst_source] == [c["cell_type"] for c in source], (
        f"{chapter} no longer has the cells of {_source_of(chapter)}: run "
        "`python tools/plain_notebooks.py`")
    cited = [i for i, c in enumerate(myst_source)
             if c["cell_type"] == "markdown" and "{cite}`" in "".join(c["source"])]
    assert cited, f"{_source_of(chapter)} cites nothing any more"
    first = cited[0]
    keys = re.findall(r"\{cite\}`([^`]+)`", "".join(myst_source[first]["source"]))[0].split(",")
    rendered = " ".join(text[first].split())
    for key in (k.strip() for k in keys):
        surname, year = _surname_and_year(key)
        assert surname in rendered and year in rendered, (
            f"citation {key!r} does not read as text in cell {first}: no {surname!r} "
            f"({year}) in {rendered[:600]!r} {where}")
        assert key not in rendered, f"cell {first} shows the BibTeX key {key!r} {where}"
    # 4. The kernel is this environment's Python, with the Makefile's variables.
    seen = _kernel_prefix(runtime)
    _shut_down_kernels(base, token)
    assert seen == f"{sys.prefix}|0|1", (
        f"the kernel's sys.prefix|ITLIB_PROGRESS|OMP_NUM_THREADS is {seen!r}; expected this "
        f"environment's {sys.prefix!r} with 0 and 1")
