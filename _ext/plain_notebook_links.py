"""Sphinx extension: the Colab, Binder and download buttons give the plain notebooks.

tools/plain_notebooks.py writes a plain-Markdown copy of each chapter and student
exercise under ``colab/`` at the same relative path (``colab/chapters/01_entropy.ipynb``).
Colab renders plain Markdown only, so:

- the Colab and Binder launch buttons, which sphinx-book-theme builds from
  ``_config.yml``'s repository block and the page's path, are pointed at
  ``colab/<path>`` on the same repository and branch (nothing else changes: a fork still
  edits only that block);
- the notebook offered by the download button (``_sources/<path>.ipynb``) is replaced,
  once the build is finished, by the committed plain copy.

Binder opens the plain copy too, in plain JupyterLab (no jupyterlab-myst since issue 32):
its MathJax shows each equation with exactly its ``\tag``, and citations, cross-references
and itlib roles read as on the website.  tests/test_jupyterlab.py runs that copy in a real
JupyterLab.
Notebook pages without a plain copy (the status page) get no launch buttons.
"""

from __future__ import annotations

import shutil
from pathlib import Path

PLAIN_DIR = "colab"


def _plain_copy(app, pagename: str) -> Path | None:
    path = Path(app.srcdir) / PLAIN_DIR / (pagename + ".ipynb")
    return path if path.is_file() else None


def point_colab_at_plain_copy(app, pagename, templatename, context, doctree):
    """Rewrite the Colab and Binder launch links of a page that has a plain copy; a notebook page
    without one (the build's status page) is not meant to run elsewhere: no launch buttons."""
    if _plain_copy(app, pagename) is None:
        if "header_buttons" in context:
            context["header_buttons"] = [g for g in context["header_buttons"]
                                         if g.get("label") != "launch-buttons"]
        return
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            url = button.get("url", "")
            if button.get("text") == "Colab" and "/blob/" in url:
                head, sep, path = url.partition("/blob/")
                branch, _, rel = path.partition("/")
                button["url"] = f"{head}{sep}{branch}/{PLAIN_DIR}/{rel}"
            elif button.get("text") == "Binder" and "urlpath=" in url:
                # ...?urlpath=lab/tree/<path> (or tree/<path> for the classic interface)
                head, sep, urlpath = url.partition("urlpath=")
                tree, slash, rel = urlpath.partition("tree/")
                if slash:
                    button["url"] = f"{head}{sep}{tree}{slash}{PLAIN_DIR}/{rel}"


def copy_plain_downloads(app, exception):
    """Put the plain copies where the download button points (``_sources/``)."""
    if exception is not None or app.builder.format != "html":
        return
    sources = Path(app.outdir) / "_sources"
    for docname in app.env.found_docs:
        plain = _plain_copy(app, docname)
        target = sources / (docname + ".ipynb")
        if plain is not None and target.is_file():
            shutil.copyfile(plain, target)


def setup(app):
    # After sphinx-book-theme has added its launch buttons (priority 501).
    app.connect("html-page-context", point_colab_at_plain_copy, priority=600)
    app.connect("build-finished", copy_plain_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
