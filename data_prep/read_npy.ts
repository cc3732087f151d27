/**
 * A reader for NumPy `.npy` files holding a 2-D array of u8, f32 or f64 in C
 * or Fortran order.
 *
 * @module
 */

import type { Matrix2D } from "./array_samples.ts";

/**
 * Parses `.npy` bytes (format versions 1 to 3) into a {@linkcode Matrix2D}
 * viewing the data (copied only when misaligned). Supports dtypes `u1`,
 * little-endian `f4` and `f8`. Throws an Error naming `name` otherwise.
 *
 * @example
 * ```ts
 * const enc = new TextEncoder();
 * const header = enc.encode("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }\n");
 * const npy = new Uint8Array([0x93, ...enc.encode("NUMPY"), 1, 0, header.length, 0, ...header]);
 * const m = readNpy(new Uint8Array([...npy, 1, 2, 3, 4, 5, 6]), "x.npy");
 * console.log(m.rows, m.cols, m.order, m.data); // 2 3 C [1, 2, 3, 4, 5, 6]
 * ```
 */
export function readNpy(bytes: Uint8Array, name = "array.npy"): Matrix2D {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) {
    throw new Error(`Cannot read ${name}: not a NumPy .npy file (bad magic)`);
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    start = 12;
  } else throw new Error(`Cannot read ${name}: .npy format version ${major} is not supported`);
  if (start + headerLen > bytes.length) {
    throw new Error(`Cannot read ${name}: truncated header`);
  }
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`Cannot read ${name}: header lacks descr, fortran_order or shape: ${header}`);
  }
  const shape = shapeText.split(",").map((s) => s.trim()).filter((s) => s).map(Number);
  if (shape.length !== 2 || shape.some((s) => !Number.isInteger(s))) {
    throw new Error(`Cannot read ${name}: shape (${shapeText}) is not 2-D; save a 2-D array`);
  }
  const [rows, cols] = shape;
  const kinds: Record<
    string,
    [number, (b: ArrayBuffer, o: number, n: number) => ArrayLike<number>]
  > = {
    "|u1": [1, (b, o, n) => new Uint8Array(b, o, n)],
    "<u1": [1, (b, o, n) => new Uint8Array(b, o, n)],
    "<f4": [4, (b, o, n) => new Float32Array(b, o, n)],
    "<f8": [8, (b, o, n) => new Float64Array(b, o, n)],
  };
  const kind = kinds[descr];
  if (!kind) {
    throw new Error(
      `Cannot read ${name}: dtype ${descr} is not supported; save as uint8, little-endian float32 or float64`,
    );
  }
  const [size, make] = kind;
  const offset = start + headerLen;
  const count = rows * cols;
  if (bytes.length - offset < count * size) {
    throw new Error(
      `Cannot read ${name}: truncated data, ${bytes.length - offset} bytes, expected ${
        count * size
      }`,
    );
  }
  let buf = bytes.buffer as ArrayBuffer;
  let at = bytes.byteOffset + offset;
  if (at % size !== 0) {
    buf = bytes.slice(offset, offset + count * size).buffer;
    at = 0;
  }
  return { rows, cols, order: fortran === "True" ? "F" : "C", data: make(buf, at, count) };
}
