"""_ext/fast_pages.py, without a build: head scripts deferred (but the one read at once),
search scripts only where search runs, Font Awesome cut to the icons used (on the theme's
real fonts), the theme script's load-time pass removed; and the book's docutils.conf, which
makes the images that Sphinx writes lazy (the job fast_pages did by regex before).
tests/site/ checks the built site (test_site_weight.py, test_site_fast_pages.py)."""

from __future__ import annotations

import re
import shutil
import sys
import warnings
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from sphinx.errors import ExtensionError

import pydata_sphinx_theme

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import fast_pages  # noqa: E402

THEME_STATIC = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
                / "static")
GITHUB, BARS, APPLE = 0xF09B, 0xF0C9, 0xF179  # fa-github (brands), fa-bars (solid), fa-apple

HEAD = """<html><head>
<link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=1" />
<script src="../_static/documentation_options.js?v=1"></script>
<script src="../_static/doctools.js?v=2"></script>
<script>let toggleHintShow = 'Click to show';</script>
<script data-sd-tabs-storage-prefix="x-" src="../_static/design-tabs.js?v=3"></script>
<script async src="../_static/other.js"></script>
<script>DOCUMENTATION_OPTIONS.search_as_you_type = false;</script>
    <script src="../_static/searchtools.js"></script>
    <script src="../_static/language_data.js"></script>
    <script src="../searchindex.js"></script>
</head><body><header><img src="logo.png"></header><article>
<img alt="a figure" src="../_images/a.png" />
<img class="itlib-slider-frame" data-index="0" src="../_images/s.png" loading="lazy">
<img alt="eager on purpose" src="b.png" loading="eager">
</article></body></html>"""


def test_head_scripts_are_deferred_but_the_options():
    out = fast_pages.fast_head(HEAD, "chapters/01.html")
    assert '<script src="../_static/documentation_options.js?v=1"></script>' in out
    assert '<script defer src="../_static/doctools.js?v=2"></script>' in out
    assert '<script defer data-sd-tabs-storage-prefix="x-" src="../_static/design-tabs.js' in out
    assert "<script>let toggleHintShow" in out, "an inline script was changed"
    assert "<script async src" in out and "defer async" not in out
    assert 'rel="preload"' not in out
    assert "searchtools" not in out and "language_data" not in out and "searchindex" not in out
    assert '<img src="logo.png">' in out, "fast_head changed the body"
    assert fast_pages.fast_head(out, "chapters/01.html") == out, "not idempotent"


def test_search_scripts_stay_where_search_runs():
    out = fast_pages.fast_head(HEAD, "search.html")
    assert out.count("<script defer src=\"../searchindex.js\">") == 1
    on = HEAD.replace("search_as_you_type = false", "search_as_you_type = true")
    assert "searchindex.js" in fast_pages.fast_head(on, "chapters/01.html")


def test_sphinx_writes_lazy_images_with_the_books_docutils_conf(monkeypatch, tmp_path):
    """As the build reads it (docutils' ./docutils.conf: `jupyter-book build .` runs in the
    book's folder and builds without a conf.py, so Sphinx names no docutils.conf itself),
    the book's docutils.conf makes Sphinx's HTML writer put loading="lazy" on an image."""
    from docutils.core import publish_parts
    from docutils.frontend import OptionParser
    from sphinx.environment import default_settings
    from sphinx.writers.html import HTMLWriter

    def writer_settings():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            # what Sphinx's HTML builder does (StandaloneHTMLBuilder.prepare_writing)
            return OptionParser(defaults=dict(default_settings), components=(HTMLWriter,),
                                read_config_files=True).get_default_values()

    monkeypatch.delenv("DOCUTILSCONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))           # no ~/.docutils of the tester's
    monkeypatch.chdir(tmp_path)
    assert writer_settings().image_loading == "link", "docutils' default changed"
    monkeypatch.chdir(ROOT)
    loading = writer_settings().image_loading
    assert loading == "lazy", f"docutils.conf gives image_loading {loading!r}"
    out = publish_parts(".. image:: a.png\n   :alt: a figure\n", writer_name="html5",
                        settings_overrides={"image_loading": loading, "report_level": 5})
    assert re.search(r'<img alt="a figure" loading="lazy" src="a.png" />', out["body"]), out["body"]


def test_scroll_stops_script_once():
    out = fast_pages.scroll_stops(HEAD)
    assert out.count('id="itlib-scroll-stops"') == 1 and fast_pages.SCROLLABLE in out
    assert fast_pages.scroll_stops(out) == out


CSS = ('.fa-bars:before{content:"\\f0c9"}.fa-apple:before{content:"\\f179"}'
       '.fa-github:before,.fa-github-alt:before{content:"\\f09b"}'
       '.fa-0:before{content:"\\30"}.fa-lg{font-size:1.25em}'
       'html{--pst-icon-bell:"\uf0f3";--pst-font:"Lato"}'
       '.x:after{content:"\\f107";font:var(--fa-font-solid)}')


def test_icon_css_keeps_the_used_rules_only():
    out = fast_pages.trim_icon_css(CSS, {"fa-bars", "fa-github", "fa-lg"})
    assert '.fa-bars:before{content:"\\f0c9"}' in out
    assert '.fa-github:before{content:"\\f09b"}' in out, "a shared rule lost its used name"
    assert "fa-apple" not in out and "fa-github-alt" not in out and "fa-0" not in out
    assert ".fa-lg{font-size:1.25em}" in out and "--pst-icon-bell" in out
    points = fast_pages.icon_codepoints([out])
    assert points == {BARS, GITHUB, 0xF0F3, 0xF107}, sorted(map(hex, points))


def test_used_icon_names():
    names = fast_pages.used_icon_names(['<i class="fa-solid fa-sun fa-lg">', 'f.classList="fa-xmark"'])
    assert names == {"fa-solid", "fa-sun", "fa-lg", "fa-xmark"}


@pytest.mark.parametrize("stem", ["fa-solid-900", "fa-brands-400"])
def test_subset_font_keeps_exactly_the_glyphs_asked(tmp_path, stem):
    ttf = THEME_STATIC / "vendor" / "fontawesome" / "webfonts" / f"{stem}.ttf"
    full = set(TTFont(ttf).getBestCmap())
    data = fast_pages.subset_font(ttf, {GITHUB, BARS, APPLE, 0x41})
    assert data[:4] == b"wOFF" and len(data) < ttf.stat().st_size / 10
    (tmp_path / "x.woff").write_bytes(data)
    font = TTFont(tmp_path / "x.woff")
    cmap = font.getBestCmap()
    assert set(cmap) == {GITHUB, BARS, APPLE, 0x41} & full
    assert all(font["glyf"][g].numberOfContours > 0 for g in cmap.values()), "an empty glyph"
    assert "Font Awesome" in font["name"].getDebugName(1)
    assert fast_pages.subset_font(ttf, {GITHUB, BARS}) == fast_pages.subset_font(ttf, {GITHUB, BARS}), \
        "subset fonts differ run to run (their file names carry their digest)"


def _site(tmp_path: Path) -> Path:
    """A minimal built site: the theme's real stylesheet, fonts and script, one page."""
    out = tmp_path / "html"
    shutil.copytree(THEME_STATIC, out / "_static")
    (out / "page.html").write_text('<i class="fa-brands fa-github"></i><i class="fas fa-bars">',
                                   encoding="utf8")
    return out


def test_fast_icons_on_the_theme(tmp_path):
    out = _site(tmp_path)
    before = (out / fast_pages.THEME_CSS).read_text(encoding="utf8")
    written = fast_pages.fast_icons(out)
    css = (out / fast_pages.THEME_CSS).read_text(encoding="utf8")
    assert len(css) < len(before) - 50_000, "the unused glyph rules were not dropped"
    assert ".fa-github:before" in css and ".fa-bars:before" in css and ".fa-apple:before" not in css
    assert ".woff2" not in css and ".ttf" not in css
    assert len(written) == 3 and all(n < 20_000 for n in written.values()), written
    webfonts = out / "_static" / "vendor" / "fontawesome" / "webfonts"
    brands = TTFont(next(webfonts.glob("fa-brands-400-*.woff")))
    solid = TTFont(next(webfonts.glob("fa-solid-900-*.woff")))
    assert GITHUB in brands.getBestCmap() and APPLE not in brands.getBestCmap()
    assert BARS in solid.getBestCmap()
    # the theme's own icons (admonitions: --pst-icon-*, dropdowns) stay
    assert 0xF05A in solid.getBestCmap(), "the note admonition's icon (info-circle) is gone"
    assert fast_pages.fast_icons(out) is None, "a second pass changed the site again"


def test_theme_script_loses_its_load_time_pass(tmp_path):
    out = _site(tmp_path)
    assert fast_pages.quiet_theme_script(out) is True
    js = (out / fast_pages.THEME_JS).read_text(encoding="utf8")
    assert fast_pages._THEME_FIRST_CALL not in js and fast_pages._THEME_NO_FIRST_CALL in js
    assert fast_pages.quiet_theme_script(out) is False
    (out / fast_pages.THEME_JS).write_text("console.log('another theme')", encoding="utf8")
    with pytest.raises(ExtensionError, match="not the one this extension knows"):
        fast_pages.quiet_theme_script(out)


def test_back_to_top_reads_the_header_at_the_first_scroll(tmp_path):
    out = _site(tmp_path)                        # the theme's real bootstrap.js
    assert fast_pages.quiet_back_to_top(out) is True
    js = (out / fast_pages.BOOTSTRAP_JS).read_text(encoding="utf8")
    assert fast_pages._BACK_TO_TOP not in js and fast_pages._BACK_TO_TOP_LAZY in js
    # no read of the header's rectangle is left outside the scroll listener
    head, _, listener = js.partition('window.addEventListener("scroll",function(){e=e||')
    assert 'getElementsByClassName("bd-header")' not in head[-400:]
    assert listener.startswith('{bottom:document.getElementsByClassName("bd-header")[0]'
                               '.getBoundingClientRect().bottom+window.scrollY}')
    assert fast_pages.quiet_back_to_top(out) is False, "a second pass changed it again"
    (out / fast_pages.BOOTSTRAP_JS).write_text("console.log('another theme')", encoding="utf8")
    with pytest.raises(ExtensionError, match="bootstrap.js is not the one"):
        fast_pages.quiet_back_to_top(out)


def test_inline_scripts_of_the_body_wait_for_the_parser():
    page = ("<html><head><script>(function () { var inHead = 1; })();</script></head><body>"
            "<div class=\"itlib-slider\"></div>\n<script>\n(function () {\n  bind();\n})();\n</script>"
            '<script type="application/json" class="itlib-slider-labels">["a"]</script>'
            '<script id="itlib-lazy-frames">(function () {})();</script></body></html>')
    out = fast_pages.late_inline_scripts(page)
    assert "<head><script>(function () { var inHead = 1; })();</script></head>" in out
    assert ("<script>document.addEventListener('DOMContentLoaded', function () {\n"
            "(function () {\n  bind();\n})();\n\n});</script>") in out
    assert '<script type="application/json" class="itlib-slider-labels">["a"]</script>' in out
    assert '<script id="itlib-lazy-frames">(function () {})();</script>' in out
    assert fast_pages.late_inline_scripts(out) == out, "not idempotent"


def test_colour_theme_is_chosen_first_in_head():
    page = ('<!DOCTYPE html>\n<html data-theme="auto">\n  <head>\n    <meta charset="utf-8" />\n'
            '<title>t</title></head><body><p>x</p></body></html>')
    out = fast_pages.early_theme(page)
    head = out[:out.index("</head>")]
    assert head.index('<meta charset="utf-8" />') < head.index(fast_pages._EARLY_THEME_MARK) \
        < head.index("<title>"), "the script must come right after the charset"
    assert 'localStorage.getItem("mode")' in out and "prefers-color-scheme: dark" in out
    assert fast_pages.early_theme(out) == out, "not idempotent"
    assert fast_pages.early_theme("<p>no head</p>") == "<p>no head</p>"
    # after the theme's own inline script, which would set "auto" again
    theme = ('  <script data-cfasync="false">\n'
             '    document.documentElement.dataset.mode = localStorage.getItem("mode") || "auto";\n'
             '    document.documentElement.dataset.theme = localStorage.getItem("theme") || "auto";\n'
             '  </script>\n')
    out = fast_pages.early_theme(page.replace("<title>", theme + "<title>"))
    assert out.index('|| "auto";\n  </script>') < out.index(fast_pages._EARLY_THEME_MARK) \
        < out.index("<title>")
