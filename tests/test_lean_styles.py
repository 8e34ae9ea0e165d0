"""_ext/lean_styles.py, without a build: which CSS rules go and which stay, which code
spans are unwrapped, and how an incremental build cuts again from the original.
tests/site/test_site_lean_styles.py checks on the built site that nothing drawn changes."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
import lean_styles  # noqa: E402

CSS = """/*! Kit v1 | MIT licence */
/* an ordinary comment */
.used{color:red}
.unused{color:blue}
.used,.unused .x{margin:0}
a:not(.unused){text-decoration:none}
:is(.unused, .used) p{padding:0}
.used:hover > .unused{color:green}
#used-id{top:0}
#other-id{top:1px}
[class*=col-]{float:left}
a[href$=".pdf"],a[href^="#top"]{color:red}
.bs-tooltip-top{inset:auto}
.sm\\:flex{display:flex}
div p{line-height:1}
@media (min-width: 960px){.unused{display:none}.used{display:block}}
@media print{.unused{display:none}}
@supports (display:grid){@media screen{.used{display:grid}}}
@font-face{font-family:X;src:url(x.woff)}
@keyframes spin{from{transform:rotate(0)}to{transform:rotate(1turn)}}
"""


def _cut(css=CSS):
    words, prefixes = lean_styles.site_words(
        ['<div class="used x" id="used-id"><p>text</p></div>'],
        ['el.classList.add("bs-tooltip-" + where)'])
    return lean_styles.lean_css(css, words, prefixes)


def test_rules_naming_only_used_classes_and_ids_stay():
    out = _cut()
    assert ".used{color:red}" in out
    assert "#used-id{top:0}" in out
    assert "div p{line-height:1}" in out              # no class, no id: always kept
    assert "[class*=col-]{float:left}" in out         # attribute selectors are not judged
    assert 'a[href$=".pdf"],a[href^="#top"]{color:red}' in out   # nor the values in them


def test_rules_naming_an_unused_class_or_id_go():
    out = _cut()
    assert ".unused{color:blue}" not in out
    assert "#other-id" not in out
    assert ".used:hover > .unused" not in out
    # a selector list keeps its selectors that can match, loses the others
    assert ".used{margin:0}" in out and ".unused .x" not in out


def test_classes_inside_not_is_where_never_drop_a_rule():
    out = _cut()
    assert "a:not(.unused){text-decoration:none}" in out  # matches every other link
    assert ":is(.unused, .used) p{padding:0}" in out


def test_classes_a_script_builds_from_a_prefix_stay():
    assert ".bs-tooltip-top{inset:auto}" in _cut()


def test_escaped_class_names_stay():
    assert ".sm\\:flex{display:flex}" in _cut()


def test_at_rules():
    out = _cut()
    assert "@media (min-width: 960px){.used{display:block}}" in out
    assert "@media print" not in out                  # nothing left inside: gone
    assert "@supports (display:grid){@media screen{.used{display:grid}}}" in out
    assert "@font-face{font-family:X;src:url(x.woff)}" in out
    assert "@keyframes spin" in out


def test_licence_comments_stay_other_comments_go():
    out = _cut()
    assert "/*! Kit v1 | MIT licence */" in out
    assert "an ordinary comment" not in out


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
        '@import "base.css";\n.a{color:red}\n.b{color:blue}\n', encoding="utf8")
    (root / "_static" / "base.css").write_text(".a{margin:0}\n.c{margin:1px}\n",
                                               encoding="utf8")
    (root / "_static" / "unlinked.css").write_text(".z{color:red}\n", encoding="utf8")
    (root / "page.html").write_text(
        f'<link rel="stylesheet" href="_static/site.css?v=1" /><body>{body}</body>',
        encoding="utf8")


def test_site_stylesheets_are_cut_and_cut_again_from_the_original(tmp_path):
    site, originals = tmp_path / "html", tmp_path / "doctrees" / lean_styles.ORIGINALS
    _site(site, '<div class="a"></div>')
    sizes = lean_styles.lean_site_css(site, originals)
    assert set(sizes) == {"_static/site.css", "_static/base.css"}     # and its @import
    css = (site / "_static" / "site.css").read_text(encoding="utf8")
    assert ".a{color:red}" in css and ".b" not in css
    assert ".c" not in (site / "_static" / "base.css").read_text(encoding="utf8")
    assert (site / "_static" / "unlinked.css").read_text(encoding="utf8") == ".z{color:red}\n"
    assert ".b{color:blue}" in (originals / "_static" / "site.css").read_text(encoding="utf8")
    # An incremental build: a page now uses .b, and the cut sheet was left in place.
    (site / "page.html").write_text((site / "page.html").read_text(encoding="utf8")
                                    .replace('class="a"', 'class="a b"'), encoding="utf8")
    lean_styles.lean_site_css(site, originals)
    css = (site / "_static" / "site.css").read_text(encoding="utf8")
    assert ".b{color:blue}" in css and css.count(lean_styles.MARK) == 1
