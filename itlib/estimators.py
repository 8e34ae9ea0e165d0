"""Estimators of entropy and mutual information from samples.

Conventions
-----------
* ``base`` sets the unit: 2 gives bits (the default), ``math.e`` gives nats.
* **Discrete samples** (:func:`plugin_entropy`, :func:`miller_madow_entropy`,
  :func:`plugin_mi`) are label arrays of shape ``(n,)``, or ``(n, d)`` where each row is
  one joint symbol (so ``np.column_stack([x, y])`` is a sample of the pair ``(X, Y)``).
  Labels are numbers; equal numbers are the same symbol.
* **Continuous samples** (:func:`binned_mi`, :func:`ksg_mi`) are real arrays of shape
  ``(n,)`` or ``(n, d)`` (``binned_mi``: ``(n,)`` only).
* The KSG estimate is returned as computed, never clipped at 0: it can be negative on a
  finite sample, and clipping would hide (and bias) that.  (A plug-in MI is the MI of an
  empirical distribution, hence >= 0 exactly.)

What each estimator measures
----------------------------
* :func:`plugin_mi` is the mutual information of the *empirical* joint distribution;
  it is biased upward by about ``(|X|-1)(|Y|-1) / (2 N ln 2)`` bits.
* :func:`binned_mi` is the plug-in estimate of the MI of the *binned* variables: it
  depends on the bin count and is not an estimate of the continuous MI unless the bins
  shrink slowly as ``N`` grows.
* :func:`ksg_mi` estimates the MI of the continuous variables themselves
  (Kraskov, Stoegbauer and Grassberger 2004, algorithm 1).
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma, entr

from ._validation import as_float_array, as_real_array, check_finite, check_int, \
    check_nonempty, check_positive, log_of_base

__all__ = [
    "plugin_entropy",
    "miller_madow_entropy",
    "plugin_mi",
    "binned_mi",
    "ksg_mi",
]


def plugin_entropy(samples, base=2) -> float:
    r"""Plug-in (maximum-likelihood) entropy :math:`\hat H = -\sum_x \hat p(x) \log \hat p(x)`.

    :math:`\hat p(x)` is the fraction of samples equal to ``x``.  On average the estimate
    is too low, by about :math:`(m - 1) / (2N)` nats for ``m`` symbols of positive
    probability and ``N`` samples (Miller 1955).

    Parameters
    ----------
    samples : array_like, shape (n,) or (n, d)
        Discrete labels; a row of a 2-D array is one joint symbol.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.

    Returns
    -------
    float
        Between 0 and ``log_base(n)``.

    Examples
    --------
    >>> plugin_entropy([0, 1, 0, 1])          # a fair coin seen twice each way
    1.0
    >>> plugin_entropy([[0, 0], [0, 1], [1, 0], [1, 1]])  # four distinct pairs
    2.0
    """
    ln_b = log_of_base(base)
    counts = _counts(_labels(samples, "samples"))
    return _entropy_of_counts(counts) / ln_b


def miller_madow_entropy(samples, base=2) -> float:
    r"""Miller-Madow entropy :math:`\hat H_{MM} = \hat H + (\hat m - 1) / (2N)` (in nats).

    Adds the first-order bias of the plug-in estimate back; :math:`\hat m` is the number
    of distinct symbols seen in the ``N`` samples (Miller 1955).

    Parameters
    ----------
    samples : array_like, shape (n,) or (n, d)
        Discrete labels; a row of a 2-D array is one joint symbol.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.

    Examples
    --------
    >>> import math
    >>> h = miller_madow_entropy([0, 1, 0, 1], base=math.e)   # log 2 + 1/8 nats
    >>> round(h - math.log(2), 12)
    0.125
    """
    ln_b = log_of_base(base)
    counts = _counts(_labels(samples, "samples"))
    n = int(counts.sum())
    return float((_entropy_of_counts(counts) + (counts.size - 1) / (2.0 * n)) / ln_b)


def plugin_mi(x, y, base=2) -> float:
    r"""Plug-in mutual information :math:`\hat I(X;Y) = \hat H(X) + \hat H(Y) - \hat H(X,Y)`.

    The mutual information of the contingency table of ``(x, y)`` divided by ``N``
    (what :func:`sklearn.metrics.mutual_info_score` computes, in nats).  For
    independent variables it is biased upward by about
    :math:`(|X|-1)(|Y|-1) / (2 N \ln 2)` bits.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        Discrete labels of the same length ``n``; a row of a 2-D array is one symbol.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.

    Examples
    --------
    >>> plugin_mi([0, 0, 1, 1], [0, 0, 1, 1])   # Y = X, a fair bit
    1.0
    >>> plugin_mi([0, 0, 1, 1], [0, 1, 0, 1])   # every pair once: independent
    0.0
    """
    ln_b = log_of_base(base)
    x = _labels(x, "x")
    y = _labels(y, "y")
    _check_same_length(x, y)
    _, xi = np.unique(x, axis=0, return_inverse=True)
    _, yi = np.unique(y, axis=0, return_inverse=True)
    return _mi_of_codes(xi.ravel(), yi.ravel()) / ln_b


def binned_mi(x, y, bins, base=2) -> float:
    r"""Mutual information of ``x`` and ``y`` after binning each into ``bins`` equal bins.

    The plug-in estimate :func:`plugin_mi` of the binned variables, with bins of equal
    width spanning each variable's range (:func:`numpy.histogram_bin_edges`).  It
    measures the MI *of the binned variables*, which depends on ``bins``: too few bins
    lose information, too many leave the plug-in bias
    :math:`(\text{bins}-1)^2 / (2 N \ln 2)` bits to dominate.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Real samples of the same length.
    bins : int
        Number of bins per variable, at least 1 (at most 2**53).  Only the occupied
        cells are counted, so a huge count costs no memory.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.

    Examples
    --------
    >>> binned_mi([0.1, 0.2, 0.8, 0.9], [0.0, 0.1, 1.0, 1.1], bins=2)  # two clusters
    1.0
    >>> binned_mi([0.1, 0.2, 0.8, 0.9], [0.0, 0.1, 1.0, 1.1], bins=1)  # one bin: nothing
    0.0
    """
    ln_b = log_of_base(base)
    bins = check_int(bins, "bins")
    if bins > 2**53:
        raise ValueError(f"bins must be at most 2**53, beyond which float64 cannot tell "
                         f"bin edges apart (got {bins})")
    x = _continuous(x, "x", ndim=1)
    y = _continuous(y, "y", ndim=1)
    _check_same_length(x, y)
    xi = _bin_codes(x, int(bins))
    yi = _bin_codes(y, int(bins))
    return _mi_of_codes(xi, yi) / ln_b


def ksg_mi(x, y, k=3, base=2, *, noise=1e-10, seed=0) -> float:
    r"""Kraskov-Stoegbauer-Grassberger estimate of :math:`I(X;Y)`, algorithm 1.

    .. math::

        \hat I = \psi(k) + \psi(N) - \big\langle \psi(n_x + 1) + \psi(n_y + 1) \big\rangle

    For each sample ``i``, :math:`\varepsilon_i` is the max-norm distance to its
    ``k``-th nearest neighbour in the joint space ``(x, y)``; :math:`n_x(i)` counts the
    other samples strictly closer than :math:`\varepsilon_i` in the x-space (max-norm),
    and likewise :math:`n_y(i)`.  Neighbours are found with :class:`scipy.spatial.cKDTree`.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        Real samples of the same length ``n`` (``x`` and ``y`` may differ in ``d``).
        At least ``k + 1`` samples.
    k : int, default 3
        Number of neighbours, at least 1.  Small ``k``: less bias, more variance.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.
    noise : float, default 1e-10
        The estimator assumes no two samples coincide.  To break ties, Gaussian noise of
        standard deviation ``noise * max(1, mean |column|)`` is added to every
        *standardized* column (as scikit-learn does), drawn from
        ``numpy.random.default_rng(seed)``, so the result is reproducible.  ``noise=0``
        adds none.
    seed : int, default 0
        Seed of the tie-breaking noise.

    Returns
    -------
    float
        The estimate, not clipped: it can be slightly negative for independent data.

    Notes
    -----
    Every column of ``x`` and ``y`` is first divided by its standard deviation, as
    scikit-learn's :func:`~sklearn.feature_selection.mutual_info_regression` does, so
    the estimate is unchanged (to rounding) when any column is multiplied by a positive
    factor, at any scale: the max-norm then weighs all coordinates alike.  The bias
    grows with the dimension of the joint space.

    References
    ----------
    A. Kraskov, H. Stoegbauer, P. Grassberger, "Estimating mutual information",
    Phys. Rev. E 69, 066138 (2004).

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(2000)
    >>> y = 0.9 * x + math.sqrt(1 - 0.9**2) * rng.standard_normal(2000)
    >>> truth = -0.5 * math.log(1 - 0.9**2)          # nats, the closed form
    >>> abs(ksg_mi(x, y, base=math.e) - truth) < 0.03
    True
    """
    ln_b = log_of_base(base)
    k = check_int(k, "k")
    noise = check_positive(noise, "noise", allow_zero=True)
    x = _continuous(x, "x", ndim=(1, 2))
    y = _continuous(y, "y", ndim=(1, 2))
    _check_same_length(x, y)
    n = x.shape[0]
    if n < k + 1:
        raise ValueError(f"x and y need at least k + 1 = {k + 1} samples (got {n})")
    # Each column divided by its standard deviation (not centred), as scikit-learn's
    # mutual_info_regression does: the max-norm then weighs every coordinate alike, and
    # the estimate does not change when a column is multiplied by any positive factor.
    x = _standardize(x.reshape(n, -1))
    y = _standardize(y.reshape(n, -1))
    if noise > 0:
        rng = np.random.default_rng(seed)
        x = _jitter(x, noise, rng)
        y = _jitter(y, noise, rng)
    joint = np.hstack([x, y])
    # Distance to the k-th neighbour in the joint space (the point itself is the 0-th).
    eps = cKDTree(joint).query(joint, k=[k + 1], p=np.inf)[0][:, 0]
    nx1 = _strict_counts(x, eps)  # n_x + 1: the point itself is counted
    ny1 = _strict_counts(y, eps)
    mi = digamma(k) + digamma(n) - np.mean(digamma(nx1) + digamma(ny1))
    return float(mi / ln_b)


# --- private helpers ------------------------------------------------------------------


def _labels(samples, name: str) -> np.ndarray:
    """Validate discrete labels: a finite numeric array of shape (n,) or (n, d), n >= 1.

    Integer labels keep their dtype (a cast to float64 would merge labels above 2**53).
    """
    arr = as_real_array(samples, name)
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be 1-D or 2-D (got a {arr.ndim}-D array of shape {arr.shape})"
        )
    check_nonempty(arr, name)
    check_finite(arr, name)
    return arr


def _continuous(samples, name: str, ndim) -> np.ndarray:
    """Validate real samples: finite, non-empty, of the allowed number of dimensions."""
    arr = as_float_array(samples, name)
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if arr.ndim not in allowed:
        want = " or ".join({1: "(n,)", 2: "(n, d)"}[d] for d in allowed)
        raise ValueError(f"{name} must have shape {want} (got shape {arr.shape})")
    check_nonempty(arr, name)
    check_finite(arr, name)
    return arr


def _check_same_length(x: np.ndarray, y: np.ndarray) -> None:
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"x and y must have the same number of samples (got {x.shape[0]} and {y.shape[0]})"
        )


def _counts(labels: np.ndarray) -> np.ndarray:
    return np.unique(labels, axis=0, return_counts=True)[1]


def _entropy_of_counts(counts: np.ndarray) -> float:
    """Plug-in entropy in nats, -sum (c/N) log(c/N)."""
    p = counts / counts.sum()
    return float(entr(p).sum())


def _mi_of_codes(xi: np.ndarray, yi: np.ndarray) -> float:
    """Plug-in MI in nats of two integer-coded label arrays.

    Only the occupied cells of the contingency table are counted (at most ``n`` of them),
    so the cost does not depend on how many codes there could be.
    """
    _, xi, cx = np.unique(xi, return_inverse=True, return_counts=True)
    _, yi, cy = np.unique(yi, return_inverse=True, return_counts=True)
    # Codes are now < n, so one int64 key per pair cannot overflow for any n that fits
    # in memory; the keys sort in the order of the rows of the dense table.
    pair = xi.ravel().astype(np.int64) * cy.size + yi.ravel()
    cxy = np.unique(pair, return_counts=True)[1]
    h_x = _entropy_of_counts(cx)
    h_y = _entropy_of_counts(cy)
    h_xy = _entropy_of_counts(cxy)
    # The plug-in MI is the KL divergence of the empirical joint from the product of its
    # marginals, so it is >= 0 exactly; only rounding can take it a few ulps below.
    return max(h_x + h_y - h_xy, 0.0)


def _bin_codes(v: np.ndarray, bins: int) -> np.ndarray:
    """Index of the equal-width bin of each entry (the last bin includes the maximum).

    The bins are those of :func:`numpy.histogram_bin_edges` (edge ``i`` is
    ``np.linspace(lo, hi, bins + 1)[i]``; a constant sample is widened to
    ``[c - 0.5, c + 0.5]``), and a value on an interior edge goes to the bin on its
    right, as in :func:`numpy.histogram`.  Only the edges next to each value are
    computed, so the cost does not grow with ``bins``.
    """
    lo, hi = float(v.min()), float(v.max())
    if not np.isfinite(hi - lo):  # a range beyond float64: halving is exact, bins unchanged
        return _bin_codes(0.5 * v, bins)
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    delta = hi - lo
    step = delta / bins

    def edge(i):
        # np.linspace's own arithmetic, entry by entry (its last entry is exactly hi).
        e = i * step + lo if step != 0 else (i / bins) * delta + lo
        return np.where(i == bins, hi, e)

    guess = np.floor((v - lo) / delta * bins)
    codes = np.clip(guess, 0, bins - 1).astype(np.int64)
    while True:  # a step or two at most: the guess is off by rounding only
        down = edge(codes) > v
        up = (codes < bins - 1) & (edge(codes + 1) <= v)
        if not (down.any() or up.any()):
            return codes
        codes = codes - down + up


def _strict_counts(a: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """Number of rows j (including i) with max-norm distance ||a_j - a_i|| < eps_i."""
    if a.shape[1] == 1:
        return _strict_counts_1d(a[:, 0], eps)
    # Points at distance < eps are those at distance <= the float just below eps.
    r = np.nextafter(eps, 0)
    counts = cKDTree(a).query_ball_point(a, r, p=np.inf, return_length=True)
    return np.where(eps > 0, counts, 1)  # eps = 0 (exact duplicates): only the point itself


def _strict_counts_1d(v: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """1-D strict counts by binary search in the sorted values, O(n log n).

    The window of j with ``|v_j - v_i| < eps_i`` is contiguous in sorted order, because the
    rounded difference ``v_j - v_i`` is non-decreasing in ``v_j``.  Searching on that exact
    difference (not on ``v_i + eps_i``, which rounds) gives the counts of the definition.
    """
    s = np.sort(v)
    upper = _first_true(s, lambda j: s[j] - v >= eps)  # first j beyond the window
    lower = _first_true(s, lambda j: s[j] - v > -eps)  # first j inside it
    return np.maximum(upper - lower, 1)


def _first_true(s: np.ndarray, predicate) -> np.ndarray:
    """Vectorized bisection: for each query, the first index where a monotone predicate holds."""
    n = s.size
    lo = np.zeros(n, dtype=np.intp)
    hi = np.full(n, n, dtype=np.intp)
    while True:
        active = lo < hi
        if not active.any():
            return lo
        mid = (lo + hi) // 2
        ok = predicate(np.minimum(mid, n - 1))
        hi = np.where(active & ok, mid, hi)
        lo = np.where(active & ~ok, mid + 1, lo)


def _standardize(a: np.ndarray) -> np.ndarray:
    """Each column divided by its standard deviation (a constant column is left as is).

    A column of huge or tiny magnitude is first divided by its largest magnitude, so
    that the squares inside the standard deviation neither overflow nor underflow.
    """
    peak = np.max(np.abs(a), axis=0)
    extreme = (peak > 1e150) | ((peak < 1e-150) & (peak > 0))
    if extreme.any():
        a = a / np.where(extreme, peak, 1.0)
    sd = np.std(a, axis=0)
    return a / np.where(sd > 0, sd, 1.0)


def _jitter(a: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    scale = noise * np.maximum(1.0, np.mean(np.abs(a), axis=0))
    return a + scale * rng.standard_normal(a.shape)
