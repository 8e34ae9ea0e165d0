"""Data sets for the chapters, all local: nothing is ever downloaded.

The scikit-learn digits ship inside scikit-learn (1,797 images of 8 x 8 pixels, 17
intensity levels 0..16).  :func:`digits` splits them into training and test sets with a
fixed seed, stratified by class, so every chapter that trains on them sees the same split.

Pixels are scaled to [0, 1] by dividing by 16.  ``binarize=True`` maps a pixel to 1 when
its intensity is above 8 (half of the maximum) and to 0 otherwise, so that a Bernoulli
likelihood applies and ``-log p(x | z)`` is a code length in bits or nats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_int, check_probability

__all__ = ["DigitsSplit", "digits"]


@dataclass(frozen=True)
class DigitsSplit:
    """The digits split into training and test sets.

    Attributes
    ----------
    x_train, x_test : numpy.ndarray
        Images as float32 rows of 64 pixels in [0, 1] (or in {0, 1} when binarized),
        of shape ``(n, 64)``.
    y_train, y_test : numpy.ndarray
        Digit classes 0..9 (int64), of shape ``(n,)``.
    """

    x_train: np.ndarray
    x_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray

    def tensors(self, dtype=None):
        """The four arrays as PyTorch tensors ``(x_train, x_test, y_train, y_test)``.

        The images take ``dtype``, by default PyTorch's default floating dtype
        (``torch.get_default_dtype()``), so that they match a model built after
        ``torch.set_default_dtype(torch.float64)``, as chapters 4 to 6 do; the classes stay
        int64.
        """
        import torch

        dtype = torch.get_default_dtype() if dtype is None else dtype
        if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
            raise TypeError(f"dtype must be a floating torch.dtype (got {dtype!r})")
        return (torch.as_tensor(self.x_train, dtype=dtype), torch.as_tensor(self.x_test, dtype=dtype),
                torch.from_numpy(self.y_train), torch.from_numpy(self.y_test))


def digits(*, binarize: bool = False, test_size: float = 0.25, seed: int = 0) -> DigitsSplit:
    """The scikit-learn digits, split into training and test sets with a fixed seed.

    Parameters
    ----------
    binarize : bool, default False
        If True, pixels are 1 where the intensity exceeds 8 of 16, else 0.
    test_size : float, default 0.25
        Fraction of the images held out for testing, in (0, 1).
    seed : int, default 0
        Seed of the stratified split: the same seed gives the same split.

    Returns
    -------
    DigitsSplit

    Examples
    --------
    >>> d = digits()
    >>> d.x_train.shape, d.x_test.shape
    ((1347, 64), (450, 64))
    >>> float(d.x_train.max()), sorted(set(digits(binarize=True).x_test.ravel().tolist()))
    (1.0, [0.0, 1.0])
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if not isinstance(binarize, bool):
        raise TypeError(f"binarize must be True or False (got {binarize!r})")
    test_size = check_probability(test_size, "test_size", open_ends=True)
    seed = check_int(seed, "seed", minimum=0)

    data = load_digits()
    x = data.data.astype(np.float32)
    x = (x > 8).astype(np.float32) if binarize else x / np.float32(16)
    y = data.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_size, random_state=seed, stratify=y)
    return DigitsSplit(x_train, x_test, y_train, y_test)
