"""_ext/search_fix.py: snippets leave the page furniture out; a changed script fails."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
import search_fix  # noqa: E402


def test_the_installed_searchtools_is_patched():
    import sphinx

    js = (Path(sphinx.__file__).parent / "themes" / "basic" / "static" / "searchtools.js").read_text()
    patched = search_fix.patch_searchtools(js)
    assert ".bd-header-article" in patched and search_fix.OLD not in patched
    assert search_fix.NEW_DEDUP in patched and search_fix.OLD_DEDUP not in patched
    assert search_fix.patch_searchtools(patched) == patched


def test_a_changed_searchtools_fails_the_build():
    with pytest.raises(ExtensionError, match="search_fix"):
        search_fix.patch_searchtools('for (const q of [".headerlink"]) {')


def test_searchtools_without_the_dedup_line_fails_the_build():
    import sphinx

    js = (Path(sphinx.__file__).parent / "themes" / "basic" / "static" / "searchtools.js").read_text()
    with pytest.raises(ExtensionError, match="duplicate"):
        search_fix.patch_searchtools(js.replace(search_fix.OLD_DEDUP, "let key = 1;"))
