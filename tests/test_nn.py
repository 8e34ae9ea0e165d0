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
    with pytest.raises(ValueError, match="epochs must be at least 1"):
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


# --- issue 31 -------------------------------------------------------------------------


class _Probe(torch.nn.Module):
    """One parameter that the loss does not depend on: the loss is the batch mean of x."""

    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.zeros(()))


def _batch_mean(model, x):
    return x.mean() + 0.0 * model.w, {"twice": float(2 * x.mean())}


@pytest.mark.parametrize("n, batch_size", [(10, 4), (7, 3), (5, 8), (12, 4)])
def test_train_weights_a_partial_last_batch_by_its_size(n, batch_size):
    # The epoch's logged loss is the mean over all n examples: batches weighted by their
    # sizes (4, 4, 2 for n = 10).  Weighting the last batch by batch_size gets it wrong.
    x = torch.arange(n, dtype=torch.float64) ** 2
    h = itnn.train(_Probe(), _batch_mean, (x,), epochs=2, batch_size=batch_size)
    assert h["loss"] == pytest.approx([float(x.mean())] * 2, rel=1e-12)
    assert h["twice"] == pytest.approx([2 * float(x.mean())] * 2, rel=1e-12)


def test_train_refuses_a_model_without_parameters():
    # It raised a bare StopIteration (from next(model.parameters())).
    with pytest.raises(ValueError, match="model has no parameters"):
        itnn.train(torch.nn.ReLU(), lambda m, x: x.mean(), (torch.ones(4),), epochs=1)


@pytest.mark.parametrize("z_dim, error", [(0, ValueError), (-1, ValueError),
                                          (2.5, TypeError), ("2", TypeError)])
def test_gaussian_encoder_refuses_a_bad_z_dim(z_dim, error):
    with pytest.raises(error, match="z_dim"):
        itnn.GaussianEncoder([4, 8], z_dim)


@pytest.mark.parametrize("kwargs, error, name", [
    ({"epochs": 1.5}, TypeError, "epochs"), ({"epochs": 0}, ValueError, "epochs"),
    ({"batch_size": "8"}, TypeError, "batch_size"), ({"lr": "0.1"}, TypeError, "lr"),
    ({"lr": -1.0}, ValueError, "lr"), ({"seed": 0.5}, TypeError, "seed"),
    ({"weight_decay": -1.0}, ValueError, "weight_decay")])
def test_train_wrong_type_is_a_type_error(kwargs, error, name):
    args = {"epochs": 1, **kwargs}
    with pytest.raises(error, match=name):
        itnn.train(_Probe(), _batch_mean, (torch.ones(4),), **args)


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (1.5, TypeError), ("1", TypeError)])
def test_seed_everything_wrong_type_is_a_type_error(seed, error):
    with pytest.raises(error, match="seed"):
        itnn.seed_everything(seed)


def test_mlp_sizes_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="sizes"):
        itnn.mlp([4, 2.5])
    with pytest.raises(ValueError, match="sizes"):
        itnn.mlp([4, 0])


def test_gaussian_log_density_lives_in_nn_and_vae_reexports_it():
    from itlib import vae
    assert vae.gaussian_log_density is itnn.gaussian_log_density
    z = torch.tensor([[0.3, -1.0]], dtype=torch.float64)
    mu = torch.tensor([[0.1, 0.2]], dtype=torch.float64)
    logvar = torch.tensor([[0.5, -0.4]], dtype=torch.float64)
    want = g.log_density(z[0].numpy(), mu[0].numpy(), np.diag(np.exp(logvar[0].numpy())),
                         base=math.e)
    assert float(itnn.gaussian_log_density(z, mu, logvar)) == pytest.approx(want, rel=1e-12)
