"""Chapter 4's claims and its new helpers (itlib.em, itlib.aggregate_posterior), each
checked by an independent route: closed forms, quadrature, a second algorithm.

Chapter definitions are taken from the notebook's source (``chapter_definitions``), and
printed numbers from its stored checked outputs, so a change in the chapter is tested.
"""

from __future__ import annotations

import math
import pathlib
import re

import nbformat
import numpy as np
import pytest
import torch
from scipy import integrate, stats
from scipy.special import betaln, logsumexp

import itlib as it
import itlib.aggregate_posterior as ap
import itlib.data
import itlib.em as em
import itlib.vae
from itlib.linear_gaussian import LinearGaussian

from test_chapter_claims import chapter_definitions

NB = pathlib.Path(__file__).resolve().parent.parent / "chapters" / "04_elbo_mdl.ipynb"
LN2 = math.log(2)


def checked_output(marker: str) -> str:
    """The stored text output of the checked cell whose source contains ``marker``."""
    nb = nbformat.read(NB, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and marker in cell.source \
                and "nbval-check-output" in cell.metadata.get("tags", []):
            return "".join(o.get("text", "") for o in cell.outputs)
    raise AssertionError(f"no checked cell contains {marker!r}")


# ------------------------------------------------------------- the rate split ---------

def _grid_split(mu, var, lim=9.0, n=721):
    """I(X;Z) and D_KL(q̄ || p) in nats by quadrature on a 2-D grid (diagonal Gaussians)."""
    g = np.linspace(-lim, lim, n)
    z1, z2 = np.meshgrid(g, g, indexing="ij")
    dens = [stats.norm.pdf(z1, m[0], math.sqrt(v[0])) * stats.norm.pdf(z2, m[1], math.sqrt(v[1]))
            for m, v in zip(mu, var)]
    qbar = np.mean(dens, axis=0)
    prior = stats.norm.pdf(z1) * stats.norm.pdf(z2)
    cell = (g[1] - g[0]) ** 2
    kl_marg = np.sum(np.where(qbar > 0, qbar * (np.log(qbar + 1e-300) - np.log(prior)), 0)) * cell
    mi = np.mean([np.sum(np.where(d > 0, d * (np.log(d + 1e-300) - np.log(qbar + 1e-300)), 0))
                  for d in dens]) * cell
    return mi, kl_marg


def test_rate_split_matches_quadrature_on_a_small_mixture():
    rng = np.random.default_rng(3)
    mu = rng.normal(0, 1.5, (6, 2))
    var = np.exp(rng.uniform(np.log(0.15), np.log(1.0), (6, 2)))
    mi, kl = _grid_split(mu, var)
    out = ap.rate_split(mu, np.log(var), n_samples=40_000, seed=1, base=math.e)
    rate = 0.5 * np.sum(mu ** 2 + var - 1 - np.log(var), 1).mean()
    assert out["rate"] == pytest.approx(rate, abs=1e-12)
    assert abs(out["mutual_information"] - mi) < 4 * out["mi_se"] + 1e-3
    assert rate == pytest.approx(mi + kl, abs=2e-3)             # the identity, by quadrature
    assert abs(out["marginal_kl"] - kl) < 4 * out["mi_se"] + 1e-3


def test_rate_split_bits_and_ceiling():
    far = ap.rate_split([[-40.0, 0], [0, 40.0], [40.0, 0], [0, -40.0]], np.zeros((4, 2)),
                        n_samples=50)
    assert far["mutual_information"] == pytest.approx(2.0, abs=1e-9)
    same = ap.rate_split(np.zeros((5, 2)), np.zeros((5, 2)), n_samples=20)
    assert same["mutual_information"] == pytest.approx(0.0, abs=1e-12)
    assert same["rate"] == 0.0


def test_log_aggregate_density_integrates_to_one():
    mu, logvar = np.array([[0.0, 1.0], [1.0, -1.0]]), np.log([[0.5, 0.3], [0.2, 1.0]])
    g = np.linspace(-8, 8, 401)
    zz = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    total = np.exp(ap.log_aggregate_density(zz, mu, logvar)).sum() * (g[1] - g[0]) ** 2
    assert total == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("call, exc, word", [
    (lambda: ap.rate_split([[0.0]], [[0.0, 1.0]]), ValueError, "same shape"),
    (lambda: ap.rate_split([0.0, 1.0], [0.0, 1.0]), ValueError, "mu"),
    (lambda: ap.rate_split([[0.0]], [[0.0]], n_samples=0), ValueError, "n_samples"),
    (lambda: ap.rate_split("ab", [[0.0]]), (TypeError, ValueError), "mu"),
    (lambda: ap.log_aggregate_density([[0.0, 1.0]], [[0.0]], [[0.0]]), ValueError, "z"),
    (lambda: ap.bernoulli_collapse_threshold([[1, 1], [1, 1]]), ValueError, "x"),
    (lambda: ap.bernoulli_collapse_threshold([1, 0, 1]), ValueError, "x"),
    (lambda: em.em([1.0, 2.0], [0.5, 0.6], [0, 1], [1, 1]), ValueError, "weights"),
    (lambda: em.em([1.0, 2.0], [0.5, 0.5], [0, 1], [1, -1]), ValueError, "variances"),
    (lambda: em.em([1.0, 2.0], [0.5, 0.5], [0, 1], [1, 1], n_iter=0), ValueError, "n_iter"),
    # a wrong type is a TypeError, as everywhere in itlib (the shared _validation checks)
    (lambda: em.em([1.0, 2.0], [0.5, 0.5], [0, 1], [1, 1], n_iter=2.5), TypeError, "n_iter"),
    (lambda: ap.rate_split([[0.0]], [[0.0]], n_samples=2.5), TypeError, "n_samples"),
    (lambda: em.elbo([1.0], [[0.7, 0.7]], [0.5, 0.5], [0, 1], [1, 1]), ValueError, "resp"),
])
def test_bad_input_names_the_argument(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


# ------------------------------------------------------------- the collapse threshold --

def test_threshold_closed_forms():
    rng = np.random.default_rng(0)
    indep = rng.integers(0, 2, (200_000, 3)).astype(float)
    assert ap.bernoulli_collapse_threshold(indep) == pytest.approx(1.0, abs=0.02)
    col = rng.integers(0, 2, (500, 1)).astype(float)
    copies = np.hstack([col] * 4 + [np.zeros((500, 2))])        # 4 copies + 2 dead pixels
    assert ap.bernoulli_collapse_threshold(copies) == pytest.approx(4.0, abs=1e-9)


def _collapsed_loss(x, beta, n_nodes=16):
    """The exact beta-VAE loss (nats per image) of a linear perturbation of the collapsed point."""
    xbar = x.mean(0)
    base = torch.log(xbar) - torch.log1p(-xbar)
    nodes, weights = np.polynomial.hermite_e.hermegauss(n_nodes)
    nodes = torch.tensor(nodes)
    weights = torch.tensor(weights / math.sqrt(2 * math.pi))
    d = x.shape[1]

    def loss(theta):
        a, c, w, b = theta[:d], theta[d], theta[d + 1:2 * d + 1], theta[2 * d + 1:]
        mu = (x - xbar) @ a                                       # encoder mean
        z = mu[None] + torch.exp(0.5 * c) * nodes[:, None]         # (nodes, images)
        logits = base + b + z[..., None] * w                      # decoder
        nll = torch.nn.functional.binary_cross_entropy_with_logits(
            logits, x.expand_as(logits), reduction="none").sum(-1)
        dist = (weights[:, None] * nll).sum(0).mean()
        rate = 0.5 * (mu ** 2 + torch.exp(c) - 1 - c).mean()
        return dist + beta * rate
    return loss, 3 * d + 1


def test_threshold_is_where_the_collapsed_point_stops_being_a_minimum():
    """Second route: the Hessian of the exact loss (Gauss-Hermite over z) at the collapsed
    point, over the encoder's mean and log-variance and the decoder's weights and biases."""
    x_train = it.data.digits(binarize=True).tensors()[0].double()[:500]   # a subset: faster
    x = x_train[:, x_train.std(0) > 0]
    beta_star = ap.bernoulli_collapse_threshold(x.numpy())
    for beta, sign in ((0.97 * beta_star, -1), (1.03 * beta_star, 1)):
        loss, n = _collapsed_loss(x, beta)
        hess = torch.autograd.functional.hessian(loss, torch.zeros(n, dtype=torch.float64))
        smallest = torch.linalg.eigvalsh(hess)[0].item()
        assert np.sign(smallest) == sign, (beta, smallest)


def test_chapter_prints_the_threshold_and_trained_models_fall_on_its_sides():
    text = checked_output("n_varying")
    printed = float(re.search(r"pixels = ([\d.]+)", text).group(1))
    x_train = it.data.digits(binarize=True).tensors()[0]
    assert printed == pytest.approx(ap.bernoulli_collapse_threshold(x_train.numpy()), abs=5e-4)
    rates = {float(m.group(1)): float(m.group(3)) for m in
             re.finditer(r"^\s*([\d.]+)\s+(uses z|collapse)\s+([\d.]+)$", text, re.M)}
    assert set(rates) == {0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 8.0}
    assert all(r > 0.05 for b, r in rates.items() if b < printed)
    assert all(r < 0.01 for b, r in rates.items() if b > printed)


# ------------------------------------------------------------- EM --------------------

def _mixture_data(seed):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(-1.5, 0.6, 120), rng.normal(1.2, 1.0, 80)])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_em_gap_closes_at_e_step_and_nothing_decreases(seed):
    x = _mixture_data(seed)
    hist, _ = em.em(x, [0.5, 0.5], [-0.2, 0.3], [2.0, 2.0], n_iter=30)
    for h in hist:
        assert h["elbo_after_e"] == pytest.approx(h["loglik_before"], abs=1e-9)
        assert h["elbo_after_m"] >= h["elbo_after_e"] - 1e-9
        assert h["loglik_after"] >= h["elbo_after_m"] - 1e-9
    lls = [h["loglik_after"] for h in hist]
    assert np.all(np.diff(lls) >= -1e-9)


def test_em_elbo_is_loglik_minus_kl_to_posterior():
    """An arbitrary q: ELBO = log-lik - sum_i KL(q_i || posterior_i), with scipy densities."""
    x = _mixture_data(0)[:40]
    w, m, v = np.array([0.3, 0.7]), np.array([-1.0, 1.0]), np.array([0.5, 2.0])
    joint = w * stats.norm.pdf(x[:, None], m, np.sqrt(v))
    post = joint / joint.sum(1, keepdims=True)
    q = np.random.default_rng(0).dirichlet([1, 1], size=len(x))
    kl = np.sum(q * np.log(q / post))
    assert em.elbo(x, q, w, m, v) == pytest.approx(np.log(joint.sum(1)).sum() - kl, abs=1e-9)
    assert em.log_likelihood(x, w, m, v) == pytest.approx(np.log(joint.sum(1)).sum(), abs=1e-9)


def test_m_step_maximizes_the_elbo_for_fixed_q():
    x = _mixture_data(1)
    resp = em.e_step(x, [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    best = em.elbo(x, resp, *em.m_step(x, resp))
    rng = np.random.default_rng(0)
    w, m, v = em.m_step(x, resp)
    for _ in range(20):
        w2 = np.clip(w + rng.normal(0, 0.02, 2), 0.05, None)
        w2 /= w2.sum()
        assert em.elbo(x, resp, w2, m + rng.normal(0, 0.05, 2), v * np.exp(rng.normal(0, 0.05, 2))) < best


def test_em_reaches_the_maximum_scikit_learn_finds_and_chapter_prints_it():
    from sklearn.mixture import GaussianMixture
    x = _mixture_data(0)
    hist, (w, m, v) = em.em(x, [0.5, 0.5], [-0.2, 0.3], [2.0, 2.0], n_iter=60)
    gm = GaussianMixture(2, tol=1e-12, max_iter=2000, reg_covar=0, random_state=0,
                         n_init=5).fit(x[:, None])
    assert hist[-1]["loglik_after"] == pytest.approx(gm.score(x[:, None]) * len(x), abs=1e-6)
    text = checked_output("it.em.em(")
    assert "True" in text.splitlines()[-3] and "True" in text.splitlines()[-2]
    last = [float(t) for t in text.splitlines()[8].split()[1:]]
    assert last[-1] == pytest.approx(hist[-1]["loglik_after"] / LN2, abs=5e-4)


# ------------------------------------------------------------- gradient estimators ---

def test_chapter_gradients_closed_form_unbiasedness_and_variances():
    """The exact gradient by finite differences of the closed-form ELBO + entropy of q, and
    each estimator's variance by Gauss-Hermite quadrature (exact for these polynomials)."""
    lg = LinearGaussian(2.0, noise_cov=1.0)
    m0, s0 = 0.5, 0.3

    def expected_log_joint(m, s):                 # bits: E_q[log p(x, z)] = ELBO - H(q)
        return lg.elbo(3.0, m, s ** 2) - 0.5 * np.log2(2 * np.pi * np.e * s ** 2)

    h = 1e-5
    g_mean = (expected_log_joint(m0 + h, s0) - expected_log_joint(m0 - h, s0)) / (2 * h)
    g_std = (expected_log_joint(m0, s0 + h) - expected_log_joint(m0, s0 - h)) / (2 * h)
    text = checked_output("score function, baseline")
    exact = re.search(r"d/d mean ([-\d.]+), d/d std ([-\d.]+)", text)
    assert float(exact.group(1)) == pytest.approx(g_mean, abs=1e-4)
    assert float(exact.group(2)) == pytest.approx(g_std, abs=1e-4)

    ns = chapter_definitions("04_elbo_mdl", "log2_joint", "dlog2_joint")
    ns.update(x_obs=3.0, w_lin=2.0)          # the chapter's globals: x = 3, w = 2
    f, df = ns["log2_joint"], ns["dlog2_joint"]
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    weights = weights / math.sqrt(2 * math.pi)
    z = m0 + s0 * nodes
    ests = {"score function": (f(z) * nodes / s0, f(z) * (nodes ** 2 - 1) / s0),
            "reparameterised": (df(z), df(z) * nodes)}
    rows = {m.group(1).strip(): [float(t) for t in m.group(2).split() if t != "±"] for m in
            re.finditer(r"^(score function|reparameterised)\s+(.*)$", text, re.M)}
    for name, (gm, gs) in ests.items():
        mean_m, var_m = weights @ gm, weights @ gm ** 2 - (weights @ gm) ** 2
        mean_s, var_s = weights @ gs, weights @ gs ** 2 - (weights @ gs) ** 2
        assert mean_m == pytest.approx(g_mean, abs=1e-9)          # unbiased, exactly
        assert mean_s == pytest.approx(g_std, abs=1e-9)
        est_m, se_m, pv_m, est_s, se_s, pv_s = rows[name]
        assert abs(est_m - g_mean) < 4 * se_m and abs(est_s - g_std) < 4 * se_s
        assert pv_m == pytest.approx(var_m, rel=0.05) and pv_s == pytest.approx(var_s, rel=0.05)


# ------------------------------------------------------------- VAE: exact evidence ---

@pytest.fixture(autouse=True)
def float64_one_thread():
    """The chapter's settings: float64 and one thread (two threads on a busy machine crawl)."""
    dtype, threads = torch.get_default_dtype(), torch.get_num_threads()
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    yield
    torch.set_default_dtype(dtype)
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def vae1():
    """The chapter's beta = 1 model, trained by its recipe (float64, one thread)."""
    dtype, threads = torch.get_default_dtype(), torch.get_num_threads()
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    try:
        x_train, x_test, _, _ = it.data.digits(binarize=True).tensors()
        model, _ = it.vae.train_vae(x_train, beta=1.0, z_dim=2, hidden=(64,), epochs=300,
                                    lr=1e-2, batch_size=len(x_train), seed=0, progress=False)
    finally:
        torch.set_default_dtype(dtype)
        torch.set_num_threads(threads)
    return model, x_test


def test_quadrature_evidence_and_elbo_against_sampling(vae1):
    model, x_test = vae1
    ns = chapter_definitions("04_elbo_mdl", "log_evidence_grid", "hermite_grid",
                             "neg_elbo_quadrature")
    ns["torch"], ns["math"] = torch, math
    x = x_test[:4]
    with torch.no_grad():
        exact = ns["log_evidence_grid"](model, x)
        gen = torch.Generator().manual_seed(0)
        iwae = -model.iwae_nll(x, 50_000, generator=gen)     # heavy-tailed weights: large K
        assert torch.allclose(exact, iwae, atol=0.02), (exact, iwae)
        assert abs((exact - iwae).mean()) < 0.008
        mu, logvar = model(x)
        quad = ns["neg_elbo_quadrature"](model, x, mu, logvar, ns["hermite_grid"](20))
        d, r = model.elbo_terms(x, n_samples=20_000, generator=gen)
        assert torch.allclose(quad, d + r, atol=0.02), (quad, d + r)
        assert torch.all(quad >= -exact - 1e-9)                 # -ELBO >= -log p(x)


def test_chapter_gaps_add_up_and_are_positive():
    text = checked_output("amortisation gap")
    nums = {k: float(v) for k, v in re.findall(
        r"^(-log p\(x\)|-ELBO, the encoder's q|-ELBO, q optimised per image|amortisation gap"
        r"|approximation gap)[^:]*:\s+([\d.]+)", text, re.M)}
    assert nums["amortisation gap"] > 0 and nums["approximation gap"] > 0
    assert nums["-ELBO, the encoder's q"] - nums["-log p(x)"] == pytest.approx(
        nums["amortisation gap"] + nums["approximation gap"], abs=2e-3)


# ------------------------------------------------------------- MDL codes -------------

def test_prequential_add_one_code_is_the_bayes_mixture_code():
    """Sequential products of the add-one rule against Beta functions, on a small sequence."""
    rng = np.random.default_rng(0)
    x = (rng.random(60) < 0.3).astype(int)
    bits = 0.0
    for t, xi in enumerate(x):
        p1 = (x[:t].sum() + 1) / (t + 2)
        bits -= math.log2(p1 if xi else 1 - p1)
    k = x.sum()
    assert bits == pytest.approx(-betaln(k + 1, len(x) - k + 1) / LN2, abs=1e-9)
    # and the mixture by numerical integration over the Bernoulli parameter
    val, _ = integrate.quad(lambda p: p ** k * (1 - p) ** (len(x) - k), 0, 1, epsabs=1e-30)
    assert bits == pytest.approx(-math.log2(val), abs=1e-6)


def test_chapter_mdl_table():
    text = checked_output("vae_prequential")
    rows = {m.group(1).strip(): float(m.group(2).replace(",", "")) for m in
            re.finditer(r"^((?:independent pixels|VAE),.*?)\s{2,}([\d,]+)\s+[\d.]+$", text, re.M)}
    x_train = it.data.digits(binarize=True).tensors()[0].numpy()
    ones, n = x_train.sum(0), len(x_train)
    mixture = -betaln(ones + 1, n - ones + 1).sum() / LN2
    assert rows["independent pixels, Bayes mixture"] == pytest.approx(mixture, abs=0.5)
    assert rows["independent pixels, prequential"] == pytest.approx(mixture, abs=0.5)
    assert rows["VAE, prequential"] < rows["independent pixels, prequential"]
    assert rows["VAE, two-part (32-bit weights)"] > 5 * rows["VAE, prequential"]


def test_chapter_rate_split_table_adds_up():
    text = checked_output("rate_split(")
    h = float(re.search(r"H\(X\) = ([\d.]+)", text).group(1))
    rows = re.findall(r"^\s*([\d.]+)\s+([\d.]+) = \s*([-\d.]+) ± ([\d.]+) \+\s+([-\d.]+)", text, re.M)
    assert len(rows) == 8
    for beta, r, i, se, kl in rows:
        assert float(r) == pytest.approx(float(i) + float(kl), abs=0.011)
        assert float(i) <= h + 3 * float(se) + 0.005                # I(X;Z) <= H(X)
    assert float(rows[0][2]) > h - 0.1                              # beta = 0 identifies images
