#!/usr/bin/env python
"""Write plain-Markdown copies of the chapters and exercises, for Colab and downloads.

    python tools/plain_notebooks.py          # rewrite colab/**/*.ipynb
    python tools/plain_notebooks.py --check  # exit 1 if any copy is out of date

The book's notebooks are written in MyST Markdown: ``{cite}``, ``{eq}``, ``{doc}`` roles,
``$$ ... $$ (label)`` equations, ``(label)=`` targets and ``{bibliography}`` directives.
Only the website (Sphinx) renders them; Colab, and JupyterLab without jupyterlab-myst,
show them as raw text.  This tool writes, for every ``chapters/*.ipynb`` and
``exercises/student/*.ipynb``, a copy under ``colab/`` at the same relative path
(``colab/chapters/01_entropy.ipynb``, ``colab/exercises/student/01_entropy.ipynb``) whose
Markdown is plain:

- citations become "(Cover & Thomas, 2006)", and the ``{bibliography}`` directive a
  list of the works the notebook cites, formatted by pybtex from ``references.bib``;
- labelled equations get their website number as ``\\tag{1.2}``, and ``{eq}`` references
  read "(1.2)"; ``{numref}`` figure references read "Fig. 2.1", as on the website;
- ``{doc}``/``{ref}`` cross-references become links to the website's pages, whose address
  is derived from ``_config.yml``'s ``repository`` block (GitHub Pages:
  ``https://OWNER.github.io/REPO/``), or ``html.baseurl`` if that is set;
- plain Markdown links (and images, and HTML ``href``/``src``) to a path -- site-root
  (``/chapters/01_entropy.ipynb``) or relative -- become the website's address of that
  page, or the file's address on GitHub if it is no page of the book: such a path would
  resolve against ``colab/`` in JupyterLab (a 404) and against Colab's own site;
- admonitions become block quotes with a bold lead-in; ``(label)=`` targets are removed.

Code cells -- source, tags, metadata, outputs -- are copied unchanged (the Colab install
cell included), and only Markdown cells' sources change: tests/test_plain_notebooks.py
checks both, and that the committed copies are what this tool writes now.  The Colab
launch buttons and the download button of the website open these copies
(``_ext/plain_notebook_links.py``).

Why a converter of our own rather than sphinx-tojupyter: the book uses a small, fixed
set of MyST constructs (five roles, two directives, labelled ``$$`` math, targets), so a
converter on MyST's own parser (myst-parser's markdown-it-py configuration, which finds
the block constructs exactly as the website does) fits in one short file, needs no extra
dependency or second Sphinx build, and changes nothing but the Markdown cells.
sphinx-tojupyter rebuilds every notebook from Sphinx's doctree, so code cells, their
tags and outputs would be regenerated rather than copied.  A construct the converter does
not know raises an error instead of passing through as raw text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "colab"
MYST_EXTENSIONS = {"amsmath", "dollarmath", "colon_fence", "deflist", "substitution"}
ROLE = re.compile(r"\{([a-z][a-z0-9:_-]*)\}`([^`]+)`")
EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
# A Markdown link or image ``[text](target "title")``, a reference definition
# ``[name]: target``, and an HTML ``href="..."``/``src="..."``: their targets are rewritten.
LINK = re.compile(r"(!?\[(?:[^\[\]]|\[[^\[\]]*\])*\])\(\s*<?([^()\s<>]+)>?((?:\s+\"[^\"]*\")?)\s*\)")
LINK_DEFINITION = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)(\S+)", re.M)
HTML_LINK = re.compile(r"(\b(?:href|src)=\")([^\"]+)\"")
ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention",
               "danger", "error", "seealso", "admonition"}


class ConversionError(ValueError):
    """A MyST construct the converter does not know how to write as plain Markdown."""


# --------------------------------------------------------------------------- settings
def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def site_url(cfg: dict | None = None) -> str:
    """The website's address, with a trailing slash, from _config.yml.

    ``html.baseurl`` if set; otherwise the GitHub Pages address of ``repository.url``.
    """
    cfg = cfg or config()
    base = (cfg.get("html") or {}).get("baseurl")
    if base:
        return base.rstrip("/") + "/"
    url = urlparse(cfg["repository"]["url"].rstrip("/"))
    parts = url.path.strip("/").split("/")
    if url.netloc != "github.com" or len(parts) != 2:
        raise ConversionError(f"repository.url {cfg['repository']['url']!r} is not a GitHub "
                              "repository: set html.baseurl in _config.yml")
    owner, repo = parts
    if repo.lower() == f"{owner.lower()}.github.io":
        return f"https://{repo.lower()}/"
    return f"https://{owner.lower()}.github.io/{repo}/"


def source_notebooks() -> list[Path]:
    """The notebooks a reader opens in Colab: chapters and the student exercises."""
    return sorted((ROOT / "chapters").glob("*.ipynb")) + sorted(
        (ROOT / "exercises" / "student").glob("*.ipynb"))


def target_of(source: Path) -> Path:
    """``chapters/01_entropy.ipynb`` -> ``colab/chapters/01_entropy.ipynb``."""
    return OUT / source.relative_to(ROOT)


def docname(path: Path) -> str:
    return path.relative_to(ROOT).with_suffix("").as_posix()


@cache
def chapter_numbers() -> dict[str, int]:
    """{docname: number} of the numbered parts of _toc.yml, in order (from 1)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbers, n = {}, 0
    for part in toc.get("parts", []):
        if part.get("numbered"):
            for chapter in part.get("chapters", []):
                n += 1
                numbers[chapter["file"]] = n
    return numbers


@cache
def book_pages() -> frozenset[str]:
    """The docnames of every page of the website (_toc.yml's root and its files)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = {toc["root"]}

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                pages.add(re.sub(r"\.(ipynb|md)$", "", node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    return frozenset(pages)


def repository(cfg: dict | None = None) -> tuple[str, str]:
    """(GitHub address without a trailing slash, branch) from _config.yml."""
    cfg = cfg or config()
    return cfg["repository"]["url"].rstrip("/"), cfg["repository"].get("branch", "main")


# --------------------------------------------------------------------------- parsing
@cache
def _parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=MYST_EXTENSIONS), RendererHTML)


def block_tokens(text: str):
    """The block-level tokens of one Markdown cell, as MyST parses them."""
    return [t for t in _parser().parse(text) if t.map is not None]


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _title(path: Path) -> str:
    """The first level-1 heading of a notebook or Markdown page."""
    if path.suffix == ".ipynb":
        text = "\n".join(c.source for c in _read(path).cells if c.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    m = re.search(r"^#\s+(.+?)\s*$", text, re.M)
    return m.group(1) if m else path.stem


@cache
def targets() -> dict[str, dict]:
    """Every label in the book: equations, figures and ``(label)=`` targets.

    ``{label: {"doc", "anchor", "number" (equations, figures) or "title" (targets)}}``.
    """
    found = {}
    pages = source_notebooks() + [p for p in ROOT.glob("*.md") if p.name != "README.md"]
    for path in pages:
        doc = docname(path)
        chap = chapter_numbers().get(doc)
        prefix = f"{chap}." if chap else ""
        n_eq = n_fig = 0
        cells = _read(path).cells if path.suffix == ".ipynb" else [
            nbformat.v4.new_markdown_cell(path.read_text(encoding="utf-8"))]
        for cell in cells:
            if cell.cell_type == "code":
                fig = cell.metadata.get("mystnb", {}).get("figure")
                if fig and fig.get("caption"):
                    n_fig += 1
                    if fig.get("name"):
                        found[fig["name"]] = {"doc": doc, "anchor": fig["name"],
                                              "number": f"{prefix}{n_fig}", "kind": "fig"}
                continue
            if cell.cell_type != "markdown":
                continue
            tokens = block_tokens(cell.source)
            lines = cell.source.splitlines()
            for i, tok in enumerate(tokens):
                if tok.type == "math_block_label":
                    n_eq += 1
                    found[tok.info] = {"doc": doc, "anchor": "equation-" + tok.info,
                                       "number": f"{prefix}{n_eq}", "kind": "eq"}
                elif tok.type == "myst_target":
                    label = tok.content.strip()
                    nxt = next((t for t in tokens[i + 1:] if t.type == "inline"), None)
                    title = nxt.content if nxt is not None else label
                    found[label] = {"doc": doc, "anchor": label, "title": title,
                                    "kind": "target"}
            del lines
    return found


# --------------------------------------------------------------------------- glossary
@cache
def glossary_terms() -> dict[str, str]:
    """{lower-case term: term} of glossary.md's ``{glossary}`` directive (Sphinx matches a
    ``{term}`` reference to its entry without regard to case)."""
    path = ROOT / "glossary.md"
    if not path.is_file():
        return {}
    terms = {}
    for block in re.findall(r"^(`{3,}|~{3,})\{glossary\}[^\n]*\n(.*?)^\1", path.read_text(
            encoding="utf-8"), re.S | re.M):
        for line in block[1].splitlines():
            if line.strip() and not line[0].isspace() and not line.startswith(":"):
                terms[line.strip().lower()] = line.strip()
    return terms


def term_anchor(term: str) -> str:
    """The anchor Sphinx gives a glossary entry: ``term-`` and the term, each run of other
    characters than letters, digits, ``.`` and ``_`` made one ``-`` (case kept), as
    sphinx.util.nodes.make_id does: "KL divergence" -> ``term-KL-divergence``."""
    anchor = re.sub(r"[^a-zA-Z0-9._]+", "-", " ".join(f"term-{term}".split()))
    return re.sub(r"^[-0-9._]+|-+$", "", anchor)


# --------------------------------------------------------------------------- citations
@cache
def bibliography():
    from pybtex.database import parse_file

    return parse_file(str(ROOT / "references.bib"), bib_format="bibtex")


def _surnames(entry) -> list[str]:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    from pybtex.richtext import Text

    return [Text.from_latex(" ".join(p.prelast_names + p.last_names)).render_as("text")
            for p in people]


def author_year(key: str) -> tuple[str, str]:
    """("Cover & Thomas", "2006") for a key of references.bib."""
    try:
        entry = bibliography().entries[key]
    except KeyError:
        raise ConversionError(f"citation key {key!r} is not in references.bib") from None
    names = _surnames(entry)
    if not names:
        who = entry.fields.get("title", key)
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return who, entry.fields.get("year", "n.d.")


def reference_list(keys: list[str]) -> str:
    """A Markdown list of the works ``keys`` name, sorted, formatted by pybtex."""
    from pybtex.database import BibliographyData
    from pybtex.plugin import find_plugin

    data = BibliographyData({k: bibliography().entries[k] for k in keys})
    style = find_plugin("pybtex.style.formatting", "plain")()
    backend = find_plugin("pybtex.backends", "markdown")()
    items = []
    for entry in style.format_bibliography(data):
        who, year = author_year(entry.key)
        items.append(f"- **{who} ({year}).** {entry.text.render(backend)}")
    return "\n".join(items) if items else "(No works cited.)"


# --------------------------------------------------------------------------- rewriting
class Converter:
    """Rewrites the Markdown cells of one notebook."""

    def __init__(self, path: Path, base: str):
        self.path, self.base, self.doc = path, base, docname(path)
        self.keyprefix = ""
        self.cited: list[str] = []
        nb = _read(path)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                m = re.search(r"^:keyprefix:\s*(\S+)", cell.source, re.M)
                if m:
                    self.keyprefix = m.group(1)

    # links ---------------------------------------------------------------
    def page_url(self, doc: str, anchor: str = "") -> str:
        return self.base + doc + ".html" + (f"#{anchor}" if anchor else "")

    def resolve_doc(self, ref: str) -> str:
        if ref.startswith("/"):
            doc = ref.strip("/")
        else:
            parts = (Path(self.doc).parent / ref).as_posix().split("/")
            out: list[str] = []
            for p in parts:
                if p == "..":
                    out.pop()
                elif p not in ("", "."):
                    out.append(p)
            doc = "/".join(out)
        doc = re.sub(r"\.(ipynb|md)$", "", doc)
        if not any((ROOT / (doc + ext)).is_file() for ext in (".ipynb", ".md")):
            raise ConversionError(f"{self.doc}: {{doc}} target {ref!r} does not exist")
        return doc

    def label(self, name: str, kind: str | None = None) -> dict:
        info = targets().get(name)
        if info is None or (kind and info["kind"] != kind):
            raise ConversionError(f"{self.doc}: unknown {kind or 'label'} {name!r}")
        return info

    # roles ---------------------------------------------------------------
    def cite(self, content: str, textual: bool) -> str:
        keys = [k.strip() for k in content.split(",") if k.strip()]
        parts = []
        for k in keys:
            key = k[len(self.keyprefix):] if self.keyprefix and k.startswith(self.keyprefix) else k
            if key not in self.cited:
                self.cited.append(key)
            who, year = author_year(key)
            parts.append(f"{who} ({year})" if textual else f"{who}, {year}")
        return "; ".join(parts) if textual else "(" + "; ".join(parts) + ")"

    def role(self, m: re.Match) -> str:
        name, content = m.group(1), m.group(2)
        explicit = EXPLICIT.match(content)
        text, target = (explicit.group(1), explicit.group(2)) if explicit else (None, content)
        if name in ("cite", "cite:p", "cite:ps"):
            return self.cite(content, textual=False)
        if name in ("cite:t", "cite:ts"):
            return self.cite(content, textual=True)
        if name == "eq":
            info = self.label(target.strip(), "eq")
            number = f"({info['number']})"
            if info["doc"] == self.doc:
                return number
            return f"[{number}]({self.page_url(info['doc'], info['anchor'])})"
        if name == "numref":
            info = self.label(target.strip(), "fig")
            shown = (text or "Fig. %s").replace("%s", info["number"]).replace(
                "{number}", info["number"])
            if info["doc"] == self.doc:
                return shown
            return f"[{shown}]({self.page_url(info['doc'], info['anchor'])})"
        if name == "doc":
            doc = self.resolve_doc(target.strip())
            title = text or _title(next(ROOT / (doc + ext) for ext in (".ipynb", ".md")
                                        if (ROOT / (doc + ext)).is_file()))
            return f"[{title}]({self.page_url(doc)})"
        if name == "ref":
            info = self.label(target.strip())
            title = text or info.get("title") or target
            return f"[{title}]({self.page_url(info['doc'], info['anchor'])})"
        if name == "term":
            term = glossary_terms().get(target.strip().lower())
            if term is None:
                raise ConversionError(f"{self.doc}: {{term}} {target!r} is not in glossary.md")
            return f"[{text or target.strip()}]({self.page_url('glossary', term_anchor(term))})"
        if name.startswith("py:"):
            return self.python_reference(name[3:], text, target.strip())
        if name in ("file", "code", "command", "samp"):
            return f"`{content}`"
        if name == "math":
            return f"${content}$"
        raise ConversionError(f"{self.doc}: role {{{name}}} has no plain form")

    def python_reference(self, kind: str, text: str | None, target: str) -> str:
        """``{py:func}`it.entropy <itlib.discrete.entropy>``` -> a link to the itlib
        reference page on the website (reference/<module>), shown as code."""
        target = target.lstrip("~")
        shown = f"`{text or target}`"
        parts = target.split(".")
        if parts[0] != "itlib" or len(parts) < 2:
            return shown              # not itlib's: no page of ours to link to
        doc = f"reference/{parts[1]}"
        if not (ROOT / f"{doc}.md").is_file():
            raise ConversionError(f"{self.doc}: {{py:{kind}}} {target} has no reference page {doc}")
        anchor = f"module-{target}" if kind == "mod" else target
        return f"[{shown}]({self.page_url(doc, anchor)})"

    def inline(self, text: str) -> str:
        text = ROLE.sub(self.role, text)
        text = LINK.sub(lambda m: m.group(1) + "(" + self.link(m.group(2)) + m.group(3) + ")",
                        text)
        text = LINK_DEFINITION.sub(lambda m: m.group(1) + self.link(m.group(2)), text)
        return HTML_LINK.sub(lambda m: m.group(1) + self.link(m.group(2)) + '"', text)

    def link(self, target: str) -> str:
        """A Markdown link's target as it must read in the copy under colab/.

        A web address or an anchor in the same notebook stays.  A path -- from the site's
        root (``/chapters/01_entropy.ipynb``) or relative to the source -- would resolve
        against the copy's folder in JupyterLab (a 404) and against colab.research.google.com
        in Colab: a page of the book becomes its website address (with its anchor), any other
        file of the repository its address on GitHub (raw for an image).
        """
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("#"):
            return target
        path, _, anchor = target.partition("#")
        if path.startswith("/"):
            resolved = Path(path.lstrip("/"))
        else:
            resolved = Path(self.doc).parent / path
        parts: list[str] = []
        for part in resolved.as_posix().split("/"):
            if part == "..":
                if not parts:
                    raise ConversionError(f"{self.doc}: link {target!r} leaves the repository")
                parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        rel = "/".join(parts)
        doc = re.sub(r"\.(ipynb|md)$", "", rel)
        if doc in book_pages():
            return self.page_url(doc, anchor)
        if not (ROOT / rel).exists():
            raise ConversionError(f"{self.doc}: link {target!r} points at nothing ({rel})")
        url, branch = repository()
        kind = "raw" if re.search(r"\.(png|jpe?g|gif|svg|webp)$", rel, re.I) else (
            "tree" if (ROOT / rel).is_dir() else "blob")
        return f"{url}/{kind}/{branch}/{rel}" + (f"#{anchor}" if anchor else "")

    # blocks --------------------------------------------------------------
    def directive(self, name: str, argument: str, body: str, indent: str) -> str:
        options = re.findall(r"^:([\w-]+):\s*(.*)$", body, re.M)
        body = re.sub(r"^:[\w-]+:.*\n?", "", body, flags=re.M).strip("\n")
        if name == "bibliography":
            return "@@BIBLIOGRAPHY@@"
        if name in ADMONITIONS:
            title = argument.strip() if name == "admonition" else (
                name.capitalize() if name != "seealso" else "See also")
            if name != "admonition" and argument.strip():
                body = argument.strip() + ("\n" + body if body else "")
            lines = self.convert_text(body).splitlines() or [""]
            lead = self.inline(title) + ("" if title[-1:] in ".?!:" else ".")
            lines[0] = f"**{lead}** {lines[0]}".rstrip()
            return "\n".join(indent + ("> " + ln if ln else ">") for ln in lines)
        if name == "math":
            label = dict(options).get("label")
            tag = f" \\tag{{{self.label(label, 'eq')['number']}}}" if label else ""
            return f"{indent}$$\n{body}{tag}\n{indent}$$"
        del options
        raise ConversionError(f"{self.doc}: directive {{{name}}} has no plain form")

    def convert_text(self, text: str) -> str:
        """Plain Markdown for one cell's (or one directive body's) MyST text."""
        lines = text.split("\n")
        edits = []  # (start, end, replacement lines)
        for tok in block_tokens(text):
            start, end = tok.map
            if tok.type == "myst_target":
                edits.append((start, end, None))
            elif tok.type == "math_block_label":
                last = lines[end - 1]
                number = self.label(tok.info, "eq")["number"]
                new = re.sub(r"\$\$\s*\(" + re.escape(tok.info) + r"\)\s*$",
                             lambda _: f"\\tag{{{number}}} $$", last)
                if new == last:
                    raise ConversionError(f"{self.doc}: label of {tok.info!r} not found")
                edits.append((end - 1, end, [new]))
            elif tok.type in ("fence", "colon_fence") and tok.info.startswith("{"):
                m = re.match(r"\{([\w:-]+)\}\s*(.*)", tok.info)
                indent = re.match(r"\s*", lines[start]).group(0)
                body = tok.content
                # keep the verbatim closing fence out of the body
                edits.append((start, end, self.directive(m.group(1), m.group(2), body,
                                                         indent).split("\n")))
        for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
            lines[start:end] = [] if new is None else new
        out, in_code = [], False
        for line in lines:  # roles are rewritten outside code blocks only
            if re.match(r"\s*(```|~~~)", line):
                in_code = not in_code
            out.append(line if in_code or "@@BIBLIOGRAPHY@@" in line else self.inline(line))
        text = "\n".join(out)
        return re.sub(r"\n{3,}", "\n\n", text)

    def notebook(self) -> nbformat.NotebookNode:
        nb = _read(self.path)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = self.convert_text(cell.source).strip("\n")
        for cell in nb.cells:  # after every citation is known
            if cell.cell_type == "markdown" and "@@BIBLIOGRAPHY@@" in cell.source:
                cell.source = cell.source.replace("@@BIBLIOGRAPHY@@",
                                                  reference_list(self.cited))
        return nb


def plain_notebook(path: Path, base: str | None = None) -> nbformat.NotebookNode:
    """The plain-Markdown version of the notebook at ``path``."""
    return Converter(path, base or site_url()).notebook()


def plain_text(path: Path, base: str | None = None) -> str:
    return nbformat.writes(plain_notebook(path, base)) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if any copy is out of date")
    args = parser.parse_args(argv)
    stale, failed = [], []
    for source in source_notebooks():
        target = target_of(source)
        try:
            text = plain_text(source)
        except ConversionError as error:  # report it, and go on with the other notebooks
            failed.append(source)
            print(f"ERROR: {source.relative_to(ROOT)}: {error}", file=sys.stderr)
            continue
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current is not None and json.loads(current) == json.loads(text):
            continue
        if args.check:
            stale.append(target)
            print(f"OUT OF DATE: {target.relative_to(ROOT)}")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    return 1 if stale or failed else 0


__all__ = ["plain_notebook", "plain_text", "site_url", "source_notebooks", "target_of",
           "ConversionError", "main"]

if __name__ == "__main__":
    sys.exit(main())
