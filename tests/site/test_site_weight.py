"""Light pages (issue 14), without a browser: each page's own HTML is at most 300 KB
gzip-compressed, carries no ipywidgets state, and no slider frame inline as a data URI
(the frames are files that load when needed: _ext/light_pages.py).

The speed figures (Lighthouse) are measured by benchmarks/pages.py, not here.
"""

from __future__ import annotations

import gzip
import re
from urllib.parse import urljoin

import pytest

from site_helpers import CHAPTER_DOCS, DOCS, SITE, SLIDER_DOCS, built

BUDGET_KB = 300  # own HTML, gzip-compressed (level 6, as hosts serve it), 1 KB = 1000 bytes


@pytest.mark.parametrize("doc", DOCS)
def test_page_html_is_light(doc):
    text = built(doc)
    assert text, f"{doc}: not built (run `make book`)"
    kb = len(gzip.compress(text.encode("utf8"), compresslevel=6)) / 1000
    assert kb <= BUDGET_KB, f"{doc}: its HTML is {kb:.0f} KB gzip-compressed (budget {BUDGET_KB} KB)"
    assert "application/vnd.jupyter.widget-state+json" not in text, \
        f"{doc}: the page embeds ipywidgets state, which the static site never reads"
    inline = re.findall(r'<img[^>]*class="itlib-slider-frame"[^>]*\ssrc="data:', text)
    assert not inline, f"{doc}: {len(inline)} slider frames inline as data URIs"


@pytest.mark.parametrize("doc", SLIDER_DOCS)
def test_slider_frames_are_files(doc):
    """Every frame of every slider names a PNG file of the site; exactly one per slider
    is shown at first (src), the others wait for the page's loader (data-src)."""
    text = built(doc)
    frames = re.findall(r'<img class="itlib-slider-frame"[^>]*>', text)
    assert frames, f"{doc}: its notebook makes a slider, the page holds no frame"
    missing = []
    for img in frames:
        url = re.search(r'\s(?:data-)?src="([^"]+)"', img)
        assert url, f"{doc}: a frame with neither src nor data-src: {img[:200]}"
        path = (SITE / urljoin(doc, url[1])).resolve()
        if not path.is_file() or path.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            missing.append(url[1])
    assert not missing, f"{doc}: slider frames that are not PNG files of the site: {missing[:5]}"
    shown = [f for f in frames if re.search(r'\ssrc="', f)]
    assert len(shown) == text.count('<div class="itlib-slider"'), \
        f"{doc}: {len(shown)} frames load with the page, expected one per slider"
    assert "itlib-lazy-frames" in text, f"{doc}: the frames' loader script is missing"


def test_chapters_are_listed():
    assert CHAPTER_DOCS and set(SLIDER_DOCS) & set(CHAPTER_DOCS)
