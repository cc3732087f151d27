/**
 * Deep Feature Factorization's heatmaps (Collins, Achanta & Süsstrunk, ECCV
 * 2018): the coefficients of one concept over one image's feature grid,
 * bilinearly upsampled to the image and divided by their maximum over that
 * image. Pure; runs in a browser.
 *
 * @module
 */

import type { HostMatrix } from "../factorize/factorization_result.ts";

/** A feature grid or an image: its size in cells or pixels. */
export interface GridSize {
  /** Columns. */
  width: number;
  /** Rows. */
  height: number;
}

/**
 * Bilinear upsampling of a row-major `from` grid to `to` with cell centres
 * aligned (pixel (x + ½)·w/W − ½ of the grid, edges clamped: OpenCV's
 * INTER_LINEAR, tfjs's resizeBilinear without alignCorners).
 *
 * @example
 * ```ts
 * const up = upsampleBilinear(new Float32Array([0, 1]), { width: 2, height: 1 }, { width: 4, height: 1 });
 * console.log(Array.from(up)); // [0, 0.25, 0.75, 1]
 * ```
 */
export function upsampleBilinear(
  map: ArrayLike<number>,
  from: GridSize,
  to: GridSize,
): Float32Array {
  if (map.length !== from.width * from.height) {
    throw new RangeError(`Map has ${map.length} values for a ${from.width}x${from.height} grid`);
  }
  const out = new Float32Array(to.width * to.height);
  const axis = (n: number, size: number) =>
    Array.from({ length: n }, (_, i) => {
      const s = Math.min(Math.max((i + 0.5) * size / n - 0.5, 0), size - 1);
      const lo = Math.floor(s);
      return [lo, Math.min(lo + 1, size - 1), s - lo] as const;
    });
  const xs = axis(to.width, from.width);
  const ys = axis(to.height, from.height);
  for (let y = 0; y < to.height; y++) {
    const [y0, y1, fy] = ys[y];
    for (let x = 0; x < to.width; x++) {
      const [x0, x1, fx] = xs[x];
      const top = map[y0 * from.width + x0] * (1 - fx) + map[y0 * from.width + x1] * fx;
      const bottom = map[y1 * from.width + x0] * (1 - fx) + map[y1 * from.width + x1] * fx;
      out[y * to.width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/**
 * The k heatmaps of image `image`: row j of the concept codes `h` (k x N·cells,
 * image-major, cells row-major) over that image's cells, divided by its maximum
 * there (a concept absent from the image stays 0), upsampled to `size`.
 *
 * @example
 * ```ts
 * // k = 1 concept, 2 images of 1 x 2 cells
 * const h = { rows: 1, cols: 4, data: new Float32Array([0, 2, 4, 4]) };
 * const maps = conceptHeatmaps(h, 0, { width: 2, height: 1 }, { width: 2, height: 1 });
 * console.log(Array.from(maps[0])); // [0, 1]: image 0's cells over their maximum, 2
 * ```
 */
export function conceptHeatmaps(
  h: HostMatrix,
  image: number,
  grid: GridSize,
  size: GridSize,
): Float32Array[] {
  const cells = grid.width * grid.height;
  if ((image + 1) * cells > h.cols) {
    throw new RangeError(`Codes have ${h.cols} cells; image ${image} needs ${(image + 1) * cells}`);
  }
  return Array.from({ length: h.rows }, (_, j) => {
    const row = h.data.subarray(j * h.cols + image * cells, j * h.cols + (image + 1) * cells);
    const max = row.reduce((m, v) => Math.max(m, v), 0);
    const scaled = max > 0 ? row.map((v) => v / max) : new Float32Array(cells);
    return upsampleBilinear(scaled, grid, size);
  });
}
