"""itlib: the tested helper package behind *Information Theory for Machine Learning*.

Units: every function takes ``base`` (2 = bits, the default; ``math.e`` = nats).

Modules
-------
discrete
    Entropy, divergences and mutual information of discrete distributions (numpy).
coding
    Huffman codes and code lengths.
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
from . import coding, quiz, sliders
from . import gaussian
from . import checks
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
    "quiz",
    "sliders",
    "checks",
]
