"""Accuracy and speed of itlib's KSG estimator (prints figures; not a test).

Run from the repository root:  python benchmarks/ksg.py

1. Accuracy: bivariate Gaussians (N = 2000, k = 3, 10 seeds) against the closed form
   -1/2 ln(1 - rho^2) nats, and d-dimensional Gaussians (d = 1, 5, 20 independent pairs
   of correlation rho = 0.6) against d times that.
2. Speed: itlib.estimators.ksg_mi against sklearn.feature_selection.mutual_info_regression
   on the same 1-D data (one feature), N = 1e4 and 1e5, in the same run; best of 3 each.
"""

from __future__ import annotations

import math
import time

import numpy as np
from sklearn.feature_selection import mutual_info_regression

from itlib.estimators import ksg_mi


def gaussian_pair(rho, n, seed, d=1):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    y = rho * x + math.sqrt(1 - rho**2) * rng.standard_normal((n, d))
    return x, y


def truth_nats(rho, d=1):
    return -0.5 * d * math.log(1 - rho**2)


def best_time(f, repeats=3):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = f()
        times.append(time.perf_counter() - t0)
    return min(times), value


def main():
    print("KSG accuracy, N = 2000, k = 3, 10 seeds (nats)")
    for rho in [0.0, 0.5, 0.9, 0.99]:
        est = np.array([ksg_mi(*gaussian_pair(rho, 2000, s), base=math.e) for s in range(10)])
        t = truth_nats(rho)
        print(f"  rho = {rho:<5} truth {t:.4f}  mean {est.mean():.4f}  bias {est.mean() - t:+.4f}"
              f"  sd {est.std(ddof=1):.4f}  max |error| {np.abs(est - t).max():.4f}")
    print("KSG bias vs dimension, rho = 0.6 per pair, N = 2000, k = 3, 3 seeds (nats)")
    for d in [1, 5, 20]:
        est = np.array([ksg_mi(*gaussian_pair(0.6, 2000, s, d=d), base=math.e) for s in range(3)])
        t = truth_nats(0.6, d)
        print(f"  d = {d:<3} truth {t:.4f}  mean {est.mean():.4f}  relative bias "
              f"{(est.mean() - t) / t:+.1%}")
    print("KSG time, itlib vs scikit-learn mutual_info_regression, 1-D, k = 3 (best of 3)")
    for n in [10_000, 100_000]:
        x, y = gaussian_pair(0.5, n, 0)
        t_it, v_it = best_time(lambda: ksg_mi(x[:, 0], y[:, 0], k=3, base=math.e))
        t_sk, v_sk = best_time(lambda: mutual_info_regression(x, y[:, 0], n_neighbors=3,
                                                              random_state=0)[0])
        print(f"  N = {n:>7,}: itlib {t_it:.3f} s, sklearn {t_sk:.3f} s, "
              f"ratio itlib/sklearn {t_it / t_sk:.2f}  (estimates {v_it:.4f} / {v_sk:.4f} nats)")


if __name__ == "__main__":
    main()
