"""More estimators of mutual information from score matrices: JS, SMILE, CLUB (PyTorch, nats).

Companion of :mod:`itlib.bounds` (InfoNCE, NWJ, DV) for chapter 6, with the same
conventions: one batch of ``N`` pairs ``(x_i, y_i)`` drawn from ``p(x, y)`` and a critic
``f`` give the ``N x N`` matrix ``scores[i, j] = f(x_i, y_j)``; the **diagonal** holds the
positives, the ``N (N - 1)`` off-diagonal entries are draws from ``p(x) p(y)``.  Every
value is in **nats** (natural logarithms); divide by ``ln 2`` for bits.

- :func:`js_objective`: the Jensen-Shannon (f-GAN) objective that Deep InfoMax trains its
  critic with (Hjelm et al. 2019).  It is a lower bound on ``2 JSD - log 4``, not on mutual
  information; its optimal critic is the log density ratio ``log p(x,y) / (p(x) p(y))``,
  so Poole et al. (2019) *train* with it and *report* ``nwj(scores + 1)``.
- :func:`smile`: the clipped Donsker-Varadhan estimate of Song and Ermon (2020),
  ``mean_i scores[i, i] - log mean_{i != j} clip(exp(scores[i, j]), e^-c, e^c)``.  The clip
  trades the variance of the exponentials for a bias; it is not a bound.
- :func:`club`: the contrastive log-ratio upper bound of Cheng et al. (2020) from the
  matrix ``log_q[i, j] = log q(y_j | x_i)`` of a conditional density model:
  ``mean_i log_q[i, i] - mean_{i != j} log_q[i, j]``.  With ``q = p(y | x)`` its expectation
  is ``I(X;Y) + E_x KL(p(y) || p(y | x)) >= I(X;Y)``.
- :func:`club_gaussian`: that expectation in closed form for the correlated Gaussians of
  :func:`itlib.contrastive.correlated_gaussian`: ``d (exp(2 I / d) - 1)``.
- :func:`cosine_infonce_cap`: the largest InfoNCE value a critic with scores in
  ``[-1/tau, 1/tau]`` (a cosine over a temperature) can reach on a batch of ``N``:
  ``log N - log(1 + (N - 1) exp(-2 / tau))``.
- :func:`ewm_mean`: the exponentially weighted moving average Poole et al. smooth their
  staircase with (``pandas.Series.ewm(span=...).mean()``, ``adjust=True``).
- :class:`GaussianConditional`: ``q(y | x) = N(mu(x), diag exp(s(x)))`` with two small MLPs,
  the conditional CLUB is computed with.

References
----------
Poole, Ozair, van den Oord, Alemi and Tucker (2019), "On variational bounds of mutual
information", ICML.  Hjelm et al. (2019), "Learning deep representations by mutual
information estimation and maximization", ICLR.  Song and Ermon (2020), "Understanding the
limitations of variational mutual information estimators", ICLR.  Cheng, Hao, Dai, Liu,
Gan and Carin (2020), "CLUB: a contrastive log-ratio upper bound of mutual information",
ICML.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

try:
    import torch
    from torch import nn
    import torch.nn.functional as F
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "itlib.mi_bounds needs PyTorch: pip install 'itlib[torch]' (or pip install torch)"
    ) from exc

from ._validation import check_int, check_positive, check_real
from .nn import mlp

__all__ = ["js_objective", "smile", "club", "club_gaussian", "cosine_infonce_cap",
           "ewm_mean", "GaussianConditional"]


def js_objective(scores: torch.Tensor) -> torch.Tensor:
    """The Jensen-Shannon critic objective of Deep InfoMax, in nats.

    ``mean_i -softplus(-scores[i, i]) - mean_{i != j} softplus(scores[i, j])``: the
    log-likelihood of a logistic classifier telling positive pairs (label 1, logit
    ``f``) from off-diagonal pairs (label 0).  Maximised over all critics it equals
    ``2 JSD(p(x,y) || p(x)p(y)) - log 4`` and is reached at ``f = log p(x,y)/(p(x)p(y))``.
    It is a training objective, not a bound on ``I(X;Y)``: report ``nwj(scores + 1)``
    (Poole et al. 2019) with the critic it trains.

    >>> round(float(js_objective(torch.zeros(3, 3))), 6), round(-2 * math.log(2), 6)
    (-1.386294, -1.386294)
    """
    s = _check_matrix(scores, "scores")
    return -F.softplus(-torch.diagonal(s)).mean() - F.softplus(_offdiag(s)).mean()


def smile(scores: torch.Tensor, clip: float = 5.0) -> torch.Tensor:
    """The SMILE estimate of Song and Ermon (2020), in nats.

    ``mean_i scores[i, i] - log mean_{i != j} clip(exp(scores[i, j]), e^-clip, e^clip)``:
    Donsker-Varadhan with the exponentials of the negative pairs clipped to
    ``[e^-clip, e^clip]``.  Clipping bounds the variance of the second term (by
    ``e^(2 clip)`` over the batch size) at the price of a bias; the value is neither a
    lower nor an upper bound.  ``clip = inf`` gives the batch DV of :func:`itlib.bounds.dv`.

    >>> s = torch.tensor([[2.0, 0.0], [0.0, 2.0]])
    >>> float(smile(s)), round(float(smile(s + 10.0)), 6)
    (2.0, 7.0)
    """
    s = _check_matrix(scores, "scores")
    # inf is a valid clip (no clipping: SMILE is then DV), so not check_positive
    if isinstance(clip, bool) or not isinstance(clip, numbers.Real):
        raise TypeError(f"clip must be a real number (got {type(clip).__name__})")
    if not clip > 0:
        raise ValueError(f"clip must be positive, in nats (got {clip!r})")
    off = _offdiag(s).clamp(-float(clip), float(clip))
    return torch.diagonal(s).mean() - (torch.logsumexp(off, dim=0) - math.log(off.numel()))


def club(log_q: torch.Tensor) -> torch.Tensor:
    """The CLUB upper-bound estimate of Cheng et al. (2020), in nats.

    Parameters
    ----------
    log_q : torch.Tensor, shape (N, N)
        ``log_q[i, j] = log q(y_j | x_i)`` for a conditional density model ``q``.

    Returns
    -------
    torch.Tensor
        ``mean_i log_q[i, i] - mean_{i != j} log_q[i, j]`` (off-diagonal pairs, like
        :mod:`itlib.bounds`; Cheng et al. average over all ``j``).  Both terms are plain
        means, so this is unbiased for ``E_p[log q] - E_{p(x)p(y)}[log q]``, which is an
        upper bound on ``I(X;Y)`` when ``q = p(y | x)`` (and, by Cheng et al.'s Theorem 3.2,
        whenever ``KL(p(x,y) || p(x) q(y|x)) <= KL(p(x) p(y) || p(x) q(y|x))``); for a
        poor ``q`` it can fall below ``I(X;Y)``.

    >>> float(club(torch.tensor([[0.0, -2.0], [-4.0, 0.0]])))
    3.0
    """
    s = _check_matrix(log_q, "log_q")
    return torch.diagonal(s).mean() - _offdiag(s).mean()


def club_gaussian(mi: float, dim: int) -> float:
    """CLUB with the exact conditional for ``d`` correlated Gaussian pairs, in nats.

    For ``x ~ N(0, I_d)`` and ``y = rho x + sqrt(1 - rho^2) eps`` with ``I(X;Y) = mi`` nats,
    ``E_p[log p(y|x)] - E_{p(x)p(y)}[log p(y|x)] = d rho^2 / (1 - rho^2) = d (exp(2 mi / d) - 1)``.

    >>> round(club_gaussian(2.0, 10), 4)
    4.9182
    """
    mi = check_positive(mi, "mi (nats)", allow_zero=True)
    dim = check_int(dim, "dim")
    return dim * math.expm1(2.0 * mi / dim)


def cosine_infonce_cap(n: int, tau: float) -> float:
    """The largest InfoNCE (nats) on ``n`` pairs when every score lies in ``[-1/tau, 1/tau]``.

    Each row's log-softmax of its positive is at most
    ``-log(1 + (n - 1) exp(-2 / tau))`` (positive at ``1/tau``, all negatives at
    ``-1/tau``), so ``I_NCE <= log n - log(1 + (n - 1) exp(-2 / tau))``.  Cosine scores
    ``z . z' / tau`` of unit vectors obey it; at ``tau = 1`` and ``n = 256`` the cap is
    about 1.97 nats.

    >>> round(cosine_infonce_cap(256, 1.0), 4)
    1.9753
    """
    n = check_int(n, "n", minimum=2)
    tau = check_positive(tau, "tau")
    return math.log(n) - math.log1p((n - 1) * math.exp(-2.0 / tau))


def ewm_mean(values, span: float = 200.0) -> np.ndarray:
    """Exponentially weighted moving average, as ``pandas.Series(values).ewm(span).mean()``.

    With ``alpha = 2 / (span + 1)``, entry ``t`` is
    ``sum_k (1 - alpha)^k v[t - k] / sum_k (1 - alpha)^k`` over ``k = 0 .. t``
    (pandas' ``adjust=True``), so the first entries are not pulled toward zero.

    >>> ewm_mean([1.0, 3.0], span=3).tolist()
    [1.0, 2.3333333333333335]
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"values must be a non-empty 1-D sequence (got shape {v.shape})")
    span = check_real(span, "span", low=1.0)
    keep = 1.0 - 2.0 / (span + 1.0)
    out = np.empty_like(v)
    num = den = 0.0
    for t, x in enumerate(v):
        num = x + keep * num
        den = 1.0 + keep * den
        out[t] = num / den
    return out


class GaussianConditional(nn.Module):
    """``q(y | x) = N(mu(x), diag exp(s(x)))``: two MLPs, the variational model of CLUB.

    ``model.log_prob_matrix(x, y)`` returns ``log_q[i, j] = log q(y_j | x_i)`` in nats
    (shape ``N x N``, for :func:`club`); ``model.log_prob(x, y)`` the ``N`` values
    ``log q(y_i | x_i)``, whose mean is the log-likelihood that trains it.
    """

    def __init__(self, x_dim: int, y_dim: int, hidden: int = 64):
        super().__init__()
        self.mu = mlp([int(x_dim), int(hidden), int(y_dim)])
        self.log_var = mlp([int(x_dim), int(hidden), int(y_dim)])

    def _moments(self, x):
        return self.mu(x), self.log_var(x)

    def log_prob(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        mu, lv = self._moments(x)
        return torch.sum(-0.5 * (math.log(2 * math.pi) + lv + (y - mu) ** 2 / lv.exp()), dim=-1)

    def log_prob_matrix(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        mu, lv = self._moments(x)
        diff = y[None, :, :] - mu[:, None, :]
        return torch.sum(-0.5 * (math.log(2 * math.pi) + lv[:, None, :]
                                 + diff ** 2 / lv.exp()[:, None, :]), dim=-1)


# ---------------------------------------------------------------------- private helpers


def _offdiag(s: torch.Tensor) -> torch.Tensor:
    n = s.shape[0]
    return s[~torch.eye(n, dtype=torch.bool, device=s.device)]


def _check_matrix(scores, name: str) -> torch.Tensor:
    """Validate a square 2-D floating tensor of finite values, ``N >= 2``."""
    if not isinstance(scores, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor (got {type(scores).__name__})")
    if not scores.is_floating_point():
        raise TypeError(f"{name} must have a floating dtype (got {scores.dtype})")
    shape = tuple(scores.shape)
    if scores.ndim != 2 or shape[0] != shape[1]:
        raise ValueError(f"{name} must be a square 2-D matrix (got shape {shape})")
    if shape[0] < 2:
        raise ValueError(f"{name} must hold a batch of at least 2 pairs (got shape {shape})")
    if not bool(torch.isfinite(scores).all()):
        raise ValueError(f"{name} must be finite")
    return scores
