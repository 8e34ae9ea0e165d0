"""itlib.bounds: InfoNCE, NWJ and DV against explicit loops with scipy's logsumexp, against
the optimal critic of correlated Gaussians (closed-form mutual information), and their
input checks.

Ground truth for the Gaussian tests: ``I(X;Y) = -(d/2) log(1 - rho^2)`` nats, and the
optimal critic ``log p(x, y) / (p(x) p(y))`` computed here with scipy's
``multivariate_normal.logpdf`` (an independent route from ``itlib.contrastive``).
"""

import math
import re

import numpy as np
import pytest
import torch
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from itlib.bounds import dv, infonce, nwj

# ------------------------------------------------------------------ independent versions


def infonce_loops(s: np.ndarray) -> float:
    """InfoNCE with explicit loops: mean_i [s_ii - log sum_j exp s_ij] + log N."""
    n = len(s)
    total = 0.0
    for i in range(n):
        total += s[i, i] - logsumexp([s[i, j] for j in range(n)])
    return total / n + math.log(n)


def offdiag(s: np.ndarray) -> list[float]:
    n = len(s)
    return [s[i, j] for i in range(n) for j in range(n) if i != j]


def nwj_loops(s: np.ndarray) -> float:
    """NWJ: mean of the diagonal minus e^-1 times the mean of exp over the pairs i != j."""
    off = offdiag(s)
    return float(np.mean(np.diag(s)) - math.exp(-1) * sum(math.exp(v) for v in off) / len(off))


def dv_loops(s: np.ndarray) -> float:
    """DV: mean of the diagonal minus the log of the mean of exp over the pairs i != j."""
    off = offdiag(s)
    return float(np.mean(np.diag(s)) - (logsumexp(off) - math.log(len(off))))


@pytest.mark.parametrize("n", [2, 3, 7, 16])
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("bound, reference", [(infonce, infonce_loops), (nwj, nwj_loops),
                                              (dv, dv_loops)])
def test_bounds_match_explicit_loops(bound, reference, n, seed):
    s = np.random.default_rng(seed).normal(scale=3.0, size=(n, n))
    got = bound(torch.tensor(s)).item()
    assert got == pytest.approx(reference(s), rel=1e-12, abs=1e-12)


def test_infonce_is_log_n_minus_cross_entropy():
    # Independent route: PyTorch's classification loss with the positives as labels.
    s = torch.randn(10, 10, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    ce = torch.nn.functional.cross_entropy(s, torch.arange(10))
    assert infonce(s).item() == pytest.approx(math.log(10) - ce.item(), rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_infonce_never_exceeds_log_n_and_dv_dominates_nwj(seed):
    # Deterministic facts, true for every score matrix: each InfoNCE term is a log-softmax
    # (<= 0), and log m <= m / e for m > 0 gives DV >= NWJ for the same critic.
    s = 20.0 * torch.randn(32, 32, generator=torch.Generator().manual_seed(seed),
                           dtype=torch.float64)
    s.diagonal().add_(40.0)                      # make the positives very easy to pick
    assert infonce(s).item() <= math.log(32) + 1e-12
    assert dv(s).item() >= nwj(s).item()


def test_shift_invariances():
    # Adding a constant to a row leaves InfoNCE unchanged; adding a constant to the whole
    # matrix leaves DV unchanged, but not NWJ (NWJ's optimal critic has a fixed offset 1).
    s = torch.randn(6, 6, generator=torch.Generator().manual_seed(4), dtype=torch.float64)
    rows = torch.arange(6, dtype=torch.float64)[:, None]
    assert infonce(s + rows).item() == pytest.approx(infonce(s).item(), rel=1e-12)
    assert dv(s + 2.5).item() == pytest.approx(dv(s).item(), rel=1e-12)
    assert nwj(s + 2.5).item() != pytest.approx(nwj(s).item(), rel=1e-3)


def test_bounds_are_differentiable():
    s = torch.randn(5, 5, generator=torch.Generator().manual_seed(5), requires_grad=True)
    (infonce(s) + nwj(s) + dv(s)).backward()
    assert s.grad is not None and torch.isfinite(s.grad).all()


# ------------------------------------------------------------------ the optimal critic


def gaussian_scores(x: np.ndarray, y: np.ndarray, rho: float) -> np.ndarray:
    """scores[i, j] = log p(x_i, y_j) - log p(x_i) - log p(y_j), with scipy's densities."""
    d = x.shape[1]
    cov = np.block([[np.eye(d), rho * np.eye(d)], [rho * np.eye(d), np.eye(d)]])
    n = len(x)
    pairs = np.concatenate([np.repeat(x, n, axis=0), np.tile(y, (n, 1))], axis=1)
    joint = multivariate_normal(np.zeros(2 * d), cov).logpdf(pairs).reshape(n, n)
    marg = multivariate_normal(np.zeros(d), np.eye(d))
    return joint - marg.logpdf(x)[:, None] - marg.logpdf(y)[None, :]


def batch_estimates(bound, mi, d, n, batches, seed, offset=0.0):
    rho = math.sqrt(1 - math.exp(-2 * mi / d))
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(batches):
        x = rng.normal(size=(n, d))
        y = rho * x + math.sqrt(1 - rho**2) * rng.normal(size=(n, d))
        out.append(bound(torch.tensor(gaussian_scores(x, y, rho) + offset)).item())
    return np.array(out)


def test_gaussian_scores_mean_is_the_mutual_information():
    # Sanity check of the test's own critic: E_p[log ratio] = I = -(d/2) log(1 - rho^2).
    rho, d = 0.6, 3
    rng = np.random.default_rng(10)
    x = rng.normal(size=(4000, d))
    y = rho * x + math.sqrt(1 - rho**2) * rng.normal(size=(4000, d))
    cov = np.block([[np.eye(d), rho * np.eye(d)], [rho * np.eye(d), np.eye(d)]])
    ratio = (multivariate_normal(np.zeros(2 * d), cov).logpdf(np.hstack([x, y]))
             - multivariate_normal(np.zeros(d), np.eye(d)).logpdf(x)
             - multivariate_normal(np.zeros(d), np.eye(d)).logpdf(y))
    se = ratio.std(ddof=1) / math.sqrt(len(ratio))
    assert abs(ratio.mean() - (-d / 2 * math.log(1 - rho**2))) < 4 * se


def test_infonce_with_optimal_critic_is_close_to_small_mi():
    # I = 0.1 nats, N = 64.  The optimal critic's InfoNCE is a lower bound whose gap shrinks
    # as I / log N shrinks.  200 batches: the standard error of the mean is about 0.003
    # nats; we ask for the mean within 4 standard errors plus a 0.03-nat bias allowance
    # of the truth from below, and never above it by more than 4 standard errors.
    mi, n = 0.1, 64
    est = batch_estimates(infonce, mi, d=2, n=n, batches=200, seed=0)
    se = est.std(ddof=1) / math.sqrt(len(est))
    assert est.mean() <= mi + 4 * se
    assert est.mean() >= mi - 0.03 - 4 * se


def test_infonce_with_optimal_critic_saturates_at_log_n():
    # I = 10 nats, N = 16: the truth is far above log 16 = 2.77 nats.  Every batch value is
    # at most log N (a deterministic fact), and the mean is pinned just below it: the
    # optimal critic identifies the positive almost surely.
    n = 16
    est = batch_estimates(infonce, 10.0, d=10, n=n, batches=50, seed=1)
    assert np.all(est <= math.log(n) + 1e-9)
    assert est.mean() > math.log(n) - 0.05
    assert est.mean() < 10.0 - 5.0             # nowhere near the truth


@pytest.mark.parametrize("mi", [0.5, 2.0])
def test_nwj_with_critic_one_plus_log_ratio_is_unbiased(mi):
    # NWJ with f = 1 + log ratio has expectation exactly I.  Its batch values are means of
    # many terms; the mean over 200 batches must lie within 4 standard errors of the truth
    # (a 1-in-15,000 chance of a false alarm for a normal mean; the seed is fixed anyway).
    est = batch_estimates(nwj, mi, d=2, n=32, batches=200, seed=2, offset=1.0)
    se = est.std(ddof=1) / math.sqrt(len(est))
    assert abs(est.mean() - mi) < 4 * se
    assert se < 0.05                            # the test has power: 4 se < 0.2 nats


def test_dv_with_optimal_critic_is_close_to_mi():
    # DV is unchanged by the offset; with the optimal critic its batch value has a small
    # upward bias (the log of a sample mean, Jensen).  With N = 64 (4,032 off-diagonal
    # pairs) at I = 1 nat the bias is far below the 0.05-nat allowance; 4 standard errors.
    est = batch_estimates(dv, 1.0, d=2, n=64, batches=100, seed=3)
    se = est.std(ddof=1) / math.sqrt(len(est))
    assert abs(est.mean() - 1.0) < 0.05 + 4 * se


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("bound", [infonce, nwj, dv])
@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 2, 2), (1, 1), ()])
def test_bad_shapes_raise_value_error_naming_the_shape(bound, shape):
    with pytest.raises(ValueError, match=r"scores must .*got shape " + re.escape(str(shape))):
        bound(torch.zeros(shape))


@pytest.mark.parametrize("bound", [infonce, nwj, dv])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_scores_are_refused(bound, bad):
    s = torch.zeros(3, 3)
    s[1, 2] = bad
    with pytest.raises(ValueError, match=re.escape(f"scores must be finite (got {bad})")):
        bound(s)


@pytest.mark.parametrize("bound", [infonce, nwj, dv])
def test_non_tensors_and_integer_scores_raise_type_error(bound):
    with pytest.raises(TypeError, match="scores must be a torch.Tensor .*got ndarray"):
        bound(np.zeros((3, 3)))
    with pytest.raises(TypeError, match=r"scores must have a floating dtype \(got torch.int64\)"):
        bound(torch.zeros(3, 3, dtype=torch.int64))
