"""A variational autoencoder with a Bernoulli decoder, its ELBO terms and the IWAE bound.

Chapter 4 trains it on the binarized digits (:func:`itlib.data.digits` with
``binarize=True``).  With a Bernoulli decoder, ``-log p(x | z)`` is the length in nats of
a code for the 64 pixels of an image given ``z``, so every term below is a code length:

- :meth:`BernoulliVAE.elbo_terms`: per image, the *distortion*
  ``D = E_q[-log p(x | z)]`` (reconstruction term, Monte Carlo over ``z ~ q(z | x)``) and
  the *rate* ``R = D_KL(q(z | x) || N(0, I))`` (closed form).  ``-ELBO = D + R``.
- :func:`vae_loss`: the beta-VAE loss ``mean(D + beta R)`` for :func:`itlib.nn.train`.
- :meth:`BernoulliVAE.iwae_nll`: the importance-weighted estimate of ``-log p(x)`` with
  ``K`` samples (Burda et al. 2016); its expectation decreases toward ``-log p(x)`` as
  ``K`` grows, and at ``K = 1`` equals ``-ELBO``.
- :func:`marginal_code_length`: the naive code that ignores ``z``: every pixel coded with
  its own Bernoulli probability estimated on the training images.

Conventions: every tensor (losses, per-image terms, log-weights) is in **nats** per image,
PyTorch's unit; :func:`to_bits` converts.  The two functions that report plain numbers
for the reader, :func:`evaluate` and :func:`marginal_code_length`, take ``base`` like
the numpy side of itlib (2, bits, by default; ``math.e`` for nats).  Images are rows of
0/1 floats, batches the first dimension; random draws are made on the device of the
images.  Needs PyTorch.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ._validation import as_float_array, check_finite, check_int, check_ndim, check_nonempty, \
    check_positive, log_of_base
from .nn import GaussianEncoder, gaussian_log_density, kl_to_standard_normal, mlp, \
    reparameterize, seed_everything, train

__all__ = [
    "BernoulliVAE",
    "bernoulli_nll",
    "gaussian_log_density",
    "vae_loss",
    "train_vae",
    "evaluate",
    "to_bits",
    "marginal_code_length",
]

LN2 = math.log(2.0)


def to_bits(nats):
    """Convert nats to bits: divide by ``ln 2`` (works on floats, arrays and tensors).

    >>> round(to_bits(math.log(2)), 12)
    1.0
    """
    return nats / LN2


def bernoulli_nll(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """``-log p(x | logits)`` in nats for independent Bernoulli pixels, summed over the last axis.

    ``p(x_j = 1) = sigmoid(logits_j)``; computed stably from the logits.  ``x`` holds 0s and
    1s; ``logits`` may carry extra leading (sample) dimensions.

    >>> round(float(bernoulli_nll(torch.zeros(1, 3), torch.tensor([[1.0, 0.0, 1.0]]))) / math.log(2), 4)
    3.0
    """
    x = x.expand_as(logits)
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(-1)


class BernoulliVAE(nn.Module):
    """``q(z | x) = N(mu(x), diag(sigma(x)^2))``, ``p(z) = N(0, I)``, ``p(x | z)`` Bernoulli.

    The encoder is an :class:`itlib.nn.GaussianEncoder`; ``decode(z)`` returns the
    pixels' logits.

    Parameters
    ----------
    x_dim : int, default 64
        Number of binary pixels.
    hidden : sequence of int, default (128,)
        Hidden widths of the encoder; the decoder mirrors them.
    z_dim : int, default 2
        Latent dimension.

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> vae = BernoulliVAE(x_dim=6, hidden=(8,), z_dim=2)
    >>> x = torch.tensor([[1.0, 0, 0, 1, 1, 0]])
    >>> recon, kl = vae.elbo_terms(x, n_samples=4)
    >>> recon.shape, kl.shape
    (torch.Size([1]), torch.Size([1]))
    """

    def __init__(self, x_dim: int = 64, hidden: Sequence[int] = (128,), z_dim: int = 2):
        super().__init__()
        x_dim, z_dim = check_int(x_dim, "x_dim"), check_int(z_dim, "z_dim")
        hidden = list(hidden)
        self.encoder = GaussianEncoder([int(x_dim), *hidden], int(z_dim))
        self.decoder = mlp([int(z_dim), *hidden[::-1], int(x_dim)])
        self.x_dim, self.z_dim = int(x_dim), int(z_dim)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``(mu, logvar)`` of ``q(z | x)``."""
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Logits of ``p(x | z)``, one per pixel."""
        return self.decoder(z)

    def elbo_terms(self, x: torch.Tensor, n_samples: int = 1,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Per image, in nats: ``(distortion, rate)``.

        distortion = ``E_q[-log p(x | z)]``, the mean over ``n_samples`` draws
        ``z ~ q(z | x)`` (reparameterized, so differentiable);
        rate = ``D_KL(q(z | x) || N(0, I))`` in closed form.  ``-ELBO = distortion + rate``.
        """
        self._check_x(x)
        mu, logvar = self.encoder(x)
        z = reparameterize(mu, logvar, n_samples=_positive_int(n_samples, "n_samples"),
                           generator=generator)
        distortion = bernoulli_nll(self.decode(z), x).mean(0)
        return distortion, kl_to_standard_normal(mu, logvar)

    def log_weights(self, x: torch.Tensor, k: int,
                    generator: torch.Generator | None = None) -> torch.Tensor:
        """``log p(x, z_k) - log q(z_k | x)`` for ``K`` draws ``z_k ~ q(z | x)``: shape ``(K, batch)``.

        The K draws are decoded a few at a time (at most about 2**21 pixel logits at once),
        so that memory stays small for large K: 1,000 draws for 450 images of 64 pixels
        would otherwise hold several tensors of 29 million entries.
        """
        self._check_x(x)
        mu, logvar = self.encoder(x)
        z = reparameterize(mu, logvar, n_samples=_positive_int(k, "k"), generator=generator)
        per_draw = max(1, x.shape[0] * x.shape[1])
        log_px_z = torch.cat([-bernoulli_nll(self.decode(zc), x)
                              for zc in z.split(max(1, 2**21 // per_draw))])
        log_pz = gaussian_log_density(z, torch.zeros_like(z), torch.zeros_like(z))
        log_qz = gaussian_log_density(z, mu, logvar)
        return log_px_z + log_pz - log_qz

    def iwae_nll(self, x: torch.Tensor, k: int,
                 generator: torch.Generator | None = None) -> torch.Tensor:
        """Importance-weighted estimate of ``-log p(x)`` in nats, one per image.

        ``-log (1/K) sum_k p(x, z_k) / q(z_k | x)`` with ``z_k ~ q(z | x)``, computed with
        ``logsumexp``.  Its expectation is an upper bound on ``-log p(x)`` that decreases
        with ``K`` (Burda et al. 2016); for ``K = 1`` its expectation is ``-ELBO``.
        """
        log_w = self.log_weights(x, k, generator)
        return -(torch.logsumexp(log_w, dim=0) - math.log(log_w.shape[0]))

    def _check_x(self, x) -> None:
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"x must be a torch.Tensor (got {type(x).__name__})")
        if x.ndim != 2 or x.shape[1] != self.x_dim:
            raise ValueError(f"x must have shape (batch, {self.x_dim}) (got {tuple(x.shape)})")


def vae_loss(model: BernoulliVAE, x: torch.Tensor, beta: float = 1.0):
    """The beta-VAE loss ``mean(distortion + beta * rate)`` in nats, with both terms logged.

    ``beta = 1`` gives ``-ELBO``; ``beta = 0`` a plain (stochastic) autoencoder.  Use with
    :func:`itlib.nn.train` as ``functools.partial(vae_loss, beta=beta)``.
    ``beta`` must be a finite number ``>= 0``, as in :func:`train_vae`.
    """
    beta = check_positive(beta, "beta", allow_zero=True)
    distortion, rate = model.elbo_terms(x)
    d, r = distortion.mean(), rate.mean()
    return d + float(beta) * r, {"distortion": d.item(), "rate": r.item()}


def train_vae(x_train: torch.Tensor, *, beta: float = 1.0, z_dim: int = 2,
              hidden: Sequence[int] = (128,), epochs: int = 100, lr: float = 3e-3,
              batch_size: int = 128, seed: int = 0, progress: bool | None = None):
    """Build a :class:`BernoulliVAE` with seed ``seed`` and train it on ``x_train``.

    Returns ``(model, history)``; ``history`` is :func:`itlib.nn.train`'s log (nats).
    """
    beta = check_positive(beta, "beta", allow_zero=True)
    seed_everything(seed)
    model = BernoulliVAE(x_train.shape[1], hidden, z_dim)

    def loss_fn(m, x):
        return vae_loss(m, x, beta)

    history = train(model, loss_fn, (x_train,), epochs=epochs, lr=lr,
                    batch_size=batch_size, seed=seed, progress=progress)
    return model, history


@torch.no_grad()
def evaluate(model: BernoulliVAE, x: torch.Tensor, *, n_samples: int = 64,
             seed: int = 0, base=2) -> dict[str, float]:
    """Mean rate, distortion and ``-ELBO`` per image of ``x``, in bits (``base=2``).

    The distortion is averaged over ``n_samples`` draws of ``z`` per image, from a
    generator on ``x``'s device seeded with ``seed`` (the same call gives the same
    numbers).  ``base=math.e`` reports nats, the unit of the tensors of this module.
    """
    ln_b = log_of_base(base)
    seed = check_int(seed, "seed", minimum=0)
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor (got {type(x).__name__})")
    gen = torch.Generator(device=x.device).manual_seed(seed)
    distortion, rate = model.elbo_terms(x, n_samples=n_samples, generator=gen)
    d, r = distortion.mean().item() / ln_b, rate.mean().item() / ln_b
    return {"rate": r, "distortion": d, "neg_elbo": r + d}


def marginal_code_length(x_train, x_test, base=2) -> float:
    """Mean code length per image of ``x_test`` under independent per-pixel Bernoullis.

    Each pixel's probability of a 1 is estimated on ``x_train`` with add-one (Laplace)
    smoothing, ``(count + 1) / (n + 2)``, so a pixel never seen on is not impossible.
    The length of an image is ``sum_j -log p_j(x_j)``.  Bits by default.

    Two pixels on in the test image, with probabilities 2/4 and 3/4 from the training set:

    >>> round(marginal_code_length(np.array([[0, 1], [1, 1]]), np.array([[1, 1]])), 6)
    1.415037
    """
    ln_b = log_of_base(base)
    tr, te = _as_binary(x_train, "x_train"), _as_binary(x_test, "x_test")
    if tr.shape[1] != te.shape[1]:
        raise ValueError(f"x_train and x_test must have the same number of pixels "
                         f"(got {tr.shape[1]} and {te.shape[1]})")
    p_on = (tr.sum(0) + 1.0) / (tr.shape[0] + 2.0)
    nats = -(te * np.log(p_on) + (1 - te) * np.log1p(-p_on)).sum(1)
    return float(nats.mean() / ln_b)


def _as_binary(x, name: str) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    arr = as_float_array(x, name)
    check_ndim(arr, name, 2, "one image per row")
    check_nonempty(arr, name)
    check_finite(arr, name)
    bad = arr[(arr != 0) & (arr != 1)]
    if bad.size:
        raise ValueError(f"{name} must hold only 0s and 1s (got {bad.flat[0]:g})")
    return arr


def _positive_int(v, name: str) -> int:
    return check_int(v, name)
