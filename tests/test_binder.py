"""Binder's environment (binder/) is the book's: same pins as requirements.txt.

repo2docker reads binder/ in preference to the repository root.  binder/requirements.txt
differs from requirements.txt only in taking PyTorch's CPU-only build from PyTorch's own
wheel index; everything else must be pinned alike, so that a reader on Binder runs what the
book is built and tested with.  Binder does not install jupyterlab-myst (issue 32): the
launch button opens the plain copies under colab/, which plain JupyterLab renders, and the
extension numbered their display equations a second time.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
#: Pins of binder/requirements.txt that requirements.txt does not have: none.
BINDER_ONLY: dict[str, str] = {}
#: JupyterLab extensions Binder must not install, and why.
NOT_ON_BINDER = {"jupyterlab-myst": "numbers every display equation of the plain copies a "
                 "second time beside its \\tag, and 2.7.0 is incompatible with JupyterLab 4.6"}


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
    for name, version in BINDER_ONLY.items():
        assert binder.pop(name, None) == version, f"binder/requirements.txt must pin {name}=={version}"
    assert binder == top, (
        "binder/requirements.txt and requirements.txt pin different packages or versions: "
        f"only in requirements.txt {sorted(set(top.items()) - set(binder.items()))}, "
        f"only in binder {sorted(set(binder.items()) - set(top.items()))}")
    # The repository's own package, and the CPU index, and nothing else unpinned.
    # requirements.txt may name PyTorch's CPU index too (a Linux reader's pip then prefers
    # its 2.13.0+cpu); Binder pins the +cpu build explicitly.
    top_extra = [o for o in top_other if o not in ("-e .", ".")]
    assert top_extra in ([], [f"--extra-index-url {CPU_INDEX}"]), top_other
    assert any(o in ("-e .", ".") for o in binder_other), "binder must install the repo (-e .)"
    extra = [o for o in binder_other if o not in ("-e .", ".")]
    assert extra == [f"--extra-index-url {CPU_INDEX}"] or extra == [f"--index-url {CPU_INDEX}"], \
        f"unexpected lines in binder/requirements.txt: {extra}"


def test_binder_has_no_jupyterlab_myst():
    binder, _ = _requirements(ROOT / "binder" / "requirements.txt")
    text = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf8")
    lines = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
    for name, why in NOT_ON_BINDER.items():
        assert name not in binder and not any(ln.startswith(name) for ln in lines), (
            f"binder/requirements.txt installs {name}, which {why}")


def test_jupyterlab_test_disables_what_binder_lacks():
    """tests/test_jupyterlab.py runs the copies in the JupyterLab Binder has: an extension the
    test environment has (requirements-instructor.txt) and Binder does not stays disabled."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import test_jupyterlab
    finally:
        sys.path.pop(0)
    for name in NOT_ON_BINDER:
        assert test_jupyterlab.NOT_ON_BINDER.get(name) is True, name


@pytest.mark.slow  # starts jupyter (several seconds)
def test_every_extension_the_binder_lab_loads_is_compatible():
    """`jupyter labextension list` (issue 32): of the lab extensions installed here, each
    one that tests/test_jupyterlab.py leaves on -- what Binder's JupyterLab has too -- is
    reported compatible ("OK"); an incompatible one is one Binder does not install."""
    import shutil
    import subprocess

    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import test_jupyterlab
    finally:
        sys.path.pop(0)
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent))
    assert jupyter, "no jupyter beside this Python"
    done = subprocess.run([jupyter, "labextension", "list"], capture_output=True, text=True,
                          timeout=120)
    text = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    rows = re.findall(r"^\s+(\S+) v(\S+) (enabled|disabled)\s+(OK|X)\b", text, re.M)
    assert rows, f"no extension listed:\n{text}"
    incompatible = {name for name, _, _, ok in rows if ok == "X"}
    incompatible |= set(re.findall(r'"(.+?)@[^"@]+" is not compatible', text))
    loaded = incompatible - {n for n, off in test_jupyterlab.NOT_ON_BINDER.items() if off}
    assert not loaded, (f"lab extensions reported incompatible with this JupyterLab: "
                        f"{sorted(loaded)}\n{text}")
