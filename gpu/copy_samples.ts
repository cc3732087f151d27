/**
 * Gathers and scatters whole samples (columns of k x n factors, rows of
 * samples-as-rows data) on the GPU, by a list of (from, to) index pairs: the
 * mini-batches of a gradient fit copy their samples' columns in and their
 * updated parameters back out without a readback.
 *
 * @module
 */

import type { KernelVariant } from "./gpu.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import { linearGrid } from "./linear_grid.ts";
import copySamplesWgsl from "./copy_samples.wgsl" with { type: "text" };

const VARIANT: KernelVariant<number> = {
  name: "copy_samples",
  wgsl: copySamplesWgsl,
  workgroupSize: [64, 1, 1],
  dispatch: linearGrid,
};

/** Options of {@linkcode copySamples}. */
export interface CopySamplesOptions {
  /** Pairs to copy, starting at pair `first` of the buffer. */
  count: number;
  /** Index of the first pair used. Default 0. */
  first?: number;
  /** True when both matrices hold one sample per row (else one per column). Default false. */
  samplesAsRows?: boolean;
}

/**
 * Records, for each pair (from, to) of `pairs` (a buffer of u32 pairs, as
 * written by `gpu.write(buffer, new Uint32Array([from0, to0, from1, to1, …]))`),
 * a copy of sample `from` of `a` into sample `to` of `out`. Samples are
 * columns (k x n matrices), or rows when `samplesAsRows`; both matrices must
 * have the same sample length. Indices are not checked on the GPU: a pair out
 * of range, or two pairs with one `to`, is the caller's error.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const h = GpuMatrix.fromArray(gpu, 2, 3, new Float32Array([1, 2, 3, 4, 5, 6]));
 * const batch = GpuMatrix.empty(gpu, 2, 2);
 * const pairs = gpu.pool.acquire(16);
 * gpu.write(pairs, new Uint32Array([2, 0, 0, 1])); // columns 2 and 0 of h
 * copySamples(h, batch, pairs, { count: 2 });
 * console.log(await batch.toArray()); // Float32Array [3, 1, 6, 4]
 * gpu.pool.release(pairs);
 * gpu.destroy();
 * ```
 */
export function copySamples(
  a: GpuMatrix,
  out: GpuMatrix,
  pairs: GPUBuffer,
  options: CopySamplesOptions,
): void {
  const rows = options.samplesAsRows ?? false;
  const len = rows ? a.cols : a.rows;
  if ((rows ? out.cols : out.rows) !== len) {
    throw new RangeError(
      `Samples of ${a.rows}x${a.cols} and ${out.rows}x${out.cols} differ in length: ` +
        `copy between matrices with the same ${rows ? "columns" : "rows"}`,
    );
  }
  const { count, first = 0 } = options;
  if ((first + count) * 8 > pairs.size) {
    throw new RangeError(
      `Pairs ${first}..${first + count - 1} run past the pair buffer (${pairs.size / 8} pairs)`,
    );
  }
  const strides = (m: GpuMatrix) => rows ? [m.cols, 1] : [1, m.cols];
  const params = new Uint32Array([count, len, first, rows ? 0 : 1, ...strides(a), ...strides(out)]);
  a.gpu.dispatch(VARIANT, count * len, [a.buffer, out.buffer, pairs], params);
}
