"""Tests of itlib.channels.blahut_arimoto against closed-form capacities.

Closed forms (Cover and Thomas 2006, ch. 7): BSC(p) 1 - h(p); binary erasure channel
1 - eps; Z-channel with flip probability 1/2: log2(1.25) with P(X=1) = 0.4; a noiseless
channel with n inputs log2(n); a channel with identical rows 0.  Independent check of
the optimum: a brute-force grid search over binary input distributions.
"""

import dataclasses
import math
import re

import numpy as np
import pytest

import itlib as it
from itlib.channels import Capacity, blahut_arimoto


def bsc(p):
    return np.array([[1 - p, p], [p, 1 - p]])


def bec(eps):
    # outputs 0, erasure, 1
    return np.array([[1 - eps, eps, 0.0], [0.0, eps, 1 - eps]])


def mi_bits(p_x, w):
    """I(X;Y) in bits of input p_x through channel w, via the joint table and itlib.discrete."""
    return it.mutual_information(np.asarray(p_x)[:, None] * w)


@pytest.mark.parametrize("p", [0.0, 0.01, 0.1, 0.25, 0.4, 0.5])
def test_bsc_capacity_is_one_minus_binary_entropy(p):
    res = it.blahut_arimoto(bsc(p), tol=1e-10)
    assert res.capacity == pytest.approx(1 - it.binary_entropy(p), abs=1e-9)
    np.testing.assert_allclose(res.p_x, [0.5, 0.5], atol=1e-6)


@pytest.mark.parametrize("eps", [0.0, 0.2, 0.5, 0.9])
def test_bec_capacity_is_one_minus_eps(eps):
    assert blahut_arimoto(bec(eps), tol=1e-10).capacity == pytest.approx(1 - eps, abs=1e-9)


def test_z_channel_capacity_is_log2_1_25_at_flip_one_half():
    res = blahut_arimoto([[1.0, 0.0], [0.5, 0.5]], tol=1e-10)
    assert res.capacity == pytest.approx(math.log2(1.25), abs=1e-9)
    np.testing.assert_allclose(res.p_x, [0.6, 0.4], atol=1e-4)


def test_capacity_equals_mi_of_returned_input_and_beats_a_grid():
    # An asymmetric channel with no closed form: the reported capacity is the MI of p_x,
    # and no binary input on a fine grid does better (up to the grid's resolution).
    w = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    res = blahut_arimoto(w, tol=1e-10)
    assert res.capacity == pytest.approx(mi_bits(res.p_x, w), abs=1e-12)
    grid = np.linspace(0, 1, 20001)
    best = max(mi_bits([a, 1 - a], w) for a in grid)
    assert best <= res.capacity + 1e-10
    assert res.capacity - best < 1e-7


@pytest.mark.parametrize("tol", [1e-3, 1e-6, 1e-9])
def test_converges_to_the_stated_tolerance(tol):
    # The Z-channel converges slowly enough that a loose tolerance stops early; the
    # answer must still be within tol of log2(1.25), and never above it (it is an MI).
    c = blahut_arimoto([[1.0, 0.0], [0.5, 0.5]], tol=tol).capacity
    assert math.log2(1.25) - tol <= c <= math.log2(1.25) + 1e-12


def test_noiseless_and_useless_channels():
    assert blahut_arimoto(np.eye(5)).capacity == pytest.approx(math.log2(5), abs=1e-9)
    assert blahut_arimoto([[0.3, 0.7], [0.3, 0.7], [0.3, 0.7]]).capacity == pytest.approx(0, abs=1e-12)


def test_base_sets_the_unit():
    w = bsc(0.1)
    assert blahut_arimoto(w, base=math.e).capacity == pytest.approx(
        blahut_arimoto(w).capacity * math.log(2), abs=1e-9)


def test_result_is_a_frozen_dataclass():
    res = blahut_arimoto(bsc(0.1))
    assert isinstance(res, Capacity)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.capacity = 2.0


def test_raises_when_max_iter_is_too_small():
    with pytest.raises(RuntimeError, match="did not reach tol=1e-12 in max_iter=2"):
        blahut_arimoto([[1.0, 0.0], [0.5, 0.5]], tol=1e-12, max_iter=2)


@pytest.mark.parametrize(
    "channel, message",
    [
        ([0.5, 0.5], "channel must be 2-D, channel[i, j] = P(Y=j | X=i) (got a 1-D array of shape (2,))"),
        (np.ones((2, 2, 2)) / 2, "channel must be 2-D"),
        ([[0.5, 0.6], [0.5, 0.5]], "channel's rows must sum to 1, P(Y | X=i) for each input i (got 1.1 in row 0)"),
        ([[0.5, 0.5], [1.2, -0.2]], "channel must be non-negative (got -0.2 at index (1, 1))"),
        ([[0.5, float("nan")], [0.5, 0.5]], "channel must be finite (got nan)"),
        (np.zeros((0, 2)), "channel must not be empty"),
    ],
)
def test_bad_channels_raise(channel, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        blahut_arimoto(channel)


@pytest.mark.parametrize("tol", [0, -1e-3, float("nan")])
def test_bad_tol_raises(tol):
    with pytest.raises(ValueError, match=re.escape(f"tol must be a positive number (got {tol!r})")):
        blahut_arimoto(bsc(0.1), tol=tol)


@pytest.mark.parametrize("snr", [0.5, 1.0, 3.0, 10.0])
def test_gaussian_channel_formula_by_two_independent_routes(snr):
    # Y = X + N with X ~ N(0, P), N ~ N(0, 1): (X, Y) is bivariate Gaussian with
    # rho^2 = P / (P + 1), so I(X;Y) = -1/2 log2(1 - rho^2) must equal 1/2 log2(1 + SNR).
    closed_form = 0.5 * math.log2(1 + snr)
    rho = math.sqrt(snr / (snr + 1))
    assert it.gaussian.mutual_information(rho) == pytest.approx(closed_form, rel=1e-12)
    # Second route: the KSG estimate from 2000 samples of the channel (its spread at
    # N = 2000, k = 3 is about 0.02 nats, see benchmarks/ksg.py; 0.06 bits is ~2-3 sd).
    rng = np.random.default_rng(int(10 * snr))
    x = rng.normal(0, math.sqrt(snr), 2000)
    y = x + rng.standard_normal(2000)
    assert it.estimators.ksg_mi(x, y) == pytest.approx(closed_form, abs=0.06)


# --- issue 31 -------------------------------------------------------------------------


@pytest.mark.parametrize("max_iter, error", [(0, ValueError), (-1, ValueError),
                                             (2.5, TypeError), (True, TypeError),
                                             ("10", TypeError)])
def test_max_iter_is_validated(max_iter, error):
    with pytest.raises(error, match="max_iter"):
        blahut_arimoto([[0.9, 0.1], [0.1, 0.9]], max_iter=max_iter)


@pytest.mark.parametrize("tol, error", [(0, ValueError), (-1e-3, ValueError),
                                        (math.nan, ValueError), ("1e-9", TypeError)])
def test_tol_wrong_type_is_a_type_error(tol, error):
    with pytest.raises(error, match="tol"):
        blahut_arimoto([[0.9, 0.1], [0.1, 0.9]], tol=tol)
