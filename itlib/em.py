"""EM for a one-dimensional Gaussian mixture, written as coordinate ascent on the ELBO.

For data ``x_1..x_n``, a mixture ``p(x) = sum_k pi_k N(x; m_k, v_k)`` and any
responsibilities ``r[i, k] = q(z_i = k)`` (rows summing to 1), the ELBO is

    ELBO(q, theta) = sum_i sum_k r[i, k] (log pi_k + log N(x_i; m_k, v_k) - log r[i, k])
                   = log p(x; theta) - sum_i D_KL(q(z_i) || p(z_i | x_i; theta)).

- :func:`e_step` maximizes it over ``q`` with ``theta`` fixed: ``q`` becomes the posterior,
  the KL is zero and the ELBO touches the log-likelihood;
- :func:`m_step` maximizes it over ``theta`` with ``q`` fixed (weighted means, variances
  and proportions), so the ELBO rises, and the log-likelihood, which lies above it, rises
  at least as much.

:func:`em` alternates the two and records both quantities after each step.

Units: **nats**, summed over the data points (densities of a continuous ``x``: nats per
unit of ``x`` per point).  Divide by ``ln 2`` for bits.
"""

from __future__ import annotations


import numpy as np
from scipy.special import logsumexp, xlogy

from ._validation import as_float_array, check_finite, check_int, check_ndim, check_nonempty

__all__ = ["log_joint", "log_likelihood", "elbo", "e_step", "m_step", "em"]


def _params(weights, means, variances):
    w = as_float_array(weights, "weights")
    m = as_float_array(means, "means")
    v = as_float_array(variances, "variances")
    for arr, name in ((w, "weights"), (m, "means"), (v, "variances")):
        check_ndim(arr, name, 1, "one entry per component")
        check_nonempty(arr, name)
        check_finite(arr, name)
    if not (w.shape == m.shape == v.shape):
        raise ValueError(f"weights, means and variances must have the same length "
                         f"(got {w.size}, {m.size}, {v.size})")
    if np.any(w <= 0) or abs(w.sum() - 1) > 1e-9:
        raise ValueError("weights must be positive and sum to 1")
    if np.any(v <= 0):
        raise ValueError("variances must be positive")
    return w, m, v


def _data(x):
    x = as_float_array(x, "x")
    check_ndim(x, "x", 1, "one data point per entry")
    check_nonempty(x, "x")
    check_finite(x, "x")
    return x


def log_joint(x, weights, means, variances) -> np.ndarray:
    """``log pi_k + log N(x_i; m_k, v_k)`` in nats, shape ``(n, K)``."""
    x, (w, m, v) = _data(x), _params(weights, means, variances)
    return (np.log(w)[None] - 0.5 * np.log(2 * np.pi * v)[None]
            - (x[:, None] - m[None]) ** 2 / (2 * v[None]))


def log_likelihood(x, weights, means, variances) -> float:
    """``sum_i log p(x_i)`` in nats.

    >>> round(log_likelihood([0.0], [1.0], [0.0], [1.0]), 6)
    -0.918939
    """
    return float(logsumexp(log_joint(x, weights, means, variances), axis=1).sum())


def elbo(x, resp, weights, means, variances) -> float:
    """``sum_i sum_k r[i, k] (log pi_k + log N(x_i; m_k, v_k) - log r[i, k])`` in nats.

    ``resp`` has shape ``(n, K)`` with rows summing to 1 (``0 log 0 = 0``).
    """
    lj = log_joint(x, weights, means, variances)
    r = as_float_array(resp, "resp")
    if r.shape != lj.shape:
        raise ValueError(f"resp must have shape {lj.shape} (got {r.shape})")
    if np.any(r < 0) or np.any(np.abs(r.sum(1) - 1) > 1e-9):
        raise ValueError("resp must hold probabilities, each row summing to 1")
    return float(np.sum(np.where(r > 0, r * lj, 0.0)) - xlogy(r, r).sum())


def e_step(x, weights, means, variances) -> np.ndarray:
    """The posterior ``p(z_i = k | x_i)``: the ``q`` that maximizes the ELBO, shape ``(n, K)``."""
    lj = log_joint(x, weights, means, variances)
    return np.exp(lj - logsumexp(lj, axis=1, keepdims=True))


def m_step(x, resp) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(weights, means, variances)`` that maximize the ELBO for fixed responsibilities."""
    x = _data(x)
    r = as_float_array(resp, "resp")
    if r.ndim != 2 or r.shape[0] != x.size:
        raise ValueError(f"resp must have shape ({x.size}, K) (got {r.shape})")
    nk = r.sum(0)
    if np.any(nk <= 0):
        raise ValueError("every component needs some responsibility")
    means = (r * x[:, None]).sum(0) / nk
    variances = (r * (x[:, None] - means[None]) ** 2).sum(0) / nk
    return nk / x.size, means, variances


def em(x, weights, means, variances, n_iter: int = 20) -> tuple[list[dict], tuple]:
    """Run ``n_iter`` EM iterations from the given parameters.

    Returns ``(history, params)``.  ``history[t]`` holds, for iteration ``t + 1`` and in
    nats: ``loglik_before`` (at the parameters it starts from), ``elbo_after_e`` (after the
    E-step, equal to ``loglik_before``: the gap is 0), ``elbo_after_m`` (same ``q``, new
    parameters) and ``loglik_after`` (new parameters; ``>= elbo_after_m``).
    ``params`` are the final ``(weights, means, variances)``.

    >>> hist, _ = em([-2.0, -1.0, 1.0, 2.0], [0.5, 0.5], [-0.5, 0.5], [1.0, 1.0], n_iter=3)
    >>> all(h["loglik_after"] >= h["loglik_before"] for h in hist)
    True
    """
    n_iter = check_int(n_iter, "n_iter")
    x = _data(x)
    params = _params(weights, means, variances)
    history = []
    for _ in range(int(n_iter)):
        before = log_likelihood(x, *params)
        resp = e_step(x, *params)
        after_e = elbo(x, resp, *params)
        params = m_step(x, resp)
        history.append({"loglik_before": before, "elbo_after_e": after_e,
                        "elbo_after_m": elbo(x, resp, *params),
                        "loglik_after": log_likelihood(x, *params)})
    return history, params
