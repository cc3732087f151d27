/**
 * Co-segmentation from DFF heatmaps and its scores: the mask as the per-pixel
 * argmax over concepts, the foreground concept chosen without labels (the one
 * with the least heat on the border of the feature grid), the Jaccard index
 * (IoU of the foreground) and precision (the share of pixels labelled right, as
 * co-segmentation papers report it), and a centre-prior baseline. Pure.
 *
 * @module
 */

import type { HostMatrix } from "../factorize/factorization_result.ts";
import type { GridSize } from "./concept_heatmaps.ts";

/**
 * Per-pixel index of the largest heatmap (ties to the first).
 *
 * @example
 * ```ts
 * const labels = argmaxLabels([new Float32Array([1, 0, 0.5]), new Float32Array([0, 1, 0.5])]);
 * console.log(Array.from(labels)); // [0, 1, 0]
 * ```
 */
export function argmaxLabels(maps: readonly Float32Array[]): Uint8Array {
  const out = new Uint8Array(maps[0].length);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let j = 1; j < maps.length; j++) if (maps[j][i] > maps[best][i]) best = j;
    out[i] = best;
  }
  return out;
}

/**
 * The concept with the lowest mean normalized heat on the border cells of the
 * feature grid over all images (the background fills image borders), from the
 * codes `h` (k x N·cells, image-major).
 *
 * @example
 * ```ts
 * // 2 concepts, 1 image of 3 x 3 cells: concept 1 sits in the centre only
 * const centre = [0, 0, 0, 0, 1, 0, 0, 0, 0];
 * const h = { rows: 2, cols: 9, data: new Float32Array([...centre.map((v) => 1 - v), ...centre]) };
 * console.log(foregroundConcept(h, { width: 3, height: 3 })); // 1
 * ```
 */
export function foregroundConcept(h: HostMatrix, grid: GridSize): number {
  const cells = grid.width * grid.height;
  const images = h.cols / cells;
  const border: number[] = [];
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) {
      if (y === 0 || x === 0 || y === grid.height - 1 || x === grid.width - 1) {
        border.push(y * grid.width + x);
      }
    }
  }
  let best = 0;
  let lowest = Infinity;
  for (let j = 0; j < h.rows; j++) {
    let sum = 0;
    for (let i = 0; i < images; i++) {
      const row = h.data.subarray(j * h.cols + i * cells, j * h.cols + (i + 1) * cells);
      const max = row.reduce((m, v) => Math.max(m, v), 0);
      if (max > 0) { for (const c of border) sum += row[c] / max; }
    }
    if (sum < lowest) [best, lowest] = [j, sum];
  }
  return best;
}

/** Scores of a foreground mask against the truth. */
export interface MaskScores {
  /** |P ∩ T| / |P ∪ T| of the foreground (1 when both are empty). */
  jaccard: number;
  /** Share of pixels whose foreground/background label is right. */
  precision: number;
}

/**
 * Jaccard index and precision of `predicted` against `truth` (0/1 per pixel).
 *
 * @example
 * ```ts
 * const s = maskScores(new Uint8Array([1, 1, 0, 0]), new Uint8Array([1, 0, 0, 0]));
 * console.log(s.jaccard, s.precision); // 0.5 0.75
 * ```
 */
export function maskScores(predicted: Uint8Array, truth: Uint8Array): MaskScores {
  if (predicted.length !== truth.length) {
    throw new RangeError(`Mask has ${predicted.length} pixels, its truth ${truth.length}`);
  }
  let [both, either, right] = [0, 0, 0];
  for (let i = 0; i < truth.length; i++) {
    const [p, t] = [predicted[i] > 0, truth[i] > 0];
    if (p && t) both++;
    if (p || t) either++;
    if (p === t) right++;
  }
  return { jaccard: either === 0 ? 1 : both / either, precision: right / truth.length };
}

/**
 * The centre-prior baseline: a centred box of the image's aspect holding
 * `area` pixels (clamped to the image), as 0/1 per pixel.
 *
 * @example
 * ```ts
 * const m = centrePriorMask({ width: 4, height: 4 }, 4);
 * console.log(Array.from(m).join("")); // 0000011001100000
 * ```
 */
export function centrePriorMask(size: GridSize, area: number): Uint8Array {
  const { width, height } = size;
  const s = Math.sqrt(Math.min(Math.max(area, 0), width * height) / (width * height));
  const [bw, bh] = [Math.round(s * width), Math.round(s * height)];
  const [x0, y0] = [Math.floor((width - bw) / 2), Math.floor((height - bh) / 2)];
  const out = new Uint8Array(width * height);
  for (let y = y0; y < y0 + bh; y++) out.fill(1, y * width + x0, y * width + x0 + bw);
  return out;
}
