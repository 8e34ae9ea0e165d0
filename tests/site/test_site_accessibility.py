"""axe-core (vendored by tools/fetch_assets.sh, injected by these tests only) finds no
serious or critical accessibility violation (nor any of Lighthouse's aria-allowed-role and
aria-deprecated-role) on any page, in light mode and, for the
book's own outputs, in dark mode."""

from __future__ import annotations

import re

import pytest

from site_helpers import AXE_JS, CHAPTER_DOCS, DOCS, ROOT, assert_clean, js, search

# Serious or critical axe findings to tolerate, each as (axe rule, regular expression matched
# against the node's HTML, why).  Empty: the theme's and docutils' findings are fixed by
# _ext/itml_a11y.py (template overrides, the page body, a stylesheet).  Keep it so: a
# violation not matched here fails the test.
AXE_KNOWN: list[tuple[str, str, str]] = []
# Rules reported at any impact, not only serious or critical: Lighthouse's accessibility
# audits include these two, whose axe impact is "minor".
ANY_IMPACT = {"aria-allowed-role", "aria-deprecated-role"}


def _serious(violations: list[dict]) -> list[str]:
    found = []
    for v in violations:
        for node in v["nodes"]:
            impact = node["impact"] or v["impact"]
            if impact not in ("serious", "critical") and v["id"] not in ANY_IMPACT:
                continue
            if any(rule == v["id"] and re.search(rx, node["html"]) for rule, rx, _ in AXE_KNOWN):
                continue
            found.append(f"[{impact}] {v['id']} ({v['help']}): {node['target']}: "
                         f"{node['html'][:160]}: {node.get('why', '')}")
    return found


def _require_axe():
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS.relative_to(ROOT)} is missing: run tools/fetch_assets.sh")


@pytest.mark.parametrize("doc", DOCS)
def test_accessibility(visit, doc):
    """The audit started when the page was first ready (see conftest's ``visit``)."""
    _require_axe()
    page, log = visit(doc)
    result = page.evaluate(js("axe_result"))
    assert "error" not in result, f"axe-core failed on {doc}: {result.get('error')}"
    found = _serious(result["light"]) + [f"dark mode: {f}" for f in _serious(result["dark"])]
    assert not found, f"accessibility violations in {doc}:\n" + "\n".join(found)
    assert_clean(log, doc)


def test_search_page_accessibility(fresh):
    """The search page with results: axe-core, light mode and dark-mode contrast."""
    _require_axe()
    page, log, _ = search(fresh, CHAPTER_DOCS[0])
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf8"))
    result = page.evaluate(js("axe_search"))
    found = _serious(result["light"]) + [f"dark mode: {f}" for f in _serious(result["dark"])]
    assert not found, "accessibility violations in search.html:\n" + "\n".join(found)
    assert_clean(log, "search.html")
