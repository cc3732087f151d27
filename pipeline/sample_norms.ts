/**
 * Per-sample L2 norms of a dataset and its samples scaled to unit norm: a run's
 * `normalize: "l2"` (the Deep Semi-NMF notebook's normalize(X), Cai's
 * NormalizeFea). The fit sees unit-norm samples; the evaluation multiplies each
 * reconstruction by its sample's norm to compare it with the pixels.
 *
 * @module
 */

import type { Dataset } from "../data_prep/open_dataset.ts";

/**
 * The L2 norm of every sample (pixels in [0, 1]), in blocks of samples; 1 for
 * an all-zero sample (it stays zero).
 *
 * @example
 * ```ts
 * const ds = { n: 2, d: 2, rows: () => new Float32Array([3, 4, 0, 0]) };
 * console.log(sampleNorms(ds)); // Float32Array [5, 1]
 * ```
 */
export function sampleNorms(ds: Pick<Dataset, "n" | "d" | "rows">): Float32Array {
  const norms = new Float32Array(ds.n);
  const block = Math.max(1, Math.floor((1 << 22) / ds.d));
  for (let j0 = 0; j0 < ds.n; j0 += block) {
    const j1 = Math.min(ds.n, j0 + block);
    const x = ds.rows(j0, j1);
    for (let s = 0; s < j1 - j0; s++) {
      let v = 0;
      for (let p = s * ds.d; p < (s + 1) * ds.d; p++) v += x[p] * x[p];
      norms[j0 + s] = v > 0 ? Math.sqrt(v) : 1;
    }
  }
  return norms;
}

/**
 * The samples as rows (n x d f32), each divided by its norm.
 *
 * @example
 * ```ts
 * const ds = { n: 1, d: 2, rows: () => new Float32Array([3, 4]) };
 * console.log(unitNormRows(ds, sampleNorms(ds))); // Float32Array [0.6, 0.8]
 * ```
 */
export function unitNormRows(
  ds: Pick<Dataset, "n" | "d" | "rows">,
  norms: Float32Array,
): Float32Array {
  const x = ds.rows(0, ds.n);
  for (let j = 0; j < ds.n; j++) {
    const inv = 1 / norms[j];
    for (let p = j * ds.d; p < (j + 1) * ds.d; p++) x[p] *= inv;
  }
  return x;
}
