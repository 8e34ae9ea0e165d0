"""Entropy, divergences and mutual information of discrete distributions.

Conventions used throughout
---------------------------
* Probabilities are numpy arrays (lists and tuples are accepted).  A joint table is
  indexed ``pxy[i, j] = P(X = i, Y = j)``: rows are values of X, columns values of Y.
* ``base`` sets the unit: 2 gives bits (the default), ``math.e`` gives nats.
* ``0 log 0 = 0``: outcomes of probability zero contribute nothing.
* A divergence or cross-entropy is ``inf`` where ``q(x) = 0 < p(x)``: this is the
  correct value, not an error.
* Inputs must sum to 1 within ``1e-6``; pass ``normalize=True`` to rescale counts
  or unnormalized weights explicitly.

All sums use :func:`scipy.special.entr` and :func:`scipy.special.rel_entr`, which
implement the ``0 log 0 = 0`` and ``x log(x/0) = inf`` limits exactly.
"""

from __future__ import annotations

import numpy as np
from scipy.special import entr, rel_entr, xlogy

from ._validation import as_distribution, as_float_array, check_finite, check_nonempty
from ._validation import check_same_shape, clip_rounding, log_of_base

__all__ = [
    "entropy",
    "binary_entropy",
    "joint_entropy",
    "conditional_entropy",
    "mutual_information",
    "kl_divergence",
    "cross_entropy",
    "js_divergence",
]

# Parameter blocks that several docstrings share; ``_shared_doc`` fills them in, in this
# order (a block may use a later one).
_DOC_BLOCKS = {
    "%(pxy)s": """pxy : array_like, shape (nx, ny)
        Joint table, ``pxy[i, j] = P(X=i, Y=j)``, summing to 1.
    %(base)s
    normalize : bool, default False
        Divide ``pxy`` by its sum first (for a table of counts).""",
    "%(pair_normalize)s": """normalize : bool, default False
        Divide each table by its sum first.""",
    "%(base)s": """base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.""",
}


def _shared_doc(f):
    """Replace the ``%(name)s`` placeholders of ``f``'s docstring by ``_DOC_BLOCKS``."""
    for key, block in _DOC_BLOCKS.items():
        f.__doc__ = f.__doc__.replace(key, block)
    return f


@_shared_doc
def entropy(p, base=2, *, normalize=False) -> float:
    r"""Shannon entropy :math:`H(p) = -\sum_x p(x) \log p(x)`.

    Parameters
    ----------
    p : array_like, shape (n,)
        A probability vector: non-negative, summing to 1.
    %(base)s
    normalize : bool, default False
        Divide ``p`` by its sum first (for counts).  Without it a vector that does not
        sum to 1 raises ``ValueError``.

    Returns
    -------
    float
        The entropy in units of ``log(base)``; between 0 and ``log_base(n)``.

    Raises
    ------
    ValueError
        If ``p`` is empty, not 1-D, holds negative, NaN or infinite entries, or does not
        sum to 1; if ``base`` is not positive or equals 1.
    TypeError
        If ``p`` or ``base`` is not numeric.

    Examples
    --------
    >>> entropy([0.5, 0.5])            # a fair coin
    1.0
    >>> round(entropy([0.9, 0.1]), 3)  # a biased coin
    0.469
    >>> round(entropy([1/6] * 6), 3)   # a fair die, log2(6)
    2.585
    """
    ln_b = log_of_base(base)
    p = as_distribution(p, "p", ndim=1, normalize=normalize,
                        hint="use joint_entropy for a joint table")
    return float(entr(p).sum() / ln_b)


@_shared_doc
def binary_entropy(p, base=2):
    r"""Binary entropy :math:`h(p) = -p \log p - (1-p) \log(1-p)`, elementwise.

    Parameters
    ----------
    p : float or array_like
        Probability of one of two outcomes, each entry in ``[0, 1]``.
    %(base)s

    Returns
    -------
    float or numpy.ndarray
        ``h(p)`` with the shape of ``p`` (a float for a scalar ``p``); at most 1 bit,
        reached at ``p = 0.5``.

    Examples
    --------
    >>> binary_entropy(0.5)
    1.0
    >>> binary_entropy([0.0, 0.2, 1.0]).round(3).tolist()
    [0.0, 0.722, 0.0]
    """
    ln_b = log_of_base(base)
    arr = as_float_array(p, "p")
    check_nonempty(arr, "p")
    check_finite(arr, "p")
    if np.any((arr < 0) | (arr > 1)):
        bad = arr[(arr < 0) | (arr > 1)].flat[0]
        raise ValueError(f"p must lie in [0, 1] (got {bad:.6g})")
    h = _entropy_of_coin(arr) / ln_b
    return float(h) if h.ndim == 0 else h


def _entropy_of_coin(p: np.ndarray, *, bits: bool = False) -> np.ndarray:
    """``h(p)`` elementwise, unvalidated: the one binary-entropy formula of itlib.

    In nats, or with ``bits=True`` in bits from ``log2`` directly (so that ``h(1/2)`` is
    exactly 1, which dividing the nats by ``ln 2`` need not give).
    """
    if not bits:
        return entr(p) + entr(1.0 - p)
    q = 1.0 - p
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(np.where(p > 0, p * np.log2(np.where(p > 0, p, 1)), 0.0)
                 + np.where(q > 0, q * np.log2(np.where(q > 0, q, 1)), 0.0))


@_shared_doc
def joint_entropy(pxy, base=2, *, normalize=False) -> float:
    r"""Joint entropy :math:`H(X,Y) = -\sum_{x,y} p(x,y) \log p(x,y)`.

    Parameters
    ----------
    %(pxy)s

    Examples
    --------
    >>> joint_entropy([[0.25, 0.25], [0.25, 0.25]])  # two fair, independent coins
    2.0
    """
    ln_b = log_of_base(base)
    pxy = as_distribution(pxy, "pxy", ndim=2, normalize=normalize)
    return float(entr(pxy).sum() / ln_b)


@_shared_doc
def conditional_entropy(pxy, base=2, *, normalize=False) -> float:
    r"""Conditional entropy :math:`H(X|Y) = -\sum_{x,y} p(x,y) \log p(x|y)`.

    Computed directly from the definition (so it is never negative by rounding);
    it equals ``H(X,Y) - H(Y)``.  X indexes rows and Y columns of ``pxy``; for
    :math:`H(Y|X)` pass ``pxy.T``.

    Parameters
    ----------
    %(pxy)s

    Examples
    --------
    >>> conditional_entropy([[0.5, 0.0], [0.0, 0.5]])  # X = Y: nothing left to learn
    0.0
    """
    ln_b = log_of_base(base)
    pxy = as_distribution(pxy, "pxy", ndim=2, normalize=normalize)
    py = pxy.sum(axis=0, keepdims=True)
    # p(x,y) log(p(x,y)/p(y)) <= 0 entrywise, since p(x,y) <= p(y).
    return float(-rel_entr(pxy, py).sum() / ln_b + 0.0)


@_shared_doc
def mutual_information(pxy, base=2, *, normalize=False) -> float:
    r"""Mutual information :math:`I(X;Y) = D_{KL}(p(x,y) \,\|\, p(x)p(y))`.

    Equal to ``H(X) - H(X|Y) = H(X) + H(Y) - H(X,Y)`` and symmetric in X and Y.
    Rounding can make the sum a few ulps below zero for independent variables; such a
    result is returned as 0, its true lower bound.

    Parameters
    ----------
    %(pxy)s

    Examples
    --------
    >>> mutual_information([[0.5, 0.0], [0.0, 0.5]])    # Y = X, a fair bit
    1.0
    >>> mutual_information([[0.25, 0.25], [0.25, 0.25]])  # independent
    0.0
    """
    ln_b = log_of_base(base)
    pxy = as_distribution(pxy, "pxy", ndim=2, normalize=normalize)
    px = pxy.sum(axis=1, keepdims=True)
    py = pxy.sum(axis=0)
    # I(X;Y) = H(Y) - H(Y|X) = sum_y -p(y) log p(y) + sum_xy p(x,y) log(p(x,y)/p(x)),
    # in one pass over the table (as fast as conditional_entropy).  No product p(x) p(y)
    # is formed, so tiny probabilities cannot underflow it to 0 and make a finite MI inf;
    # p(x,y) <= p(x), so every ratio is at most 1.
    given_x = rel_entr(pxy, px).sum()      # -H(Y|X) <= 0
    h_y = entr(py).sum()                   # H(Y) >= 0
    return _nonnegative(np.array([given_x, h_y]), ln_b, scale=h_y - given_x, n=pxy.size)


def _nonnegative(terms: np.ndarray, ln_b: float, *, scale=None, n=None) -> float:
    """Sum of ``terms`` (nats) in units of ``log(base)``, for a quantity that is ``>= 0``:
    a sum below zero by rounding only is returned as 0 (see ``clip_rounding``).
    ``scale`` and ``n`` (default: the sum of ``|terms|`` and their number) describe the
    sum's rounding when ``terms`` are themselves partial sums."""
    nats = float(terms.sum())
    if np.isfinite(nats):
        nats = clip_rounding(nats, scale=float(np.abs(terms).sum() if scale is None else scale),
                             n=terms.size if n is None else n)
    return nats / ln_b + 0.0


def _two_distributions(p, q, normalize):
    p = as_distribution(p, "p", ndim=None, normalize=normalize)
    q = as_distribution(q, "q", ndim=None, normalize=normalize)
    check_same_shape(p, q, "p", "q")
    return p, q


@_shared_doc
def kl_divergence(p, q, base=2, *, normalize=False) -> float:
    r"""Kullback-Leibler divergence :math:`D_{KL}(p\|q) = \sum_x p(x) \log \frac{p(x)}{q(x)}`.

    Parameters
    ----------
    p, q : array_like, same shape
        Probability tables (1-D vectors, or joint tables: the sum runs over all entries).
    %(base)s
    %(pair_normalize)s

    Returns
    -------
    float
        ``>= 0``, zero if and only if ``p == q`` (Gibbs' inequality; a sum a few ulps
        below zero by rounding is returned as 0); ``inf`` if some outcome has
        ``q(x) = 0 < p(x)``.  Not symmetric in ``p`` and ``q``.

    Examples
    --------
    >>> kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> kl_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    ln_b = log_of_base(base)
    p, q = _two_distributions(p, q, normalize)
    return _nonnegative(rel_entr(p, q), ln_b)


@_shared_doc
def cross_entropy(p, q, base=2, *, normalize=False) -> float:
    r"""Cross-entropy :math:`H(p, q) = -\sum_x p(x) \log q(x) = H(p) + D_{KL}(p\|q)`.

    Parameters
    ----------
    p, q : array_like, same shape
        ``p`` is the true distribution, ``q`` the model's.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats (the unit of PyTorch's losses).
    %(pair_normalize)s

    Returns
    -------
    float
        ``>= H(p)``; ``inf`` if some outcome has ``q(x) = 0 < p(x)``.

    Examples
    --------
    >>> cross_entropy([0.5, 0.5], [0.5, 0.5])
    1.0
    >>> round(cross_entropy([1.0, 0.0], [0.25, 0.75]), 3)  # -log2(0.25)
    2.0
    """
    ln_b = log_of_base(base)
    p, q = _two_distributions(p, q, normalize)
    return float(-xlogy(p, q).sum() / ln_b + 0.0)


@_shared_doc
def js_divergence(p, q, base=2, *, normalize=False) -> float:
    r"""Jensen-Shannon divergence :math:`\tfrac12 D_{KL}(p\|m) + \tfrac12 D_{KL}(q\|m)`, :math:`m = \tfrac12(p+q)`.

    Symmetric, always finite, between 0 and 1 bit (``log_base 2`` in general).

    Parameters
    ----------
    p, q : array_like, same shape
        Probability tables.
    %(base)s
    %(pair_normalize)s

    Examples
    --------
    >>> js_divergence([1.0, 0.0], [0.0, 1.0])  # disjoint supports: the maximum
    1.0
    """
    ln_b = log_of_base(base)
    p, q = _two_distributions(p, q, normalize)
    # p log(p/m) = 1/2 * 2p log(2p / (p+q)): never forms m = (p+q)/2, which underflows
    # to 0 for the smallest subnormal p and would make the divergence infinite.
    s = p + q
    return _nonnegative(0.25 * np.concatenate([rel_entr(2 * p, s).ravel(),
                                               rel_entr(2 * q, s).ravel()]), ln_b)
