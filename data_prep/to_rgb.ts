/**
 * A raster's pixels as interleaved RGB bytes: gray replicated, alpha dropped.
 *
 * @module
 */

import type { Raster } from "./raster.ts";

/**
 * The width * height * 3 RGB bytes of `raster` (1, 3 or 4 channels).
 *
 * @example
 * ```ts
 * const rgb = toRgb({ width: 2, height: 1, channels: 1, data: new Uint8Array([7, 9]) });
 * console.log(Array.from(rgb)); // [7, 7, 7, 9, 9, 9]
 * ```
 */
export function toRgb(raster: Raster): Uint8Array {
  const { width, height, channels, data } = raster;
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) out[3 * i + c] = data[i * channels + (channels === 1 ? 0 : c)];
  }
  return out;
}
