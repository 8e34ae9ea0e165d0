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
import numbers
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


def check(condition, what: str, hint: str = "") -> None:
    """Pass if ``condition`` is true; otherwise raise :class:`CheckFailed`.

    Parameters
    ----------
    condition : bool or callable
        The claim to check.  A callable is called with no arguments and its result is
        used; an exception it raises becomes a failed check that names the exception
        (``NotImplementedError``, the mark of an unanswered exercise, passes through).
    what : str
        The claim in words, printed on success and on failure.
    hint : str, optional
        Appended to the failure message: what to look at.

    Examples
    --------
    >>> check(lambda: 1 < 2, "one is less than two")
    ✓ passed: one is less than two
    >>> check(False, "the code is prefix-free", hint="no codeword may start another")
    Traceback (most recent call last):
    ...
    itlib.checks.CheckFailed: ✗ the code is prefix-free: not true (no codeword may start another)
    """
    __tracebackhide__ = True
    if callable(condition):
        try:
            condition = condition()
        except (CheckFailed, NotImplementedError):
            raise
        except Exception as exc:  # noqa: BLE001 -- any error in the student's code fails the check
            _fail(f"{what}: raised {type(exc).__name__}: {exc}")
    if not bool(condition):
        _fail(f"{what}: not true" + (f" ({hint})" if hint else ""))
    print(PASS + what)


def assert_close(got, expected, what: str, *, tol: float = 1e-6, unit: str = "bits") -> None:
    """Pass if ``got`` is a number within ``tol`` of ``expected`` (absolute difference).

    ``got`` may be a Python or numpy number, or an array of the same shape as
    ``expected``.  ``None``, strings and other non-numbers fail with a message saying so.
    If ``unit`` is ``"bits"`` and ``got`` matches ``expected`` in nats, the message says
    so: the most common slip in this book's exercises.

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
    """
    __tracebackhide__ = True
    if got is None:
        _fail(f"{what}: expected a number, got None (did you assign it?)")
    if isinstance(got, (str, bytes, bool, np.bool_)):
        _fail(f"{what}: expected a number, got {type(got).__name__} {got!r}")
    exp = np.asarray(expected, dtype=float)
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
        if unit == "bits" and np.all(np.isfinite(arr)) and np.all(
            np.abs(arr / math.log(2) - exp) <= max(tol, 1e-3)
        ):
            msg += f" ({_with_unit(arr, 'nats')} would be {want}: use log base 2)"
        _fail(msg)
    print(f"{PASS}{what} = {want}")


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
    shown = repr(result)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    _fail(f"{what}: expected {exc_type.__name__}, but the call returned {shown}")


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
