"""Every class of bad input raises ValueError or TypeError with a message naming the argument."""

import math
import re

import numpy as np
import pytest

import itlib as it

ONE_D = [it.entropy]
TWO_D = [it.joint_entropy, it.conditional_entropy, it.mutual_information]
PAIRS = [it.kl_divergence, it.cross_entropy, it.js_divergence]


@pytest.mark.parametrize("f", ONE_D)
@pytest.mark.parametrize(
    "p, message",
    [
        ([0.5, -0.5, 1.0], "p must be non-negative (got -0.5 at index 1)"),
        ([0.5, float("nan")], "p must be finite (got nan)"),
        ([0.5, float("inf")], "p must be finite (got inf)"),
        ([0.7, 0.7], "p must sum to 1 (got 1.4)"),
        ([], "p must not be empty"),
        ([[0.5, 0.5]], "p must be 1-D (got a 2-D array of shape (1, 2))"),
        (0.5, "p must be 1-D (got a 0-D array"),
        ([[0.5], [0.5, 0.0]], "p must be a rectangular array of numbers"),
    ],
)
def test_one_d_bad_values(f, p, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        f(p)


@pytest.mark.parametrize("f", ONE_D + TWO_D)
@pytest.mark.parametrize(
    "p, message",
    [
        ("abc", "must be numeric (got str 'abc')"),
        (None, "must be numeric (got NoneType None)"),
        ([True, False], "must contain real numbers (got dtype bool)"),
        ([0.5 + 0j, 0.5], "must contain real numbers (got dtype complex128)"),
        (["0.5", "0.5"], "must contain real numbers (got dtype str"),
    ],
)
def test_non_numeric_raises_type_error(f, p, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        f(p)


@pytest.mark.parametrize("f", TWO_D)
@pytest.mark.parametrize(
    "pxy, message",
    [
        ([0.5, 0.5], "pxy must be 2-D (got a 1-D array of shape (2,))"),
        ([[0.5, 0.6], [0.0, 0.0]], "pxy must sum to 1 (got 1.1)"),
        ([[1.5, -0.5]], "pxy must be non-negative (got -0.5 at index (0, 1))"),
        (np.zeros((0, 3)), "pxy must not be empty (got shape (0, 3))"),
        ([[float("nan"), 1.0]], "pxy must be finite (got nan)"),
    ],
)
def test_joint_bad_values(f, pxy, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        f(pxy)


@pytest.mark.parametrize("f", PAIRS)
def test_pairs_reject_mismatched_shapes(f):
    with pytest.raises(ValueError, match=re.escape("p and q must have the same shape (got (2,) and (3,))")):
        f([0.5, 0.5], [0.2, 0.3, 0.5])


@pytest.mark.parametrize("f", PAIRS)
@pytest.mark.parametrize(
    "p, q, exc, message",
    [
        ([0.5, 0.5], [0.9, 0.9], ValueError, "q must sum to 1 (got 1.8)"),
        ([1.2, -0.2], [0.5, 0.5], ValueError, "p must be non-negative"),
        ([0.5, 0.5], [float("nan"), 0.5], ValueError, "q must be finite (got nan)"),
        ([], [], ValueError, "p must not be empty"),
        ([0.5, 0.5], "ab", TypeError, "q must be numeric"),
    ],
)
def test_pairs_bad_values(f, p, q, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        f(p, q)


@pytest.mark.parametrize("f", [lambda b: it.entropy([0.5, 0.5], base=b),
                               lambda b: it.kl_divergence([0.5, 0.5], [0.5, 0.5], base=b),
                               lambda b: it.binary_entropy(0.3, base=b)])
@pytest.mark.parametrize(
    "base, exc, message",
    [
        (1, ValueError, "base must be positive, finite and not 1 (got 1)"),
        (0, ValueError, "base must be positive, finite and not 1 (got 0)"),
        (-2, ValueError, "base must be positive, finite and not 1 (got -2)"),
        (math.inf, ValueError, "base must be positive, finite and not 1 (got inf)"),
        (math.nan, ValueError, "base must be positive, finite and not 1 (got nan)"),
        ("2", TypeError, "base must be a real number (got str '2')"),
        (True, TypeError, "base must be a real number (got bool True)"),
    ],
)
def test_bad_base(f, base, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        f(base)


@pytest.mark.parametrize(
    "p, exc, message",
    [
        (1.2, ValueError, "p must lie in [0, 1] (got 1.2)"),
        ([0.5, -0.1], ValueError, "p must lie in [0, 1] (got -0.1)"),
        (float("nan"), ValueError, "p must be finite (got nan)"),
        ([], ValueError, "p must not be empty"),
        ("x", TypeError, "p must be numeric"),
    ],
)
def test_binary_entropy_bad_input(p, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        it.binary_entropy(p)


def test_normalize_refuses_all_zero_counts():
    with pytest.raises(ValueError, match=re.escape("p must have a positive sum to be normalized (got 0)")):
        it.entropy([0, 0], normalize=True)


def test_sum_tolerance_is_1e_minus_6():
    assert it.entropy([0.5, 0.5 + 5e-7]) > 0  # within tolerance: accepted
    with pytest.raises(ValueError, match="must sum to 1"):
        it.entropy([0.5, 0.5 + 2e-6])


# -- issue 9: defects found by the review -------------------------------------------------
MASKED = np.ma.array([0.5, 0.5, 0.3], mask=[0, 0, 1])


@pytest.mark.parametrize("call", [
    lambda m: it.entropy(m, normalize=True),
    lambda m: it.kl_divergence(m, [0.2, 0.3, 0.5], normalize=True),
    lambda m: it.binary_entropy(m * 0.5),
    lambda m: it.gaussian.kl_divergence(m, np.eye(3), [0, 0, 0], np.eye(3)),
    lambda m: it.gaussian.mutual_information(m * 0.5),
    lambda m: it.coding.huffman_code(m, normalize=True),
])
def test_masked_arrays_are_refused(call):
    """A mask would be dropped silently (entropy 1.549 instead of 1.0): refuse it."""
    with pytest.raises(TypeError, match=r"must not be a masked array \(got 1 masked entry of 3\)"):
        call(MASKED)


def test_masked_array_message_names_the_argument():
    with pytest.raises(TypeError, match=r"^q must not be a masked array .*q\.compressed\(\)"):
        it.kl_divergence([0.5, 0.5], np.ma.array([0.5, 0.5], mask=[0, 1]))


def test_huge_counts_normalize_without_overflow():
    """The sum of [1e308, 1e308] overflows; normalizing must still give a fair coin."""
    assert it.entropy([1e308, 1e308], normalize=True) == 1.0
    assert it.joint_entropy([[1e308, 1e308], [1e308, 1e308]], normalize=True) == 2.0


def test_huge_values_without_normalize_say_the_sum_is_not_1():
    with pytest.raises(ValueError, match=re.escape("p must sum to 1 (got inf)")):
        it.entropy([1e308, 1e308])


@pytest.mark.parametrize("f", PAIRS)
def test_zero_d_pair_input_says_at_least_1_d(f):
    with pytest.raises(ValueError, match=re.escape("p must be at least 1-D (got a 0-D array of shape ())")):
        f(1.0, 1.0)


# --- issue 31 -------------------------------------------------------------------------


def test_package_docstring_lists_every_module_and_which_need_torch():
    # The docstring listed 11 of the 15 modules.  Every public module must be listed, and
    # those that import PyTorch must be listed after the line saying they need it.
    import pathlib

    doc = it.__doc__
    head, _, torch_part = doc.partition("These need PyTorch")
    assert torch_part
    folder = pathlib.Path(it.__file__).parent
    for path in sorted(folder.glob("*.py")):
        name = path.stem
        if name.startswith("_"):
            continue
        source = path.read_text()
        needs_torch = re.search(r"^\s*import torch\b|^\s*from torch\b", source, re.M) and \
            not re.search(r"^    def tensors", source, re.M)
        listed = re.compile(rf"^{name}$", re.M)
        where = torch_part if needs_torch else head
        assert listed.search(where), f"{name} is not listed{' under PyTorch' if needs_torch else ''}"
