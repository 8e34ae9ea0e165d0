"""Variational lower bounds on mutual information from a matrix of critic scores (PyTorch).

Conventions
-----------
All three functions take one batch of ``N`` pairs ``(x_i, y_i)`` drawn from the joint
distribution ``p(x, y)`` and a critic ``f``, summarised by the ``N x N`` score matrix

    ``scores[i, j] = f(x_i, y_j)``.

The **diagonal** holds the positives (pairs drawn together, from ``p(x, y)``); an
off-diagonal entry pairs ``x_i`` with the ``y_j`` of another draw, a sample from
``p(x) p(y)``.  Every value is in **nats** (natural logarithms, like PyTorch's losses);
divide by ``ln 2`` for bits.  Each function returns a scalar tensor that is
differentiable in ``scores``: maximise it (minimise its negative) to train the critic.

- :func:`infonce` (van den Oord et al. 2018; Poole et al. 2019, eq. 12):
  ``mean_i [ scores[i, i] - logsumexp_j scores[i, j] ] + log N``.  It never exceeds
  ``log N``: each term ``scores[i, i] - logsumexp_j scores[i, j]`` is the log of a
  softmax probability, so it is at most 0.
- :func:`nwj` (Nguyen, Wainwright and Jordan 2010; the f-GAN KL bound):
  ``mean_i scores[i, i] - exp(-1) * mean_{i != j} exp(scores[i, j])``.  With the critic
  ``1 + log p(x, y) / (p(x) p(y))`` its expectation equals the mutual information.
- :func:`dv` (Donsker-Varadhan, the objective of MINE, Belghazi et al. 2018):
  ``mean_i scores[i, i] - log mean_{i != j} exp(scores[i, j])``.  Tighter than NWJ for
  the same critic (``log m <= m / e``), but a batch estimate of it is biased.

The off-diagonal means use the ``N (N - 1)`` pairs ``i != j``, as Poole et al.'s
reference code does, so ``N`` must be at least 2.

References
----------
Poole, Ozair, van den Oord, Alemi and Tucker (2019), "On variational bounds of mutual
information", ICML.
"""

from __future__ import annotations

import math

try:
    import torch
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "itlib.bounds needs PyTorch: pip install 'itlib[torch]' (or pip install torch)"
    ) from exc

__all__ = ["infonce", "nwj", "dv"]


def infonce(scores: torch.Tensor) -> torch.Tensor:
    """The InfoNCE lower bound on I(X;Y), in nats: ``mean_i log softmax_j(scores[i])_i + log N``.

    Parameters
    ----------
    scores : torch.Tensor, shape (N, N)
        ``scores[i, j] = f(x_i, y_j)``, positives on the diagonal, ``N >= 2``.

    Returns
    -------
    torch.Tensor
        A scalar in nats, at most ``log N`` for every critic.

    Notes
    -----
    The mean over ``i`` of ``scores[i, i] - logsumexp_j scores[i, j]`` is minus the
    cross-entropy of classifying the positive among the ``N`` candidates of row ``i``
    (``torch.nn.functional.cross_entropy(scores, arange(N))``); adding ``log N`` turns
    that classification loss into a bound on mutual information.

    Examples
    --------
    A critic that cannot tell pairs apart (all scores equal) gets 0 nats; one that picks
    the positive with certainty gets the ceiling ``log N``:

    >>> float(infonce(torch.zeros(4, 4)))
    0.0
    >>> round(float(infonce(100.0 * torch.eye(4))), 6), round(math.log(4), 6)
    (1.386294, 1.386294)
    """
    s = _check_scores(scores, "scores")
    n = s.shape[0]
    return torch.mean(torch.diagonal(s) - torch.logsumexp(s, dim=1)) + math.log(n)


def nwj(scores: torch.Tensor) -> torch.Tensor:
    """The NWJ lower bound on I(X;Y), in nats: ``E_p[f] - e^{-1} E_{p(x)p(y)}[e^f]``.

    Parameters
    ----------
    scores : torch.Tensor, shape (N, N)
        ``scores[i, j] = f(x_i, y_j)``, positives on the diagonal, ``N >= 2``.

    Returns
    -------
    torch.Tensor
        A scalar in nats: ``mean_i scores[i, i] - exp(-1) * mean_{i != j} exp(scores[i, j])``.

    Notes
    -----
    Unbiased for its expectation (both terms are plain means), which is a lower bound on
    ``I(X;Y)`` for every critic and equals it for ``f = 1 + log p(x,y)/(p(x)p(y))``.  Its
    variance grows like ``exp(I)``: the second term averages exponentials of the critic.

    Examples
    --------
    >>> float(nwj(torch.ones(3, 3)))   # f = 1 everywhere: 1 - e^{-1} e^1 = 0
    0.0
    """
    s = _check_scores(scores, "scores")
    return torch.mean(torch.diagonal(s)) - math.exp(-1.0) * torch.exp(_logmeanexp_offdiag(s))


def dv(scores: torch.Tensor) -> torch.Tensor:
    """The Donsker-Varadhan bound (MINE), in nats: ``E_p[f] - log E_{p(x)p(y)}[e^f]``.

    Parameters
    ----------
    scores : torch.Tensor, shape (N, N)
        ``scores[i, j] = f(x_i, y_j)``, positives on the diagonal, ``N >= 2``.

    Returns
    -------
    torch.Tensor
        A scalar in nats: ``mean_i scores[i, i] - log mean_{i != j} exp(scores[i, j])``.

    Notes
    -----
    In expectation over the true distributions this is a lower bound on ``I(X;Y)`` for
    every critic, equal to it for ``f = log p(x,y)/(p(x)p(y)) + c`` (any constant ``c``:
    DV is unchanged when a constant is added to the critic).  On a batch, the log of a
    sample mean is biased (Jensen), so the batch value is not a guaranteed bound; MINE
    corrects the gradient's bias with a moving average of the denominator.

    Examples
    --------
    >>> s = torch.tensor([[2.0, 0.0], [0.0, 2.0]])
    >>> float(dv(s)), float(dv(s + 5.0))
    (2.0, 2.0)
    """
    s = _check_scores(scores, "scores")
    return torch.mean(torch.diagonal(s)) - _logmeanexp_offdiag(s)


# ---------------------------------------------------------------------- private helpers


def _logmeanexp_offdiag(s: torch.Tensor) -> torch.Tensor:
    """``log mean_{i != j} exp(s[i, j])``, computed stably with logsumexp."""
    n = s.shape[0]
    mask = torch.eye(n, dtype=torch.bool, device=s.device)
    off = s.masked_fill(mask, -math.inf)
    return torch.logsumexp(off.reshape(-1), dim=0) - math.log(n * (n - 1))


def _check_scores(scores, name: str) -> torch.Tensor:
    """Validate a square 2-D floating tensor of finite critic scores, ``N >= 2``."""
    if not isinstance(scores, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of critic scores "
                        f"(got {type(scores).__name__})")
    if not scores.is_floating_point():
        raise TypeError(f"{name} must have a floating dtype (got {scores.dtype})")
    shape = tuple(scores.shape)
    if scores.ndim != 2 or shape[0] != shape[1]:
        raise ValueError(f"{name} must be a square 2-D matrix scores[i, j] = f(x_i, y_j) "
                         f"(got shape {shape})")
    if shape[0] < 2:
        raise ValueError(f"{name} must hold a batch of at least 2 pairs (got shape {shape})")
    finite = torch.isfinite(scores)
    if not bool(finite.all()):
        bad = scores[~finite].reshape(-1)[0].item()
        raise ValueError(f"{name} must be finite (got {bad})")
    return scores
