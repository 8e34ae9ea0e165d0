"""itlib.nn: the Gaussian KL term against itlib.gaussian and Monte Carlo, the
reparameterized sample's moments, and the training loop's determinism and progress."""

import math

import numpy as np
import pytest
import torch

import itlib.gaussian as g
from itlib import nn as itnn


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kl_to_standard_normal_matches_itlib_gaussian(seed):
    # Independent route: itlib.gaussian's general multivariate closed form (log-dets, traces).
    rng = np.random.default_rng(seed)
    mu, logvar = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    got = itnn.kl_to_standard_normal(torch.tensor(mu), torch.tensor(logvar)).numpy()
    want = [g.kl_divergence(m, np.diag(np.exp(lv)), np.zeros(3), np.eye(3), base=math.e)
            for m, lv in zip(mu, logvar)]
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_kl_to_standard_normal_matches_monte_carlo():
    # E_q[log q(z) - log p(z)] over 200,000 samples; tolerance 5 standard errors.
    mu, logvar = torch.tensor([[0.7, -1.2]], dtype=torch.float64), torch.tensor(
        [[-0.5, 0.8]], dtype=torch.float64)
    gen = torch.Generator().manual_seed(0)
    z = itnn.reparameterize(mu, logvar, n_samples=200_000, generator=gen)[:, 0]
    q = torch.distributions.Normal(mu[0], torch.exp(0.5 * logvar[0]))
    p = torch.distributions.Normal(0.0, 1.0)
    ratio = (q.log_prob(z) - p.log_prob(z)).sum(-1)
    se = ratio.std() / math.sqrt(len(ratio))
    exact = itnn.kl_to_standard_normal(mu, logvar)[0]
    assert abs(ratio.mean() - exact) < 5 * se


def test_reparameterize_has_the_requested_moments():
    gen = torch.Generator().manual_seed(1)
    mu, logvar = torch.tensor([2.0, -1.0]), torch.log(torch.tensor([0.25, 4.0]))
    z = itnn.reparameterize(mu, logvar, n_samples=100_000, generator=gen)
    assert z.shape == (100_000, 2)
    # Standard errors of the mean: 0.5/316 and 2/316; of the std: about sd/447.
    np.testing.assert_allclose(z.mean(0), [2.0, -1.0], atol=0.03)
    np.testing.assert_allclose(z.std(0), [0.5, 2.0], rtol=0.01)


def test_kl_shape_mismatch_is_refused():
    with pytest.raises(ValueError, match="same shape"):
        itnn.kl_to_standard_normal(torch.zeros(2, 3), torch.zeros(2, 2))


def test_mlp_layers_and_bad_sizes():
    net = itnn.mlp([5, 4, 3, 2], activation=torch.nn.Tanh)
    assert [type(m).__name__ for m in net] == ["Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert net(torch.zeros(7, 5)).shape == (7, 2)
    with pytest.raises(ValueError, match="sizes"):
        itnn.mlp([5])
    with pytest.raises(ValueError, match="sizes"):
        itnn.mlp([5, 0])


def test_gaussian_encoder_shapes():
    enc = itnn.GaussianEncoder([6, 8], z_dim=3)
    mu, logvar = enc(torch.zeros(4, 6))
    assert mu.shape == logvar.shape == (4, 3)


def _fit_line(seed):
    itnn.seed_everything(seed)
    x = torch.linspace(-1, 1, 200).unsqueeze(1)
    y = 3 * x - 1
    model = torch.nn.Linear(1, 1)

    def loss_fn(m, xb, yb):
        mse = ((m(xb) - yb) ** 2).mean()
        return mse, {"mse": mse.item()}

    hist = itnn.train(model, loss_fn, (x, y), epochs=150, lr=0.05, batch_size=32,
                      seed=seed, progress=False)
    return model, hist


def test_train_fits_a_line_and_logs_each_epoch():
    model, hist = _fit_line(0)
    assert len(hist.epochs) == 150
    assert hist["loss"][-1] < 1e-4 < hist["loss"][0]
    np.testing.assert_allclose(hist["loss"], hist["mse"])
    assert abs(model.weight.item() - 3) < 0.01 and abs(model.bias.item() + 1) < 0.01
    with pytest.raises(KeyError, match="was not logged"):
        hist["accuracy"]


def test_train_is_deterministic_for_a_seed():
    (m1, h1), (m2, h2), (m3, h3) = _fit_line(0), _fit_line(0), _fit_line(1)
    assert np.array_equal(h1["loss"], h2["loss"])
    assert not np.array_equal(h1["loss"], h3["loss"])


def test_train_refuses_bad_arguments_and_reports_a_diverging_loss():
    model = torch.nn.Linear(1, 1)
    x = torch.zeros(4, 1)
    with pytest.raises(ValueError, match="share their first dimension"):
        itnn.train(model, lambda m, a, b: m(a).sum(), (x, torch.zeros(3)), epochs=1)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        itnn.train(model, lambda m, a: m(a).sum(), (x,), epochs=0)
    with pytest.raises(ValueError, match="lr must be a positive number"):
        itnn.train(model, lambda m, a: m(a).sum(), (x,), epochs=1, lr=float("nan"))
    with pytest.raises(FloatingPointError, match="the loss became nan"):
        itnn.train(model, lambda m, a: m(a).sum() * float("nan"), (x,), epochs=1)


def test_progress_is_silent_outside_a_kernel_and_when_switched_off(monkeypatch, capsys):
    monkeypatch.setenv("ITLIB_PROGRESS", "1")
    assert itnn._show_progress(None) is False  # no IPython kernel under pytest
    monkeypatch.setenv("ITLIB_PROGRESS", "0")
    assert itnn._show_progress(None) is False
    assert itnn._show_progress(True) is True
    _fit_line(0)
    assert capsys.readouterr().out == ""
