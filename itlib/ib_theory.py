"""Exact results about the information bottleneck (IB): where it starts, closed forms.

The book's convention (see :mod:`itlib.ib`): an encoder ``p(t|x)`` of ``X`` (Markov chain
``Y - X - T``) minimizes ``I(X;T) - beta I(T;Y)``.

- :func:`maximal_correlation`: the Hirschfeld-Gebelein-Renyi maximal correlation ``rho``
  of a discrete pair, the second singular value of ``p(x,y) / sqrt(p(x) p(y))``.
- :func:`hypercontractivity`: the strong data-processing constant
  ``s* = sup I(T;Y) / I(X;T)`` over encoders of ``X``, computed as
  ``sup_r D(r_Y || p_Y) / D(r || p_X)`` over input distributions ``r`` (Anantharam et
  al. 2013), with the ``r`` that attains it.  ``rho^2 <= s* <= 1`` and the IB's first
  critical ``beta`` is ``1 / s*``.
- :func:`gaussian_ib`: the closed-form IB of a jointly Gaussian pair (Chechik, Globerson,
  Tishby & Weiss 2005): a linear encoder ``T = A X + xi``, ``xi ~ N(0, I)``, built from
  the eigenvectors of ``Sigma_{x|y} Sigma_x^{-1}``; and :func:`linear_gaussian_informations`,
  the two informations of any such linear encoder from log-determinants.
- :func:`deterministic_ib` and :func:`deterministic_ib_exhaustive`: the deterministic IB
  of Strouse & Schwab (2017), ``min H(T) - beta I(T;Y)`` over functions ``t = f(x)``,
  by its iterative algorithm and, for small ``X``, by trying every partition.
- :func:`xu_raginsky_bound`: the bound ``sqrt(2 sigma^2 I(S;W) / n)`` on the expected
  generalization gap of a learning algorithm (Xu & Raginsky 2017).

Informations are in bits unless ``base`` says otherwise; ``s*`` and ``rho`` are pure
numbers.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from scipy.optimize import minimize
from scipy.special import entr, softmax

from ._validation import (as_distribution, as_float_array, check_finite, check_int,
                          check_positive, log_of_base)

__all__ = [
    "maximal_correlation",
    "hypercontractivity",
    "gaussian_ib",
    "gaussian_ib_critical_betas",
    "linear_gaussian_informations",
    "deterministic_ib",
    "deterministic_ib_exhaustive",
    "deterministic_ib_critical_beta",
    "xu_raginsky_bound",
]


def maximal_correlation(pxy) -> float:
    """The maximal (Hirschfeld-Gebelein-Renyi) correlation of a discrete pair.

    ``rho = sup corr(f(X), g(Y))`` over real functions; it is the second largest singular
    value of the matrix ``p(x, y) / sqrt(p(x) p(y))`` (the largest is 1).  A pure number
    in ``[0, 1]``.

    >>> round(maximal_correlation([[0.45, 0.05], [0.05, 0.45]]), 12)   # DSBS, p = 0.1
    0.8
    """
    pxy = _joint(pxy)
    px, py = pxy.sum(axis=1), pxy.sum(axis=0)
    keep_x, keep_y = px > 0, py > 0
    m = pxy[np.ix_(keep_x, keep_y)] / np.sqrt(np.outer(px[keep_x], py[keep_y]))
    s = np.linalg.svd(m, compute_uv=False)
    return float(s[1]) if s.size > 1 else 0.0


def hypercontractivity(pxy, *, n_starts: int = 8, seed: int = 0):
    """The strong data-processing (hypercontractivity) constant ``s*`` of ``p(x, y)``.

    ``s* = sup I(T;Y) / I(X;T)`` over all encoders ``p(t|x)`` with ``I(X;T) > 0``, which
    equals (Anantharam, Gohari, Kamath & Nair 2013)::

        s* = sup_r  D(r_Y || p_Y) / D(r || p_X),     r_Y(y) = sum_x r(x) p(y|x),

    over input distributions ``r != p_X``.  Computed by maximizing the ratio over ``r``
    (softmax parameters, BFGS with the exact gradient) from ``n_starts`` seeded random starts plus starts near
    each vertex of the simplex; the best is returned.  ``rho^2 <= s* <= 1``, with
    ``rho`` the :func:`maximal_correlation` (the ratio tends to ``rho^2`` as ``r -> p_X``).

    Why it matters for the IB: every encoder has ``I(T;Y) <= s* I(X;T)``, so
    ``I(X;T) - beta I(T;Y) >= (1 - beta s*) I(X;T) >= 0`` for ``beta <= 1/s*``; above
    ``1/s*`` the encoder ``p(t=1|x) = eps r(x)/p(x)`` with small ``eps`` has a negative
    Lagrangian.  The first critical ``beta`` of the IB is therefore exactly ``1/s*``.

    Parameters
    ----------
    pxy : array_like, shape (n_x, n_y)
        Joint distribution of ``X`` (rows) and ``Y`` (columns).
    n_starts : int, default 8
        Random starts (``>= 1``).
    seed : int, default 0

    Returns
    -------
    s_star : float
        The constant (a ratio of informations: the unit cancels).
    r : numpy.ndarray, shape (n_x,)
        The input distribution that attains it (up to the optimizer's precision).

    >>> s, r = hypercontractivity([[0.45, 0.05], [0.05, 0.45]])   # DSBS: s* = (1-2p)^2
    >>> round(s, 6)
    0.64
    """
    pxy = _joint(pxy)
    n_starts = _positive_int(n_starts, "n_starts")
    px = pxy.sum(axis=1)
    support = px > 0
    px_s = px[support]
    pyx = pxy[support] / px_s[:, None]
    py = pxy.sum(axis=0)
    keep_y = py > 0
    pyx, py = pyx[:, keep_y], py[keep_y]
    n = px_s.size
    if n < 2:
        raise ValueError("pxy must give positive probability to at least two values of X")

    rho2 = maximal_correlation(pxy) ** 2

    def neg_ratio(u):                            # -D(r_Y||p_Y)/D(r||p_X) and its gradient
        r = softmax(u)
        d_x = _kl(r, px_s)
        if d_x < 1e-12:
            return -rho2, np.zeros_like(u)
        ry = r @ pyx
        d_y = _kl(ry, py)
        ratio = d_y / d_x
        with np.errstate(divide="ignore"):
            g_x = np.log(np.where(r > 0, r, 1) / px_s)
            g_y = pyx @ np.log(np.where(ry > 0, ry, 1) / py)
        g_r = (g_y - ratio * g_x) / d_x
        return -ratio, -(r * (g_r - r @ g_r))

    rng = np.random.default_rng(seed)
    starts = [rng.normal(scale=3.0, size=n) for _ in range(n_starts)]
    for i in range(n):                           # near each vertex, and away from each
        e = np.zeros(n)
        e[i] = 6.0
        starts.append(e)
        starts.append(-e)
    best = None
    for u0 in starts:
        res = minimize(neg_ratio, u0 + np.log(px_s), jac=True, method="BFGS",
                       options={"maxiter": 500, "gtol": 1e-10})
        if best is None or res.fun < best.fun:
            best = res
    r = np.zeros(px.size)
    r[support] = softmax(best.x)
    return float(-best.fun), r


def gaussian_ib_critical_betas(cov_x, cov_xy, cov_y) -> np.ndarray:
    """The critical ``beta``'s of the Gaussian IB, ``1 / (1 - lambda_i)``, ascending.

    ``lambda_i`` are the eigenvalues of ``Sigma_{x|y} Sigma_x^{-1}`` (in ``[0, 1]``),
    ``Sigma_{x|y} = Sigma_x - Sigma_xy Sigma_y^{-1} Sigma_yx``; the ``i``-th direction
    enters the optimal encoder above ``beta = 1 / (1 - lambda_i)`` (Chechik et al. 2005).
    A ``lambda_i = 1`` (a direction of ``X`` independent of ``Y``) gives ``inf``.

    >>> gaussian_ib_critical_betas([[1.0]], [[0.5]], [[1.0]])   # rho = 0.5: 1/rho^2
    array([4.])
    """
    lam, _, _ = _gaussian_eig(cov_x, cov_xy, cov_y)
    with np.errstate(divide="ignore"):
        return np.where(lam < 1 - 1e-12, 1.0 / np.maximum(1.0 - lam, 1e-300), np.inf)


def gaussian_ib(cov_x, cov_xy, cov_y, beta, *, base=2):
    """The optimal IB encoder of a jointly Gaussian pair (Chechik et al. 2005).

    For ``X`` in ``R^n`` and ``Y`` jointly Gaussian, the encoder minimizing
    ``I(X;T) - beta I(T;Y)`` is linear, ``T = A X + xi`` with ``xi ~ N(0, I)``: the rows
    of ``A`` are the left eigenvectors ``v_i`` of ``Sigma_{x|y} Sigma_x^{-1}``
    (eigenvalues ``lambda_i`` ascending), scaled by

        alpha_i = sqrt((beta (1 - lambda_i) - 1) / (lambda_i v_i' Sigma_x v_i))

    when ``beta > 1 / (1 - lambda_i)`` and 0 otherwise.  Then, summing over the active
    directions,

        I(X;T) = 1/2 sum log((beta - 1)(1 - lambda_i) / lambda_i)
        I(T;Y) = I(X;T) - 1/2 sum log(beta (1 - lambda_i)).

    Parameters
    ----------
    cov_x : array_like, (n, n); cov_xy : array_like, (n, m); cov_y : array_like, (m, m)
        The blocks of the joint covariance (positive definite).
    beta : float
        ``> 1`` for a non-trivial encoder (below the first critical value ``A = 0``).
    base : float, default 2
        Unit of the informations.

    Returns
    -------
    A : numpy.ndarray, shape (n, n)
        The encoder matrix (rows of zeros for inactive directions).
    i_xt, i_ty : float
        The two informations from the closed form above, in the unit of ``base``.
    """
    beta = _beta(beta)
    lam, v, cov_x = _gaussian_eig(cov_x, cov_xy, cov_y)
    ln_base = log_of_base(base)
    active = beta * (1.0 - lam) > 1.0
    a = np.zeros_like(v)
    i_xt = i_ty = 0.0
    for i in np.flatnonzero(active):
        r_i = v[:, i] @ cov_x @ v[:, i]
        a[i] = math.sqrt((beta * (1 - lam[i]) - 1) / (lam[i] * r_i)) * v[:, i]
        gain = 0.5 * math.log((beta - 1) * (1 - lam[i]) / lam[i])
        i_xt += gain
        i_ty += gain - 0.5 * math.log(beta * (1 - lam[i]))
    return a, i_xt / ln_base, i_ty / ln_base


def linear_gaussian_informations(a, cov_x, cov_xy, cov_y, *, base=2):
    """``I(X;T)`` and ``I(T;Y)`` of the encoder ``T = A X + xi``, ``xi ~ N(0, I)``.

    From log-determinants: ``I(X;T) = 1/2 log det(A Sigma_x A' + I)`` and
    ``I(T;Y) = I(X;T) - 1/2 log det(A Sigma_{x|y} A' + I)``, in the unit of ``base``.
    A route independent of the eigen-decomposition in :func:`gaussian_ib`.
    """
    a = np.atleast_2d(as_float_array(a, "a"))
    cov_x, cov_xy, cov_y = _covs(cov_x, cov_xy, cov_y)
    if a.shape[1] != cov_x.shape[0]:
        raise ValueError(f"a must have {cov_x.shape[0]} columns (got shape {a.shape})")
    cov_x_y = cov_x - cov_xy @ np.linalg.solve(cov_y, cov_xy.T)
    eye = np.eye(a.shape[0])
    i_xt = 0.5 * np.linalg.slogdet(a @ cov_x @ a.T + eye)[1]
    i_ty = i_xt - 0.5 * np.linalg.slogdet(a @ cov_x_y @ a.T + eye)[1]
    ln_base = log_of_base(base)
    return float(i_xt / ln_base), float(i_ty / ln_base)


def deterministic_ib(pxy, beta, n_clusters, *, n_restarts: int = 20, seed: int = 0,
                     max_iter: int = 200, base=2):
    """The deterministic IB (Strouse & Schwab 2017) by its iterative algorithm.

    Minimizes ``H(T) - beta I(T;Y)`` over functions ``t = f(x)`` with at most
    ``n_clusters`` values: from a random assignment, repeat ::

        p(t), p(y|t) from the current f
        f(x) = argmax_t  log p(t) - beta D_KL(p(y|x) || p(y|t))

    until ``f`` stops changing; each pass never raises the objective.  The best of
    ``n_restarts`` seeded starts is returned.  For small ``X`` compare with
    :func:`deterministic_ib_exhaustive`, which is exact.

    Returns
    -------
    f : numpy.ndarray of int, shape (n_x,)
        The cluster of each input, relabelled 0, 1, ... in order of first use.
    h_t, i_ty : float
        ``H(T) = I(X;T)`` and ``I(T;Y)``, in the unit of ``base``.
    """
    pxy = _joint(pxy)
    beta = _beta(beta)
    n_clusters = _positive_int(n_clusters, "n_clusters")
    n_restarts = _positive_int(n_restarts, "n_restarts")
    ln_base = log_of_base(base)
    px = pxy.sum(axis=1)
    pyx = np.where(px[:, None] > 0, pxy / np.where(px > 0, px, 1)[:, None], 0)
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(n_restarts):
        f = rng.integers(n_clusters, size=px.size)
        for _ in range(max_iter):
            onehot = np.eye(n_clusters)[f]
            pt = px @ onehot
            pty = onehot.T @ pxy
            with np.errstate(divide="ignore", invalid="ignore"):
                py_t = pty / pt[:, None]
                log_py_t = np.where(py_t > 0, np.log(np.where(py_t > 0, py_t, 1)), -np.inf)
                cross = np.where(pyx[:, None, :] > 0, pyx[:, None, :] * log_py_t[None], 0.0)
                kl = -entr(pyx).sum(axis=1)[:, None] - cross.sum(axis=2)   # (x, t)
                score = np.log(pt)[None, :] - beta * kl
            score[:, pt <= 0] = -np.inf
            new = np.argmax(score, axis=1)
            if np.array_equal(new, f):
                break
            f = new
        h_t, i_ty = _partition_informations(f, pxy)
        value = h_t - beta * i_ty
        if best is None or value < best[0] - 1e-12:
            best = (value, _relabel(f), h_t, i_ty)
    return best[1], best[2] / ln_base, best[3] / ln_base


def deterministic_ib_exhaustive(pxy, beta, *, base=2):
    """The exact deterministic IB of a small ``X``: every partition of ``X`` is tried.

    Returns the same triple as :func:`deterministic_ib`.  The number of partitions is the
    Bell number of ``n_x`` (4140 for 8 inputs, 115975 for 10); ``n_x`` above 10 raises.
    """
    pxy = _joint(pxy)
    beta = _beta(beta)
    if pxy.shape[0] > 10:
        raise ValueError(f"pxy has {pxy.shape[0]} rows: too many partitions (at most 10 rows)")
    ln_base = log_of_base(base)
    best = None
    for f in _set_partitions(pxy.shape[0]):
        h_t, i_ty = _partition_informations(f, pxy)
        value = h_t - beta * i_ty
        if best is None or value < best[0] - 1e-12:
            best = (value, f, h_t, i_ty)
    return best[1], best[2] / ln_base, best[3] / ln_base


def deterministic_ib_critical_beta(pxy) -> float:
    """Where the deterministic IB leaves the constant encoder: ``min H(T) / I(T;Y)``.

    The minimum is over the partitions ``T = f(X)`` with ``I(T;Y) > 0`` (every one is
    tried, as in :func:`deterministic_ib_exhaustive`; at most 10 rows).  Below this
    ``beta`` every partition has ``H(T) - beta I(T;Y) > 0``; above it one has a negative
    value.  A pure number.
    """
    pxy = _joint(pxy)
    if pxy.shape[0] > 10:
        raise ValueError(f"pxy has {pxy.shape[0]} rows: too many partitions (at most 10 rows)")
    best = math.inf
    for f in _set_partitions(pxy.shape[0]):
        h_t, i_ty = _partition_informations(f, pxy)
        if i_ty > 1e-12:
            best = min(best, h_t / i_ty)
    return best


def xu_raginsky_bound(mutual_information, n, sigma, *, base=math.e) -> float:
    """Xu & Raginsky (2017): ``|E[gap]| <= sqrt(2 sigma^2 I(S;W) / n)``.

    For a loss ``l(w, Z)`` that is ``sigma``-sub-Gaussian under the data distribution for
    every ``w`` (a loss with values in ``[a, b]`` is ``(b - a)/2``-sub-Gaussian), a
    training set ``S`` of ``n`` i.i.d. samples and an algorithm's output ``W``, the
    expected difference between population and training loss is at most this.
    ``I(S;W)`` must be given in nats (``base=math.e``) or in the unit of ``base``;
    the bound is in the unit of the loss.
    """
    mi = float(mutual_information) * log_of_base(base)
    if not math.isfinite(mi) or mi < 0:
        raise ValueError(f"mutual_information must be finite and >= 0 (got {mutual_information!r})")
    n = _positive_int(n, "n")
    sigma = check_positive(sigma, "sigma", allow_zero=True)
    return math.sqrt(2 * sigma ** 2 * mi / n)


# ----------------------------------------------------------------------------- helpers

def _kl(r, p):
    """``D(r || p)`` in nats for ``p > 0``, accurate also when ``r`` is close to ``p``.

    Summed as ``p ((1 + u) log(1 + u) - u)`` with ``u = r/p - 1``: every term is
    ``>= 0`` and of order ``u^2``, so nothing cancels (the plain sum of ``r log(r/p)``
    loses the relative precision a ratio of two small divergences needs).
    """
    u = r / p - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(u > -1.0, (1.0 + u) * np.log1p(u) - u, 1.0)          # r = 0: t = 1
    return float(np.sum(p * t))


def _partition_informations(f, pxy):
    """``H(T)`` and ``I(T;Y)`` in nats of the deterministic encoder ``t = f(x)``."""
    n_t = int(f.max()) + 1
    pty = np.zeros((n_t, pxy.shape[1]))
    np.add.at(pty, f, pxy)
    pt, py = pty.sum(axis=1), pxy.sum(axis=0)
    h_t = entr(pt).sum()
    return float(h_t), float(h_t + entr(py).sum() - entr(pty).sum())


def _set_partitions(n):
    """Every partition of ``range(n)`` as a restricted growth string (numpy int array)."""
    f = [0] * n

    def rec(i, m):
        if i == n:
            yield np.array(f)
            return
        for v in range(m + 1):
            f[i] = v
            yield from rec(i + 1, max(m, v + 1))

    if n == 0:
        return
    f[0] = 0
    yield from rec(1, 1)


def _relabel(f):
    _, first = np.unique(f, return_index=True)
    order = np.argsort(first)
    mapping = np.empty(f.max() + 1, dtype=int)
    mapping[np.unique(f)[order]] = np.arange(order.size)
    return mapping[f]


def _gaussian_eig(cov_x, cov_xy, cov_y):
    cov_x, cov_xy, cov_y = _covs(cov_x, cov_xy, cov_y)
    cov_x_y = cov_x - cov_xy @ np.linalg.solve(cov_y, cov_xy.T)
    # left eigenvectors of M = Sigma_{x|y} Sigma_x^{-1}: eigenvectors of M' = Sigma_x^{-1} Sigma_{x|y}
    lam, v = np.linalg.eig(np.linalg.solve(cov_x, cov_x_y))
    lam, v = lam.real, v.real
    order = np.argsort(lam)
    return np.clip(lam[order], 0.0, 1.0), v[:, order], cov_x


def _covs(cov_x, cov_xy, cov_y):
    cov_x = np.atleast_2d(as_float_array(cov_x, "cov_x"))
    cov_xy = np.atleast_2d(as_float_array(cov_xy, "cov_xy"))
    cov_y = np.atleast_2d(as_float_array(cov_y, "cov_y"))
    for arr, name in ((cov_x, "cov_x"), (cov_xy, "cov_xy"), (cov_y, "cov_y")):
        check_finite(arr, name)
    n, m = cov_x.shape[0], cov_y.shape[0]
    if cov_x.shape != (n, n) or cov_y.shape != (m, m) or cov_xy.shape != (n, m):
        raise ValueError(f"cov_x, cov_xy, cov_y must have shapes (n, n), (n, m), (m, m) "
                         f"(got {cov_x.shape}, {cov_xy.shape}, {cov_y.shape})")
    joint = np.block([[cov_x, cov_xy], [cov_xy.T, cov_y]])
    if not np.allclose(joint, joint.T) or np.linalg.eigvalsh(joint).min() <= 0:
        raise ValueError("the joint covariance [[cov_x, cov_xy], [cov_xy', cov_y]] must be "
                         "symmetric positive definite")
    return cov_x, cov_xy, cov_y


def _joint(pxy):
    return as_distribution(pxy, "pxy", ndim=2, hint="rows are values of X, columns values of Y")


def _beta(beta) -> float:
    return check_positive(beta, "beta", allow_zero=True)


def _positive_int(value, name) -> int:
    return check_int(value, name)
