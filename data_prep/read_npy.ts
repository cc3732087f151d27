/**
 * A reader for NumPy `.npy` files: a 2-D array (n x d, or d x n with
 * `--columns`) or a 3-D stack of n images of h x w, in C or Fortran order, of
 * any integer or float dtype of either byte order.
 *
 * @module
 */

import type { Matrix2D } from "./array_samples.ts";

/** What {@linkcode readNpy} read: the array, and for a 3-D stack its image size. */
export interface NpyArray extends Matrix2D {
  /** Height and width of each image of an (n, h, w) stack; null for a 2-D array. */
  imageShape: { height: number; width: number } | null;
  /** Set when the values were converted on reading, e.g. "int64 read as float64". */
  converted: string | null;
}

/** Half-precision bits to a number. */
function _half(h: number): number {
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  const v = e === 0
    ? f * 2 ** -24
    : e === 31
    ? (f ? NaN : Infinity)
    : (1 + f / 1024) * 2 ** (e - 15);
  return h & 0x8000 ? -v : v;
}

/**
 * Parses `.npy` bytes (format versions 1 to 3). uint8 and little-endian
 * float32/float64 are viewed in place (copied only when misaligned); every
 * other integer or float dtype (int8-64, uint16-64, float16, big-endian) is
 * read into float64 and says so in `converted`. A Fortran-order 3-D stack is
 * reordered to C order. Throws an Error naming `name` for anything else.
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
export function readNpy(bytes: Uint8Array, name = "array.npy"): NpyArray {
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
  if (![2, 3].includes(shape.length) || shape.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new Error(
      `Cannot read ${name}: shape (${shapeText}) is neither 2-D (samples x features) nor 3-D ` +
        "(n images of h x w); reshape it before saving",
    );
  }
  const [rows, height, width] = shape;
  const cols = shape.length === 3 ? height * width : shape[1];
  const imageShape = shape.length === 3 ? { height, width } : null;
  const fortranOrder = fortran === "True";
  const offset = start + headerLen;
  const count = rows * cols;
  const m = /^([|<>=])([buif])(\d+)$/.exec(descr);
  const kind = m?.[2];
  const size = Number(m?.[3]);
  const known = m && kind !== "b" &&
    (kind === "f" ? [2, 4, 8].includes(size) : [1, 2, 4, 8].includes(size));
  if (!known) {
    throw new Error(
      `Cannot read ${name}: dtype ${descr} is not supported; save integers or floats ` +
        "(e.g. uint8, int64, float32)",
    );
  }
  if (bytes.length - offset < count * size) {
    throw new Error(
      `Cannot read ${name}: truncated data, ${bytes.length - offset} bytes, expected ${
        count * size
      }`,
    );
  }
  const little = m![1] !== ">";
  let data: ArrayLike<number>;
  let converted: string | null = null;
  const fast = (kind === "u" && size === 1) || (kind === "f" && size >= 4 && little);
  if (fast) {
    const make = size === 1 ? Uint8Array : size === 4 ? Float32Array : Float64Array;
    let buf = bytes.buffer as ArrayBuffer;
    let at = bytes.byteOffset + offset;
    if (at % size !== 0) {
      buf = bytes.slice(offset, offset + count * size).buffer;
      at = 0;
    }
    data = new make(buf, at, count);
  } else {
    const v = new DataView(bytes.buffer, bytes.byteOffset + offset, count * size);
    const read: (o: number) => number = kind === "f"
      ? size === 2
        ? (o) => _half(v.getUint16(o, little))
        : size === 4
        ? (o) => v.getFloat32(o, little)
        : (o) => v.getFloat64(o, little)
      : kind === "i"
      ? [
        (o: number) => v.getInt8(o),
        (o: number) => v.getInt16(o, little),
        (o: number) => v.getInt32(o, little),
        (o: number) => Number(v.getBigInt64(o, little)),
      ][
        Math.log2(size)
      ]
      : [
        (o: number) => v.getUint8(o),
        (o: number) => v.getUint16(o, little),
        (o: number) => v.getUint32(o, little),
        (o: number) => Number(v.getBigUint64(o, little)),
      ][
        Math.log2(size)
      ];
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = read(i * size);
    data = out;
    const type = `${{ i: "int", u: "uint", f: "float" }[kind!]}${8 * size}`;
    converted = `${type}${little ? "" : " (big-endian)"} read as float64`;
  }
  if (imageShape && fortranOrder) {
    // (i, y, x) sits at i + n (y + h x) in Fortran order: reorder to C, image by image.
    const c = new Float64Array(count);
    for (let i = 0; i < rows; i++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          c[(i * height + y) * width + x] = data[i + rows * (y + height * x)];
        }
      }
    }
    data = c;
  }
  return {
    rows,
    cols,
    order: fortranOrder && !imageShape ? "F" : "C",
    data,
    imageShape,
    converted,
  };
}
