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
ib
    The information bottleneck: the iterative IB solver, IB curves, the exact curve of
    the doubly symmetric binary source, binned information-plane estimates.
checks
    Self-checks for exercises: a clear pass/fail line instead of a bare traceback.
quiz
    Self-checking quiz cells that work in Jupyter, Colab and on the static website.
sliders
    One call from a plotting function to a live slider (Jupyter) and a static one (website).

The discrete quantities are importable from the package itself::

    >>> import itlib as it
    >>> it.entropy([0.5, 0.5])
    1.0
"""

from .discrete import (
    binary_entropy,
    conditional_entropy,
    cross_entropy,
    entropy,
    joint_entropy,
    js_divergence,
    kl_divergence,
    mutual_information,
)
from . import checks, coding, gaussian, quiz, sliders
from . import ib
from .sliders import slider

__version__ = "0.1.0"

__all__ = [
    "entropy",
    "binary_entropy",
    "joint_entropy",
    "conditional_entropy",
    "mutual_information",
    "kl_divergence",
    "cross_entropy",
    "js_divergence",
    "slider",
    "coding",
    "gaussian",
    "ib",
    "quiz",
    "sliders",
    "checks",
]
