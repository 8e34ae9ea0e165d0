"""The rate of a VAE split into information and the aggregate posterior's distance from the prior.

For an encoder ``q(z | x) = N(mu(x), diag(exp(logvar(x))))`` and ``X`` uniform over ``N``
images, the *aggregate posterior* is the mixture ``q̄(z) = (1/N) sum_n q(z | x_n)``.  The
mean rate splits exactly (Hoffman & Johnson 2016; Alemi et al. 2018):

    R = E_n D_KL(q(z | x_n) || p(z)) = I(X; Z) + D_KL(q̄ || p),

with ``I(X; Z) = E_n E_{z ~ q(z | x_n)}[log q(z | x_n) - log q̄(z)]`` the information the
code carries about which image was sent, and ``D_KL(q̄ || p)`` the part of the rate that
buys nothing: the codes' cloud fits the prior badly.  :func:`rate_split` estimates the two
terms by Monte Carlo over ``z`` with the *exact* mixture ``q̄`` (a sum over all N
components); ``R`` itself is in closed form.  ``I(X; Z) <= log N`` always.

:func:`bernoulli_collapse_threshold` gives the beta above which the collapsed solution of
a beta-VAE with a factorized Bernoulli decoder is a local minimum of ``D + beta R``: the
largest eigenvalue of the pixels' correlation matrix (constant pixels left out).

Units: bits by default (``base=2``); ``base="e"`` or ``math.e`` for nats.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import logsumexp

from ._validation import (as_float_array, check_finite, check_int, check_ndim, check_nonempty,
                          log_of_base)

__all__ = ["log_aggregate_density", "rate_split", "bernoulli_collapse_threshold"]

_LOG_2PI = math.log(2 * math.pi)


def _mu_logvar(mu, logvar):
    mu = as_float_array(mu, "mu")
    logvar = as_float_array(logvar, "logvar")
    for arr, name in ((mu, "mu"), (logvar, "logvar")):
        check_ndim(arr, name, 2, "one row per image, one column per latent dimension")
        check_nonempty(arr, name)
        check_finite(arr, name)
    if mu.shape != logvar.shape:
        raise ValueError(f"mu and logvar must have the same shape (got {mu.shape} and "
                         f"{logvar.shape})")
    return mu, logvar


def log_aggregate_density(z, mu, logvar, chunk: int = 1024) -> np.ndarray:
    """``log q̄(z)`` in nats for each row of ``z``: the exact mixture of all ``N`` Gaussians.

    ``q̄(z) = (1/N) sum_n N(z; mu_n, diag(exp(logvar_n)))``.  ``z`` has shape ``(M, d)``;
    rows are processed ``chunk`` at a time (memory ``chunk * N * d`` floats).

    >>> float(np.round(log_aggregate_density([[0.0]], [[0.0]], [[0.0]]), 6)[0])
    -0.918939
    """
    mu, logvar = _mu_logvar(mu, logvar)
    z = as_float_array(z, "z")
    check_ndim(z, "z", 2, "one row per point")
    if z.shape[1] != mu.shape[1]:
        raise ValueError(f"z must have {mu.shape[1]} columns like mu (got {z.shape[1]})")
    inv_var = np.exp(-logvar)
    const = -0.5 * (logvar.sum(1) + mu.shape[1] * _LOG_2PI)          # (N,)
    out = np.empty(z.shape[0])
    for start in range(0, z.shape[0], int(chunk)):
        zc = z[start:start + int(chunk)]
        sq = ((zc[:, None, :] - mu[None]) ** 2 * inv_var[None]).sum(-1)  # (B, N)
        out[start:start + len(zc)] = logsumexp(const[None] - 0.5 * sq, axis=1)
    return out - math.log(mu.shape[0])


def rate_split(mu, logvar, *, n_samples: int = 16, seed: int = 0, base=2) -> dict[str, float]:
    """Split the mean rate into ``I(X; Z)`` and ``D_KL(q̄ || p)``, ``p = N(0, I)``.

    ``X`` is uniform over the ``N`` rows of ``mu`` and ``logvar`` (one encoder output per
    image).  Returns a dict, in units of ``base`` (bits by default):

    - ``rate``: ``(1/N) sum_n D_KL(q(z | x_n) || p)``, closed form;
    - ``mutual_information``: ``I(X; Z)``, Monte Carlo with ``n_samples`` draws per image and
      the exact mixture ``q̄``; ``mi_se`` its standard error;
    - ``marginal_kl``: ``D_KL(q̄ || p) = rate - mutual_information`` (the identity is exact;
      the estimate of ``E_q̄[log q̄ - log p]`` from the same draws is ``marginal_kl_direct``,
      equal to it up to rounding because both use the same draws);
    - ``log_n``: ``log N``, the ceiling of ``I(X; Z)``.

    Examples
    --------
    Two far-apart unit Gaussians: the code tells the two images apart, 1 bit.

    >>> out = rate_split([[-30.0], [30.0]], [[0.0], [0.0]], n_samples=200)
    >>> round(out["mutual_information"], 6), round(out["log_n"], 6)
    (1.0, 1.0)
    """
    mu, logvar = _mu_logvar(mu, logvar)
    n_samples = check_int(n_samples, "n_samples")
    ln_b = log_of_base(base)
    n, d = mu.shape
    rng = np.random.default_rng(seed)
    eps = rng.standard_normal((int(n_samples), n, d))
    z = mu[None] + np.exp(0.5 * logvar)[None] * eps                  # (S, N, d)
    log_q = -0.5 * ((eps ** 2).sum(-1) + logvar.sum(1)[None] + d * _LOG_2PI)  # (S, N)
    log_p = -0.5 * ((z ** 2).sum(-1) + d * _LOG_2PI)
    log_qbar = log_aggregate_density(z.reshape(-1, d), mu, logvar).reshape(z.shape[:2])
    per_image = (log_q - log_qbar).mean(0)                           # MI terms, per image
    rate = 0.5 * np.sum(mu ** 2 + np.exp(logvar) - 1.0 - logvar, axis=1).mean()
    mi = per_image.mean()
    per_draw = log_q - log_qbar
    se = per_draw.std(ddof=1) / math.sqrt(per_draw.size)
    return {"rate": float(rate) / ln_b, "mutual_information": float(mi) / ln_b,
            "mi_se": float(se) / ln_b, "marginal_kl": float(rate - mi) / ln_b,
            "marginal_kl_direct": float((log_qbar - log_p).mean()) / ln_b,
            "log_n": math.log(n) / ln_b}


def bernoulli_collapse_threshold(x) -> float:
    """The largest eigenvalue of the correlation matrix of the non-constant columns of ``x``.

    For a beta-VAE with a factorized Bernoulli decoder trained on the rows of ``x``, the
    collapsed solution (``q(z | x) = p(z)`` for every image, the decoder outputs each
    pixel's mean) is a local minimum of ``D + beta R`` for ``beta`` above this value and a
    saddle below it: linearising encoder and decoder around it, the loss changes to second
    order by ``0.5 w^T V w - w^T C a + 0.5 beta a^T C a`` (``C`` the pixels' covariance,
    ``V`` its diagonal, ``a`` the encoder's and ``w`` the decoder's direction), and
    minimizing over ``a`` leaves ``0.5 w^T (V - C / beta) w``, negative for some ``w``
    exactly when ``beta`` is below the largest eigenvalue of ``V^-1/2 C V^-1/2``.  Constant
    columns (a pixel always off) carry no information and are left out.  Dimensionless.

    >>> round(bernoulli_collapse_threshold([[0, 0, 1], [1, 1, 1], [0, 0, 1], [1, 1, 1]]), 6)
    2.0
    """
    x = as_float_array(x, "x")
    check_ndim(x, "x", 2, "one image per row")
    check_nonempty(x, "x")
    check_finite(x, "x")
    if x.shape[0] < 2:
        raise ValueError(f"x must have at least 2 rows (got {x.shape[0]})")
    keep = x.std(0) > 0
    if not keep.any():
        raise ValueError("x has no column that varies: the threshold is undefined")
    corr = np.atleast_2d(np.corrcoef(x[:, keep], rowvar=False))
    return float(np.linalg.eigvalsh(corr)[-1])
