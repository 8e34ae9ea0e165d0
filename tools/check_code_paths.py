"""Run chapters on other floating-point code paths and compare their checked outputs.

Usage:  python tools/check_code_paths.py [chapters/04_elbo_mdl.ipynb ...]

The book is built with the AVX2 code paths of tools/numeric_env.py, and the chapters that
train networks (4 to 6) do so in float64, so that the digits they print do not depend on
the processor.  This script is the evidence for the second half: it executes each chapter
(default: all) in a fresh kernel with the libraries left to their own choice of code paths
(AVX-512 on a machine that has it) and then with their oldest paths (SSE), and reports every
checked output (cells tagged ``nbval-check-output``) that differs from the stored one, by
the comparison tests/test_executed_outputs.py makes.  It prints a table; exit status 1 if
any output differs.  About a minute per chapter on 2 cores.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))
import numeric_env  # noqa: E402
from test_executed_outputs import CHECK, SKIP, differences  # noqa: E402

# The libraries' own choice (no pinning), and their oldest x86-64 paths.
SETTINGS = {
    "libraries' own choice": {name: "" for name in numeric_env.ENV},
    "oldest paths (SSE)": {"MKL_CBWR": "COMPATIBLE", "ATEN_CPU_CAPABILITY": "default",
                           "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
                           "OPENBLAS_CORETYPE": "Prescott"},
}


def run(path: Path, env: dict) -> list[str]:
    """Execute ``path`` with ``env`` set; the differences of its checked outputs."""
    saved = dict(os.environ)
    os.environ.update({"ITLIB_PROGRESS": "0", "OMP_NUM_THREADS": "1", **env})
    for name, value in env.items():
        if value == "":
            os.environ.pop(name, None)
    try:
        stored = nbformat.read(path, as_version=4)
        executed = nbformat.read(path, as_version=4)
        NotebookClient(executed, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    problems = []
    code = [(s, e) for s, e in zip(stored.cells, executed.cells) if s.cell_type == "code"]
    for number, (src, run_) in enumerate(code, start=1):
        tags = src.metadata.get("tags", [])
        if CHECK in tags and SKIP not in tags:
            problems += [f"  code cell {number}: {d}" for d in differences(src.outputs, run_.outputs)]
    return problems


def main(argv: list[str]) -> int:
    paths = [Path(p).resolve() for p in argv] or sorted((ROOT / "chapters").glob("*.ipynb"))
    failed = False
    print(f"{'chapter':<34} {'code paths':<24} checked outputs")
    for path in paths:
        for label, env in SETTINGS.items():
            problems = run(path, env)
            failed |= bool(problems)
            print(f"{path.name:<34} {label:<24} "
                  f"{'the same' if not problems else f'{len(problems)} differ'}", flush=True)
            for p in problems:
                print(p)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
