/**
 * The assignment step of k-means on the GPU: each sample to its nearest centroid,
 * from the cross products Cᵀ X that a GEMM gives.
 *
 * @module
 */

import type { KernelVariant } from "./gpu.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import { linearGrid } from "./linear_grid.ts";
import nearestCentroidWgsl from "./nearest_centroid.wgsl" with { type: "text" };

/** Most centroids: two loops over k per invocation stay far below llvmpipe's 65,535. */
export const NEAREST_CENTROID_MAX_K = 16384;

const VARIANT: KernelVariant<number> = {
  name: "nearest_centroid",
  wgsl: nearestCentroidWgsl,
  workgroupSize: [64, 1, 1],
  dispatch: linearGrid,
};

/**
 * For each sample s (column of `cross` = Cᵀ X, k x n), the centroid c minimizing
 * ‖c‖² − 2 cᵀx_s, i.e. ‖x_s − c‖² up to the sample's own norm; the lowest c on ties.
 * Writes `labels` (1 x n, the index as f32) and `h` (k x n, the one-hot indicators).
 * `norms` (1 x k) holds ‖c‖².
 *
 * @example
 * ```ts
 * import { gemm } from "./gemm.ts";
 * import { Gpu } from "./gpu.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([0, 1, 9])); // X: 3 samples in 1-D
 * const c = GpuMatrix.fromArray(gpu, 1, 2, new Float32Array([0, 10])); // C: 2 centroids
 * const norms = GpuMatrix.fromArray(gpu, 1, 2, new Float32Array([0, 100])); // ‖c‖²
 * const cross = GpuMatrix.empty(gpu, 2, 3);
 * const [labels, h] = [GpuMatrix.empty(gpu, 1, 3), GpuMatrix.empty(gpu, 2, 3)];
 * gemm(c, x, cross, { transA: true }); // Cᵀ X, k x n
 * nearestCentroid(cross, norms, labels, h);
 * console.log(await labels.toArray()); // Float32Array [0, 0, 1]
 * gpu.destroy();
 * ```
 */
export function nearestCentroid(
  cross: GpuMatrix,
  norms: GpuMatrix,
  labels: GpuMatrix,
  h: GpuMatrix,
): void {
  const [k, n] = [cross.rows, cross.cols];
  if (k > NEAREST_CENTROID_MAX_K) {
    throw new RangeError(
      `k-means takes at most ${NEAREST_CENTROID_MAX_K} centroids, got ${k}`,
    );
  }
  const shapes: [string, GpuMatrix, number, number][] = [
    ["norms", norms, 1, k],
    ["labels", labels, 1, n],
    ["h", h, k, n],
  ];
  for (const [name, m, rows, cols] of shapes) {
    if (m.rows !== rows || m.cols !== cols) {
      throw new RangeError(
        `nearestCentroid: ${name} is ${m.rows} x ${m.cols}, expected ${rows} x ${cols}`,
      );
    }
  }
  const u = new Uint32Array([n, k, 0, 0]);
  cross.gpu.dispatch(VARIANT, n, [cross.buffer, norms.buffer, labels.buffer, h.buffer], u);
}
