"""itlib.linear_gaussian: evidence against scipy, posterior against the conditioning formula
of a joint Gaussian, and the identity log p(x) = ELBO + KL(q || p(z|x)) (chapter 4)."""

import math
import re

import numpy as np
import pytest
from scipy import stats

import itlib.gaussian as g
from itlib.linear_gaussian import LinearGaussian


def _random_model(seed, n=3, d=2):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(n, d))
    a = rng.normal(size=(n, n))
    psi = a @ a.T + 0.5 * np.eye(n)          # a full, well-conditioned noise covariance
    b = rng.normal(size=n)
    x = rng.normal(size=n) * 2
    q_mean = rng.normal(size=d)
    c = rng.normal(size=(d, d))
    q_cov = c @ c.T + 0.1 * np.eye(d)
    return LinearGaussian(w, b, psi), w, b, psi, x, q_mean, q_cov


@pytest.mark.parametrize("seed", range(5))
def test_log_evidence_matches_scipy(seed):
    model, w, b, psi, x, _, _ = _random_model(seed)
    want = stats.multivariate_normal(b, w @ w.T + psi).logpdf(x)
    assert model.log_evidence(x, base=math.e) == pytest.approx(want, abs=1e-10)
    assert model.log_evidence(x) == pytest.approx(want / math.log(2), abs=1e-10)


@pytest.mark.parametrize("seed", range(5))
def test_posterior_matches_joint_gaussian_conditioning(seed):
    # Independent route: (z, x) is jointly Gaussian with Cov(z, x) = W^T, so
    # E[z|x] = W^T C^-1 (x - b) and Cov[z|x] = I - W^T C^-1 W, C = W W^T + Psi (Woodbury).
    model, w, b, psi, x, _, _ = _random_model(seed)
    c = w @ w.T + psi
    mean, cov = model.posterior(x)
    np.testing.assert_allclose(mean, w.T @ np.linalg.solve(c, x - b), atol=1e-10)
    np.testing.assert_allclose(cov, np.eye(2) - w.T @ np.linalg.solve(c, w), atol=1e-10)


@pytest.mark.parametrize("seed", range(10))
def test_gap_between_log_evidence_and_elbo_is_kl_to_posterior(seed):
    # The identity of chapter 4, to 1e-6 bits (it holds exactly; rounding is ~1e-13).
    model, _, _, _, x, q_mean, q_cov = _random_model(seed)
    post_mean, post_cov = model.posterior(x)
    gap = model.log_evidence(x) - model.elbo(x, q_mean, q_cov)
    kl = g.kl_divergence(q_mean, q_cov, post_mean, post_cov)
    assert kl > 0.01                      # q is really away from the posterior
    assert abs(gap - kl) < 1e-6


def test_elbo_reaches_log_evidence_at_the_posterior_and_only_there():
    model, _, _, _, x, _, _ = _random_model(7)
    post_mean, post_cov = model.posterior(x)
    best = model.elbo(x, post_mean, post_cov)
    assert best == pytest.approx(model.log_evidence(x), abs=1e-10)
    rng = np.random.default_rng(0)
    for _ in range(20):
        assert model.elbo(x, post_mean + 0.1 * rng.normal(size=2), post_cov) < best


@pytest.mark.parametrize("seed", range(3))
def test_monte_carlo_elbo_agrees_with_closed_form(seed):
    # 5 standard errors: fails by chance with probability below 1e-6.
    model, _, _, _, x, q_mean, q_cov = _random_model(seed)
    est, se = model.elbo_monte_carlo(x, q_mean, q_cov, 50_000, np.random.default_rng(seed))
    assert abs(est - model.elbo(x, q_mean, q_cov)) < 5 * se


def test_one_dimensional_example_by_hand():
    # z ~ N(0,1), x|z ~ N(2z, 1), x = 3: p(x) = N(3; 0, 5); posterior N(1.2, 0.2).
    m = LinearGaussian(2.0)
    assert m.log_evidence(3.0, base=math.e) == pytest.approx(
        -0.5 * math.log(2 * math.pi * 5) - 9 / 10, abs=1e-12)
    mean, cov = m.posterior(3.0)
    assert mean[0] == pytest.approx(1.2) and cov[0, 0] == pytest.approx(0.2)


@pytest.mark.parametrize("kwargs, message", [
    (dict(W=np.ones(3)), "W must be a number or a 2-D matrix (got shape (3,))"),
    (dict(W=[[np.nan]]), "W must be finite (got nan)"),
    (dict(W=1.0, noise_cov=-1.0), "noise_cov must be a positive variance (got -1)"),
    (dict(W=np.ones((2, 1)), b=[0, 0, 0]), "b must be a number or have shape (2,) (got shape (3,))"),
])
def test_bad_model_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        LinearGaussian(**kwargs)


def test_bad_x_and_q_are_refused():
    m = LinearGaussian(np.ones((2, 1)))
    with pytest.raises(ValueError, match=re.escape("x must have shape (2,) (got shape (3,))")):
        m.log_evidence([1, 2, 3])
    with pytest.raises(ValueError, match=re.escape("q_cov must be a positive variance or a symmetric positive definite matrix (got -1)")):
        m.elbo([1, 2], 0.0, -1.0)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        m.elbo_monte_carlo([1, 2], 0.0, 1.0, 10, rng=0)


# --- issue 31 -------------------------------------------------------------------------


def test_non_symmetric_noise_cov_is_refused():
    # Cholesky read one triangle and the log-density symmetrized: log-evidence - ELBO at
    # the exact posterior came out 0.134 bits instead of 0.
    with pytest.raises(ValueError, match="noise_cov must be symmetric"):
        LinearGaussian(np.array([[1.0], [0.5]]), noise_cov=[[1.0, 0.8], [0.0, 1.0]])


def test_noise_cov_not_positive_definite_is_refused():
    with pytest.raises(ValueError, match="noise_cov must be positive definite"):
        LinearGaussian(np.array([[1.0], [0.5]]), noise_cov=[[1.0, 2.0], [2.0, 1.0]])


@pytest.mark.parametrize("n_samples, error", [(1, ValueError), (2.5, TypeError),
                                              ("10", TypeError)])
def test_n_samples_wrong_type_is_a_type_error(n_samples, error):
    m = LinearGaussian(2.0)
    with pytest.raises(error, match="n_samples"):
        m.elbo_monte_carlo(1.0, 0.0, 1.0, n_samples, np.random.default_rng(0))
