/**
 * Sampled dense-dense products: W H at the stored entries of a sparse matrix only
 * (what a KL update of a sparse X needs: X / WH on X's non-zeros).
 *
 * @module
 */

import type { KernelVariant } from "./gpu.ts";
import type { GpuCsr } from "./gpu_csr.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import { linearGrid } from "./linear_grid.ts";
import sddmmWgsl from "./sddmm.wgsl" with { type: "text" };

const SDDMM: KernelVariant<number> = {
  name: "sddmm",
  wgsl: sddmmWgsl,
  workgroupSize: [64, 1, 1],
  dispatch: linearGrid,
};

/**
 * Records out[e] = (W H)[t, j] for every stored entry e of `a`, at feature t and
 * sample j, with W d x k and H k x n: O(k · nnz) work, never the d x n product.
 * `a` is documents x terms (n x d, its rows samples) or, with
 * `rowsAreSamples: false`, terms x documents (d x n); out (nnz x 1, any shape of
 * nnz entries) follows `a`'s entry order, ready for {@linkcode spmm}'s `values`.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuCsr } from "./gpu_csr.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * // X (2 terms x 2 documents) stored as documents x terms with entries X[1,0] and X[0,1]
 * const a = GpuCsr.fromMatrix(gpu, {
 *   rows: 2, cols: 2, indptr: new Uint32Array([0, 1, 2]),
 *   indices: new Uint32Array([1, 0]), values: new Float32Array([1, 1]),
 * });
 * const w = GpuMatrix.fromArray(gpu, 2, 1, new Float32Array([1, 2]));
 * const h = GpuMatrix.fromArray(gpu, 1, 2, new Float32Array([3, 5])); // W H = [[3, 5], [6, 10]]
 * const out = GpuMatrix.empty(gpu, 2, 1);
 * sddmm(w, h, a, out);
 * console.log(await out.toArray()); // Float32Array [6, 5]
 * gpu.destroy();
 * ```
 */
export function sddmm(
  w: GpuMatrix,
  h: GpuMatrix,
  a: GpuCsr,
  out: GpuMatrix,
  options: { rowsAreSamples?: boolean } = {},
): void {
  const samples = options.rowsAreSamples ?? true;
  const [n, d] = samples ? [a.n, a.m] : [a.m, a.n];
  if (w.cols !== h.rows || w.rows !== d || h.cols !== n) {
    throw new RangeError(
      `Cannot sample W H: W is ${w.rows}x${w.cols} and H ${h.rows}x${h.cols}, the sparse matrix ` +
        `needs ${d}xk and kx${n}`,
    );
  }
  if (out.rows * out.cols !== a.nnz) {
    throw new RangeError(
      `Cannot sample W H: output holds ${out.rows * out.cols} entries, the sparse matrix ${a.nnz}`,
    );
  }
  if (w.gpu !== a.gpu || h.gpu !== a.gpu) {
    throw new RangeError(
      "Cannot sample W H: the factors and the sparse matrix are on different GPUs",
    );
  }
  if (a.nnz === 0) return;
  const u = new Uint32Array([a.nnz, w.cols, n, a.segments, samples ? 1 : 0, 0, 0, 0]);
  a.gpu.dispatch(SDDMM, a.nnz, [w.buffer, h.buffer, a.cols, a.segStart, a.segRow, out.buffer], u);
}
