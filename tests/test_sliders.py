"""Sliders: one frame per grid value, both display forms, deterministic, clear errors."""

import base64
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import itlib as it  # noqa: E402


def _draw(p):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["heads", "tails"], [p, 1 - p])
    ax.set_ylim(0, 1)
    return fig


def test_frames_differ_and_the_initial_one_is_shown():
    s = it.slider(_draw, [0.1, 0.5, 0.9], name="p", value=0.9)
    html = s.static_html()
    imgs = re.findall(r'<img class="itlib-slider-frame" data-index="(\d)" src="data:image/png;base64,([^"]+)" alt="([^"]*)" width="\d+" height="\d+"( hidden)?>', html)
    assert [i for i, *_ in imgs] == ["0", "1", "2"]
    assert len({b for _, b, _, _ in imgs}) == 3               # three different pictures
    assert [h for *_, h in imgs] == [" hidden", " hidden", ""]  # only p = 0.90 visible
    assert all(base64.b64decode(b)[:4] == b"\x89PNG" for _, b, _, _ in imgs)
    assert 'value="2"' in html and ">p = 0.90</output>" in html
    assert imgs[0][2] == "Figure for p = 0.10"


def test_output_is_deterministic():
    a = it.slider(_draw, [0.2, 0.4], name="p").static_html()
    b = it.slider(_draw, [0.2, 0.4], name="p").static_html()
    assert a == b


def test_bundle_has_live_and_static_forms():
    s = it.slider(_draw, np.linspace(0, 1, 3), name="p", fmt="{:.1f}", alt="Bars at p = {value}")
    bundle = s._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["version_major"] == 2 and len(view["model_id"]) > 0
    assert 'alt="Bars at p = 0.5"' in bundle["text/html"]
    assert bundle["text/plain"] == "Slider over p: 3 values from 0.0 to 1.0"


def test_live_widget_swaps_frames():
    s = it.slider(_draw, [0.1, 0.5, 0.9], name="p")
    box = s.widget()
    control, image = box.children
    frames = s.frames()
    assert image.value == frames[1]
    control.value = 2
    assert image.value == frames[2]


def test_no_figures_left_open():
    before = len(plt.get_fignums())
    it.slider(_draw, [0.1, 0.2], name="p").frames()
    assert len(plt.get_fignums()) == before


@pytest.mark.parametrize(
    "kwargs, exc, message",
    [
        (dict(plot=1, values=[0, 1], name="p"), TypeError, "plot must be callable (got int)"),
        (dict(plot=_draw, values=[0.5], name="p"), ValueError, "values must be a 1-D grid of at least 2 numbers (got shape (1,))"),
        (dict(plot=_draw, values=[0.5, 0.1], name="p"), ValueError, "values must be strictly increasing"),
        (dict(plot=_draw, values=[0.1, np.nan], name="p"), ValueError, "values must be finite"),
        (dict(plot=_draw, values=["a", "b"], name="p"), TypeError, "values must be a sequence of numbers"),
        (dict(plot=_draw, values=[0, 1], name=""), ValueError, "name must be a non-empty string"),
        (dict(plot=_draw, values=[0, 1], name="p", fmt="{:d}"), ValueError, "fmt must format one number"),
    ],
)
def test_bad_arguments(kwargs, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        it.slider(**kwargs)


def test_plot_that_returns_nothing_gets_a_clear_message():
    def forgot_return(p):
        plt.subplots()

    with pytest.raises(TypeError, match=re.escape("plot(0) must return a matplotlib Figure (got NoneType)")):
        it.slider(forgot_return, [0, 1], name="p").frames()
    plt.close("all")


def test_a_name_containing_equals_keeps_its_values():
    """Values used to be recovered by splitting the label on " = "."""
    s = it.slider(_draw, [0.1, 0.5, 0.9], name="H = -log p", alt="Bars at {value}")
    assert s.labels == ["H = -log p = 0.10", "H = -log p = 0.50", "H = -log p = 0.90"]
    assert s.formatted == ["0.10", "0.50", "0.90"]
    bundle = s._repr_mimebundle_()
    assert bundle["text/plain"] == "Slider over H = -log p: 3 values from 0.10 to 0.90"
    assert 'alt="Bars at 0.10"' in bundle["text/html"]
    assert [label for label, _ in s.widget().children[0].options] == ["0.10", "0.50", "0.90"]
    default = it.slider(_draw, [0.1, 0.5], name="a = b")
    assert 'alt="Figure for a = b = 0.10"' in default.static_html()


def test_live_widget_shows_the_whole_label():
    # ipywidgets' default description box is a fixed width: a long label such as chapter
    # 2's "separation s" is cut to "separatio..." in JupyterLab.  "initial" sizes it to
    # the text.
    s = it.slider(_draw, [0.1, 0.5, 0.9], name="separation s")
    control = s.widget().children[0]
    assert control.description == "separation s"
    assert control.style.description_width == "initial"


def test_frames_have_twice_the_pixels_they_are_shown_with():
    import struct

    s = it.slider(_draw, [0.1, 0.9], name="p", dpi=80)
    w, h = struct.unpack(">II", s.frames()[0][16:24])
    assert (w, h) == (2 * 3 * 80, 2 * 2 * 80)  # figsize (3, 2) at 2 x 80 dpi
    assert s.display_size() == (240, 160)
    assert 'width="240" height="160"' in s.static_html()
    assert s.widget().children[1].width == "240"
    one = it.slider(_draw, [0.1, 0.9], name="p", dpi=80, scale=1)
    assert struct.unpack(">II", one.frames()[0][16:24])[0] == 240
    with pytest.raises(TypeError, match="scale"):
        it.slider(_draw, [0.1, 0.9], name="p", scale=1.5)
    with pytest.raises(ValueError, match="scale"):
        it.slider(_draw, [0.1, 0.9], name="p", scale=0)
