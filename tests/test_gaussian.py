"""Tests of itlib.gaussian against scipy, Monte Carlo, quadrature and published numbers."""

import math
import re

import numpy as np
import pytest
import scipy.integrate
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import itlib as it

LN2 = math.log(2)


def random_spd(rng, d):
    """A random symmetric positive definite matrix, well conditioned (eigenvalues >= 0.5)."""
    a = rng.normal(size=(d, d))
    return a @ a.T / d + 0.5 * np.eye(d)


# ---------------------------------------------------------------------------
# Entropy: scipy.stats returns nats; divide by ln 2 for bits.

@pytest.mark.parametrize("var", [1e-4, 0.01, 1.0, 2.0, 123.0])
def test_entropy_of_a_variance_matches_scipy_norm(var):
    nats = scipy.stats.norm(scale=math.sqrt(var)).entropy()
    assert it.gaussian.entropy(var, base=math.e) == pytest.approx(nats, rel=1e-12, abs=1e-12)
    assert it.gaussian.entropy(var) == pytest.approx(nats / LN2, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("d", [1, 2, 3, 5, 10])
def test_entropy_of_a_covariance_matches_scipy_multivariate_normal(d):
    cov = random_spd(np.random.default_rng(d), d)
    nats = scipy.stats.multivariate_normal(mean=np.zeros(d), cov=cov).entropy()
    assert it.gaussian.entropy(cov, base=math.e) == pytest.approx(nats, rel=1e-10)
    assert it.gaussian.entropy(cov) == pytest.approx(nats / LN2, rel=1e-10)


def test_standard_normal_entropy_in_bits_by_hand():
    # 0.5 log2(2 pi e) = 0.5 * 4.0942 = 2.0471 bits (the syllabus' chapter-1 formula).
    assert it.gaussian.entropy(1.0) == pytest.approx(0.5 * math.log2(2 * math.pi * math.e), rel=1e-14)


def test_entropy_can_be_negative():
    # 0.5 log2(2 pi e * 0.01) = 2.0471 - 3.3219 = -1.2748 bits: a narrow Gaussian.
    assert it.gaussian.entropy(0.01) == pytest.approx(-1.2748, abs=5e-5)


# ---------------------------------------------------------------------------
# KL divergence: published numbers and the two readings of "N(2, 2)".

def test_kl_exercise_with_variance_2_is_1_0966_nats():
    # 0.5 [1/2 + 4/2 - 1 + ln 2] = 1.09657 nats (syllabus, chapter 2).
    assert round(it.gaussian.kl_divergence(0, 1, 2, 2, base=math.e), 4) == 1.0966


def test_kl_exercise_with_std_2_is_0_8181_nats():
    # Standard deviation 2 means variance 4: 0.5 [1/4 + 4/4 - 1 + ln 4] = 0.81815 nats.
    assert round(it.gaussian.kl_divergence(0, 1, 2, 4, base=math.e), 4) == 0.8181


@pytest.mark.parametrize("base", [2, math.e, 10])
def test_units_differ_by_log_of_base(base):
    nats = it.gaussian.kl_divergence(0.3, 1.5, -1.0, 0.7, base=math.e)
    assert it.gaussian.kl_divergence(0.3, 1.5, -1.0, 0.7, base=base) == pytest.approx(
        nats / math.log(base), rel=1e-14)


@pytest.mark.parametrize("mu0, v0, mu1, v1", [(0, 1, 2, 2), (1.5, 0.3, -0.5, 4.0), (0, 9, 0, 1)])
def test_univariate_kl_matches_numerical_quadrature(mu0, v0, mu1, v1):
    # Independent route: integrate p log(p/q) with scipy's adaptive quadrature
    # (its error estimate is far below the 1e-8 tolerance for these smooth integrands).
    p = scipy.stats.norm(mu0, math.sqrt(v0))
    q = scipy.stats.norm(mu1, math.sqrt(v1))
    nats, _ = scipy.integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)),
                                   -np.inf, np.inf, epsabs=1e-12)
    assert it.gaussian.kl_divergence(mu0, v0, mu1, v1, base=math.e) == pytest.approx(nats, abs=1e-8)


def test_univariate_kl_matches_monte_carlo():
    rng = np.random.default_rng(20261123)
    mu0, v0, mu1, v1 = 0.0, 1.0, 2.0, 2.0
    x = rng.normal(mu0, math.sqrt(v0), size=400_000)
    log_ratio = (scipy.stats.norm(mu0, math.sqrt(v0)).logpdf(x)
                 - scipy.stats.norm(mu1, math.sqrt(v1)).logpdf(x))
    estimate = log_ratio.mean()
    # The sample mean's standard error is std/sqrt(n) (about 0.002 nats here); five of
    # them make a false alarm a 1-in-1.7-million event.
    se = log_ratio.std(ddof=1) / math.sqrt(x.size)
    exact = it.gaussian.kl_divergence(mu0, v0, mu1, v1, base=math.e)
    assert abs(estimate - exact) < 5 * se


@pytest.mark.parametrize("d", [2, 4])
def test_multivariate_kl_matches_monte_carlo(d):
    rng = np.random.default_rng(100 + d)
    mu0, mu1 = rng.normal(size=d), rng.normal(size=d)
    cov0, cov1 = random_spd(rng, d), random_spd(rng, d)
    p = scipy.stats.multivariate_normal(mu0, cov0)
    q = scipy.stats.multivariate_normal(mu1, cov1)
    x = p.rvs(size=200_000, random_state=rng)
    log_ratio = p.logpdf(x) - q.logpdf(x)
    se = log_ratio.std(ddof=1) / math.sqrt(len(x))  # standard error of the sample mean
    exact = it.gaussian.kl_divergence(mu0, cov0, mu1, cov1, base=math.e)
    assert abs(log_ratio.mean() - exact) < 5 * se  # five standard errors, see above


def test_kl_of_independent_coordinates_is_the_sum():
    # Diagonal covariances factorize: the KL of the product is the sum of the
    # univariate KLs (chain rule for independent coordinates).
    mu0, v0 = np.array([0.0, 1.0, -2.0]), np.array([1.0, 0.5, 3.0])
    mu1, v1 = np.array([1.0, 1.0, 0.0]), np.array([2.0, 0.5, 1.0])
    total = sum(it.gaussian.kl_divergence(a, b, c, e) for a, b, c, e in zip(mu0, v0, mu1, v1))
    assert it.gaussian.kl_divergence(mu0, np.diag(v0), mu1, np.diag(v1)) == pytest.approx(total, rel=1e-12)


@pytest.mark.parametrize("args", [(0.0, 1.0, 2.0, 2.0), (-1.3, 0.2, 0.4, 5.0)])
def test_univariate_agrees_with_1x1_matrix(args):
    mu0, v0, mu1, v1 = args
    scalar = it.gaussian.kl_divergence(mu0, v0, mu1, v1)
    matrix = it.gaussian.kl_divergence([mu0], [[v0]], [mu1], [[v1]])
    assert matrix == pytest.approx(scalar, rel=1e-13)
    assert it.gaussian.entropy([[v0]]) == pytest.approx(it.gaussian.entropy(v0), rel=1e-13)


def test_kl_is_zero_iff_equal():
    rng = np.random.default_rng(7)
    mu, cov = rng.normal(size=3), random_spd(rng, 3)
    assert it.gaussian.kl_divergence(mu, cov, mu, cov) == pytest.approx(0.0, abs=1e-12)
    assert it.gaussian.kl_divergence(mu, cov, mu + 0.01, cov) > 0
    assert it.gaussian.kl_divergence(mu, cov, mu, 1.01 * cov) > 0


def test_kl_is_not_symmetric():
    # 1.0966 nats one way; 0.5 [2 + 4 - 1 - ln 2] = 2.1534 nats the other way.
    forward = it.gaussian.kl_divergence(0, 1, 2, 2, base=math.e)
    reverse = it.gaussian.kl_divergence(2, 2, 0, 1, base=math.e)
    assert reverse == pytest.approx(0.5 * (2 + 4 - 1 - math.log(2)), rel=1e-12)
    assert reverse > 1.9 * forward


@settings(max_examples=200, deadline=None)
@given(mu0=st.floats(-10, 10), v0=st.floats(1e-3, 1e3), mu1=st.floats(-10, 10),
       v1=st.floats(1e-3, 1e3))
def test_kl_is_non_negative(mu0, v0, mu1, v1):
    assert it.gaussian.kl_divergence(mu0, v0, mu1, v1) >= 0.0


def test_kl_clips_only_rounding_so_a_negative_formula_shows(monkeypatch):
    """The clip at zero covers rounding only.  Were the formula wrong (here a planted
    bug takes 0.1 nats off), the result would be negative and the property test above
    would fail, instead of a clip hiding it behind a 0."""
    assert it.gaussian.kl_divergence(0.0, 1.0, 0.0, 1.0 + 1e-15) == 0.0   # rounding: clipped
    real = it.gaussian._kl_nats

    def planted(*args):
        nats, scale, n = real(*args)
        return nats - 0.1, scale, n

    monkeypatch.setattr(it.gaussian, "_kl_nats", planted)
    assert it.gaussian.kl_divergence(0.0, 1.0, 0.0, 1.0, base=math.e) == pytest.approx(-0.1)
    assert it.gaussian.kl_divergence([0.0], [[1.0]], [0.0], [[1.0]], base=math.e) < 0


# ---------------------------------------------------------------------------
# Mutual information of a bivariate Gaussian.

@pytest.mark.parametrize("rho", [0.0, 0.3, -0.6, 0.9, 0.999])
def test_mi_equals_the_entropy_identity(rho):
    # I = h(X) + h(Y) - h(X, Y), every term from scipy (nats).  Unit variances: the
    # identity does not depend on them, so use 2 and 0.5 to check that too.
    sx, sy = math.sqrt(2.0), math.sqrt(0.5)
    cov = [[sx * sx, rho * sx * sy], [rho * sx * sy, sy * sy]]
    nats = (scipy.stats.norm(scale=sx).entropy() + scipy.stats.norm(scale=sy).entropy()
            - scipy.stats.multivariate_normal(cov=cov).entropy())
    assert it.gaussian.mutual_information(rho, base=math.e) == pytest.approx(nats, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("rho", [0.3, 0.6, -0.9])
def test_mi_matches_a_finely_discretized_gaussian(rho):
    # Independent route: the discrete MI (itlib.discrete) of the density sampled on a
    # 200 x 200 grid over [-8, 8]^2.  Riemann sums of Gaussian integrands converge
    # faster than any power of the bin width and the tails beyond 8 std hold ~1e-15 of
    # the mass; the observed error is ~1e-10 bits, so 1e-6 bits is a generous bound.
    edges = np.linspace(-8, 8, 201)
    c = 0.5 * (edges[1:] + edges[:-1])
    grid = np.stack(np.meshgrid(c, c, indexing="ij"), axis=-1)
    pdf = scipy.stats.multivariate_normal(cov=[[1, rho], [rho, 1]]).pdf(grid)
    assert it.mutual_information(pdf / pdf.sum()) == pytest.approx(
        it.gaussian.mutual_information(rho), abs=1e-6)


def test_mi_worked_numbers_and_vectorization():
    # -0.5 log2(0.75) = 0.2075 bits; -0.5 log2(0.64) = 0.3219 bits.
    assert it.gaussian.mutual_information(0.5) == pytest.approx(0.20752, abs=1e-5)
    out = it.gaussian.mutual_information(np.array([[0.0, 0.6], [-0.6, 0.8]]))
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out, [[0.0, 0.32193], [0.32193, 0.73697]], atol=1e-5)
    assert isinstance(it.gaussian.mutual_information(0.1), float)


# ---------------------------------------------------------------------------
# Bad input: one test per class, each message naming the argument and the value.

@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: it.gaussian.entropy(0.0), "cov must be a positive variance (got 0)"),
        (lambda: it.gaussian.entropy(-2.5), "cov must be a positive variance (got -2.5)"),
        (lambda: it.gaussian.kl_divergence(0, 1, 0, -1), "cov1 must be a positive variance (got -1)"),
    ],
)
def test_non_positive_variance_raises(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_non_symmetric_covariance_raises():
    with pytest.raises(ValueError, match=re.escape("cov0 must be symmetric (got [[1, 0.5], [0, 1]])")):
        it.gaussian.kl_divergence([0, 0], [[1, 0.5], [0, 1]], [0, 0], np.eye(2))


def test_not_positive_definite_covariance_raises():
    msg = "cov must be positive definite (got [[1, 2], [2, 1]], smallest eigenvalue -1)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        it.gaussian.entropy([[1, 2], [2, 1]])
    with pytest.raises(ValueError, match="cov1 must be positive definite"):  # singular
        it.gaussian.kl_divergence([0, 0], np.eye(2), [0, 0], [[1, 1], [1, 1]])


@pytest.mark.parametrize("rho", [1.0, -1.0, 1.5])
def test_rho_outside_open_interval_raises(rho):
    msg = f"rho must lie strictly between -1 and 1 (got {rho:g})"
    with pytest.raises(ValueError, match=re.escape(msg)):
        it.gaussian.mutual_information(rho)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: it.gaussian.entropy(float("nan")), "cov must be finite (got nan)"),
        (lambda: it.gaussian.entropy([[1.0, 0.0], [0.0, np.inf]]), "cov must be finite (got inf)"),
        (lambda: it.gaussian.kl_divergence(np.nan, 1, 0, 1), "mu0 must be finite (got nan)"),
        (lambda: it.gaussian.kl_divergence(0, 1, [0, np.nan], np.eye(2)), "mu1 must be finite (got nan)"),
        (lambda: it.gaussian.mutual_information(np.nan), "rho must be finite (got nan)"),
    ],
)
def test_nan_or_infinite_raises(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


@pytest.mark.parametrize(
    "args, message",
    [
        (([0, 0], np.eye(2), [0, 0, 0], np.eye(2)), "shapes do not match: mu0 (2,), cov0 (2, 2), mu1 (3,)"),
        (([0, 0], np.eye(3), [0, 0], np.eye(3)), "shapes do not match: mu0 (2,), cov0 (3, 3)"),
        ((0.0, 1.0, [0.0], [[1.0]]), "must all be scalars (univariate) or all arrays"),
        (([0, 0], [1.0, 1.0], [0, 0], np.eye(2)),
         "cov0 must be a variance (a scalar) or a covariance matrix (2-D) (got a 1-D array of shape (2,))"),
        (([0, 0], np.ones((2, 3)), [0, 0], np.eye(2)), "cov0 must be a square matrix (got shape (2, 3))"),
        ((np.zeros((2, 2)), np.eye(2), [0, 0], np.eye(2)), "mu0 must be a scalar or a 1-D vector"),
    ],
)
def test_shape_mismatch_raises(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        it.gaussian.kl_divergence(*args)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: it.gaussian.entropy("1.0"), "cov must be numeric (got str '1.0')"),
        (lambda: it.gaussian.entropy(None), "cov must be numeric (got NoneType None)"),
        (lambda: it.gaussian.kl_divergence(0, 1, 1j, 1), "mu1 must contain real numbers (got dtype complex128)"),
        (lambda: it.gaussian.kl_divergence(0, True, 0, 1), "cov0 must contain real numbers (got dtype bool)"),
        (lambda: it.gaussian.mutual_information("0.5"), "rho must be numeric (got str '0.5')"),
        (lambda: it.gaussian.entropy(1.0, base="2"), "base must be a real number (got str '2')"),
    ],
)
def test_non_numeric_raises_type_error(call, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        call()


def test_bad_base_raises():
    with pytest.raises(ValueError, match=re.escape("base must be positive, finite and not 1 (got 1)")):
        it.gaussian.kl_divergence(0, 1, 0, 1, base=1)


# --- issue 31 -------------------------------------------------------------------------


@pytest.mark.parametrize("v0, v1", [(1e-300, 1e300), (1e300, 1e-300), (1e-300, 1.0),
                                    (1.0, 1e-300), (1e300, 1.0), (1e-200, 1e-100),
                                    (2.0, 3.0)])
def test_kl_scalar_path_matches_the_matrix_path_at_extreme_variances(v0, v1):
    # The scalar path took log(v1 / v0), which overflows to inf (or underflows to 0, giving
    # log 0 = -inf and inf - inf = nan) while the 1 x 1 matrix path was right.
    for m0, m1 in ((0.0, 0.0), (0.0, 1.0)):
        scalar = it.gaussian.kl_divergence(m0, v0, m1, v1)
        matrix = it.gaussian.kl_divergence([m0], [[v0]], [m1], [[v1]])
        assert scalar == pytest.approx(matrix, rel=1e-12), (v0, v1, m0, m1)
    assert not math.isnan(it.gaussian.kl_divergence(0, v0, 0, v1))


def test_kl_at_extreme_variances_has_the_closed_form_value():
    # D(N(0, 1e-300) || N(0, 1e300)) = (1e-600 - 1 + ln 1e600) / 2 nats, about 996 bits.
    expected = 0.5 * (-1.0 + 600 * math.log(10)) / math.log(2)
    assert it.gaussian.kl_divergence(0, 1e-300, 0, 1e300) == pytest.approx(expected, rel=1e-12)
    assert it.gaussian.kl_divergence(0, 1e300, 0, 1e-300) == math.inf


def test_log_density_agrees_with_scipy():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 3))
    cov = a @ a.T + np.eye(3)
    mean = rng.standard_normal(3)
    x = rng.standard_normal((5, 3))
    ours = it.gaussian.log_density(x, mean, cov, base=math.e)
    np.testing.assert_allclose(ours, scipy.stats.multivariate_normal(mean, cov).logpdf(x),
                               rtol=1e-12)
    assert it.gaussian.log_density(0.5, 1.0, 2.0, base=math.e) == pytest.approx(
        scipy.stats.norm(1.0, math.sqrt(2.0)).logpdf(0.5), rel=1e-12)
    assert it.gaussian.log_density(0.5, 1.0, 2.0) == pytest.approx(
        scipy.stats.norm(1.0, math.sqrt(2.0)).logpdf(0.5) / math.log(2), rel=1e-12)
