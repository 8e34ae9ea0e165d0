"""A warm rebuild after a change to the code the notebooks import shows the new outputs.

The failure this guards against: with executed outputs cached, editing ``itlib`` and running
``make book`` again left the old numbers on the website (Sphinx: "no targets are out of
date").  ``make book`` runs ``tools/forget_stale_outputs.py`` before ``jupyter-book build``.
The end-to-end test builds a one-page book with the same execution settings as ours, whose
notebook prints a value from a module beside it, changes the module, and rebuilds.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "forget_stale_outputs.py"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
sys.path.insert(0, str(ROOT / "tools"))
import forget_stale_outputs  # noqa: E402


def make_book(folder: Path) -> None:
    (folder / "_config.yml").write_text(textwrap.dedent("""\
        title: Stale outputs
        only_build_toc_files: true
        execute:
          execute_notebooks: cache
        sphinx:
          config:
            nb_execution_raise_on_error: true
        """))
    (folder / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A page"),
                nbformat.v4.new_code_cell("import helper\nprint(f'helper says {helper.VALUE}')")]
    nbformat.write(nb, folder / "page.ipynb")
    (folder / "helper.py").write_text("VALUE = 'first'\n")


def build(folder: Path, forget: bool) -> str:
    env = dict(os.environ, PYTHONPATH=str(folder))
    if forget:
        subprocess.run([sys.executable, str(TOOL), "--build", str(folder / "_build"),
                        "--root", str(folder), "helper.py"], check=True, env=env)
    subprocess.run([str(JUPYTER_BOOK), "build", str(folder), "--quiet"], check=True, env=env,
                   capture_output=True)
    return (folder / "_build" / "html" / "page.html").read_text()


@pytest.mark.slow
def test_a_rebuild_after_a_code_change_shows_the_new_output(tmp_path):
    make_book(tmp_path)
    assert "helper says first" in build(tmp_path, forget=True)
    (tmp_path / "helper.py").write_text("VALUE = 'second'\n")
    # Without the tool, the cached execution is served again: the failure this guards against.
    assert "helper says first" in build(tmp_path, forget=False)
    assert "helper says second" in build(tmp_path, forget=True)


def touch_state(build: Path) -> None:
    for name in forget_stale_outputs.EXECUTION_STATE:
        (build / name).mkdir(parents=True, exist_ok=True)
        (build / name / "kept").write_text("x")


def test_state_is_cleared_only_when_a_watched_file_changes(tmp_path):
    code = tmp_path / "pkg"
    code.mkdir()
    (code / "mod.py").write_text("A = 1\n")
    build = tmp_path / "_build"
    touch_state(build)
    assert forget_stale_outputs.forget_if_stale(build, [code], tmp_path)  # no digest yet
    touch_state(build)
    assert not forget_stale_outputs.forget_if_stale(build, [code], tmp_path)  # nothing changed
    assert all((build / n / "kept").exists() for n in forget_stale_outputs.EXECUTION_STATE)
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    assert not forget_stale_outputs.forget_if_stale(build, [code], tmp_path)  # bytecode ignored
    (code / "mod.py").write_text("A = 2\n")
    assert forget_stale_outputs.forget_if_stale(build, [code], tmp_path)
    assert not any((build / n).exists() for n in forget_stale_outputs.EXECUTION_STATE)
    (code / "new.py").write_text("")
    touch_state(build)
    assert forget_stale_outputs.forget_if_stale(build, [code], tmp_path)  # a new module counts


