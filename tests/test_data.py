"""itlib.data: the digits split is fixed, stratified, scaled and binarized as documented."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from itlib import data


def test_digits_split_sizes_scale_and_determinism():
    a, b = data.digits(), data.digits()
    assert a.x_train.shape == (1347, 64) and a.x_test.shape == (450, 64)
    assert a.x_train.dtype == np.float32 and a.y_train.dtype == np.int64
    assert np.array_equal(a.x_test, b.x_test) and np.array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.y_test, data.digits(seed=1).y_test)
    assert a.x_train.min() == 0.0 and a.x_train.max() == 1.0


def test_digits_are_the_scikit_learn_images():
    # Every training row is one of sklearn's images divided by 16 (independent load).
    raw = {tuple(r) for r in load_digits().data / 16}
    d = data.digits()
    assert all(tuple(r) in raw for r in d.x_train.astype(float))


def test_digits_split_is_stratified():
    d = data.digits()
    counts = np.bincount(d.y_test, minlength=10)
    per_class = np.bincount(load_digits().target, minlength=10)
    # Each class keeps its share of the test set to within one image.
    assert np.all(np.abs(counts - 0.25 * per_class) <= 1)


def test_binarized_digits_threshold_at_half_intensity():
    d, b = data.digits(), data.digits(binarize=True)
    assert set(np.unique(b.x_train)) == {0.0, 1.0}
    assert np.array_equal(b.x_train, (d.x_train > 0.5).astype(np.float32))


def test_tensors_round_trip():
    xt, _, yt, _ = data.digits().tensors()
    assert xt.shape == (1347, 64) and yt.dtype.is_floating_point is False
    assert np.array_equal(xt.numpy(), data.digits().x_train)


def test_tensors_take_the_default_dtype_or_the_one_asked_for():
    import torch

    d = data.digits()
    before = torch.get_default_dtype()
    try:
        torch.set_default_dtype(torch.float64)          # what chapters 4 to 6 do
        xt, xs, yt, ys = d.tensors()
        assert xt.dtype == xs.dtype == torch.float64 and yt.dtype == ys.dtype == torch.int64
    finally:
        torch.set_default_dtype(before)
    assert d.tensors()[0].dtype == torch.float32
    assert d.tensors(torch.float64)[1].dtype == torch.float64
    assert np.array_equal(d.tensors(torch.float64)[0].numpy(), d.x_train.astype(np.float64))
    for bad in (torch.int64, "float64", np.float64):
        with pytest.raises(TypeError, match="dtype must be a floating torch.dtype"):
            d.tensors(bad)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"test_size": 0}, ValueError, "test_size must be finite and in"),
    ({"test_size": 1.5}, ValueError, "test_size must be finite and in"),
    ({"binarize": "yes"}, TypeError, "binarize must be True or False"),
    ({"seed": 1.5}, TypeError, "seed must be an integer"),
])
def test_digits_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        data.digits(**kwargs)


# --- issue 31 -------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, error", [({"test_size": "0.25"}, TypeError),
                                           ({"test_size": 1.0}, ValueError),
                                           ({"test_size": True}, TypeError),
                                           ({"seed": 1.5}, TypeError),
                                           ({"seed": -1}, ValueError)])
def test_digits_wrong_type_is_a_type_error(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        data.digits(**kwargs)
