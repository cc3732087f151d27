/**
 * Grayscale conversion with the ITU-R BT.601 luma weights.
 *
 * @module
 */

import type { Raster } from "./raster.ts";

/**
 * Converts a raster to gray, `Y = 0.299 R + 0.587 G + 0.114 B` (ITU-R BT.601),
 * in the 0..255 range as float32, row-major; alpha is ignored.
 *
 * @example
 * ```ts
 * const gray = toGray({ width: 1, height: 1, channels: 3, data: new Uint8Array([255, 0, 0]) });
 * console.log(gray[0]); // ≈ 76.245: BT.601 weight of red times 255
 * ```
 */
export function toGray(raster: Raster): Float32Array {
  const { width, height, channels, data } = raster;
  const n = width * height;
  const out = new Float32Array(n);
  if (channels === 1) {
    for (let i = 0; i < n; i++) out[i] = data[i];
    return out;
  }
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    out[i] = 0.299 * data[j] + 0.587 * data[j + 1] + 0.114 * data[j + 2];
  }
  return out;
}
