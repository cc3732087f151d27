/**
 * Rank-k truncated SVD by the randomized range finder (Halko, Martinsson & Tropp
 * 2011, "Finding structure with randomness"): every product with X runs on the
 * GPU; only l x l eigen-decompositions (l = k + oversampling) run on the CPU.
 *
 * @module
 */

import { gemm } from "../gpu/gemm.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import type { DataMatrix } from "./data_matrix.ts";
import type { SparseDataMatrix } from "./sparse_data_matrix.ts";
import { seededNormal, seededRandom } from "./seeded_random.ts";
import { symmetricEigen } from "./symmetric_eigen.ts";

/** X ≈ U diag(s) Vᵀ. */
export interface TruncatedSvd {
  /** Left singular vectors, d x k row-major. */
  u: Float32Array;
  /** Singular values, descending. */
  s: Float64Array;
  /** Right singular vectors transposed, k x n row-major. */
  vt: Float32Array;
}

/** Options of {@linkcode randomizedSvd}. */
export interface RandomizedSvdOptions {
  /** Extra random directions. Default 10. */
  oversample?: number;
  /** Power iterations (each one pass over X twice). Default 4. */
  powerIters?: number;
  /** Seed of the random test matrix. Default 0. */
  seed?: number;
}

/**
 * Replaces the columns of `y` (r x l) by an orthonormal basis of their span
 * (symmetric whitening through the eigen-decomposition of YᵀY on the CPU).
 */
async function _orthonormalize(y: GpuMatrix, byRows: boolean): Promise<void> {
  const gpu = y.gpu;
  const l = byRows ? y.rows : y.cols;
  const g = GpuMatrix.empty(gpu, l, l);
  const m = GpuMatrix.empty(gpu, l, l);
  const tmp = y.clone();
  try {
    if (byRows) gemm(y, y, g, { transB: true });
    else gemm(y, y, g, { transA: true });
    const { values, vectors } = symmetricEigen(await g.toArray(), l);
    const floor = Math.max(values[0], 1e-30) * 1e-12;
    const w = new Float32Array(l * l);
    for (let i = 0; i < l; i++) {
      for (let j = 0; j < l; j++) {
        w[i * l + j] = vectors[i * l + j] / Math.sqrt(Math.max(values[j], floor));
      }
    }
    if (byRows) {
      // rows of y: Y ← Wᵀ Y
      m.write(w);
      gemm(m, tmp, y, { transA: true });
    } else {
      m.write(w);
      gemm(tmp, m, y);
    }
  } finally {
    g.dispose();
    m.dispose();
    tmp.dispose();
  }
}

/**
 * The rank-k truncated SVD of X (d x n) with GEMMs on the GPU.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { DataMatrix } from "./data_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * // X (3 x 4) = [[3, 0, 0, 0], [0, 2, 0, 0], [0, 0, 1, 0]]: singular values 3, 2, 1
 * const data = new Float32Array([3, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0]);
 * const x = DataMatrix.upload(gpu, { data, d: 3, n: 4 });
 * const { u, s, vt } = await randomizedSvd(x, 2, { seed: 1 });
 * console.log(u.length, vt.length, Array.from(s, (v) => v.toFixed(4))); // 6 8 ["3.0000", "2.0000"]
 * gpu.destroy();
 * ```
 */
export async function randomizedSvd(
  x: DataMatrix | SparseDataMatrix,
  k: number,
  options: RandomizedSvdOptions = {},
): Promise<TruncatedSvd> {
  const { d, n } = x;
  const gpu = x.gpu;
  const l = Math.min(k + (options.oversample ?? 10), d, n);
  const normal = seededNormal(seededRandom(options.seed ?? 0));
  const omega = GpuMatrix.fromArray(gpu, l, n, Float32Array.from({ length: l * n }, normal));
  const q = GpuMatrix.empty(gpu, d, l);
  const b = GpuMatrix.empty(gpu, l, n);
  const bbt = GpuMatrix.empty(gpu, l, l);
  const proj = GpuMatrix.empty(gpu, k, l);
  const uk = GpuMatrix.empty(gpu, d, k);
  const vk = GpuMatrix.empty(gpu, k, n);
  try {
    x.timesHt(omega, q); // Y = X Ω
    await _orthonormalize(q, false);
    for (let it = 0; it < (options.powerIters ?? 4); it++) {
      x.wtTimes(q, b); // Qᵀ X
      await _orthonormalize(b, true);
      x.timesHt(b, q); // X (Qᵀ X)ᵀ
      await _orthonormalize(q, false);
    }
    x.wtTimes(q, b); // B = Qᵀ X, l x n
    gemm(b, b, bbt, { transB: true });
    const { values, vectors } = symmetricEigen(await bbt.toArray(), l);
    const s = Float64Array.from({ length: k }, (_, j) => Math.sqrt(Math.max(values[j], 0)));
    // U = Q E_k (E_k: first k eigenvectors, l x k); Vᵀ = diag(1/s) E_kᵀ B
    const ek = new Float32Array(k * l);
    const ekScaled = new Float32Array(k * l);
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < l; i++) {
        ek[j * l + i] = vectors[i * l + j];
        ekScaled[j * l + i] = s[j] > 0 ? vectors[i * l + j] / s[j] : 0;
      }
    }
    proj.write(ek);
    gemm(q, proj, uk, { transB: true });
    const u = await uk.toArray();
    proj.write(ekScaled);
    gemm(proj, b, vk);
    const vt = await vk.toArray();
    return { u, s, vt };
  } finally {
    for (const m of [omega, q, b, bbt, proj, uk, vk]) m.dispose();
  }
}
