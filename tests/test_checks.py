"""itlib.checks, the exercises' self-checks: clear messages, and a failure always raises.

Raising matters more than the wording: nbgrader gives an autograded cell zero points only
if the cell ends in an error, so a check that printed its failure and returned would hand
out full marks.  The last test runs checks in a real Jupyter kernel to see exactly what
nbgrader sees.
"""

import math
import os
import subprocess
import sys

import nbformat
import numpy as np
import pytest

import itlib
from itlib.checks import CheckFailed, assert_close, assert_raises, check, defined


def test_exported_from_itlib():
    assert itlib.checks.CheckFailed is CheckFailed
    assert "checks" in itlib.__all__


def test_check_failed_is_an_assertion_error():
    # Graders and test runners that catch AssertionError treat a failed check as a failure.
    assert issubclass(CheckFailed, AssertionError)


# ------------------------------------------------------------------ check


def test_check_passes_and_prints(capsys):
    check(True, "true is true")
    check(lambda: 2 + 2 == 4, "arithmetic")
    check(np.bool_(True), "a numpy bool")
    assert capsys.readouterr().out == (
        "✓ passed: true is true\n✓ passed: arithmetic\n✓ passed: a numpy bool\n"
    )


def test_check_fails_with_the_claim_and_the_hint(capsys):
    with pytest.raises(CheckFailed,
                       match=r"^✗ the code is prefix-free: expected true, got False \(look at 'a'\)$"):
        check(False, "the code is prefix-free", hint="look at 'a'")
    assert capsys.readouterr().out == ""  # no "passed" line on failure


def test_check_turns_an_error_in_the_condition_into_a_failed_check():
    with pytest.raises(CheckFailed, match="H <= L: raised TypeError"):
        check(lambda: None <= 1.0, "H <= L")


def test_check_lets_not_implemented_through():
    def unanswered():
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        check(unanswered, "anything")


@pytest.mark.parametrize("falsy", [False, 0, None, [], np.bool_(False), np.array([False])])
def test_check_fails_on_every_falsy_value_and_shows_it(falsy):
    with pytest.raises(CheckFailed, match=r"^✗ truthy: expected true, got (False|0|None|\[\]|np\.False_|array\(\[False\]\))$"):
        check(falsy, "truthy")


def test_check_calls_a_callable_hint_only_on_failure():
    calls = []

    def hint():
        calls.append(1)
        return "found 3"

    check(True, "holds", hint=hint)
    assert calls == []
    with pytest.raises(CheckFailed, match=r"expected true, got False \(found 3\)$"):
        check(False, "fails", hint=hint)
    with pytest.raises(CheckFailed, match=r"\(the hint raised ZeroDivisionError: division by zero\)$"):
        check(False, "fails", hint=lambda: 1 / 0)


@pytest.mark.parametrize("array", [np.array([True, False]), np.array([True, True]),
                                   np.zeros((2, 2), dtype=bool)])
def test_check_on_a_boolean_array_fails_readably(array):
    # bool(array) would raise numpy's "truth value ... is ambiguous"; even an all-True array
    # fails, since the claim is unclear: all or any?
    with pytest.raises(CheckFailed, match=r"expected a single True or False, got an array of "
                                          r"shape \(\d+,( \d+)?\) .*np\.all\(\.\.\.\) or np\.any"):
        check(array, "rows sum to 1")
    with pytest.raises(CheckFailed, match="got an array of shape"):
        check(lambda: array, "rows sum to 1")


def test_check_on_an_object_without_a_truth_value_fails_readably():
    class NoTruth:
        def __bool__(self):
            raise TypeError("no truth value")

    with pytest.raises(CheckFailed, match=r"expected True or False, got NoTruth .*TypeError: no truth value"):
        check(NoTruth(), "a claim")


# ------------------------------------------------------------------ assert_close


def test_assert_close_passes_within_tolerance(capsys):
    assert_close(np.log2(6) + 1e-4, np.log2(6), "die", tol=1e-3)
    assert_close(np.float32(0.5), 0.5, "a numpy scalar")
    assert_close(np.array([0.5, 1.0]), [0.5, 1.0], "an array")
    assert_close(math.inf, math.inf, "infinite KL")
    assert_close(3, 3, "an integer count", unit="")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "✓ passed: die = 2.585 bits",
        "✓ passed: a numpy scalar = 0.5 bits",
        "✓ passed: an array = [0.5, 1] bits",
        "✓ passed: infinite KL = inf bits",
        "✓ passed: an integer count = 3",
    ]


def test_assert_close_says_what_was_expected_and_what_came():
    with pytest.raises(CheckFailed, match=r"^✗ H_die: expected 2\.585 bits, got 3 bits$"):
        assert_close(3.0, np.log2(6), "H_die", tol=1e-3)


def test_assert_close_recognizes_nats():
    with pytest.raises(CheckFailed, match=r"1\.792 nats would be 2\.585 bits: use log base 2"):
        assert_close(np.log(6), np.log2(6), "H_die", tol=1e-3)


@pytest.mark.parametrize("got, expected", [(3.886e-11, 4.131e-11), (1e-9, 0.0), (0.0, 1e-9),
                                           (0.69, 1.0), (np.log(6) * 1.01, np.log2(6))])
def test_assert_close_blames_the_base_only_when_the_ratio_is_ln_2(got, expected):
    with pytest.raises(CheckFailed) as info:
        assert_close(got, expected, "KL", tol=1e-12)
    message = str(info.value)
    assert "nats would be" not in message and "log base 2" not in message
    assert "expected" in message and "got" in message


def test_assert_close_nats_hint_on_arrays_needs_every_entry_to_match():
    with pytest.raises(CheckFailed, match="nats would be"):
        assert_close(np.log([2.0, 3.0]), np.log2([2.0, 3.0]), "H", tol=1e-6)
    with pytest.raises(CheckFailed) as info:
        assert_close([np.log(2.0), 0.5], [1.0, 1.0], "H", tol=1e-6)
    assert "nats would be" not in str(info.value)
    # zeros are judged apart: 0 must stay 0, the ratio is taken on the other entries
    with pytest.raises(CheckFailed, match=r"\[0\.6931, 0\] nats would be \[1, 0\] bits"):
        assert_close([np.log(2.0), 0.0], [1.0, 0.0], "per-row KL", tol=1e-6)
    with pytest.raises(CheckFailed) as info:
        assert_close([np.log(2.0), 0.1], [1.0, 0.0], "per-row KL", tol=1e-6)
    assert "nats would be" not in str(info.value)


@pytest.mark.parametrize("got", [1 + 2j, 1 + 0j, np.complex128(1.0), np.array([0.5, 1 + 0j])])
def test_assert_close_refuses_complex_numbers(got):
    # Even a zero imaginary part fails: a real computation never returns a complex number.
    with pytest.raises(CheckFailed, match="expected a real number, got a complex one"):
        assert_close(got, np.ones(np.shape(got)), "H")


def test_assert_close_refuses_boolean_arrays():
    with pytest.raises(CheckFailed, match=r"expected numbers, got booleans"):
        assert_close(np.array([True, False]), [1.0, 0.0], "H", unit="")


def test_assert_close_shows_more_digits_when_four_do_not_differ():
    with pytest.raises(CheckFailed, match=r"expected 0\.721928094887 bits, got 0\.72193 bits"):
        assert_close(0.72193, 0.7219280948873623, "h(0.2)", tol=1e-9)


@pytest.mark.parametrize(
    "got, fragment",
    [
        (None, "expected a number, got None (did you assign it?)"),
        ("2.585", "expected a number, got str '2.585'"),
        (True, "expected a number, got bool True"),
        ({"a": 1}, "expected a number, got dict"),
        ([1.0, 2.0], "expected shape (), got shape (2,)"),
        (math.nan, "expected 1 bit, got nan bits"),
        (math.inf, "expected 1 bit, got inf bits"),
    ],
)
def test_assert_close_refuses_what_is_not_the_number(got, fragment):
    with pytest.raises(CheckFailed) as info:
        assert_close(got, 1.0, "H")
    assert fragment in str(info.value)


def test_assert_close_on_arrays_compares_every_entry():
    with pytest.raises(CheckFailed, match=r"expected \[0\.5, 1\] bits, got \[0\.5, 0\.9\] bits"):
        assert_close([0.5, 0.9], [0.5, 1.0], "two entropies", tol=1e-3)


# ------------------------------------------------------------------ assert_raises


def _refuses_negative(p):
    if p < 0:
        raise ValueError("negative")
    return p


def test_assert_raises_passes_on_the_expected_error(capsys):
    assert_raises(ValueError, _refuses_negative, -1, what="a negative number is refused")
    assert capsys.readouterr().out == "✓ passed: a negative number is refused\n"


def test_assert_raises_fails_when_nothing_is_raised():
    with pytest.raises(CheckFailed, match="expected ValueError, but the call returned 2"):
        assert_raises(ValueError, _refuses_negative, 2, what="refused")


def test_assert_raises_fails_on_another_error():
    with pytest.raises(CheckFailed, match="expected ValueError, got TypeError"):
        assert_raises(ValueError, _refuses_negative, "x", what="refused")


def test_assert_raises_lets_not_implemented_through():
    def unanswered(p):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        assert_raises(ValueError, unanswered, [0.5], what="refused")


def test_assert_raises_passes_keyword_arguments():
    assert_raises(ValueError, int, "ff", base=10, what="int('ff', base=10) is refused")
    with pytest.raises(CheckFailed):
        assert_raises(ValueError, int, "ff", base=16, what="int('ff', base=16) is refused")


# ------------------------------------------------------------------ defined

answer_in_module_namespace = 1.0


def test_defined_looks_in_the_callers_globals(capsys):
    defined("answer_in_module_namespace", "np")
    assert capsys.readouterr().out == "✓ passed: answer_in_module_namespace, np are defined\n"
    with pytest.raises(CheckFailed, match=r"^✗ H_nowhere is not defined: run your answer cell"):
        defined("H_nowhere")
    with pytest.raises(CheckFailed, match=r"^✗ H_a, H_b are not defined"):
        defined("np", "H_a", "H_b")


# ------------------------------------------------------------------ in a real kernel


def test_in_a_kernel_a_failed_check_is_an_error_output_and_a_passed_one_is_not(tmp_path):
    """What nbgrader sees: an error output (zero points) exactly where a check failed."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("from itlib.checks import assert_close, check, defined"),
        nbformat.v4.new_code_cell('assert_close(1.0, 1.0, "a fair coin")'),
        nbformat.v4.new_code_cell('assert_close(0.6931, 1.0, "a fair coin", tol=1e-3)'),
        nbformat.v4.new_code_cell('defined("H_missing")'),
        nbformat.v4.new_code_cell('check(lambda: 1 / 0, "division")'),
    ]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    env_dirs = {var: str(tmp_path / var) for var in
                ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")}
    env = {**os.environ, **env_dirs, "JUPYTER_PLATFORM_DIRS": "1"}
    subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
         "--inplace", "--ExecutePreprocessor.timeout=60", str(path)],
        check=True, capture_output=True, env=env, timeout=300,
    )
    cells = nbformat.read(path, as_version=4).cells
    errors = [[o for o in c.outputs if o.output_type == "error"] for c in cells]
    texts = ["".join(o.get("text", "") for o in c.outputs if o.output_type == "stream") for c in cells]
    assert errors[0] == [] and errors[1] == []
    assert texts[1] == "✓ passed: a fair coin = 1 bit\n"
    for i, fragment in [(2, "0.6931 nats would be 1 bit"), (3, "H_missing is not defined"),
                        (4, "division: raised ZeroDivisionError")]:
        assert len(errors[i]) == 1, f"cell {i} must end in an error (nbgrader: zero points)"
        assert errors[i][0].ename == "CheckFailed"
        assert fragment in errors[i][0].evalue
        # The traceback shows the failing line and the message, not the checker's internals.
        traceback = "\n".join(errors[i][0].traceback)
        assert "skipping hidden" in traceback and "in assert_close" not in traceback
