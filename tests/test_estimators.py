"""Tests of itlib.estimators against independent routes.

Truth comes from closed forms (the bivariate Gaussian's -1/2 log(1 - rho^2)), from
scikit-learn (mutual_info_score, mutual_info_regression), from a brute-force O(n^2)
numpy implementation of KSG algorithm 1 written here, and from the first-order bias
formulas of Miller (1955), checked against the mean of many draws.
"""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import digamma
from sklearn.feature_selection import mutual_info_regression
from sklearn.metrics import mutual_info_score
from sklearn.preprocessing import scale

import itlib as it
from itlib.estimators import binned_mi, ksg_mi, miller_madow_entropy, plugin_entropy, plugin_mi

LN2 = math.log(2)


def gaussian_pair(rho, n, seed, d=1):
    """n draws of (X, Y), each d-dimensional, with corr(X_i, Y_i) = rho and independent i."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    y = rho * x + math.sqrt(1 - rho**2) * rng.standard_normal((n, d))
    return (x[:, 0], y[:, 0]) if d == 1 else (x, y)


def gaussian_mi_nats(rho, d=1):
    return -0.5 * d * math.log(1 - rho**2)


def ksg_brute_force(x, y, k):
    """KSG algorithm 1 from its definition, with dense O(n^2) distance matrices (nats).

    Each column is first divided by its standard deviation, as ksg_mi does (and
    scikit-learn before it); constant columns are left alone.
    """
    x = np.asarray(x, float).reshape(len(x), -1)
    y = np.asarray(y, float).reshape(len(y), -1)
    x = x / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    y = y / np.where(y.std(axis=0) > 0, y.std(axis=0), 1.0)
    n = len(x)
    dx = np.abs(x[:, None, :] - x[None, :, :]).max(axis=2)
    dy = np.abs(y[:, None, :] - y[None, :, :]).max(axis=2)
    dz = np.maximum(dx, dy)
    np.fill_diagonal(dz, np.inf)  # a point is not its own neighbour
    eps = np.sort(dz, axis=1)[:, k - 1]
    np.fill_diagonal(dx, np.inf)
    np.fill_diagonal(dy, np.inf)
    nx = (dx < eps[:, None]).sum(axis=1)
    ny = (dy < eps[:, None]).sum(axis=1)
    return digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1))


# --- plug-in and Miller-Madow -----------------------------------------------------------


def test_plugin_entropy_of_balanced_sample_is_exact():
    # Each of 8 symbols seen equally often: the empirical distribution is uniform, 3 bits.
    assert plugin_entropy(np.repeat(np.arange(8), 5)) == pytest.approx(3.0, abs=1e-12)


@pytest.mark.parametrize("base", [2, math.e, 10])
def test_plugin_mi_matches_sklearn_mutual_info_score(base):
    rng = np.random.default_rng(1)
    x = rng.integers(0, 5, 300)
    y = (x + rng.integers(0, 3, 300)) % 6
    expected = mutual_info_score(x, y) / math.log(base)  # sklearn works in nats
    assert plugin_mi(x, y, base=base) == pytest.approx(expected, rel=1e-12)


def test_plugin_mi_is_symmetric_and_joint_rows_are_symbols():
    # XOR: Z = X xor Y with X, Y fair and independent (every combination twice).
    xy = np.array([[0, 0], [0, 1], [1, 0], [1, 1]] * 2)
    z = xy[:, 0] ^ xy[:, 1]
    assert plugin_mi(xy[:, 0], z) == pytest.approx(0.0, abs=1e-12)
    assert plugin_mi(xy, z) == pytest.approx(1.0, abs=1e-12)
    assert plugin_mi(z, xy) == pytest.approx(plugin_mi(xy, z), abs=1e-15)


def _mean_and_se(values):
    values = np.asarray(values)
    return values.mean(), values.std(ddof=1) / math.sqrt(len(values))


def test_plugin_entropy_bias_matches_miller_and_miller_madow_removes_it():
    # Uniform over K = 10 symbols, N = 200 draws (every symbol is seen in practice, so
    # the number of observed symbols is K).  Predicted mean of the plug-in estimate:
    # H - (K - 1) / (2 N ln 2) bits; second-order terms are O(1/N^2), about 1e-4 bits.
    k_sym, n, draws = 10, 200, 4000
    rng = np.random.default_rng(2)
    samples = rng.integers(0, k_sym, size=(draws, n))
    truth = math.log2(k_sym)
    plug = [plugin_entropy(s) for s in samples]
    mm = [miller_madow_entropy(s) for s in samples]
    mean_plug, se_plug = _mean_and_se(plug)
    mean_mm, se_mm = _mean_and_se(mm)
    predicted = -(k_sym - 1) / (2 * n * LN2)
    # 4 standard errors plus the size of the neglected second-order term.
    assert abs(mean_plug - truth - predicted) < 4 * se_plug + 5e-4
    assert abs(mean_mm - truth) < 4 * se_mm + 5e-4
    # The bias itself is far outside that band, so the test can tell them apart.
    assert abs(predicted) > 20 * se_plug


def test_plugin_mi_bias_matches_prediction_for_independent_variables():
    # |X| = 4, |Y| = 5 independent uniform, N = 500: the plug-in MI is biased upward by
    # (|X|-1)(|Y|-1) / (2 N ln 2) bits (2 N ln2 * I is asymptotically chi^2 with 12 dof).
    kx, ky, n, draws = 4, 5, 500, 3000
    rng = np.random.default_rng(3)
    xs = rng.integers(0, kx, size=(draws, n))
    ys = rng.integers(0, ky, size=(draws, n))
    est = [plugin_mi(x, y) for x, y in zip(xs, ys)]
    mean, se = _mean_and_se(est)
    predicted = (kx - 1) * (ky - 1) / (2 * n * LN2)
    assert abs(mean - predicted) < 4 * se + 5e-4
    # Miller-Madow corrections to each entropy remove the bias: I_MM ~ 0.
    mm = [miller_madow_entropy(x) + miller_madow_entropy(y)
          - miller_madow_entropy(np.column_stack([x, y])) for x, y in zip(xs[:500], ys[:500])]
    mean_mm, se_mm = _mean_and_se(mm)
    assert abs(mean_mm) < 4 * se_mm + 5e-4


def test_miller_madow_adds_observed_symbols_over_2n():
    s = np.array([0, 0, 1, 2, 2, 2, 5])
    diff = miller_madow_entropy(s, base=math.e) - plugin_entropy(s, base=math.e)
    assert diff == pytest.approx((4 - 1) / (2 * 7), abs=1e-14)


# --- binning ----------------------------------------------------------------------------


def test_binned_mi_equals_plugin_mi_of_histogram_codes():
    x, y = gaussian_pair(0.6, 1000, seed=4)
    bins = 7
    # Independent route: numpy's 2-D histogram, then the MI of the normalized table.
    table, _, _ = np.histogram2d(x, y, bins=bins)
    expected = it.mutual_information(table, normalize=True)
    assert binned_mi(x, y, bins) == pytest.approx(expected, abs=1e-12)


def test_binned_mi_single_bin_is_zero_and_grows_with_bins_on_independent_data():
    x, y = gaussian_pair(0.0, 500, seed=5)
    assert binned_mi(x, y, 1) == 0.0
    # Independent data: the estimate is pure plug-in bias, which grows with the bin count.
    assert binned_mi(x, y, 4) < binned_mi(x, y, 16) < binned_mi(x, y, 64)


# --- KSG --------------------------------------------------------------------------------


def test_ksg_within_003_nats_of_truth_at_rho_09():
    x, y = gaussian_pair(0.9, 2000, seed=0)
    est = ksg_mi(x, y, k=3, base=math.e)
    assert abs(est - gaussian_mi_nats(0.9)) < 0.03


def test_ksg_within_003_nats_of_zero_on_independent_data():
    x, y = gaussian_pair(0.0, 2000, seed=1)
    assert abs(ksg_mi(x, y, k=3, base=math.e)) < 0.03


@pytest.mark.parametrize("dx, dy, k", [(1, 1, 1), (1, 1, 3), (2, 3, 4), (3, 1, 2)])
def test_ksg_matches_brute_force_algorithm_1(dx, dy, k):
    rng = np.random.default_rng(10 * dx + dy + k)
    n = 150
    x = rng.standard_normal((n, dx))
    y = x[:, :1] * 0.7 + rng.standard_normal((n, dy))
    x_in = x[:, 0] if dx == 1 else x
    y_in = y[:, 0] if dy == 1 else y
    expected = ksg_brute_force(x, y, k)
    assert ksg_mi(x_in, y_in, k=k, base=math.e, noise=0) == pytest.approx(expected, abs=1e-9)


def test_ksg_counts_marginal_ties_strictly():
    # Integer-valued samples with noise=0: x is a permutation (no joint duplicates), y has
    # many ties, and many marginal distances equal eps exactly, so a "<=" count would
    # differ from the strict "<" count of algorithm 1.
    rng = np.random.default_rng(6)
    x = rng.permutation(80).astype(float)
    y = np.floor(x / 4) + rng.integers(0, 3, 80)
    dy = np.abs(y[:, None] - y[None, :])
    assert (dy == 1).sum() > 100  # plenty of distances at integer eps values
    assert ksg_mi(x, y, k=3, base=math.e, noise=0) == pytest.approx(
        ksg_brute_force(x, y, 3), abs=1e-9)


def test_ksg_exact_joint_duplicates_without_noise_follow_the_definition():
    # k exact duplicates give eps = 0; nothing is strictly closer, so n_x = n_y = 0.
    x = np.repeat(np.arange(10.0), 5)
    y = x.copy()
    assert ksg_mi(x, y, k=3, base=math.e, noise=0) == pytest.approx(
        ksg_brute_force(x, y, 3), abs=1e-9)


def _sklearn_preprocessed(x, y, seed):
    """The preprocessing of sklearn's mutual_info_regression for one continuous feature.

    sklearn.feature_selection._mutual_info._estimate_mi: scale X and y to unit standard
    deviation (no centring), then add noise 1e-10 * max(1, mean |column|) * N(0, 1),
    drawn from check_random_state(random_state), first for X, then for y.
    """
    rng = np.random.RandomState(seed)
    xs = scale(x.reshape(-1, 1), with_mean=False)
    xs = xs + 1e-10 * np.maximum(1, np.mean(np.abs(xs), axis=0)) * rng.standard_normal(xs.shape)
    ys = scale(y, with_mean=False)
    ys = ys + 1e-10 * max(1, np.mean(np.abs(ys))) * rng.standard_normal(ys.shape)
    return xs[:, 0], ys


@pytest.mark.parametrize("rho, n, k", [(0.5, 500, 3), (0.9, 2000, 3), (0.3, 1000, 5)])
def test_ksg_agrees_with_sklearn_mutual_info_regression(rho, n, k):
    x, y = gaussian_pair(rho, n, seed=7)
    x = 3.0 * x + 1.0  # different scales and a shift, so the scaling step matters
    seed = 42
    expected = mutual_info_regression(x.reshape(-1, 1), y, n_neighbors=k, random_state=seed)[0]
    xs, ys = _sklearn_preprocessed(x, y, seed)
    ours = ksg_mi(xs, ys, k=k, base=math.e, noise=0)
    assert expected > 0  # sklearn clips at 0; these cases are well above it
    assert ours == pytest.approx(expected, abs=1e-9)


def test_ksg_multivariate_gaussian_is_close_in_low_dimension():
    # d = 2 independent correlated pairs: the MI adds up, 2 * (-1/2 log(1 - rho^2)).
    x, y = gaussian_pair(0.6, 2000, seed=8, d=2)
    assert abs(ksg_mi(x, y, base=math.e) - gaussian_mi_nats(0.6, d=2)) < 0.05


def test_ksg_is_reproducible_and_seed_only_moves_noise():
    x, y = gaussian_pair(0.5, 300, seed=9)
    assert ksg_mi(x, y) == ksg_mi(x, y)
    assert ksg_mi(x, y, seed=1) == pytest.approx(ksg_mi(x, y, seed=2), abs=1e-6)


def test_ksg_breaks_ties_with_noise():
    # Heavily tied data: without noise the counts are ill-defined; with noise the result
    # is finite and reproducible.
    x = np.repeat(np.arange(10.0), 20)
    y = x.copy()
    a = ksg_mi(x, y, seed=3)
    assert np.isfinite(a) and a == ksg_mi(x, y, seed=3)


@pytest.mark.parametrize("base", [2, math.e])
def test_ksg_units(base):
    x, y = gaussian_pair(0.8, 400, seed=11)
    assert ksg_mi(x, y, base=base) * math.log(base) == pytest.approx(
        ksg_mi(x, y, base=math.e), rel=1e-12)


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize("f", [plugin_mi, ksg_mi, lambda x, y: binned_mi(x, y, 4)])
def test_mismatched_lengths_raise(f):
    with pytest.raises(ValueError, match=re.escape(
            "x and y must have the same number of samples (got 5 and 4)")):
        f(np.arange(5.0), np.arange(4.0))


def test_ksg_needs_k_plus_1_samples():
    with pytest.raises(ValueError, match=re.escape("need at least k + 1 = 4 samples (got 3)")):
        ksg_mi([0.1, 0.2, 0.3], [1.0, 0.5, 0.2], k=3)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
@pytest.mark.parametrize("f", [plugin_mi, ksg_mi, lambda x, y: binned_mi(x, y, 3)])
def test_nan_and_inf_raise(f, bad):
    x = np.array([0.1, 0.5, bad, 0.3, 0.9])
    with pytest.raises(ValueError, match=re.escape(f"x must be finite (got {bad})")):
        f(x, np.arange(5.0))
    with pytest.raises(ValueError, match=re.escape(f"y must be finite (got {bad})")):
        f(np.arange(5.0), x)


@pytest.mark.parametrize("f", [plugin_entropy, miller_madow_entropy])
def test_entropy_estimators_reject_nan(f):
    with pytest.raises(ValueError, match=re.escape("samples must be finite (got nan)")):
        f([1.0, float("nan")])


@pytest.mark.parametrize("k", [0, -2])
def test_ksg_k_below_1_raises(k):
    with pytest.raises(ValueError, match=re.escape(f"k must be at least 1 (got {k})")):
        ksg_mi(np.arange(10.0), np.arange(10.0), k=k)


def test_ksg_non_integer_k_raises():
    with pytest.raises(TypeError, match=re.escape("k must be an integer (got float 2.5)")):
        ksg_mi(np.arange(10.0), np.arange(10.0), k=2.5)


@pytest.mark.parametrize("bins", [0, -1])
def test_bins_below_1_raises(bins):
    with pytest.raises(ValueError, match=re.escape(f"bins must be at least 1 (got {bins})")):
        binned_mi(np.arange(10.0), np.arange(10.0), bins)


def test_empty_and_wrong_shapes_raise():
    with pytest.raises(ValueError, match=re.escape("samples must not be empty")):
        plugin_entropy([])
    with pytest.raises(ValueError, match=re.escape("x must have shape (n,) (got shape (5, 2))")):
        binned_mi(np.zeros((5, 2)), np.zeros(5), 3)
    with pytest.raises(ValueError, match=re.escape("y must have shape (n,) or (n, d)")):
        ksg_mi(np.zeros(5), np.zeros((5, 1, 1)))
    with pytest.raises(TypeError, match=re.escape("x must be numeric (got str 'abc')")):
        plugin_mi("abc", [1, 2, 3])


# --- properties (hypothesis) ------------------------------------------------------------

label_pairs = st.integers(1, 60).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 5), min_size=n, max_size=n),
    st.lists(st.integers(-3, 3), min_size=n, max_size=n)))


@settings(max_examples=100, deadline=None)
@given(label_pairs)
def test_plugin_mi_is_symmetric_nonnegative_and_at_most_min_entropy(pair):
    x, y = pair
    i_xy = plugin_mi(x, y)
    assert i_xy == pytest.approx(plugin_mi(y, x), abs=1e-12)
    assert i_xy >= 0
    assert i_xy <= min(plugin_entropy(x), plugin_entropy(y)) + 1e-12
    # chain rule on the empirical distribution: I = H(X) + H(Y) - H(X, Y)
    assert i_xy == pytest.approx(plugin_entropy(x) + plugin_entropy(y)
                                 - plugin_entropy(np.column_stack([x, y])), abs=1e-12)


# --- issue 31 -------------------------------------------------------------------------


def _gaussian_pair(n=2000, rho=0.9, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    return x, rho * x + math.sqrt(1 - rho**2) * rng.standard_normal(n)


def test_ksg_is_invariant_to_rescaling_over_twenty_orders_of_magnitude():
    # The tie-breaking noise used to have an absolute floor (noise * max(1, mean|x|)), so
    # at rho = 0.9 data scaled by 1e-10 gave 0.22 bits instead of about 1.2.  Each column
    # is now standardized first, as scikit-learn does.
    x, y = _gaussian_pair()
    ref = ksg_mi(x, y)
    assert abs(ref - (-0.5 * math.log2(1 - 0.81))) < 0.05
    for sx in 10.0 ** np.arange(-10, 11, 2):
        for sy in (sx, 1.0 / sx, 1.0):
            assert ksg_mi(sx * x, sy * y) == pytest.approx(ref, abs=1e-9), (sx, sy)


def test_ksg_rescales_each_column_by_its_own_factor():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((500, 2))
    y = x @ np.array([[1.0, 0.5], [0.2, 1.0]]) + 0.5 * rng.standard_normal((500, 2))
    ref = ksg_mi(x, y)
    scaled = ksg_mi(x * np.array([1e-9, 1e7]), y * np.array([3e5, 2e-11]))
    assert scaled == pytest.approx(ref, abs=1e-9)


def test_ksg_agrees_with_scikit_learn_at_every_scale():
    x, y = _gaussian_pair(n=1000)
    for s in (1e-11, 1.0, 1e11):
        theirs = mutual_info_regression((s * x)[:, None], s * y, n_neighbors=3,
                                        random_state=0)[0] / math.log(2)
        assert ksg_mi(s * x, s * y) == pytest.approx(theirs, abs=0.02)


def test_ksg_handles_a_constant_column():
    x, _ = _gaussian_pair(n=200)
    assert abs(ksg_mi(x, np.full(200, 7.0))) < 0.1


def test_binned_mi_counts_only_occupied_cells():
    # bins=10**7 on 4 points used to allocate a dense 10**7 x 10**7 table (728 TiB).
    x = [0.0, 1.0, 2.0, 3.0]
    assert binned_mi(x, x, 10**7) == pytest.approx(2.0)
    assert binned_mi(x, x, 10**12) == pytest.approx(2.0)


def test_plugin_mi_with_many_distinct_labels_stays_small():
    # 200,000 distinct labels on each side: a dense table would hold 4e10 cells.
    x = np.arange(200_000)
    assert plugin_mi(x, x[::-1].copy()) == pytest.approx(math.log2(200_000))


@pytest.mark.parametrize("bins", [1, 2, 3, 4, 5, 8, 16, 17])
def test_binned_mi_places_values_on_bin_edges_like_numpy_histogram2d(bins):
    # Integer data put many values exactly on bin edges.  numpy's rule (a value on an
    # interior edge goes to the bin on its right, the maximum to the last bin) gives
    # the independent reference: the plug-in MI of np.histogram2d's table.
    rng = np.random.default_rng(bins)
    x = rng.integers(0, 17, size=300)
    y = (x + rng.integers(0, 3, size=300)) % 17
    table = np.histogram2d(x, y, bins=bins)[0]
    assert binned_mi(x, y, bins) == pytest.approx(
        it.mutual_information(table, normalize=True), abs=1e-12)


def test_binned_mi_puts_an_edge_value_in_the_bin_to_its_right():
    # x = 0..8 in 4 bins has edges 0, 2, 4, 6, 8: codes 0 0 1 1 2 2 3 3 3.  y is that
    # code, so the binned MI is its whole entropy; a value put left of its edge loses some.
    x = np.arange(9)
    codes = np.array([0, 0, 1, 1, 2, 2, 3, 3, 3])
    assert binned_mi(x, codes, 4) == pytest.approx(plugin_entropy(codes), abs=1e-12)


def test_integer_labels_are_not_cast_to_float():
    big = 2**53
    assert plugin_entropy([big, big + 1]) == pytest.approx(1.0)
    assert plugin_entropy(np.array([big, big + 1], dtype=np.int64)) == pytest.approx(1.0)
    assert plugin_entropy(np.array([2**64 - 1, 2**64 - 2], dtype=np.uint64)) == pytest.approx(1.0)
    assert miller_madow_entropy([big, big + 1]) > 1.0
    assert plugin_mi([big, big + 1], [0, 1]) == pytest.approx(1.0)
    assert plugin_entropy([[big, 0], [big + 1, 0]]) == pytest.approx(1.0)
