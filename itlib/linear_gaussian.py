"""A linear-Gaussian latent-variable model, where every term of the ELBO has a closed form.

The model (chapter 4) is

.. math::

    z \\sim \\mathcal N(0, I_d), \\qquad x \\mid z \\sim \\mathcal N(W z + b, \\Psi),

with ``W`` of shape ``(n, d)`` and noise covariance ``Psi`` (``n x n``).  Its evidence
``p(x) = N(x; b, W W^T + Psi)`` and its posterior ``p(z | x)`` are Gaussian, so the
identity ``log p(x) = ELBO(q) + D_KL(q(z) || p(z | x))`` can be checked to rounding error
for any Gaussian ``q``.  :meth:`LinearGaussian.elbo` computes the ELBO without using that
identity (expected log-likelihood minus the KL to the prior), so the check is a real one.

Units follow the rest of itlib: ``base=2`` (the default) gives bits, ``base=math.e``
nats.  Log-densities of continuous variables are in bits (or nats) per unit volume of
``x``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import cho_factor, cho_solve

from . import gaussian
from ._validation import as_float_array, check_finite, check_int, check_nonempty, log_of_base

__all__ = ["LinearGaussian"]


class LinearGaussian:
    """``z ~ N(0, I_d)``, ``x | z ~ N(W z + b, Psi)``: evidence, posterior and ELBO.

    Parameters
    ----------
    W : array_like, shape (n, d), or a number
        Loading matrix.  A number ``w`` means ``n = d = 1``.
    b : array_like, shape (n,), or a number, default 0
        Offset of ``x``.
    noise_cov : float or array_like, shape (n, n), default 1
        ``Psi``: a variance (the same for every coordinate, ``Psi = noise_cov * I``) or a
        symmetric positive definite matrix.

    Examples
    --------
    One latent, one observation: ``z ~ N(0, 1)``, ``x | z ~ N(2 z, 1)``.  The posterior
    given ``x = 3`` has variance ``1 / (1 + 4) = 0.2`` and mean ``0.2 * 2 * 3 = 1.2``; at
    ``q`` equal to it the ELBO reaches ``log p(x)``:

    >>> m = LinearGaussian(2.0)
    >>> mean, cov = m.posterior(3.0)
    >>> mean.round(6).tolist(), cov.round(6).tolist()
    ([1.2], [[0.2]])
    >>> round(m.log_evidence(3.0) - m.elbo(3.0, mean, cov), 12)
    0.0
    """

    def __init__(self, W, b=0.0, noise_cov=1.0):
        w = as_float_array(W, "W")
        if w.ndim == 0:
            w = w.reshape(1, 1)
        if w.ndim != 2:
            raise ValueError(f"W must be a number or a 2-D matrix (got shape {w.shape})")
        check_nonempty(w, "W")
        check_finite(w, "W")
        n, d = w.shape
        bb = as_float_array(b, "b")
        bb = np.full(n, float(bb)) if bb.ndim == 0 else bb
        if bb.shape != (n,):
            raise ValueError(f"b must be a number or have shape ({n},) (got shape {bb.shape})")
        check_finite(bb, "b")
        # Validated as itlib.gaussian validates every covariance: symmetric (Cholesky
        # would read one triangle only) and positive definite.
        psi = gaussian._as_covariance(noise_cov, "noise_cov")
        if psi.ndim == 0:
            psi = float(psi) * np.eye(n)
        if psi.shape != (n, n):
            raise ValueError(f"noise_cov must be a number or have shape ({n}, {n}) "
                             f"(got shape {psi.shape})")
        self._psi_chol = cho_factor(psi, lower=True)
        self.W, self.b, self.noise_cov = w, bb, psi
        self.n, self.d = n, d

    # -- the three closed forms ---------------------------------------------------------
    def log_evidence(self, x, base=2) -> float:
        """``log p(x)`` with ``p(x) = N(x; b, W W^T + Psi)`` (bits by default)."""
        ln_b = log_of_base(base)
        x = self._as_x(x)
        cov = self.W @ self.W.T + self.noise_cov
        return float(_log_normal(x, self.b, cov) / ln_b)

    def posterior(self, x) -> tuple[np.ndarray, np.ndarray]:
        """Mean ``(d,)`` and covariance ``(d, d)`` of ``p(z | x)``.

        Completing the square: ``cov = (I + W^T Psi^-1 W)^-1`` and
        ``mean = cov W^T Psi^-1 (x - b)``.
        """
        x = self._as_x(x)
        psi_inv_w = cho_solve(self._psi_chol, self.W)
        cov = np.linalg.inv(np.eye(self.d) + self.W.T @ psi_inv_w)
        cov = 0.5 * (cov + cov.T)
        mean = cov @ (psi_inv_w.T @ (x - self.b))
        return mean, cov

    def elbo(self, x, q_mean, q_cov, base=2) -> float:
        """The ELBO of ``q = N(q_mean, q_cov)``: ``E_q[log p(x | z)] - D_KL(q || p(z))``.

        ``E_q[log N(x; W z + b, Psi)] = log N(x; W m + b, Psi) - tr(Psi^-1 W S W^T) / 2``
        for ``q = N(m, S)``; the KL to the prior ``N(0, I)`` comes from
        :func:`itlib.gaussian.kl_divergence`.  The true posterior is never used.
        """
        ln_b = log_of_base(base)
        x = self._as_x(x)
        m, s = self._as_q(q_mean, q_cov)
        expected_loglik = (_log_normal(x, self.W @ m + self.b, self.noise_cov)
                           - 0.5 * np.trace(cho_solve(self._psi_chol, self.W @ s @ self.W.T)))
        kl_prior = gaussian.kl_divergence(m, s, np.zeros(self.d), np.eye(self.d), base=math.e)
        return float((expected_loglik - kl_prior) / ln_b)

    def elbo_monte_carlo(self, x, q_mean, q_cov, n_samples: int, rng, base=2):
        """Monte Carlo ELBO ``mean_i [log p(x, z_i) - log q(z_i)]``, ``z_i ~ q``.

        Returns ``(estimate, standard_error)``, both in the unit of ``base``.
        ``rng`` is a :class:`numpy.random.Generator`.
        """
        ln_b = log_of_base(base)
        x = self._as_x(x)
        m, s = self._as_q(q_mean, q_cov)
        n_samples = check_int(n_samples, "n_samples", minimum=2)
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator (got {type(rng).__name__})")
        z = rng.multivariate_normal(m, s, size=int(n_samples))
        mean_x = z @ self.W.T + self.b
        log_w = (_log_normal(x, mean_x, self.noise_cov)          # log p(x | z)
                 + _log_normal(z, np.zeros(self.d), np.eye(self.d))   # log p(z)
                 - _log_normal(z, m, s))                           # log q(z)
        return (float(log_w.mean() / ln_b),
                float(log_w.std(ddof=1) / math.sqrt(len(log_w)) / ln_b))

    # -- validation ---------------------------------------------------------------------
    def _as_x(self, x) -> np.ndarray:
        arr = as_float_array(x, "x")
        arr = arr.reshape(1) if arr.ndim == 0 else arr
        if arr.shape != (self.n,):
            raise ValueError(f"x must have shape ({self.n},) (got shape {arr.shape})")
        check_finite(arr, "x")
        return arr

    def _as_q(self, q_mean, q_cov):
        m = as_float_array(q_mean, "q_mean")
        m = m.reshape(1) if m.ndim == 0 else m
        if m.shape != (self.d,):
            raise ValueError(f"q_mean must have shape ({self.d},) (got shape {m.shape})")
        check_finite(m, "q_mean")
        s = as_float_array(q_cov, "q_cov")
        s = s.reshape(1, 1) if s.ndim == 0 else s
        if s.shape != (self.d, self.d):
            raise ValueError(f"q_cov must have shape ({self.d}, {self.d}) (got shape {s.shape})")
        check_finite(s, "q_cov")
        if not np.allclose(s, s.T, rtol=0.0, atol=1e-10 * np.max(np.abs(s))) \
                or np.linalg.eigvalsh(0.5 * (s + s.T)).min() <= 0:
            what = f"{float(s[0, 0]):g}" if s.size == 1 else f"a matrix with eigenvalues " \
                f"{np.round(np.linalg.eigvals(s), 6).tolist()}"
            raise ValueError(f"q_cov must be a positive variance or a symmetric positive "
                             f"definite matrix (got {what})")
        return m, s


def _log_normal(x: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> np.ndarray | float:
    """``log N(x; mean, cov)`` in nats (:func:`itlib.gaussian.log_density`'s formula)."""
    return gaussian._log_density_nats(x, mean, cov)
