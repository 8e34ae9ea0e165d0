"""Prefix codes: Huffman's construction and the lengths it achieves.

A code maps each symbol to a string of bits.  For a source with probabilities
``p``, the average length ``L = sum_x p(x) len(code[x])`` of an optimal prefix code
satisfies ``H(p) <= L < H(p) + 1`` bits (the source coding theorem), and Huffman's
algorithm finds such an optimal code.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter

import numpy as np

from ._validation import as_distribution

__all__ = ["huffman_code", "average_length", "kraft_sum", "symbol_frequencies"]


def huffman_code(probs, *, normalize=False) -> dict:
    """Build a binary Huffman code.

    Repeatedly merges the two least probable subtrees; ties are broken by the order in
    which subtrees were created, so the result is deterministic.

    Parameters
    ----------
    probs : dict or array_like
        Either a mapping ``symbol -> probability``, or a probability vector whose
        symbols are its indices ``0, 1, ...``.  The probabilities must sum to 1.
    normalize : bool, default False
        Divide the weights by their sum first (for counts), as elsewhere in itlib.

    Returns
    -------
    dict
        ``symbol -> codeword`` (a ``str`` of ``'0'`` and ``'1'``).  A source with a
        single symbol gets the one-bit code ``'0'``.

    Examples
    --------
    >>> code = huffman_code({"a": 0.5, "b": 0.25, "c": 0.25})
    >>> sorted(len(w) for w in code.values())
    [1, 2, 2]
    >>> huffman_code({"a": 2, "b": 1, "c": 1}, normalize=True)  # counts
    {'a': '0', 'b': '10', 'c': '11'}
    """
    symbols, p = _symbols_and_probs(probs, normalize)
    if len(symbols) == 1:
        return {symbols[0]: "0"}
    order = itertools.count()
    # heap entries: (probability, tie-breaker, {symbol: partial codeword})
    heap = [(float(pi), next(order), {s: ""}) for s, pi in zip(symbols, p)]
    heapq.heapify(heap)
    while len(heap) > 1:
        p0, _, left = heapq.heappop(heap)
        p1, _, right = heapq.heappop(heap)
        merged = {s: "0" + w for s, w in left.items()}
        merged.update({s: "1" + w for s, w in right.items()})
        heapq.heappush(heap, (p0 + p1, next(order), merged))
    code = heap[0][2]
    return {s: code[s] for s in symbols}


def average_length(code: dict, probs, *, normalize=False) -> float:
    """Average codeword length ``sum_x p(x) len(code[x])``, in bits per symbol.

    ``probs`` and ``normalize`` are as in :func:`huffman_code`.
    """
    symbols, p = _symbols_and_probs(probs, normalize)
    missing = [s for s in symbols if s not in code]
    if missing:
        raise ValueError(f"code has no codeword for symbol(s) {missing[:5]!r}")
    return float(sum(pi * len(code[s]) for s, pi in zip(symbols, p)))


def kraft_sum(code: dict) -> float:
    """Kraft sum ``sum_x 2**(-len(code[x]))``: at most 1 for a prefix code, 1 for a complete one."""
    if not code:
        raise ValueError("code must not be empty")
    return float(sum(2.0 ** -len(w) for w in code.values()))


def symbol_frequencies(sequence) -> dict:
    """Relative frequency of each symbol of ``sequence`` (a string or any iterable).

    Symbols are returned in order of first appearance.

    Examples
    --------
    >>> symbol_frequencies("abca")
    {'a': 0.5, 'b': 0.25, 'c': 0.25}
    """
    counts = Counter(sequence)
    total = sum(counts.values())
    if total == 0:
        raise ValueError("sequence must not be empty")
    return {s: c / total for s, c in counts.items()}


def _symbols_and_probs(probs, normalize):
    """Split a mapping or vector into (list of symbols, probability array)."""
    if isinstance(probs, dict):
        if not probs:
            raise ValueError("probs must not be empty (got an empty mapping)")
        symbols = list(probs.keys())
        values = list(probs.values())
    else:
        values = probs
        symbols = None
    # Probabilities that sum to 1 within 1e-6 are divided by their sum all the same, so
    # that the code does not depend on whether normalize was passed.
    if not normalize:
        as_distribution(values, "probs", ndim=1)  # raises unless the sum is 1
    p = as_distribution(values, "probs", ndim=1, normalize=True)
    if symbols is None:
        symbols = list(range(len(p)))
    return symbols, p
