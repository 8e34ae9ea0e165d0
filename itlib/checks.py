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

import ast
import importlib.util
import inspect
import math
import sys
import textwrap

import numpy as np

__all__ = ["CheckFailed", "check", "assert_close", "assert_raises", "defined",
           "assert_own_work", "hidden_tests"]

PASS = "✓ passed: "
FAIL = "✗ "
#: Starts the second line of a hidden test's failure message: what only the instructor
#: sees (the hidden input, the expected and the found value).  exercises/itml_nbgrader.py
#: removes that line, and everything after it, from the feedback students get.
INSTRUCTOR = "[for the instructor] "
#: Set in the fresh copy of this module that :func:`hidden_tests` loads: its checks are
#: silent on success and keep hidden inputs and expected values for the instructor.
_HIDDEN = False


class CheckFailed(AssertionError):
    """A self-check failed; the message says what was expected and what was found."""

    def _render_traceback_(self):
        # IPython shows this instead of a traceback: the message alone, one line (two for
        # a hidden test seen by the instructor), with no frame of this module.
        return [f"{type(self).__name__}: {line}" if i == 0 else line
                for i, line in enumerate(str(self).split("\n"))]


def _fail(message: str, student: str | None = None):
    """Raise :class:`CheckFailed` with ``message``.

    In a hidden test (see :func:`hidden_tests`) the student sees only ``student``, the
    property that failed ("a hidden test failed: ..."), and the full ``message`` follows on
    a second line, for the instructor.
    """
    __tracebackhide__ = True
    # A check in your test cell failed: the last line below says what was expected.
    if _HIDDEN:
        raise CheckFailed(f"{FAIL}a hidden test failed: {student or message}\n"
                          f"{INSTRUCTOR}{message}") from None
    raise CheckFailed(FAIL + message) from None


def _passed(line: str) -> None:
    """Print ``✓ passed: line``, except in a hidden test, which passes silently."""
    if not _HIDDEN:
        print(PASS + line)


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
            _fail(f"{what}: raised {type(exc).__name__}: {exc}",
                  f"{what}: your code raised {type(exc).__name__}")
    if isinstance(condition, (list, tuple)):
        # A non-empty list is true in Python whatever it holds: [False, False] included.
        try:
            condition = np.asarray(condition)
        except Exception:  # noqa: BLE001 -- ragged: still not one truth value
            condition = np.asarray(condition, dtype=object)
        if condition.size == 1:
            condition = condition.reshape(())
    if isinstance(condition, np.ndarray) and condition.size != 1:
        _fail(f"{what}: expected a single True or False, got {_kind(condition)} of shape "
              f"{condition.shape} ({_short_repr(_plain(condition))}): combine it with "
              "np.all(...) or np.any(...)" + _hint(hint), what)
    try:
        holds = bool(condition)
    except Exception as exc:  # noqa: BLE001 -- an object without a truth value
        _fail(f"{what}: expected True or False, got {type(condition).__name__} "
              f"{_short_repr(condition)} ({type(exc).__name__}: {exc})", what)
    if not holds:
        _fail(f"{what}: expected true, got {_short_repr(_plain(condition))}" + _hint(hint), what)
    _passed(what)


def _kind(value: np.ndarray) -> str:
    return "an array" if not isinstance(value, (list, tuple)) else "a sequence"


def _plain(value):
    """numpy scalars and 0-d arrays as Python values (``False``, not ``np.False_``);
    arrays and sequences as lists (numbers and booleans in Python's spelling)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


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
        _fail(f"{what}: expected a number, got {type(got).__name__} {got!r}",
              f"{what}: expected a number, got {type(got).__name__}")
    got, expected = _untracked(got), _untracked(expected)
    exp = np.asarray(expected, dtype=float)
    try:
        raw = np.asarray(got)
    except Exception:  # noqa: BLE001 -- e.g. a ragged sequence
        raw = None
    if raw is not None and raw.dtype.kind == "c":
        _fail(f"{what}: expected a real number, got a complex one: {_short_repr(got)}",
              f"{what}: expected a real number, got a complex one")
    if raw is not None and raw.dtype.kind == "b":
        _fail(f"{what}: expected numbers, got booleans: {_short_repr(_plain(raw))}",
              f"{what}: expected numbers, got booleans")
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        _fail(f"{what}: expected a number, got {type(got).__name__} {got!r}",
              f"{what}: expected a number, got {type(got).__name__}")
    if arr.shape != exp.shape:
        _fail(f"{what}: expected shape {exp.shape}, got shape {arr.shape}",
              f"{what}: expected an array of another shape, got shape {arr.shape}")
    want, have = _with_unit(exp, unit), _with_unit(arr, unit)
    with np.errstate(invalid="ignore"):  # inf - inf, where both are inf
        close = (arr == exp) | (np.abs(arr - exp) <= tol)
    if not np.all(close):
        if want == have:  # too close to tell apart at 4 digits
            want, have = _with_unit(exp, unit, 12), _with_unit(arr, unit, 12)
        msg = f"{what}: expected {want}, got {have}"
        student = f"{what}: wrong value"
        if unit == "bits" and _looks_like_nats(arr, exp):
            msg += f" ({_with_unit(arr, 'nats')} would be {want}: use log base 2)"
            student += " (it looks like nats: use log base 2)"
        _fail(msg, student)
    _passed(f"{what} = {want}")


def _untracked(value):
    """A PyTorch tensor (on any device, with or without ``requires_grad``) as a numpy
    array or number; anything else unchanged."""
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        value = value.detach().cpu()
        return value.item() if value.dim() == 0 else value.numpy()
    return value


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
    shown = _nested(values, digits)
    if not unit:
        return shown
    if shown == "1" and unit.endswith("s"):
        unit = unit[:-1]
    return f"{shown} {unit}"


def _nested(values: np.ndarray, digits: int) -> str:
    """``2.585``, ``[0.5, 1]``, a matrix as ``[[1, 2], [3, 4]]`` (its shape kept)."""
    if values.ndim == 0:
        return _fmt(values, digits)
    return "[" + ", ".join(_nested(v, digits) for v in values) + "]"


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
        _passed(what)
        return
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 -- report which error came instead
        _fail(f"{what}: expected {exc_type.__name__}, got {type(exc).__name__}: {exc}",
              f"{what}: expected {exc_type.__name__}, got {type(exc).__name__}")
    _fail(f"{what}: expected {exc_type.__name__}, but the call returned {_short_repr(result)}",
          f"{what}: expected {exc_type.__name__}, but the call returned normally")


def defined(*names: str) -> None:
    """Pass if every name in ``names`` is defined in the calling notebook's namespace, and
    none is a function still left as the exercise's stub.

    Put it first in a test cell, so that an answer cell not yet run (or still raising
    ``NotImplementedError``) gives one clear line instead of a ``NameError`` or a
    traceback.

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
    stubs = [n for n in names if _is_stub(namespace[n])]
    if stubs:
        _fail(f"{', '.join(stubs)} is not answered yet: in the answer cell above, replace "
              "`raise NotImplementedError()` with your code and run that cell")
    _passed(", ".join(names) + (" is" if len(names) == 1 else " are") + " defined")


def _is_stub(value) -> bool:
    """True if ``value`` is a function whose body only raises ``NotImplementedError``
    (after an optional docstring): an answer cell the student has not touched."""
    code = getattr(value, "__code__", None)
    if code is None or "NotImplementedError" not in code.co_names:
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(value)))
    except (OSError, TypeError, SyntaxError):
        return set(code.co_names) == {"NotImplementedError"}
    func = tree.body[0] if tree.body else None
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    body = [node for node in func.body
            if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    raised = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


# ------------------------------------------------------------------ your own work


class _Delegated(Exception):
    """Raised by a stand-in for a library function the exercise asks students to write."""


def assert_own_work(func, args=(), kwargs=None, *, forbidden, what: str) -> None:
    """Pass if ``func(*args, **kwargs)`` runs without calling any function in ``forbidden``.

    For exercises that ask students to write a function that ``itlib`` already has: the
    call is made with every reference to each forbidden function in the ``itlib``
    modules and in the notebook's namespace replaced by a stand-in that records the call
    (and raises), then everything is put back.  Fails if ``func`` *is* a forbidden
    function (imported under a new name), or if the stand-in was called.  What the call
    returns is not judged here: the other checks do that.

    Examples
    --------
    >>> import itlib
    >>> def mine(p):
    ...     return itlib.entropy(p)
    >>> assert_own_work(mine, ([0.5, 0.5],), forbidden=[itlib.entropy],
    ...                 what="mine computes the entropy itself")
    Traceback (most recent call last):
    ...
    itlib.checks.CheckFailed: ✗ mine computes the entropy itself: it calls itlib's entropy, the function this exercise asks you to write yourself
    """
    __tracebackhide__ = True
    kwargs = kwargs or {}
    namespaces = [sys._getframe(1).f_globals, getattr(func, "__globals__", {})]
    for target in forbidden:
        name = getattr(target, "__name__", repr(target))
        if func is target or getattr(func, "__code__", None) is getattr(target, "__code__", 0) \
                or getattr(func, "__wrapped__", None) is target:
            _fail(f"{what}: it is itlib's {name} under another name; this exercise asks you "
                  "to write it yourself")
    called = []
    saved = []

    def stand_in_for(target):
        def stand_in(*a, **k):
            called.append(getattr(target, "__name__", repr(target)))
            raise _Delegated(f"{target.__name__} may not be used here")
        return stand_in

    stand_ins = {id(t): stand_in_for(t) for t in forbidden}
    holders = [vars(m) for n, m in list(sys.modules.items())
               if (n == "itlib" or n.startswith("itlib.")) and m is not None]
    holders += namespaces
    try:
        for holder in holders:
            for key, value in list(holder.items()):
                if id(value) in stand_ins and any(value is t for t in forbidden):
                    saved.append((holder, key, value))
                    holder[key] = stand_ins[id(value)]
        try:
            func(*args, **kwargs)
        except NotImplementedError:
            raise
        except Exception:  # noqa: BLE001 -- judged by the other checks; here only the calls
            pass
    finally:
        for holder, key, value in reversed(saved):
            holder[key] = value
    if called:
        _fail(f"{what}: it calls itlib's {called[0]}, the function this exercise asks you "
              "to write yourself")
    _passed(what)


# ------------------------------------------------------------------ hidden tests


#: The helpers a test cell calls by name: :func:`hidden_tests` checks they are genuine.
HELPERS = ("check", "assert_close", "assert_raises", "defined", "assert_own_work")


def _fresh_copy():
    """This module, loaded anew from its file (not from ``sys.modules``), so that names
    a submission rebinds in the imported module do not reach it."""
    path = _fresh_copy.__code__.co_filename
    spec = importlib.util.spec_from_file_location("itlib.checks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replaced(fresh, namespace: dict) -> list[str]:
    """Names of the check machinery that differ from a fresh copy's: in the imported
    ``itlib.checks`` (every function of it) and in ``namespace`` (the helpers)."""
    genuine = {k: v for k, v in vars(fresh).items()
               if inspect.isfunction(v) and v.__module__ == "itlib.checks"}

    def same(func, name) -> bool:
        code = getattr(func, "__code__", None)
        return code is not None and code == genuine[name].__code__

    bad = []
    live = sys.modules.get("itlib.checks")
    if live is not None:
        bad += [f"itlib.checks.{k}" for k in genuine if not same(getattr(live, k, None), k)]
        for k in ("np", "math", "sys"):
            if getattr(live, k, None) is not getattr(fresh, k):
                bad.append(f"itlib.checks.{k}")
    for k in HELPERS:
        if k in namespace:
            func = namespace[k]
            home = getattr(func, "__globals__", {})
            if not same(func, k) or any(not same(home.get(g), g) for g in genuine):
                bad.append(k)
    return bad


class hidden_tests:  # noqa: N801 -- used as a context manager, like a function
    """Run the hidden tests of a test cell with genuine, quiet checks.

    Usage, in a test cell, as the first line of its hidden-test region (the block below it
    indented)::

        with __import__("itlib.checks").checks.hidden_tests(globals()):
            assert_close(...)

    On entry it loads a fresh copy of this module and fails the cell ("the check helpers
    were replaced") if the imported ``itlib.checks`` or the helpers in the notebook's
    namespace differ from it: a submission that rebinds ``check`` & co. to no-ops gets no
    marks from the cells it tampers with.  Inside the block, ``check``, ``assert_close``,
    ``assert_raises`` and ``defined`` are the fresh copy's *hidden* versions: silent on
    success; on failure the student's line names the property that failed, without the
    hidden input or the expected value, and a second line, starting
    ``[for the instructor]``, keeps the full message for the instructor (the feedback
    preprocessor removes it).  An exception from the student's code inside the block
    becomes such a failure too.  On exit the previous helpers are put back.
    """

    def __init__(self, namespace: dict):
        self.namespace = namespace
        self.fresh = _fresh_copy()
        bad = _replaced(self.fresh, namespace)
        if bad:
            raise self.fresh.CheckFailed(
                f"{FAIL}the check helpers were replaced ({', '.join(bad[:4])}"
                f"{', ...' if len(bad) > 4 else ''}): the tests of this cell cannot be trusted "
                "and give no marks") from None
        self.fresh._HIDDEN = True

    def __enter__(self):
        self.saved = {k: self.namespace[k] for k in HELPERS if k in self.namespace}
        for k in HELPERS:
            self.namespace[k] = getattr(self.fresh, k)
        return self.fresh

    def __exit__(self, exc_type, exc, tb):
        for k in HELPERS:
            if k in self.saved:
                self.namespace[k] = self.saved[k]
            else:
                self.namespace.pop(k, None)
        if exc is None or isinstance(exc, self.fresh.CheckFailed) or not isinstance(exc, Exception):
            return False
        text = " ".join(f"{type(exc).__name__}: {exc}".split())
        raise self.fresh.CheckFailed(
            f"{FAIL}a hidden test failed: your code raised {type(exc).__name__}\n"
            f"{INSTRUCTOR}{text[:500]}") from None
