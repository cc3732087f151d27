/**
 * A writer for NumPy `.npy` files of float32 matrices.
 *
 * @module
 */

import type { HostMatrix } from "../factorize/factorization_result.ts";

/**
 * The `.npy` bytes (format 1.0, little-endian float32, C order) of a rows x cols matrix:
 * `numpy.load` gives an array of shape (rows, cols). Pure (runs in a browser).
 *
 * @example
 * ```ts
 * const bytes = encodeNpy({ rows: 2, cols: 3, data: new Float32Array([1, 2, 3, 4, 5, 6]) });
 * console.log(new TextDecoder().decode(bytes.subarray(10, 60)));
 * // {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
 * console.log(bytes.length % 64, bytes.length - 128); // 0 24: a 128-byte header, then the values
 * ```
 */
export function encodeNpy(m: HostMatrix): Uint8Array<ArrayBuffer> {
  if (m.data.length !== m.rows * m.cols) {
    throw new RangeError(`encodeNpy: ${m.data.length} values for a ${m.rows}x${m.cols} matrix`);
  }
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  // Magic (6), version (2), header length (2), then the dict padded with spaces and a newline
  // so the values start at a multiple of 64 bytes.
  const headerLen = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const header = dict.padEnd(headerLen - 1, " ") + "\n";
  const out = new Uint8Array(10 + headerLen + m.data.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, headerLen, true);
  out.set(new TextEncoder().encode(header), 10);
  const values = new DataView(out.buffer, 10 + headerLen);
  m.data.forEach((v, i) => values.setFloat32(i * 4, v, true));
  return out;
}
