/**
 * The graph regularizer tr(H L Hᵀ) of GNMF and Deep WSF costs.
 *
 * @module
 */

import type { KernelVariant } from "./gpu.ts";
import type { GpuCsr } from "./gpu_csr.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import graphTraceSumWgsl from "./graph_trace_sum.wgsl" with { type: "text" };
import { checkSparseOperands, segmentPartials } from "./segment_partials.ts";

const SUM: KernelVariant<{ x: number }> = {
  name: "graph_trace_sum",
  wgsl: graphTraceSumWgsl,
  workgroupSize: [64, 1, 1],
  dispatch: ({ x }) => [Math.ceil(x / 64), 1, 1],
};

/** Largest k (rows of H) of {@linkcode graphTrace}: the per-segment sum loops k times. */
export const GRAPH_TRACE_MAX_ROWS = 32768;

/**
 * tr(H L Hᵀ) = ½ Σ_ij W_ij ‖h_i − h_j‖² for H k x n (columns h_i) and the graph
 * W with Laplacian L = D − W: the smoothness term of GNMF (Cai et al., TPAMI 2011)
 * and Deep WSF (Trigeorgis et al., TPAMI 2017). Computed as a sum of non-negative
 * terms (no cancellation between tr(H D Hᵀ) and tr(H W Hᵀ)): per-segment sums on the
 * GPU, summed over rows of H there, and the last n-sized sum in float64 on the CPU.
 * Flushes and waits for the GPU.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuCsr } from "./gpu_csr.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const h = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([0, 1, 3])); // k = 1, n = 3
 * const s = GpuCsr.fromGraph(gpu, { // the path 0 – 1 – 2, unit weights
 *   n: 3,
 *   rowOffsets: new Uint32Array([0, 1, 3, 4]),
 *   cols: new Uint32Array([1, 0, 2, 1]),
 *   weights: new Float32Array([1, 1, 1, 1]),
 *   degrees: new Float32Array([1, 2, 1]),
 * });
 * console.log(await graphTrace(h, s)); // 5 = (0 − 1)² + (1 − 3)²
 * gpu.destroy();
 * ```
 */
export async function graphTrace(h: GpuMatrix, s: GpuCsr): Promise<number> {
  checkSparseOperands("compute the graph trace", h, s);
  if (h.rows > GRAPH_TRACE_MAX_ROWS) {
    throw new RangeError(
      `Cannot compute the graph trace of H with ${h.rows} rows: at most ${GRAPH_TRACE_MAX_ROWS}`,
    );
  }
  if (s.segments === 0) return 0;
  const gpu = h.gpu;
  const partial = segmentPartials(h, s, "trace");
  const sums = gpu.pool.acquire(s.segments * 4);
  try {
    gpu.dispatch(
      SUM,
      { x: s.segments },
      [partial, sums],
      new Uint32Array([
        s.n,
        h.rows,
        s.segments,
        0,
      ]),
    );
    const got = new Float32Array(await gpu.read(sums, s.segments * 4));
    let total = 0;
    for (let i = 0; i < got.length; i++) total += got[i];
    return total / 2;
  } finally {
    gpu.pool.release(partial);
    gpu.pool.release(sums);
  }
}
