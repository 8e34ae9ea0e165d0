"""Build times of the book, and each chapter's execution time and peak kernel memory.

Run from the repository root, after `make install assets`:  python benchmarks/book.py
(or `make benchmarks`).  Takes 4 to 10 minutes on 2 cores, by the machine; prints one
table; asserts nothing.

It works on a copy of the repository in a temporary folder (the repository's own _build is
left alone), with the repository's virtual environment, and the copy's itlib first on
PYTHONPATH, so that editing the copy's itlib is what the kernels import.  The builds are
the ones `make book` runs (tools/forget_stale_outputs.py, then jupyter-book build):

1. cold: no _build at all, every notebook executed;
2. warm: nothing changed;
3. a prose edit in one chapter (a Markdown cell): the page is rebuilt, nothing executed;
4. a code edit in one chapter: that chapter alone is executed again;
5. a change to itlib: every chapter is executed again (all of them import it).

For each build it prints the wall time and how many notebooks were executed (counted from
MyST-NB's log).  Then each chapter is run top to bottom in a fresh kernel
(tools/benchmark_chapters.py) for its execution time and the kernel's peak RSS.

Budgets (issue 14): cold build <= 5 min; warm rebuild <= 30 s; every chapter <= 90 s and
<= 1.5 GB of kernel memory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tools"))
import benchmark_chapters  # noqa: E402

BUDGETS = {"cold build": 300.0, "warm rebuild, nothing changed": 30.0}
CHAPTER_SECONDS, CHAPTER_MIB = 90.0, 1.5 * 1024
JB_FLAGS = ["--warningiserror", "--nitpick", "--keep-going"]


def copy_repository(dest: Path) -> None:
    """The files git knows of (tracked, or new and not ignored), and the installed assets."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    shutil.copytree(ROOT / "_vendor", dest / "_vendor", dirs_exist_ok=True)
    # mathjax-full for build-time math (installed by `make assets`; not tracked)
    (dest / "tools" / "mathjax" / "node_modules").symlink_to(
        ROOT / "tools" / "mathjax" / "node_modules", target_is_directory=True)


def build(book: Path, env: dict) -> tuple[float, int]:
    """(wall seconds, notebooks executed) for `make book`'s two steps in ``book``."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "tools/forget_stale_outputs.py"], cwd=book, env=env,
                   check=True)
    run = subprocess.run([str(BIN / "jupyter-book"), "build", ".", *JB_FLAGS], cwd=book,
                         env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if run.returncode:
        sys.exit(f"the build failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    log = run.stdout + run.stderr
    return seconds, log.count("Executing notebook")


def edit_cell(path: Path, cell_type: str) -> None:
    """Append a harmless line to the last cell of ``cell_type`` (a comment for code)."""
    nb = nbformat.read(path, as_version=4)
    cell = [c for c in nb.cells if c.cell_type == cell_type][-1]
    cell.source += "\n# edited by benchmarks/book.py" if cell_type == "code" else "\n\nEdited."
    nbformat.write(nb, path)


def main() -> None:
    # The make targets' environment (Makefile).
    env = dict(os.environ, ITLIB_PROGRESS="0", OMP_NUM_THREADS="1",
               PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="itml-book-") as tmp:
        book = Path(tmp)
        copy_repository(book)
        env["PYTHONPATH"] = str(book)
        chapters = sorted((book / "chapters").glob("*.ipynb"))
        steps = [
            ("cold build", lambda: None),
            ("warm rebuild, nothing changed", lambda: None),
            (f"prose edit in {chapters[0].name}", lambda: edit_cell(chapters[0], "markdown")),
            (f"code edit in {chapters[-1].name}", lambda: edit_cell(chapters[-1], "code")),
            ("itlib changed (a comment in discrete.py)",
             lambda: (book / "itlib" / "discrete.py").open("a").write("# edited\n")),
        ]
        for name, change in steps:
            change()
            seconds, executed = build(book, env)
            rows.append((name, seconds, executed))
            print(f"  {name}: {seconds:.1f} s, {executed} notebooks executed", flush=True)
        per_chapter = []
        os.environ.update(env)  # the kernels measured below import the copy's itlib
        for path in chapters:
            per_chapter.append((path.name, *benchmark_chapters.measure(path)))
            print(f"  {path.name}: {per_chapter[-1][1]:.1f} s", flush=True)
    print()
    print(f"{'build':<44} {'wall time':>10} {'executed':>9} {'budget':>9}")
    for name, seconds, executed in rows:
        budget = BUDGETS.get(name)
        verdict = "" if budget is None else ("ok" if seconds <= budget else "OVER")
        print(f"{name:<44} {seconds:9.1f}s {executed:9d} "
              f"{'' if budget is None else f'{budget:.0f} s':>9} {verdict}")
    print()
    print(f"{'chapter (fresh kernel)':<36} {'time':>8} {'peak RSS':>10}   budget 90 s, 1536 MiB")
    for name, seconds, mib in per_chapter:
        ok = seconds <= CHAPTER_SECONDS and mib <= CHAPTER_MIB
        print(f"{name:<36} {seconds:7.1f}s {mib:7.0f} MiB   {'ok' if ok else 'OVER'}")


if __name__ == "__main__":
    main()
