"""The maintenance scripts of tools/: arguments, paths and error messages (issue 9)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_store_outputs_runs_each_notebook_in_its_own_folder(tmp_path, monkeypatch):
    """It used to guess the folder from a "/" in the path ("chapters" when there was none)."""
    kernel_dir = _load("store_outputs").kernel_dir
    nb = tmp_path / "ch" / "01_x.ipynb"
    nb.parent.mkdir()
    monkeypatch.chdir(nb.parent)
    assert kernel_dir("01_x.ipynb") == str(nb.parent)
    assert kernel_dir(nb) == str(nb.parent)
    monkeypatch.chdir(tmp_path)
    assert kernel_dir("ch/01_x.ipynb") == str(nb.parent)


def test_sync_colab_cells_refuses_a_mistyped_flag(capsys):
    """A typo of --check used to run the rewriting mode."""
    parse_args = _load("sync_colab_cells").parse_args
    with pytest.raises(SystemExit) as stop:
        parse_args(["--chek"])
    assert stop.value.code == 2
    assert "unrecognized arguments: --chek" in capsys.readouterr().err
    assert parse_args(["--check"]).check and not parse_args([]).check


def test_fetch_assets_shows_npms_error(tmp_path):
    """npm's own message (here a 404) reaches the reader instead of being thrown away."""
    (tmp_path / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "fetch_assets.sh", tmp_path / "tools")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "npm").write_text("#!/bin/sh\necho 'npm error 404 Not Found - GET mathjax' >&2\nexit 1\n")
    (fake / "npm").chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run(["bash", str(tmp_path / "tools" / "fetch_assets.sh")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "npm pack mathjax@" in done.stderr and "npm error 404 Not Found" in done.stderr, \
        done.stderr


def test_check_code_paths_runs_only_the_settings_the_processor_has():
    paths = _load("check_code_paths")
    avx2 = "processor\t: 0\nflags\t\t: fpu sse2 avx fma avx2 avx512f\n"
    old = "processor\t: 0\nflags\t\t: fpu sse2 sse4_2 avx\n"
    assert list(paths.settings(avx2, "x86_64")) == [
        "libraries' own choice", "AVX2 paths", "oldest paths (SSE)"]
    # OpenBLAS's Haswell kernels would stop with an illegal instruction without AVX2
    assert list(paths.settings(old, "x86_64")) == ["libraries' own choice", "oldest paths (SSE)"]
    assert list(paths.settings(avx2, "aarch64")) == ["libraries' own choice"]
    # the libraries' own choice sets none of the variables the others set
    own = paths.SETTINGS["libraries' own choice"]
    assert set(own) == set(paths.VARIABLES) and not any(own.values())
    for env in paths.SETTINGS.values():
        assert set(env) == set(paths.VARIABLES)
