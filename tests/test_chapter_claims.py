"""The formulas and claims that chapters 1 and 2 compute, checked by independent routes.

Where a chapter defines a function (``fit_gaussian``, ``typical_set``, ...), the test runs
the chapter's own definition, taken from the notebook's source, so that a change on the
page is what gets tested.  The truth comes from elsewhere: Gauss-Hermite quadrature and a
grid search, brute-force enumeration, Python's exact integers, scipy and PyTorch.
"""

from __future__ import annotations

import ast
import itertools
import math
import pathlib

import nbformat
import numpy as np
import pytest
import scipy.stats
import torch
import torch.nn.functional as F
from scipy.optimize import brentq, minimize
from scipy.special import gammaln, logsumexp, rel_entr

import itlib as it

CHAPTERS = pathlib.Path(__file__).resolve().parent.parent / "chapters"
LN2 = np.log(2)


def chapter_definitions(stem: str, *names: str) -> dict:
    """Execute the top-level definitions (functions or assignments) of ``names`` in a chapter.

    Each name must be defined exactly once in the notebook's code cells; the definitions run
    in the order they appear, in a namespace holding the chapter's usual imports.
    """
    nb = nbformat.read(CHAPTERS / f"{stem}.ipynb", as_version=4)
    found: dict[str, str] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        # IPython magics (the Colab install cell) are not Python: make them `pass`
        source = "\n".join(line[: len(line) - len(line.lstrip())] + "pass"
                           if line.lstrip().startswith(("%", "!")) else line
                           for line in cell.source.splitlines())
        tree = ast.parse(source)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                targets = [node.name]
            elif isinstance(node, ast.Assign):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            else:
                continue
            for name in set(targets) & set(names):
                assert name not in found, f"{stem} defines {name} twice"
                found[name] = ast.get_source_segment(source, node)
    missing = set(names) - set(found)
    assert not missing, f"{stem} no longer defines {sorted(missing)}"
    from scipy import stats
    namespace = {"np": np, "it": it, "stats": stats, "minimize": minimize, "brentq": brentq,
                 "logsumexp": logsumexp, "gammaln": gammaln}
    for name in names:                               # in the order the caller lists them
        exec(found[name], namespace)
    return namespace


# ---------------------------------------------------------------- chapter 2: reverse KL ---

Z_STEP = 0.025
Z = np.arange(-9, 9 + Z_STEP / 2, Z_STEP)              # standard-normal nodes for E_q[.]
PHI_Z = np.exp(-0.5 * Z**2) / np.sqrt(2 * np.pi) * Z_STEP


def reverse_kl_independent(mu, sigma, s):
    """D_KL(N(mu, sigma^2) || mixture) in bits, as -h(q) (closed form) - E_q[log p].

    E_q[log p] = E[log p(mu + sigma Z)], Z ~ N(0, 1), by the trapezoid rule in z (nodes that
    move with q, unlike the chapter's fixed x grid).  The integrand is analytic in a strip of
    half-width (pi/s)/sigma >= 0.087 for s <= 7.2, sigma <= 5, so the step 0.025 errs by
    about exp(-2 pi 0.087 / 0.025), under 1e-9.
    """
    mu, sigma = np.broadcast_arrays(np.asarray(mu, float), np.asarray(sigma, float))
    out = np.empty(mu.shape)
    for index in np.ndindex(mu.shape[:-1] if mu.ndim > 1 else ()):
        m, sd = mu[index], sigma[index]
        x = m[..., None] + sd[..., None] * Z
        log_p = np.logaddexp(-0.5 * (x + s / 2) ** 2, -0.5 * (x - s / 2) ** 2) - 0.5 * np.log(2 * np.pi) - LN2
        out[index] = (-0.5 * np.log(2 * np.pi * np.e * sd**2) - log_p @ PHI_Z) / LN2
    return out


@pytest.fixture(scope="module")
def ch2_fit():
    return chapter_definitions("02_kl_divergence", "grid", "dx", "log_mixture", "kl_on_grid",
                               "fit_gaussian", "reverse_starts", "separations")


def test_independent_route_agrees_with_adaptive_quadrature():
    # the independent route itself, against scipy's adaptive quadrature (published-by-hand
    # numbers of the issue: 0.883 bits centred at s = 5.4)
    s, mu, sigma = 5.4, 0.0, 2.5308
    q = scipy.stats.norm(mu, sigma)
    def integrand(x):
        log_p = np.logaddexp(scipy.stats.norm.logpdf(x, -s / 2), scipy.stats.norm.logpdf(x, s / 2)) - LN2
        return q.pdf(x) * (q.logpdf(x) - log_p)
    from scipy.integrate import quad
    by_quad = quad(integrand, -40, 40, limit=200)[0] / LN2
    assert reverse_kl_independent(mu, sigma, s) == pytest.approx(by_quad, abs=1e-8)
    assert by_quad == pytest.approx(0.8833, abs=5e-5)


def test_the_slider_grid_contains_the_switch_region(ch2_fit):
    assert np.any(np.isclose(ch2_fit["separations"], 5.6))


@pytest.mark.parametrize("index", range(14))
def test_reverse_kl_fit_is_the_global_minimum_on_a_fine_grid(ch2_fit, index):
    separations = ch2_fit["separations"]
    assert len(separations) == 14, "update the parametrization to the slider's grid"
    s = float(separations[index])
    mu, sigma, kl = ch2_fit["fit_gaussian"](s, "reverse", ch2_fit["reverse_starts"](s))
    # the chapter's quadrature (rectangle rule on a fixed grid) agrees with the independent
    # route; its grid ends at +-15, about 6 sigma of the widest fit, and the tails it drops
    # are worth under 1e-6 bits
    kl_at_fit = float(reverse_kl_independent(mu, sigma, s))
    assert kl == pytest.approx(kl_at_fit, abs=1e-6)
    # grid: mu >= 0 (the target is symmetric) in steps of 0.04 past the right mode, log sigma
    # in steps of 0.015 for sigma from 0.3 to 5 (both finer than the chapter's own check)
    mus = np.arange(0, s / 2 + 2 + 1e-9, 0.04)
    log_sigmas = np.arange(np.log(0.3), np.log(5), 0.015)
    table = reverse_kl_independent(*np.meshgrid(mus, np.exp(log_sigmas), indexing="ij"), s)
    # the fit may sit between grid points, so it may be lower, never higher (1e-7: the
    # optimizer's tolerance, 1e-10 bits, plus the fit's offset from the true minimizer)
    assert kl_at_fit <= table.min() + 1e-7, (s, kl_at_fit, table.min())


def fit_from(s, mu0, sigma0):
    res = minimize(lambda t: float(reverse_kl_independent(t[0], np.exp(t[1]), s)),
                   [mu0, np.log(sigma0)], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-12})
    return res.fun


@pytest.mark.parametrize("s, centred_wins", [(5.4, True), (5.55, True), (5.65, False), (6.0, False)])
def test_reverse_kl_switches_from_centred_to_one_mode_near_5_6(s, centred_wins):
    centred = fit_from(s, 0.0, np.sqrt(1 + s**2 / 4))
    one_mode = fit_from(s, s / 2, 1.0)
    assert (centred < one_mode) == centred_wins, (s, centred, one_mode)


def test_reverse_kl_numbers_of_the_review_at_s_5_4():
    # issue 8: centred fit 0.883 bits, one-mode local minimum 0.982 bits
    assert fit_from(5.4, 0.0, np.sqrt(1 + 5.4**2 / 4)) == pytest.approx(0.883, abs=5e-4)
    assert fit_from(5.4, 2.7, 1.0) == pytest.approx(0.982, abs=5e-4)


# ------------------------------------------------------- chapter 1: histogram estimator ---

@pytest.mark.parametrize("p", [np.full(20, 1 / 20), np.arange(1, 21) / np.arange(1, 21).sum()],
                         ids=["uniform-20", "linear-20"])
def test_plugin_entropy_bias_is_minus_k_minus_1_over_2n_ln2(p):
    rng = np.random.default_rng(0)
    n, reps, k = 1000, 4000, len(p)
    counts = rng.multinomial(n, p, size=reps)
    plugin = scipy.stats.entropy(counts.T, base=2)         # scipy normalizes each column
    bias = plugin.mean() - scipy.stats.entropy(p, base=2)
    predicted = -(k - 1) / (2 * n * LN2)                   # -0.0137 bits
    se = plugin.std(ddof=1) / np.sqrt(reps)
    # 5 standard errors of the Monte Carlo mean, plus 2e-4 bits for the O(1/N^2) terms
    assert abs(bias - predicted) < 5 * se + 2e-4, (bias, predicted, se)
    # and the Miller-Madow correction removes most of it
    corrected = plugin + (np.count_nonzero(counts, axis=1) - 1) / (2 * n * LN2)
    assert abs(corrected.mean() - scipy.stats.entropy(p, base=2)) < abs(bias) / 5


def test_chapter_miller_madow_adds_k_minus_1_over_2n_ln2():
    ns = chapter_definitions("01_entropy", "bin_counts", "histogram_entropy", "miller_madow_entropy")
    x = np.random.default_rng(3).normal(size=2000)
    for width in (0.5, 0.05, 0.005):
        # occupied bins counted another way: distinct bin indices (edges start at x.min())
        n_bins = len(np.arange(x.min(), x.max() + width, width)) - 1
        k = len(np.unique(np.minimum(np.floor((x - x.min()) / width), n_bins - 1)))
        added = ns["miller_madow_entropy"](x, width) - ns["histogram_entropy"](x, width)
        assert added == pytest.approx((k - 1) / (2 * len(x) * LN2), rel=1e-9)


def test_chapter_histogram_estimate_matches_scipy_differential_entropy_for_moderate_bins():
    ns = chapter_definitions("01_entropy", "bin_counts", "histogram_entropy", "miller_madow_entropy")
    x = np.random.default_rng(4).normal(size=20_000)
    truth = scipy.stats.norm.entropy() / LN2
    # at width 0.05 the smoothing error is ~1e-4 bits and the bias ~(K-1)/(2N ln2) ~ 0.007 bits;
    # sampling error of the estimate ~ 0.01 bits (sd of -log2 f(X) / sqrt(N))
    assert ns["miller_madow_entropy"](x, 0.05) == pytest.approx(truth, abs=0.03)


# ------------------------------------------------- chapter 1: Kraft and H <= L < H + 1 ---

def canonical_prefix_code(lengths):
    """Codewords with the given lengths, shortest first (the converse of Kraft's inequality)."""
    words, value, previous = {}, 0, 0
    for i in sorted(range(len(lengths)), key=lambda j: lengths[j]):
        value <<= lengths[i] - previous
        words[i] = format(value, f"0{lengths[i]}b")
        value, previous = value + 1, lengths[i]
    return words


@pytest.mark.parametrize("k", [2, 3, 7, 30])
def test_shannon_lengths_satisfy_kraft_and_the_source_coding_bounds(k):
    rng = np.random.default_rng(k)
    for p in rng.dirichlet(np.full(k, 0.5), size=200):
        p = p[p > 1e-12]
        p = p / p.sum()
        lengths = np.ceil(-np.log2(p)).astype(int)
        assert np.sum(2.0 ** -lengths) <= 1 + 1e-12
        words = list(canonical_prefix_code(lengths).values())
        assert all(len(w) <= 64 for w in words)
        assert not any(a != b and b.startswith(a) for a in words for b in words)   # prefix-free
        H = scipy.stats.entropy(p, base=2)
        L_shannon = float(p @ lengths)
        assert H - 1e-12 <= L_shannon < H + 1
        huffman = it.coding.huffman_code(p)
        L_huffman = sum(p[i] * len(w) for i, w in huffman.items())
        assert H - 1e-12 <= L_huffman <= L_shannon + 1e-12        # Huffman is optimal
        assert it.coding.kraft_sum(huffman) == pytest.approx(1.0)  # and complete


# --------------------------------------------------------------------- chapter 1: AEP ---

@pytest.fixture(scope="module")
def aep():
    return chapter_definitions("01_entropy", "typical_ks", "typical_set")


@pytest.mark.parametrize("n, p, eps", [(10, 0.1, 0.05), (12, 0.3, 0.1), (14, 0.2, 0.15)])
def test_typical_set_matches_brute_force_enumeration(aep, n, p, eps):
    H = scipy.stats.entropy([p, 1 - p], base=2)
    prob = size = 0
    for seq in itertools.product((0, 1), repeat=n):      # 1 = heads
        heads = sum(seq)
        log2_prob = heads * math.log2(p) + (n - heads) * math.log2(1 - p)
        margin = abs(-log2_prob / n - H) - eps
        assert abs(margin) > 1e-9, "a sequence sits on the boundary: pick other parameters"
        if margin <= 0:
            prob += 2.0**log2_prob
            size += 1
    got_prob, got_log2_size = aep["typical_set"](n, p, eps)
    assert got_prob == pytest.approx(prob, rel=1e-9)
    assert got_log2_size == pytest.approx(math.log2(size), abs=1e-9)


def test_typical_set_of_a_long_block_matches_exact_integers_and_the_aep_bounds(aep):
    n, p, eps = 1000, 0.1, 0.05
    k, typical = aep["typical_ks"](n, p, eps)
    size = sum(math.comb(n, int(j)) for j in k[typical])          # exact big integer
    prob = scipy.stats.binom.pmf(k[typical], n, p).sum()
    got_prob, got_log2_size = aep["typical_set"](n, p, eps)
    assert got_log2_size == pytest.approx(math.log2(size), abs=1e-9)
    assert got_prob == pytest.approx(prob, rel=1e-9)
    H = scipy.stats.entropy([p, 1 - p], base=2)
    assert math.log2(1 - eps) + n * (H - eps) <= got_log2_size <= n * (H + eps)
    assert aep["typical_set"](10_000, p, eps)[0] > 0.9999 > got_prob > 0.85


# ---------------------------------------------------------- chapter 2: the wrong code ---

@pytest.fixture(scope="module")
def wrong_code():
    return chapter_definitions("02_kl_divergence", "shannon_length", "huffman_length")


def test_code_for_q_used_on_p_costs_between_h_plus_d_and_h_plus_d_plus_1(wrong_code):
    rng = np.random.default_rng(7)
    for k in (2, 5, 12):
        P, Q = rng.dirichlet(np.ones(k), size=(2, 300))
        for p, q in zip(P, Q):
            h_plus_d = scipy.stats.entropy(p, base=2) + scipy.stats.entropy(p, q, base=2)
            L = wrong_code["shannon_length"](p, q)
            assert h_plus_d - 1e-12 <= L < h_plus_d + 1


def test_huffman_code_for_the_wrong_coin_spends_one_bit(wrong_code):
    fair, biased = np.array([0.5, 0.5]), np.array([0.9, 0.1])
    assert wrong_code["huffman_length"](fair, biased) == 1.0
    assert wrong_code["shannon_length"](fair, biased) == 0.5 * 1 + 0.5 * 4    # ceil(-log2 .9), ceil(-log2 .1)
    # a Huffman code built for the right distribution obeys H <= L < H + 1
    p = np.array([0.5, 0.3, 0.2])
    assert scipy.stats.entropy(p, base=2) <= wrong_code["huffman_length"](p, p) < scipy.stats.entropy(p, base=2) + 1


# ------------------------------------------------------------ chapter 2: perplexity ---

def test_perplexity_is_2_to_the_bits_e_to_the_nats_and_a_geometric_mean():
    gen = torch.Generator().manual_seed(0)
    logits = 2 * torch.randn(500, 30, generator=gen, dtype=torch.float64)
    targets = torch.randint(0, 30, (500,), generator=gen)
    nats = F.cross_entropy(logits, targets).item()                       # PyTorch: nats
    q_true = torch.softmax(logits, dim=1)[torch.arange(500), targets].numpy()
    bits = -np.mean(np.log2(q_true))
    assert 2**bits == pytest.approx(math.exp(nats), rel=1e-12)
    assert 2**bits == pytest.approx(scipy.stats.gmean(1 / q_true), rel=1e-12)
    # a uniform model over K symbols has perplexity K
    assert 2 ** (-np.mean(np.log2(np.full(10, 1 / 30)))) == pytest.approx(30)


# ---------------------------------------------------------- chapter 2: Pinsker ---

def test_pinsker_holds_on_random_pairs_and_its_constant_is_tight():
    rng = np.random.default_rng(11)
    for k in (2, 3, 10):
        P, Q = rng.dirichlet(np.full(k, 0.7), size=(2, 2000))
        kl_bits = rel_entr(P, Q).sum(axis=1) / LN2
        tv = 0.5 * np.abs(P - Q).sum(axis=1)
        assert np.all(kl_bits >= 2 * tv**2 / LN2 - 1e-12)
    # near a fair coin D_KL / (2 TV^2 / ln 2) -> 1, so a larger constant (2.1) would fail
    delta = 0.01
    near, fair = np.array([0.5 + delta, 0.5 - delta]), np.array([0.5, 0.5])
    kl_bits = rel_entr(near, fair).sum() / LN2
    assert kl_bits / (2 * delta**2 / LN2) == pytest.approx(1.0, abs=1e-3)
    assert kl_bits < 2.1 * delta**2 / LN2


# ---------------------------------------------------------- chapter 1: Jensen ---

@pytest.mark.parametrize("phi", [np.square, np.exp, lambda x: -np.log(x), lambda x: x * np.log(x)],
                         ids=["square", "exp", "minus-log", "x-log-x"])
def test_jensen_inequality_for_convex_functions(phi):
    rng = np.random.default_rng(5)
    for _ in range(500):
        x = rng.uniform(0.01, 5, size=6)
        p = rng.dirichlet(np.ones(6))
        assert phi(p @ x) <= p @ phi(x) + 1e-12
    assert phi(np.float64(2.0)) == pytest.approx(np.full(6, 1 / 6) @ phi(np.full(6, 2.0)))  # equality: X constant


def test_entropy_is_at_most_log2_of_the_support_size():
    # chapter 1's Jensen step: H(p) <= log2 E_p[1/p(X)] = log2 |support of p|
    rng = np.random.default_rng(6)
    for _ in range(100):
        p = rng.dirichlet(np.ones(8)) * (rng.random(8) < 0.7)
        if p.sum() == 0:
            continue
        p = p / p.sum()
        assert scipy.stats.entropy(p, base=2) <= np.log2(np.count_nonzero(p)) + 1e-12
