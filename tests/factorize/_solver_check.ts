// Runs a solver for a few iterations from a custom start and compares with a float64 reference:
// X dense in both layouts, and X sparse (70% zeros, an empty term and an empty document).

import { nmf } from "../../factorize/nmf.ts";
import type { NmfOptions } from "../../factorize/nmf_options.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { type Mat, mat, planted, startFactors } from "./_nmf_reference.ts";
import { seededRandom } from "../../factorize/seeded_random.ts";
import type { SparseDataInput } from "../../factorize/sparse_data_matrix.ts";

export async function checkAgainstReference(
  options: Partial<NmfOptions>,
  ref: (x: Mat, w: Mat, h: Mat) => [Mat, Mat],
  tol: number,
  iters = 3,
): Promise<void> {
  const gpu = await testGpu();
  const [d, n, k] = [23, 17, 3];
  const x = planted(d, n, k, 7, 0.05);
  const { W, H } = startFactors(d, n, k, 8);
  const xs = sparsified(x, d, n, 9);
  for (const layout of ["features", "samples", "sparse"] as const) {
    const samplesAsRows = layout === "samples";
    const data = samplesAsRows ? transpose(x, d, n) : x;
    const input = layout === "sparse" ? toCsr(xs, d, n) : { data, d, n, samplesAsRows };
    const r = await nmf(gpu, input, {
      rank: k,
      ...options,
      init: "custom",
      W,
      H,
      maxIter: iters,
      tol: 0,
    });
    let w = mat(d, k, W.data);
    let h = mat(k, n, H.data);
    for (let i = 0; i < iters; i++) [w, h] = ref(mat(d, n, layout === "sparse" ? xs : x), w, h);
    const label = `${options.solver ?? "mu"} ${options.betaLoss ?? ""} X ${layout}`;
    assertClose(r.factors.W.data, w.v, tol, `${label} W`);
    assertClose(r.factors.H.data, h.v, tol, `${label} H`);
  }
}

export function transpose(x: Float32Array, r: number, c: number): Float32Array {
  const t = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j];
  return t;
}

/** X (d x n) with a seeded 70% of its entries zeroed, term 2 and document 5 empty. */
export function sparsified(x: Float32Array, d: number, n: number, seed: number): Float32Array {
  if (x.length !== d * n) throw new RangeError(`X has ${x.length} values, not ${d} x ${n}`);
  const rand = seededRandom(seed);
  return x.map((v, i) => {
    const [t, j] = [Math.floor(i / n), i % n];
    return t === 2 || j === 5 || rand() < 0.7 ? 0 : v;
  });
}

/** X (d x n, dense) as the documents x terms CSR input of a sparse fit. */
export function toCsr(x: Float32Array, d: number, n: number): SparseDataInput {
  const indptr = [0], indices: number[] = [], values: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let t = 0; t < d; t++) {
      if (x[t * n + j] === 0) continue;
      indices.push(t);
      values.push(x[t * n + j]);
    }
    indptr.push(indices.length);
  }
  return {
    d,
    n,
    indptr: Uint32Array.from(indptr),
    indices: Uint32Array.from(indices),
    values: Float32Array.from(values),
  };
}
