"""scikit-learn's NMF on an .npy matrix (samples x features), for bench/sklearn_compare.ts.

Usage: python3 bench/sklearn_nmf.py DATA.npy --rank K --solver mu|cd --iters N1,N2 [--runs R]

Fits NMF(init="nndsvda", tol=0, max_iter=N, random_state=0) for N = N1 and N = N2,
R times each (interleaved), keeps the fastest time of each, and prints one JSON line:
seconds per iteration (t(N2) - t(N1)) / (N2 - N1), both best times, and the final
reconstruction error of the N2 fit, absolute and relative to ||X||_F.
"""

import argparse
import json
import time
import warnings

import numpy as np
import sklearn
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning


def fit(x, rank, solver, iters):
    model = NMF(
        n_components=rank,
        init="nndsvda",
        solver=solver,
        beta_loss="frobenius",
        tol=0.0,
        max_iter=iters,
        random_state=0,
    )
    t0 = time.perf_counter()
    model.fit_transform(x)
    seconds = time.perf_counter() - t0
    if model.n_iter_ != iters:
        raise SystemExit(f"sklearn_nmf.py: {solver} ran {model.n_iter_} of {iters} iterations")
    return seconds, float(model.reconstruction_err_)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data")
    p.add_argument("--rank", type=int, required=True)
    p.add_argument("--solver", choices=["mu", "cd"], required=True)
    p.add_argument("--iters", required=True, help="N1,N2 with N1 < N2")
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    n1, n2 = (int(v) for v in a.iters.split(","))
    x = np.load(a.data)
    warnings.simplefilter("ignore", ConvergenceWarning)
    fit(x, a.rank, a.solver, 1)  # warm-up: imports, BLAS threads
    best1 = best2 = float("inf")
    err = None
    for _ in range(a.runs):
        best1 = min(best1, fit(x, a.rank, a.solver, n1)[0])
        s, err = fit(x, a.rank, a.solver, n2)
        best2 = min(best2, s)
    norm = float(np.linalg.norm(x.astype(np.float64)))
    print(json.dumps({
        "sklearn": sklearn.__version__,
        "dtype": str(x.dtype),
        "secondsPerIter": max(best2 - best1, 0.0) / (n2 - n1),
        "seconds": [best1, best2],
        "error": err,
        "relativeError": err / norm,
    }))


if __name__ == "__main__":
    main()
