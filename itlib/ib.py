"""The information bottleneck (IB) of a discrete joint distribution.

Convention (the book's, see the notation page): the bottleneck variable ``T`` is
computed from ``X`` alone (the Markov chain ``Y - X - T``) by an encoder ``p(t|x)`` that
minimizes the **IB Lagrangian**

    L[p(t|x)] = I(X;T) - beta * I(T;Y),      beta >= 0,

so a larger ``beta`` keeps more information about ``Y``.  Papers that write
``max I(T;Y) - beta' I(X;T)`` (deep variational IB, beta-VAE) use ``beta' = 1 / beta``.

- :func:`iterative_ib`: the self-consistent equations of Tishby, Pereira & Bialek (1999),
  iterated to a fixed point from several seeded starts (vectorized with numpy, in the log
  domain); the start with the lowest Lagrangian wins.
- :func:`ib_curve`: the IB curve ``(I(X;T), I(T;Y))`` over a grid of ``beta``, each
  solution seeding the next (annealing) and competing with fresh random starts.
- :func:`dsbs_curve`: the exact IB curve of the doubly symmetric binary source (X a fair
  bit, Y = X through a binary symmetric channel), ground truth for the solver.
- :func:`binned_information`: ``I(X;T)`` and ``I(T;Y)`` of a layer's activations on a
  finite, uniformly weighted input set, by binning each unit (the information-plane
  estimator of Shwartz-Ziv & Tishby 2017).

Information is in bits unless ``base`` says otherwise.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import entr, rel_entr

from ._validation import as_distribution, as_float_array, as_real_array, check_finite, \
    check_int, check_ndim, check_nonempty, check_positive, check_real, log_of_base
from .discrete import _entropy_of_coin

__all__ = [
    "IBResult",
    "IBCurve",
    "iterative_ib",
    "ib_curve",
    "dsbs_joint",
    "dsbs_curve",
    "binned_information",
]

_TINY = 1e-300  # floor for probabilities before a log: log(0) would give -inf * 0 = NaN
_CHECK_EVERY = 5  # updates between two convergence tests
_MOVE_TOL = 1e-6
# Above this beta the logits and the Lagrangian are computed divided by beta (the
# deterministic limit), so that nothing overflows; below it, as written.
_BIG_BETA = 1e200


@dataclass(frozen=True)
class IBResult:
    """A solution of the IB equations.

    Attributes
    ----------
    encoder : numpy.ndarray
        ``encoder[x, t] = p(t | x)``, of shape ``(n_x, n_clusters)``; every row sums to 1.
    i_xt, i_ty : float
        ``I(X;T)`` and ``I(T;Y)`` of this encoder, in the unit of ``base``.
    beta : float
        The trade-off parameter it was solved for.
    n_iter : int
        Iterations the winning start took.
    """

    encoder: np.ndarray
    i_xt: float
    i_ty: float
    beta: float
    n_iter: int

    @property
    def lagrangian(self) -> float:
        """``I(X;T) - beta I(T;Y)``, in the unit of the informations."""
        return self.i_xt - self.beta * self.i_ty


@dataclass(frozen=True)
class IBCurve:
    """Solutions of the IB over a grid of ``beta`` (see :func:`ib_curve`).

    Attributes
    ----------
    betas, i_xt, i_ty : numpy.ndarray
        The grid, in the caller's order, and the two informations at each point, each of
        shape ``(n_betas,)``.
    encoders : tuple
        ``encoders[k]`` is ``p(t|x)`` at ``betas[k]``.
    """

    betas: np.ndarray
    i_xt: np.ndarray
    i_ty: np.ndarray
    encoders: tuple


def iterative_ib(pxy, beta, n_clusters, *, n_restarts: int = 8, seed: int = 0, init=None,
                 max_iter: int = 5000, tol: float = 1e-10, base=2) -> IBResult:
    """Solve ``min I(X;T) - beta I(T;Y)`` by iterating the self-consistent equations.

    From a start ``p(t|x)``, repeat (Tishby, Pereira & Bialek 1999)::

        p(t)     = sum_x p(x) p(t|x)
        p(y|t)   = sum_x p(x, y) p(t|x) / p(t)
        p(t|x)  ∝ p(t) exp(-beta D_KL(p(y|x) || p(y|t)))

    until an update moves no entry of ``p(t|x)`` by more than 1e-6 and lowers the
    Lagrangian by less than ``tol`` nats (the test runs every 5 updates).  Each update
    lowers the Lagrangian, but the fixed point reached depends on the start: the solver runs
    ``n_restarts`` seeded random starts (plus ``init`` when given) side by side and returns
    the one with the lowest Lagrangian.

    Parameters
    ----------
    pxy : array_like, shape (n_x, n_y)
        The joint distribution ``p(x, y)``: non-negative, summing to 1.
    beta : float
        Trade-off parameter, ``>= 0``.
    n_clusters : int
        Number of values of ``T`` (``>= 1``).  More than ``n_x`` never helps.
    n_restarts : int, default 8
        Random starts (``>= 1``; ``>= 0`` when ``init`` is given).
    seed : int, default 0
        Seed of the random starts: the same seed gives the same result.
    init : array_like, shape (n_x, n_clusters), optional
        An extra start, e.g. the solution at a nearby ``beta`` (annealing).
    max_iter : int, default 5000
        Most updates per start.
    tol : float, default 1e-10
        Convergence threshold on the fall of the Lagrangian in one update, in nats.
    base : float, default 2
        Unit of the informations (2: bits, ``math.e``: nats).

    Returns
    -------
    IBResult
        ``encoder``, ``i_xt``, ``i_ty`` (and ``beta``, ``n_iter``, ``lagrangian``).

    Notes
    -----
    Rows of ``X`` with ``p(x) = 0`` get the uniform encoder and do not count.  Below the
    first critical ``beta`` every start falls to the trivial encoder, ``I(X;T) = 0``.

    Examples
    --------
    A fair bit seen through a binary symmetric channel with crossover 0.1; at
    ``beta = 1`` compression wins and ``T`` keeps nothing, at ``beta = 50`` ``T`` is
    almost ``X``:

    >>> pxy = dsbs_joint(0.1)
    >>> round(iterative_ib(pxy, 1.0, 2).i_xt, 6)
    0.0
    >>> from itlib import binary_entropy
    >>> r = iterative_ib(pxy, 50.0, 2)
    >>> bool(r.i_xt > 0.99 and abs(r.i_ty - (1 - binary_entropy(0.1))) < 1e-3)
    True
    """
    pxy = as_distribution(pxy, "pxy", ndim=2,
                          hint="rows are values of X, columns values of Y")
    beta = _check_beta(beta)
    n_clusters = check_int(n_clusters, "n_clusters")
    n_restarts = check_int(n_restarts, "n_restarts", minimum=0 if init is not None else 1)
    max_iter = check_int(max_iter, "max_iter")
    tol = check_positive(tol, "tol")
    seed = check_int(seed, "seed", minimum=None)
    ln_base = log_of_base(base)
    starts = []
    if init is not None:
        starts.append(_check_encoder(init, pxy.shape[0], n_clusters))
    rng = np.random.default_rng(int(seed))
    if n_restarts:
        starts.extend(rng.dirichlet(np.ones(n_clusters), size=(n_restarts, pxy.shape[0])))
    return _solve(pxy, beta, np.stack(starts), max_iter, tol, ln_base)


def ib_curve(pxy, betas, n_clusters, *, n_restarts: int = 2, seed: int = 0,
             max_iter: int = 500, tol: float = 1e-10, base=2) -> IBCurve:
    """The IB curve: the IB solved over a grid of ``beta``, with annealing.

    The grid is solved in increasing ``beta``.  At each ``beta`` the previous solution,
    slightly perturbed so that a cluster can split, competes with ``n_restarts`` fresh
    random starts; the lowest Lagrangian wins.  A second pass goes back down the grid,
    each solution seeding the next smaller ``beta``, and replaces a point where it finds
    a lower Lagrangian.

    Parameters
    ----------
    pxy : array_like, shape (n_x, n_y)
        The joint distribution ``p(x, y)``.
    betas : array_like, shape (n_betas,)
        Values of ``beta >= 0``, in any order (results come back in the same order).
    n_clusters : int
        Number of values of ``T``.
    n_restarts, tol, base
        As in :func:`iterative_ib`.
    seed : int, default 0
        Seed of all the random starts and splits of the curve.
    max_iter : int, default 500
        Most updates per start at each ``beta``, lower than :func:`iterative_ib`'s
        5000.  A start still moving after them takes part as it stands, with the
        Lagrangian of the encoder it has reached.  Such starts are few, near the
        ``beta`` where clusters split, but they can creep for thousands of updates and
        dominate the cost.  Which local optimum the annealing follows then changes, neither
        always for the better nor always for the worse: on ten random 64 x 64 joints like
        the one in ``benchmarks/ib.py``, the curve with 500 had the lower Lagrangian summed
        over the grid on three, the one with 5000 on three, and they tied on four.  The script
        prints both for its joint.

    Returns
    -------
    IBCurve

    Examples
    --------
    >>> c = ib_curve(dsbs_joint(0.1), [1.0, 3.0, 30.0], 2)
    >>> np.round(c.i_xt, 3).tolist()
    [0.0, 0.949, 1.0]
    """
    pxy = as_distribution(pxy, "pxy", ndim=2,
                          hint="rows are values of X, columns values of Y")
    b = as_float_array(betas, "betas")
    check_ndim(b, "betas", 1)
    check_nonempty(b, "betas")
    check_finite(b, "betas")
    if np.any(b < 0):
        raise ValueError(f"betas must be >= 0 (got {b.min():.6g})")
    n_clusters = check_int(n_clusters, "n_clusters")
    n_restarts = check_int(n_restarts, "n_restarts", minimum=0)
    max_iter = check_int(max_iter, "max_iter")
    tol = check_positive(tol, "tol")
    seed = check_int(seed, "seed", minimum=None)
    ln_base = log_of_base(base)
    rng = np.random.default_rng(int(seed))
    n_x = pxy.shape[0]
    order = np.argsort(b, kind="stable")

    px = pxy.sum(axis=1)
    pyx = np.divide(pxy, px[:, None], out=np.zeros_like(pxy), where=px[:, None] > 0)
    row_negentropy = -entr(pyx).sum(axis=1)

    def perturbed(enc):
        # Deterministic-annealing start: every empty cluster becomes a randomly unequal
        # copy of a used one, plus a small random push, so that a cluster about to split
        # (or two about to merge) can; a stable solution is found again.
        enc = _split_clusters(enc, px, pyx, row_negentropy, rng)
        return 0.99 * enc + 0.01 * rng.dirichlet(np.ones(n_clusters), size=n_x)

    def fresh(k):
        return list(rng.dirichlet(np.ones(n_clusters), size=(k, n_x)))

    # Upward pass: from random starts at the smallest beta, each solution seeds the next.
    up: list[IBResult] = []
    for k, i in enumerate(order):
        starts = fresh(max(n_restarts, 1)) if k == 0 else [perturbed(up[-1].encoder)] \
            + fresh(n_restarts)
        up.append(_solve(pxy, float(b[i]), np.stack(starts), max_iter, tol, ln_base))
    # Downward pass: from the largest beta back, each solution seeds the next smaller one,
    # so a branch missed on the way up is found on the way down; the lower Lagrangian wins.
    best = list(up)
    for k in range(len(order) - 2, -1, -1):
        down = _solve(pxy, float(b[order[k]]), np.stack([perturbed(best[k + 1].encoder)]),
                      max_iter, tol, ln_base)
        if _ranking(down) < _ranking(best[k]) - 1e-12:
            best[k] = down
    results: list[IBResult | None] = [None] * b.size
    for k, i in enumerate(order):
        results[i] = best[k]
    return IBCurve(betas=b.copy(), i_xt=np.array([r.i_xt for r in results]),
                   i_ty=np.array([r.i_ty for r in results]),
                   encoders=tuple(r.encoder for r in results))


def dsbs_joint(p) -> np.ndarray:
    """The joint ``p(x, y)`` of the doubly symmetric binary source with crossover ``p``.

    ``X`` is a fair bit and ``Y = X`` flipped with probability ``p``:
    ``[[(1-p)/2, p/2], [p/2, (1-p)/2]]``.

    >>> dsbs_joint(0.1)
    array([[0.45, 0.05],
           [0.05, 0.45]])
    """
    p = _check_unit_interval(p, "p")
    if np.ndim(p) != 0:
        raise ValueError(f"p must be a single number (got shape {np.shape(p)})")
    p = float(p)
    return np.array([[(1 - p) / 2, p / 2], [p / 2, (1 - p) / 2]])


def dsbs_curve(p, rate, base=2):
    """The exact IB curve of the doubly symmetric binary source, vectorized over ``rate``.

    For ``X`` a fair bit and ``Y = X`` through a binary symmetric channel with crossover
    ``p``, the most information about ``Y`` that any ``T`` with ``I(X;T) = r`` bits can
    keep is (Mrs. Gerber's lemma; Wyner & Ziv 1973)::

        I(T;Y) = 1 - h(p * h^{-1}(1 - r))  bits,   a * b = a (1 - b) + b (1 - a),

    with ``h`` the binary entropy and ``h^{-1}`` its inverse on ``[0, 1/2]``.  It is
    reached by ``T = X`` flipped with probability ``h^{-1}(1 - r)``.

    Parameters
    ----------
    p : float
        Crossover probability of the channel, in ``[0, 1]``.
    rate : float or array_like
        ``I(X;T)`` in the unit of ``base``, in ``[0, 1]`` bits (``[0, ln 2]`` nats).
    base : float, default 2
        Unit of ``rate`` and of the result.

    Returns
    -------
    float or ndarray
        ``I(T;Y)``, same shape as ``rate``.

    Examples
    --------
    >>> float(dsbs_curve(0.1, 0.0)), round(float(dsbs_curve(0.1, 1.0)), 4)  # 1 - h(0.1)
    (0.0, 0.531)
    """
    p = _check_unit_interval(p, "p")
    if np.ndim(p) != 0:
        raise ValueError(f"p must be a single number (got shape {np.shape(p)})")
    scale = np.log(2) / log_of_base(base)          # bits -> unit of base
    r = as_float_array(rate, "rate")
    check_finite(r, "rate")
    r_bits = r / scale
    if np.any((r_bits < -1e-12) | (r_bits > 1 + 1e-12)):
        bad = r[(r_bits < -1e-12) | (r_bits > 1 + 1e-12)].flat[0]
        raise ValueError(f"rate must lie in [0, 1] bits (got {bad:.6g} in base {base})")
    q = _binary_entropy_inverse(np.clip(1.0 - r_bits, 0.0, 1.0))
    conv = p * (1 - q) + q * (1 - p)
    out = (1.0 - _h(conv)) * scale
    return float(out) if np.ndim(rate) == 0 else out


def binned_information(activations, y, bins=None, *, lo=None, hi=None, base=2, n_bins=None):
    """``I(X;T)`` and ``I(T;Y)`` of a layer by binning each unit into ``bins`` bins.

    Each row of ``activations`` is the layer's output ``T`` for one input ``x``; the
    inputs are taken as equally likely and all distinct, as in a finite data set.  Each
    unit's value is cut into ``bins`` equal bins on ``[lo, hi]``, and two inputs share a
    value of the binned ``T`` when all their units fall in the same bins.  Because the
    binned ``T`` is a function of ``X``, ``I(X;T) = H(T)``; ``I(T;Y) = H(Y) - H(Y|T)``.
    Both are plug-in estimates: they describe the binned layer on this input set, and
    change with ``bins``.

    Parameters
    ----------
    activations : array_like, shape (n_inputs, n_units)
    y : array_like, shape (n_inputs,)
        The label of each input: numbers, as in :mod:`itlib.estimators` (equal numbers
        are the same class; strings are refused).
    bins : int
        Bins per unit (``>= 1``), named as in :func:`itlib.estimators.binned_mi`.
    n_bins : int, deprecated
        The old name of ``bins``.
    lo, hi : float, optional
        The binned range; default the smallest and largest activation.
    base : float, default 2

    Returns
    -------
    (float, float)
        ``(I(X;T), I(T;Y))``.

    Examples
    --------
    Two units that copy the label keep exactly ``H(Y)`` = 1 bit about it:

    >>> t = np.array([[0., 0.], [0., 0.], [1., 1.], [1., 1.]])
    >>> binned_information(t, [0, 0, 1, 1], bins=2)
    (1.0, 1.0)
    """
    t = as_float_array(activations, "activations")
    check_ndim(t, "activations", 2, "one row per input, one column per unit")
    check_nonempty(t, "activations")
    check_finite(t, "activations")
    labels = as_real_array(y, "y")
    if labels.ndim != 1 or labels.shape[0] != t.shape[0]:
        raise ValueError(f"y must hold one label per row of activations (got shape "
                         f"{labels.shape} for {t.shape[0]} rows)")
    check_finite(labels, "y")
    if n_bins is not None:
        if bins is not None:
            raise TypeError("pass bins only (n_bins is its old name)")
        warnings.warn("binned_information(n_bins=...) is deprecated: pass bins=... "
                      "(the name itlib.estimators.binned_mi uses)", DeprecationWarning,
                      stacklevel=2)
        bins = n_bins
    if bins is None:
        raise TypeError("binned_information() missing the argument bins")
    n_bins = check_int(bins, "bins")
    ln_base = log_of_base(base)
    lo = float(t.min()) if lo is None else float(lo)
    hi = float(t.max()) if hi is None else float(hi)
    if not hi >= lo:
        raise ValueError(f"hi must be >= lo (got lo={lo:g}, hi={hi:g})")
    width = (hi - lo) / n_bins if hi > lo else 1.0
    codes = np.clip(np.floor((t - lo) / width), 0, n_bins - 1).astype(np.int64)
    _, t_id = np.unique(_row_keys(codes, n_bins), return_inverse=True)
    _, y_id = np.unique(labels, return_inverse=True)
    joint = np.zeros((t_id.max() + 1, y_id.max() + 1))
    np.add.at(joint, (t_id.ravel(), y_id.ravel()), 1.0)
    joint /= joint.sum()
    pt, py = joint.sum(axis=1), joint.sum(axis=0)
    h_t = -np.sum(pt * np.log(pt))
    i_ty = np.sum(rel_entr(joint, np.outer(pt, py)))
    return float(max(h_t, 0.0) / ln_base) + 0.0, float(max(i_ty, 0.0) / ln_base) + 0.0


# ---------------------------------------------------------------------------
# private helpers


def _row_keys(codes, n_bins):
    """One hashable key per row of bin indices: an integer when it fits, else the bytes."""
    k = codes.shape[1]
    if k * np.log2(max(n_bins, 2)) < 62:
        return codes @ (np.int64(n_bins) ** np.arange(k, dtype=np.int64))
    rows = np.ascontiguousarray(codes)
    return rows.view(np.dtype((np.void, rows.dtype.itemsize * k))).ravel()


def _solve(pxy, beta, starts, max_iter, tol, ln_base) -> IBResult:
    """Iterate the IB equations (module docstring) from a stack of starts ``(R, n_x, T)``.

    All starts advance together, each with its own convergence test; a start that has
    converged drops out of the stack.  The one with the lowest Lagrangian
    ``I(X;T) - beta I(T;Y)`` is returned.  The encoders are held transposed,
    ``(R, T, n_x)``, so that each update is two plain matrix products over the whole
    stack and a softmax over rows (see :func:`_step`).
    """
    px = pxy.sum(axis=1)
    live = px > 0
    p_x = px[live]
    pyx = pxy[live] / p_x[:, None]                             # p(y|x), (X, Y)
    mats = _step_matrices(p_x, pyx, beta)
    enc = np.ascontiguousarray(starts[:, live, :].transpose(0, 2, 1))  # p(t|x), (R, T, X)
    n_iter = np.zeros(enc.shape[0], dtype=int)
    active = np.arange(enc.shape[0])                          # starts still moving
    done = 0
    sub = enc
    while active.size and done < max_iter:
        # CHECK_EVERY updates, then the convergence test on the last one: it moved no
        # entry of p(t|x) by 1e-15, or by less than 1e-6 while the Lagrangian (which
        # never rises under the updates) fell by less than tol.
        n_steps = min(_CHECK_EVERY, max_iter - done)
        for _ in range(n_steps):
            prev, sub = sub, _step(sub, *mats)
        done += n_steps
        moved = np.abs(sub - prev).max(axis=(1, 2))
        stop = moved < 1e-15
        near = (moved < _MOVE_TOL) & ~stop
        if near.any():
            both = np.concatenate([prev[near], sub[near]]).transpose(0, 2, 1)
            lagr = _lagrangian(both, p_x, pyx, beta)          # / beta above _BIG_BETA
            fall = lagr[:lagr.size // 2] - lagr[lagr.size // 2:]
            stop[near] = fall < (tol if beta <= _BIG_BETA else tol / beta)
        enc[active] = sub
        n_iter[active] = done
        if stop.any():
            active = active[~stop]
            sub = sub[~stop]
    enc = enc.transpose(0, 2, 1)                              # (R, X, T)
    i_xt, i_ty = _informations(enc, p_x, pyx)
    lagr = i_xt - beta * i_ty if beta <= _BIG_BETA else i_xt / beta - i_ty
    best = int(np.argmin(np.round(lagr, 12)))                 # ties: the first start
    full = np.full((pxy.shape[0], enc.shape[2]), 1.0 / enc.shape[2])
    full[live] = enc[best]
    return IBResult(encoder=full, i_xt=float(max(i_xt[best], 0.0) / ln_base),
                    i_ty=float(max(i_ty[best], 0.0) / ln_base), beta=float(beta),
                    n_iter=int(n_iter[best]))


def _ib_step(enc, px, pyx, beta):
    """One update of the self-consistent equations, for a stack of encoders (R, X, T).

    ``log p(t|x) = log p(t) + beta sum_y p(y|x) log p(y|t) - log Z(x)``: the term
    ``-beta sum_y p(y|x) log p(y|x)`` of the KL does not depend on ``t`` and cancels in the
    normalization ``Z(x)`` (a logsumexp over ``t``).  Returns the new stack (R, X, T).
    """
    enc_t = np.ascontiguousarray(np.asarray(enc).transpose(0, 2, 1))
    return _step(enc_t, *_step_matrices(px, pyx, beta)).transpose(0, 2, 1)


def _step_matrices(px, pyx, beta):
    """The constants of :func:`_step`: ``[p(x, y) | p(x)]`` and ``[beta p(y|x).T ; 1 - beta]``,
    of shapes ``(X, Y + 1)`` and ``(Y + 1, X)``, and a factor (1).

    Above ``_BIG_BETA`` the second matrix is divided by ``beta`` and the factor is
    ``beta``: :func:`_step` multiplies the shifted logits by it, so that no product
    overflows (the deterministic limit, where the encoder puts each ``x`` in its best
    cluster).
    """
    joint = np.concatenate([px[:, None] * pyx, px[:, None]], axis=1)
    if beta > _BIG_BETA:
        weights = np.concatenate([pyx.T, np.full((1, px.size), 1.0 / beta - 1.0)], axis=0)
        return joint, weights, beta
    weights = np.concatenate([beta * pyx.T, np.full((1, px.size), 1.0 - beta)], axis=0)
    return joint, weights, 1.0


def _step(enc_t, joint, weights, factor=1.0):
    """:func:`_ib_step` on transposed encoders ``enc_t[r, t, x] = p(t|x)``, shape (R, T, X).

    ``joint`` and ``weights`` come from :func:`_step_matrices`.  The whole stack is
    flattened to ``(R T, X)``.  One matrix product gives ``p(t, y)`` and ``p(t)`` (last
    column); a second one, of their logs (floored at 1e-300), gives the logits
    ``beta sum_y p(y|x) log p(t, y) + (1 - beta) log p(t) = log p(t) + beta sum_y p(y|x)
    log p(y|t)`` (the rows of ``p(y|x)`` sum to 1).  An empty cluster (``p(t) = 0``)
    gets the logit ``-inf``, and so stays empty.  The softmax over ``t`` runs down the
    rows of each start, elementwise over ``x``.  No term mixes two starts: each goes
    through the same operations as if it were alone.
    """
    n_r, n_t, n_x = enc_t.shape
    work = enc_t.reshape(n_r * n_t, n_x) @ joint              # [p(t, y) | p(t)], (R T, Y + 1)
    empty = None if np.minimum.reduce(work[:, -1]) > 0 else work[:, -1] == 0
    np.maximum(work, _TINY, out=work)
    np.log(work, out=work)
    logits = work @ weights                                   # (R T, X)
    if empty is not None:
        logits[empty] = -np.inf
    logits = logits.reshape(n_r, n_t, n_x)
    # Softmax over t, shifted by the largest logit (finite: some cluster is never empty),
    # so exp never overflows: the logsumexp trick without scipy's per-call overhead.
    logits -= np.maximum.reduce(logits, axis=1, keepdims=True)  # (the ufunc: no wrapper)
    if factor != 1.0:  # logits <= 0 here: a product beyond float64 is -inf, exp gives 0
        with np.errstate(over="ignore", invalid="ignore"):
            np.multiply(logits, factor, out=logits)
        logits[np.isnan(logits)] = 0.0                    # 0 * inf: a tie with the best
    w = np.exp(logits, out=logits)
    w /= np.add.reduce(w, axis=1, keepdims=True)
    return w


def _split_clusters(enc, px, pyx, row_negentropy, rng):
    """Annealing move: merge duplicate clusters, then refill empty clusters by splitting.

    ``px`` is ``p(x)``, ``pyx`` the rows ``p(y|x)`` (zero where ``p(x) = 0``) and
    ``row_negentropy[x] = sum_y p(y|x) log p(y|x)``.  Clusters with the same ``p(y|t)``
    (within 1e-6) act as one: each merges into the first earlier one.  The empty clusters
    are then dealt out round robin to the used clusters, in decreasing order of their
    distortion ``sum_x p(x) p(t|x) D_KL(p(y|x) || p(y|t))`` (a cluster whose members
    disagree about ``Y`` is the one that splits as ``beta`` grows).  A used cluster shares
    its ``p(t|x)`` with the empty clusters it was dealt, in proportions drawn for each
    ``x`` from U(0.3, 0.7) and normalized.  No Python loop runs over clusters.
    """
    n_t = enc.shape[1]
    pt = px @ enc
    pyt = (enc.T * px) @ pyx / np.maximum(pt, _TINY)[:, None]
    ok = pt >= 1e-6
    same = np.abs(pyt[:, None, :] - pyt[None, :, :]).max(axis=2) < 1e-6
    same &= np.tril(ok[:, None] & ok[None, :], -1)
    has = same.any(axis=1)
    if has.any():
        into = np.where(has, same.argmax(axis=1), np.arange(n_t))
        into = into[into]                    # (an earlier duplicate that merged itself)
        merge = np.zeros((n_t, n_t))
        merge[np.arange(n_t), into] = 1.0
        enc, pt = enc @ merge, pt @ merge
    empty = pt < 1e-6
    if not empty.any():
        return enc.copy()
    # D_KL(p(y|x) || p(y|t)) = sum_y p(y|x) log p(y|x) - sum_y p(y|x) log p(y|t), (X, T)
    kl = row_negentropy[:, None] - pyx @ np.log(np.maximum(pyt, _TINY)).T
    order = np.argsort(-(px @ (enc * kl)), kind="stable")   # decreasing distortion
    used = order[~empty[order]]
    parent = np.arange(n_t)                  # the cluster whose p(t|x) each one takes
    parent[empty] = used[np.arange(np.count_nonzero(empty)) % used.size]
    share = rng.uniform(0.3, 0.7, size=enc.shape)
    pieces = np.zeros((n_t, n_t))
    pieces[np.arange(n_t), parent] = 1.0
    total = share @ pieces                   # total[x, s]: the shares cut from s
    return enc[:, parent] * share / total[:, parent]


def _lagrangian(enc, px, pyx, beta):
    """``I(X;T) - beta I(T;Y)`` in nats for a stack of encoders (R, X, T).

    Above ``_BIG_BETA``, divided by ``beta`` (it would overflow): the same ranking.
    """
    i_xt, i_ty = _informations(enc, px, pyx)
    return i_xt - beta * i_ty if beta <= _BIG_BETA else i_xt / beta - i_ty


def _ranking(res: IBResult) -> float:
    """The Lagrangian of a solution, divided by ``beta`` above ``_BIG_BETA``: for comparing
    two solutions at the same ``beta`` without overflow."""
    if res.beta <= _BIG_BETA:
        return res.lagrangian
    return res.i_xt / res.beta - res.i_ty


def _informations(enc, px, pyx):
    """``I(X;T)`` and ``I(T;Y)`` in nats for a stack of encoders (R, X, T).

    As sums of entropies (scipy's ``entr``, -a log a with 0 log 0 = 0):
    ``I(X;T) = H(T) - H(T|X)`` and ``I(T;Y) = H(T) + H(Y) - H(T, Y)``.
    """
    pt = px @ enc                                             # p(t), (R, T)
    pty = enc.transpose(0, 2, 1) @ (px[:, None] * pyx)        # p(t, y), (R, T, Y)
    py = px @ pyx
    t_term = entr(pt).sum(axis=1)                             # H(T), (R,)
    i_xt = t_term - entr(enc).sum(axis=2) @ px
    i_ty = t_term + entr(py).sum() - entr(pty).sum(axis=(1, 2))
    return i_xt, i_ty


def _h(p):
    """Binary entropy in bits, vectorized, with 0 log 0 = 0 (:func:`itlib.binary_entropy`'s
    formula, without its input checks: this runs inside a bisection)."""
    return _entropy_of_coin(np.asarray(p, dtype=float), bits=True)


def _binary_entropy_inverse(v):
    """The ``q`` in ``[0, 1/2]`` with ``h(q) = v``, by bisection (h increases there)."""
    v = np.asarray(v, dtype=float)
    lo = np.zeros_like(v)
    hi = np.full_like(v, 0.5)
    for _ in range(60):                                       # 2^-60: below double precision
        mid = 0.5 * (lo + hi)
        below = _h(mid) < v
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return 0.5 * (lo + hi)


def _check_beta(beta) -> float:
    return check_real(beta, "beta", low=0.0)


def _check_unit_interval(p, name):
    arr = as_float_array(p, name)
    check_finite(arr, name)
    if np.any((arr < 0) | (arr > 1)):
        bad = arr[(arr < 0) | (arr > 1)].flat[0]
        raise ValueError(f"{name} must lie in [0, 1] (got {bad:.6g})")
    return arr


def _check_encoder(init, n_x, n_clusters) -> np.ndarray:
    enc = as_float_array(init, "init")
    if enc.shape != (n_x, n_clusters):
        raise ValueError(f"init must have shape (n_x, n_clusters) = {(n_x, n_clusters)} "
                         f"(got {enc.shape})")
    check_finite(enc, "init")
    if np.any(enc < 0) or np.any(np.abs(enc.sum(axis=1) - 1) > 1e-6):
        raise ValueError("init must be an encoder: non-negative rows p(t|x) that sum to 1")
    return enc.copy()
