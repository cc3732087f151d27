/**
 * The first pass of every product with a {@linkcode GpuCsr}: per-segment partial
 * sums (k x segments), shared by {@linkcode spmm} and the graph trace, and the
 * shape checks of their operands.
 *
 * @module
 */

import { fillTemplate } from "./fill_template.ts";
import type { Gpu, KernelVariant } from "./gpu.ts";
import type { GpuCsr } from "./gpu_csr.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import spmmSegmentsWgsl from "./spmm_segments.wgsl" with { type: "text" };

/** What a segment sums: w · H[r, c] ("product") or w · (H[r, j] − H[r, c])² ("trace"). */
export type SegmentTerm = "product" | "trace";

/** Layout and values of a segment pass. */
export interface SegmentOptions {
  /** H is given as its transpose (m x k, e.g. W for Wᵀ X). Default false. */
  transH?: boolean;
  /** Values on the matrix's structure to use instead of its own (nnz entries). */
  values?: GpuMatrix;
}

/** The shapes a product with a sparse matrix checks. */
export interface OperandLayout {
  /** H is given as its transpose (m x k). */
  transH?: boolean;
  /** The output is written as its transpose (rows x k). */
  transOut?: boolean;
  /** Values on the matrix's structure, replacing its own. */
  values?: GpuMatrix;
}

function _variant(term: SegmentTerm, transH: boolean): KernelVariant<{ x: number; y: number }> {
  const name = `spmm_segments_${term}${transH ? "_th" : ""}`;
  return {
    name,
    wgsl: fillTemplate(spmmSegmentsWgsl, {
      TERM: term === "product" ? "w * hc" : "w * (hj - hc) * (hj - hc)",
      H_AT: transH ? "c * p.K + r" : "r * p.m + c",
    }),
    workgroupSize: [64, 1, 1],
    dispatch: ({ x, y }) => [Math.ceil(x / 64), y, 1],
  };
}

const VARIANTS = {
  product: _variant("product", false),
  product_th: _variant("product", true),
  trace: _variant("trace", false),
};

/**
 * Throws a RangeError naming `what` when H (k x m, or m x k with `transH`), the
 * sparse matrix (n x m), the output (k x n, or n x k with `transOut`) and the
 * replacement values disagree.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuCsr } from "./gpu_csr.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const a = GpuCsr.fromMatrix(gpu, {
 *   rows: 1, cols: 2, indptr: new Uint32Array([0, 1]),
 *   indices: new Uint32Array([1]), values: new Float32Array([1]),
 * });
 * try {
 *   checkSparseOperands("multiply", GpuMatrix.empty(gpu, 3, 5), a);
 * } catch (e) {
 *   console.log((e as Error).message); // Cannot multiply: H is 3x5 but the sparse matrix has 2 columns
 * }
 * gpu.destroy();
 * ```
 */
export function checkSparseOperands(
  what: string,
  h: GpuMatrix,
  s: GpuCsr,
  out?: GpuMatrix,
  layout: OperandLayout = {},
): void {
  const [hk, hm] = layout.transH ? [h.cols, h.rows] : [h.rows, h.cols];
  if (hm !== s.m) {
    throw new RangeError(
      s.m === s.n && !layout.transH
        ? `Cannot ${what}: H is ${h.rows}x${h.cols} but the graph has n = ${s.n} samples`
        : `Cannot ${what}: H is ${h.rows}x${h.cols} but the sparse matrix has ${s.m} columns`,
    );
  }
  if (h.gpu !== s.gpu) {
    throw new RangeError(`Cannot ${what}: H and the graph are on different GPUs`);
  }
  if (out) {
    const [rows, cols] = layout.transOut ? [s.n, hk] : [hk, s.n];
    if (out.rows !== rows || out.cols !== cols) {
      throw new RangeError(
        `Cannot ${what}: output is ${out.rows}x${out.cols}, expected ${rows}x${cols}`,
      );
    }
    if (out.buffer === h.buffer) {
      throw new RangeError(`Cannot ${what}: the output must be a different matrix from H`);
    }
  }
  const v = layout.values;
  if (v && v.rows * v.cols !== s.nnz) {
    throw new RangeError(
      `Cannot ${what}: the values hold ${v.rows * v.cols} entries, the sparse matrix ${s.nnz}`,
    );
  }
}

/**
 * Records the per-segment partial sums of `term` into a pooled buffer (k x segments)
 * and returns it; the caller releases it to `gpu.pool` after recording its use.
 * Shapes are the caller's to check ({@linkcode checkSparseOperands}).
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuCsr } from "./gpu_csr.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const a = GpuCsr.fromMatrix(gpu, { // [[2, 3]]
 *   rows: 1, cols: 2, indptr: new Uint32Array([0, 2]),
 *   indices: new Uint32Array([0, 1]), values: new Float32Array([2, 3]),
 * });
 * const h = GpuMatrix.fromArray(gpu, 1, 2, new Float32Array([1, 10]));
 * const partial = segmentPartials(h, a, "product");
 * console.log(new Float32Array(await gpu.read(partial, 4))); // Float32Array [32]
 * gpu.pool.release(partial);
 * gpu.destroy();
 * ```
 */
export function segmentPartials(
  h: GpuMatrix,
  s: GpuCsr,
  term: SegmentTerm,
  options: SegmentOptions = {},
): GPUBuffer {
  const gpu: Gpu = h.gpu;
  const transH = options.transH ?? false;
  if (term === "trace" && (s.m !== s.n || transH)) {
    throw new RangeError(`The graph trace needs a square graph, not ${s.n}x${s.m}`);
  }
  const k = transH ? h.cols : h.rows;
  const bytes = k * s.segments * 4;
  if (bytes > gpu.maxBinding) {
    throw new RangeError(
      `Sparse products need ${bytes} bytes of partial sums for H (${h.rows}x${h.cols}), over the ` +
        `storage binding limit of ${gpu.maxBinding}: split H into row blocks`,
    );
  }
  const partial = gpu.pool.acquire(Math.max(bytes, 4));
  const variant = term === "trace"
    ? VARIANTS.trace
    : transH
    ? VARIANTS.product_th
    : VARIANTS.product;
  gpu.dispatch(
    variant,
    { x: s.segments, y: Math.ceil(k / 8) },
    [h.buffer, s.cols, options.values?.buffer ?? s.weights, s.segStart, s.segRow, partial],
    new Uint32Array([s.n, k, s.segments, s.m]),
  );
  return partial;
}
