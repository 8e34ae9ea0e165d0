"""Closed forms for Gaussian distributions: entropy, KL divergence, mutual information.

Conventions
-----------
* A **univariate** Gaussian is given by its mean and its **variance** (a scalar), never
  its standard deviation: ``N(2, 2)`` has variance 2.
* A **multivariate** Gaussian in ``d`` dimensions is given by a mean vector of shape
  ``(d,)`` and a covariance matrix of shape ``(d, d)``, symmetric positive definite.
  A ``1 x 1`` matrix gives the same numbers as the scalar variance.
* ``base`` sets the unit: 2 gives bits (the default), ``math.e`` gives nats.
* :func:`log_density` is the one Gaussian log-density of itlib's numpy side
  (:mod:`itlib.linear_gaussian` uses it); the PyTorch side has
  :func:`itlib.nn.gaussian_log_density` (diagonal covariances, nats).
* Differential entropy can be negative (a narrow Gaussian); a KL divergence and a
  mutual information cannot.

Log-determinants, traces and quadratic forms are computed from Cholesky factors
(:func:`numpy.linalg.cholesky` and triangular solves), never from explicit inverses.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import solve_triangular

from ._validation import as_float_array, check_finite, check_nonempty, clip_rounding
from ._validation import log_of_base

__all__ = ["entropy", "kl_divergence", "mutual_information", "log_density"]

_LOG_2PIE = float(np.log(2.0 * np.pi * np.e))


def entropy(cov, base=2) -> float:
    r"""Differential entropy of a Gaussian, :math:`h = \tfrac12 \log\big((2\pi e)^d \det\Sigma\big)`.

    For a univariate Gaussian with variance :math:`\sigma^2` this is
    :math:`\tfrac12 \log(2\pi e\,\sigma^2)`.  It does not depend on the mean.

    Parameters
    ----------
    cov : float or array_like, shape (d, d)
        A variance (a positive scalar) or a symmetric positive definite covariance matrix.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.

    Returns
    -------
    float
        The differential entropy in units of ``log(base)``.  Negative when the
        distribution is narrow enough (``det(2 pi e Sigma) < 1``).

    Raises
    ------
    ValueError
        If the variance is not positive, the matrix is not square, symmetric and
        positive definite, or an entry is NaN or infinite; if ``base`` is invalid.
    TypeError
        If ``cov`` or ``base`` is not numeric.

    Examples
    --------
    >>> round(entropy(1.0), 4)                      # standard normal, in bits
    2.0471
    >>> round(entropy(1.0, base=np.e), 4)           # the same in nats
    1.4189
    >>> round(entropy([[1.0, 0.0], [0.0, 1.0]]), 4)  # two independent ones: twice as much
    4.0942
    >>> entropy(0.01) < 0                           # a narrow Gaussian: negative
    True
    """
    ln_b = log_of_base(base)
    c = _as_covariance(cov, "cov")
    d = 1 if c.ndim == 0 else c.shape[0]
    logdet = _logdet(c)
    return float(0.5 * (d * _LOG_2PIE + logdet) / ln_b)


def kl_divergence(mu0, cov0, mu1, cov1, base=2) -> float:
    r"""KL divergence :math:`D_{KL}(\mathcal N(\mu_0, \Sigma_0) \,\|\, \mathcal N(\mu_1, \Sigma_1))`.

    .. math::

        D_{KL} = \tfrac12 \Big[ \operatorname{tr}(\Sigma_1^{-1}\Sigma_0)
                 + (\mu_1 - \mu_0)^\top \Sigma_1^{-1} (\mu_1 - \mu_0) - d
                 + \log\frac{\det\Sigma_1}{\det\Sigma_0} \Big]

    and, for scalars with variances :math:`\sigma_0^2, \sigma_1^2`,
    :math:`\tfrac12 \big[ \sigma_0^2/\sigma_1^2 + (\mu_1-\mu_0)^2/\sigma_1^2 - 1
    + \log(\sigma_1^2/\sigma_0^2) \big]`.

    Parameters
    ----------
    mu0, mu1 : float or array_like, shape (d,)
        Means of the first (the "true" one, ``p``) and second (``q``) Gaussian.
    cov0, cov1 : float or array_like, shape (d, d)
        Their **variances** (scalars) or covariance matrices (symmetric positive
        definite).  All four arguments are scalars, or all are arrays of matching
        shapes.
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.

    Returns
    -------
    float
        ``>= 0``, zero if and only if the two Gaussians are equal.  Not symmetric:
        swapping the two Gaussians changes the value.  A result a few ulps below zero
        by rounding (two nearly equal Gaussians) is returned as 0.

    Raises
    ------
    ValueError
        If a variance is not positive, a covariance is not symmetric positive
        definite, an entry is NaN or infinite, or the shapes do not match.
    TypeError
        If an argument is not numeric.

    Examples
    --------
    The exercise of chapter 2, D_KL(N(0, 1) || N(2, 2)) with the second "2" a variance,
    and with it a standard deviation (variance 4):

    >>> round(kl_divergence(0, 1, 2, 2, base=np.e), 4)
    1.0966
    >>> round(kl_divergence(0, 1, 2, 4, base=np.e), 4)
    0.8181
    >>> kl_divergence([0, 0], np.eye(2), [0, 0], np.eye(2))
    0.0
    """
    ln_b = log_of_base(base)
    m0 = _as_mean(mu0, "mu0")
    m1 = _as_mean(mu1, "mu1")
    c0 = _as_covariance(cov0, "cov0")
    c1 = _as_covariance(cov1, "cov1")
    _check_shapes(m0, c0, m1, c1)
    nats, scale, n = _kl_nats(m0, c0, m1, c1)
    return clip_rounding(nats, scale=scale, n=n) / ln_b + 0.0


def mutual_information(rho, base=2):
    r"""Mutual information of a bivariate Gaussian, :math:`I(X;Y) = -\tfrac12 \log(1-\rho^2)`.

    Depends only on the correlation coefficient ``rho`` (not on the means or the
    variances), and is elementwise for an array of correlations.

    Parameters
    ----------
    rho : float or array_like
        Correlation coefficient(s), each strictly between -1 and 1 (at +-1 the
        information is infinite).
    base : float, default 2
        Logarithm base: 2 for bits, ``math.e`` for nats.

    Returns
    -------
    float or numpy.ndarray
        ``I(X;Y) >= 0`` with the shape of ``rho`` (a float for a scalar).

    Raises
    ------
    ValueError
        If some ``|rho| >= 1``, or ``rho`` is NaN, infinite or empty.
    TypeError
        If ``rho`` is not numeric.

    Examples
    --------
    >>> mutual_information(0.0)
    0.0
    >>> round(mutual_information(0.5), 4)      # bits
    0.2075
    >>> mutual_information([-0.6, 0.6]).round(4).tolist()  # symmetric in the sign
    [0.3219, 0.3219]
    """
    ln_b = log_of_base(base)
    r = as_float_array(rho, "rho")
    check_nonempty(r, "rho")
    check_finite(r, "rho")
    if np.any(np.abs(r) >= 1):
        bad = r[np.abs(r) >= 1].flat[0]
        raise ValueError(
            f"rho must lie strictly between -1 and 1 (got {bad:.6g}); "
            "at |rho| = 1 the mutual information is infinite")
    i = -0.5 * np.log1p(-r * r) / ln_b + 0.0  # + 0.0 turns -0.0 into 0.0
    return float(i) if i.ndim == 0 else i


def log_density(x, mean, cov, base=2):
    r"""Log-density :math:`\log \mathcal N(x; \mu, \Sigma)` of a Gaussian.

    .. math::

        \log \mathcal N(x; \mu, \Sigma) = -\tfrac12 \big[(x-\mu)^\top \Sigma^{-1} (x-\mu)
            + \log\det\Sigma + d \log 2\pi\big]

    Parameters
    ----------
    x : float or array_like, shape (d,) or (n, d)
        One point, or ``n`` points (one per row).  A float for a univariate Gaussian.
    mean : float or array_like, shape (d,)
    cov : float or array_like, shape (d, d)
        A variance (scalar) or a symmetric positive definite covariance matrix.
    base : float, default 2
        Logarithm base: 2 gives bits, ``math.e`` nats (per unit volume of ``x``).

    Returns
    -------
    float or numpy.ndarray
        A float for one point, an array of shape ``(n,)`` for ``n`` points.

    Examples
    --------
    >>> round(log_density(0.0, 0.0, 1.0, base=np.e), 6)   # -log(2 pi) / 2
    -0.918939
    >>> log_density([[0.0, 0.0], [1.0, 1.0]], [0.0, 0.0], np.eye(2), base=np.e).round(6)
    array([-1.837877, -2.837877])
    """
    ln_b = log_of_base(base)
    c = _as_covariance(cov, "cov")
    m = _as_mean(mean, "mean")
    if c.ndim == 0:
        if m.ndim != 0:
            raise ValueError(f"mean must be a scalar for a scalar variance (got shape {m.shape})")
        c, m = c.reshape(1, 1), m.reshape(1)
        xs = as_float_array(x, "x")
        xs = xs.reshape(-1, 1) if xs.ndim == 1 else xs.reshape(1)
    else:
        xs = as_float_array(x, "x")
    check_finite(xs, "x")
    d = c.shape[0]
    if m.shape != (d,) or xs.ndim not in (1, 2) or xs.shape[-1] != d:
        raise ValueError(f"shapes do not match: x {xs.shape}, mean {m.shape}, cov {c.shape} "
                         f"(need (d,) or (n, d), (d,), (d, d))")
    out = _log_density_nats(xs, m, c) / ln_b
    return float(out) if np.ndim(out) == 0 else out


# -- private helpers -----------------------------------------------------------------

def _log_density_nats(x: np.ndarray, mean: np.ndarray, cov: np.ndarray):
    """``log N(x; mean, cov)`` in nats, unvalidated; ``x - mean`` of shape (d,) or (n, d).

    A float when ``x - mean`` is one point, else an array of shape ``(n,)``.
    """
    chol = np.linalg.cholesky(_symmetrize(cov))
    diff = np.atleast_2d(x - mean)
    sol = solve_triangular(chol, diff.T, lower=True)         # L^-1 (x - mean), (d, n)
    d = cov.shape[0]
    out = (-0.5 * np.sum(sol * sol, axis=0) - np.sum(np.log(np.diag(chol)))
           - 0.5 * d * np.log(2.0 * np.pi))
    return float(out[0]) if np.ndim(x - mean) == 1 else out


def _format(arr: np.ndarray) -> str:
    """A one-line rendering of a (small) array for error messages."""
    if arr.ndim == 0:
        return f"{float(arr):.6g}"
    if arr.size > 25:
        return f"a matrix of shape {arr.shape}"
    return "[" + ", ".join("[" + ", ".join(f"{v:.6g}" for v in row) + "]" for row in arr) + "]"


def _as_mean(mu, name: str) -> np.ndarray:
    """Validate a mean: a finite scalar or a finite 1-D vector."""
    m = as_float_array(mu, name)
    if m.ndim not in (0, 1):
        raise ValueError(
            f"{name} must be a scalar or a 1-D vector (got a {m.ndim}-D array of shape {m.shape})")
    check_nonempty(m, name)
    check_finite(m, name)
    return m


def _as_covariance(cov, name: str) -> np.ndarray:
    """Validate a variance (scalar > 0) or a symmetric positive definite matrix."""
    c = as_float_array(cov, name)
    if c.ndim == 1:
        raise ValueError(
            f"{name} must be a variance (a scalar) or a covariance matrix (2-D) "
            f"(got a 1-D array of shape {c.shape}); for independent coordinates "
            f"pass np.diag(variances)")
    if c.ndim > 2:
        raise ValueError(
            f"{name} must be a variance (a scalar) or a covariance matrix (2-D) "
            f"(got a {c.ndim}-D array of shape {c.shape})")
    check_nonempty(c, name)
    check_finite(c, name)
    if c.ndim == 0:
        if c <= 0:
            raise ValueError(f"{name} must be a positive variance (got {_format(c)})")
        return c
    if c.shape[0] != c.shape[1]:
        raise ValueError(f"{name} must be a square matrix (got shape {c.shape})")
    scale = np.max(np.abs(c))
    if not np.allclose(c, c.T, rtol=0.0, atol=1e-10 * scale):
        raise ValueError(f"{name} must be symmetric (got {_format(c)})")
    try:
        np.linalg.cholesky(_symmetrize(c))
    except np.linalg.LinAlgError:
        smallest = np.linalg.eigvalsh(_symmetrize(c)).min()
        raise ValueError(
            f"{name} must be positive definite (got {_format(c)}, smallest eigenvalue "
            f"{smallest:.6g})") from None
    return c


def _check_shapes(m0, c0, m1, c1) -> None:
    """All four scalars (univariate) or means (d,) with covariances (d, d)."""
    if c0.ndim == 0 and c1.ndim == 0 and m0.ndim == 0 and m1.ndim == 0:
        return
    if c0.ndim == 0 or c1.ndim == 0 or m0.ndim == 0 or m1.ndim == 0:
        raise ValueError(
            "mu0, cov0, mu1, cov1 must all be scalars (univariate) or all arrays "
            f"(got shapes {m0.shape}, {c0.shape}, {m1.shape}, {c1.shape})")
    d = m0.shape[0]
    if m1.shape != (d,) or c0.shape != (d, d) or c1.shape != (d, d):
        raise ValueError(
            f"shapes do not match: mu0 {m0.shape}, cov0 {c0.shape}, mu1 {m1.shape}, "
            f"cov1 {c1.shape} (need (d,), (d, d), (d,), (d, d))")


def _kl_nats(m0, c0, m1, c1) -> tuple[float, float, int]:
    """The KL divergence in nats, unclipped, with the size of its terms and their number.

    The sum of the terms' magnitudes and their number bound the rounding error, for
    :func:`~itlib._validation.clip_rounding`.
    """
    if c0.ndim == 0:
        v0, v1, dm = float(c0), float(c1), float(m1 - m0)
        # The log ratio as a difference of logs: v1 / v0 overflows (or underflows to 0)
        # for variances far apart, e.g. 1e300 and 1e-300, where the logs are fine.
        with np.errstate(over="ignore"):
            terms = [v0 / v1, dm * dm / v1, -1.0, float(np.log(v1) - np.log(v0))]
        return 0.5 * sum(terms), 0.5 * sum(abs(t) for t in terms), len(terms)
    d = c0.shape[0]
    l0 = np.linalg.cholesky(_symmetrize(c0))
    l1 = np.linalg.cholesky(_symmetrize(c1))
    # tr(S1^-1 S0) = ||L1^-1 L0||_F^2 and the Mahalanobis term ||L1^-1 (m1 - m0)||^2.
    a = solve_triangular(l1, l0, lower=True)
    b = solve_triangular(l1, m1 - m0, lower=True)
    logdet_ratio = 2.0 * (np.sum(np.log(np.diag(l1))) - np.sum(np.log(np.diag(l0))))
    with np.errstate(over="ignore"):  # an infinite divergence is the right answer
        terms = [float(np.sum(a * a)), float(np.dot(b, b)), float(-d), float(logdet_ratio)]
    return 0.5 * sum(terms), 0.5 * sum(abs(t) for t in terms), d * d + 3 * d


def _symmetrize(c: np.ndarray) -> np.ndarray:
    return 0.5 * (c + c.T)


def _logdet(c: np.ndarray) -> float:
    """``log det c`` from the Cholesky factor (``log c`` for a variance)."""
    if c.ndim == 0:
        return float(np.log(c))
    chol = np.linalg.cholesky(_symmetrize(c))
    return float(2.0 * np.sum(np.log(np.diag(chol))))
