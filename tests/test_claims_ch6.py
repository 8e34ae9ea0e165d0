"""Chapter 6's claims about the MI bounds, checked by independent routes.

- the batch DV estimate is biased upward, NWJ is not: exact expectations by enumerating
  every batch of a binary symmetric pair (no sampling), against Monte Carlo through
  ``itlib.bounds``;
- InfoNCE stays under ``log N`` and, with the optimal critic, under the truth;
- the CLUB estimate with the exact conditional against its closed form
  ``d (exp(2 I / d) - 1)``; SMILE with an infinite clip against DV; the JS objective against
  ``2 JSD - log 4`` from scipy;
- the cosine cap ``log N - log(1 + (N - 1) e^{-2/tau})`` against the score matrix that
  attains it and against random unit vectors;
- the staircase table the chapter prints (stored output, kept current by nbval): InfoNCE
  within a margin of ``min(I, log N)``, NWJ's smoothed mean above ``log N`` at the top
  level, NWJ's spread larger than InfoNCE's, CLUB above the truth.
"""

from __future__ import annotations

import itertools
import math
import pathlib
import re

import nbformat
import numpy as np
import pytest
import torch
from scipy.spatial.distance import jensenshannon

import itlib.bounds as bounds
import itlib.contrastive as C
import itlib.mi_bounds as mb

CHAPTER = pathlib.Path(__file__).resolve().parent.parent / "chapters" / "06_infonce.ipynb"


# ------------------------------------------------------------------ exact DSBS batches


def dsbs(eps: float):
    """Joint pmf of a doubly symmetric binary source and its log density ratio (nats)."""
    p = np.array([[0.5 * (1 - eps), 0.5 * eps], [0.5 * eps, 0.5 * (1 - eps)]])
    log_r = np.log(p / 0.25)
    mi = float(np.sum(p * log_r))
    return p, log_r, mi


def exact_batch_expectation(estimator, eps: float, n: int, shift: float = 0.0) -> float:
    """E over every batch of n pairs (4**n of them) of estimator(score matrix), exactly."""
    p, log_r, _ = dsbs(eps)
    cells = [(a, b) for a in range(2) for b in range(2)]
    total = 0.0
    for batch in itertools.product(cells, repeat=n):
        prob = math.prod(p[a, b] for a, b in batch)
        xs = [a for a, _ in batch]
        ys = [b for _, b in batch]
        scores = torch.tensor([[log_r[xi, yj] + shift for yj in ys] for xi in xs],
                              dtype=torch.float64)
        total += prob * estimator(scores).item()
    return total


@pytest.mark.parametrize("n", [2, 3, 4])
def test_batch_dv_is_biased_upward_and_nwj_is_not_exact_enumeration(n):
    eps = 0.05
    _, _, mi = dsbs(eps)
    dv_mean = exact_batch_expectation(bounds.dv, eps, n)
    nwj_mean = exact_batch_expectation(bounds.nwj, eps, n, shift=1.0)
    assert nwj_mean == pytest.approx(mi, abs=1e-12)        # unbiased: plain means
    assert dv_mean > mi + 0.02                              # Jensen on the log of a mean
    # the excess is exactly -E[log of the batch mean of r], and E[batch mean of r] = 1
    excess = exact_batch_expectation(
        lambda s: -torch.log(torch.exp(s)[~torch.eye(n, dtype=torch.bool)].mean()), eps, n)
    assert dv_mean - mi == pytest.approx(excess, abs=1e-12)
    mean_r = exact_batch_expectation(
        lambda s: torch.exp(s)[~torch.eye(n, dtype=torch.bool)].mean(), eps, n)
    assert mean_r == pytest.approx(1.0, abs=1e-12)


def test_monte_carlo_batch_dv_agrees_with_the_exact_expectation():
    eps, n = 0.05, 3
    p, log_r, _ = dsbs(eps)
    exact = exact_batch_expectation(bounds.dv, eps, n)
    rng = np.random.default_rng(0)
    cells = rng.choice(4, size=(20_000, n), p=p.reshape(-1))
    xs, ys = cells // 2, cells % 2
    values = np.array([bounds.dv(torch.tensor(log_r[x][:, y], dtype=torch.float64)).item()
                       for x, y in zip(xs, ys)])
    se = values.std(ddof=1) / np.sqrt(len(values))
    assert abs(values.mean() - exact) < 4 * se


def gaussian_scores(mi, d, n, gen):
    x, y = C.correlated_gaussian(n, d, mi, generator=gen, dtype=torch.float64)
    return C.gaussian_log_ratio(x[:, None, :], y[None, :, :], C.rho_for_mi(mi, d))


def test_gaussian_batch_dv_overshoots_at_10_nats_while_nwj_does_not():
    gen = torch.Generator().manual_seed(3)
    scores = [gaussian_scores(10.0, 10, 64, gen) for _ in range(400)]
    dv = np.array([bounds.dv(s).item() for s in scores])
    nwj = np.array([bounds.nwj(s + 1).item() for s in scores])
    assert dv.mean() - 10.0 > 10 * dv.std(ddof=1) / 20        # far above: bias, not noise
    assert abs(nwj.mean() - 10.0) < 4 * nwj.std(ddof=1) / 20


@pytest.mark.parametrize("mi", [0.5, 2.0, 8.0])
def test_infonce_with_the_optimal_critic_is_below_min_of_truth_and_log_n(mi):
    gen = torch.Generator().manual_seed(1)
    v = np.array([bounds.infonce(gaussian_scores(mi, 10, 64, gen)).item() for _ in range(200)])
    assert v.max() <= math.log(64) + 1e-12
    assert v.mean() < min(mi, math.log(64))


# ------------------------------------------------------------------ CLUB, SMILE, JS


@pytest.mark.parametrize("mi,d", [(2.0, 10), (1.0, 1), (6.0, 10)])
def test_club_with_the_exact_conditional_matches_its_closed_form(mi, d):
    gen = torch.Generator().manual_seed(0)
    rho = C.rho_for_mi(mi, d)
    vals = []
    for _ in range(300):
        x, y = C.correlated_gaussian(64, d, mi, generator=gen, dtype=torch.float64)
        diff = y[None, :, :] - rho * x[:, None, :]        # log p(y_j | x_i), by hand
        log_q = torch.sum(-0.5 * math.log(2 * math.pi * (1 - rho**2))
                          - diff**2 / (2 * (1 - rho**2)), dim=-1)
        vals.append(mb.club(log_q).item())
    vals = np.array(vals)
    closed = mb.club_gaussian(mi, d)
    assert closed > mi
    assert abs(vals.mean() - closed) < 4 * vals.std(ddof=1) / np.sqrt(len(vals))


def test_gaussian_conditional_log_prob_matrix_matches_its_diagonal_and_scipy():
    from scipy.stats import norm
    torch.manual_seed(0)
    q = mb.GaussianConditional(3, 2, hidden=8).double()
    x, y = torch.randn(5, 3, dtype=torch.float64), torch.randn(5, 2, dtype=torch.float64)
    m = q.log_prob_matrix(x, y)
    assert torch.allclose(torch.diagonal(m), q.log_prob(x, y))
    mu, lv = q.mu(x), q.log_var(x)
    ref = norm.logpdf(y[3].numpy(), mu[1].detach().numpy(), np.exp(0.5 * lv[1].detach().numpy()))
    assert m[1, 3].item() == pytest.approx(ref.sum(), abs=1e-10)


def test_smile_without_clipping_is_dv_and_clipping_bounds_the_negatives():
    gen = torch.Generator().manual_seed(2)
    s = gaussian_scores(8.0, 10, 32, gen)
    assert mb.smile(s, clip=math.inf).item() == pytest.approx(bounds.dv(s).item(), abs=1e-12)
    big = torch.full((4, 4), 50.0, dtype=torch.float64)
    assert mb.smile(big, clip=5.0).item() == pytest.approx(50.0 - 5.0)


def test_js_objective_expectation_is_2jsd_minus_log4_at_the_optimal_critic():
    eps = 0.1
    p, _, _ = dsbs(eps)
    exact = exact_batch_expectation(mb.js_objective, eps, 3)
    q = np.full(4, 0.25)
    jsd = jensenshannon(p.reshape(-1), q) ** 2              # natural log by default
    assert exact == pytest.approx(2 * jsd - math.log(4), abs=1e-12)
    worse = exact_batch_expectation(mb.js_objective, eps, 3, shift=0.5)
    assert worse < exact


def test_ewm_mean_matches_explicit_weights():
    rng = np.random.default_rng(0)
    v = rng.normal(size=50)
    a = 2 / (10 + 1)
    explicit = [np.sum((1 - a) ** np.arange(t, -1, -1) * v[: t + 1])
                / np.sum((1 - a) ** np.arange(t + 1)) for t in range(50)]
    assert np.allclose(mb.ewm_mean(v, span=10), explicit)


# ------------------------------------------------------------------ the cosine cap


def test_cosine_cap_is_attained_by_extreme_scores_and_never_exceeded():
    n, tau = 256, 1.0
    cap = mb.cosine_infonce_cap(n, tau)
    assert cap == pytest.approx(math.log(256) - math.log(1 + 255 * math.exp(-2)), abs=1e-12)
    extreme = (2 * torch.eye(n, dtype=torch.float64) - 1) / tau
    assert bounds.infonce(extreme).item() == pytest.approx(cap, abs=1e-12)
    gen = torch.Generator().manual_seed(0)
    for _ in range(20):
        z1 = torch.nn.functional.normalize(torch.randn(n, 8, generator=gen, dtype=torch.float64), dim=1)
        z2 = torch.nn.functional.normalize(z1 + 0.1 * torch.randn(n, 8, generator=gen,
                                                                   dtype=torch.float64), dim=1)
        assert bounds.infonce(z1 @ z2.T / tau).item() <= cap
    assert mb.cosine_infonce_cap(256, 0.05) == pytest.approx(math.log(256), abs=1e-12)


@pytest.mark.parametrize("call,exc", [
    (lambda: mb.smile([[1.0]]), TypeError),
    (lambda: mb.smile(torch.zeros(2, 3)), ValueError),
    (lambda: mb.smile(torch.zeros(2, 2), clip=0.0), ValueError),
    (lambda: mb.smile(torch.zeros(2, 2), clip="5"), TypeError),
    (lambda: mb.club(torch.zeros(1, 1)), ValueError),
    (lambda: mb.club(torch.zeros(2, 2, dtype=torch.int64)), TypeError),
    (lambda: mb.js_objective(torch.tensor([[0.0, math.nan], [0.0, 0.0]])), ValueError),
    (lambda: mb.club_gaussian(-1.0, 3), ValueError),
    (lambda: mb.club_gaussian(1.0, 2.5), TypeError),
    (lambda: mb.cosine_infonce_cap(1, 1.0), ValueError),
    (lambda: mb.cosine_infonce_cap(4, 0.0), ValueError),
    (lambda: mb.cosine_infonce_cap(4.0, 1.0), TypeError),
    (lambda: mb.ewm_mean([], span=3), ValueError),
    (lambda: mb.ewm_mean([1.0], span=0.5), ValueError),
])
def test_bad_input_names_the_argument(call, exc):
    with pytest.raises(exc):
        call()


# ------------------------------------------------------------------ the chapter's staircase


def stored_output(marker: str) -> str:
    """The stored text output of the chapter's checked cell whose source contains marker."""
    nb = nbformat.read(CHAPTER, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and marker in cell.source:
            assert "nbval-check-output" in cell.metadata.get("tags", []), "cell is not checked"
            return "".join(o.get("text", "") for o in cell.get("outputs", [])
                           if o.get("output_type") == "stream")
    raise AssertionError(f"no cell with {marker!r} in chapter 6")


@pytest.fixture(scope="module")
def staircase_table():
    text = stored_output("trained critics, second half")
    trained, optimal, part = {}, {}, None
    levels = None
    for line in text.splitlines():
        if line.startswith("trained critics"):
            part = trained
        elif line.startswith("optimal critic"):
            part = optimal
        elif line.startswith("true I"):
            levels = [float(t) for t in line.split()[2:]]
        elif part is trained and "[" in line:
            name = line[:16].strip()
            cells = re.findall(r"(-?\d+\.\d+) \(\s*(\d+\.\d+)\) \[\s*(-?\d+\.\d+)\]", line)
            part[name] = [tuple(map(float, c)) for c in cells]
        elif part is optimal and "(" in line:
            name = line[:16].strip()
            part[name] = [tuple(map(float, c)) for c in re.findall(r"(-?\d+\.\d+) \(\s*(\d+\.\d+)\)", line)]
    assert levels == [2.0, 4.0, 6.0, 8.0, 10.0]
    assert all(len(v) == 5 for v in trained.values()) and len(trained) == 6
    return levels, trained, optimal


def test_staircase_infonce_stays_within_a_margin_under_min_of_truth_and_log_n(staircase_table):
    levels, trained, optimal = staircase_table
    log_n = math.log(64)
    for i, mi in enumerate(levels):
        mean, _, _ = trained["InfoNCE"][i]
        assert mean <= min(mi, log_n)
        assert min(mi, log_n) - mean < 1.0                     # the level-2 gap is the bound's
        assert abs(mean - optimal["InfoNCE"][i][0]) < 0.15     # trained ~ optimal critic
    assert min(levels[-1], log_n) - trained["InfoNCE"][-1][0] < 0.1


def test_staircase_nwj_smoothed_mean_is_above_log_n_at_the_top_levels(staircase_table):
    levels, trained, _ = staircase_table
    log_n = math.log(64)
    for i in (2, 3, 4):                                        # 6, 8 and 10 nats
        assert trained["NWJ"][i][2] > log_n
        assert trained["JS (as NWJ)"][i][2] > log_n
    assert trained["NWJ"][1][2] < log_n                        # not before: truth is 4 nats


def test_staircase_nwj_varies_more_than_infonce_and_club_brackets_from_above(staircase_table):
    levels, trained, optimal = staircase_table
    for i, mi in enumerate(levels):
        assert trained["NWJ"][i][1] > trained["InfoNCE"][i][1]
        assert optimal["NWJ"][i][1] > optimal["InfoNCE"][i][1]
        assert trained["CLUB (upper)"][i][0] > mi > trained["InfoNCE"][i][0]
        assert optimal["CLUB (upper)"][i][0] == pytest.approx(mb.club_gaussian(mi, 10), abs=0.01)
    # the spread of NWJ with the optimal critic grows with the level
    spreads = [s for _, s in optimal["NWJ"]]
    assert spreads == sorted(spreads)


def test_chapter_prints_the_upward_dv_bias():
    text = stored_output("median of log m-hat")
    rows = {float(m.group(1)): float(m.group(2))
            for m in re.finditer(r"^\s*(\d+\.\d)\s*\|\s*(-?\d+\.\d+) ±", text, re.M)}
    assert rows[10.0] > 11.0 and rows[16.0] > 25.0
    assert abs(rows[2.0] - 2.0) < 0.05


def test_chapter_prints_the_cosine_cap_beside_full_batch_infonce():
    text = stored_output("full_batch_infonce(model, tau)")
    row = re.search(r"contrastive, tau=1\.0\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)", text)
    assert row, text
    full, _, cap = map(float, row.groups())
    assert cap == pytest.approx(mb.cosine_infonce_cap(256, 1.0), abs=5e-4)
    assert full < cap
