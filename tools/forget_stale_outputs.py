"""Forget the book's executed outputs when the code they depend on has changed.

Usage:  python tools/forget_stale_outputs.py [--build _build] [WATCHED ...]

`make book` runs this before `jupyter-book build`.  The book executes its notebooks through
jupyter-cache (``execute_notebooks: cache``): a notebook is executed again only when its
own code cells change, and Sphinx re-reads only the pages whose source changed.  Neither
sees a change to ``itlib`` or to the installed packages, so without this step a warm rebuild
after editing ``itlib`` reports "no targets are out of date" and keeps outputs that the
current code would not produce.

This script hashes the watched files (default: every ``.py`` file of ``itlib/``,
``pyproject.toml`` and the requirements files).  When the digest differs
from the one recorded by the previous build, it deletes the execution cache, the executed notebooks
and Sphinx's saved environment, so the next build re-reads and re-executes every page.
Every chapter imports ``itlib`` (whose ``__init__`` imports all of its modules), so that
is exactly the set of pages that depend on it.  A change to one chapter alone is left to
jupyter-cache and Sphinx, which re-execute that chapter only.
"""

import argparse
import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WATCHED = ["itlib", "pyproject.toml", "requirements.txt", "requirements-dev.txt",
                   "requirements-instructor.txt"]
# What the build keeps between runs and what a stale digest clears.
EXECUTION_STATE = [".jupyter_cache", "jupyter_execute", ".doctrees"]
DIGEST_FILE = ".executed-with"


def watched_files(paths: list[Path]) -> list[Path]:
    """Every file under the watched paths (``.py`` files only inside folders), sorted."""
    files = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
        elif path.exists():
            files.append(path)
    return sorted(files)


def digest(paths: list[Path], root: Path) -> str:
    """SHA-256 over the watched files' paths (relative to ``root``) and contents."""
    h = hashlib.sha256()
    for f in watched_files(paths):
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def forget_if_stale(build: Path, paths: list[Path], root: Path) -> bool:
    """Clear ``build``'s execution state if the watched files changed; True if it did."""
    new = digest(paths, root)
    record = build / DIGEST_FILE
    old = record.read_text().strip() if record.exists() else None
    stale = old != new and any((build / name).exists() for name in EXECUTION_STATE)
    if stale:
        for name in EXECUTION_STATE:
            shutil.rmtree(build / name, ignore_errors=True)
    build.mkdir(parents=True, exist_ok=True)
    record.write_text(new + "\n")
    return stale


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(ROOT / "_build"), help="the book's build folder")
    parser.add_argument("--root", default=str(ROOT), help="folder the watched paths are in")
    parser.add_argument("watched", nargs="*", help="files or folders whose change makes "
                        "every executed output stale (default: itlib, pyproject, requirements)")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    paths = [root / p for p in (args.watched or DEFAULT_WATCHED)]
    if forget_if_stale(Path(args.build), paths, root):
        print("forget_stale_outputs: the watched code changed since the last build: "
              "every notebook will be executed again")


if __name__ == "__main__":
    main()
