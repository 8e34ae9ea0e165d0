"""_ext/light_pages.py, without a build: a real slider's page is made light and loses
nothing (every frame a PNG file with its alt text, one shown), and math is typeset into
accessible SVG.  tests/site/ checks the built site in a browser."""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import itlib as it  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
import light_pages  # noqa: E402


def _draw(p):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.bar(["heads", "tails"], [p, 1 - p])
    return fig


PAGE = ("<html><head></head><body>"
        '<script type="application/vnd.jupyter.widget-state+json">{{"state": {{}}}}</script>'
        '<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>'
        "{slider}</body></html>")


def test_slider_frames_become_files_loaded_when_needed(tmp_path):
    s = it.slider(_draw, [0.1, 0.5, 0.9], name="p", alt="Bars for p = {value}")
    page = PAGE.format(slider=s.static_html())
    out = light_pages.lighten(page, tmp_path, "../_images/")
    assert "data:image/png" not in out
    assert "widget-state" not in out and "fontawesome.js" not in out
    frames = re.findall(r'<img class="itlib-slider-frame"[^>]*>', out)
    assert len(frames) == 3
    shown = [f for f in frames if " hidden" not in f]
    assert len(shown) == 1 and 'data-index="1"' in shown[0] and ' src="' in shown[0]
    for k, (img, png) in enumerate(zip(frames, s.frames())):
        url = re.search(r'(?:data-)?src="\.\./_images/([^"]+)"', img)[1]
        assert (tmp_path / url).read_bytes() == png, f"frame {k} is not the slider's PNG"
        assert f'alt="Bars for p = {s.formatted[k]}"' in img
    assert out.count("itlib-lazy-frames") == 1
    assert light_pages.lighten(out, tmp_path, "../_images/") == out, "not idempotent"


def test_a_frame_not_hidden_keeps_its_source(tmp_path):
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 30).decode()
    img = (f'<img class="itlib-slider-frame" data-index="0" src="data:image/png;base64,{png}" '
           'alt="a hidden figure">')  # the word "hidden" in the alt text only
    out = light_pages.lighten(f"<body>{img}</body>", tmp_path, "_images/")
    assert ' src="_images/slider-' in out and 'data-src="' not in out


@pytest.mark.slow
def test_math_is_typeset_as_svg_with_mathml():
    page = ('<html><head><script>window.MathJax = {}</script>'
            '<script defer="defer" src="_static/mathjax/tex-mml-chtml.js?v=1"></script></head>'
            '<body><p><span class="math notranslate nohighlight">\\(p &lt; 1\\)</span></p>'
            '<div class="math notranslate nohighlight" id="equation-x">\n\\[\nH(X) = '
            '-\\sum_x p(x)\\log_2 p(x)\n\\]</div></body></html>')
    out = light_pages.typeset({"page.html": page})["page.html"]
    assert "<script" not in out, "MathJax is still loaded"
    assert out.count("<mjx-container") == 2 and "\\(" not in out and "\\[" not in out
    assert out.count("<mjx-assistive-mml") == 2, "no MathML for screen readers"
    assert "<mo>&lt;</mo>" in out, "the inline formula's TeX was not unescaped"
    assert 'id="MJX-SVG-global-cache"' in out and "<style" in out
