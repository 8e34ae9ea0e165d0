"""What the requirements files promise (issue 31, packaging): PyTorch's CPU build on a
Linux reader's machine, and everything the book build imports declared where it is used."""

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def _lines(name):
    return [ln.split("#", 1)[0].strip() for ln in (ROOT / name).read_text("utf8").splitlines()
            if ln.split("#", 1)[0].strip()]


def _pins(name):
    out = {}
    for ln in _lines(name):
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*(\S+)", ln)
        if m:
            out[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return out


def test_requirements_take_torch_from_the_cpu_index():
    # On Linux, PyPI's torch==2.13.0 is the CUDA build (several GB of NVIDIA wheels).  The
    # CPU index offers 2.13.0+cpu, which the plain pin accepts and pip prefers; the pin
    # itself carries no "+cpu", which would fail on macOS (whose wheels have no label).
    lines = _lines("requirements.txt")
    assert f"--extra-index-url {CPU_INDEX}" in lines
    assert not any(ln.startswith(("--index-url", "-i ")) for ln in lines), \
        "replacing PyPI would take every other package from PyTorch's index"
    assert _pins("requirements.txt")["torch"] == "2.13.0"


def test_the_book_builds_dependencies_are_in_requirements_txt():
    # requirements.txt says it builds the book: _ext/fast_pages.py edits the theme's script
    # (pydata-sphinx-theme) and subsets its icon font (fontTools).
    pins = _pins("requirements.txt")
    for name in ("pydata-sphinx-theme", "fonttools"):
        assert name in pins, f"{name} is not pinned in requirements.txt"
    ext = (ROOT / "_ext" / "fast_pages.py").read_text("utf8")
    assert "fontTools" in ext and "pydata-sphinx-theme" in ext


def test_installed_versions_are_the_pinned_ones():
    # The environment the tests run in is built from these files: a pin that drifted from
    # it would be a set nobody tested.
    for name in ("requirements.txt", "requirements-dev.txt"):
        for pkg, version in _pins(name).items():
            installed = metadata.version(pkg)
            assert installed.split("+")[0] == version, f"{pkg}: pinned {version}, installed {installed}"
