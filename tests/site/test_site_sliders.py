"""The static sliders (itlib.sliders) move with the keyboard and swap their frames.

The pages come from the notebook sources (every notebook that calls ``slider(``): a page
whose built version lost its slider fails here rather than dropping out of the test.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Error as PlaywrightError

from site_helpers import SLIDER_DOCS, assert_clean, js


@pytest.mark.parametrize("doc", SLIDER_DOCS)
def test_sliders_move_with_the_keyboard(visit, doc):
    page, log = visit(doc)
    sliders = page.locator("div.itlib-slider")
    assert sliders.count() > 0, f"{doc}: its notebook makes a slider, the page shows none"
    for k in range(sliders.count()):
        root = sliders.nth(k)
        root.scroll_into_view_if_needed()
        labels = json.loads(root.locator("script.itlib-slider-labels").text_content())
        before = root.evaluate(js("slider_state"))
        assert len(before["shown"]) == 1, f"slider {k}: {len(before['shown'])} frames shown"
        assert before["label"] == labels[before["value"]]
        key, step = ("ArrowRight", 1) if before["value"] < before["max"] else ("ArrowLeft", -1)
        root.locator("input[type=range]").focus()
        page.keyboard.press(key)
        # Frames other than the first load when needed (_ext/light_pages.py): give the
        # newly shown one a moment to arrive before reading its size.
        frame = root.locator(f'img.itlib-slider-frame[data-index="{before["value"] + step}"]')
        try:
            frame.evaluate("img => new Promise((ok, fail) => { const t0 = Date.now();"
                           " (function poll() { if (img.getAttribute('src') && img.complete"
                           " && img.naturalWidth > 0) ok(); else if (Date.now() - t0 > 5000)"
                           " fail(new Error('not loaded')); else setTimeout(poll, 20); })(); })")
        except PlaywrightError:  # not loaded in 5 s: the asserts below say what is wrong
            pass
        after = root.evaluate(js("slider_state"))
        assert after["value"] == before["value"] + step, f"slider {k}: {key} did not move it"
        assert len(after["shown"]) == 1, f"slider {k}: {len(after['shown'])} frames shown"
        shown = after["shown"][0]
        assert shown["index"] == after["value"]
        assert shown["src"] != before["shown"][0]["src"], f"slider {k}: the picture did not change"
        assert shown["width"] > 0 and shown["natural"] > 0, f"slider {k}: frame not drawn"
        assert after["label"] == labels[after["value"]] != before["label"], \
            f"slider {k}: the label did not follow ({after['label']!r})"
        assert after["valuetext"] == after["label"]
    assert_clean(log, doc)
