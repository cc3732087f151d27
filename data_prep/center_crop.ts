/**
 * Center cropping of one-channel images.
 *
 * @module
 */

import type { Size } from "./resize_gray.ts";

/**
 * Cuts the centered `crop.width x crop.height` window out of a row-major
 * `width x height` image (an odd margin leaves the extra pixel at the right or
 * bottom). Throws a RangeError when the crop is larger than the image.
 *
 * @example
 * ```ts
 * const img = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]); // 3x3
 * console.log(centerCrop(img, 3, 3, { width: 1, height: 1 })); // [5]
 * ```
 */
export function centerCrop(
  src: Float32Array,
  width: number,
  height: number,
  crop: Size,
): Float32Array {
  if (crop.width > width || crop.height > height) {
    throw new RangeError(
      `crop ${crop.width}x${crop.height} is larger than the ${width}x${height} image`,
    );
  }
  const x0 = Math.floor((width - crop.width) / 2);
  const y0 = Math.floor((height - crop.height) / 2);
  const out = new Float32Array(crop.width * crop.height);
  for (let y = 0; y < crop.height; y++) {
    const from = (y0 + y) * width + x0;
    out.set(src.subarray(from, from + crop.width), y * crop.width);
  }
  return out;
}
