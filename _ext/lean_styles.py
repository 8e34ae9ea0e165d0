"""Sphinx extension: stylesheets cut to what the site uses, code without idle markup
(issue 14, "Pages").

Run after _ext/fast_pages.py (which trims the icon rules and fonts), on the whole built
site, at every build:

* **Code tokens that draw like plain text lose their ``<span>``.**  Pygments wraps every
  token of a code cell in a ``<span class="...">``, also names, punctuation and white
  space, which the book's two Pygments styles (light and dark) draw in the code block's
  own colour: a chapter carries 2,000-2,500 such spans, a quarter of its elements.  A
  token class counts as plain when every rule of ``pygments.css`` for it sets nothing but
  ``color``, to the ``.highlight`` block's colour of the same theme, and no other
  stylesheet names it; its spans inside ``<div class="highlight"><pre>`` are unwrapped
  (same text, same colour, fewer elements to parse, style and lay out).
* **Rules that match nothing the site can show are dropped.**  The theme's stylesheet
  carries all of Bootstrap 5 (utilities, grid, components the theme never uses):
  300 KB, parsed and matched before the first paint of every page.  Each stylesheet that
  a page links is cut, in the manner of PurgeCSS, to the rules whose selectors can match:
  a selector is kept unless it names a class or id that appears in no page of the site
  and in no script of ``_static`` (the words of the scripts count, so classes that
  Bootstrap or the theme add at run time stay; so do classes that begin with a prefix
  that a script spells, ``"bs-tooltip-"``).  Classes inside ``:not()``, ``:is()``,
  ``:where()`` and ``:has()`` never drop a rule; at-rules other than ``@media``,
  ``@supports``, ``@container`` and ``@layer`` are kept whole, and so are licence comments
  (``/*! ... */``).  The untouched stylesheets are kept under the doctree folder
  (``ORIGINALS``), so that an incremental build, which may leave a cut stylesheet in
  place, cuts again from the original for the pages as they are now; the browser test
  tests/site/test_site_lean_styles.py draws pages with both and compares the pixels.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["setup", "plain_token_classes", "unwrap_plain_tokens", "site_words", "lean_css",
           "lean_site_css", "ORIGINALS", "MARK"]

ORIGINALS = "itml-lean-css"  # under the doctree folder: the stylesheets as they came
MARK = "/* itml: rules that match nothing on this site removed (_ext/lean_styles.py) */"
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# ---------------------------------------------------------------------------------------
# Code tokens

_PYG_RULE = re.compile(r'html\[data-theme="(?P<theme>\w+)"\] \.highlight(?: \.(?P<cls>[\w-]+))?'
                       r"\s*\{(?P<body>[^}]*)\}")


def _declarations(body: str) -> dict[str, str]:
    out = {}
    for decl in body.split(";"):
        if ":" in decl:
            name, value = decl.split(":", 1)
            out[name.strip().lower()] = value.strip().lower()
    return out


def plain_token_classes(pygments_css: str, other_css: str = "") -> set[str]:
    """Token classes of ``pygments_css`` (Sphinx's, one block per theme) whose every rule
    sets only ``color``, equal to that theme's ``.highlight`` colour, and that no rule of
    ``other_css`` (the site's other stylesheets) could apply to on a token's span."""
    base: dict[str, str] = {}
    rules: dict[str, list[tuple[str, dict]]] = {}
    for m in _PYG_RULE.finditer(pygments_css):
        decls = _declarations(m["body"])
        if m["cls"] is None:
            if "color" in decls:
                base[m["theme"]] = decls["color"]
        else:
            rules.setdefault(m["cls"], []).append((m["theme"], decls))
    plain = set()
    for cls, found in rules.items():
        if all(set(d) == {"color"} and base.get(theme) == d["color"] for theme, d in found) \
                and cls not in _token_classes_styled(other_css) \
                and len(re.findall(r"\.highlight \." + re.escape(cls) + r"(?![\w-])",
                                   pygments_css)) == len(found):
            plain.add(cls)
    return plain


def _token_classes_styled(css: str) -> set[str]:
    """Classes that some selector of ``css`` could match on a lone ``<span class="C">``:
    its last compound is ``.C`` or ``span.C`` (pseudo-classes allowed), no other class."""
    styled = set()
    for prelude in re.findall(r"([^{}]+)\{", css):
        for selector in prelude.split(","):
            last = re.split(r"[\s>+~]+", selector.strip())[-1]
            last = re.sub(r"::?[\w-]+(\([^)]*\))?", "", last)    # :hover, ::before
            m = re.fullmatch(r"(?:span|\*)?\.([\w-]+)", last)
            if m:
                styled.add(m[1])
    return styled


_CODE_BLOCK = re.compile(r'(<div class="highlight"><pre[^>]*>)(.*?)(</pre>)', re.S)


def unwrap_plain_tokens(html: str, plain: set[str]) -> str:
    """``html`` with the ``<span class="C">text</span>`` of every class C in ``plain``
    replaced by its text, inside Pygments code blocks only."""
    if not plain:
        return html
    span = re.compile(r'<span class="(?:%s)">([^<]*)</span>'
                      % "|".join(re.escape(c) for c in sorted(plain)))
    return _CODE_BLOCK.sub(lambda m: m[1] + span.sub(r"\1", m[2]) + m[3], html)


# ---------------------------------------------------------------------------------------
# Stylesheets

def site_words(html_texts, script_texts) -> tuple[set[str], tuple[str, ...]]:
    """(every word of the pages and scripts, the words of the scripts that end in "-"):
    what a class or id of a kept selector must be, or begin with."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for text in html_texts:
        words.update(_WORD.findall(text))
    for text in script_texts:
        found = _WORD.findall(text)
        words.update(found)
        prefixes.update(w for w in found if w.endswith("-") and len(w) > 2)
    return words, tuple(sorted(prefixes))


_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(", re.I)
_NAME = re.compile(r"([.#])(-?[_a-zA-Z][\w-]*)(\\?)")


def _outside_functions(selector: str) -> str:
    """The selector with the arguments of :not(), :is(), :where(), :has() blanked out."""
    out, i = [], 0
    for m in _FUNCTIONAL.finditer(selector):
        if m.start() < i:
            continue
        out.append(selector[i:m.end()])
        depth, j = 1, m.end()
        while j < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[j], 0)
            j += 1
        out.append(")")
        i = j
    out.append(selector[i:])
    return "".join(out)


_ATTRIBUTE = re.compile(r"\[[^\]]*\]")


def _can_match(selector: str, words: set[str], prefixes: tuple[str, ...]) -> bool:
    bare = _ATTRIBUTE.sub("[]", _outside_functions(selector))   # a[href$=".pdf"]: no class
    for kind, name, escaped in _NAME.findall(bare):
        if escaped:                      # an escaped character: not ours to judge
            continue
        if name in words or (kind == "." and name.startswith(prefixes)):
            continue
        return False
    return True


_GROUPING = {"media", "supports", "container", "layer", "document"}


def lean_css(css: str, words: set[str], prefixes: tuple[str, ...] = ()) -> str:
    """``css`` without the rules (and selectors of a selector list) that name a class or
    id absent from ``words`` (see the module docstring).  Returns the serialized CSS."""
    import tinycss2

    def walk(rules) -> str:
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                selectors = _split_selectors(tinycss2.serialize(rule.prelude))
                keep = [s for s in selectors if _can_match(s, words, prefixes)]
                if keep:
                    out.append(",".join(keep) + "{" + tinycss2.serialize(rule.content) + "}")
            elif rule.type == "at-rule" and rule.lower_at_keyword in _GROUPING \
                    and rule.content is not None:
                inner = walk(tinycss2.parse_rule_list(rule.content, skip_whitespace=True,
                                                      skip_comments=True))
                if inner:
                    out.append("@" + rule.at_keyword + tinycss2.serialize(rule.prelude).rstrip()
                               + "{" + inner + "}")
            elif rule.type == "comment":
                if rule.value.startswith("!"):      # a licence notice stays
                    out.append("/*" + rule.value + "*/\n")
            elif rule.type == "whitespace":
                continue
            else:                                   # @font-face, @keyframes, @import, ...
                out.append(tinycss2.serialize([rule]))
        return "".join(out)

    return walk(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=False))


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside parentheses)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i].strip())
            start = i + 1
    parts.append(prelude[start:].strip())
    return [p for p in parts if p]


_LINK = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>')
_HREF = re.compile(r'\bhref="([^"?#]+)')
_IMPORT = re.compile(r'@import\s+(?:url\()?["\']?([^"\')?#\s]+)')


def _linked_stylesheets(outdir: Path, pages: dict[Path, str]) -> set[Path]:
    found = set()
    for path, text in pages.items():
        for tag in _LINK.findall(text):
            href = _HREF.search(tag)
            if href and "://" not in href[1]:
                target = (path.parent / href[1]).resolve()
                if target.is_file() and outdir.resolve() in target.parents:
                    found.add(target)
    todo = list(found)
    while todo:                                   # and the sheets they @import
        sheet = todo.pop()
        for ref in _IMPORT.findall(sheet.read_text(encoding="utf8", errors="replace")):
            target = (sheet.parent / ref).resolve()
            if target.is_file() and target not in found and outdir.resolve() in target.parents:
                found.add(target)
                todo.append(target)
    return found


def lean_site_css(outdir: Path, originals: Path) -> dict[str, tuple[int, int]]:
    """Cut every stylesheet that a page of ``outdir`` links; keep each original under
    ``originals``.  Returns {stylesheet: (bytes before, bytes after)}."""
    pages = {p: p.read_text(encoding="utf8") for p in outdir.rglob("*.html")
             if p.relative_to(outdir).parts[0] != "_sources"}
    scripts = [p.read_text(encoding="utf8", errors="replace")
               for p in (outdir / "_static").rglob("*.js")
               if p.name != "fontawesome.js" and "mathjax" not in p.parts]
    words, prefixes = site_words(pages.values(), scripts)
    sizes = {}
    for css_path in sorted(_linked_stylesheets(outdir, pages)):
        rel = css_path.relative_to(outdir.resolve())
        kept = originals / rel
        text = css_path.read_text(encoding="utf8")
        if text.endswith(MARK + "\n"):
            if not kept.is_file():
                continue                # cut by an earlier build whose originals are gone
            text = kept.read_text(encoding="utf8")
        else:
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(text, encoding="utf8")
        lean = lean_css(text, words, prefixes) + "\n" + MARK + "\n"
        css_path.write_text(lean, encoding="utf8")
        sizes[rel.as_posix()] = (len(text.encode()), len(lean.encode()))
    return sizes


def _plain_tokens_everywhere(outdir: Path, originals: Path) -> None:
    pygments = outdir / "_static" / "pygments.css"
    if not pygments.is_file():
        return
    others = "".join(p.read_text(encoding="utf8", errors="replace")
                     for p in (outdir / "_static").rglob("*.css") if p != pygments)
    text = pygments.read_text(encoding="utf8")
    kept = originals / "_static" / "pygments.css"
    if text.endswith(MARK + "\n") and kept.is_file():  # cut by an earlier build
        text = kept.read_text(encoding="utf8")
    plain = plain_token_classes(text, others)
    for page in outdir.rglob("*.html"):
        if page.relative_to(outdir).parts[0] in ("_static", "_sources", "_images"):
            continue
        text = page.read_text(encoding="utf8")
        new = unwrap_plain_tokens(text, plain)
        if new != text:
            page.write_text(new, encoding="utf8")


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    originals = Path(app.doctreedir) / ORIGINALS
    _plain_tokens_everywhere(outdir, originals)
    lean_site_css(outdir, originals)


def setup(app):
    # After fast_pages (priority 950): it trims the icon rules and fonts of the same sheet.
    app.connect("build-finished", _build_finished, priority=960)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
