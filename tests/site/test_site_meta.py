"""Every built page has a non-empty meta description (_ext/itml_meta.py); a chapter's is
its opening paragraph, read here from the notebook source, not from the built page."""

from __future__ import annotations

import html
import json
import re
import sys

import pytest

from site_helpers import CHAPTER_DOCS, DOCS, ROOT, SITE, built

sys.path.insert(0, str(ROOT / "_ext"))
import itml_meta  # noqa: E402

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
