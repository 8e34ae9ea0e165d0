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


@pytest.mark.parametrize("falsy", [False, 0, None, np.bool_(False), np.array([False]), [False],
                                   (np.False_,)])
def test_check_fails_on_every_falsy_value_and_shows_it_as_python_does(falsy):
    # numpy booleans are shown as Python's False, not np.False_ (issue 27)
    with pytest.raises(CheckFailed, match=r"^✗ truthy: expected true, got (False|0|None|\[False\])$"):
        check(falsy, "truthy")


@pytest.mark.parametrize("sequence", [[False, False], (False, False), [True, False], [], [[True]] * 2,
                                      [1, [2, 3]]])
def test_check_treats_lists_and_tuples_like_arrays(sequence):
    # A non-empty list is truthy: check([False, False], ...) used to pass (issue 31, item 2).
    with pytest.raises(CheckFailed, match=r"^✗ all hold: expected a single True or False"):
        check(sequence, "all hold")
    with pytest.raises(CheckFailed):
        check(lambda: sequence, "all hold")


def test_check_accepts_a_one_element_list_by_its_value(capsys):
    check([True], "one true")
    check((np.True_,), "one numpy true")
    assert capsys.readouterr().out == "✓ passed: one true\n✓ passed: one numpy true\n"


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
    errors, texts = _run_in_kernel(tmp_path, [
        "from itlib.checks import assert_close, check, defined",
        'assert_close(1.0, 1.0, "a fair coin")',
        'assert_close(0.6931, 1.0, "a fair coin", tol=1e-3)',
        'defined("H_missing")',
        'check(lambda: 1 / 0, "division")',
    ])
    assert errors[0] == [] and errors[1] == []
    assert texts[1] == "✓ passed: a fair coin = 1 bit\n"
    for i, fragment in [(2, "0.6931 nats would be 1 bit"), (3, "H_missing is not defined"),
                        (4, "division: raised ZeroDivisionError")]:
        assert len(errors[i]) == 1, f"cell {i} must end in an error (nbgrader: zero points)"
        assert errors[i][0].ename == "CheckFailed"
        assert fragment in errors[i][0].evalue
        # The traceback is the message, on one line: no frame of the checker's internals.
        assert errors[i][0].traceback == [f"CheckFailed: {errors[i][0].evalue}"]


def _run_in_kernel(tmp_path, sources):
    """Execute ``sources`` as the cells of a notebook in a real kernel; return the cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
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
    return ([[o for o in c.outputs if o.output_type == "error"] for c in cells],
            ["".join(o.get("text", "") for o in c.outputs if o.output_type == "stream") for c in cells])


HIDDEN = 'with __import__("itlib.checks").checks.hidden_tests(globals()):\n'
TAMPER = ("import itlib.checks\n"
          "def _ok(*a, **k):\n    return None\n"
          "for _n in ['check', 'assert_close', 'assert_raises', 'defined']:\n"
          "    setattr(itlib.checks, _n, _ok)\n    globals()[_n] = _ok\n")


def test_in_a_kernel_unanswered_hidden_and_tampered_cells(tmp_path):
    """Issue 32: a stub function gives one line, not "✓ passed: f is defined" and a
    NotImplementedError traceback.  Issue 27: hidden checks are silent on success, their
    failure names the property on the first line and keeps the values on a second line for
    the instructor; rebinding the helpers fails every later cell that has hidden tests."""
    errors, texts = _run_in_kernel(tmp_path, [
        "from itlib.checks import assert_close, check, defined\nimport numpy as np",
        'def f(p):\n    """Entropy."""\n    # YOUR CODE HERE\n    raise NotImplementedError()',
        'defined("f")\nf([1.0])',
        'def g(p):\n    return 2.0',
        'defined("g")\n' + HIDDEN + '    assert_close(g(0), 2.0, "g at 0")\n'
        '    check([True], "holds")\nprint("after")',
        HIDDEN + '    assert_close(g(0.25), 0.811278, "g on a skewed coin", tol=1e-4)',
        HIDDEN + '    assert_close(g(0.25), 2.0 / np.log(2), "g in bits")',
        HIDDEN + '    g(undefined_name)',
        TAMPER,
        'assert_close(1, 2, "visible, rebound")\n' + HIDDEN + '    check(False, "hidden")',
    ])
    assert [e.ename for e in errors[2]] == ["CheckFailed"] and texts[2] == ""
    assert errors[2][0].traceback == [
        "CheckFailed: ✗ f is not answered yet: in the answer cell above, replace "
        "`raise NotImplementedError()` with your code and run that cell"]
    assert errors[4] == [] and texts[4] == "✓ passed: g is defined\nafter\n"   # hidden: silent
    first, second = errors[5][0].evalue.split("\n")
    assert first == "✗ a hidden test failed: g on a skewed coin: wrong value"
    assert second == "[for the instructor] g on a skewed coin: expected 0.8113 bits, got 2 bits"
    assert errors[5][0].traceback == [f"CheckFailed: {first}", second]
    assert errors[6][0].evalue.split("\n")[0] == (
        "✗ a hidden test failed: g in bits: wrong value (it looks like nats: use log base 2)")
    assert errors[7][0].evalue.split("\n") == [
        "✗ a hidden test failed: your code raised NameError",
        "[for the instructor] NameError: name 'undefined_name' is not defined"]
    assert errors[8] == []
    assert [e.ename for e in errors[9]] == ["CheckFailed"]
    assert errors[9][0].evalue.startswith("✗ the check helpers were replaced (itlib.checks.")


# ------------------------------------------------------------------ issue 27 and 31 additions


def test_assert_close_on_a_tensor_that_requires_grad(capsys):
    # It used to raise RuntimeError ("Can't call numpy() on Tensor that requires grad").
    torch = pytest.importorskip("torch")
    x = torch.tensor([0.5, 1.0], requires_grad=True)
    assert_close(x * 2, [1.0, 2.0], "doubled", unit="")
    assert_close((x ** 2).sum(), 1.25, "a scalar with a gradient", unit="")
    with pytest.raises(CheckFailed, match=r"expected \[1, 3\], got \[1, 2\]$"):
        assert_close(x * 2, [1.0, 3.0], "doubled", unit="")
    assert capsys.readouterr().out.count("✓ passed") == 2


def test_a_matrix_keeps_its_shape_in_the_message():
    with pytest.raises(CheckFailed, match=r"expected \[\[1, 2, 3\], \[4, 5, 6\]\] bits, got "
                                          r"\[\[1, 2, 3\], \[4, 5, 7\]\] bits$"):
        assert_close([[1, 2, 3], [4, 5, 7]], [[1, 2, 3], [4, 5, 6]], "a 2 x 3 table")


def _shadow_entropy(p):
    return itlib.entropy(p)


def test_assert_own_work_catches_delegation_and_passes_own_code(capsys):
    from itlib.checks import assert_own_work

    def own(p):
        p = np.asarray(p, dtype=float)
        return float(-np.sum(p[p > 0] * np.log2(p[p > 0])))

    original = itlib.entropy
    assert_own_work(own, ([0.5, 0.5],), forbidden=[itlib.entropy], what="own code")
    assert capsys.readouterr().out == "✓ passed: own code\n"
    for func in [_shadow_entropy, lambda p: itlib.discrete.entropy(p), itlib.entropy]:
        with pytest.raises(CheckFailed, match=r"^✗ own: it (calls|is) itlib's entropy"):
            assert_own_work(func, ([0.5, 0.5],), forbidden=[itlib.entropy], what="own")
    assert itlib.entropy is original and itlib.discrete.entropy is original   # put back


def test_hidden_tests_in_process_are_quiet_and_detect_rebinding(capsys):
    from itlib import checks

    namespace = {k: getattr(checks, k) for k in checks.HELPERS}
    with checks.hidden_tests(namespace):
        namespace["assert_close"](1.0, 1.0, "quiet")
        namespace["check"](True, "quiet too", hint="x")
    assert capsys.readouterr().out == ""
    assert namespace["check"] is checks.check          # the visible helpers are back
    with pytest.raises(AssertionError, match=r"a hidden test failed: p: wrong value\n"
                                             r"\[for the instructor\] p: expected 2 bits, got 1 bit$"):
        with checks.hidden_tests(namespace):
            namespace["assert_close"](1.0, 2.0, "p")
    namespace["check"] = lambda *a, **k: None          # a submission rebinding a helper
    with pytest.raises(AssertionError, match=r"the check helpers were replaced \(check\)"):
        checks.hidden_tests(namespace)
    namespace["check"] = checks.check
    saved = checks._fail
    try:
        checks._fail = lambda *a, **k: None            # or a private function of the module
        with pytest.raises(AssertionError, match=r"replaced \(itlib\.checks\._fail, check"):
            checks.hidden_tests(namespace)
    finally:
        checks._fail = saved
    checks.hidden_tests(namespace)                     # genuine again: no complaint
