"""_ext/figures.py: figures become links to their full-size image; sliders' frames do not."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
import figures  # noqa: E402

FIG = ('<img alt="Two curves" src="../_images/5396335725acfacd1ce133de28ddee34000d5447d2768a9f793be953edadd4e1.png" '
       'width="590" height="345" />')
FRAME = ('<img class="itlib-slider-frame" data-index="2" src="../_images/slider-ddde3d9762483c02812d.png" '
         'loading="lazy" width="720" height="270">')
LOGO = '<img alt="Colab logo" src="../_static/images/logo_colab.png">'


def test_figures_link_to_their_image_once():
    page = f"<p>{FIG}</p>{FRAME}{LOGO}"
    linked, n = figures.link_figures(page)
    assert n == 1
    assert linked.count('<a class="itml-figure-full" href="../_images/5396') == 1
    assert FRAME in linked and LOGO in linked and "slider-ddde" not in linked.split(FRAME)[0]
    again, n2 = figures.link_figures(linked)
    assert again == linked and n2 == 1


def test_kernel_config_asks_for_retina_figures():
    assert "figure_formats = {'retina'}" in figures.KERNEL_CONFIG


def test_a_figure_sphinx_already_links_is_left_alone():
    page = f'<a class="reference internal image-reference" href="../_images/x.png">{FIG}</a>'
    linked, n = figures.link_figures(page)
    assert linked == page and n == 1


SIZED = ('<img alt="A curve" loading="lazy" src="../_images/a9dc.png" '
         'style="width: 590px; height: 339px;" />')


def test_a_figure_sized_by_its_style_keeps_its_space():
    page = f'<p>{SIZED}</p>{FRAME}{LOGO}'
    out, n = figures.reserve_space(page)
    assert n == 1
    assert 'style="width: 590px; height: 339px; aspect-ratio: 590 / 339;"' in out
    assert FRAME in out and LOGO in out
    assert figures.reserve_space(out) == (out, 1)


def test_a_figure_sized_by_attributes_is_left_to_them():
    assert figures.reserve_space(FIG) == (FIG, 0)
