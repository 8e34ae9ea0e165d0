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
* **Rules that match nothing the site can show are dropped, by PurgeCSS.**  The theme's
  stylesheet carries all of Bootstrap 5 (utilities, grid, components the theme never
  uses): 300 KB, parsed and matched before the first paint of every page.  Each
  stylesheet that a page links is cut by `PurgeCSS <https://purgecss.com>`_ (MIT; npm,
  pinned in tools/purgecss/package-lock.json and installed by ``make assets``), run once
  per build through tools/purgecss/purge_css.js, which holds its options and the safelist
  with the reason for each entry.  Its content is every page of the site and every
  script of ``_static`` but fontawesome.js and MathJax: a selector stays when each class,
  id, tag and attribute it names is a word of that content, so the classes that Bootstrap
  or the theme add at run time stay (a script spells them); so do the classes Bootstrap
  builds from a prefix (``bs-tooltip-*``), selectors made of pseudo-classes alone
  (``:focus-visible``), and attribute selectors on ``href``, ``src`` and
  ``data-bs-popper``.  Classes inside ``:not()`` and ``:has()`` never drop a rule;
  inside ``:is()`` and ``:where()`` each selector is judged alone.  ``@font-face``,
  ``@keyframes``, custom properties and licence comments (``/*! ... */``) are kept, other
  comments dropped.  Node or PurgeCSS missing or failing fails the build with an
  ExtensionError that says why.  The untouched stylesheets are kept under the doctree
  folder (``ORIGINALS``), so that an incremental build, which may leave a cut stylesheet
  in place, cuts again from the original for the pages as they are now; the browser test
  tests/site/test_site_lean_styles.py draws pages with both and compares the pixels.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

__all__ = ["setup", "plain_token_classes", "unwrap_plain_tokens", "purge_css",
           "lean_site_css", "ORIGINALS", "MARK", "PURGE_CSS"]

ORIGINALS = "itml-lean-css"  # under the doctree folder: the stylesheets as they came
# Ends every cut sheet (kept as it was before PurgeCSS, so that a sheet an older build cut
# is still known as one and cut again from its original).
MARK = "/* itml: rules that match nothing on this site removed (_ext/lean_styles.py) */"
PURGE_CSS = Path(__file__).resolve().parent.parent / "tools" / "purgecss" / "purge_css.js"

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

def purge_css(css: dict[str, str], content) -> dict[str, str]:
    """{name: ``css[name]`` cut by PurgeCSS to the rules that the words of the files
    ``content`` (pages and scripts) can match} (tools/purgecss/purge_css.js, which holds
    the options and the safelist).  Raises ExtensionError when Node or PurgeCSS fails."""
    from sphinx.errors import ExtensionError

    node = shutil.which("node")
    if node is None or not (PURGE_CSS.parent / "node_modules" / "purgecss").is_dir():
        raise ExtensionError(
            "lean_styles: cutting the stylesheets needs Node and PurgeCSS: run "
            "`bash tools/fetch_assets.sh` (or `make assets`; Debian: apt-get install npm)")
    request = {"content": [str(p) for p in content],
               "css": [{"name": name, "raw": text} for name, text in css.items()]}
    try:
        done = subprocess.run([node, str(PURGE_CSS)], input=json.dumps(request),
                              capture_output=True, text=True, encoding="utf8", timeout=600)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise ExtensionError(f"lean_styles: running PurgeCSS ({PURGE_CSS}) failed: {err}") \
            from None
    if done.returncode != 0:
        raise ExtensionError("lean_styles: PurgeCSS failed to cut the stylesheets:\n"
                             + done.stderr[-3000:])
    try:
        out = {item["name"]: item["css"] for item in json.loads(done.stdout)["css"]}
    except (ValueError, KeyError, TypeError) as err:
        raise ExtensionError(f"lean_styles: PurgeCSS answered what {PURGE_CSS.name} does not "
                             f"write ({err!r}): {done.stdout[:300]!r}") from None
    if set(out) != set(css):
        raise ExtensionError(f"lean_styles: PurgeCSS returned the stylesheets {sorted(out)}, "
                             f"not {sorted(css)}")
    return out


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
    """Cut every stylesheet that a page of ``outdir`` links, with PurgeCSS over the pages
    and the scripts of ``_static``; keep each original under ``originals``.  Returns
    {stylesheet: (bytes before, bytes after)}."""
    pages = {p: p.read_text(encoding="utf8") for p in outdir.rglob("*.html")
             if p.relative_to(outdir).parts[0] != "_sources"}
    scripts = [p for p in sorted((outdir / "_static").rglob("*.js"))
               if p.name != "fontawesome.js" and "mathjax" not in p.parts]
    sheets: dict[str, str] = {}
    paths: dict[str, Path] = {}
    for css_path in sorted(_linked_stylesheets(outdir, pages)):
        rel = css_path.relative_to(outdir.resolve()).as_posix()
        kept = originals / rel
        text = css_path.read_text(encoding="utf8")
        if text.endswith(MARK + "\n"):
            if not kept.is_file():
                continue                # cut by an earlier build whose originals are gone
            text = kept.read_text(encoding="utf8")
        else:
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(text, encoding="utf8")
        sheets[rel], paths[rel] = text, css_path
    if not sheets:
        return {}
    cut = purge_css(sheets, sorted(pages) + scripts)
    sizes = {}
    for rel, text in sheets.items():
        lean = cut[rel].rstrip("\n") + "\n" + MARK + "\n"
        paths[rel].write_text(lean, encoding="utf8")
        sizes[rel] = (len(text.encode()), len(lean.encode()))
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
