"""Binder's environment (binder/) is the book's: same pins as requirements.txt.

repo2docker reads binder/ in preference to the repository root.  binder/requirements.txt
differs from requirements.txt only in taking PyTorch's CPU-only build from PyTorch's own
wheel index, and in adding jupyterlab-myst, which renders the book's MyST markup
(citations, equation labels, cross-references) in Binder's JupyterLab; everything else must be pinned alike, so that a reader on Binder runs what
the book is built and tested with.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
#: Pins of binder/requirements.txt that requirements.txt does not have: what a Binder
#: reader's JupyterLab needs and the book's build does not.  jupyterlab-myst 2.7.0 was
#: installed together with binder/requirements.txt in a fresh venv (pip, no conflict).
BINDER_ONLY = {"jupyterlab-myst": "2.7.0"}


def _requirements(path: Path) -> tuple[dict[str, str], list[str]]:
    """({normalised name: pinned version}, [option and local lines]) of a requirements file."""
    pins, other = {}, []
    for raw in path.read_text(encoding="utf8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*(\S+)", line)
        if m:
            pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
        else:
            other.append(line)
    return pins, other


def test_binder_files_exist():
    assert (ROOT / "binder" / "requirements.txt").is_file()
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf8").strip()
    assert runtime == "python-3.11", f"binder/runtime.txt says {runtime!r}; the book uses 3.11"


def test_binder_pins_match_requirements():
    top, top_other = _requirements(ROOT / "requirements.txt")
    binder, binder_other = _requirements(ROOT / "binder" / "requirements.txt")
    assert top, "no pin found in requirements.txt"
    # torch: the same release, as PyTorch's CPU-only build.
    assert "torch" in top and "torch" in binder
    assert binder.pop("torch") == top.pop("torch") + "+cpu", \
        "binder/requirements.txt must pin torch==<requirements.txt's version>+cpu"
    # Binder only: jupyterlab-myst renders the MyST markup in JupyterLab (issue 16).
    assert binder.pop("jupyterlab-myst", None) == BINDER_ONLY["jupyterlab-myst"], \
        "binder/requirements.txt must pin jupyterlab-myst==" + BINDER_ONLY["jupyterlab-myst"]
    assert binder == top, (
        "binder/requirements.txt and requirements.txt pin different packages or versions: "
        f"only in requirements.txt {sorted(set(top.items()) - set(binder.items()))}, "
        f"only in binder {sorted(set(binder.items()) - set(top.items()))}")
    # The repository's own package, and the CPU index, and nothing else unpinned.
    assert [o for o in top_other if o not in ("-e .", ".")] == [], top_other
    assert any(o in ("-e .", ".") for o in binder_other), "binder must install the repo (-e .)"
    extra = [o for o in binder_other if o not in ("-e .", ".")]
    assert extra == [f"--extra-index-url {CPU_INDEX}"] or extra == [f"--index-url {CPU_INDEX}"], \
        f"unexpected lines in binder/requirements.txt: {extra}"


def test_test_environment_has_binders_jupyterlab_myst():
    """tests/test_jupyterlab.py runs a chapter in JupyterLab with Binder's jupyterlab-myst."""
    binder, _ = _requirements(ROOT / "binder" / "requirements.txt")
    test_pins = {}
    for name in ("requirements-dev.txt", "requirements-instructor.txt"):
        test_pins.update(_requirements(ROOT / name)[0])
    assert test_pins.get("jupyterlab-myst") == binder.get("jupyterlab-myst"), (
        f"the test environment pins jupyterlab-myst {test_pins.get('jupyterlab-myst')}, "
        f"binder/requirements.txt {binder.get('jupyterlab-myst')}: pin the same version")
