"""itlib against its peers: each figure a time ratio measured in one run (prints; not a test).

Run from the repository root:  python benchmarks/itlib_peers.py   (or `make benchmarks`)

Budgets (issue 14), each compared on the same inputs in the same process:
- the IB curve (50 betas, |X| = |Y| = 64, |T| = 16) in at most 0.5 s, and its update at least
  100x faster than the same update written with Python loops (benchmarks/ib.py);
- itlib.estimators.ksg_mi no slower than scikit-learn's mutual_info_regression at N = 1e5;
- itlib.entropy and itlib.kl_divergence within 2x of scipy.stats.entropy on 1e7 entries;
- itlib.mutual_information within 2x of itlib.conditional_entropy on a 3000 x 3000 table.
Each time is the best of several runs.  On a loaded machine the absolute times grow, the
ratios much less: read the ratios.  Set OMP_NUM_THREADS=1 (as `make` does) for stable times.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import scipy.stats
from sklearn.feature_selection import mutual_info_regression

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ib as ib_bench  # noqa: E402  (benchmarks/ib.py: the joint and the loop update)
from ksg import best_time as best  # noqa: E402  ((best seconds, last value) of a few calls)

import itlib as it  # noqa: E402
from itlib import ib  # noqa: E402
from itlib.estimators import ksg_mi  # noqa: E402


def row(name, ours, peer, peer_name, budget, ok):
    verdict = "ok" if ok else "OVER BUDGET"
    print(f"{name:<44} {ours:9.3g} s {peer:9.3g} s  {ours / peer:8.3g}  {peer_name:<30} "
          f"{budget:<22} {verdict}")


def main():
    print(f"{'what':<44} {'itlib':>11} {'peer':>11}  {'ratio':>8}  {'peer is':<30} "
          f"{'budget':<22} verdict")
    # IB curve; the loop runs one update (a loop curve would take many minutes).
    pxy = ib_bench.joint()
    px = pxy.sum(axis=1)
    pyx = pxy / px[:, None]
    enc = np.random.default_rng(0).dirichlet(np.ones(ib_bench.N_CLUSTERS), size=ib_bench.N)
    fast = ib._ib_step(enc[None], px, pyx, 5.0)[0]
    slow = np.array(ib_bench.loop_step(pxy.tolist(), enc.tolist(), 5.0))
    assert np.abs(fast - slow).max() < 1e-12, "the vectorized and loop updates disagree"
    t_curve, _ = best(lambda: ib.ib_curve(pxy, ib_bench.BETAS, ib_bench.N_CLUSTERS))
    print(f"{'IB curve, 50 betas, 64 x 64, |T| = 16':<44} {t_curve:9.3g} s {'':>11}  {'':>8}  "
          f"{'':<30} {'<= 0.5 s':<22} {'ok' if t_curve <= 0.5 else 'OVER BUDGET'}")
    t_fast, _ = best(lambda: ib._ib_step(enc[None], px, pyx, 5.0), 200)
    t_slow, _ = best(lambda: ib_bench.loop_step(pxy.tolist(), enc.tolist(), 5.0))
    row("IB update (one step)", t_fast, t_slow, "the same update in loops", "ratio <= 0.01",
        t_fast / t_slow <= 0.01)
    # KSG against scikit-learn.
    for n in (10_000, 100_000):
        rng = np.random.default_rng(0)
        x = rng.standard_normal(n)
        y = 0.5 * x + math.sqrt(0.75) * rng.standard_normal(n)
        t_it, _ = best(lambda: ksg_mi(x, y, k=3, base=math.e))
        t_sk, _ = best(lambda: mutual_info_regression(x[:, None], y, n_neighbors=3,
                                                      random_state=0))
        row(f"ksg_mi, N = {n:,}", t_it, t_sk, "sklearn mutual_info_regression",
            "ratio <= 1 at 1e5" if n == 100_000 else "(figure only)",
            n != 100_000 or t_it <= t_sk)
    # Entropy and KL against scipy, 1e7 entries.
    rng = np.random.default_rng(1)
    p = rng.random(10**7)
    p /= p.sum()
    q = rng.random(10**7)
    q /= q.sum()
    t_h, _ = best(lambda: it.entropy(p), 5)
    t_hs, _ = best(lambda: scipy.stats.entropy(p, base=2), 5)
    row("entropy, 1e7 entries", t_h, t_hs, "scipy.stats.entropy", "ratio <= 2", t_h <= 2 * t_hs)
    t_kl, _ = best(lambda: it.kl_divergence(p, q), 5)
    t_kls, _ = best(lambda: scipy.stats.entropy(p, q, base=2), 5)
    row("kl_divergence, 1e7 entries", t_kl, t_kls, "scipy.stats.entropy(p, q)", "ratio <= 2",
        t_kl <= 2 * t_kls)
    # Mutual information against conditional entropy on the same table.
    table = np.random.default_rng(2).random((3000, 3000))
    table /= table.sum()
    t_mi, _ = best(lambda: it.mutual_information(table))
    t_ce, _ = best(lambda: it.conditional_entropy(table))
    row("mutual_information, 3000 x 3000", t_mi, t_ce, "itlib.conditional_entropy",
        "ratio <= 2", t_mi <= 2 * t_ce)


if __name__ == "__main__":
    main()
