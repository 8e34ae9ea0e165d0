"""itlib: the tested helper package behind *Information Theory for Machine Learning*.

Units: every information quantity takes ``base`` (2 = bits, the default; ``math.e`` = nats).

Modules
-------
Conventions shared by all: information is in bits by default (``base=2``) in the numpy
modules; the PyTorch modules work in nats (PyTorch's unit) and say so.  Bad input raises
``TypeError`` (wrong type) or ``ValueError`` (wrong value), naming the argument.

discrete
    Entropy, divergences and mutual information of discrete distributions (numpy).
gaussian
    Closed forms for Gaussians: entropy, KL divergence, mutual information, log-density.
coding
    Huffman codes and code lengths.
estimators
    Entropy and mutual information from samples: plug-in, Miller-Madow, binning, KSG.
channels
    Channel capacity by the Blahut-Arimoto algorithm.
ib
    The information bottleneck: the iterative IB solver, IB curves, the exact curve of
    the doubly symmetric binary source, binned information-plane estimates.
ib_theory
    Exact results about the IB: maximal correlation, the hypercontractivity constant and
    the first critical beta, closed forms.
linear_gaussian
    A linear-Gaussian latent-variable model: evidence, posterior and ELBO in closed form.
em
    EM for a one-dimensional Gaussian mixture, as coordinate ascent on the ELBO.
aggregate_posterior
    A VAE's rate split into I(X;Z) and the aggregate posterior's KL from the prior (numpy).
checks
    Self-checks for exercises: a clear pass/fail line instead of a bare traceback.
quiz
    Self-checking quiz cells that work in Jupyter, Colab and on the static website.
sliders
    One call from a plotting function to a live slider (Jupyter) and a static one (website).
data
    Local data sets (the scikit-learn digits, split with a fixed seed); never a download.
    Its ``tensors()`` method imports PyTorch when called; the module itself does not.

These need PyTorch (``pip install "itlib[torch]"``), so ``import itlib`` does not import
them: use ``import itlib.nn`` and so on.

nn
    PyTorch pieces shared by the chapters that train models: seeding, an MLP, a Gaussian
    encoder, its KL term and log-density, a training loop.
vae
    A variational autoencoder with a Bernoulli decoder, its ELBO terms and the IWAE bound.
bounds
    Variational lower bounds on mutual information from critic scores: InfoNCE, NWJ, DV.
mi_bounds
    More score-matrix estimators for chapter 6: the JS objective, SMILE, CLUB.
contrastive
    Critics and a contrastive encoder for chapter 6: correlated Gaussians, separable
    critics, augmentations, the CLIP loss.

The discrete quantities are importable from the package itself::

    >>> import itlib as it
    >>> it.entropy([0.5, 0.5])
    1.0
"""

from . import channels, checks, coding, discrete, estimators, gaussian, ib, quiz, sliders
from .channels import blahut_arimoto
from .discrete import *  # noqa: F403  (the names of discrete.__all__)
from .sliders import slider

__version__ = "0.1.0"

__all__ = [*discrete.__all__, "slider", "blahut_arimoto",
           "channels", "checks", "coding", "discrete", "estimators", "gaussian", "ib",
           "quiz", "sliders"]
