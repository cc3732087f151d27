/**
 * Mean images of the samples with and without an attribute.
 *
 * @module
 */

import { checkMatrix, type DenseMatrix } from "./dense_matrix.ts";

/**
 * For X (d x n, samples as columns; e.g. the data, or a layer's reconstruction
 * Z₁⋯Z_i H_i to see what that layer keeps) and a per-sample attribute flag,
 * returns a d x 3 matrix: the mean of the samples with the attribute, the mean
 * of those without, and their difference (with − without), ready for
 * {@linkcode imageGrid}. Also the two counts.
 *
 * @example
 * ```ts
 * const x = { data: new Float32Array([1, 3, 5, 7]), rows: 1, cols: 4 };
 * const { means, withCount } = attributeMeanImages(x, [1, 1, 0, 0]);
 * console.log(means.data, withCount); // [2, 6, -4] 2: with, without, difference
 * ```
 */
export function attributeMeanImages(
  x: DenseMatrix,
  has: ArrayLike<boolean | number>,
): { means: DenseMatrix; withCount: number; withoutCount: number } {
  checkMatrix(x, "attributeMeanImages: x");
  const { rows: d, cols: n, data } = x;
  if (has.length !== n) {
    throw new RangeError(`attributeMeanImages: ${has.length} flags for ${n} samples`);
  }
  let withCount = 0;
  for (let j = 0; j < n; j++) if (has[j]) withCount++;
  const withoutCount = n - withCount;
  if (withCount === 0 || withoutCount === 0) {
    throw new RangeError(
      `attributeMeanImages: ${withCount} samples have the attribute and ${withoutCount} ` +
        "do not; both groups must be non-empty",
    );
  }
  const out = new Float64Array(d * 3);
  for (let p = 0; p < d; p++) {
    let a = 0;
    let b = 0;
    for (let j = 0; j < n; j++) {
      if (has[j]) a += data[p * n + j];
      else b += data[p * n + j];
    }
    out[3 * p] = a / withCount;
    out[3 * p + 1] = b / withoutCount;
    out[3 * p + 2] = a / withCount - b / withoutCount;
  }
  return { means: { data: out, rows: d, cols: 3 }, withCount, withoutCount };
}
