/**
 * Originals next to their reconstructions, for a fixed seeded sample.
 *
 * @module
 */

import { seededRandom } from "../factorize/seeded_random.ts";
import { checkMatrix, type DenseMatrix } from "./dense_matrix.ts";
import type { GrayImage } from "./encode_png.ts";
import { imageGrid, type ImageGridOptions } from "./image_grid.ts";

/** Options of {@linkcode reconstructionGrid}. */
export interface ReconstructionGridOptions extends Omit<ImageGridOptions, "columns" | "stretch"> {
  /** Samples shown. Default min(16, n). */
  count?: number;
  /** Seed of the sample choice. Default 0. */
  seed?: number;
  /** Original/reconstruction pairs per grid row. Default 4. */
  pairsPerRow?: number;
}

/**
 * Picks `count` distinct samples (columns) with a seeded draw, and tiles each
 * original (X, d x n) left of its reconstruction (X̂, d x n), with one shared
 * contrast stretch so that dimmer or blurrier reconstructions look it.
 * Returns the image and the chosen sample indices (ascending).
 *
 * @example
 * ```ts
 * const x = { data: new Float32Array(4 * 3).map((_, i) => i), rows: 4, cols: 3 };
 * const { image, indices } = reconstructionGrid(x, x, { height: 2, width: 2, count: 2 });
 * console.log(indices, image.width, image.height); // [0, 1] 13 4: 2 (sample, reconstruction) pairs
 * ```
 */
export function reconstructionGrid(
  x: DenseMatrix,
  xHat: DenseMatrix,
  options: ReconstructionGridOptions,
): { image: GrayImage; indices: number[] } {
  checkMatrix(x, "reconstructionGrid: x");
  checkMatrix(xHat, "reconstructionGrid: xHat");
  if (x.rows !== xHat.rows || x.cols !== xHat.cols) {
    throw new RangeError(
      `reconstructionGrid: xHat is ${xHat.rows}x${xHat.cols}, x is ${x.rows}x${x.cols}`,
    );
  }
  const { rows: d, cols: n } = x;
  const { count = Math.min(16, n), seed = 0, pairsPerRow = 4, ...grid } = options;
  if (!Number.isInteger(count) || count < 1 || count > n) {
    throw new RangeError(`reconstructionGrid: option count is ${count}; use an integer in 1..${n}`);
  }
  // Partial Fisher-Yates: the first `count` of a seeded shuffle.
  const rand = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rand() * (n - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const indices = order.slice(0, count).sort((a, b) => a - b);
  const pairs = new Float32Array(d * 2 * count);
  for (let p = 0; p < d; p++) {
    indices.forEach((s, t) => {
      pairs[p * 2 * count + 2 * t] = x.data[p * n + s];
      pairs[p * 2 * count + 2 * t + 1] = xHat.data[p * n + s];
    });
  }
  const image = imageGrid({ data: pairs, rows: d, cols: 2 * count }, {
    ...grid,
    columns: 2 * Math.min(pairsPerRow, count),
    stretch: "shared",
  });
  return { image, indices };
}
