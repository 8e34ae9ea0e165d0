"""The built itlib reference: a page per public module, documenting every name of the
module's ``__all__`` (an anchor per object), reachable from a chapter that uses it."""

from __future__ import annotations

import importlib
import sys

import pytest

from site_helpers import ROOT, built

sys.path.insert(0, str(ROOT / "tests"))
from test_reference import public_modules  # noqa: E402


@pytest.mark.parametrize("module", public_modules())
def test_reference_page_documents_every_public_name(module):
    page = built(f"reference/{module}")
    assert page, f"reference/{module}.html is not built"
    mod = importlib.import_module(f"itlib.{module}")
    missing = [name for name in mod.__all__ if f'id="itlib.{module}.{name}"' not in page]
    assert not missing, f"reference/{module}.html documents none of {missing}"


def test_a_chapter_links_to_the_reference():
    page = built("chapters/01_entropy")
    assert 'href="../reference/discrete.html#itlib.discrete.entropy"' in page
