"""Write the repository setting of _config.yml into every chapter's Colab cell.

Usage:  python tools/sync_colab_cells.py          # rewrite cells that disagree
        python tools/make_student_exercises.py   # then regenerate the student versions
        python tools/sync_colab_cells.py --check  # exit 1 if any cell disagrees

`_config.yml` (repository.url, repository.branch) is the single place that names the
book's repository.  The launch buttons read it there; the first code cell of each
chapter (tagged `colab-install`) installs itlib from it when the notebook runs in Colab.
Colab opens a notebook on its own, so that cell must spell the URL out: this script
keeps it in step, and tests/test_repository_setting.py fails when it is not.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import nbformat
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
TAG = "colab-install"


def repository() -> tuple[str, str]:
    """(url, branch) from _config.yml."""
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = cfg["repository"]
    return repo["url"].rstrip("/"), repo.get("branch", "main")


def colab_cell_source(url: str, branch: str) -> str:
    """The source of the Colab install cell for this repository and branch."""
    return (
        "# Colab only: install the book's helper package, itlib (does nothing elsewhere).\n"
        "import sys\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "itlib @ git+{url}@{branch}"'
    )


def chapter_paths() -> list[pathlib.Path]:
    """Every notebook a reader can open in Colab: chapters and exercise notebooks.

    The student versions under exercises/student/ are generated from the sources by
    tools/make_student_exercises.py: regenerate them after a sync.
    """
    return sorted((ROOT / "chapters").glob("*.ipynb")) + sorted(
        (ROOT / "exercises").glob("**/*.ipynb"))


def first_code_cell(nb):
    return next((c for c in nb.cells if c.cell_type == "code"), None)


def main(check: bool) -> int:
    want = colab_cell_source(*repository())
    bad = []
    for path in chapter_paths():
        nb = nbformat.read(path, as_version=4)
        cell = first_code_cell(nb)
        if cell is None or TAG not in cell.metadata.get("tags", []):
            bad.append(f"{path.name}: first code cell is not tagged {TAG!r}")
            continue
        if cell.source != want:
            if check:
                bad.append(f"{path.name}: Colab cell differs from _config.yml's repository")
            else:
                cell.source = want
                nbformat.write(nb, path)
                print(f"updated {path.name}")
    for line in bad:
        print(line, file=sys.stderr)
    return 1 if bad else 0


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if any Colab cell disagrees")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main(check=parse_args().check))
