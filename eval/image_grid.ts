/**
 * Tiles the columns of a matrix as images in a grid: basis images ("latent
 * faces"), reconstructions, mean images.
 *
 * @module
 */

import { checkMatrix, type DenseMatrix } from "./dense_matrix.ts";
import type { GrayImage } from "./encode_png.ts";

/** Options of {@linkcode imageGrid}. */
export interface ImageGridOptions {
  /** Height of each image in pixels. */
  height: number;
  /** Width of each image in pixels. */
  width: number;
  /** Images per grid row. Default ⌈√count⌉. */
  columns?: number;
  /** Border between and around tiles, in output pixels. Default 1. */
  border?: number;
  /** Gray level of the border, 0..255. Default 255. */
  borderValue?: number;
  /**
   * How a column of length height * width lists pixels: "row-major" (default)
   * or "column-major" (MATLAB order, e.g. Cai's ORL_32x32.mat).
   */
  pixelOrder?: "row-major" | "column-major";
  /**
   * Contrast stretch to 0..255: "per-image" (default; each tile's min to black
   * and max to white), "shared" (one min and max over all tiles, to compare
   * intensities across tiles), or "none" (values are gray levels, clamped).
   */
  stretch?: "per-image" | "shared" | "none";
  /** Integer upscaling of each pixel (nearest neighbour). Default 1. */
  scale?: number;
}

/**
 * A grid of the columns of `images` (d x m, d = height * width), each reshaped
 * to height x width, contrast-stretched and tiled row by row with a thin
 * border. Columns of W (d x k) give the basis images of NMF; for layer i of a
 * deep model pass Z₁⋯Z_i.
 *
 * @example
 * ```ts
 * const w = { data: new Float32Array([0, 1, 1, 0, 2, 3, 3, 2]), rows: 4, cols: 2 };
 * const img = imageGrid(w, { height: 2, width: 2 }); // 2 tiles side by side
 * console.log(img.width, img.height); // 7 4
 * ```
 */
export function imageGrid(images: DenseMatrix, options: ImageGridOptions): GrayImage {
  checkMatrix(images, "imageGrid: images");
  const { height, width, border = 1, borderValue = 255, scale = 1 } = options;
  const pixelOrder = options.pixelOrder ?? "row-major";
  const stretch = options.stretch ?? "per-image";
  const limits: [string, number, number][] = [
    ["height", height, 1],
    ["width", width, 1],
    ["border", border, 0],
    ["scale", scale, 1],
  ];
  for (const [name, v, min] of limits) {
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(`imageGrid: option ${name} is ${v}; it must be an integer >= ${min}`);
    }
  }
  if (images.rows !== height * width) {
    throw new RangeError(
      `imageGrid: images have ${images.rows} rows, expected height x width = ${height * width}`,
    );
  }
  if (!["row-major", "column-major"].includes(pixelOrder)) {
    throw new RangeError(`imageGrid: option pixelOrder "${pixelOrder}" is unknown`);
  }
  if (!["per-image", "shared", "none"].includes(stretch)) {
    throw new RangeError(`imageGrid: option stretch "${stretch}" is unknown`);
  }
  const count = images.cols;
  const columns = options.columns ?? Math.ceil(Math.sqrt(count));
  if (!Number.isInteger(columns) || columns < 1) {
    throw new RangeError(`imageGrid: option columns is ${columns}; it must be an integer >= 1`);
  }
  const gridRows = Math.ceil(count / columns);
  const tileW = width * scale;
  const tileH = height * scale;
  const outW = columns * tileW + (columns + 1) * border;
  const outH = gridRows * tileH + (gridRows + 1) * border;
  const pixels = new Uint8Array(outW * outH).fill(Math.max(0, Math.min(255, borderValue)));
  const { data, cols } = images;
  const range = (c0: number, c1: number) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let p = 0; p < images.rows; p++) {
      for (let c = c0; c < c1; c++) {
        const v = data[p * cols + c];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    return [lo, hi];
  };
  const shared = stretch === "shared" ? range(0, count) : null;
  for (let t = 0; t < count; t++) {
    const [lo, hi] = stretch === "none" ? [0, 255] : shared ?? range(t, t + 1);
    const gain = hi > lo ? 255 / (hi - lo) : 0;
    const x0 = border + (t % columns) * (tileW + border);
    const y0 = border + Math.floor(t / columns) * (tileH + border);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const p = pixelOrder === "row-major" ? r * width + c : c * height + r;
        const v = stretch === "none" ? data[p * cols + t] : (data[p * cols + t] - lo) * gain;
        const g = Math.max(0, Math.min(255, Math.round(v)));
        for (let dy = 0; dy < scale; dy++) {
          const row = (y0 + r * scale + dy) * outW + x0 + c * scale;
          for (let dx = 0; dx < scale; dx++) pixels[row + dx] = g;
        }
      }
    }
  }
  return { width: outW, height: outH, pixels };
}
