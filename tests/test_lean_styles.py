"""_ext/lean_styles.py, without a build: which CSS rules PurgeCSS (tools/purgecss/) drops
and keeps with the book's options, which code spans are unwrapped, how an incremental
build cuts again from the original, and the message when Node or PurgeCSS fails.
tests/site/test_site_lean_styles.py checks on the built site that nothing drawn changes.
The tests that run PurgeCSS need `make assets` (tools/fetch_assets.sh), like the build,
and are marked slow."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
import lean_styles  # noqa: E402

CSS = """/*! Kit v1 | MIT licence */
/* an ordinary comment */
.used{color:red}
.unused{color:blue}
.shown-by-script{display:block}
.used,.unused .x{margin:0}
p:not(.unused){text-decoration:none}
:is(.unused, .used) p{padding:0}
.used:hover > .unused{color:green}
#used-id{top:0}
#other-id{top:1px}
a[href$=".pdf"]{color:red}
a[href^="https"]{color:blue}
.bs-tooltip-top{inset:auto}
[data-theme=dark] .used{color:white}
[data-theme=sepia] .used{color:brown}
.menu[data-bs-popper]{top:100%}
:focus-visible{outline:auto}
:hover > .unused{color:red}
div p{line-height:1}
@media (min-width: 960px){.unused{display:none}.used{display:block}}
@media print{.unused{display:none}}
@supports (display:grid){@media screen{.used{display:grid}}}
@font-face{font-family:X;src:url(x.woff)}
@keyframes spin{from{transform:rotate(0)}to{transform:rotate(1turn)}}
"""
PAGE = ('<html data-theme="light"><div class="used x" id="used-id"><p>text</p></div>'
        '<a href="book.pdf">PDF</a> <a href="https://example.org/">site</a>'
        '<ul class="menu"></ul></html>')
SCRIPT = ('el.classList.add("shown-by-script"); tip.classList.add("bs-tooltip-" + where);'
          'document.documentElement.dataset.theme = mode === "dark" ? "dark" : "light";')


@pytest.fixture(scope="module")
def cut(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "page.html").write_text(PAGE, encoding="utf8")
    (root / "theme.js").write_text(SCRIPT, encoding="utf8")
    return lean_styles.purge_css({"site.css": CSS}, [root / "page.html", root / "theme.js"])[
        "site.css"]


@pytest.mark.slow
def test_a_rule_for_an_unused_class_goes_one_for_a_class_a_script_adds_stays(cut):
    assert ".used{color:red}" in cut
    assert ".unused{color:blue}" not in cut
    assert ".shown-by-script{display:block}" in cut     # the class is in no page


@pytest.mark.slow
def test_selectors_naming_an_unused_class_or_id_go(cut):
    assert "#used-id{top:0}" in cut and "#other-id" not in cut
    assert ".used:hover > .unused" not in cut and ":hover > .unused" not in cut
    assert ":focus-visible{outline:auto}" in cut     # pseudo-classes alone: always kept
    # a selector list keeps its selectors that can match, loses the others
    assert ".used{margin:0}" in cut and ".unused .x" not in cut
    assert "div p{line-height:1}" in cut


@pytest.mark.slow
def test_classes_inside_not_never_drop_a_rule_and_is_keeps_what_can_match(cut):
    assert "p:not(.unused){text-decoration:none}" in cut  # matches every other paragraph
    assert ".used) p{padding:0}" in cut and ".unused, .used" not in cut


@pytest.mark.slow
def test_safelisted_and_attribute_selectors(cut):
    assert ".bs-tooltip-top{inset:auto}" in cut          # built from a prefix by a script
    assert "[data-theme=dark] .used{color:white}" in cut  # a value that a script sets
    assert "[data-theme=sepia]" not in cut
    assert 'a[href$=".pdf"]{color:red}' in cut            # links: values are not words
    assert 'a[href^="https"]{color:blue}' in cut
    assert ".menu[data-bs-popper]{top:100%}" in cut     # set by Bootstrap's script


@pytest.mark.slow
def test_at_rules_and_comments(cut):
    assert "@media (min-width: 960px){.used{display:block}}" in cut
    assert "@media print" not in cut                 # nothing left inside: gone
    assert "@supports (display:grid){@media screen{.used{display:grid}}}" in cut
    assert "@font-face{font-family:X;src:url(x.woff)}" in cut
    assert "@keyframes spin" in cut
    assert "/*! Kit v1 | MIT licence */" in cut       # a licence notice stays
    assert "an ordinary comment" not in cut


PYGMENTS = """html[data-theme="light"] .highlight { background: #fefefe; color: #080808 }
html[data-theme="light"] .highlight .k { color: #6730C5 } /* Keyword */
html[data-theme="light"] .highlight .n { color: #080808 } /* Name */
html[data-theme="light"] .highlight .p { color: #080808 } /* Punctuation */
html[data-theme="light"] .highlight .w { color: #080808; font-style: italic }
html[data-theme="light"] .highlight .o { color: #080808 }
html[data-theme="dark"] .highlight { background: #2b2b2b; color: #F8F8F2 }
html[data-theme="dark"] .highlight .k { color: #DCC6E0 } /* Keyword */
html[data-theme="dark"] .highlight .n { color: #F8F8F2 } /* Name */
html[data-theme="dark"] .highlight .p { color: #F8F8F2 } /* Punctuation */
html[data-theme="dark"] .highlight .w { color: #F8F8F2 }
html[data-theme="dark"] .highlight .o { color: #ABE338 }
"""


def test_plain_token_classes():
    # k has a colour of its own; w is italic in light mode; o is coloured in dark mode
    assert lean_styles.plain_token_classes(PYGMENTS) == {"n", "p"}
    # another sheet that styles a lone span.p (or .p) makes it not plain; one that
    # needs a second class on the element (.sig-param.n) cannot touch a token's span
    assert lean_styles.plain_token_classes(PYGMENTS, "pre span.p:hover{color:red}") == {"n"}
    assert lean_styles.plain_token_classes(PYGMENTS, ".sig-param.n{color:red}") == {"n", "p"}


def test_unwrap_plain_tokens_in_code_blocks_only():
    html = ('<p><span class="n">prose</span></p>'
            '<div class="highlight"><pre><span></span><span class="k">import</span> '
            '<span class="n">numpy</span><span class="p">(</span><span class="p">)</span>'
            '</pre></div>')
    out = lean_styles.unwrap_plain_tokens(html, {"n", "p"})
    assert out == ('<p><span class="n">prose</span></p>'
                   '<div class="highlight"><pre><span></span><span class="k">import</span> '
                   'numpy()</pre></div>')
    assert lean_styles.unwrap_plain_tokens(out, {"n", "p"}) == out
    assert lean_styles.unwrap_plain_tokens(html, set()) == html


def _site(root: Path, body: str):
    (root / "_static").mkdir(parents=True, exist_ok=True)
    (root / "_static" / "site.css").write_text(
        '@import "base.css";\n.a{color:red}\n.b{color:blue}\n.shown{color:green}\n'
        '.typeset{color:navy}\n', encoding="utf8")
    (root / "_static" / "menu.js").write_text('menu.classList.add("shown")', encoding="utf8")
    (root / "_static" / "mathjax").mkdir()      # MathJax's words do not count
    (root / "_static" / "mathjax" / "tex.js").write_text('el.className = "typeset"',
                                                         encoding="utf8")
    (root / "_static" / "base.css").write_text(".a{margin:0}\n.c{margin:1px}\n",
                                               encoding="utf8")
    (root / "_static" / "unlinked.css").write_text(".z{color:red}\n", encoding="utf8")
    (root / "page.html").write_text(
        f'<link rel="stylesheet" href="_static/site.css?v=1" /><body>{body}</body>',
        encoding="utf8")


@pytest.mark.slow
def test_site_stylesheets_are_cut_and_cut_again_from_the_original(tmp_path):
    site, originals = tmp_path / "html", tmp_path / "doctrees" / lean_styles.ORIGINALS
    _site(site, '<div class="a"></div>')
    sizes = lean_styles.lean_site_css(site, originals)
    assert set(sizes) == {"_static/site.css", "_static/base.css"}     # and its @import
    css = (site / "_static" / "site.css").read_text(encoding="utf8")
    assert ".a{color:red}" in css and ".b" not in css
    assert ".shown{color:green}" in css and ".typeset" not in css   # a script's class
    assert ".c" not in (site / "_static" / "base.css").read_text(encoding="utf8")
    assert (site / "_static" / "unlinked.css").read_text(encoding="utf8") == ".z{color:red}\n"
    assert ".b{color:blue}" in (originals / "_static" / "site.css").read_text(encoding="utf8")
    # An incremental build: a page now uses .b, and the cut sheet was left in place.
    (site / "page.html").write_text((site / "page.html").read_text(encoding="utf8")
                                    .replace('class="a"', 'class="a b"'), encoding="utf8")
    lean_styles.lean_site_css(site, originals)
    css = (site / "_static" / "site.css").read_text(encoding="utf8")
    assert ".b{color:blue}" in css and css.count(lean_styles.MARK) == 1


def _fake_tool(tmp_path, script: str | None, monkeypatch):
    """lean_styles.PURGE_CSS pointed at ``script`` (None: a folder where `make assets` did
    not install PurgeCSS)."""
    tool = tmp_path / "purgecss"
    tool.mkdir()
    if script is not None:
        (tool / "node_modules" / "purgecss").mkdir(parents=True)
        (tool / "purge_css.js").write_text(script, encoding="utf8")
    monkeypatch.setattr(lean_styles, "PURGE_CSS", tool / "purge_css.js")


def test_purgecss_not_installed_fails_the_build_with_what_to_run(tmp_path, monkeypatch):
    _fake_tool(tmp_path, None, monkeypatch)
    with pytest.raises(ExtensionError,
                       match=r"needs Node and PurgeCSS: run `bash tools/fetch_assets.sh`"):
        lean_styles.purge_css({"a.css": ".a{}"}, [])


@pytest.mark.slow                           # runs Node, like the tests above
@pytest.mark.parametrize("script, said", [
    ("process.stderr.write('purge_css.js: CssSyntaxError: Unclosed block'); process.exit(1)",
     r"PurgeCSS failed to cut the stylesheets:\npurge_css.js: CssSyntaxError: Unclosed block"),
    ("process.stdout.write('{\"css\": [{\"name\": \"b.css\", \"css\": \"\"}]}')",
     r"PurgeCSS returned the stylesheets \['b.css'\], not \['a.css'\]"),
    ("process.stdout.write('Warning: something')", r"PurgeCSS answered what purge_css.js"),
], ids=["fails", "other-sheets", "not-json"])
def test_a_failure_of_purgecss_is_a_clear_build_error(tmp_path, monkeypatch, script, said):
    _fake_tool(tmp_path, script, monkeypatch)
    with pytest.raises(ExtensionError, match=said):
        lean_styles.purge_css({"a.css": ".a{}"}, [])
