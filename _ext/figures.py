"""Sphinx extension: figures a phone can read (issue 26, item 4).

* **Figures at twice their displayed size.**  The chapters' matplotlib figures came out at
  1x (about 590 px wide) and were shrunk to 60 % on a 390 px phone, where tick labels were
  3-5 px tall.  The notebooks are executed by the book build with IPython's inline backend
  set to ``retina``: each PNG has twice the pixels, and its output carries the 1x width
  and height, which MyST-NB writes on the ``<img>`` (same layout on a desktop; sharp when
  a phone or a high-density screen scales it).  It is set by an IPython profile made for
  the build (``IPYTHONDIR`` points at ``_build/ipython`` while Sphinx runs; the kernels
  that execute the notebooks inherit it), so the notebooks, Colab and a reader's Jupyter
  are unchanged.
* **A tap opens the full-size image.**  Each figure of the article (a PNG, JPEG or SVG
  under ``_images/`` written from a notebook output or a Markdown figure; not the sliders'
  frames, which change with the slider) is a link to its image file: Sphinx links the
  figures it scales (``html_scaled_image_link``, the 2x ones), this wraps the others.
* **Space kept before a figure loads.**  The 2x figures carry their 1x size as an inline
  style (``width: 590px; height: 339px``), and the site's stylesheet sets
  ``height: auto`` so that a narrower column scales them in proportion.  Unlike the
  ``width``/``height`` attributes, an inline style gives the browser no aspect ratio, so a
  lazy figure was 0 px tall until it loaded and the page below it jumped.  Each such
  figure gets ``aspect-ratio: W / H`` in its style.

The build fails (``ExtensionError``) if no page of the site has a figure to link: the
markup this relies on changed.  tests/test_figures_ext.py checks the functions;
tests/site/test_site_reader.py checks the built figures' resolution and the space each keeps
before it loads, in chromium at 390 px.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sphinx.errors import ExtensionError

__all__ = ["setup", "link_figures", "reserve_space", "KERNEL_CONFIG", "FIGURE_IMG"]

KERNEL_CONFIG = (
    "# Written by _ext/figures.py for the book build: figures at 2x (retina), with\n"
    "# their 1x size in the output's metadata.\n"
    "c.InlineBackend.figure_formats = {'retina'}\n")

# An <img> of a figure: its file under _images/ named by MyST-NB or Sphinx (a digest or
# the source's name), not a slider frame (class itlib-slider-frame, named slider-*.png).
FIGURE_IMG = re.compile(
    r'<img (?![^>]*itlib-slider-frame)[^>]*?src="(?P<src>[^"]*_images/(?!slider-)[^"/]+'
    r'\.(?:png|jpe?g|svg|gif|webp))"[^>]*>')
LINK_CLASS = "itml-figure-full"


def link_figures(html: str) -> tuple[str, int]:
    """The page with each figure wrapped in a link to its full-size image; (page, number of
    figures it has, linked now or before)."""
    count = 0
    out, pos = [], 0
    for m in FIGURE_IMG.finditer(html):
        count += 1
        before = html[max(0, m.start() - 300):m.start()]
        if re.search(r'<a\b[^>]*\bhref="[^"]*"[^>]*>\s*$', before):
            # linked already: by an earlier build, or by Sphinx, which links a scaled
            # image (one with a width, as the 2x figures have) to its file
            continue
        out.append(html[pos:m.start()])
        out.append(f'<a class="{LINK_CLASS}" href="{m["src"]}" '
                   f'title="Open the figure at full size">{m[0]}</a>')
        pos = m.end()
    out.append(html[pos:])
    return "".join(out), count


_STYLE_SIZE = re.compile(r'(?P<before>\sstyle="[^"]*?)(?P<size>width:\s*(?P<w>[\d.]+)px;\s*'
                         r'height:\s*(?P<h>[\d.]+)px;?)(?P<after>[^"]*")')


def reserve_space(html: str) -> tuple[str, int]:
    """The page with ``aspect-ratio: W / H`` added to the style of each figure sized by an
    inline ``width: Wpx; height: Hpx`` (none twice); (page, number of figures so sized)."""
    count = 0

    def fix(m):
        nonlocal count
        tag = m[0]
        s = _STYLE_SIZE.search(tag)
        if s is None:
            return tag
        count += 1
        if "aspect-ratio" in s["before"] + s["after"]:
            return tag
        size = s["size"].rstrip(";") + f"; aspect-ratio: {s['w']} / {s['h']};"
        return tag[:s.start("size")] + size + tag[s.end("size"):]

    return FIGURE_IMG.sub(fix, html), count


def _config_inited(app, config):
    profile = Path(app.outdir).parent / "ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    path = profile / "ipython_kernel_config.py"
    if not path.is_file() or path.read_text(encoding="utf8") != KERNEL_CONFIG:
        path.write_text(KERNEL_CONFIG, encoding="utf8")
    os.environ["IPYTHONDIR"] = str(profile.parent)


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    total = 0
    for page in outdir.rglob("*.html"):
        rel = page.relative_to(outdir)
        if rel.parts[0] in ("_static", "_sources", "_images"):
            continue
        text = page.read_text(encoding="utf8")
        new, n = link_figures(text)
        new, _ = reserve_space(new)
        total += n
        if new != text:
            page.write_text(new, encoding="utf8")
    if total == 0:
        raise ExtensionError("figures: no page has a figure under _images/ to link: the "
                             "markup of figures changed; update FIGURE_IMG in _ext/figures.py")


def setup(app):
    app.connect("config-inited", _config_inited)
    # Before light_pages (900) and fast_pages (950, which makes the images lazy).
    app.connect("build-finished", _build_finished, priority=850)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
