"""numpy_leontief.py — time what pymrio's calc_L does, np.linalg.inv(I - A),
on the same kind of dense random A as bench_leontief.c (positive entries,
column sums in [0.3, 0.8)).  Best of BENCH_REPS; prints seconds per N.
usage: /usr/bin/python3 bench/numpy_leontief.py N [N...]"""
import os
import sys
import time

import numpy as np

reps = max(1, int(os.environ.get("BENCH_REPS", "3")))
for arg in sys.argv[1:]:
    n = int(arg)
    rng = np.random.default_rng(42 + n)
    A = rng.random((n, n))
    A *= (0.3 + 0.5 * rng.random(n)) / A.sum(axis=0)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        I = np.eye(n)
        L = np.linalg.inv(I - A)  # pymrio.tools.iomath.calc_L
        best = min(best, time.perf_counter() - t0)
    print(f"{n} {best:.6f}")
    sys.stdout.flush()
