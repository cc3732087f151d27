"""scikit-learn's NMF on a facet term dataset (sparse CSR), for bench/sparse_nmf_compare.ts.

Usage: python3 bench/sklearn_sparse_nmf.py DATASET_DIR --rank K --solver mu|cd
           [--beta-loss frobenius|kullback-leibler] --iters N1,N2 [--runs R] [--top 10]

Reads the dataset's indptr.u32, indices.u32 and values.f32 (documents x terms) as a
scipy CSR matrix, fits NMF(init="nndsvda", tol=0, max_iter=N, random_state=0) for N = N1
and N = N2, R times each (interleaved), keeps the fastest time of each, and prints one
JSON line: seconds per iteration (t(N2) - t(N1)) / (N2 - N1), both best times, the final
loss of the N2 fit (reconstruction_err_: the Frobenius norm or sqrt(2 KL)), the relative
Frobenius error ||X - WH|| / ||X||, and each topic's top term indices (rows of components_).
"""

import argparse
import json
import os
import time
import warnings

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning


def load(folder):
    with open(os.path.join(folder, "manifest.json")) as f:
        m = json.load(f)
    indptr = np.fromfile(os.path.join(folder, "indptr.u32"), dtype="<u4")
    indices = np.fromfile(os.path.join(folder, "indices.u32"), dtype="<u4")
    values = np.fromfile(os.path.join(folder, "values.f32"), dtype="<f4")
    return sp.csr_matrix((values, indices, indptr), shape=(m["n"], m["d"]))


def fit(x, a, iters):
    model = NMF(
        n_components=a.rank,
        init="nndsvda",
        solver=a.solver,
        beta_loss=a.beta_loss,
        tol=0.0,
        max_iter=iters,
        random_state=0,
    )
    t0 = time.perf_counter()
    w = model.fit_transform(x)
    seconds = time.perf_counter() - t0
    if model.n_iter_ != iters:
        raise SystemExit(f"sklearn_sparse_nmf.py: {a.solver} ran {model.n_iter_} of {iters} iterations")
    return seconds, model, w


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data")
    p.add_argument("--rank", type=int, required=True)
    p.add_argument("--solver", choices=["mu", "cd"], required=True)
    p.add_argument("--beta-loss", default="frobenius", choices=["frobenius", "kullback-leibler"])
    p.add_argument("--iters", required=True, help="N1,N2 with N1 < N2")
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--top", type=int, default=10)
    a = p.parse_args()
    n1, n2 = (int(v) for v in a.iters.split(","))
    x = load(a.data)
    warnings.simplefilter("ignore", ConvergenceWarning)
    fit(x, a, 1)  # warm-up: imports, BLAS threads
    best1 = best2 = float("inf")
    model = w = None
    for _ in range(a.runs):
        best1 = min(best1, fit(x, a, n1)[0])
        s, model, w = fit(x, a, n2)
        best2 = min(best2, s)
    h = model.components_
    # ||X - WH||^2 = ||X||^2 - 2 <X, WH> + tr((W^T W)(H H^T)), in float64
    xx = float(x.multiply(x).sum())
    xw = x.T @ w  # terms x k
    cross = float(np.sum(xw * h.T))
    quad = float(np.sum((w.T @ w) * (h @ h.T)))
    rel = float(np.sqrt(max(xx - 2 * cross + quad, 0.0) / xx))
    top = [[int(t) for t in np.argsort(-row, kind="stable")[: a.top] if row[t] > 0] for row in h]
    print(json.dumps({
        "sklearn": sklearn.__version__,
        "secondsPerIter": max(best2 - best1, 0.0) / (n2 - n1),
        "seconds": [best1, best2],
        "loss": float(model.reconstruction_err_),
        "relativeError": rel,
        "top": top,
    }))


if __name__ == "__main__":
    main()
