"""Chapter 5's claims, each checked against an independent route.

- the IB's first critical beta is 1/s* (s* the strong data-processing constant), computed
  by three routes; s* > rho^2 for the running example, s* = rho^2 for the DSBS;
- the Gaussian IB closed form (Chechik et al. 2005) against a numerical optimum over
  linear encoders, and its critical betas against a numerical search;
- the IB curve of a deterministic Y is piecewise linear (Kolchinsky et al. 2019);
- the deterministic IB (Strouse & Schwab 2017): the iterative algorithm against brute force;
- Xu & Raginsky's bound on an exactly computable example;
- the beta slider's distinct clusters (1, 2, 3, 7 at beta = 1, 3.2, 10, 100).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import rel_entr
from scipy.stats import binom

import itlib as it
from itlib import ib
from itlib import ib_theory as ibt

Q = np.array([0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.85, 0.95])
PXY = np.stack([1 - Q, Q], axis=1) / 8          # the chapter's running example


def _informations(enc, pxy):
    px = pxy.sum(axis=1)
    return it.mutual_information(px[:, None] * enc), it.mutual_information(enc.T @ pxy)


def _s_star_tilt(pxy, lams=np.linspace(-40, 40, 80001)):
    """s* for binary Y by a 1-D grid: for a fixed r_Y the smallest D(r||p) is attained by
    the exponential tilt r ∝ p exp(lam p(y=1|x)) (I-projection), so a search over lam is exact."""
    px, py = pxy.sum(axis=1), pxy.sum(axis=0)
    q = pxy[:, 1] / px
    lams = lams[lams != 0]
    r = px[None, :] * np.exp(lams[:, None] * q[None, :])
    r /= r.sum(axis=1, keepdims=True)
    ry = r @ (pxy / px[:, None])
    ratio = rel_entr(ry, py).sum(axis=1) / rel_entr(r, px).sum(axis=1)
    return float(ratio.max())


def _s_star_binary_encoders(pxy, n_starts=10, seed=0):
    """s* as sup I(T;Y)/I(X;T) over two-cluster encoders, by Nelder-Mead on p(t=1|x) logits.

    Informations written out here with rel_entr (not itlib's), so the route is independent."""
    rng = np.random.default_rng(seed)
    px, py = pxy.sum(axis=1), pxy.sum(axis=0)

    def neg(u):
        a = 1 / (1 + np.exp(-np.clip(u, -50, 50)))
        enc = np.stack([a, 1 - a], axis=1)
        pt = px @ enc
        i_xt = rel_entr(px[:, None] * enc, np.outer(px, pt)).sum()
        i_ty = rel_entr(enc.T @ pxy, np.outer(pt, py)).sum()
        return -i_ty / i_xt if i_xt > 1e-12 else 0.0

    best = 0.0
    for _ in range(n_starts):
        res = minimize(neg, rng.normal(scale=3, size=pxy.shape[0]), method="Nelder-Mead",
                       options={"maxiter": 8000, "xatol": 1e-9, "fatol": 1e-13})
        best = min(best, res.fun)
    return -best


# ------------------------------------------------------------------ s* and the first split

def test_s_star_of_the_running_example_by_three_routes():
    s_module, r = ibt.hypercontractivity(PXY)
    s_tilt = _s_star_tilt(PXY)
    s_enc = _s_star_binary_encoders(PXY)
    assert s_module == pytest.approx(s_tilt, abs=1e-7)
    assert s_enc == pytest.approx(s_tilt, abs=1e-6)
    assert round(s_module, 5) == 0.41847              # the chapter's and the number
    rho2 = ibt.maximal_correlation(PXY) ** 2
    assert round(rho2, 5) == 0.41672
    assert s_module > rho2 + 1e-3                      # the split comes before 1/rho^2
    assert r.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("p", [0.1, 0.3])
def test_s_star_equals_rho2_for_the_dsbs(p):
    pxy = ib.dsbs_joint(p)
    assert ibt.hypercontractivity(pxy)[0] == pytest.approx((1 - 2 * p) ** 2, abs=1e-7)
    assert ibt.maximal_correlation(pxy) == pytest.approx(1 - 2 * p, abs=1e-12)


def test_no_random_encoder_beats_the_ratio_s_star():
    s_star, _ = ibt.hypercontractivity(PXY)
    rng = np.random.default_rng(3)
    for k in (2, 3, 8):
        encs = rng.dirichlet(np.full(k, 0.3), size=(500, 8))
        for enc in encs:
            i_xt, i_ty = _informations(enc, PXY)
            assert i_ty <= s_star * i_xt + 1e-12


def test_first_critical_beta_is_one_over_s_star():
    s_star, r = ibt.hypercontractivity(PXY)
    px = PXY.sum(axis=1)

    def best_tilted(beta):
        lags = []
        for eps in np.geomspace(1e-5, 0.2, 300):
            a = eps * r / px
            i_xt, i_ty = _informations(np.stack([a, 1 - a], axis=1), PXY)
            lags.append(i_xt - beta * i_ty)
        return min(lags)

    # above 1/s* a tilted encoder beats the constant one ...
    assert best_tilted(1.001 / s_star) < 0
    assert best_tilted(2.390) < 0 and best_tilted(2.392) < -5e-7
    # ... below it nothing does: L >= (1 - beta s*) I(X;T) >= 0 for every encoder
    assert best_tilted(0.999 / s_star) >= 0
    assert best_tilted(2.389) >= 0
    # the solver, started at the tilted encoder, confirms a non-trivial optimum between
    # 1/s* and 1/rho^2, where 8 random starts stay at the constant (local) optimum
    a = 0.03 * r / px
    warm = ib.iterative_ib(PXY, 2.392, 2, init=np.stack([a, 1 - a], axis=1), n_restarts=0)
    assert warm.lagrangian < -5e-7 and warm.i_xt > 1e-3
    assert ib.iterative_ib(PXY, 0.99 / ibt.maximal_correlation(PXY) ** 2, 8).i_xt < 1e-4


# --------------------------------------------------------------------------- Gaussian IB

COV_X = np.array([[1.0, 0.3, 0.1], [0.3, 1.0, 0.2], [0.1, 0.2, 1.0]])
COV_XY = np.array([[0.6, 0.1], [0.2, 0.4], [0.0, 0.1]])
COV_Y = np.eye(2)


def _numerical_gaussian_ib(beta, n_starts=6, seed=0):
    rng = np.random.default_rng(seed)

    def lag(a):
        i_xt, i_ty = ibt.linear_gaussian_informations(a.reshape(3, 3), COV_X, COV_XY, COV_Y)
        return i_xt - beta * i_ty

    return min(minimize(lag, rng.normal(size=9), method="BFGS").fun for _ in range(n_starts))


@pytest.mark.parametrize("beta", [1.5, 2.5, 2.7, 5.0, 7.2, 20.0])
def test_gaussian_ib_closed_form_against_numerical_optimum(beta):
    a, i_xt, i_ty = ibt.gaussian_ib(COV_X, COV_XY, COV_Y, beta)
    # the closed-form informations agree with the log-determinants of its own encoder
    assert ibt.linear_gaussian_informations(a, COV_X, COV_XY, COV_Y) == pytest.approx(
        (i_xt, i_ty), abs=1e-10)
    # and no linear encoder found numerically does better
    assert _numerical_gaussian_ib(beta) == pytest.approx(i_xt - beta * i_ty, abs=1e-6)


def test_gaussian_critical_betas_against_a_numerical_search():
    crit = ibt.gaussian_ib_critical_betas(COV_X, COV_XY, COV_Y)
    assert np.isinf(crit[2])                      # Y is 2-D: one direction never enters
    # canonical correlations: 1 - lambda_i = rho_i^2 from the whitened cross-covariance
    wx = np.linalg.inv(np.linalg.cholesky(COV_X))
    rho = np.linalg.svd(wx @ COV_XY, compute_uv=False)
    np.testing.assert_allclose(crit[:2], 1 / rho ** 2, rtol=1e-10)
    # first critical beta: the numerical optimum leaves zero just above it, not below
    assert _numerical_gaussian_ib(crit[0] * 0.99) > -1e-9
    assert _numerical_gaussian_ib(crit[0] * 1.01) < -1e-7
    # second: the number of active directions of the optimum (its rank) goes from 1 to 2
    for beta, rank in ((crit[1] * 0.98, 1), (crit[1] * 1.02, 2)):
        a, _, _ = ibt.gaussian_ib(COV_X, COV_XY, COV_Y, beta)
        assert np.linalg.matrix_rank(a) == rank


def test_scalar_gaussian_critical_beta_is_one_over_rho_squared():
    for rho in (0.3, 0.8):
        assert ibt.gaussian_ib_critical_betas([[1.0]], [[rho]], [[1.0]])[0] == pytest.approx(
            1 / rho ** 2)
        # scalar closed form: T = aX + noise, I(X;T) = 1/2 log(1 + a^2),
        # I(T;Y) = -1/2 log(1 - rho^2 a^2 / (1 + a^2)); optimize a by a grid
        beta = 3.0 / rho ** 2
        a2 = np.linspace(0, 50, 500001)
        lag = 0.5 * np.log2(1 + a2) + beta * 0.5 * np.log2(1 - rho ** 2 * a2 / (1 + a2))
        _, i_xt, i_ty = ibt.gaussian_ib([[1.0]], [[rho]], [[1.0]], beta)
        assert lag.min() == pytest.approx(i_xt - beta * i_ty, abs=1e-8)


# --------------------------------------------------------- deterministic Y, deterministic IB

def test_deterministic_y_curve_is_piecewise_linear():
    f = np.array([0, 0, 0, 1, 1, 2, 2, 2])
    pxy = np.eye(3)[f] / 8
    h_y = it.entropy(pxy.sum(axis=0))
    for beta in (0.5, 0.9, 1.1, 2.0, 10.0):
        res = ib.iterative_ib(pxy, beta, 8)
        assert res.lagrangian == pytest.approx(min(0.0, (1 - beta) * h_y), abs=1e-6)
        assert min(res.i_xt, abs(res.i_xt - h_y)) < 1e-6          # one of the two ends
    # erasure encoders fill the diagonal: T = Y with probability alpha, else a null symbol
    for alpha in (0.2, 0.5, 0.9):
        enc = np.hstack([alpha * np.eye(3)[f], np.full((8, 1), 1 - alpha)])
        i_xt, i_ty = _informations(enc, pxy)
        assert i_xt == pytest.approx(alpha * h_y) and i_ty == pytest.approx(alpha * h_y)


def _dib_brute_force(pxy, beta=None):
    """min H(T) - beta I(T;Y) over all maps X -> T (n^n of them); with beta None, the
    smallest ratio H(T)/I(T;Y) over the maps with I(T;Y) > 0."""
    n = pxy.shape[0]
    best = math.inf
    for labels in itertools.product(range(n), repeat=n):
        enc = np.eye(n)[list(labels)]
        h_t = it.entropy(pxy.sum(axis=1) @ enc)
        i_ty = it.mutual_information(enc.T @ pxy)
        if beta is not None:
            best = min(best, h_t - beta * i_ty)
        elif i_ty > 1e-12:
            best = min(best, h_t / i_ty)
    return best


@pytest.mark.parametrize("seed", [0, 1])
def test_deterministic_ib_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    pxy = rng.dirichlet(np.ones(10)).reshape(5, 2)
    for beta in (2.0, 5.0, 20.0):
        exact = _dib_brute_force(pxy, beta)
        _, h, i = ibt.deterministic_ib_exhaustive(pxy, beta)
        assert h - beta * i == pytest.approx(exact, abs=1e-10)
        _, h, i = ibt.deterministic_ib(pxy, beta, 5)
        assert h - beta * i == pytest.approx(exact, abs=1e-10)
    assert ibt.deterministic_ib_critical_beta(pxy) == pytest.approx(_dib_brute_force(pxy),
                                                                    rel=1e-10)


def test_deterministic_ib_on_the_running_example_and_its_threshold():
    for beta in (3.0, 10.0, 30.0):
        _, h, i = ibt.deterministic_ib(PXY, beta, 8)
        _, h_e, i_e = ibt.deterministic_ib_exhaustive(PXY, beta)
        assert h - beta * i == pytest.approx(h_e - beta * i_e, abs=1e-10)
    b_dib = ibt.deterministic_ib_critical_beta(PXY)
    for beta, sign in ((b_dib * 0.999, 1), (b_dib * 1.001, -1)):
        _, h, i = ibt.deterministic_ib_exhaustive(PXY, beta)
        assert (h - beta * i) * sign >= 0 and (sign > 0) == (h == 0)
    assert b_dib > 1 / ibt.hypercontractivity(PXY)[0]       # the DIB starts later


# ------------------------------------------------------------------------ Xu & Raginsky

@pytest.mark.parametrize("n", [10, 100, 1000])
def test_xu_raginsky_on_the_coin(n):
    theta = 0.3
    k = np.arange(n + 1)
    pk, w = binom.pmf(k, n, theta), k / n
    # expected gap by enumeration vs its closed form 2 theta (1 - theta) / n
    gap = pk @ (theta * (1 - w) ** 2 + (1 - theta) * w ** 2 - (w * (1 - w) ** 2 + (1 - w) * w ** 2))
    assert gap == pytest.approx(2 * theta * (1 - theta) / n, rel=1e-9)
    # a Monte Carlo check of the gap from simulated training sets
    rng = np.random.default_rng(n)
    s = rng.random((20000, n)) < theta
    wm = s.mean(axis=1)
    emp = ((wm[:, None] - s) ** 2).mean(axis=1)
    pop = theta * (1 - wm) ** 2 + (1 - theta) * wm ** 2
    assert (pop - emp).mean() == pytest.approx(gap, abs=5 * (pop - emp).std() / np.sqrt(20000))
    bound = ibt.xu_raginsky_bound(it.entropy(pk, base=np.e), n, 0.5)
    assert gap <= bound
    assert bound == pytest.approx(math.sqrt(it.entropy(pk, base=np.e) / (2 * n)))


def test_xu_raginsky_bound_units_and_bad_input():
    assert ibt.xu_raginsky_bound(1.0, 2, 1.0, base=2) == pytest.approx(math.sqrt(math.log(2)))
    with pytest.raises(ValueError, match="mutual_information"):
        ibt.xu_raginsky_bound(-1.0, 10, 1.0)
    with pytest.raises(TypeError, match="n"):
        ibt.xu_raginsky_bound(1.0, 2.5, 1.0)
    with pytest.raises(ValueError, match="sigma"):
        ibt.xu_raginsky_bound(1.0, 10, -1.0)


# -------------------------------------------------------------- the slider's cluster count

def _distinct_clusters(enc, pxy, tol=1e-3):
    pt = pxy.sum(axis=1) @ enc
    p1 = np.sort((enc[:, pt > 1e-9].T @ pxy[:, 1]) / pt[pt > 1e-9])
    return 1 + int((np.diff(p1) >= tol).sum())


def test_distinct_clusters_on_the_slider():
    betas = np.geomspace(1, 100, 41)
    curve = ib.ib_curve(PXY, betas, n_clusters=8, seed=0)
    counts = [_distinct_clusters(curve.encoders[k], PXY) for k in (0, 10, 20, 40)]
    assert counts == [1, 2, 3, 7]
    # at beta = 100 the merged pair is x = 0, 1 (p(y=1|x) = 0.05 and 0.10)
    enc = curve.encoders[-1]
    assert np.argmax(enc[0]) == np.argmax(enc[1]) or np.allclose(
        (enc.T @ PXY[:, 1])[np.argmax(enc[0])] / (PXY.sum(axis=1) @ enc)[np.argmax(enc[0])],
        (enc.T @ PXY[:, 1])[np.argmax(enc[1])] / (PXY.sum(axis=1) @ enc)[np.argmax(enc[1])],
        atol=1e-3)


# ------------------------------------------------------------------------------ bad input

def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="pxy"):
        ibt.hypercontractivity([[0.5, 0.6]])
    with pytest.raises(TypeError, match="n_starts"):
        ibt.hypercontractivity(PXY, n_starts=2.0)
    with pytest.raises(ValueError, match="cov_x"):
        ibt.gaussian_ib([[1.0, 0.0]], [[0.5]], [[1.0]], 3.0)
    with pytest.raises(ValueError, match="positive definite"):
        ibt.gaussian_ib([[1.0]], [[2.0]], [[1.0]], 3.0)
    with pytest.raises(TypeError, match="beta"):
        ibt.gaussian_ib([[1.0]], [[0.5]], [[1.0]], "3")
    with pytest.raises(ValueError, match="beta"):
        ibt.deterministic_ib(PXY, -1.0, 3)
    with pytest.raises(TypeError, match="n_clusters"):
        ibt.deterministic_ib(PXY, 1.0, 3.0)
    with pytest.raises(ValueError, match="pxy"):
        ibt.deterministic_ib_exhaustive(np.full((11, 2), 1 / 22), 1.0)
