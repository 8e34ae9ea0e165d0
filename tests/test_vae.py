"""itlib.vae: the ELBO terms against torch.distributions and itlib.gaussian, the IWAE
estimate against -log p(x) by numerical integration over a 1-D latent, and the naive
per-pixel code against scipy."""

import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import stats
from scipy.special import logsumexp

import itlib.gaussian as g
from itlib import vae
from itlib.data import digits

D = torch.distributions


def _model(seed=0, x_dim=10, z_dim=2, hidden=(16,)):
    torch.manual_seed(seed)
    model = vae.BernoulliVAE(x_dim, hidden, z_dim).double()
    # Scale the weights up so q(z|x) is far from the prior and p(x|z) depends on z strongly.
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(2.0)
    return model


def _data(seed=0, n=6, x_dim=10):
    gen = torch.Generator().manual_seed(seed)
    return (torch.rand(n, x_dim, generator=gen, dtype=torch.float64) < 0.4).double()


def test_bernoulli_nll_matches_torch_distributions():
    gen = torch.Generator().manual_seed(0)
    logits = 3 * torch.randn(5, 7, generator=gen, dtype=torch.float64)
    x = (torch.rand(5, 7, generator=gen) < 0.5).double()
    want = -D.Bernoulli(logits=logits).log_prob(x).sum(-1)
    torch.testing.assert_close(vae.bernoulli_nll(logits, x), want)
    # extreme logits stay finite (no log(0))
    assert torch.isfinite(vae.bernoulli_nll(torch.tensor([[80.0, -80.0]]),
                                            torch.tensor([[0.0, 1.0]]))).all()


def test_gaussian_log_density_matches_torch_distributions():
    gen = torch.Generator().manual_seed(1)
    z, mu, logvar = (torch.randn(4, 3, generator=gen, dtype=torch.float64) for _ in range(3))
    want = D.Normal(mu, torch.exp(0.5 * logvar)).log_prob(z).sum(-1)
    torch.testing.assert_close(vae.gaussian_log_density(z, mu, logvar), want)


def test_rate_is_the_gaussian_kl_of_itlib_gaussian():
    model, x = _model(), _data()
    _, rate = model.elbo_terms(x)
    mu, logvar = model(x)
    for r, m, lv in zip(rate.detach(), mu.detach().numpy(), logvar.detach().numpy()):
        want = g.kl_divergence(m, np.diag(np.exp(lv)), np.zeros(2), np.eye(2), base=math.e)
        assert float(r) == pytest.approx(want, rel=1e-10)


def test_distortion_is_the_expected_bernoulli_nll_under_q():
    # Same noise, drawn independently here, pushed through torch.distributions.
    model, x = _model(), _data()
    distortion, _ = model.elbo_terms(x, n_samples=50, generator=torch.Generator().manual_seed(3))
    eps = torch.randn((50, *x.shape[:1], 2), generator=torch.Generator().manual_seed(3),
                      dtype=torch.float64)
    mu, logvar = model(x)
    z = mu + torch.exp(0.5 * logvar) * eps
    want = -D.Bernoulli(logits=model.decode(z)).log_prob(x).sum(-1).mean(0)
    torch.testing.assert_close(distortion, want)


def _log_marginal_by_quadrature(model, x):
    """log p(x) for a 1-D latent: log of the integral of p(z) p(x|z) on a fine grid (nats)."""
    grid = torch.linspace(-12, 12, 24_001, dtype=torch.float64).unsqueeze(1)
    log_joint = (D.Normal(0.0, 1.0).log_prob(grid[:, 0])[:, None]
                 + D.Bernoulli(logits=model.decode(grid)[:, None, :]).log_prob(x).sum(-1))
    dz = float(grid[1] - grid[0])
    return torch.logsumexp(log_joint, 0) + math.log(dz), log_joint, dz


@torch.no_grad()
def test_elbo_gap_is_the_kl_to_the_true_posterior_on_a_1d_latent():
    # -ELBO - (-log p(x)) = KL(q(z|x) || p(z|x)), with p(z|x) and KL by quadrature.
    model, x = _model(seed=2, z_dim=1), _data(seed=2)
    log_px, log_joint, dz = _log_marginal_by_quadrature(model, x)
    grid = torch.linspace(-12, 12, 24_001, dtype=torch.float64)
    log_post = log_joint - log_px                       # (grid, batch)
    mu, logvar = model(x)
    log_q = D.Normal(mu[:, 0], torch.exp(0.5 * logvar[:, 0])).log_prob(grid[:, None])
    kl = (log_q.exp() * (log_q - log_post)).sum(0) * dz
    distortion, rate = model.elbo_terms(x, n_samples=400_000,
                                        generator=torch.Generator().manual_seed(0))
    gap = distortion + rate - (-log_px)
    # Monte Carlo error of the distortion: about 2e-3 nats here; the KLs are 0.02-0.4 nats.
    assert kl.max() > 0.3
    torch.testing.assert_close(gap, kl, atol=0.01, rtol=0)


@torch.no_grad()
def test_iwae_with_one_sample_is_the_elbo_in_expectation():
    model, x = _model(), _data()
    reps = 4000                           # independent K = 1 estimates per image
    draws = model.iwae_nll(x.repeat(reps, 1), 1, generator=torch.Generator().manual_seed(0))
    draws = draws.reshape(reps, len(x))
    distortion, rate = model.elbo_terms(x, n_samples=200_000,
                                        generator=torch.Generator().manual_seed(99))
    se = draws.std(0) / math.sqrt(len(draws))
    assert ((draws.mean(0) - (distortion + rate)).abs() < 5 * se + 0.01).all()


@torch.no_grad()
def test_iwae_decreases_with_k_toward_log_marginal():
    model, x = _model(seed=4, z_dim=1), _data(seed=4)
    log_px, _, _ = _log_marginal_by_quadrature(model, x)
    means, ses, reps = {}, {}, 400
    for k in (1, 10, 100):
        est = model.iwae_nll(x.repeat(reps, 1), k, generator=torch.Generator().manual_seed(k))
        est = est.reshape(reps, len(x))
        means[k], ses[k] = est.mean(0), est.std(0) / math.sqrt(reps)
    assert (means[1] > means[10]).all() and (means[10] > means[100]).all()
    # still an upper bound on -log p(x), up to 5 standard errors of the mean of 400 estimates
    assert (means[100] > -log_px - 5 * ses[100]).all()
    big = model.iwae_nll(x, 200_000, generator=torch.Generator().manual_seed(7))
    # The K = 200,000 estimate's spread is a few 1e-3 nats here; a missing log K would be 12 nats off.
    torch.testing.assert_close(big, -log_px, atol=0.02, rtol=0)


def test_log_weights_decoded_in_chunks_equal_one_pass():
    # 300 draws of 2,000 images of 8 pixels: 4.8 million logits, decoded in 3 chunks.
    torch.manual_seed(0)
    model = vae.BernoulliVAE(8, (16,), 2).double()
    x = (torch.rand(2000, 8, dtype=torch.float64) > 0.5).double()
    log_w = model.log_weights(x, 300, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():                                    # the same draws, all at once
        mu, logvar = model.encoder(x)
        eps = torch.randn((300, *mu.shape), generator=torch.Generator().manual_seed(1),
                          dtype=mu.dtype)
        z = mu + torch.exp(0.5 * logvar) * eps
        logits = model.decode(z)
        log_px_z = (x * F.logsigmoid(logits) + (1 - x) * F.logsigmoid(-logits)).sum(-1)
        log_pz = (-0.5 * z**2 - 0.5 * math.log(2 * math.pi)).sum(-1)
        log_qz = (-0.5 * eps**2 - 0.5 * logvar - 0.5 * math.log(2 * math.pi)).sum(-1)
    assert log_w.shape == (300, 2000)
    torch.testing.assert_close(log_w.detach(), log_px_z + log_pz - log_qz, rtol=1e-12, atol=1e-9)


def test_iwae_is_stable_for_very_unlikely_images():
    # log weights near -2000 nats: exp underflows; logsumexp does not.
    torch.manual_seed(0)
    model = vae.BernoulliVAE(4, (8,), 2).double()
    with torch.no_grad():
        model.decoder[-1].bias.fill_(-500.0)            # every pixel almost surely off
    x = torch.ones(2, 4, dtype=torch.float64)
    out = model.iwae_nll(x, 50, generator=torch.Generator().manual_seed(0))
    assert torch.isfinite(out).all() and (out > 1900).all()


def test_vae_loss_weights_the_rate_by_beta():
    model, x = _model(), _data()
    for beta in (0.0, 1.0, 4.0):
        torch.manual_seed(5)
        loss, terms = vae.vae_loss(model, x, beta)
        assert loss.item() == pytest.approx(terms["distortion"] + beta * terms["rate"], rel=1e-12)


def test_training_is_deterministic_and_lowers_the_loss():
    x = torch.from_numpy(digits(binarize=True).x_train[:200])
    kw = dict(beta=1.0, epochs=15, hidden=(16,), lr=1e-2, batch_size=100, progress=False)
    m1, h1 = vae.train_vae(x, **kw)
    m2, h2 = vae.train_vae(x, **kw)
    assert h1["loss"][-1] == h2["loss"][-1]
    assert h1["loss"][-1] < 0.8 * h1["loss"][0]
    r = vae.evaluate(m1, x)
    assert r["neg_elbo"] == pytest.approx(r["rate"] + r["distortion"])
    assert r == vae.evaluate(m2, x)


def test_larger_beta_gives_smaller_rate():
    x = torch.from_numpy(digits(binarize=True).x_train[:200])
    rates = [vae.evaluate(vae.train_vae(x, beta=b, epochs=30, hidden=(16,), lr=1e-2,
                                        batch_size=200, progress=False)[0], x)["rate"]
             for b in (0.5, 4.0)]
    assert rates[0] > rates[1]


def test_marginal_code_length_matches_scipy():
    rng = np.random.default_rng(0)
    tr = (rng.random((50, 9)) < np.linspace(0.05, 0.9, 9)).astype(float)
    te = (rng.random((20, 9)) < 0.5).astype(float)
    p = (tr.sum(0) + 1) / (len(tr) + 2)
    want = -stats.bernoulli.logpmf(te, p).sum(1).mean()
    assert vae.marginal_code_length(tr, te, base=math.e) == pytest.approx(want, rel=1e-12)
    assert vae.marginal_code_length(tr, te) == pytest.approx(want / math.log(2), rel=1e-12)


def test_marginal_code_of_a_never_seen_pixel_is_finite():
    tr, te = np.zeros((8, 3)), np.ones((1, 3))
    # (0 + 1) / (8 + 2) = 0.1 per pixel: 3 log2(10) bits
    assert vae.marginal_code_length(tr, te) == pytest.approx(3 * math.log2(10))


def test_to_bits():
    assert vae.to_bits(math.log(8)) == pytest.approx(3.0)


@pytest.mark.parametrize("call, exc, message", [
    (lambda: vae.marginal_code_length(np.full((2, 3), 0.5), np.zeros((1, 3))), ValueError,
     "x_train must hold only 0s and 1s (got 0.5)"),
    (lambda: vae.marginal_code_length(np.zeros((2, 3)), np.zeros((1, 4))), ValueError,
     "x_train and x_test must have the same number of pixels (got 3 and 4)"),
    (lambda: vae.BernoulliVAE(0), ValueError, "x_dim must be at least 1 (got 0)"),
    (lambda: vae.BernoulliVAE(4).iwae_nll(torch.zeros(2, 4), 0), ValueError,
     "k must be at least 1 (got 0)"),
    (lambda: vae.BernoulliVAE(4).elbo_terms(torch.zeros(2, 5)), ValueError,
     "x must have shape (batch, 4) (got (2, 5))"),
    (lambda: vae.BernoulliVAE(4).elbo_terms(np.zeros((2, 4))), TypeError,
     "x must be a torch.Tensor (got ndarray)"),
    (lambda: vae.train_vae(torch.zeros(3, 4), beta=-1.0), ValueError,
     "beta must be a finite number >= 0 (got -1.0)"),
])
def test_bad_input_is_refused(call, exc, message):
    with pytest.raises(exc, match=re.escape(message)):
        call()


# --- issue 31 -------------------------------------------------------------------------


def test_vae_loss_refuses_a_negative_beta_as_train_vae_does():
    model = vae.BernoulliVAE(x_dim=4, hidden=(3,), z_dim=1)
    x = torch.ones(2, 4)
    with pytest.raises(ValueError, match="beta"):
        vae.vae_loss(model, x, beta=-0.5)
    with pytest.raises(TypeError, match="beta"):
        vae.vae_loss(model, x, beta="1")
    with pytest.raises(TypeError, match="beta"):
        vae.train_vae(x, beta="1", epochs=1)


@pytest.mark.parametrize("kwargs, error", [({"z_dim": 0}, ValueError), ({"z_dim": 1.5}, TypeError),
                                           ({"x_dim": "4"}, TypeError)])
def test_vae_dimensions_wrong_type_is_a_type_error(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        vae.BernoulliVAE(**{"x_dim": 4, "hidden": (3,), "z_dim": 1, **kwargs})


def test_evaluate_draws_on_the_data_device(monkeypatch):
    # A CPU generator with a model on a GPU fails in torch.randn: the generator must be
    # created on the device of x.  (No GPU here: the constructor is spied on.)
    seen = []
    real = torch.Generator

    def spy(*args, **kwargs):
        seen.append(kwargs.get("device", args[0] if args else None))
        return real(device="cpu")

    torch.manual_seed(0)
    model = vae.BernoulliVAE(x_dim=4, hidden=(3,), z_dim=1)
    x = torch.ones(2, 4)
    monkeypatch.setattr(torch, "Generator", spy)
    vae.evaluate(model, x, n_samples=2)
    assert seen and all(torch.device(d) == x.device for d in seen)


def test_evaluate_reports_in_the_unit_of_base():
    torch.manual_seed(0)
    model = vae.BernoulliVAE(x_dim=4, hidden=(3,), z_dim=1)
    x = torch.tensor([[1.0, 0, 1, 0], [0, 0, 1, 1]])
    bits = vae.evaluate(model, x, n_samples=8)
    nats = vae.evaluate(model, x, n_samples=8, base=math.e)
    for key in ("rate", "distortion", "neg_elbo"):
        assert nats[key] == pytest.approx(bits[key] * math.log(2), rel=1e-12)
