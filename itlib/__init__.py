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

from . import checks, coding, discrete, gaussian, quiz, sliders
from .discrete import *  # noqa: F403  (the names of discrete.__all__)
from .sliders import slider

__version__ = "0.1.0"

__all__ = [*discrete.__all__, "slider",
           "checks", "coding", "discrete", "gaussian", "quiz", "sliders"]
