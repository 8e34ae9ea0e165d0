"""One call from a plotting function of one parameter to a slider.

:func:`slider` takes ``plot(value) -> matplotlib Figure`` and a grid of values and
returns an object that displays

* in Jupyter, Binder and Colab as a live ipywidgets slider (ipywidgets 7.7 and 8),
* on the static website, where no kernel runs, as an HTML range input that swaps
  precomputed frames (one PNG per grid value) and updates its label.

Both forms show the same frames, rendered once when the object is displayed.  The
display bundle carries both ``application/vnd.jupyter.widget-view+json`` (the live
form) and ``text/html`` (the static form); a notebook front end picks the first, the
book's build is configured to pick the second.  Element ids come from a hash of the
frames, so the output is the same on every run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import numbers
import struct

import numpy as np

from ._html import bind_once, script_json

__all__ = ["slider", "Slider"]


class Slider:
    """A slider that re-draws ``plot(value)`` for each value of a grid.

    Display it by making it the last expression of a cell.  ``it.slider(...)`` is the
    name the chapters call: it is this class.

    Parameters
    ----------
    plot : callable
        ``plot(v)`` returns a :class:`matplotlib.figure.Figure` for the parameter value
        ``v``.  The figure is closed after it is rendered.
    values : array_like, shape (n,)
        The grid of parameter values, finite and strictly increasing (n >= 2).
    name : str
        The parameter's name as the reader sees it ("p", "beta", "ρ").
    value : float, optional
        Initial value: the grid point nearest to it.  Default: the middle of the grid.
    fmt : str, default "{:.2f}"
        Format of the value in the label, e.g. ``"{:.0f}"``.
    alt : str, optional
        Text alternative for the figure; ``{value}`` is replaced by the formatted value.
        Default: "Figure for <name> = <value>".
    dpi : int, default 90
        Resolution of the frames as displayed: a figure ``w`` inches wide is shown
        ``w * dpi`` CSS pixels wide.
    scale : int, default 2
        The frames are rendered at ``scale`` times that resolution (``dpi * scale``) and
        displayed at their 1x size, so that a phone (which shrinks them to its width) and
        a high-density screen draw them sharp: on a 390 px phone a frame keeps at least
        twice the pixels it is drawn with.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> def draw(p):
    ...     fig, ax = plt.subplots()
    ...     ax.bar(["heads", "tails"], [p, 1 - p])
    ...     return fig
    >>> s = slider(draw, [0.1, 0.5, 0.9], name="p")
    >>> s.labels
    ['p = 0.10', 'p = 0.50', 'p = 0.90']
    >>> s.formatted
    ['0.10', '0.50', '0.90']
    """

    def __init__(self, plot, values, *, name, value=None, fmt="{:.2f}", alt="", dpi=90,
                 scale=2):
        if not callable(plot):
            raise TypeError(f"plot must be callable (got {type(plot).__name__})")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"name must be a non-empty string (got {name!r})")
        try:
            grid = np.asarray(values, dtype=float)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"values must be a sequence of numbers (got {values!r})") from exc
        if grid.ndim != 1 or grid.size < 2:
            raise ValueError(f"values must be a 1-D grid of at least 2 numbers (got shape {grid.shape})")
        if not np.all(np.isfinite(grid)):
            raise ValueError("values must be finite")
        if np.any(np.diff(grid) <= 0):
            raise ValueError("values must be strictly increasing")
        try:
            formatted = [fmt.format(v) for v in grid]
        except (ValueError, IndexError, KeyError) as exc:
            raise ValueError(f"fmt must format one number, like '{{:.2f}}' (got {fmt!r})") from exc
        if value is None:
            index = (grid.size - 1) // 2
        else:
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"value must be a number (got {value!r})")
            index = int(np.argmin(np.abs(grid - float(value))))
        self.plot = plot
        self.values = grid
        self.name = name
        #: The values as the reader sees them, and the labels "<name> = <value>".
        self.formatted = formatted
        self.labels = [f"{name} = {v}" for v in formatted]
        self.index = index
        self.alt = alt
        self.dpi = int(dpi)
        if isinstance(scale, bool) or not isinstance(scale, numbers.Integral):
            raise TypeError(f"scale must be a whole number (got {scale!r})")
        if not 1 <= scale <= 4:
            raise ValueError(f"scale must be between 1 and 4 (got {scale})")
        self.scale = int(scale)
        self._frames: list[bytes] | None = None

    # -- frames ---------------------------------------------------------------------
    def frames(self) -> list[bytes]:
        """PNG bytes of every frame, rendered on first use and cached."""
        if self._frames is None:
            self._frames = [self._render(v) for v in self.values]
        return self._frames

    def _render(self, v) -> bytes:
        import matplotlib.pyplot as plt
        from matplotlib.figure import Figure

        fig = self.plot(float(v))
        if not isinstance(fig, Figure):
            raise TypeError(
                f"plot({v:g}) must return a matplotlib Figure (got {type(fig).__name__}); "
                "end the function with `return fig`")
        buf = io.BytesIO()
        # No metadata: identical bytes on every run.
        fig.savefig(buf, format="png", dpi=self.dpi * self.scale, metadata={"Software": None})
        plt.close(fig)
        return buf.getvalue()

    def display_size(self) -> tuple[int, int]:
        """(width, height) in CSS pixels at which the frames are shown: their 1x size."""
        png = self.frames()[0]
        w, h = struct.unpack(">II", png[16:24])
        return round(w / self.scale), round(h / self.scale)

    def _alt(self, i: int) -> str:
        if self.alt:
            return self.alt.replace("{value}", self.formatted[i])
        return f"Figure for {self.labels[i]}"

    @property
    def slider_id(self) -> str:
        h = hashlib.sha1()
        for label, frame in zip(self.labels, self.frames()):
            h.update(label.encode())
            h.update(frame)
        return "itlib-slider-" + h.hexdigest()[:12]

    # -- the two forms --------------------------------------------------------------
    def static_html(self) -> str:
        """The kernel-free form: a range input that swaps precomputed frames."""
        sid = self.slider_id
        w, h = self.display_size()
        imgs = "\n".join(
            f'<img class="itlib-slider-frame" data-index="{i}" '
            f'src="data:image/png;base64,{base64.b64encode(png).decode()}" '
            f'alt="{html.escape(self._alt(i))}" width="{w}" height="{h}"'
            f'{"" if i == self.index else " hidden"}>'
            for i, png in enumerate(self.frames())
        )
        label = html.escape(self.labels[self.index])
        return (
            f'<div class="itlib-slider" id="{sid}">'
            f'<div class="itlib-slider-controls" style="display:flex;gap:.8em;align-items:center">'
            f'<label for="{sid}-range">{html.escape(self.name)}</label>'
            f'<input type="range" id="{sid}-range" min="0" max="{len(self.values) - 1}" '
            f'step="1" value="{self.index}" aria-valuetext="{label}">'
            f'<output for="{sid}-range" class="itlib-slider-label">{label}</output>'
            f"</div>\n{imgs}\n"
            f'<script type="application/json" class="itlib-slider-labels">'
            f"{script_json(self.labels)}</script>"
            f"<script>{_JS}</script></div>"
        )

    def widget(self):
        """The live form: an ipywidgets SelectionSlider above an Image of the frame."""
        import ipywidgets as widgets

        frames = self.frames()
        options = [(v, i) for i, v in enumerate(self.formatted)]
        # description_width "initial": the label takes the width it needs (the default
        # box cuts "separation s" to "separatio..." in JupyterLab); ipywidgets 7 and 8.
        control = widgets.SelectionSlider(options=options, value=self.index,
                                          description=self.name, continuous_update=True,
                                          style={"description_width": "initial"})
        # shown at the frames' 1x size (they are rendered at `scale` times it)
        image = widgets.Image(value=frames[self.index], format="png",
                              width=str(self.display_size()[0]))

        def on_change(change):
            image.value = frames[change["new"]]

        control.observe(on_change, names="value")
        return widgets.VBox([control, image])

    def _repr_mimebundle_(self, include=None, exclude=None):
        box = self.widget()
        return {
            "text/plain": f"Slider over {self.name}: {len(self.values)} values from "
                          f"{self.formatted[0]} to {self.formatted[-1]}",
            "text/html": self.static_html(),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": box.model_id},
        }


_JS = bind_once("itlib-slider", r"""    var range = root.querySelector('input[type=range]');
    var out = root.querySelector('.itlib-slider-label');
    var labels = JSON.parse(root.querySelector('script.itlib-slider-labels').textContent);
    var frames = root.querySelectorAll('img.itlib-slider-frame');
    var show = function () {
      var i = parseInt(range.value, 10);
      Array.prototype.forEach.call(frames, function (f, j) { f.hidden = (j !== i); });
      out.textContent = labels[i];
      range.setAttribute('aria-valuetext', labels[i]);
    };
    range.addEventListener('input', show);
    range.addEventListener('change', show);
""")


slider = Slider  # the name the chapters use: ``it.slider(plot, values, name=...)``
