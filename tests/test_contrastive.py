"""itlib.contrastive: the correlated-Gaussian sampler and its optimal critic against
itlib.gaussian and scipy, the separable critic, the augmentations, and the CLIP loss
against PyTorch's cross-entropy."""

import math
import re

import numpy as np
import pytest
import torch
from scipy.stats import multivariate_normal

import itlib.gaussian as g
from itlib import contrastive as C


@pytest.mark.parametrize("mi, d", [(0.3, 1), (2.0, 20), (10.0, 20), (4.0, 5)])
def test_rho_for_mi_inverts_the_gaussian_mutual_information(mi, d):
    # Independent route: itlib.gaussian's bivariate closed form, d independent coordinates.
    rho = C.rho_for_mi(mi, d)
    assert d * g.mutual_information(rho, base=math.e) == pytest.approx(mi, rel=1e-10)


def test_correlated_gaussian_has_the_requested_correlation():
    # 20,000 x 4 coordinate pairs: the sample correlation's standard error is about
    # (1 - rho^2) / sqrt(80,000) < 0.004; tolerance 4 standard errors.
    gen = torch.Generator().manual_seed(0)
    x, y = C.correlated_gaussian(20_000, 4, 2.0, generator=gen, dtype=torch.float64)
    rho = C.rho_for_mi(2.0, 4)
    r = np.corrcoef(x.numpy().ravel(), y.numpy().ravel())[0, 1]
    assert abs(r - rho) < 4 * (1 - rho**2) / math.sqrt(80_000)
    assert abs(y.var().item() - 1.0) < 0.03


def test_correlated_gaussian_takes_the_default_dtype_or_the_one_asked_for():
    before = torch.get_default_dtype()
    try:
        torch.set_default_dtype(torch.float64)          # what chapters 4 to 6 do
        assert all(t.dtype == torch.float64 for t in C.correlated_gaussian(3, 2, 1.0))
    finally:
        torch.set_default_dtype(before)
    assert all(t.dtype == torch.float32 for t in C.correlated_gaussian(3, 2, 1.0))
    assert C.correlated_gaussian(3, 2, 1.0, dtype=torch.float64)[1].dtype == torch.float64
    with pytest.raises(TypeError, match="dtype must be a floating torch.dtype"):
        C.correlated_gaussian(3, 2, 1.0, dtype=torch.int32)


def test_gaussian_log_ratio_matches_scipy():
    rho, d = -0.7, 3
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(50, d)), rng.normal(size=(50, d))
    cov = np.block([[np.eye(d), rho * np.eye(d)], [rho * np.eye(d), np.eye(d)]])
    want = (multivariate_normal(np.zeros(2 * d), cov).logpdf(np.hstack([x, y]))
            - multivariate_normal(np.zeros(d), np.eye(d)).logpdf(x)
            - multivariate_normal(np.zeros(d), np.eye(d)).logpdf(y))
    got = C.gaussian_log_ratio(torch.tensor(x), torch.tensor(y), rho).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_gaussian_log_ratio_broadcasts_to_a_score_matrix():
    x, y = torch.randn(5, 2, dtype=torch.float64), torch.randn(5, 2, dtype=torch.float64)
    s = C.gaussian_log_ratio(x[:, None, :], y[None, :, :], 0.5)
    assert s.shape == (5, 5)
    assert s[2, 3].item() == pytest.approx(C.gaussian_log_ratio(x[2], y[3], 0.5).item())


def test_separable_critic_scores_are_dot_products():
    torch.manual_seed(0)
    critic = C.SeparableCritic(3, 4, hidden=8, embed=5)
    x, y = torch.randn(6, 3), torch.randn(6, 4)
    s = critic(x, y)
    assert s.shape == (6, 6)
    assert s[1, 4].item() == pytest.approx((critic.g(x[1]) @ critic.h(y[4])).item(), rel=1e-5)


def test_augment_keeps_shape_and_range_and_shifts_by_at_most_one_pixel():
    img = torch.zeros(1, 64)
    img[0, 3 * 8 + 4] = 1.0                                   # one lit pixel at (3, 4)
    views = C.augment(img.repeat(500, 1), noise=0.0, drop=0.0,
                      generator=torch.Generator().manual_seed(0))
    assert views.shape == (500, 64) and views.min() >= 0 and views.max() <= 1
    pos = views.argmax(dim=1)
    rows, cols = pos // 8, pos % 8
    assert set(rows.tolist()) == {2, 3, 4} and set(cols.tolist()) == {3, 4, 5}
    assert torch.all(views.sum(dim=1) == 1.0)                 # the pixel moved, not lost


def test_augment_dropout_rate():
    # 64,000 pixels: the dropped fraction's standard error is about 0.0012; 4 of them.
    views = C.augment(torch.ones(1000, 64), max_shift=0, noise=0.0, drop=0.2,
                      generator=torch.Generator().manual_seed(1))
    assert abs((views == 0).float().mean().item() - 0.2) < 4 * math.sqrt(0.16 / 64_000)


def test_clip_loss_matches_symmetric_cross_entropy():
    # Independent route: CLIP's formulation with PyTorch's cross-entropy in both directions.
    gen = torch.Generator().manual_seed(2)
    z1 = torch.nn.functional.normalize(torch.randn(8, 4, generator=gen, dtype=torch.float64), dim=1)
    z2 = torch.nn.functional.normalize(torch.randn(8, 4, generator=gen, dtype=torch.float64), dim=1)
    logits = z1 @ z2.T / 0.2
    labels = torch.arange(8)
    want = 0.5 * (torch.nn.functional.cross_entropy(logits, labels)
                  + torch.nn.functional.cross_entropy(logits.T, labels))
    assert C.clip_loss(z1, z2, 0.2).item() == pytest.approx(want.item(), rel=1e-12)


@pytest.mark.parametrize("func, args, message", [
    (C.rho_for_mi, (-1.0, 3), "mi must be non-negative, in nats (got -1.0)"),
    (C.rho_for_mi, (1.0, 0), "dim must be at least 1 (got 0)"),
    (C.gaussian_log_ratio, (torch.zeros(1, 1), torch.zeros(1, 1), 1.0),
     "rho must lie strictly between -1 and 1 (got 1.0)"),
    (C.clip_loss, (torch.zeros(2, 3), torch.zeros(2, 3), 0.0),
     "temperature must be positive (got 0.0)"),
    (C.clip_loss, (torch.zeros(2, 3), torch.zeros(3, 3), 0.1),
     "z1 and z2 must be (N, k) matrices of the same shape (got (2, 3) and (3, 3))"),
    (C.augment, (torch.zeros(2, 63),), "x must be a (batch, 64) tensor of images (got (2, 63))"),
])
def test_bad_input_is_refused_with_a_message(func, args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        func(*args)


# --- issue 31 -------------------------------------------------------------------------


def test_augment_creates_its_tensors_on_the_data_device():
    # The meta device stands in for a GPU: every tensor augment makes must be on it.
    x = torch.zeros(5, 64, device="meta")
    assert C.augment(x).device.type == "meta"
    assert C.augment(x, max_shift=0).device.type == "meta"


def test_correlated_gaussian_takes_a_device():
    x, y = C.correlated_gaussian(6, 2, 1.0, device="meta")
    assert x.device.type == "meta" and y.device.type == "meta" and x.shape == (6, 2)
    gen = torch.Generator().manual_seed(0)
    x, _ = C.correlated_gaussian(6, 2, 1.0, generator=gen)
    assert x.device == gen.device


@pytest.mark.parametrize("call, error", [
    (lambda: C.rho_for_mi("1", 2), TypeError), (lambda: C.rho_for_mi(1.0, 2.5), TypeError),
    (lambda: C.rho_for_mi(1.0, 0), ValueError), (lambda: C.correlated_gaussian(2.0, 2, 1.0), TypeError),
    (lambda: C.clip_loss(torch.eye(2), torch.eye(2), "1"), TypeError),
    (lambda: C.gaussian_log_ratio(torch.zeros(1), torch.zeros(1), None), TypeError)])
def test_wrong_type_is_a_type_error(call, error):
    with pytest.raises(error):
        call()
