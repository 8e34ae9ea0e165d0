"""Every built page has a non-empty meta description (_ext/itml_meta.py); a chapter's is
its opening paragraph, read here from the notebook source, not from the built page.  Every
page of the table of contents has its Open Graph tags (sphinxext-opengraph): og:title,
og:url at the site's address (the GitHub Pages address of _config.yml's repository, as
tools/plain_notebooks.py computes it), and og:description equal to the meta description."""

from __future__ import annotations

import html
import json
import re
import sys
import types

import pytest

from site_helpers import CHAPTER_DOCS, CONFIG, DOCS, ROOT, built

sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "tools"))
import itml_meta  # noqa: E402
import plain_notebooks  # noqa: E402

EXTRA_PAGES = ["search", "genindex"]


def description(doc: str) -> str | None:
    page = built(doc)
    assert page, f"{doc}.html is not built: run make book"
    tags = re.findall(r'<meta\s+name="description"\s+content="([^"]*)"', page)
    assert len(tags) <= 1, f"{doc}.html has {len(tags)} meta descriptions"
    return html.unescape(tags[0]) if tags else None


@pytest.mark.parametrize("doc", DOCS + EXTRA_PAGES)
def test_every_page_has_a_description(doc):
    text = description(doc)
    assert text and text.strip(), f"{doc}.html has no (or an empty) meta description"
    assert len(text) <= itml_meta.MAX_CHARS, f"{doc}: description of {len(text)} characters"
    assert "\\" not in text and "$" not in text, f"{doc}: raw TeX in the description: {text!r}"


def open_graph(doc: str) -> dict[str, str]:
    """The page's Open Graph tags, property -> content (each property once)."""
    found = re.findall(r'<meta\s+property="(og:[a-z_:]+)"\s+content="([^"]*)"\s*/?>', built(doc))
    props = [p for p, _ in found]
    assert len(props) == len(set(props)), f"{doc}.html repeats an Open Graph tag: {props}"
    return {p: html.unescape(c) for p, c in found}


def _page_title(doc: str) -> str:
    m = re.search(r"<title>(.*?)</title>", built(doc), re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m[1])).strip() if m else ""


@pytest.mark.parametrize("doc", DOCS)
def test_every_page_has_its_open_graph_tags(doc):
    og = open_graph(doc)
    site = plain_notebooks.site_url()
    assert og.get("og:url") == site + doc + ".html", (
        f"{doc}: og:url {og.get('og:url')!r} is not the page at the site's address {site}: "
        "ogp_site_url in _config.yml must follow its repository block (or html.baseurl)")
    assert og.get("og:title") and _page_title(doc).startswith(og["og:title"]), (
        f"{doc}: og:title {og.get('og:title')!r} is not the page's title {_page_title(doc)!r}")
    assert og.get("og:site_name") == CONFIG["title"], og
    assert og.get("og:description") == description(doc), (
        f"{doc}: og:description {og.get('og:description')!r} differs from the meta "
        f"description {description(doc)!r}")
    assert "og:image" not in og, f"{doc}: an og:image (a social card?) {og['og:image']!r}"


def _opening_words(doc: str) -> str:
    """The first words of the chapter's first Markdown paragraph after its title."""
    nb = json.loads((ROOT / (doc + ".ipynb")).read_text(encoding="utf8"))
    md = "".join(nb["cells"][0]["source"]) if nb["cells"][0]["cell_type"] == "markdown" else ""
    paras = [p for p in re.split(r"\n\s*\n", md) if p.strip() and not p.lstrip().startswith("#")]
    assert paras, f"{doc}: no opening paragraph in the first cell"
    return " ".join(paras[0].split()[:6])


@pytest.mark.parametrize("doc", CHAPTER_DOCS)
def test_chapter_description_is_its_opening_paragraph(doc):
    words = _opening_words(doc)
    assert "$" not in words, f"{doc}: the opening words hold math; compare another way"
    assert description(doc).startswith(words), (
        f"{doc}: the description {description(doc)!r} does not start with the opening "
        f"paragraph {words!r}")


def test_descriptions_differ_between_chapters():
    texts = [description(d) for d in CHAPTER_DOCS]
    assert len(set(texts)) == len(texts), texts


def test_shorten_and_plain_math():
    assert itml_meta.shorten("word " * 100).endswith("…")
    assert len(itml_meta.shorten("word " * 100)) <= itml_meta.MAX_CHARS
    assert itml_meta.shorten("  short \n text ") == "short text"
    assert itml_meta.plain_math(r"p(x) = \int p(z)\, p(x \mid z)\, dz") == "p(x) = ∫ p(z) p(x | z) dz"


def test_a_pages_own_description_is_kept_and_handed_on():
    """Without a build: a page whose front matter sets html_meta's description keeps it,
    and sphinxext-opengraph is handed the same text (escaped once) as og:description,
    unless the page sets og:description itself; a page without a doctree gets the title."""
    app = types.SimpleNamespace(config=types.SimpleNamespace(html_title="The book"))
    ctx = {"metatags": '<meta content="Own &amp; short" name="description" />', "meta": {"k": 1}}
    itml_meta.add_description(app, "p", "page.html", ctx, None)
    assert ctx["metatags"].count('name="description"') == 1
    assert ctx["meta"] == {"k": 1, "og:description": "Own &amp; short"}
    ctx = {"metatags": "", "meta": {"og:description": "set by the page"}, "title": "Search"}
    itml_meta.add_description(app, "search", "search.html", ctx, None)
    assert 'content="The book: Search"' in ctx["metatags"]
    assert ctx["meta"]["og:description"] == "set by the page"
