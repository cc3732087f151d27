/**
 * Unit-length samples: the L2 normalization of the columns of X that Trigeorgis
 * et al.'s Deep Semi-NMF code applies before factorizing.
 *
 * @module
 */

import type { DataInput } from "./data_matrix.ts";

/**
 * A copy of `input` (same orientation and block size, f32; u8 pixels read as byte / 255) with every
 * sample (a column of X, d x n; a row when `samplesAsRows`) scaled to unit L2
 * norm. All-zero samples stay zero. Float64 sums on the CPU, O(d n).
 *
 * @example
 * ```ts
 * const x = normalizeColumns({ data: new Float32Array([3, 0, 4, 2]), d: 2, n: 2 });
 * console.log(x.data); // Float32Array [0.6, 0, 0.8, 1]: columns (3, 4), (0, 2) scaled to length 1
 * ```
 */
export function normalizeColumns(input: DataInput): DataInput {
  const { data, d, n } = input;
  const sar = input.samplesAsRows ?? false;
  const scale = data instanceof Uint8Array ? 1 / 255 : 1;
  const out = new Float32Array(d * n);
  const norms = new Float64Array(n);
  for (let i = 0; i < data.length; i++) {
    const s = sar ? Math.floor(i / d) : i % n;
    const v = data[i] * scale;
    norms[s] += v * v;
  }
  for (let s = 0; s < n; s++) norms[s] = norms[s] > 0 ? 1 / Math.sqrt(norms[s]) : 0;
  for (let i = 0; i < data.length; i++) {
    const s = sar ? Math.floor(i / d) : i % n;
    out[i] = data[i] * scale * norms[s];
  }
  return { ...input, data: out, samplesAsRows: sar };
}
