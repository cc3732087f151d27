/**
 * Images held in a 2-D numeric array (MATLAB .mat, NumPy .npy): picks samples
 * and pixels out of either orientation and either storage order, and decides
 * the stored dtype and value scaling.
 *
 * @module
 */

import type { Size } from "./resize_gray.ts";

/** A 2-D array as stored: `order` "C" is row-major, "F" column-major. */
export interface Matrix2D {
  rows: number;
  cols: number;
  order: "C" | "F";
  data: ArrayLike<number>;
}

/** How images sit in the array. */
export interface ArrayLayout {
  /** True when each column is an image (d x n); default false (n x d). */
  imagesAsColumns?: boolean;
  /** Order of pixels inside one image: "row" (y * width + x) or "column" (x * height + y). */
  pixelOrder: "row" | "column";
  /** Image size; default square (d must be a perfect square). */
  imageSize?: Size;
  /**
   * Non-integer values: "none" keeps them as given (default), "max" divides by
   * the largest |value|, "minmax" maps the range onto [0, 1].
   */
  scale?: "none" | "max" | "minmax";
}

/** Images taken out of an array. */
export interface ArraySamples {
  n: number;
  width: number;
  height: number;
  /** "u8" when every value is an integer in 0..255, else "f32". */
  dtype: "u8" | "f32";
  /** How values were mapped, e.g. "integers 0..255" or "(v - -3) / 7". */
  valueMapping: string;
  /** Whether any stored value is negative. */
  negative: boolean;
  /**
   * Image `i` row-major: gray levels 0..255 for u8, the (scaled) values for f32.
   */
  image(i: number): Float32Array;
}

/**
 * Wraps a 2-D array of images. Scans the values once: all integers in 0..255
 * give dtype u8 (kept as gray levels, read as [0, 1]); otherwise f32 values as
 * given, unless `layout.scale` asks for "max" (divided by the largest |v|) or
 * "minmax" (onto [0, 1]). Nothing is rescaled unasked. Throws an Error naming
 * `name` on NaN/infinite values or an image size that does not fit.
 *
 * @example
 * ```ts
 * const m = { rows: 1, cols: 4, order: "C" as const, data: [0, 1, 2, 3] };
 * const s = arraySamples(m, { pixelOrder: "row" }, "x.npy"); // one 2x2 image
 * console.log(s.n, s.width, s.height, s.dtype, s.image(0)); // 1 2 2 u8 [0, 1, 2, 3]
 * ```
 */
export function arraySamples(m: Matrix2D, layout: ArrayLayout, name: string): ArraySamples {
  const asCols = layout.imagesAsColumns ?? false;
  const n = asCols ? m.cols : m.rows;
  const d = asCols ? m.rows : m.cols;
  let size = layout.imageSize;
  if (!size) {
    const side = Math.round(Math.sqrt(d));
    if (side * side !== d) {
      throw new Error(
        `${name}: ${d} values per image is not a square; give the image size (--image-size WxH)${
          asCols ? "" : ", or say the images are columns (--columns)"
        }`,
      );
    }
    size = { width: side, height: side };
  }
  if (size.width * size.height !== d) {
    throw new Error(
      `${name}: image size ${size.width}x${size.height} does not match ${d} values per image`,
    );
  }
  let lo = Infinity;
  let hi = -Infinity;
  let integral = true;
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (!Number.isFinite(v)) throw new Error(`${name}: value ${v} at element ${i}; clean the data`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (integral && v !== Math.round(v)) integral = false;
  }
  if (m.data.length === 0) throw new Error(`${name}: the array is empty`);
  let a = 1;
  let b = 0;
  let dtype: "u8" | "f32" = "f32";
  let valueMapping: string;
  const scale = layout.scale ?? "none";
  if (integral && lo >= 0 && hi <= 255) {
    dtype = "u8";
    valueMapping = "integers 0..255 stored as u8";
  } else if (scale === "max") {
    const top = Math.max(Math.abs(lo), Math.abs(hi));
    a = top > 0 ? 1 / top : 1;
    valueMapping = `divided by max |v| = ${top} (--scale max)`;
  } else if (scale === "minmax") {
    a = hi > lo ? 1 / (hi - lo) : 1;
    b = -lo * a;
    valueMapping = `min-max scaled: (v - ${lo}) / ${hi - lo} (--scale minmax)`;
  } else valueMapping = `values kept as given (${lo} to ${hi})`;
  const negative = a * lo + b < 0;
  const { width, height } = size;
  const rowMajorArray = m.order === "C";
  const at = (s: number, f: number): number => {
    const r = asCols ? f : s;
    const c = asCols ? s : f;
    return m.data[rowMajorArray ? r * m.cols + c : c * m.rows + r];
  };
  const image = (i: number): Float32Array => {
    if (!(i >= 0 && i < n)) throw new RangeError(`${name}: image ${i} out of 0..${n - 1}`);
    const out = new Float32Array(d);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const f = layout.pixelOrder === "row" ? y * width + x : x * height + y;
        out[y * width + x] = a * at(i, f) + b;
      }
    }
    return out;
  };
  return { n, width, height, dtype, valueMapping, negative, image };
}
