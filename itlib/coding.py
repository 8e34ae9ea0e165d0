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


def huffman_code(probs) -> dict:
    """Build a binary Huffman code.

    Repeatedly merges the two least probable subtrees; ties are broken by the order in
    which subtrees were created, so the result is deterministic.

    Parameters
    ----------
    probs : dict or array_like
        Either a mapping ``symbol -> probability (or count)``, or a probability vector
        whose symbols are its indices ``0, 1, ...``.  Counts are normalized.

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
    """
    symbols, p = _symbols_and_probs(probs)
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


def average_length(code: dict, probs) -> float:
    """Average codeword length ``sum_x p(x) len(code[x])``, in bits per symbol.

    ``probs`` is a mapping or vector as in :func:`huffman_code` (counts are normalized).
    """
    symbols, p = _symbols_and_probs(probs)
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


def _symbols_and_probs(probs):
    """Split a mapping or vector into (list of symbols, normalized probability array)."""
    if isinstance(probs, dict):
        if not probs:
            raise ValueError("probs must not be empty (got an empty mapping)")
        symbols = list(probs.keys())
        values = list(probs.values())
    else:
        values = probs
        symbols = None
    p = as_distribution(values, "probs", ndim=1, normalize=True)
    if symbols is None:
        symbols = list(range(len(p)))
    return symbols, p
