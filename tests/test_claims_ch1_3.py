"""Claims of chapters 1-3 added for issue 28, each checked by an independent route.

The chapter's own definitions (``conditional_mi``, ``ba_bounds``, ``fano_lower_bound``,
``quantile_bins``, ...) are taken from the notebook's source, so that what the page runs is
what gets tested.  The truth comes from elsewhere: explicit sums over joint tables,
closed-form capacities, a grid search over input distributions, a brute-force search over
every decoder, scipy's one-way ANOVA and chi-squared distribution.  The last tests read the
stored notebooks: quiz answer keys hidden, numeric answers explained, chapters 1 and 2
agreeing on the Zen text, and prose numbers printed no later than the paragraph citing them.
"""

from __future__ import annotations

import ast
import itertools
import json
import pathlib
import re

import nbformat
import numpy as np
import pytest
import scipy.stats
from scipy.optimize import brentq

import itlib as it
from itlib.estimators import ksg_mi, plugin_entropy, plugin_mi

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
CH1, CH2, CH3 = "01_entropy", "02_kl_divergence", "03_mutual_information"


def read(stem: str):
    return nbformat.read(CHAPTERS / f"{stem}.ipynb", as_version=4)


def chapter_functions(stem: str, *names: str) -> dict:
    """Execute the chapter's top-level ``def`` of each name (defined exactly once)."""
    found: dict[str, str] = {}
    for cell in read(stem).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line[: len(line) - len(line.lstrip())] + "pass"
                           if line.lstrip().startswith(("%", "!")) else line
                           for line in cell.source.splitlines())
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef) and node.name in names:
                assert node.name not in found, f"{node.name} defined twice in {stem}"
                found[node.name] = ast.get_source_segment(source, node)
    missing = set(names) - set(found)
    assert not missing, f"{stem} defines no {sorted(missing)}"
    namespace = {"np": np, "it": it, "brentq": brentq}
    for name in names:
        exec(found[name], namespace)  # noqa: S102 - the book's own code
    return namespace


@pytest.fixture(scope="module")
def ch3():
    return chapter_functions(CH3, "conditional_mi", "ba_bounds", "bsc", "bec", "z_channel",
                             "fano_lower_bound", "q_ary_symmetric", "quantile_bins")


# --- explicit sums: the independent route for every information quantity ------------------

def mi_by_sums(pxy) -> float:
    """I(X;Y) in bits as the sum of p(x,y) log2 p(x,y) / (p(x) p(y)) over the nonzero cells."""
    pxy = np.asarray(pxy, dtype=float)
    px, py = pxy.sum(axis=1, keepdims=True), pxy.sum(axis=0, keepdims=True)
    nz = pxy > 0
    return float(np.sum(pxy[nz] * np.log2((pxy / (px * py))[nz])))


def cmi_by_sums(pxyz) -> float:
    """I(X;Y|Z) in bits as sum p(x,y,z) log2 p(x,y,z) p(z) / (p(x,z) p(y,z))."""
    pz = pxyz.sum(axis=(0, 1), keepdims=True)
    pxz = pxyz.sum(axis=1, keepdims=True)
    pyz = pxyz.sum(axis=0, keepdims=True)
    nz = pxyz > 0
    return float(np.sum(pxyz[nz] * np.log2((pxyz * pz / (pxz * pyz))[nz])))


def test_mi_chain_rule_on_general_three_way_tables(ch3):
    rng = np.random.default_rng(1)
    for _ in range(200):
        pxyz = rng.dirichlet(np.ones(3 * 4 * 2)).reshape(3, 4, 2)
        I_x_yz = mi_by_sums(pxyz.reshape(3, 8))
        I_xz, I_xy = mi_by_sums(pxyz.sum(axis=1)), mi_by_sums(pxyz.sum(axis=2))
        assert ch3["conditional_mi"](pxyz) == pytest.approx(cmi_by_sums(pxyz), abs=1e-12)
        assert I_x_yz == pytest.approx(I_xz + cmi_by_sums(pxyz), abs=1e-12)
        assert I_x_yz == pytest.approx(I_xy + cmi_by_sums(pxyz.transpose(0, 2, 1)), abs=1e-12)
        assert I_x_yz == pytest.approx(it.mutual_information(pxyz.reshape(3, 8)), abs=1e-12)


def test_data_processing_inequality_and_its_proof_on_markov_chains(ch3):
    rng = np.random.default_rng(2)
    for _ in range(300):
        px = rng.dirichlet(np.ones(3))
        A, B = rng.dirichlet(np.ones(4), size=3), rng.dirichlet(np.ones(3), size=4)
        pxyz = px[:, None, None] * A[:, :, None] * B[None, :, :]
        assert cmi_by_sums(pxyz.transpose(0, 2, 1)) == pytest.approx(0, abs=1e-12)   # I(X;Z|Y)
        lost = mi_by_sums(pxyz.sum(axis=2)) - mi_by_sums(pxyz.sum(axis=1))
        assert lost == pytest.approx(ch3["conditional_mi"](pxyz), abs=1e-12)          # I(X;Y|Z)
        assert lost >= -1e-12


def test_number_of_heads_is_sufficient_and_first_toss_is_not(ch3):
    seqs = np.array(list(itertools.product((0, 1), repeat=3)))
    heads = seqs.sum(axis=1)
    theta = np.array([0.5, 0.8])
    pxy = 0.5 * theta[:, None] ** heads * (1 - theta[:, None]) ** (3 - heads)
    for z_of_y, sufficient in [(np.eye(4)[heads], True), (np.eye(2)[seqs[:, 0]], False)]:
        pxyz = pxy[:, :, None] * z_of_y[None, :, :]
        loss = ch3["conditional_mi"](pxyz)
        assert loss == pytest.approx(mi_by_sums(pxy) - mi_by_sums(pxy @ z_of_y), abs=1e-12)
        assert (loss < 1e-12) == sufficient


# --- capacity: concavity and the Blahut-Arimoto certificate ---------------------------------

@pytest.mark.parametrize("kind, param", [("bsc", 0.0), ("bsc", 0.11), ("bsc", 0.3),
                                         ("bec", 0.25), ("bec", 0.9)])
def test_blahut_arimoto_bounds_bracket_the_closed_form_capacity(ch3, kind, param):
    W = ch3[kind](param)
    closed = 1 - it.binary_entropy(param) if kind == "bsc" else 1 - param
    bounds = ch3["ba_bounds"](W, np.array([0.9, 0.1]), 200)
    assert np.all(bounds[:, 0] <= closed + 1e-12)
    assert np.all(bounds[:, 1] >= closed - 1e-12)
    assert bounds[-1, 1] - bounds[-1, 0] < 1e-9


def test_blahut_arimoto_bounds_bracket_a_grid_search_capacity(ch3):
    """A random 2-input channel: the capacity by brute force over P(X = 1) on a fine grid."""
    rng = np.random.default_rng(3)
    for _ in range(5):
        W = rng.dirichlet(np.ones(4), size=2)
        a = np.linspace(0, 1, 200_001)
        q = (1 - a)[:, None] * W[0] + a[:, None] * W[1]
        H_out = -np.sum(np.where(q > 0, q * np.log2(np.where(q > 0, q, 1)), 0), axis=1)
        H_rows = np.array([it.entropy(r) for r in W])
        C_grid = np.max(H_out - ((1 - a) * H_rows[0] + a * H_rows[1]))
        bounds = ch3["ba_bounds"](W, np.array([0.5, 0.5]), 300)
        assert np.all(bounds[:, 0] <= C_grid + 1e-9) and np.all(bounds[:, 1] >= C_grid - 1e-9)
        assert bounds[-1, 0] == pytest.approx(C_grid, abs=1e-8)
        assert it.blahut_arimoto(W).capacity == pytest.approx(C_grid, abs=1e-8)


def test_mutual_information_is_concave_in_the_input_distribution():
    rng = np.random.default_rng(4)
    W = rng.dirichlet(np.ones(5), size=4)
    for _ in range(500):
        p1, p2, lam = rng.dirichlet(np.ones(4)), rng.dirichlet(np.ones(4)), rng.random()
        mix = mi_by_sums((lam * p1 + (1 - lam) * p2)[:, None] * W)
        assert mix >= lam * mi_by_sums(p1[:, None] * W) + (1 - lam) * mi_by_sums(p2[:, None] * W) - 1e-12


# --- Fano's inequality against the best decoder found by brute force -------------------------

def brute_force_min_error(pxy) -> float:
    """Smallest error over every deterministic decoder y -> x (all |X|^|Y| of them)."""
    m, n = pxy.shape
    return min(1 - sum(pxy[d[y], y] for y in range(n)) for d in itertools.product(range(m), repeat=n))


def test_fano_bound_holds_for_the_best_of_all_decoders(ch3):
    rng = np.random.default_rng(5)
    for _ in range(30):
        m, n = 4, int(rng.integers(2, 6))
        pxy = rng.dirichlet(np.ones(n) * 0.7, size=m) * rng.dirichlet(np.ones(m) * 2)[:, None]
        best = brute_force_min_error(pxy)
        assert best == pytest.approx(1 - pxy.max(axis=0).sum(), abs=1e-12)   # MAP is the best
        H_cond = cmi_free_conditional_entropy(pxy)
        assert ch3["fano_lower_bound"](H_cond, m) <= best + 1e-12


def cmi_free_conditional_entropy(pxy) -> float:
    """H(X|Y) in bits from explicit sums: -sum p(x,y) log2 p(x|y)."""
    py = pxy.sum(axis=0, keepdims=True)
    nz = pxy > 0
    return float(-np.sum(pxy[nz] * np.log2((pxy / py)[nz])))


@pytest.mark.parametrize("m, err", [(4, 0.2), (3, 0.1), (5, 0.5)])
def test_fano_bound_is_met_by_the_q_ary_symmetric_channel(ch3, m, err):
    pxy = ch3["q_ary_symmetric"](m, err) / m
    H_cond = cmi_free_conditional_entropy(pxy)
    assert H_cond == pytest.approx(it.binary_entropy(err) + err * np.log2(m - 1), abs=1e-12)
    assert ch3["fano_lower_bound"](H_cond, m) == pytest.approx(err, abs=1e-9)
    assert brute_force_min_error(pxy) == pytest.approx(err, abs=1e-12)


# --- invariance, binning, deterministic layers ------------------------------------------------

def test_discrete_mi_is_invariant_under_relabelling():
    rng = np.random.default_rng(6)
    for _ in range(50):
        pxy = rng.dirichlet(np.ones(12)).reshape(3, 4)
        relabelled = pxy[rng.permutation(3)][:, rng.permutation(4)]
        assert it.mutual_information(relabelled) == pytest.approx(mi_by_sums(pxy), abs=1e-12)


def test_quantile_bins_are_invariant_under_monotone_maps_and_equal_width_bins_are_not(ch3):
    rng = np.random.default_rng(7)
    x = rng.standard_normal(5000)
    y = 0.6 * x + 0.8 * rng.standard_normal(5000)
    qb = ch3["quantile_bins"]
    before = plugin_mi(qb(x, 16), qb(y, 16))
    assert plugin_mi(qb(np.exp(x), 16), qb(y**3, 16)) == pytest.approx(before, abs=1e-12)
    assert np.array_equal(qb(np.exp(x), 16), qb(x, 16))
    from itlib.estimators import binned_mi
    assert binned_mi(np.exp(x), y**3, 16) < binned_mi(x, y, 16) - 0.1     # binning breaks it


def test_ksg_estimates_the_same_mi_after_monotone_maps():
    rng = np.random.default_rng(8)
    x = rng.standard_normal(5000)
    y = 0.6 * x + 0.8 * rng.standard_normal(5000)
    truth = -0.5 * np.log2(1 - 0.36)
    for u, v in [(x, y), (np.exp(x), y**3)]:
        assert ksg_mi(u, v) == pytest.approx(truth, abs=0.05)


def test_binned_information_of_a_deterministic_layer_is_the_entropy_of_its_bins():
    rng = np.random.default_rng(9)
    x = rng.standard_normal(2000)
    ids = np.arange(2000)
    for w, bins in [(1, 10), (10, 30), (3, 100)]:
        t = np.tanh(w * x)
        t_bin = np.digitize(t, np.linspace(t.min(), t.max(), bins + 1)[1:-1])
        counts = np.bincount(t_bin) / len(t_bin)
        counts = counts[counts > 0]
        entropy_by_sums = float(-np.sum(counts * np.log2(counts)))
        assert plugin_mi(ids, t_bin) == pytest.approx(entropy_by_sums, abs=1e-9)
        assert plugin_entropy(t_bin) == pytest.approx(entropy_by_sums, abs=1e-12)


# --- pointwise mutual information --------------------------------------------------------------

def test_mi_is_the_average_pointwise_mutual_information():
    rng = np.random.default_rng(10)
    for _ in range(50):
        pxy = rng.dirichlet(np.ones(6)).reshape(2, 3)
        px, py = pxy.sum(axis=1), pxy.sum(axis=0)
        pmi = np.log2(pxy / np.outer(px, py))
        assert np.allclose(pmi, np.log2((pxy / py) / px[:, None]))   # log2 p(x|y) / p(x)
        assert np.sum(pxy * pmi) == pytest.approx(it.mutual_information(pxy), abs=1e-12)


# --- feature screens and significance ------------------------------------------------------------

def test_correlation_ratio_formula_matches_anova_and_sums_of_squares():
    from sklearn.datasets import load_wine
    from sklearn.feature_selection import f_classif
    X, y = load_wine(return_X_y=True)
    F = f_classif(X, y)[0]
    for j in range(X.shape[1]):
        groups = [X[y == c, j] for c in range(3)]
        assert F[j] == pytest.approx(scipy.stats.f_oneway(*groups).statistic, rel=1e-10)
        ss_between = sum(len(g) * (g.mean() - X[:, j].mean()) ** 2 for g in groups)
        ss_total = np.sum((X[:, j] - X[:, j].mean()) ** 2)
        assert 2 * F[j] / (2 * F[j] + len(y) - 3) == pytest.approx(ss_between / ss_total, rel=1e-10)


def test_permutation_test_is_calibrated_and_agrees_with_the_g_test(ch3):
    rng = np.random.default_rng(11)
    qb, n, shuffles = ch3["quantile_bins"], 178, 200
    p_values, null_means = [], []
    for _ in range(60):                               # independent feature and class
        b, y = qb(rng.standard_normal(n)), rng.integers(0, 3, n)
        obs = plugin_mi(b, y)
        null = np.array([plugin_mi(b, rng.permutation(y)) for _ in range(shuffles)])
        p_values.append((1 + np.sum(null >= obs - 1e-12)) / (1 + shuffles))
        null_means.append(null.mean())
    assert 0.0 <= np.mean(np.array(p_values) <= 0.05) <= 0.15
    predicted_bias = (8 - 1) * (3 - 1) / (2 * n * np.log(2))
    assert np.mean(null_means) == pytest.approx(predicted_bias, rel=0.15)
    # a dependent feature: permutation and G-test p-values of the same order
    y = rng.integers(0, 3, n)
    v = rng.standard_normal(n) + 0.25 * y
    b = qb(v)
    obs = plugin_mi(b, y)
    null = np.array([plugin_mi(b, rng.permutation(y)) for _ in range(4000)])
    p_perm = (1 + np.sum(null >= obs - 1e-12)) / 4001
    p_g = scipy.stats.chi2.sf(2 * n * np.log(2) * obs, df=14)
    assert 0.01 < p_perm < 0.5 and 0.2 < p_perm / p_g < 5


# --- chapter 2: the Fisher quadratic form has its factor 1/2 --------------------------------------

@pytest.mark.parametrize("theta", [0.1, 0.3, 0.5])
def test_kl_of_a_small_step_is_half_the_fisher_quadratic_form(theta):
    for delta in (1e-2, 1e-3):
        kl = it.kl_divergence([theta, 1 - theta], [theta + delta, 1 - theta - delta], base=np.e)
        half_quadratic = 0.5 * delta**2 / (theta * (1 - theta))
        assert kl / half_quadratic == pytest.approx(1, abs=30 * delta)


# --- the stored notebooks -----------------------------------------------------------------------

def checked_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", "") if out.get("output_type") == "stream"
                     else out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def quiz_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and "Quiz(" in c.source]


@pytest.mark.parametrize("stem", [CH1, CH2, CH3])
def test_quiz_answer_keys_are_hidden_and_length_gives_nothing_away(stem):
    cells = quiz_cells(read(stem))
    assert cells
    longest = total = 0
    for cell in cells:
        assert "remove-input" in cell.metadata.get("tags", [])
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
        for block in re.split(r"\n(?=\d+\. )", checked_text(cell)):
            options = re.findall(r"^   ([ *])\([a-z]\) (.*)$", block, re.M)
            if options:
                total += 1
                correct = [len(t) for mark, t in options if mark == "*"]
                others = [len(t) for mark, t in options if mark != "*"]
                longest += max(correct) > max(others)
    assert total and longest <= total / 2, f"{stem}: the correct option is the longest in {longest} of {total}"


@pytest.mark.parametrize("stem", [CH1, CH2, CH3])
def test_every_numeric_quiz_answer_is_explained(stem):
    for cell in quiz_cells(read(stem)):
        for out in cell.outputs:
            page = out.get("data", {}).get("text/html", "")
            for key in re.findall(r'class="itlib-quiz-key">(.*?)</script>', page, re.S):
                for question in json.loads(key):
                    if question["kind"] == "num":
                        assert question["explanation"].strip(), f"{stem}: a numeric answer without explanation"


def test_chapters_1_and_2_code_the_same_lower_cased_zen_text():
    ch1 = "".join(checked_text(c) for c in read(CH1).cells)
    ch2 = "".join(checked_text(c) for c in read(CH2).cells)
    k1 = re.search(r"(\d+) characters, (\d+) distinct symbols", ch1).group(2)
    k2 = re.search(r"Zen of Python: (\d+) distinct characters", ch2).group(1)
    assert k1 == k2


@pytest.mark.parametrize("stem", [CH1, CH2, CH3])
def test_prose_numbers_are_printed_before_the_paragraph_that_cites_them(stem, nb=None):
    """A paragraph quotes only numbers printed by a checked cell above it or by the code cell
    right below it ("we check it: ..."), never by a cell further down (issue 28, item 8)."""
    import sys
    sys.path.insert(0, str(ROOT / "tests"))
    from test_prose_numbers import ALLOWED, prose_numbers
    cells = (nb or read(stem)).cells
    checked = [checked_text(c) if c.cell_type == "code"
               and "nbval-check-output" in c.metadata.get("tags", []) else "" for c in cells]
    late = []
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        nxt = i + 1 < len(cells) and cells[i + 1].cell_type == "code"
        printed = "\n".join(checked[: i + 2 if nxt else i])
        for token in prose_numbers(cell.source):
            if token not in ALLOWED and not re.search(rf"(?<![\d.]){re.escape(token)}(?!\d)", printed):
                late.append(token)
    assert not late, f"{stem}: prose numbers printed only after the paragraph that cites them: {late}"


def test_the_order_check_fails_on_the_old_chapter_1():
    """Before the fix, chapter 1 quoted the Miller-Madow numbers before the cell printing them."""
    import subprocess
    old = subprocess.run(["git", "show", "35b2b3c:chapters/01_entropy.ipynb"], cwd=ROOT,
                         capture_output=True, text=True)
    if old.returncode != 0:
        pytest.skip("commit 35b2b3c is not in this clone")
    with pytest.raises(AssertionError, match="2.0472"):
        test_prose_numbers_are_printed_before_the_paragraph_that_cites_them(
            CH1, nb=nbformat.reads(old.stdout, as_version=4))
