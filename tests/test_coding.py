"""Huffman codes: prefix-free, optimal (checked against brute force), within H <= L < H + 1."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import itlib as it
from itlib.coding import average_length, huffman_code, kraft_sum, symbol_frequencies


def _is_prefix_free(code):
    words = list(code.values())
    return not any(a != b and b.startswith(a) for a in words for b in words)


def _best_lengths_by_brute_force(p, max_len=6):
    """Smallest average length over all length vectors satisfying Kraft's inequality.

    Kraft: a prefix code with lengths l exists iff sum 2^-l <= 1, so this minimum is the
    optimal prefix code's average length, found without Huffman's algorithm.
    """
    best = math.inf
    for lengths in itertools.product(range(1, max_len + 1), repeat=len(p)):
        if sum(2.0 ** -l for l in lengths) <= 1 + 1e-12:
            best = min(best, float(np.dot(p, lengths)))
    return best


def test_dyadic_source_meets_entropy_exactly():
    p = {"a": 0.5, "b": 0.25, "c": 0.125, "d": 0.125}
    code = huffman_code(p)
    assert sorted(len(w) for w in code.values()) == [1, 2, 3, 3]
    assert average_length(code, p) == pytest.approx(it.entropy(list(p.values())))


@pytest.mark.parametrize("seed", range(8))
def test_huffman_is_optimal_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(5))
    code = huffman_code(p)
    assert average_length(code, p) == pytest.approx(_best_lengths_by_brute_force(p), abs=1e-12)


@given(st.lists(st.floats(0.01, 1.0), min_size=2, max_size=30))
@settings(max_examples=100)
def test_source_coding_bounds_and_kraft(weights):
    p = np.array(weights) / sum(weights)
    code = huffman_code(p)
    length = average_length(code, p)
    h = it.entropy(p)
    assert h - 1e-9 <= length < h + 1
    assert _is_prefix_free(code)
    assert kraft_sum(code) == pytest.approx(1.0)   # Huffman codes are complete


def test_single_symbol_gets_one_bit_and_counts_are_normalized_on_request():
    assert huffman_code({"x": 3}, normalize=True) == {"x": "0"}
    assert huffman_code([2, 1, 1], normalize=True) == huffman_code([0.5, 0.25, 0.25])
    code = huffman_code([0.5, 0.25, 0.25])
    assert average_length(code, [2, 1, 1], normalize=True) == 1.5


@pytest.mark.parametrize("call", [lambda: huffman_code([2, 1, 1]),
                                  lambda: huffman_code({"a": 3, "b": 1}),
                                  lambda: average_length({0: "0", 1: "1"}, [3, 1])])
def test_weights_that_do_not_sum_to_1_need_normalize(call):
    """Like every other itlib function, counts are rescaled only when asked to."""
    with pytest.raises(ValueError, match=r"probs must sum to 1 \(got [34]\); pass normalize=True"):
        call()


def test_symbol_frequencies():
    f = symbol_frequencies("abracadabra")
    assert f["a"] == pytest.approx(5 / 11)
    assert list(f) == ["a", "b", "r", "c", "d"]
    with pytest.raises(ValueError, match="sequence must not be empty"):
        symbol_frequencies("")


def test_bad_input():
    with pytest.raises(ValueError, match="probs must not be empty"):
        huffman_code({})
    with pytest.raises(ValueError, match="probs must be non-negative"):
        huffman_code([0.5, -0.1])
    with pytest.raises(ValueError, match=r"code has no codeword for symbol\(s\) \['c'\]"):
        average_length({"a": "0", "b": "1"}, {"a": 1, "b": 1, "c": 1}, normalize=True)
