"""A reader can move around the book at phone, tablet and desktop widths (issue 26, item 1).

At 390 and 800 px the hamburger opens the book's navigation as a dialog, and the "On this
page" button opens the page's contents; both can be driven from the keyboard (Tab to the
button, Enter opens, the focus is inside, Escape closes and the focus comes back) and are
closed again.  At 1280 px the hamburger hides the sidebar and shows it again.  Before
_ext/nav_fix.py, clicking the visible buttons did nothing at any width (the themes' scripts
wired a hidden duplicate: pydata-sphinx-theme issue #2451).
"""

from __future__ import annotations

import pytest

from site_helpers import local_context, open_page

DOC = "chapters/01_entropy.html"  # a page with a long "On this page"


@pytest.fixture(scope="module", params=[390, 800, 1280])
def width_page(request, browser, base_url):
    ctx = local_context(browser, base_url, viewport={"width": request.param, "height": 800})
    page, log = open_page(ctx, base_url, DOC)
    yield request.param, page
    ctx.close()


def _visible_button(page, cls):
    buttons = page.locator(f"button.{cls}")
    shown = [buttons.nth(i) for i in range(buttons.count()) if buttons.nth(i).is_visible()]
    assert len(shown) == 1, f"{len(shown)} visible .{cls} buttons (expected one)"
    return shown[0]


def _dialog_open(page, dialog_id):
    return page.evaluate(f"document.getElementById('{dialog_id}').open")


def _tab_to(page, button, limit=80):
    """Press Tab from the top of the (reloaded) page until ``button`` has the focus."""
    page.reload(wait_until="load")  # the keyboard starts from the top of a fresh page
    handle = button.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(b) => document.activeElement === b", handle):
            return
    raise AssertionError("the button cannot be reached with Tab")


@pytest.mark.parametrize("which", ["primary", "secondary"])
def test_sidebars_open_from_mouse_and_keyboard_and_close(width_page, which):
    width, page = width_page
    if width >= 992 and which == "secondary":
        # The page's contents sit beside the article at this width (no button needed).
        toc = page.locator("#pst-secondary-sidebar nav.page-toc")
        assert toc.is_visible(), "the page's contents are not shown beside the article"
        return
    button = _visible_button(page, f"{which}-toggle")
    dialog = f"pst-{which}-sidebar-modal"
    sidebar = page.locator(f"#pst-{which}-sidebar")
    if width >= 992:  # desktop: the hamburger hides and shows the sidebar
        assert sidebar.is_visible()
        button.click()
        page.wait_for_timeout(400)
        assert not _dialog_open(page, dialog), "a dialog opened on a wide screen"
        assert not sidebar.is_visible(), "the hamburger did not hide the sidebar at 1280 px"
        button.click()
        page.wait_for_timeout(400)
        assert sidebar.is_visible(), "the hamburger did not bring the sidebar back"
        # ... and from the keyboard
        _tab_to(page, button)
        page.keyboard.press("Enter")
        page.wait_for_timeout(400)
        assert not sidebar.is_visible(), "Enter on the hamburger did not hide the sidebar"
        page.keyboard.press("Enter")
        page.wait_for_timeout(400)
        assert sidebar.is_visible()
        return
    # Narrow: a modal dialog with the navigation (or the page's contents).
    assert not _dialog_open(page, dialog)
    button.click()
    page.wait_for_timeout(300)
    assert _dialog_open(page, dialog), f"the {which} toggle opened nothing at {width} px"
    links = page.locator(f"#{dialog} a[href]")
    assert links.count() > 3, f"the {which} dialog holds no links at {width} px"
    assert links.first.is_visible(), f"the {which} dialog's links are not visible"
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert not _dialog_open(page, dialog), "Escape did not close the dialog"
    # Keyboard only: Tab to the button, Enter opens, Tab moves inside, Escape closes.
    _tab_to(page, button)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert _dialog_open(page, dialog), f"Enter on the {which} toggle opened nothing"
    page.keyboard.press("Tab")
    inside = page.evaluate(f"document.getElementById('{dialog}').contains(document.activeElement)")
    assert inside, "the focus is not inside the open dialog"
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert not _dialog_open(page, dialog)
    assert page.evaluate("(b) => document.activeElement === b", button.element_handle()), \
        "the focus did not come back to the toggle after closing"
    # A click on a link of the navigation leaves the page (the dialog is usable).
    if which == "primary":
        button.click()
        page.wait_for_timeout(300)
        target = page.locator(f"#{dialog} a[href*='02_kl_divergence']").first
        target.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("02_kl_divergence.html")
        page.go_back()
        page.wait_for_load_state("load")
