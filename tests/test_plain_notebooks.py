"""The plain-Markdown copies under colab/ (tools/plain_notebooks.py) read cleanly.

Colab and a JupyterLab without jupyterlab-myst show MyST markup as raw text.  Every
committed copy must hold none of it, must cite as "(Author, Year)" with a list of
references, must keep its code cells exactly as in the source (the book executes each
source once; the copies must run the same code), and must be what the tool writes now.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import plain_notebooks as pn  # noqa: E402
import sync_colab_cells as sync  # noqa: E402

SOURCES = pn.source_notebooks()
IDS = [p.relative_to(ROOT).as_posix() for p in SOURCES]

# MyST markup that only the website renders.
LEFTOVERS = {
    "role": re.compile(r"\{[a-z][a-z0-9:_-]*\}`"),
    "directive fence": re.compile(r"^\s*(```+|~~~+)\s*\{|^\s*:::", re.M),
    "(label)= target": re.compile(r"^\s*\([^()\s]+\)=\s*$", re.M),
    "equation label": re.compile(r"\$\$\s*\([^()\s]+\)|\((eq-[\w-]+)\)"),
    "bibliography option": re.compile(r"^:(filter|keyprefix|labelprefix):", re.M),
}


def _markdown(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def _cited_keys(nb) -> list[str]:
    keys = []
    for text in _markdown(nb):
        for m in re.finditer(r"\{cite(?::\w+)?\}`([^`]+)`", text):
            keys += [k.strip() for k in m.group(1).split(",")]
    return keys


def test_every_chapter_and_exercise_has_a_copy():
    assert len(SOURCES) >= 12, SOURCES
    for src in SOURCES:
        assert pn.target_of(src).is_file(), (
            f"{pn.target_of(src)} is missing: run `python tools/plain_notebooks.py`")


@pytest.mark.parametrize("src", SOURCES, ids=IDS)
def test_committed_copy_is_fresh(src):
    committed = json.loads(pn.target_of(src).read_text(encoding="utf-8"))
    assert committed == json.loads(pn.plain_text(src)), (
        f"{pn.target_of(src).relative_to(ROOT)} is out of date: run "
        "`python tools/plain_notebooks.py`")


@pytest.mark.parametrize("src", SOURCES, ids=IDS)
def test_no_myst_markup_left(src):
    nb = nbformat.read(pn.target_of(src), as_version=4)
    found = []
    for i, text in enumerate(_markdown(nb)):
        for what, pattern in LEFTOVERS.items():
            for m in pattern.finditer(text):
                found.append(f"markdown cell {i}: {what}: {text[max(0, m.start() - 30):m.end() + 30]!r}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("src", SOURCES, ids=IDS)
def test_code_cells_are_the_sources(src):
    source = nbformat.read(src, as_version=4)
    plain = nbformat.read(pn.target_of(src), as_version=4)
    assert len(source.cells) == len(plain.cells)
    assert source.metadata == plain.metadata
    for i, (a, b) in enumerate(zip(source.cells, plain.cells)):
        assert a.cell_type == b.cell_type, f"cell {i}"
        if a.cell_type != "markdown":
            assert a == b, f"cell {i} ({a.cell_type}) differs from the source"
        else:
            assert a.metadata == b.metadata and a.get("attachments") == b.get("attachments")


@pytest.mark.parametrize("src", SOURCES, ids=IDS)
def test_colab_cell_installs_itlib(src):
    plain = nbformat.read(pn.target_of(src), as_version=4)
    cell = sync.first_code_cell(plain)
    assert cell.source == sync.colab_cell_source(*sync.repository())


@pytest.mark.parametrize("src", [p for p in SOURCES if p.parent.name == "chapters"],
                         ids=lambda p: p.name)
def test_citations_resolved_to_text(src):
    source = nbformat.read(src, as_version=4)
    plain = nbformat.read(pn.target_of(src), as_version=4)
    keys = _cited_keys(source)
    assert keys, f"{src.name} cites nothing"
    text = "\n".join(_markdown(plain))
    bib = pn.bibliography().entries
    refs = text[text.rindex("## References"):]
    for key in keys:
        entry = bib[re.sub(r"^c\d+-", "", key)]
        year = entry.fields["year"]
        surname = pn._surnames(entry)[0]
        # in the prose, as "(Surname ..., Year" ...
        assert re.search(re.escape(surname) + r"[^()]*?, " + year, text), (key, surname, year)
        # ... and in the references list, with its title
        title = re.sub(r"[{}]", "", entry.fields["title"]).split(":")[0][:25]
        assert f"**{surname}" in refs and year in refs, (key, "not in the references list")
        assert title.lower() in refs.replace("\\", "").lower(), (key, title)


def test_equation_numbers_follow_the_chapter():
    # Chapter 2's first labelled equation is (2.1); a reference to it reads "(2.1)".
    src = ROOT / "chapters" / "02_kl_divergence.ipynb"
    source = "\n".join(_markdown(nbformat.read(src, as_version=4)))
    plain = "\n".join(_markdown(nbformat.read(pn.target_of(src), as_version=4)))
    labels = re.findall(r"\$\$\s*\(([^()\s]+)\)", source)
    tags = re.findall(r"\\tag\{([0-9.]+)\}", plain)
    assert tags == [f"2.{i}" for i in range(1, len(labels) + 1)]
    first_ref = re.search(r"\{eq\}`([^`]+)`", source).group(1)
    assert f"({tags[labels.index(first_ref)]})" in plain


def test_cross_references_link_to_the_website():
    src = ROOT / "chapters" / "01_entropy.ipynb"
    plain = "\n".join(_markdown(nbformat.read(pn.target_of(src), as_version=4)))
    base = pn.site_url()
    owner, repo = sync.repository()[0].rstrip("/").split("/")[-2:]
    assert base == f"https://{owner.lower()}.github.io/{repo}/"
    assert f"]({base}exercises/student/01_entropy.html)" in plain


def test_site_url_follows_the_repository_block():
    cfg = {"repository": {"url": "https://github.com/Someone/forked-book", "branch": "x"}}
    assert pn.site_url(cfg) == "https://someone.github.io/forked-book/"
    cfg["html"] = {"baseurl": "https://book.example.org/itml"}
    assert pn.site_url(cfg) == "https://book.example.org/itml/"


def test_unknown_markup_is_an_error_not_raw_text(tmp_path):
    conv = pn.Converter(ROOT / "chapters" / "01_entropy.ipynb", "https://x.github.io/y/")
    with pytest.raises(pn.ConversionError, match="role"):
        conv.convert_text("see {unknownrole}`x`")
    with pytest.raises(pn.ConversionError, match="directive"):
        conv.convert_text("```{figure} a.png\ncaption\n```")
    with pytest.raises(pn.ConversionError, match="not in references.bib"):
        conv.convert_text("{cite}`c1-nosuchkey1999`")


def test_admonitions_and_targets_become_plain_markdown():
    conv = pn.Converter(ROOT / "chapters" / "01_entropy.ipynb", "https://x.github.io/y/")
    out = conv.convert_text("(sec-a)=\n## A\n\n:::{note}\nMind the {eq}`eq-entropy`.\n:::\n")
    assert out.strip() == "## A\n\n> **Note.** Mind the (1.2)."
    out = conv.convert_text("```{admonition} Why bits?\nBase 2.\n```")
    assert out.strip() == "> **Why bits?** Base 2."


def test_itlib_references_link_to_the_reference_pages():
    conv = pn.Converter(ROOT / "chapters" / "01_entropy.ipynb", "https://x.github.io/y/")
    out = conv.convert_text("Use {py:func}`it.entropy <itlib.discrete.entropy>` and "
                            "{py:mod}`it.gaussian <itlib.gaussian>`.")
    assert out.strip() == (
        "Use [`it.entropy`](https://x.github.io/y/reference/discrete.html"
        "#itlib.discrete.entropy) and [`it.gaussian`](https://x.github.io/y/reference/"
        "gaussian.html#module-itlib.gaussian).")
    assert conv.convert_text("{py:func}`numpy.log`").strip() == "`numpy.log`"
    with pytest.raises(pn.ConversionError, match="no reference page"):
        conv.convert_text("{py:func}`itlib.nosuchmodule.f`")
    # the chapters use these roles: their copies link to the website's reference
    plain = "\n".join(_markdown(nbformat.read(
        pn.target_of(ROOT / "chapters" / "01_entropy.ipynb"), as_version=4)))
    assert f"({pn.site_url()}reference/discrete.html#itlib.discrete.entropy)" in plain


# -- Links (issue 32): each one a web address or a relative path that exists in the copy ----
def _link_targets(text: str) -> list[str]:
    """Every link and image target of a Markdown text, as a Markdown reader parses it
    (CommonMark, with inline HTML's href and src)."""
    from markdown_it import MarkdownIt

    found = []

    def walk(tokens):
        for tok in tokens:
            if tok.type == "link_open":
                found.append(tok.attrGet("href"))
            elif tok.type == "image":
                found.append(tok.attrGet("src"))
            elif tok.type in ("html_inline", "html_block"):
                found.extend(re.findall(r"\b(?:href|src)=[\"']([^\"']+)", tok.content))
            if tok.children:
                walk(tok.children)

    walk(MarkdownIt("commonmark").parse(text))
    return found


@pytest.mark.parametrize("src", SOURCES, ids=IDS)
def test_every_link_resolves_in_the_copy(src):
    copy = pn.target_of(src)
    nb = nbformat.read(copy, as_version=4)
    links = [(i, t) for i, text in enumerate(_markdown(nb)) for t in _link_targets(text)]
    assert links, f"{copy.name} has no link at all: the parser found none?"
    rooted = [(i, t) for i, t in links if t.startswith("/")]
    assert not rooted, (f"site-root links in {copy.relative_to(ROOT)} lead to Jupyter's 404 "
                        f"(markdown cell, target): {rooted}")
    broken = []
    for i, target in links:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
            assert target.startswith(("https://", "mailto:")), (i, target)
            continue
        path = target.split("#", 1)[0]
        if path and not (copy.parent / path).exists():
            broken.append((i, target))
    assert not broken, (f"relative links of {copy.relative_to(ROOT)} that resolve to nothing "
                        f"inside colab/ (markdown cell, target): {broken}")


def test_links_to_the_book_and_the_repository_are_rewritten():
    conv = pn.Converter(ROOT / "exercises" / "student" / "01_entropy.ipynb",
                        "https://x.github.io/y/")
    url, branch = pn.repository()
    out = conv.convert_text("See [Entropy](/chapters/01_entropy.ipynb#surprisal), "
                            "[KL](../../chapters/02_kl_divergence.ipynb), "
                            "[notes](/exercises/README.md), [top](#top), "
                            "[web](https://example.org/a.html) and\n\n"
                            "![a figure](/images/favicon.png)\n\n[def]: /notation.md\n")
    assert "(https://x.github.io/y/chapters/01_entropy.html#surprisal)" in out
    assert "(https://x.github.io/y/chapters/02_kl_divergence.html)" in out
    assert f"({url}/blob/{branch}/exercises/README.md)" in out
    assert "[top](#top)" in out and "(https://example.org/a.html)" in out
    assert f"({url}/raw/{branch}/images/favicon.png)" in out
    assert "[def]: https://x.github.io/y/notation.html" in out
    with pytest.raises(pn.ConversionError, match="points at nothing"):
        conv.convert_text("[gone](/chapters/99_missing.ipynb)")


# -- Equation numbers (issue 32): one \tag per display equation, the website's number ------
@pytest.mark.parametrize("src", [p for p in SOURCES if p.parent.name == "chapters"],
                         ids=lambda p: p.name)
def test_each_labelled_equation_has_one_tag_the_websites_number(src):
    chapter = pn.chapter_numbers()[pn.docname(src)]
    source = "\n".join(_markdown(nbformat.read(src, as_version=4)))
    plain = "\n".join(_markdown(nbformat.read(pn.target_of(src), as_version=4)))
    labels = re.findall(r"\$\$\s*\(([^()\s]+)\)\s*$", source, re.M)
    blocks = re.findall(r"\$\$(.+?)\$\$", plain, re.S)
    tags = [re.findall(r"\\tag\*?\{([^{}]*)\}", b) for b in blocks]
    assert all(len(t) <= 1 for t in tags), [b for b, t in zip(blocks, tags) if len(t) > 1]
    numbers = [t[0] for t in tags if t]
    assert numbers == [f"{chapter}.{i}" for i in range(1, len(labels) + 1)], numbers
    # every number the prose cites is one an equation shows
    cited = set(re.findall(r"\((\d+\.\d+)\)", re.sub(r"\$\$.+?\$\$", "", plain, flags=re.S)))
    own = {c for c in cited if c.startswith(f"{chapter}.")}
    assert own <= set(numbers), sorted(own - set(numbers))


def test_glossary_terms_link_to_the_websites_entry():
    from sphinx.util.nodes import _make_id  # the anchor Sphinx writes for an entry

    terms = pn.glossary_terms()
    assert "kl divergence" in terms and "entropy" in terms, sorted(terms)[:5]
    for term in terms.values():
        assert pn.term_anchor(term) == _make_id(f"term-{term}"), term
    conv = pn.Converter(ROOT / "chapters" / "01_entropy.ipynb", "https://x.github.io/y/")
    out = conv.convert_text("The {term}`kl divergence` and {term}`Bits and nats <bits and nats>`.")
    assert out.strip() == (
        "The [kl divergence](https://x.github.io/y/glossary.html#term-KL-divergence) and "
        "[Bits and nats](https://x.github.io/y/glossary.html#term-bits-and-nats).")
    with pytest.raises(pn.ConversionError, match="not in glossary.md"):
        conv.convert_text("{term}`no such term`")


@pytest.mark.parametrize("src", [p for p in SOURCES if p.parent.name == "chapters"],
                         ids=lambda p: p.name)
def test_tags_are_the_built_websites_numbers(src):
    """The copy's equation numbers, in order, are those the built website shows (Sphinx's
    own numbering, an independent route); `make test` builds the site first."""
    page = ROOT / "_build" / "html" / "chapters" / (src.stem + ".html")
    if not page.is_file() or page.stat().st_mtime < src.stat().st_mtime:
        pytest.skip(f"no built page newer than {src.name}: run `make book`")
    site = re.findall(r'class="eqno">\(([0-9.]+)\)', page.read_text(encoding="utf-8"))
    plain = "\n".join(_markdown(nbformat.read(pn.target_of(src), as_version=4)))
    tags = re.findall(r"\\tag\{([^{}]*)\}", plain)
    assert tags == site, f"copy {tags} vs website {site}"
