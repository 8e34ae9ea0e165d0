"""Speed of itlib.ib: a 50-beta IB curve for |X| = |Y| = 64, and the vectorized update
against a straightforward nested-Python-loop implementation of the same update.

Usage:  python benchmarks/ib.py [--caps N]

With --caps N it also solves the curve of N random joints (seeds 0 to N - 1, the first one
the benchmark's) with at most 500 and 5000 updates per start, and prints each one's
Lagrangian summed over the grid: the comparison quoted in ib_curve's docstring (--caps 10).

Prints; asserts nothing about time (a loaded machine must not fail a test suite).
Targets (issue 12): the curve in under 0.5 s, the update 100x or more faster than loops.
Both timings are taken in the same run, on the same joint distribution.
"""

import argparse
import math
import time

import numpy as np

from itlib import ib

N = 64            # |X| = |Y|
N_CLUSTERS = 16   # |T|
BETAS = np.geomspace(0.5, 50.0, 50)


def joint(n=N, seed=0):
    """X uniform on n values; each row p(y|x) drawn from a Dirichlet(0.2) over n values."""
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.full(n, 0.2), size=n) / n


def loop_step(pxy, enc, beta):
    """One IB update written with nested Python loops over t, x and y (no numpy math).

    The same equations as itlib.ib's vectorized step: p(t), p(y|t), then
    p(t|x) proportional to p(t) exp(-beta KL(p(y|x) || p(y|t))).
    """
    n_x, n_y = len(pxy), len(pxy[0])
    n_t = len(enc[0])
    px = [sum(pxy[x][y] for y in range(n_y)) for x in range(n_x)]
    pt = [0.0] * n_t
    for t in range(n_t):
        for x in range(n_x):
            pt[t] += px[x] * enc[x][t]
    pyt = [[0.0] * n_y for _ in range(n_t)]
    for t in range(n_t):
        for x in range(n_x):
            for y in range(n_y):
                pyt[t][y] += pxy[x][y] * enc[x][t]
        for y in range(n_y):
            pyt[t][y] = pyt[t][y] / pt[t] if pt[t] > 0 else 0.0
    logits = [[0.0] * n_t for _ in range(n_x)]
    for x in range(n_x):
        for t in range(n_t):
            kl = 0.0
            for y in range(n_y):
                pyx = pxy[x][y] / px[x]
                if pyx > 0:
                    kl += pyx * (math.log(pyx) - math.log(max(pyt[t][y], 1e-300)))
            logits[x][t] = (math.log(pt[t]) if pt[t] > 0 else -math.inf) - beta * kl
    new = [[0.0] * n_t for _ in range(n_x)]
    for x in range(n_x):
        m = max(logits[x])
        w = [math.exp(v - m) for v in logits[x]]
        s = sum(w)
        for t in range(n_t):
            new[x][t] = w[t] / s
    return new


def best_of(f, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    pxy = joint()
    px = pxy.sum(axis=1)
    pyx = pxy / px[:, None]
    enc = np.random.default_rng(0).dirichlet(np.ones(N_CLUSTERS), size=N)

    # The two updates agree before anything is timed.
    fast = ib._ib_step(enc[None], px, pyx, 5.0)[0]
    slow = np.array(loop_step(pxy.tolist(), enc.tolist(), 5.0))
    print(f"vectorized and loop updates agree to {np.abs(fast - slow).max():.1e}")

    t_curve = best_of(lambda: ib.ib_curve(pxy, BETAS, N_CLUSTERS), 3)
    curve = ib.ib_curve(pxy, BETAS, N_CLUSTERS)
    # The cap on updates per start (ib_curve's max_iter, 500) against iterative_ib's 5000:
    # time and the Lagrangian summed over the grid (lower is better).
    t0 = time.perf_counter()
    long = ib.ib_curve(pxy, BETAS, N_CLUSTERS, max_iter=5000)
    t_long = time.perf_counter() - t0
    lagr = np.sum(curve.i_xt - BETAS * curve.i_ty)
    lagr_long = np.sum(long.i_xt - BETAS * long.i_ty)
    monotone = bool(np.all(np.diff(curve.i_xt) > -1e-6) and np.all(np.diff(curve.i_ty) > -1e-6))
    t_fast = best_of(lambda: ib._ib_step(enc[None], px, pyx, 5.0), 200)
    t_slow = best_of(lambda: loop_step(pxy.tolist(), enc.tolist(), 5.0), 3)
    print(f"IB curve, {BETAS.size} betas, |X| = |Y| = {N}, |T| = {N_CLUSTERS}: "
          f"{t_curve:.3f} s (best of 3; target < 0.5 s); "
          f"I(X;T) from {curve.i_xt.min():.3f} to {curve.i_xt.max():.3f} bits, "
          f"I(T;Y) up to {curve.i_ty.max():.3f} bits, both non-decreasing in beta: {monotone}")
    print(f"at most 500 updates per start (the default) against 5000: {t_curve:.3f} s "
          f"against {t_long:.3f} s; Lagrangian summed over the grid {lagr:.3f} against "
          f"{lagr_long:.3f} bits")
    print(f"one update: vectorized {1e6 * t_fast:.0f} us, nested loops {1e3 * t_slow:.0f} ms: "
          f"{t_slow / t_fast:.0f}x (target >= 100x)")


def compare_caps(n_joints):
    """The curve with at most 500 and 5000 updates per start, on n_joints random joints."""
    wins = {"500": 0, "5000": 0, "tie": 0}
    for seed in range(n_joints):
        pxy = joint(seed=seed)
        sums = []
        for cap in (500, 5000):
            c = ib.ib_curve(pxy, BETAS, N_CLUSTERS, max_iter=cap)
            sums.append(float(np.sum(c.i_xt - BETAS * c.i_ty)))
        diff = sums[0] - sums[1]
        key = "tie" if abs(diff) < 1e-6 else ("500" if diff < 0 else "5000")
        wins[key] += 1
        print(f"joint {seed}: summed Lagrangian {sums[0]:.3f} bits (500) against "
              f"{sums[1]:.3f} bits (5000)")
    print(f"lower with 500: {wins['500']}, lower with 5000: {wins['5000']}, "
          f"tied (within 1e-6 bits): {wins['tie']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caps", type=int, default=0, metavar="N",
                        help="also compare 500 and 5000 updates per start on N joints")
    args = parser.parse_args()
    main()
    if args.caps:
        compare_caps(args.caps)
