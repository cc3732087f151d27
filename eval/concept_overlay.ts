/**
 * The coloured concept overlays of DFF's figures: each pixel tinted with the
 * colour of its strongest concept, as strongly as that concept's heat. Pure.
 *
 * @module
 */

import { argmaxLabels } from "./cosegmentation_scores.ts";
import type { RgbImage } from "./encode_png.ts";

/** Distinct colours for concepts 0, 1, … (then repeated). */
export const CONCEPT_COLOURS: readonly (readonly [number, number, number])[] = [
  [230, 25, 75],
  [60, 180, 75],
  [0, 130, 200],
  [255, 225, 25],
  [145, 30, 180],
  [70, 240, 240],
  [245, 130, 48],
  [240, 50, 230],
];

/**
 * `image` (gray or RGB, 1 or 3 values per pixel, the heatmaps' size) blended
 * half and half with the colour of each pixel's strongest concept scaled by its
 * heat in [0, 1]: out = ½ pixel + ½ heat · colour.
 *
 * @example
 * ```ts
 * const image = { width: 1, height: 1, rgb: new Uint8Array([100, 100, 100]) };
 * const o = conceptOverlay(image, [new Float32Array([1]), new Float32Array([0.2])]);
 * console.log(Array.from(o.rgb)); // [165, 63, 88]: half gray, half concept 0's red
 * ```
 */
export function conceptOverlay(image: RgbImage, heatmaps: readonly Float32Array[]): RgbImage {
  const { width, height, rgb } = image;
  const n = width * height;
  if (rgb.length !== 3 * n || heatmaps.some((m) => m.length !== n)) {
    throw new RangeError(`Overlay needs an RGB image and heatmaps of ${width}x${height} pixels`);
  }
  const labels = argmaxLabels(heatmaps);
  const out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    const best = labels[i];
    const heat = Math.min(Math.max(heatmaps[best][i], 0), 1);
    const colour = CONCEPT_COLOURS[best % CONCEPT_COLOURS.length];
    for (let c = 0; c < 3; c++) {
      out[3 * i + c] = Math.round(0.5 * rgb[3 * i + c] + 0.5 * heat * colour[c]);
    }
  }
  return { width, height, rgb: out };
}
