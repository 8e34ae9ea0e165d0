"""Critics and a contrastive encoder for chapter 6 (PyTorch, values in nats).

- :func:`rho_for_mi`, :func:`correlated_gaussian` and :func:`gaussian_log_ratio`: pairs
  ``(x, y)`` in ``R^d`` whose coordinates are standard bivariate normals with correlation
  ``rho``, chosen so that ``I(X;Y)`` takes a given value, and the exact log density ratio
  ``log p(x, y) / (p(x) p(y))``, the optimal critic of the bounds in :mod:`itlib.bounds`.
- :class:`SeparableCritic`: ``f(x, y) = g(x) . h(y)``, two MLPs whose embeddings give the
  whole ``N x N`` score matrix with one matrix product.
- :func:`augment`, :class:`ContrastiveEncoder` and :func:`clip_loss`: SimCLR/CLIP-style
  contrastive learning on the 8 x 8 digits: two random views of each image, embeddings on
  the unit sphere, and the symmetric InfoNCE loss at temperature ``tau``.

Random draws are made on the device of the data (:func:`augment`) or on ``device``
(:func:`correlated_gaussian`); a generator passed in must live there too.  Like
:mod:`itlib.nn`, this module needs PyTorch; ``import itlib`` alone does not import it.
"""

from __future__ import annotations

import math

try:
    import torch
    from torch import nn
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "itlib.contrastive needs PyTorch: pip install 'itlib[torch]' (or pip install torch)"
    ) from exc

from ._validation import check_int, check_positive, check_real
from .bounds import infonce
from .nn import mlp

__all__ = [
    "rho_for_mi",
    "correlated_gaussian",
    "gaussian_log_ratio",
    "SeparableCritic",
    "augment",
    "ContrastiveEncoder",
    "clip_loss",
]


def rho_for_mi(mi: float, dim: int) -> float:
    """The per-coordinate correlation ``rho = sqrt(1 - exp(-2 I / d))`` giving ``I`` nats in all.

    ``d`` independent coordinate pairs, each a bivariate normal with correlation ``rho``,
    carry ``I = -(d/2) log(1 - rho^2)`` nats; this inverts that formula.

    >>> round(rho_for_mi(2.0, 20), 4)
    0.4258
    >>> rho_for_mi(0.0, 5)
    0.0
    """
    mi = _check_real(mi, "mi")
    if mi < 0:
        raise ValueError(f"mi must be non-negative, in nats (got {mi!r})")
    dim = _check_positive_int(dim, "dim")
    return math.sqrt(-math.expm1(-2.0 * mi / dim))


def correlated_gaussian(n: int, dim: int, mi: float, *,
                        generator: torch.Generator | None = None,
                        dtype: torch.dtype | None = None,
                        device=None) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` draws of ``(x, y)``, each in ``R^dim``, with ``I(X;Y) = mi`` nats.

    ``x ~ N(0, I)`` and ``y = rho x + sqrt(1 - rho^2) eps`` with ``eps ~ N(0, I)`` and
    ``rho = rho_for_mi(mi, dim)``: every coordinate pair is a standard bivariate normal
    with correlation ``rho``, and the pairs are independent.

    ``dtype`` defaults to PyTorch's default floating dtype (``torch.get_default_dtype()``);
    ``device`` to the generator's device (the CPU without a generator).

    Returns
    -------
    x, y : torch.Tensor, each of shape (n, dim)
    """
    n = _check_positive_int(n, "n")
    dtype = torch.get_default_dtype() if dtype is None else dtype
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"dtype must be a floating torch.dtype (got {dtype!r})")
    rho = rho_for_mi(mi, dim)
    if device is None:
        device = generator.device if generator is not None else torch.device("cpu")
    x = torch.randn(n, dim, generator=generator, dtype=dtype, device=device)
    eps = torch.randn(n, dim, generator=generator, dtype=dtype, device=device)
    return x, rho * x + math.sqrt(1.0 - rho**2) * eps


def gaussian_log_ratio(x: torch.Tensor, y: torch.Tensor, rho: float) -> torch.Tensor:
    """The optimal critic ``log p(x, y) / (p(x) p(y))`` of :func:`correlated_gaussian`, in nats.

    For one coordinate pair it is
    ``-0.5 log(1 - rho^2) - (rho^2 x^2 - 2 rho x y + rho^2 y^2) / (2 (1 - rho^2))``;
    the coordinates add.  ``x`` and ``y`` broadcast against each other over the leading
    dimensions (the last one is ``dim``), so ``gaussian_log_ratio(x[:, None], y[None], rho)``
    is the full score matrix ``scores[i, j]``.

    At the origin only the constant term remains, ``-0.5 log(1 - 0.6^2) = 0.2231`` nats:

    >>> x = torch.zeros(1, 1, dtype=torch.float64)
    >>> round(float(gaussian_log_ratio(x, x, 0.6)), 4), round(-0.5 * math.log(1 - 0.36), 4)
    (0.2231, 0.2231)
    """
    rho = _check_real(rho, "rho")
    if not -1.0 < rho < 1.0:
        raise ValueError(f"rho must lie strictly between -1 and 1 (got {rho!r})")
    r2 = rho * rho
    quad = (r2 * x * x - 2.0 * rho * x * y + r2 * y * y) / (2.0 * (1.0 - r2))
    return torch.sum(-0.5 * math.log1p(-r2) - quad, dim=-1)


class SeparableCritic(nn.Module):
    """``f(x, y) = g(x) . h(y)``: two MLPs and a dot product (Poole et al.'s separable critic).

    ``critic(x, y)`` returns the ``N x N`` matrix ``scores[i, j] = g(x_i) . h(y_j)``.

    Parameters
    ----------
    x_dim, y_dim : int
        Input widths.
    hidden : int, default 128
        Width of the hidden layers of both MLPs.
    embed : int, default 32
        Width of the embeddings ``g(x)`` and ``h(y)``.
    layers : int, default 2
        Hidden layers per MLP.
    """

    def __init__(self, x_dim: int, y_dim: int, hidden: int = 128, embed: int = 32,
                 layers: int = 2):
        super().__init__()
        self.g = mlp([int(x_dim)] + [int(hidden)] * int(layers) + [int(embed)])
        self.h = mlp([int(y_dim)] + [int(hidden)] * int(layers) + [int(embed)])

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.g(x) @ self.h(y).T


def augment(x: torch.Tensor, *, max_shift: int = 1, noise: float = 0.1,
            drop: float = 0.1, side: int = 8,
            generator: torch.Generator | None = None) -> torch.Tensor:
    """A random view of each image in ``x`` (rows of ``side * side`` pixels in [0, 1]).

    Three torch operations, drawn independently per image:

    1. a shift by up to ``max_shift`` pixels in each direction (zeros enter at the edge);
    2. pixel dropout: each pixel is set to 0 with probability ``drop``;
    3. Gaussian noise of standard deviation ``noise``, then clipping to [0, 1].

    Returns a tensor of the same shape as ``x``.
    """
    if not isinstance(x, torch.Tensor) or x.ndim != 2 or x.shape[1] != side * side:
        shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
        raise ValueError(f"x must be a (batch, {side * side}) tensor of images (got {shape})")
    n = x.shape[0]
    k = check_int(max_shift, "max_shift", minimum=0)
    drop = check_real(drop, "drop", low=0.0, high=1.0)
    noise = check_positive(noise, "noise", allow_zero=True)
    dev = x.device                                  # every draw and index made there
    img = x.reshape(n, 1, side, side)
    if k > 0:
        padded = nn.functional.pad(img, (k, k, k, k))
        dx = torch.randint(0, 2 * k + 1, (n,), generator=generator, device=dev)
        dy = torch.randint(0, 2 * k + 1, (n,), generator=generator, device=dev)
        rows = (dy[:, None] + torch.arange(side, device=dev)[None, :])   # (n, side)
        cols = (dx[:, None] + torch.arange(side, device=dev)[None, :])
        idx = torch.arange(n, device=dev)[:, None, None]
        img = padded[idx, 0, rows[:, :, None], cols[:, None, :]].unsqueeze(1)
    out = img.reshape(n, side * side)
    if drop > 0:
        keep = torch.rand(out.shape, generator=generator, device=dev) >= drop
        out = out * keep
    if noise > 0:
        out = out + noise * torch.randn(out.shape, generator=generator, dtype=out.dtype,
                                        device=dev)
    return out.clamp(0.0, 1.0)


class ContrastiveEncoder(nn.Module):
    """An MLP encoder with a projection head, as in SimCLR.

    ``encode(x)`` gives the representation (the last hidden layer, width ``rep``) used by
    a linear probe; ``forward(x)`` maps it through the projection head to an embedding of
    width ``proj`` on the unit sphere, the input of :func:`clip_loss`.
    """

    def __init__(self, in_dim: int = 64, hidden: int = 256, rep: int = 64, proj: int = 32):
        super().__init__()
        self.encoder = mlp([int(in_dim), int(hidden), int(rep)])
        self.head = mlp([int(rep), int(hidden), int(proj)])

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.normalize(self.head(torch.relu(self.encoder(x))), dim=-1)


def clip_loss(z1: torch.Tensor, z2: torch.Tensor, temperature: float) -> torch.Tensor:
    """The symmetric InfoNCE loss of CLIP, in nats: ``log N - (I_NCE(S) + I_NCE(S^T)) / 2``.

    ``S = z1 @ z2.T / temperature``; row ``i`` of ``z1`` and row ``i`` of ``z2`` are two
    views of the same example (the positives).  The embeddings are used as given (pass
    unit vectors, as :class:`ContrastiveEncoder` makes).  Minimising the loss maximises
    the InfoNCE bound of :func:`itlib.bounds.infonce` in both directions, so the loss is
    never below 0 and ``log N - loss`` is an InfoNCE estimate in nats.
    """
    t = _check_real(temperature, "temperature")
    if not t > 0:
        raise ValueError(f"temperature must be positive (got {temperature!r})")
    if z1.ndim != 2 or z1.shape != z2.shape:
        raise ValueError(f"z1 and z2 must be (N, k) matrices of the same shape "
                         f"(got {tuple(z1.shape)} and {tuple(z2.shape)})")
    s = z1 @ z2.T / t
    n = s.shape[0]
    return math.log(n) - 0.5 * (infonce(s) + infonce(s.T))


def _check_real(value, name: str) -> float:
    return check_real(value, name)


def _check_positive_int(value, name: str) -> int:
    return check_int(value, name)
