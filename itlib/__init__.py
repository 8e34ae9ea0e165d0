"""itlib: the tested helper package behind *Information Theory for Machine Learning*.

Units: every information quantity takes ``base`` (2 = bits, the default; ``math.e`` = nats).

Modules
-------
discrete
    Entropy, divergences and mutual information of discrete distributions (numpy).
gaussian
    Closed forms for Gaussians: entropy, KL divergence, mutual information.
coding
    Huffman codes and code lengths.
estimators
    Entropy and mutual information from samples: plug-in, Miller-Madow, binning, KSG.
channels
    Channel capacity by the Blahut-Arimoto algorithm.
ib
    The information bottleneck: the iterative IB solver, IB curves, the exact curve of
    the doubly symmetric binary source, binned information-plane estimates.
checks
    Self-checks for exercises: a clear pass/fail line instead of a bare traceback.
quiz
    Self-checking quiz cells that work in Jupyter, Colab and on the static website.
sliders
    One call from a plotting function to a live slider (Jupyter) and a static one (website).
data
    Local data sets (the scikit-learn digits, split with a fixed seed); never a download.
nn
    PyTorch pieces shared by the chapters that train models: seeding, an MLP, a Gaussian
    encoder and its KL term, a training loop.  Needs PyTorch, so ``import itlib`` does not
    import it: use ``import itlib.nn``.

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
