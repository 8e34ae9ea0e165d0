"""tools/numeric_env.py: the variables that pin the libraries' floating-point code paths.

The chapters' checked outputs (tests/test_executed_outputs.py) are the test that the
pinned paths give the same digits on the machine that stored them and on the one that
builds the book; these tests check the pieces: that ``make`` exports exactly ``ENV``, when
the variables apply, and that numpy, OpenBLAS and PyTorch do take their AVX2 paths under
them.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import numeric_env  # noqa: E402

X86_AVX2 = "processor\t: 0\nflags\t\t: fpu sse2 avx fma avx2 bmi2\n"
X86_OLD = "processor\t: 0\nflags\t\t: fpu sse2 sse4_2 avx\n"


def makefile_exports() -> dict:
    text = (ROOT / "Makefile").read_text()
    return {m[1]: m[2].strip() for m in re.finditer(r"^export (\w+) \?= (.*)$", text, re.M)
            if m[1] in numeric_env.ENV or m[1].startswith(("MKL_", "NPY_", "OPENBLAS_", "ATEN_"))}


def test_make_exports_exactly_the_variables_of_numeric_env():
    assert makefile_exports() == numeric_env.ENV


def test_make_sets_them_only_where_the_processor_has_avx2():
    text = (ROOT / "Makefile").read_text()
    block = text[text.index("ifneq ($(shell grep -m1 -ow avx2 /proc/cpuinfo"):]
    block = block[:block.index("endif")]
    assert all(f"export {name} ?=" in block for name in numeric_env.ENV)


def test_applies_on_x86_64_with_avx2_only():
    assert numeric_env.applies(X86_AVX2, "x86_64")
    assert not numeric_env.applies(X86_OLD, "x86_64")           # OpenBLAS's Haswell: AVX2
    assert not numeric_env.applies(X86_AVX2, "aarch64")
    assert not numeric_env.applies("flags : avx2x\n", "x86_64")  # a whole flag, not a prefix


def test_a_value_already_set_wins(monkeypatch):
    monkeypatch.setattr(numeric_env, "applies", lambda *a: True)
    env = numeric_env.environ({"MKL_CBWR": "COMPATIBLE", "HOME": "/h"})
    assert env["MKL_CBWR"] == "COMPATIBLE" and env["HOME"] == "/h"
    assert env["OPENBLAS_CORETYPE"] == "Haswell"
    monkeypatch.setattr(numeric_env, "applies", lambda *a: False)
    assert numeric_env.environ({"HOME": "/h"}) == {"HOME": "/h"}


def test_describe_names_every_variable_and_its_value():
    text = numeric_env.describe({"MKL_CBWR": "AVX2"})
    assert text.splitlines() == [f"{k}={'AVX2' if k == 'MKL_CBWR' else ''}"
                                 for k in numeric_env.ENV]


PROBE = """
import json, numpy, scipy.linalg, threadpoolctl, torch
from numpy._core._multiarray_umath import __cpu_features__ as features
print(json.dumps({
    "numpy_avx512": any(features.get(k) for k in ("X86_V4", "AVX512_ICL", "AVX512_SPR")),
    "openblas": sorted({i.get("architecture") for i in threadpoolctl.threadpool_info()
                        if i["internal_api"] == "openblas"}),
    "torch": torch.backends.cpu.get_cpu_capability(),
}))
"""


@pytest.mark.skipif(not numeric_env.applies(), reason="x86-64 with AVX2 only")
def test_the_libraries_take_their_avx2_paths_under_it():
    env = {k: v for k, v in numeric_env.environ().items() if k not in numeric_env.ENV}
    env.update(numeric_env.ENV)
    got = json.loads(subprocess.run([sys.executable, "-c", PROBE], env=env, check=True,
                                    capture_output=True, text=True).stdout)
    assert got == {"numpy_avx512": False, "openblas": ["Haswell"], "torch": "AVX2"}


@pytest.mark.slow
def test_check_code_paths_sets_each_setting_and_reports_what_differs(tmp_path):
    # tools/check_code_paths.py: a notebook that prints two of the variables, run under the
    # two settings; the stored output matches one of them only.
    import nbformat

    import check_code_paths

    cell = nbformat.v4.new_code_cell(
        "import os\nprint(os.environ.get('MKL_CBWR'), os.environ.get('ATEN_CPU_CAPABILITY'))")
    cell.metadata["tags"] = ["nbval-check-output"]
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="COMPATIBLE default\n")]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nbformat.write(nb, tmp_path / "probe.ipynb")
    before = dict(numeric_env.os.environ)
    assert check_code_paths.run(tmp_path / "probe.ipynb",
                                check_code_paths.SETTINGS["oldest paths (SSE)"]) == []
    problems = check_code_paths.run(tmp_path / "probe.ipynb",
                                    check_code_paths.SETTINGS["libraries' own choice"])
    assert len(problems) == 1 and "None None" in problems[0]
    assert dict(numeric_env.os.environ) == before          # the caller's environment is back
    assert set(check_code_paths.SETTINGS["oldest paths (SSE)"]) == set(numeric_env.ENV)
