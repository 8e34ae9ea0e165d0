"""Tests of itlib.ib against closed forms, brute force and itlib.discrete.

Independent routes:
- the doubly symmetric binary source (DSBS): the exact IB curve of Mrs. Gerber's lemma,
  its critical beta 1/(1-2p)^2, and the Lagrangian's minimum over that curve found with
  scipy's bounded scalar minimizer;
- a brute-force grid over all encoders of a small problem, refined with scipy;
- itlib.discrete.mutual_information on the joints p(x,t) and p(t,y) built from the
  returned encoder;
- a nested-loop implementation of one update (benchmarks/ib.py).
"""

import math
import pathlib
import re
import sys

import numpy as np
import pytest
from scipy.optimize import minimize, minimize_scalar

import itlib as it
from itlib import ib

ROOT = pathlib.Path(__file__).resolve().parent.parent
P = 0.1                                   # the DSBS crossover of the chapter
BETA_C = 1 / (1 - 2 * P) ** 2             # 1.5625


def h(q):
    """Binary entropy in bits, written out here (not itlib's) for the closed forms."""
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = -q * np.log2(q) - (1 - q) * np.log2(1 - q)
    return np.where((q == 0) | (q == 1), 0.0, out)


def dsbs_point_from_flip(p, q):
    """(I(X;T), I(T;Y)) in bits of T = X flipped with probability q: 1-h(q), 1-h(p*q)."""
    return 1 - h(q), 1 - h(p * (1 - q) + q * (1 - p))


# ---------------------------------------------------------------------------
# dsbs_curve: the closed form


def test_dsbs_curve_matches_a_flipped_copy_of_x():
    # Route: parametrize the curve by the flip probability q of T = X xor Bernoulli(q).
    q = np.linspace(0.0, 0.5, 101)
    rate, info = dsbs_point_from_flip(P, q)
    np.testing.assert_allclose(ib.dsbs_curve(P, rate), info, atol=1e-12)


def test_dsbs_curve_end_points_and_units():
    assert ib.dsbs_curve(P, 0.0) == 0.0
    assert ib.dsbs_curve(P, 1.0) == pytest.approx(1 - float(h(P)), abs=1e-12)
    # nats in, nats out: the same curve scaled by ln 2
    r = np.array([0.2, 0.5, 0.9])
    np.testing.assert_allclose(ib.dsbs_curve(P, r * math.log(2), base=math.e),
                               ib.dsbs_curve(P, r) * math.log(2), atol=1e-12)


def test_dsbs_curve_slope_at_zero_is_one_over_critical_beta():
    # The curve leaves the origin with slope (1-2p)^2: beta_c = 1/(1-2p)^2 = 1.5625.
    r = 1e-6
    assert ib.dsbs_curve(P, r) / r == pytest.approx(1 / BETA_C, rel=1e-3)


@pytest.mark.parametrize("rate", [-0.1, 1.2, [0.5, 1.5]])
def test_dsbs_curve_rejects_rate_outside_unit_interval(rate):
    with pytest.raises(ValueError, match=r"rate must lie in \[0, 1\] bits"):
        ib.dsbs_curve(P, rate)


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan")])
def test_dsbs_rejects_bad_crossover(p):
    with pytest.raises(ValueError, match="p must"):
        ib.dsbs_curve(p, 0.5)
    with pytest.raises(ValueError, match="p must"):
        ib.dsbs_joint(p)


# ---------------------------------------------------------------------------
# iterative_ib on the DSBS: the solver lands on the exact curve, at the right place

SWEEP = [0.5, 1.0, 1.3, 1.5, 1.7, 2.0, 2.5, 3.0, 4.0, 6.0, 10.0, 20.0, 50.0]


def closed_form_lagrangian(beta):
    """min over r in [0, 1] of r - beta * dsbs_curve(r), with scipy (bits)."""
    f = lambda r: r - beta * ib.dsbs_curve(P, r)
    grid = np.linspace(0, 1, 2001)
    k = int(np.argmin(f(grid)))
    res = minimize_scalar(f, bounds=(grid[max(k - 1, 0)], grid[min(k + 1, 2000)]),
                          method="bounded", options={"xatol": 1e-12})
    return min(res.fun, f(grid[k]), f(0.0), f(1.0))


@pytest.mark.parametrize("beta", SWEEP)
def test_solver_points_lie_on_the_dsbs_curve(beta):
    r = ib.iterative_ib(ib.dsbs_joint(P), beta, 2)
    # 1e-4 bits is the accuracy target for the distance to the curve.
    assert abs(r.i_ty - ib.dsbs_curve(P, min(r.i_xt, 1.0))) < 1e-4
    # ... and at the optimal point of the curve: the Lagrangian equals the closed-form
    # minimum (an encoder anywhere else on the curve would score worse).
    assert r.lagrangian == pytest.approx(closed_form_lagrangian(beta), abs=1e-4)


@pytest.mark.parametrize("beta", [b for b in SWEEP if b < BETA_C])
def test_below_critical_beta_the_solution_is_trivial(beta):
    r = ib.iterative_ib(ib.dsbs_joint(P), beta, 2)
    assert r.i_xt < 1e-6 and r.i_ty < 1e-6


@pytest.mark.parametrize("beta", [1.7, 2.0, 3.0])
def test_above_critical_beta_the_solution_is_not_trivial(beta):
    r = ib.iterative_ib(ib.dsbs_joint(P), beta, 2)
    assert r.i_xt > 0.1


def test_ib_curve_on_the_dsbs_lands_on_the_closed_form():
    betas = np.linspace(0.5, 20, 40)
    c = ib.ib_curve(ib.dsbs_joint(P), betas, 2)
    assert np.max(np.abs(c.i_ty - ib.dsbs_curve(P, np.minimum(c.i_xt, 1.0)))) < 1e-4
    lag = c.i_xt - betas * c.i_ty
    want = np.array([closed_form_lagrangian(b) for b in betas])
    np.testing.assert_allclose(lag, want, atol=1e-4)
    assert np.all(c.i_xt[betas < BETA_C] < 1e-6)


# ---------------------------------------------------------------------------
# General properties

def random_joint(seed, nx=5, ny=4):
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.ones(nx * ny)).reshape(nx, ny)


def test_reported_informations_match_itlib_discrete():
    pxy = random_joint(1)
    r = ib.iterative_ib(pxy, 4.0, 3)
    px = pxy.sum(axis=1)
    pxt = px[:, None] * r.encoder
    pty = r.encoder.T @ pxy
    assert r.i_xt == pytest.approx(it.mutual_information(pxt), abs=1e-10)
    assert r.i_ty == pytest.approx(it.mutual_information(pty), abs=1e-10)
    np.testing.assert_allclose(r.encoder.sum(axis=1), 1.0, atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("beta", [0.5, 3.0, 30.0])
def test_markov_chain_bounds(seed, beta):
    # Y - X - T: I(T;Y) <= I(X;Y) (data processing) and I(T;Y) <= I(X;T) <= H(X).
    pxy = random_joint(seed)
    r = ib.iterative_ib(pxy, beta, 4)
    assert r.i_ty <= it.mutual_information(pxy) + 1e-12
    assert r.i_ty <= r.i_xt + 1e-12
    assert r.i_xt <= it.entropy(pxy.sum(axis=1)) + 1e-12


def test_beta_zero_keeps_nothing():
    r = ib.iterative_ib(random_joint(2), 0.0, 3)
    assert r.i_xt < 1e-9 and r.i_ty < 1e-9


def test_large_beta_with_enough_clusters_keeps_everything_about_y():
    pxy = random_joint(3)
    r = ib.iterative_ib(pxy, 200.0, pxy.shape[0])
    assert r.i_ty == pytest.approx(it.mutual_information(pxy), abs=1e-6)


def test_bits_and_nats():
    pxy = random_joint(4)
    a = ib.iterative_ib(pxy, 3.0, 3)
    b = ib.iterative_ib(pxy, 3.0, 3, base=math.e)
    assert b.i_xt == pytest.approx(a.i_xt * math.log(2), rel=1e-9)
    assert b.i_ty == pytest.approx(a.i_ty * math.log(2), rel=1e-9)


def test_seeded_runs_are_identical():
    pxy = random_joint(5)
    a = ib.iterative_ib(pxy, 3.0, 3, seed=7)
    b = ib.iterative_ib(pxy, 3.0, 3, seed=7)
    np.testing.assert_array_equal(a.encoder, b.encoder)


def test_solution_is_the_global_minimum_of_a_small_problem():
    # Brute force: every encoder of |X| = 3, |T| = 2 is a point a in [0, 1]^3 with
    # a[x] = p(T=0 | x); a 51^3 grid, then scipy's L-BFGS-B from the best grid point.
    pxy = np.array([[0.30, 0.05], [0.10, 0.15], [0.05, 0.35]])
    beta = 3.0

    def lagr(a):
        enc = np.stack([a, 1 - a], axis=-1)                  # (..., 3, 2)
        px = pxy.sum(axis=1)
        pxt = px[:, None] * enc
        pt = pxt.sum(axis=-2)
        pty = np.einsum("...xt,xy->...ty", enc, pxy)
        py = pxy.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ixt = np.nansum(pxt * np.log2(enc / pt[..., None, :]), axis=(-2, -1))
            ity = np.nansum(pty * np.log2(pty / (pt[..., :, None] * py)), axis=(-2, -1))
        return ixt - beta * ity

    g = np.linspace(0, 1, 51)
    grid = np.stack(np.meshgrid(g, g, g, indexing="ij"), axis=-1)
    values = lagr(grid)
    a0 = grid.reshape(-1, 3)[np.argmin(values)]
    ref = minimize(lambda a: float(lagr(np.asarray(a))), a0, method="L-BFGS-B",
                   bounds=[(0, 1)] * 3).fun
    r = ib.iterative_ib(pxy, beta, 2)
    assert r.lagrangian <= values.min() + 1e-9       # no worse than any grid encoder
    assert r.lagrangian == pytest.approx(min(ref, values.min()), abs=1e-6)


def test_ib_curve_is_monotone_and_matches_independent_solves():
    pxy = random_joint(6, nx=6, ny=3)
    betas = np.geomspace(0.5, 50, 15)
    c = ib.ib_curve(pxy, betas, 6)
    # On the optimal curve both informations grow with beta.
    assert np.all(np.diff(c.i_xt) > -1e-6) and np.all(np.diff(c.i_ty) > -1e-6)
    for k in (3, 8, 14):
        r = ib.iterative_ib(pxy, float(betas[k]), 6, n_restarts=20, seed=11)
        # The annealed curve is at least as good as 20 fresh restarts (1e-6 bits slack).
        assert c.i_xt[k] - betas[k] * c.i_ty[k] <= r.lagrangian + 1e-6


@pytest.mark.parametrize("beta", [5.0, 8.0, 12.0])
def test_starts_solved_together_equal_the_best_start_solved_alone(beta):
    # The solver iterates its starts as one stack, each with its own convergence test
    # (they stop after different numbers of updates here); the winner must be the start
    # that wins when each is solved alone, with the same encoder and iteration count.
    pxy = random_joint(3, nx=12, ny=6)
    starts = np.random.default_rng(1).dirichlet(np.ones(6), size=(5, 12))
    together = ib._solve(pxy, beta, starts.copy(), 5000, 1e-10, math.log(2))
    alone = [ib._solve(pxy, beta, starts[i:i + 1].copy(), 5000, 1e-10, math.log(2))
             for i in range(5)]
    assert len({a.n_iter for a in alone}) > 1           # the starts do stop apart
    # Starts that reach the same optimum tie; the solver keeps the first (to 1e-12 nats).
    lagr = np.round([a.lagrangian * math.log(2) for a in alone], 12)
    best = alone[int(np.argmin(lagr))]
    assert together.n_iter == best.n_iter
    np.testing.assert_allclose(together.encoder, best.encoder, atol=1e-12)
    assert abs(together.lagrangian - best.lagrangian) < 1e-12


def test_returned_encoder_is_a_fixed_point_to_the_stopping_threshold():
    # The solver stops when an update moves no entry of p(t|x) by more than 1e-6 and
    # lowers the Lagrangian by less than tol: one more update (the loop implementation of
    # benchmarks/ib.py's twin, _ib_step) then moves the encoder by about that much only.
    for seed, beta in [(0, 3.0), (1, 8.0), (2, 20.0)]:
        pxy = random_joint(seed, nx=10, ny=5)
        r = ib.iterative_ib(pxy, beta, 6, n_restarts=3, seed=seed)
        assert r.n_iter < 5000                              # it stopped on the test
        px = pxy.sum(axis=1)
        again = ib._ib_step(r.encoder[None], px, pxy / px[:, None], beta)[0]
        assert np.abs(again - r.encoder).max() < 2e-6
        lagr_again = ib._lagrangian(again[None], px, pxy / px[:, None], beta)[0]
        assert r.lagrangian * math.log(2) - lagr_again < 1e-9   # nats: nothing left to gain


def test_ib_curve_caps_the_updates_of_each_start(monkeypatch):
    # max_iter bounds the updates of every start at every beta (the default, 500, is
    # lower than iterative_ib's 5000; see the docstring), and the curve stays valid.
    pxy = random_joint(4, nx=12, ny=6)
    counts = []
    real_solve = ib._solve

    def counting_solve(*args):
        result = real_solve(*args)
        counts.append(result.n_iter)
        return result

    monkeypatch.setattr(ib, "_solve", counting_solve)
    c = ib.ib_curve(pxy, np.geomspace(1, 30, 8), 6, max_iter=7)
    assert max(counts) == 7                               # some start used all 7 updates
    for enc in c.encoders:
        np.testing.assert_allclose(enc.sum(axis=1), 1.0, atol=1e-12)
    assert ib.ib_curve.__kwdefaults__["max_iter"] == 500


def test_ib_curve_keeps_the_callers_order():
    pxy = ib.dsbs_joint(P)
    a = ib.ib_curve(pxy, [5.0, 1.0, 3.0], 2)
    b = ib.ib_curve(pxy, [1.0, 3.0, 5.0], 2)
    np.testing.assert_allclose(a.i_xt, b.i_xt[[2, 0, 1]], atol=1e-6)
    np.testing.assert_array_equal(a.betas, [5.0, 1.0, 3.0])


def test_vectorized_update_equals_the_nested_loop_update():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import ib as bench                                   # benchmarks/ib.py
    finally:
        sys.path.pop(0)
    pxy = random_joint(8, nx=6, ny=5)
    enc = np.random.default_rng(0).dirichlet(np.ones(4), size=6)
    px = pxy.sum(axis=1)
    fast = ib._ib_step(enc[None], px, pxy / px[:, None], 2.5)[0]
    slow = np.array(bench.loop_step(pxy.tolist(), enc.tolist(), 2.5))
    np.testing.assert_allclose(fast, slow, atol=1e-12)


# ---------------------------------------------------------------------------
# binned_information


@pytest.mark.parametrize("n_units, n_bins", [(3, 4), (12, 100)])   # integer and byte keys
def test_binned_information_matches_the_explicit_joint(n_units, n_bins):
    rng = np.random.default_rng(0)
    t = rng.uniform(-1, 1, size=(200, n_units))
    t[100:] = np.round(t[100:], 1)                 # ties: inputs that share a binned value
    y = rng.integers(0, 2, size=200)
    i_xt, i_ty = ib.binned_information(t, y, n_bins, lo=-1, hi=1)
    codes = np.floor((t + 1) / (2 / n_bins)).clip(0, n_bins - 1).astype(int)
    keys = [tuple(c) for c in codes]
    ids = {k: i for i, k in enumerate(sorted(set(keys)))}
    joint = np.zeros((len(ids), 2))
    for k, label in zip(keys, y):
        joint[ids[k], label] += 1
    joint /= joint.sum()
    assert i_xt == pytest.approx(it.entropy(joint.sum(axis=1)), abs=1e-12)
    assert i_ty == pytest.approx(it.mutual_information(joint), abs=1e-12)


def test_binned_information_limits():
    rng = np.random.default_rng(1)
    t = rng.normal(size=(64, 2))
    y = rng.integers(0, 2, size=64)
    assert ib.binned_information(t, y, 1) == (0.0, 0.0)        # one bin: T constant
    i_xt, _ = ib.binned_information(t, y, 10_000)
    assert i_xt == pytest.approx(6.0)                          # every input apart: log2 64


# ---------------------------------------------------------------------------
# Validation


@pytest.mark.parametrize("pxy, message", [
    ([[0.5, 0.6], [0.0, 0.0]], "pxy must sum to 1"),
    ([[0.5, -0.1], [0.3, 0.3]], "pxy must be non-negative"),
    ([[0.5, float("nan")], [0.25, 0.25]], "pxy must be finite"),
    ([0.5, 0.5], "pxy must be 2-D"),
])
def test_rejects_a_joint_that_is_not_a_distribution(pxy, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ib.iterative_ib(pxy, 1.0, 2)
    with pytest.raises(ValueError, match=re.escape(message)):
        ib.ib_curve(pxy, [1.0, 2.0], 2)


@pytest.mark.parametrize("beta", [-1.0, float("inf"), float("nan")])
def test_rejects_bad_beta(beta):
    with pytest.raises(ValueError, match=re.escape(f"beta must be finite and >= 0 (got {beta!r})")):
        ib.iterative_ib(ib.dsbs_joint(P), beta, 2)


def test_rejects_negative_betas_in_a_curve():
    with pytest.raises(ValueError, match=re.escape("betas must be >= 0 (got -1)")):
        ib.ib_curve(ib.dsbs_joint(P), [1.0, -1.0], 2)


@pytest.mark.parametrize("n", [0, -3])
def test_rejects_n_clusters_below_one(n):
    with pytest.raises(ValueError, match=re.escape(f"n_clusters must be at least 1 (got {n})")):
        ib.iterative_ib(ib.dsbs_joint(P), 1.0, n)
    with pytest.raises(ValueError, match=re.escape(f"n_clusters must be at least 1 (got {n})")):
        ib.ib_curve(ib.dsbs_joint(P), [1.0], n)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"max_iter": 0}, ValueError, "max_iter must be at least 1 (got 0)"),
    ({"max_iter": 2.5}, TypeError, "max_iter must be an integer"),
    ({"tol": 0.0}, ValueError, "tol must be a positive number (got 0.0)"),
    ({"seed": 1.5}, TypeError, "seed must be an integer (got float 1.5)"),
])
def test_ib_curve_rejects_bad_solver_settings(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        ib.ib_curve(ib.dsbs_joint(P), [1.0, 2.0], 2, **kwargs)


def test_rejects_non_integer_n_clusters():
    with pytest.raises(TypeError, match="n_clusters must be an integer"):
        ib.iterative_ib(ib.dsbs_joint(P), 1.0, 2.5)


def test_rejects_init_of_the_wrong_shape():
    with pytest.raises(ValueError, match=re.escape("init must have shape")):
        ib.iterative_ib(ib.dsbs_joint(P), 1.0, 2, init=np.ones((2, 3)) / 3)


def test_import_itlib_does_not_import_torch():
    import subprocess
    code = "import itlib, sys; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_trivial_solution_loses_stability_at_one_over_maximal_correlation_squared(seed):
    # Route: the second singular value rho of p(x,y)/sqrt(p(x)p(y)) (the maximal
    # correlation; rho = 1 - 2p for the DSBS, where 1/rho^2 is the closed-form beta_c).
    # From a slightly perturbed constant encoder, the iteration returns to the constant
    # below 1/rho^2 and leaves it above.  (The global optimum may leave earlier, by a
    # jump: 1/rho^2 bounds the first transition from above.)
    rng = np.random.default_rng(seed)
    pxy = rng.dirichlet(np.ones(8)).reshape(4, 2)
    px, py = pxy.sum(axis=1), pxy.sum(axis=0)
    rho = np.linalg.svd(pxy / np.sqrt(np.outer(px, py)), compute_uv=False)[1]
    start = 0.999 * np.full((4, 2), 0.5) + 0.001 * rng.dirichlet(np.ones(2), size=4)
    stays = ib.iterative_ib(pxy, 0.9 / rho**2, 2, init=start, n_restarts=0, max_iter=20000)
    leaves = ib.iterative_ib(pxy, 1.1 / rho**2, 2, init=start, n_restarts=0, max_iter=20000)
    assert stays.i_xt < 1e-6
    assert leaves.i_xt > 1e-3
    assert ib.iterative_ib(pxy, 1.1 / rho**2, 4).i_xt > 1e-3          # and the optimum too


def test_maximal_correlation_of_the_dsbs_gives_its_critical_beta():
    pxy = ib.dsbs_joint(P)
    rho = np.linalg.svd(pxy / np.sqrt(np.outer(pxy.sum(1), pxy.sum(0))), compute_uv=False)[1]
    assert 1 / rho**2 == pytest.approx(BETA_C, rel=1e-12)


# --- issue 31 -------------------------------------------------------------------------


@pytest.mark.parametrize("beta", [1e200, 1e300, 1.7e308, sys.float_info.max])
def test_enormous_beta_reaches_the_deterministic_limit(beta):
    # beta = 1e300 warned of overflow (an error under this test suite's settings) and
    # 1.7e308 returned a NaN encoder.  At such beta the encoder is deterministic: T = X.
    r = ib.iterative_ib(ib.dsbs_joint(0.1), beta, 2)
    assert np.all(np.isfinite(r.encoder))
    np.testing.assert_allclose(np.sort(r.encoder, axis=1), [[0, 1], [0, 1]], atol=1e-12)
    assert r.i_xt == pytest.approx(1.0)
    assert r.i_ty == pytest.approx(1 - it.binary_entropy(0.1))


def test_ib_curve_takes_enormous_betas():
    c = ib.ib_curve(ib.dsbs_joint(0.1), [1.0, 1e300, sys.float_info.max], 2)
    assert np.all(np.isfinite(c.i_xt)) and c.i_xt[1] == pytest.approx(1.0)
    assert c.i_xt[2] == pytest.approx(1.0)


def test_ib_curve_downward_pass_keeps_the_better_solution(monkeypatch):
    # Every call of _solve is recorded; at each beta the curve must hold the lowest
    # Lagrangian among all the solutions found there (upward and downward passes).  A
    # downward pass that kept the worse of the two goes unnoticed on the DSBS alone.
    found = {}
    real_solve = ib._solve

    def recording_solve(pxy, beta, *args):
        res = real_solve(pxy, beta, *args)
        found.setdefault(beta, []).append(res.lagrangian)
        return res

    monkeypatch.setattr(ib, "_solve", recording_solve)
    rng = np.random.default_rng(31)
    betas = np.geomspace(0.5, 60, 14)
    differed = 0
    for _ in range(3):
        pxy = rng.dirichlet(np.ones(64)).reshape(8, 8)
        found.clear()
        c = ib.ib_curve(pxy, betas, 8, n_restarts=1, seed=int(rng.integers(1000)))
        for b, i_xt, i_ty in zip(c.betas, c.i_xt, c.i_ty):
            candidates = found[float(b)]
            differed += max(candidates) - min(candidates) > 1e-9
            assert i_xt - b * i_ty <= min(candidates) + 1e-9, b
    assert differed > 0  # the test has teeth: the two passes disagreed somewhere


def test_binned_information_labels_follow_the_estimators_convention():
    # String labels were accepted here but refused by itlib.estimators: one rule now.
    t = np.array([[0.0], [1.0]])
    with pytest.raises(TypeError, match="y must"):
        ib.binned_information(t, ["a", "b"], 2)
    with pytest.raises(ValueError, match="y must be finite"):
        ib.binned_information(t, [0.0, float("nan")], 2)


def test_binned_information_takes_bins_like_binned_mi_and_the_old_name():
    t = np.array([[0., 0.], [0., 0.], [1., 1.], [1., 1.]])
    assert ib.binned_information(t, [0, 0, 1, 1], bins=2) == (1.0, 1.0)
    with pytest.warns(DeprecationWarning, match="n_bins"):
        assert ib.binned_information(t, [0, 0, 1, 1], n_bins=2) == (1.0, 1.0)


@pytest.mark.parametrize("kwargs, error", [
    ({"n_clusters": 2.0}, TypeError), ({"n_clusters": 0}, ValueError),
    ({"tol": "1e-9"}, TypeError), ({"tol": 0.0}, ValueError),
    ({"beta": "1"}, TypeError), ({"beta": -1.0}, ValueError), ({"seed": 1.5}, TypeError)])
def test_iterative_ib_wrong_type_is_a_type_error(kwargs, error):
    args = {"pxy": ib.dsbs_joint(0.1), "beta": 2.0, "n_clusters": 2, **kwargs}
    with pytest.raises(error, match=next(iter(kwargs))):
        ib.iterative_ib(**args)
