/**
 * Sparse-times-dense products for the graph terms of GNMF and Deep WSF updates:
 * H S and H D with H k x n dense and S an n x n sparse symmetric graph, D its degrees.
 *
 * @module
 */

import { fillTemplate } from "./fill_template.ts";
import type { Gpu, KernelVariant } from "./gpu.ts";
import type { GpuCsr } from "./gpu_csr.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import spmmSegmentsWgsl from "./spmm_segments.wgsl" with { type: "text" };
import spmmCombineWgsl from "./spmm_combine.wgsl" with { type: "text" };
import scaleColumnsWgsl from "./scale_columns.wgsl" with { type: "text" };

/** Options of {@linkcode spmm} and {@linkcode scaleColumns}. */
export interface SpmmOptions {
  /** Scale of the product. Default 1. */
  alpha?: number;
  /** Scale of the old output; 0 ignores its contents (even NaN). Default 0. */
  beta?: number;
}

interface Grid {
  x: number;
  y: number;
}

const SEGMENTS_SRC = spmmSegmentsWgsl;

function _grid(name: string, wgsl: string): KernelVariant<Grid> {
  return {
    name,
    wgsl,
    workgroupSize: [64, 1, 1],
    dispatch: ({ x, y }) => [Math.ceil(x / 64), y, 1],
  };
}

/** Segment partial sums; `term` "product" for H S, "trace" for Σ w (H[r, j] − H[r, c])². */
function _segmentVariant(term: "product" | "trace"): KernelVariant<Grid> {
  return term === "product" ? PRODUCT : TRACE;
}

const PRODUCT = _grid(
  "spmm_segments_product",
  fillTemplate(SEGMENTS_SRC, { TERM: "w * hc" }),
);
const TRACE = _grid(
  "spmm_segments_trace",
  fillTemplate(SEGMENTS_SRC, { TERM: "w * (hj - hc) * (hj - hc)" }),
);
const COMBINE = _grid("spmm_combine", spmmCombineWgsl);
const SCALE = _grid("scale_columns", scaleColumnsWgsl);

/** Throws a RangeError naming `what` when H, the graph and the output disagree. */
export function _checkGraphOperands(what: string, h: GpuMatrix, s: GpuCsr, out?: GpuMatrix): void {
  if (h.cols !== s.m) {
    throw new RangeError(
      s.m === s.n
        ? `Cannot ${what}: H is ${h.rows}x${h.cols} but the graph has n = ${s.n} samples`
        : `Cannot ${what}: H is ${h.rows}x${h.cols} but the sparse matrix has ${s.m} columns`,
    );
  }
  if (h.gpu !== s.gpu) {
    throw new RangeError(`Cannot ${what}: H and the graph are on different GPUs`);
  }
  if (out && (out.rows !== h.rows || out.cols !== s.n)) {
    throw new RangeError(
      `Cannot ${what}: output is ${out.rows}x${out.cols}, expected ${h.rows}x${s.n}`,
    );
  }
  if (out && out.buffer === h.buffer) {
    throw new RangeError(`Cannot ${what}: the output must be a different matrix from H`);
  }
}

/**
 * Records the per-segment partial sums of `term` into a pooled buffer (k x segments)
 * and returns it; the caller releases it to `gpu.pool` after recording its use.
 */
export function _segmentPartials(h: GpuMatrix, s: GpuCsr, term: "product" | "trace"): GPUBuffer {
  const gpu: Gpu = h.gpu;
  if (term === "trace" && s.m !== s.n) {
    throw new RangeError(`The graph trace needs a square graph, not ${s.n}x${s.m}`);
  }
  const bytes = h.rows * s.segments * 4;
  if (bytes > gpu.maxBinding) {
    throw new RangeError(
      `Graph products need ${bytes} bytes of partial sums for H (${h.rows}x${h.cols}), over the ` +
        `storage binding limit of ${gpu.maxBinding}: split H into row blocks`,
    );
  }
  const partial = gpu.pool.acquire(bytes);
  gpu.dispatch(
    _segmentVariant(term),
    { x: s.segments, y: h.rows },
    [h.buffer, s.cols, s.weights, s.segStart, s.segRow, partial],
    new Uint32Array([s.n, h.rows, s.segments, s.m]),
  );
  return partial;
}

/**
 * out = alpha · H S + beta · out, recorded into the open batch, where H is k x n
 * (row-major GpuMatrix) and S the n x n sparse symmetric graph weights (W of
 * GNMF's numerator term α H W, Cai et al., TPAMI 2011; λ_i H_i W_i of Deep WSF,
 * Trigeorgis et al., TPAMI 2017). As S is symmetric, (H S)[r, j] = Σ_c S[j, c] H[r, c]
 * over the stored entries of row j: O(k · nnz) work, never a dense n x n matrix.
 * For a rectangular n x m sparse matrix A ({@linkcode GpuCsr.fromMatrix}) it is
 * out (k x n) = alpha · H Aᵀ + beta · out with H k x m: a corpus's Wᵀ Xᵀ, H X.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuCsr } from "./gpu_csr.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const h = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([1, 2, 3]));
 * const s = GpuCsr.fromGraph(gpu, { // the path 0 – 1 – 2, unit weights
 *   n: 3,
 *   rowOffsets: new Uint32Array([0, 1, 3, 4]),
 *   cols: new Uint32Array([1, 0, 2, 1]),
 *   weights: new Float32Array([1, 1, 1, 1]),
 *   degrees: new Float32Array([1, 2, 1]),
 * });
 * const hs = GpuMatrix.empty(gpu, h.rows, h.cols);
 * spmm(h, s, hs); // hs = H S: each sample gets the sum of its neighbours
 * console.log(await hs.toArray()); // Float32Array [2, 4, 2]
 * gpu.destroy();
 * ```
 */
export function spmm(h: GpuMatrix, s: GpuCsr, out: GpuMatrix, options: SpmmOptions = {}): void {
  _checkGraphOperands("multiply H by the graph", h, s, out);
  const gpu = h.gpu;
  const partial = _segmentPartials(h, s, "product");
  const u = new ArrayBuffer(32);
  new Uint32Array(u).set([s.n, h.rows, s.segments, 0]);
  new Float32Array(u).set([options.alpha ?? 1, options.beta ?? 0], 4);
  gpu.dispatch(COMBINE, { x: s.n, y: h.rows }, [partial, s.rowSeg, out.buffer], u);
  gpu.pool.release(partial); // a later reuse is ordered after this work
}

/**
 * out = alpha · H D + beta · out with D = diag(degrees of `s`): column j of H scaled by
 * the degree of sample j (the denominator term α H D of GNMF, λ_i H_i D_i of Deep WSF).
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuCsr } from "./gpu_csr.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const h = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([1, 2, 3]));
 * const s = GpuCsr.fromGraph(gpu, { // the path 0 – 1 – 2, unit weights: degrees 1, 2, 1
 *   n: 3,
 *   rowOffsets: new Uint32Array([0, 1, 3, 4]),
 *   cols: new Uint32Array([1, 0, 2, 1]),
 *   weights: new Float32Array([1, 1, 1, 1]),
 *   degrees: new Float32Array([1, 2, 1]),
 * });
 * const hd = GpuMatrix.empty(gpu, h.rows, h.cols);
 * scaleColumns(h, s, hd); // hd = H D
 * console.log(await hd.toArray()); // Float32Array [1, 4, 3]
 * gpu.destroy();
 * ```
 */
export function scaleColumns(
  h: GpuMatrix,
  s: GpuCsr,
  out: GpuMatrix,
  options: SpmmOptions = {},
): void {
  _checkGraphOperands("scale H by the degrees", h, s, out);
  const u = new ArrayBuffer(16);
  new Uint32Array(u).set([s.n, h.rows]);
  new Float32Array(u).set([options.alpha ?? 1, options.beta ?? 0], 2);
  h.gpu.dispatch(SCALE, { x: s.n, y: h.rows }, [h.buffer, s.degrees, out.buffer], u);
}
