"""Marks the slow tests, which `make unit` (pytest -m "not slow") leaves out.

Slow: whatever starts a browser, a Jupyter kernel, nbgrader or a second Python
environment.  Mark a new slow test with ``@pytest.mark.slow``; whole modules are
listed here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SLOW_MODULES = {HERE / "test_exercises.py", HERE / "test_ipywidgets7.py"}
SLOW_FOLDERS = {HERE / "site"}
# Single tests that start a Jupyter kernel (to move to a @pytest.mark.slow decorator).
SLOW_TESTS = {"test_in_a_kernel_a_failed_check_is_an_error_output_and_a_passed_one_is_not"}


def _is_slow_path(path: Path) -> bool:
    path = path.resolve()
    return path in SLOW_MODULES or any(f == path or f in path.parents for f in SLOW_FOLDERS)


def pytest_ignore_collect(collection_path, config):
    """Under -m "not slow" the slow modules are not even imported (a faster start)."""
    if config.getoption("markexpr", "") == "not slow" and _is_slow_path(Path(collection_path)):
        return True
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if (_is_slow_path(Path(str(item.fspath)))
                or getattr(item, "originalname", None) in SLOW_TESTS):
            item.add_marker(pytest.mark.slow)


# -- Debian's chromium through Playwright, one browser for the whole session -----------------
# One for all: Playwright's sync API runs an event loop while a browser is open, and a second
# sync_playwright() in the same session (tests/site/ and tests/test_jupyterlab.py) would fail.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync",
                 # Pages wait open in the background while others are tested: do not
                 # throttle their timers (axe-core and MathJax run on timers).
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                 "--disable-backgrounding-occluded-windows"]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium (never `playwright install`, which downloads a browser)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        pytest.fail("chromium is not installed: `make test` installs it (Debian package "
                    "chromium; never `playwright install`, which downloads a browser)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()
