/**
 * Samples projected on their top right singular directions (a randomized SVD on the GPU):
 * the `reduce` option of knnGraph and attributeGraphs, which measure distances in r
 * dimensions instead of all d.
 *
 * @module
 */

import type { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { DataMatrix } from "./data_matrix.ts";
import { randomizedSvd } from "./randomized_svd.ts";

/**
 * Samples (n x d rows, row-major; `dim` = d is required when `x` is a Float32Array)
 * projected on their top r right singular directions: rows of (S Vᵀ)ᵀ, n x r row-major,
 * where X ≈ U S Vᵀ is the rank-r randomized SVD of the d x n data. Inner products and
 * distances between the rows are those of that rank-r approximation (those of X, up to
 * rounding, for data of rank <= r); each column's sign is arbitrary. Throws a RangeError,
 * in knnGraph's terms (option `reduce`), without `dim` for an array or for r not a whole
 * number in [1, min(d, n)].
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const rows = new Float32Array([1, 2, 2, 4, 3, 6]); // 3 samples along (1, 2)
 * const p = await projectRows(gpu, rows, 2, 1); // ±‖row‖
 * console.log(Array.from(p, (v) => Math.abs(v).toFixed(3))); // [ "2.236", "4.472", "6.708" ]
 * gpu.destroy();
 * ```
 */
export async function projectRows(
  gpu: Gpu,
  x: Float32Array | GpuMatrix,
  dim: number | undefined,
  r: number,
): Promise<Float32Array> {
  const d = x instanceof GpuMatrix ? x.cols : dim;
  if (d === undefined) throw new RangeError("knnGraph option dim is required with reduce");
  const data = x instanceof GpuMatrix ? await x.toArray() : x;
  const n = data.length / d;
  if (!Number.isInteger(r) || r < 1 || r > Math.min(d, n)) {
    throw new RangeError(
      `knnGraph option reduce is ${r}: expected a whole number in [1, ${Math.min(d, n)}]`,
    );
  }
  const xm = DataMatrix.upload(gpu, { data, d, n, samplesAsRows: true });
  try {
    const { s, vt } = await randomizedSvd(xm, r);
    const out = new Float32Array(n * r);
    for (let c = 0; c < r; c++) {
      for (let i = 0; i < n; i++) out[i * r + c] = s[c] * vt[c * n + i];
    }
    return out;
  } finally {
    xm.dispose();
  }
}
