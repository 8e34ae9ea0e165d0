"""Every chapter's first cell is the Colab install cell, and it follows _config.yml."""

import pathlib
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import sync_colab_cells as sync  # noqa: E402

CHAPTERS = sync.chapter_paths()


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks found under chapters/"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_first_code_cell_installs_itlib_in_colab_only(path):
    nb = nbformat.read(path, as_version=4)
    cell = sync.first_code_cell(nb)
    tags = cell.metadata.get("tags", [])
    # hidden on the website, skipped by nbval, recognised by the sync tool
    assert {"remove-cell", "nbval-skip", "colab-install"} <= set(tags)
    url, branch = sync.repository()
    assert cell.source == sync.colab_cell_source(url, branch), (
        f"{path.name}: run `python tools/sync_colab_cells.py` after changing _config.yml")
    assert 'if "google.colab" in sys.modules:' in cell.source


def test_check_mode_detects_a_stale_url(tmp_path, monkeypatch):
    # A chapter whose cell names another repository is reported by --check.
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        sync.colab_cell_source("https://github.com/someone/else", "main"))])
    nb.cells[0].metadata["tags"] = ["remove-cell", "nbval-skip", "colab-install"]
    (tmp_path / "chapters").mkdir()
    nbformat.write(nb, tmp_path / "chapters" / "99_x.ipynb")
    (tmp_path / "_config.yml").write_text((ROOT / "_config.yml").read_text())
    monkeypatch.setattr(sync, "ROOT", tmp_path)
    assert sync.main(check=True) == 1
    assert sync.main(check=False) == 0      # rewrites it ...
    assert sync.main(check=True) == 0       # ... and then it agrees
