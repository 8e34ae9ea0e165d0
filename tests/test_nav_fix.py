"""_ext/nav_fix.py: the hidden header toggles go, and a changed theme fails the build."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
import nav_fix  # noqa: E402

# The theme's markup as pydata-sphinx-theme 0.17.1 and sphinx-book-theme 1.3.0 write it.
HEADER = """<header id="pst-header" class="bd-header navbar navbar-expand-lg bd-navbar d-print-none">
<div class="bd-header__inner bd-page-width">
  <button class="pst-navbar-icon sidebar-toggle primary-toggle" aria-label="Site navigation">
    <span class="fa-solid fa-bars"></span>
  </button>
  <div class="navbar-header-items"></div>
    <button class="pst-navbar-icon sidebar-toggle secondary-toggle" aria-label="On this page">
      <span class="fa-solid fa-outdent"></span>
    </button>
</div>
</header>"""
ARTICLE = """<div class="bd-header-article d-print-none"><div class="header-article-item">
<button class="sidebar-toggle primary-toggle btn btn-sm" title="Toggle primary sidebar">
  <span class="fa-solid fa-bars"></span>
</button></div>
<button class="sidebar-toggle secondary-toggle btn btn-sm pst-navbar-icon" title="Toggle secondary sidebar">
</button></div>"""
PAGE = f"<html><body>{HEADER}<main>{ARTICLE}</main></body></html>"


def test_the_hidden_header_toggles_go_and_the_visible_ones_stay():
    fixed = nav_fix.fix_page(PAGE, "p")
    assert 'primary-toggle" aria-label' not in fixed and 'secondary-toggle" aria-label' not in fixed
    assert fixed.count("primary-toggle") == 1 and fixed.count("secondary-toggle") == 1
    # the first .primary-toggle of the page, which the themes' scripts wire, is the visible one
    assert fixed.index("primary-toggle") > fixed.index("bd-header-article")
    assert nav_fix.fix_page(fixed, "p") == fixed  # idempotent (incremental builds)


@pytest.mark.parametrize("change", [
    # the theme renames or restyles its header button: the pattern finds nothing
    lambda p: p.replace('<span class="fa-solid fa-bars"></span>\n  </button>\n  <div',
                        '<span class="fa-solid fa-burger"></span>\n  </button>\n  <div'),
    # a second hidden hamburger
    lambda p: p.replace("<div class=\"navbar-header-items\">",
                        HEADER.split("\n")[2] + "<span class=\"fa-solid fa-bars\"></span></button>"
                        "<div class=\"navbar-header-items\">"),
    # the book theme no longer draws its own toggle in the article header
    lambda p: p.replace("sidebar-toggle primary-toggle btn", "sidebar-toggle btn"),
])
def test_changed_theme_markup_fails_the_build(change):
    changed = change(PAGE)
    assert changed != PAGE
    with pytest.raises(ExtensionError, match="nav_fix"):
        nav_fix.fix_page(changed, "p")


def _static(tmp_path, pst_js, sbt_js, css):
    (tmp_path / "scripts").mkdir()
    (tmp_path / "styles").mkdir()
    (tmp_path / "scripts" / "pydata-sphinx-theme.js").write_text(pst_js)
    (tmp_path / "scripts" / "sphinx-book-theme.js").write_text(sbt_js)
    (tmp_path / "styles" / "sphinx-book-theme.css").write_text(css)
    return tmp_path


GOOD_JS = 'r=document.querySelector(".primary-toggle"),s=document.querySelector(".secondary-toggle")'
GOOD_CSS = ".bd-header{position:inherit}.bd-header button.sidebar-toggle{display:none}"


def test_theme_scripts_that_wire_the_first_toggle_pass(tmp_path):
    nav_fix.check_scripts(_static(tmp_path, GOOD_JS, GOOD_JS, GOOD_CSS))


@pytest.mark.parametrize("pst, sbt, css", [
    ('document.querySelectorAll(".primary-toggle")', GOOD_JS, GOOD_CSS),
    (GOOD_JS, "const t = document.getElementById('pst-primary-toggle')", GOOD_CSS),
    (GOOD_JS, GOOD_JS, ".bd-header{position:inherit}"),
])
def test_changed_theme_scripts_fail_the_build(tmp_path, pst, sbt, css):
    with pytest.raises(ExtensionError, match="the theme changed"):
        nav_fix.check_scripts(_static(tmp_path, pst, sbt, css))


def test_the_installed_themes_are_the_ones_the_fix_knows():
    import pydata_sphinx_theme
    import sphinx_book_theme

    pst = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    sbt = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static"
    for rel, base in (("scripts/pydata-sphinx-theme.js", pst), ("scripts/sphinx-book-theme.js", sbt)):
        assert nav_fix._QUERY.search((base / rel).read_text(encoding="utf8")), rel
    assert nav_fix._HIDDEN_RULE.search(
        (sbt / "styles" / "sphinx-book-theme.css").read_text(encoding="utf8"))
    header = (pst.parent / "sections" / "header.html").read_text(encoding="utf8")
    assert 'sidebar-toggle primary-toggle" aria-label=' in header


def test_sidebar_toggles_get_an_accessible_name():
    page = '<details><summary><span class="toctree-toggle" role="presentation"><i></i></span></summary>'
    assert 'summary aria-label="' in nav_fix.label_toggles(page)
    assert nav_fix.label_toggles(nav_fix.label_toggles(page)) == nav_fix.label_toggles(page)
