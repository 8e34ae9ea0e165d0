"""Print each chapter's execution time and the kernel's peak memory.

Usage:  python tools/benchmark_chapters.py [chapters/01_entropy.ipynb ...]

Targets (free Binder/Colab): a chapter runs in seconds, not minutes, and its kernel
stays well under 2 GB.  This script measures; it does not assert, so a slow machine
does not turn the test suite red.  Wall time includes kernel start-up.
"""

import argparse
import os
import pathlib
import threading
import time

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent


def measure(path: pathlib.Path) -> tuple[float, float]:
    """(seconds, peak kernel RSS in MiB) for one top-to-bottom run in a fresh kernel."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            km = client.km
            pid = getattr(getattr(km, "provisioner", None), "pid", None) if km else None
            if pid:
                try:
                    proc = psutil.Process(pid)
                    rss = proc.memory_info().rss + sum(
                        c.memory_info().rss for c in proc.children(recursive=True))
                    peak = max(peak, rss)
                except psutil.Error:
                    pass
            time.sleep(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    return seconds, peak / 2**20


if __name__ == "__main__":
    # The environment `make book` gives the kernels (Makefile).
    os.environ.setdefault("ITLIB_PROGRESS", "0")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="notebooks to run (default: every chapter)")
    args = parser.parse_args()
    missing = [p for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(map(str, missing))}")
    paths = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    print(f"{'chapter':<32} {'time (s)':>9} {'peak kernel memory (MiB)':>26}")
    for p in paths:
        seconds, mib = measure(p)
        print(f"{p.name:<32} {seconds:9.1f} {mib:26.0f}")
