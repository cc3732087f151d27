/**
 * Sparse-times-dense products for the graph terms of GNMF and Deep WSF updates:
 * H S and H D with H k x n dense and S an n x n sparse symmetric graph, D its degrees.
 *
 * @module
 */

import { fillTemplate } from "./fill_template.ts";
import type { KernelVariant } from "./gpu.ts";
import type { GpuCsr } from "./gpu_csr.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import { checkSparseOperands, segmentPartials } from "./segment_partials.ts";
import spmmCombineWgsl from "./spmm_combine.wgsl" with { type: "text" };
import scaleColumnsWgsl from "./scale_columns.wgsl" with { type: "text" };

/** Options of {@linkcode spmm} and {@linkcode scaleColumns}. */
export interface SpmmOptions {
  /** Scale of the product. Default 1. */
  alpha?: number;
  /** Scale of the old output; 0 ignores its contents (even NaN). Default 0. */
  beta?: number;
}

/** Layouts and values of a product with a rectangular sparse matrix ({@linkcode spmm}). */
export interface SpmmLayout {
  /** H is given as its transpose (m x k): out = Hᵀ Aᵀ, e.g. Wᵀ X from W. Default false. */
  transH?: boolean;
  /** out is written as its transpose (n x k): out = A Hᵀ, e.g. X Hᵀ. Default false. */
  transOut?: boolean;
  /** Values on A's structure to use instead of A's own (nnz entries, e.g. X / WH). */
  values?: GpuMatrix;
}

interface Grid {
  x: number;
  y: number;
}

function _grid(name: string, wgsl: string): KernelVariant<Grid> {
  return {
    name,
    wgsl,
    workgroupSize: [64, 1, 1],
    dispatch: ({ x, y }) => [Math.ceil(x / 64), y, 1],
  };
}

const COMBINE = _grid("spmm_combine", fillTemplate(spmmCombineWgsl, { OUT_AT: "r * p.n + j" }));
const COMBINE_T = _grid("spmm_combine_t", fillTemplate(spmmCombineWgsl, { OUT_AT: "j * p.K + r" }));
const SCALE = _grid("scale_columns", scaleColumnsWgsl);

/**
 * out = alpha · H S + beta · out, recorded into the open batch, where H is k x n
 * (row-major GpuMatrix) and S the n x n sparse symmetric graph weights (W of
 * GNMF's numerator term α H W, Cai et al., TPAMI 2011; λ_i H_i W_i of Deep WSF,
 * Trigeorgis et al., TPAMI 2017). As S is symmetric, (H S)[r, j] = Σ_c S[j, c] H[r, c]
 * over the stored entries of row j: O(k · nnz) work, never a dense n x n matrix.
 * For a rectangular n x m sparse matrix A ({@linkcode GpuCsr.fromMatrix}) it is
 * out (k x n) = alpha · H Aᵀ + beta · out with H k x m; `layout` reads H as its
 * transpose and writes out as its transpose, so a corpus's Wᵀ X and X Hᵀ need no
 * transposed copies of W, H or the products.
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
export function spmm(
  h: GpuMatrix,
  s: GpuCsr,
  out: GpuMatrix,
  options: SpmmOptions & SpmmLayout = {},
): void {
  checkSparseOperands("multiply H by the graph", h, s, out, options);
  const gpu = h.gpu;
  const k = options.transH ? h.cols : h.rows;
  const partial = segmentPartials(h, s, "product", options);
  const u = new ArrayBuffer(32);
  new Uint32Array(u).set([s.n, k, s.segments, 0]);
  new Float32Array(u).set([options.alpha ?? 1, options.beta ?? 0], 4);
  const combine = options.transOut ? COMBINE_T : COMBINE;
  gpu.dispatch(combine, { x: s.n, y: k }, [partial, s.rowSeg, out.buffer], u);
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
  checkSparseOperands("scale H by the degrees", h, s, out);
  const u = new ArrayBuffer(16);
  new Uint32Array(u).set([s.n, h.rows]);
  new Float32Array(u).set([options.alpha ?? 1, options.beta ?? 0], 2);
  h.gpu.dispatch(SCALE, { x: s.n, y: h.rows }, [h.buffer, s.degrees, out.buffer], u);
}
