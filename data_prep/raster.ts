/**
 * The decoded-image type shared by the decoders: 8-bit samples, interleaved
 * channels, rows top to bottom.
 *
 * @module
 */

/**
 * A decoded 8-bit image: `data[(y * width + x) * channels + c]`.
 * Channels: 1 gray, 3 RGB, 4 RGBA (alpha is ignored by {@linkcode toGray}).
 *
 * @example
 * ```ts
 * const data = new Uint8Array([255, 0, 0, 0, 0, 255]); // a red and a blue pixel
 * const r: Raster = { width: 2, height: 1, channels: 3, data };
 * console.log(r.data.length === r.width * r.height * r.channels); // true
 * ```
 */
export interface Raster {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Values per pixel: 1 gray, 3 RGB, 4 RGBA. */
  channels: 1 | 3 | 4;
  /** width * height * channels samples. */
  data: Uint8Array | Uint8ClampedArray;
}
