"""Input checks shared by itlib's public functions.

Every public function validates its arguments once, at the boundary, with the helpers
below.  Messages name the argument and echo the offending value, for example
``p must sum to 1 (got 1.4); pass normalize=True to rescale it``.

One convention for every check: an argument of the wrong **type** (a string where a
number belongs, a float where an integer count belongs, a bool anywhere a number
belongs) raises ``TypeError``; a value of the right type outside its range (a count of 0,
a probability of 1.5, a NaN tolerance) raises ``ValueError``.  Scalar arguments go
through :func:`check_int`, :func:`check_real` and :func:`check_probability`.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__: list[str] = []  # private module

#: Largest accepted distance of a probability vector's sum from 1.
SUM_TOL = 1e-6


def as_float_array(x, name: str) -> np.ndarray:
    """Convert ``x`` to a float64 array, raising ``TypeError`` for non-numeric input.

    Lists, tuples, numpy arrays and scalars of any integer or floating dtype are
    accepted.  Booleans, complex numbers, strings, ``None``, objects and masked arrays
    (whose mask numpy would drop) are refused.  Ragged nested lists raise ``ValueError``.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be numeric (got {type(x).__name__} {x!r})")
    if np.ma.isMaskedArray(x):
        # numpy drops the mask in most operations: refuse rather than guess.
        masked = int(np.ma.count_masked(x))
        raise TypeError(
            f"{name} must not be a masked array (got {masked} masked "
            f"entr{'y' if masked == 1 else 'ies'} of {np.size(x)}); pass "
            f"{name}.compressed() to drop the masked entries, or {name}.filled(0)")
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested sequences
        raise ValueError(
            f"{name} must be a rectangular array of numbers (got a ragged sequence)"
        ) from exc
    if arr.dtype.kind not in "iuf":
        if arr.dtype.kind == "O" and arr.size and all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in arr.flat
        ):
            arr = arr.astype(float)
        else:
            raise TypeError(
                f"{name} must contain real numbers (got dtype {arr.dtype.name})"
            )
    return arr.astype(np.float64, copy=False)


def as_real_array(x, name: str) -> np.ndarray:
    """Like :func:`as_float_array`, but integer arrays keep their integer dtype.

    For labels: ``2**53`` and ``2**53 + 1`` are two symbols, which a cast to float64
    would merge.
    """
    if isinstance(x, np.ndarray) and x.dtype.kind in "iu" and not np.ma.isMaskedArray(x):
        return x
    if not isinstance(x, np.ndarray) and not np.ma.isMaskedArray(x) \
            and not isinstance(x, (str, bytes)) and x is not None:
        try:
            arr = np.asarray(x)
        except (ValueError, TypeError):
            arr = None
        if arr is not None and arr.dtype.kind in "iu":
            return arr
    return as_float_array(x, name)


def check_int(value, name: str, *, minimum: int | None = 1) -> int:
    """Return ``value`` as an ``int``: ``TypeError`` unless it is an integer (not a bool),
    ``ValueError`` if it is below ``minimum`` (``None``: no bound).

    >>> check_int(3, "k")
    3
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer (got {type(value).__name__} {value!r})")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum} (got {value!r})")
    return int(value)


def check_real(value, name: str, *, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a finite ``float`` in the given range.

    ``TypeError`` unless ``value`` is a real number (not a bool); ``ValueError`` if it is
    NaN or infinite, or outside ``[low, high]`` (an open end with ``low_open`` /
    ``high_open``; ``None``: unbounded on that side).

    >>> check_real(0.5, "lr", low=0, low_open=True)
    0.5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number (got {type(value).__name__} {value!r})")
    v = float(value)
    too_low = low is not None and (v <= low if low_open else v < low)
    too_high = high is not None and (v >= high if high_open else v > high)
    if not np.isfinite(v) or too_low or too_high:
        if low is not None and high is not None:
            want = f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        elif low is not None:
            want = f"{'>' if low_open else '>='} {low:g}"
        elif high is not None:
            want = f"{'<' if high_open else '<='} {high:g}"
        else:
            want = "finite"
        if want != "finite":
            want = "finite and " + want
        raise ValueError(f"{name} must be {want} (got {value!r})")
    return v


def check_positive(value, name: str, *, allow_zero: bool = False) -> float:
    """A finite real number ``> 0`` (``>= 0`` with ``allow_zero``), see :func:`check_real`.

    >>> check_positive(0.0, "noise", allow_zero=True)
    0.0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number (got {type(value).__name__} {value!r})")
    v = float(value)
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        want = "a finite number >= 0" if allow_zero else "a positive number"
        raise ValueError(f"{name} must be {want} (got {value!r})")
    return v


def check_probability(value, name: str, *, open_ends: bool = False) -> float:
    """A real number in ``[0, 1]`` (``(0, 1)`` with ``open_ends``), see :func:`check_real`."""
    return check_real(value, name, low=0.0, high=1.0, low_open=open_ends, high_open=open_ends)


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` if ``arr`` holds NaN or infinity."""
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].flat[0]
        raise ValueError(f"{name} must be finite (got {bad})")


def check_nonempty(arr: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` if ``arr`` has no entries."""
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty (got shape {arr.shape})")


def check_ndim(arr: np.ndarray, name: str, ndim: int | tuple[int, ...], hint: str = "") -> None:
    """Raise ``ValueError`` unless ``arr.ndim`` is ``ndim`` (or one of them)."""
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if arr.ndim not in allowed:
        want = " or ".join(f"{d}-D" for d in allowed)
        msg = f"{name} must be {want} (got a {arr.ndim}-D array of shape {arr.shape})"
        raise ValueError(msg + (f"; {hint}" if hint else ""))


def as_distribution(
    p, name: str, *, ndim: int | tuple[int, ...] | None = 1, normalize: bool = False,
    hint: str = "",
) -> np.ndarray:
    """Validate a probability table and return it as a float64 array.

    Parameters
    ----------
    p : array_like
        Probabilities.  Entries must be finite and non-negative.
    name : str
        The argument's name, used in error messages.
    ndim : int, tuple of int or None
        Required number of dimensions (``None``: any, at least 1).  The caller's
        ``hint`` is appended to a wrong-dimension message.
    normalize : bool
        If False (default) the entries must sum to 1 within ``SUM_TOL``.  If True the
        table is divided by its sum, which must be positive.
    """
    arr = as_float_array(p, name)
    if ndim is None:
        if arr.ndim == 0:
            raise ValueError(f"{name} must be at least 1-D (got a 0-D array of shape ())")
    else:
        check_ndim(arr, name, ndim, hint)
    check_nonempty(arr, name)
    check_finite(arr, name)
    if np.any(arr < 0):
        where = tuple(int(i) for i in np.unravel_index(np.argmin(arr), arr.shape))
        index = where[0] if arr.ndim == 1 else where
        raise ValueError(f"{name} must be non-negative (got {arr.min():.6g} at index {index})")
    with np.errstate(over="ignore"):
        total = arr.sum()
    if normalize:
        if total <= 0:
            raise ValueError(f"{name} must have a positive sum to be normalized (got {total:.6g})")
        if not np.isfinite(total):  # huge counts: scale down first so the sum is finite
            arr = arr / arr.max()
            total = arr.sum()
        return arr / total
    if abs(total - 1.0) > SUM_TOL:
        raise ValueError(
            f"{name} must sum to 1 (got {total:.10g}); pass normalize=True to rescale it"
        )
    return arr


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` if two arrays differ in shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape (got {a.shape} and {b.shape})"
        )


def log_of_base(base) -> float:
    """Return ``ln(base)``, the divisor that converts nats to the requested unit.

    ``base`` must be a real number, positive, finite and not 1 (2 gives bits, ``e``
    gives nats, 10 gives bans).
    """
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise TypeError(f"base must be a real number (got {type(base).__name__} {base!r})")
    b = float(base)
    if not np.isfinite(b) or b <= 0 or b == 1:
        raise ValueError(f"base must be positive, finite and not 1 (got {base!r})")
    return float(np.log(b))


def clip_rounding(value: float, *, scale: float, n: int) -> float:
    """Return 0.0 for a ``value`` below zero by rounding only; any other value unchanged.

    For quantities that are ``>= 0`` in exact arithmetic (a divergence, a mutual
    information) computed as a sum of ``n`` terms whose magnitudes add up to ``scale``.
    Rounding error is at most a few ulps per term; a value further below zero than
    ``64 * n * eps * (1 + scale)`` is a bug, and is returned as it is so that tests see it.
    """
    tol = 64 * max(n, 1) * np.finfo(float).eps * (1.0 + scale)
    return 0.0 if -tol <= value < 0 else value
