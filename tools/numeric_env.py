"""One set of floating-point code paths for every execution of the book's notebooks.

Usage:  python tools/numeric_env.py     (prints the variables and whether they apply here)

numpy, OpenBLAS, MKL (inside PyTorch) and PyTorch's own kernels each pick their code at run
time from the instructions the processor has.  An AVX-512 path sums in another order than
an AVX2 path, so the last bits of a result differ, and a model trained for hundreds of
steps amplifies them: on a machine with AVX-512, chapter 4's beta = 0 VAE ended at a rate
of 55.85 bits where an AVX2-only machine gave 55.41, and a chapter's checked outputs (and
the numbers its prose quotes) no longer matched.  Seeds and one thread make a run
repeatable on one machine; these variables make it repeatable across the x86-64 machines
that build the book and run CI, by asking every library for its AVX2 path:

- ``MKL_CBWR=AVX2``: MKL's conditional numerical reproducibility mode (PyTorch's matrix
  products on the CPU);
- ``ATEN_CPU_CAPABILITY=avx2``: PyTorch's vectorized kernels;
- ``NPY_DISABLE_CPU_FEATURES``: numpy's AVX-512 loops (numpy ignores, without a word, a
  feature the machine lacks);
- ``OPENBLAS_CORETYPE=Haswell``: the AVX2 kernels of OpenBLAS (numpy's and scipy's matrix
  products), which it also picks on AMD's Zen.

``make`` exports them (the Makefile's lines must equal ``ENV``: tests/test_numeric_env.py),
and tools/store_outputs.py, tools/benchmark_chapters.py and benchmarks/book.py set them
for the kernels they start.  A value already in the environment wins.  They apply only on
x86-64 machines with AVX2 (OpenBLAS would stop with an illegal instruction on one without).
The chapters that train networks also do so in float64, which keeps the rounding of any
code path out of the printed digits (tools/check_code_paths.py shows it); these variables
make the last bits agree as well.  Readers who run a chapter in Colab or Binder are not
asked to set anything.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

ENV = {
    "MKL_CBWR": "AVX2",
    "ATEN_CPU_CAPABILITY": "avx2",
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
    "OPENBLAS_CORETYPE": "Haswell",
}


def applies(cpuinfo: str | None = None, machine: str | None = None) -> bool:
    """True on an x86-64 processor with AVX2 (read from ``/proc/cpuinfo`` by default)."""
    machine = machine or platform.machine()
    if machine.lower() not in ("x86_64", "amd64"):
        return False
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            return False
    return any(line.startswith("flags") and "avx2" in line.split() for line in cpuinfo.splitlines())


def environ(base: dict | None = None) -> dict:
    """``base`` (default ``os.environ``) with ``ENV`` added where it applies; ``base`` wins."""
    base = dict(os.environ if base is None else base)
    return {**ENV, **base} if applies() else base


def apply() -> None:
    """Set ``ENV`` in this process's environment, for the kernels it starts."""
    os.environ.update(environ())


def describe(env: dict | None = None) -> str:
    """The values of ``ENV``'s variables in ``env`` (default ``os.environ``), one line each."""
    env = os.environ if env is None else env
    return "".join(f"{name}={env.get(name, '')}\n" for name in ENV)


if __name__ == "__main__":
    print(describe(environ()), end="")
    print(f"applies on this machine: {applies()}")
