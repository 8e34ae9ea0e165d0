"""Small PyTorch pieces shared by the chapters that train models (4, 5 and 6).

Conventions: losses and information terms are in **nats** (natural logarithms), as
PyTorch's losses are; divide by ``ln 2`` for bits.  Batches are the first dimension.
Random draws are made on the device of the tensors they go with (a model on a GPU gets
its noise on the GPU).  Bad arguments raise ``TypeError`` (wrong type) or ``ValueError``
(wrong value), as everywhere in itlib.

- :func:`seed_everything` and :func:`device`: reproducible runs on the CPU, a GPU when
  one is present.
- :func:`mlp`: a fully connected network from a list of layer sizes.
- :class:`GaussianEncoder`, :func:`reparameterize` and :func:`kl_to_standard_normal`:
  the stochastic encoder ``q(z|x) = N(mu(x), diag(sigma(x)^2))`` of a VAE (chapter 4) and a
  variational information bottleneck (chapter 5), with its KL term in closed form.
- :func:`gaussian_log_density`: ``log N(z; mu, diag(exp(logvar)))``, the one PyTorch
  Gaussian log-density of itlib (:mod:`itlib.vae` uses it; the numpy one is
  :func:`itlib.gaussian.log_density`).
- :func:`train`: a plain training loop (epochs of shuffled mini-batches, Adam, a log per
  epoch).  In a live notebook it shows one progress line that it removes when done; it
  prints nothing when ``ITLIB_PROGRESS=0`` (the book's build and test commands set this)
  or outside IPython.

This module needs PyTorch (``pip install itlib[torch]``); ``import itlib`` alone does not
import it.
"""

from __future__ import annotations

import math
import os
import random
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

try:
    import torch
    from torch import nn
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "itlib.nn needs PyTorch: pip install 'itlib[torch]' (or pip install torch)"
    ) from exc

from ._validation import check_int, check_positive

__all__ = [
    "seed_everything",
    "device",
    "mlp",
    "GaussianEncoder",
    "reparameterize",
    "kl_to_standard_normal",
    "gaussian_log_density",
    "History",
    "train",
]


def seed_everything(seed: int) -> None:
    """Seed Python's, numpy's and PyTorch's global generators with ``seed``.

    With the same seed, the same code gives the same numbers on the same CPU (the book's
    outputs are compared run to run).
    """
    seed = check_int(seed, "seed", minimum=0)
    random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)
    torch.manual_seed(int(seed))


def device() -> torch.device:
    """The device to train on: the first CUDA GPU when one is available, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def mlp(sizes: Sequence[int], activation: Callable[[], nn.Module] = nn.ReLU,
        out_activation: Callable[[], nn.Module] | None = None) -> nn.Sequential:
    """A fully connected network with layer widths ``sizes``.

    ``mlp([64, 32, 2])`` is Linear(64, 32), ReLU, Linear(32, 2).  ``activation`` follows
    every hidden layer; ``out_activation`` (default none) follows the last.

    >>> mlp([4, 3, 2])
    Sequential(
      (0): Linear(in_features=4, out_features=3, bias=True)
      (1): ReLU()
      (2): Linear(in_features=3, out_features=2, bias=True)
    )
    """
    sizes = [check_int(s, f"sizes[{i}]") for i, s in enumerate(list(sizes))]
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least two positive integers (got {sizes})")
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(activation())
        elif out_activation is not None:
            layers.append(out_activation())
    return nn.Sequential(*layers)


class GaussianEncoder(nn.Module):
    """``q(z|x) = N(mu(x), diag(exp(logvar(x))))``: an MLP with two heads.

    ``forward(x)`` returns ``(mu, logvar)``, each of shape ``(batch, z_dim)``.

    Parameters
    ----------
    sizes : sequence of int
        Input width, then the hidden widths, e.g. ``[64, 128]``.
    z_dim : int
        Dimension of the latent code ``z``.
    activation : callable, default torch.nn.ReLU
        Activation after each hidden layer.
    """

    def __init__(self, sizes: Sequence[int], z_dim: int,
                 activation: Callable[[], nn.Module] = nn.ReLU):
        super().__init__()
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes must give the input width and at least one hidden width "
                             f"(got {sizes})")
        z_dim = check_int(z_dim, "z_dim")
        self.body = mlp(sizes, activation, out_activation=activation)
        self.head = nn.Linear(sizes[-1], 2 * z_dim)
        self.z_dim = z_dim

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mu, logvar = self.head(self.body(x)).chunk(2, dim=-1)
        return mu, logvar


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, n_samples: int | None = None,
                   generator: torch.Generator | None = None) -> torch.Tensor:
    """A sample ``z = mu + sigma * eps`` with ``eps ~ N(0, I)``, differentiable in mu, logvar.

    With ``n_samples = K`` the result has a leading dimension K (K samples per row).
    """
    shape = mu.shape if n_samples is None else (int(n_samples), *mu.shape)
    eps = torch.randn(shape, generator=generator, dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * logvar) * eps


def kl_to_standard_normal(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """``D_KL(N(mu, diag(exp(logvar))) || N(0, I))`` in nats, one value per row.

    The closed form, summed over the latent dimensions (last axis):
    ``0.5 * sum(mu^2 + sigma^2 - 1 - log sigma^2)``.

    >>> kl_to_standard_normal(torch.zeros(1, 3), torch.zeros(1, 3))
    tensor([0.])
    """
    if mu.shape != logvar.shape:
        raise ValueError(f"mu and logvar must have the same shape (got {tuple(mu.shape)} and "
                         f"{tuple(logvar.shape)})")
    return 0.5 * torch.sum(mu.pow(2) + logvar.exp() - 1.0 - logvar, dim=-1)


def gaussian_log_density(z: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """``log N(z; mu, diag(exp(logvar)))`` in nats, summed over the last axis.

    >>> round(float(gaussian_log_density(torch.zeros(1), torch.zeros(1), torch.zeros(1))), 6)
    -0.918939
    """
    return -0.5 * torch.sum(logvar + (z - mu).pow(2) / logvar.exp() + math.log(2 * math.pi),
                            dim=-1)


@dataclass
class History:
    """What :func:`train` logged: one dict of epoch means per epoch (losses in nats)."""

    epochs: list[dict[str, float]] = field(default_factory=list)

    def __getitem__(self, key: str) -> np.ndarray:
        """The logged value ``key`` over epochs, e.g. ``history["loss"]``."""
        if not self.epochs or key not in self.epochs[0]:
            known = sorted(self.epochs[0]) if self.epochs else []
            raise KeyError(f"{key!r} was not logged (logged: {known})")
        return np.array([e[key] for e in self.epochs])

    @property
    def last(self) -> dict[str, float]:
        """The last epoch's means."""
        return dict(self.epochs[-1]) if self.epochs else {}


def _show_progress(progress: bool | None) -> bool:
    if progress is not None:
        return bool(progress)
    if os.environ.get("ITLIB_PROGRESS", "1") == "0":
        return False
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    return get_ipython() is not None and "IPKernelApp" in get_ipython().config


def train(model: nn.Module, loss_fn: Callable, data: Sequence[torch.Tensor], *,
          epochs: int, lr: float = 1e-3, batch_size: int = 128, seed: int = 0,
          weight_decay: float = 0.0, progress: bool | None = None) -> History:
    """Train ``model`` with Adam on shuffled mini-batches of ``data``; return the log.

    Parameters
    ----------
    model : torch.nn.Module
        Trained in place (on the device its parameters are on).
    loss_fn : callable
        ``loss_fn(model, *batch)`` returns the mean loss of the batch (a scalar tensor, in
        nats), or ``(loss, terms)`` with ``terms`` a dict of scalars to log too.
    data : sequence of tensors
        Tensors with the same first dimension (for example ``(x,)`` or ``(x, y)``).
    epochs : int
        Passes over the data.
    lr, batch_size, weight_decay
        Adam's learning rate, the batch size, and Adam's weight decay.
    seed : int, default 0
        Seed of the shuffling (the model's initial weights are the caller's).
    progress : bool or None
        Show a progress line in a live notebook.  None (default): only in an IPython
        kernel, and not when the environment variable ``ITLIB_PROGRESS`` is ``0``.

    Returns
    -------
    History
        Per epoch, the means over batches (weighted by batch size) of ``loss`` and of
        every logged term.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module (got {type(model).__name__})")
    if isinstance(data, torch.Tensor):
        data = (data,)
    data = tuple(data)
    if not data or not all(isinstance(t, torch.Tensor) for t in data):
        raise TypeError("data must be a tensor or a sequence of tensors")
    n = data[0].shape[0]
    if n == 0 or any(t.shape[0] != n for t in data):
        raise ValueError(f"data tensors must be non-empty and share their first dimension "
                         f"(got {[tuple(t.shape) for t in data]})")
    epochs = check_int(epochs, "epochs")
    batch_size = check_int(batch_size, "batch_size")
    lr = check_positive(lr, "lr")
    weight_decay = check_positive(weight_decay, "weight_decay", allow_zero=True)
    seed = check_int(seed, "seed", minimum=0)
    params = list(model.parameters())
    if not params:
        raise ValueError(f"model has no parameters to train (got {type(model).__name__})")

    dev = params[0].device
    data = tuple(t.to(dev) for t in data)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    # The shuffling is drawn on the CPU whatever the device (the same order everywhere);
    # each batch's indices are then moved to the data's device.
    gen = torch.Generator().manual_seed(seed)
    history = History()
    handle = None
    if _show_progress(progress):
        from IPython.display import display

        handle = display("training ...", display_id=True)

    model.train()
    for epoch in range(epochs):
        sums: dict[str, float] = {}
        for idx in torch.randperm(n, generator=gen).split(batch_size):
            out = loss_fn(model, *(t[idx.to(dev)] for t in data))
            loss, terms = out if isinstance(out, tuple) else (out, {})
            if not torch.isfinite(loss):
                raise FloatingPointError(
                    f"the loss became {loss.item()} in epoch {epoch + 1}: lower lr "
                    f"(now {lr}) or check the model's outputs")
            opt.zero_grad()
            loss.backward()
            opt.step()
            w = len(idx)
            sums["loss"] = sums.get("loss", 0.0) + loss.item() * w
            for k, v in terms.items():
                sums[k] = sums.get(k, 0.0) + float(v) * w
        history.epochs.append({k: v / n for k, v in sums.items()})
        if handle is not None:
            handle.update(f"epoch {epoch + 1}/{epochs}: loss {history.epochs[-1]['loss']:.4f} nats")
    model.eval()
    if handle is not None:
        from IPython.display import HTML

        handle.update(HTML(""))
    return history
