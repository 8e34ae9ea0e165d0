"""Self-checks for the exercises: a clear pass or fail line instead of a bare traceback.

Each check prints ``✓ passed: ...`` when it holds.  When it fails it raises
:class:`CheckFailed`, whose message says what was expected and what was found.  Raising
(rather than printing) matters: nbgrader gives an autograded cell zero points only if
the cell raises, so a failed check must stop the cell.  ``CheckFailed`` subclasses
``AssertionError``, so code that catches assertion errors catches it too.

The helpers mark their frames with ``__tracebackhide__``, which IPython and pytest honour:
a traceback shows the line of the test cell that failed, the one line of this module that
raised, and the message.

Example
-------
>>> from itlib.checks import assert_close, check
>>> assert_close(1.0, 1.0, "entropy of a fair coin")
✓ passed: entropy of a fair coin = 1 bit
>>> check(2 + 2 == 4, "arithmetic works")
✓ passed: arithmetic works
>>> assert_close(0.693, 1.0, "entropy of a fair coin", tol=1e-3)
Traceback (most recent call last):
...
itlib.checks.CheckFailed: ✗ entropy of a fair coin: expected 1 bit, got 0.693 bits (0.693 nats would be 1 bit: use log base 2)
"""

from __future__ import annotations

import math
import sys

import numpy as np

__all__ = ["CheckFailed", "check", "assert_close", "assert_raises", "defined"]

PASS = "✓ passed: "
FAIL = "✗ "


class CheckFailed(AssertionError):
    """A self-check failed; the message says what was expected and what was found."""


def _fail(message: str):
    __tracebackhide__ = True
    # A check in your test cell failed: the last line below says what was expected.
    raise CheckFailed(FAIL + message) from None


def _fmt(x, digits: int = 4) -> str:
    """Format a number for a message: ``digits`` significant digits, whole numbers as ints."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.{digits}g}"


def check(condition, what: str, hint="") -> None:
    """Pass if ``condition`` is true; otherwise raise :class:`CheckFailed`.

    Parameters
    ----------
    condition : bool or callable
        The claim to check: a Python or numpy boolean (a single value; an array fails with
        a message asking for ``np.all`` or ``np.any``).  A callable is called with no
        arguments and its result is used; an exception it raises becomes a failed check
        that names the exception (``NotImplementedError``, the mark of an unanswered
        exercise, passes through).
    what : str
        The claim in words, printed on success and on failure.
    hint : str or callable, optional
        Appended to the failure message: what was found, what to look at.  A callable is
        called only when the check fails (so it may compute the values it shows).

    Examples
    --------
    >>> check(lambda: 1 < 2, "one is less than two")
    ✓ passed: one is less than two
    >>> L = 2.5
    >>> check(L < 2, "the code is shorter than 2 bits per symbol", hint=f"found L = {L} bits")
    Traceback (most recent call last):
    ...
    itlib.checks.CheckFailed: ✗ the code is shorter than 2 bits per symbol: expected true, got False (found L = 2.5 bits)
    """
    __tracebackhide__ = True
    if callable(condition):
        try:
            condition = condition()
        except (CheckFailed, NotImplementedError):
            raise
        except Exception as exc:  # noqa: BLE001 -- any error in the student's code fails the check
            _fail(f"{what}: raised {type(exc).__name__}: {exc}")
    if isinstance(condition, np.ndarray) and condition.size != 1:
        _fail(f"{what}: expected a single True or False, got an array of shape "
              f"{condition.shape} ({_short_repr(condition)}): combine it with np.all(...) "
              "or np.any(...)" + _hint(hint))
    try:
        holds = bool(condition)
    except Exception as exc:  # noqa: BLE001 -- an object without a truth value
        _fail(f"{what}: expected True or False, got {type(condition).__name__} "
              f"{_short_repr(condition)} ({type(exc).__name__}: {exc})")
    if not holds:
        _fail(f"{what}: expected true, got {_short_repr(condition)}" + _hint(hint))
    print(PASS + what)


def _hint(hint) -> str:
    """`` (hint)``, calling ``hint`` first if it is callable; empty if there is none."""
    if callable(hint):
        try:
            hint = hint()
        except Exception as exc:  # noqa: BLE001 -- a broken hint must not hide the failure
            hint = f"the hint raised {type(exc).__name__}: {exc}"
    return f" ({hint})" if hint else ""


def _short_repr(value, limit: int = 80) -> str:
    """``repr(value)`` on one line, cut to ``limit`` characters."""
    shown = " ".join(repr(value).split())
    return shown if len(shown) <= limit else shown[:limit - 3] + "..."


def assert_close(got, expected, what: str, *, tol: float = 1e-6, unit: str = "bits") -> None:
    """Pass if ``got`` is a number within ``tol`` of ``expected`` (absolute difference).

    ``got`` may be a Python or numpy number, or an array of the same shape as
    ``expected``.  ``None``, strings, booleans, complex numbers and other non-numbers fail
    with a message saying so.  If ``unit`` is ``"bits"`` and ``got`` is ``expected`` times
    ln 2 (within a relative 1e-3, for non-zero values), the message says it looks like
    nats: the most common slip in this book's exercises.

    Examples
    --------
    >>> assert_close(2.584962500721156, np.log2(6), "entropy of a fair die")
    ✓ passed: entropy of a fair die = 2.585 bits
    >>> assert_close([0.5, 1.0], [0.5, 1.0], "two entropies")
    ✓ passed: two entropies = [0.5, 1] bits
    >>> assert_close(None, 1.0, "H_coin")
    Traceback (most recent call last):
    ...
    itlib.checks.CheckFailed: ✗ H_coin: expected a number, got None (did you assign it?)
    >>> assert_close(1 + 2j, 1.0, "H_coin")
    Traceback (most recent call last):
    ...
    itlib.checks.CheckFailed: ✗ H_coin: expected a real number, got a complex one: (1+2j)
    """
    __tracebackhide__ = True
    if got is None:
        _fail(f"{what}: expected a number, got None (did you assign it?)")
    if isinstance(got, (str, bytes, bool, np.bool_)):
        _fail(f"{what}: expected a number, got {type(got).__name__} {got!r}")
    exp = np.asarray(expected, dtype=float)
    try:
        raw = np.asarray(got)
    except Exception:  # noqa: BLE001 -- e.g. a ragged sequence
        raw = None
    if raw is not None and raw.dtype.kind == "c":
        _fail(f"{what}: expected a real number, got a complex one: {_short_repr(got)}")
    if raw is not None and raw.dtype.kind == "b":
        _fail(f"{what}: expected numbers, got booleans: {_short_repr(got)}")
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        _fail(f"{what}: expected a number, got {type(got).__name__} {got!r}")
    if arr.shape != exp.shape:
        _fail(f"{what}: expected shape {exp.shape}, got shape {arr.shape}")
    want, have = _with_unit(exp, unit), _with_unit(arr, unit)
    with np.errstate(invalid="ignore"):  # inf - inf, where both are inf
        close = (arr == exp) | (np.abs(arr - exp) <= tol)
    if not np.all(close):
        if want == have:  # too close to tell apart at 4 digits
            want, have = _with_unit(exp, unit, 12), _with_unit(arr, unit, 12)
        msg = f"{what}: expected {want}, got {have}"
        if unit == "bits" and _looks_like_nats(arr, exp):
            msg += f" ({_with_unit(arr, 'nats')} would be {want}: use log base 2)"
        _fail(msg)
    print(f"{PASS}{what} = {want}")


def _looks_like_nats(got: np.ndarray, expected: np.ndarray, rtol: float = 1e-3) -> bool:
    """True if ``got`` is ``expected`` times ln 2, within a relative tolerance ``rtol``.

    The ratio is judged on the non-zero expected values (at least one is needed), where
    ``expected`` is 0 ``got`` must be 0 too.  Tiny values close in absolute terms are not
    evidence of the wrong base.
    """
    if not (np.all(np.isfinite(got)) and np.all(np.isfinite(expected))):
        return False
    nonzero = expected != 0
    if not np.any(nonzero) or np.any(got[~nonzero] != 0):
        return False
    ratio = got[nonzero] / (expected[nonzero] * math.log(2))
    return bool(np.all(np.abs(ratio - 1) <= rtol))


def _with_unit(values: np.ndarray, unit: str, digits: int = 4) -> str:
    """``2.585 bits``, ``1 bit``, ``[0.5, 1] bits``; no unit if ``unit`` is empty."""
    if values.ndim == 0:
        shown = _fmt(values, digits)
    else:
        shown = "[" + ", ".join(_fmt(v, digits) for v in values.ravel()) + "]"
    if not unit:
        return shown
    if shown == "1" and unit.endswith("s"):
        unit = unit[:-1]
    return f"{shown} {unit}"


def assert_raises(exc_type, func, *args, what: str = "", **kwargs) -> None:
    """Pass if ``func(*args, **kwargs)`` raises ``exc_type`` (or a subclass).

    Fails if the call returns normally or raises another exception.

    Examples
    --------
    >>> assert_raises(ValueError, int, "seven", what='int("seven") is refused')
    ✓ passed: int("seven") is refused
    >>> assert_raises(ValueError, int, "7", what='int("7") is refused')
    Traceback (most recent call last):
    ...
    itlib.checks.CheckFailed: ✗ int("7") is refused: expected ValueError, but the call returned 7
    """
    __tracebackhide__ = True
    what = what or f"{getattr(func, '__name__', 'the call')} raises {exc_type.__name__}"
    try:
        result = func(*args, **kwargs)
    except exc_type:
        print(PASS + what)
        return
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 -- report which error came instead
        _fail(f"{what}: expected {exc_type.__name__}, got {type(exc).__name__}: {exc}")
    _fail(f"{what}: expected {exc_type.__name__}, but the call returned {_short_repr(result)}")


def defined(*names: str) -> None:
    """Pass if every name in ``names`` is defined in the calling notebook's namespace.

    Put it first in a test cell, so that an answer cell not yet run (or still raising
    ``NotImplementedError``) gives a clear message instead of a ``NameError``.

    Examples
    --------
    >>> H_coin = 1.0
    >>> defined("H_coin")
    ✓ passed: H_coin is defined
    >>> defined("H_nowhere")
    Traceback (most recent call last):
    ...
    itlib.checks.CheckFailed: ✗ H_nowhere is not defined: run your answer cell above first, with `raise NotImplementedError()` replaced by your code
    """
    __tracebackhide__ = True
    namespace = sys._getframe(1).f_globals
    missing = [n for n in names if n not in namespace]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        _fail(f"{', '.join(missing)} {verb} not defined: run your answer cell above first, "
              "with `raise NotImplementedError()` replaced by your code")
    print(PASS + ", ".join(names) + (" is" if len(names) == 1 else " are") + " defined")
