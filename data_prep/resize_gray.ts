/**
 * Resizing of one-channel float images, separably per axis: area (box)
 * averaging where the axis shrinks, bilinear interpolation where it grows.
 *
 * @module
 */

/** Target size of {@linkcode resizeGray}. */
export interface Size {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/** Per-axis filter: for output i, taps `index[start[i] .. start[i+1])` with `weight`. */
interface _Taps {
  start: Int32Array;
  index: Int32Array;
  weight: Float32Array;
}

/** Area weights: output i averages source interval [i*s, (i+1)*s), s = src/dst. */
function _areaTaps(src: number, dst: number): _Taps {
  const s = src / dst;
  const start = new Int32Array(dst + 1);
  const index: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < dst; i++) {
    start[i] = index.length;
    const lo = i * s;
    const hi = Math.min(src, (i + 1) * s);
    for (let k = Math.floor(lo); k < hi; k++) {
      const w = Math.min(hi, k + 1) - Math.max(lo, k);
      if (w > 1e-9) {
        index.push(k);
        weight.push(w / s);
      }
    }
  }
  start[dst] = index.length;
  return { start, index: Int32Array.from(index), weight: Float32Array.from(weight) };
}

/** Bilinear weights with pixel centers aligned: x = (i + 0.5) * src/dst - 0.5, clamped. */
function _bilinearTaps(src: number, dst: number): _Taps {
  const start = new Int32Array(dst + 1);
  const index = new Int32Array(2 * dst);
  const weight = new Float32Array(2 * dst);
  for (let i = 0; i < dst; i++) {
    const x = Math.min(src - 1, Math.max(0, (i + 0.5) * (src / dst) - 0.5));
    const k = Math.min(src - 2, Math.floor(x));
    const f = x - k;
    start[i] = 2 * i;
    index[2 * i] = Math.max(0, k);
    index[2 * i + 1] = Math.min(src - 1, k + 1);
    weight[2 * i] = 1 - f;
    weight[2 * i + 1] = f;
  }
  start[dst] = 2 * dst;
  return { start, index, weight };
}

function _taps(src: number, dst: number): _Taps {
  return dst < src ? _areaTaps(src, dst) : _bilinearTaps(src, dst);
}

/**
 * Resizes a row-major one-channel image `width x height` to `size`. Each axis
 * is filtered on its own: area (box) averaging when it shrinks (every source
 * pixel contributes by its overlap, so no aliasing), bilinear interpolation
 * with aligned pixel centers when it grows. Equal size returns a copy.
 *
 * @example
 * ```ts
 * console.log(resizeGray(new Float32Array([0, 2, 4, 6]), 2, 2, { width: 1, height: 1 })); // [3]
 * ```
 */
export function resizeGray(
  src: Float32Array,
  width: number,
  height: number,
  size: Size,
): Float32Array {
  if (src.length !== width * height) {
    throw new RangeError(`resizeGray: ${src.length} pixels, expected ${width}x${height}`);
  }
  if (size.width === width && size.height === height) return src.slice();
  const tx = _taps(width, size.width);
  const ty = _taps(height, size.height);
  // Horizontal pass: height x size.width.
  const mid = new Float32Array(height * size.width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const out = y * size.width;
    for (let i = 0; i < size.width; i++) {
      let s = 0;
      for (let t = tx.start[i]; t < tx.start[i + 1]; t++) {
        s += tx.weight[t] * src[row + tx.index[t]];
      }
      mid[out + i] = s;
    }
  }
  // Vertical pass.
  const dst = new Float32Array(size.height * size.width);
  for (let j = 0; j < size.height; j++) {
    const out = j * size.width;
    for (let t = ty.start[j]; t < ty.start[j + 1]; t++) {
      const w = ty.weight[t];
      const row = ty.index[t] * size.width;
      for (let i = 0; i < size.width; i++) dst[out + i] += w * mid[row + i];
    }
  }
  return dst;
}
