"""Capacity of discrete memoryless channels by the Blahut-Arimoto algorithm.

Conventions
-----------
* A channel is a 2-D array ``channel[i, j] = P(Y = j | X = i)``: one row per input
  symbol, each row a probability vector (non-negative, summing to 1).
* ``base`` sets the unit: 2 gives bits (the default), ``math.e`` gives nats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import rel_entr

from ._validation import SUM_TOL, as_float_array, check_finite, check_int, check_nonempty, \
    check_positive, log_of_base

__all__ = ["Capacity", "blahut_arimoto"]


@dataclass(frozen=True)
class Capacity:
    """Result of :func:`blahut_arimoto`.

    Attributes
    ----------
    capacity : float
        The mutual information ``I(X;Y)`` reached by ``p_x``, in units of ``log(base)``;
        within ``tol`` of the channel capacity.
    p_x : numpy.ndarray
        A capacity-achieving input distribution (to within ``tol``), of shape
        ``(n_inputs,)``.
    """

    capacity: float
    p_x: np.ndarray


def blahut_arimoto(channel, base=2, *, tol=1e-9, max_iter=100_000) -> Capacity:
    r"""Channel capacity :math:`C = \max_{p(x)} I(X;Y)` by the Blahut-Arimoto algorithm.

    Each step sets :math:`p(x) \propto p(x)\, e^{D(x)}` with
    :math:`D(x) = D_{KL}(W(\cdot|x) \,\|\, q)` and :math:`q = \sum_x p(x) W(\cdot|x)`.
    For every ``p``, :math:`I(p) \le C \le \max_x D(x)` (Blahut 1972, theorem 1);
    iteration stops once the two bounds are within ``tol``, so the returned
    ``capacity`` is within ``tol`` of the true capacity.

    Parameters
    ----------
    channel : array_like, shape (n_inputs, n_outputs)
        Transition matrix, ``channel[i, j] = P(Y = j | X = i)``; rows sum to 1.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.
    tol : float, default 1e-9
        Required gap between the upper and lower bound on the capacity, in units of
        ``log(base)``.
    max_iter : int, default 100000
        Iterations allowed before ``RuntimeError`` is raised.

    Returns
    -------
    Capacity
        ``capacity`` (float) and the input distribution ``p_x`` that reaches it.

    Raises
    ------
    ValueError
        If ``channel`` is not 2-D, is empty, holds NaN, infinite or negative entries, or
        has a row that does not sum to 1; if ``tol`` is not positive or ``max_iter`` is
        below 1.
    TypeError
        If ``channel`` is not numeric, ``tol`` is not a real number or ``max_iter`` not
        an integer.
    RuntimeError
        If the bounds are not within ``tol`` after ``max_iter`` iterations.

    Examples
    --------
    >>> round(blahut_arimoto([[0.9, 0.1], [0.1, 0.9]]).capacity, 6)   # BSC: 1 - h(0.1)
    0.531004
    >>> res = blahut_arimoto([[1.0, 0.0], [0.5, 0.5]])                # Z-channel
    >>> round(res.capacity, 6), res.p_x.round(3).tolist()             # log2(1.25)
    (0.321928, [0.6, 0.4])
    """
    ln_b = log_of_base(base)
    w = _as_channel(channel)
    tol_nats = check_positive(tol, "tol") * ln_b
    max_iter = check_int(max_iter, "max_iter")
    p = np.full(w.shape[0], 1.0 / w.shape[0])
    for _ in range(max_iter):
        d = _divergences(w, p)  # D(x) in nats
        lower = float(p @ d)  # I(p) = sum_x p(x) D(x)
        upper = float(d.max())
        if upper - lower < tol_nats:
            return Capacity(capacity=max(lower, 0.0) / ln_b, p_x=p)
        # The update, in logs for stability: p(x) <- p(x) exp(D(x)) / normalizer.
        logits = np.log(p, out=np.full_like(p, -np.inf), where=p > 0) + d
        p = np.exp(logits - logits.max())
        p /= p.sum()
    raise RuntimeError(
        f"blahut_arimoto did not reach tol={tol} in max_iter={max_iter} iterations "
        f"(gap {(upper - lower) / ln_b:.3g}); raise max_iter or tol"
    )


def _divergences(w: np.ndarray, p: np.ndarray) -> np.ndarray:
    """D(x) = KL(W(.|x) || q) in nats for every input x, with q = p W."""
    q = p @ w
    return rel_entr(w, q[None, :]).sum(axis=1)


def _as_channel(channel) -> np.ndarray:
    w = as_float_array(channel, "channel")
    if w.ndim != 2:
        raise ValueError(
            f"channel must be 2-D, channel[i, j] = P(Y=j | X=i) "
            f"(got a {w.ndim}-D array of shape {w.shape})"
        )
    check_nonempty(w, "channel")
    check_finite(w, "channel")
    if np.any(w < 0):
        i, j = (int(v) for v in np.unravel_index(np.argmin(w), w.shape))
        raise ValueError(f"channel must be non-negative (got {w[i, j]:.6g} at index ({i}, {j}))")
    sums = w.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > SUM_TOL)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"channel's rows must sum to 1, P(Y | X=i) for each input i "
            f"(got {sums[i]:.10g} in row {i})"
        )
    return w
