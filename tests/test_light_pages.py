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


# -- the sections' height estimates (_ext/section_sizes.py) --------------------------------
import section_sizes  # noqa: E402

_WORDS = "entropy measures the average surprise of an outcome in bits " * 12


def _page(body: str) -> str:
    return (f'<html><head></head><body><article class="bd-article"><section id="top">'
            f"<h1>Title</h1>{body}</section></article></body></html>")


def _svg(width_ex: float, height_ex: float) -> str:
    return (f'<mjx-container class="MathJax" jax="SVG" display="true"><svg height="{height_ex}ex"'
            f' width="{width_ex}ex" viewBox="0 0 1 1"></svg></mjx-container>')


def test_section_estimates_follow_the_column_and_nest():
    page = _page(f'<section id="a"><h2>A</h2><p>{_WORDS}</p>'
                 f'<section id="b"><h3>B</h3><p>{_WORDS}</p></section></section>')
    est = section_sizes.estimates(page)
    assert set(est) == {"a", "b"}, "the page's own top section is not contained"
    a, b = est["a"], est["b"]
    assert a["xs"] > a["md"] and b["xs"] > b["md"], "a narrower column holds fewer words a line"
    alone = section_sizes.estimates(_page(f'<section id="a"><h2>A</h2><p>{_WORDS}</p></section>'))
    for band in a:  # the outer section holds its own blocks, then the inner one 2.75rem below
        assert a[band] == pytest.approx(alone["a"][band] + 44 + b[band], abs=2), band
    # 12 * 60 characters of DejaVu Sans at 16 px on a 358 px phone column: about 20 lines
    assert 15 * 26.4 < b["xs"] < 30 * 26.4


def test_blocks_count_by_their_kind():
    def height(body):
        return section_sizes.estimates(_page(f'<section id="s"><h2>S</h2>{body}</section>'))["s"]

    base = height("")  # a block under the heading adds the heading's bottom margin too
    gap = 16.8
    code = "<div class=\"cell docutils container\"><div class=\"cell_input docutils container\">" \
           "<div class=\"highlight\"><pre>" + "x = 1\n" * 10 + "</pre></div></div></div>"
    assert height(code)["md"] - base["md"] == pytest.approx(gap + 10 * 17.5 + 32 + 2, abs=1)
    math = f'<div class="math notranslate nohighlight">{_svg(20, 10)}</div>'
    assert height(math)["md"] - base["md"] == pytest.approx(gap + 10 * 0.545 * 16 + 0.2 * 16 + 32, abs=2)
    closed = (f'<div class="cell tag_hide-input docutils container"><details class="hide above-input">'
              f'<summary><p class="collapsed admonition-title">Show code cell source</p>'
              f'<p class="expanded admonition-title">Hide code cell source</p></summary>'
              f'{code}</details></div>')
    assert height(closed)["md"] - base["md"] < 100, "a closed toggle counts as its summary"
    frame = ('<div class="itlib-slider"><div class="itlib-slider-controls">p</div>'
             '<img class="itlib-slider-frame" width="720" height="270" src="a.png">'
             '<img class="itlib-slider-frame" width="720" height="270" data-src="b.png" hidden>'
             '</div>')
    assert height(frame)["xs"] - base["xs"] == pytest.approx(gap + 26.4 + 270 * 358 / 720, abs=2), \
        "one frame shown, scaled to the phone's column"
    # a quiz whose math is MathML, a table and an admonition: counted, never an error
    quiz = ('<div class="itlib-quiz"><fieldset><legend>1. Is <math><mi>H</mi><mo>≥</mo><mn>0</mn>'
            '</math>?</legend><div class="itlib-quiz-options"><button class="itlib-quiz-option">'
            'True</button><button class="itlib-quiz-option">False</button></div></fieldset></div>')
    table = "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"
    note = f'<div class="admonition note"><p class="admonition-title">Note</p><p>{_WORDS}</p></div>'
    for body in (quiz, table, note):
        assert height(body)["xs"] > base["xs"] + 40, body[:40]


def test_annotate_writes_every_band_once_and_is_idempotent():
    page = _page(f'<section id="a"><h2>A</h2><p>{_WORDS}</p></section>')
    out = section_sizes.annotate(page)
    tag = re.search(r'<section id="a" style="([^"]*)">', out)
    assert tag, out
    assert [p.split(":")[0] for p in tag[1].split(";")] == \
        [f"--itml-h-{b.name}" for b in section_sizes.BANDS]
    assert '<section id="top">' in out, "the chapter's own section gets no estimate"
    assert section_sizes.annotate(out) == out
    # a page written by another model (another stamp) is estimated again
    stale = re.sub(r"itml-section-sizes \w+", "itml-section-sizes 0", out)
    stale = re.sub(r"--itml-h-xs:\d+px", "--itml-h-xs:1px", stale)
    assert section_sizes.annotate(stale) == out
    for band in section_sizes.BANDS:
        assert f"var(--itml-h-{band.name}, " in section_sizes.STYLE


def test_pages_get_the_estimates_stylesheet_and_keep_seen_sections_drawn(tmp_path):
    out = light_pages.lighten(_page("<p>x</p>"), tmp_path, "_images/")
    assert out.count('id="itlib-light-pages"') == 1 and section_sizes.STYLE in out
    assert out.count('id="itlib-keep-sections"') == 1
    old = out.replace(section_sizes.STYLE, "old rules")
    assert light_pages.lighten(old, tmp_path, "_images/") == out, "an old stylesheet stays"
