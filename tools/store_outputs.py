"""Execute chapter notebooks and keep only the outputs that nbval compares.

Usage:  python tools/store_outputs.py chapters/01_entropy.ipynb [...]

nbval runs with --nbval-lax: it compares the stored outputs of cells tagged
`nbval-check-output` (answer keys, key numbers) with a fresh run, and only executes the
rest.  This script runs each notebook top to bottom in a fresh kernel and then stores
outputs for the tagged cells only; every other cell is cleared (execution_count None),
so the committed notebooks stay small and open clean in Colab and Binder.
"""

import argparse
import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def kernel_dir(path) -> str:
    """The folder the notebook's kernel starts in: the notebook's own, as in Jupyter."""
    return str(Path(path).resolve().parent)


def store(path: str) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": kernel_dir(path)}}).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps: would change on every run
        if cell.cell_type != "code":
            continue
        if "nbval-check-output" not in cell.metadata.get("tags", []):
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)  # live widget state is not needed in the file
    nbformat.write(nb, path)
    print(f"stored checked outputs of {path}")


if __name__ == "__main__":
    # The environment `make book` gives the kernels (Makefile): no progress lines, one
    # thread.
    os.environ.setdefault("ITLIB_PROGRESS", "0")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="notebooks to run and store")
    for p in parser.parse_args().notebooks:
        store(str(p))
