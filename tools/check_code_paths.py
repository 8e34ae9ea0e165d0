"""Run chapters on several floating-point code paths and compare their checked outputs.

Usage:  python tools/check_code_paths.py [chapters/04_elbo_mdl.ipynb ...]

numpy, OpenBLAS, MKL (inside PyTorch) and PyTorch's own kernels pick their code at run time
from the instructions the processor has, and an AVX-512 path sums in another order than an
AVX2 or an SSE path, so the last bits of a result differ.  The book asks nothing of them:
the chapters that train networks (4 to 6) train in float64, which keeps such differences
out of the printed digits.  This script is the evidence.  It executes each chapter (default:
all) in a fresh kernel three times -- the libraries' own choice (AVX-512 on a machine that
has it), their AVX2 paths and their oldest x86-64 paths (SSE), chosen by the variables of
``SETTINGS`` -- and reports every checked output (cells tagged ``nbval-check-output``) that
differs from the stored one, by the comparison tests/test_executed_outputs.py makes.  It
prints a table; exit status 1 if any output differs.  About a minute per chapter and
setting on 2 cores.  On a machine without AVX-512 the first two settings are the same.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_executed_outputs import CHECK, SKIP, differences  # noqa: E402

#: The variables that choose the code paths, and the settings compared.
VARIABLES = ["MKL_CBWR", "ATEN_CPU_CAPABILITY", "NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE"]
SETTINGS = {
    "libraries' own choice": {name: "" for name in VARIABLES},
    "AVX2 paths": {"MKL_CBWR": "AVX2", "ATEN_CPU_CAPABILITY": "avx2",
                   "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
                   "OPENBLAS_CORETYPE": "Haswell"},
    "oldest paths (SSE)": {"MKL_CBWR": "COMPATIBLE", "ATEN_CPU_CAPABILITY": "default",
                           "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
                           "OPENBLAS_CORETYPE": "Prescott"},
}


def settings(cpuinfo: str | None = None, machine: str | None = None) -> dict:
    """The settings that apply here: the pinned ones only on x86-64, AVX2 only where the
    processor has it (OpenBLAS stops with an illegal instruction otherwise)."""
    if (machine or platform.machine()).lower() not in ("x86_64", "amd64"):
        return {"libraries' own choice": SETTINGS["libraries' own choice"]}
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            cpuinfo = ""
    avx2 = any(line.startswith("flags") and "avx2" in line.split()
               for line in cpuinfo.splitlines())
    return {k: v for k, v in SETTINGS.items() if avx2 or k != "AVX2 paths"}


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
        for label, env in settings().items():
            problems = run(path, env)
            failed |= bool(problems)
            print(f"{path.name:<34} {label:<24} "
                  f"{'the same' if not problems else f'{len(problems)} differ'}", flush=True)
            for p in problems:
                print(p)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
