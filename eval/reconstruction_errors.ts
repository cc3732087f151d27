/**
 * Reconstruction error of a factorization, overall and per sample.
 *
 * @module
 */

import { checkMatrix, type DenseMatrix } from "./dense_matrix.ts";

/** Result of {@linkcode reconstructionErrors}. */
export interface ReconstructionErrors {
  /** ‖X − X̂‖_F / ‖X‖_F. */
  relative: number;
  /** ‖xⱼ − x̂ⱼ‖₂ / ‖xⱼ‖₂ per sample (column); the absolute error where ‖xⱼ‖ = 0. */
  perSample: Float64Array;
}

/**
 * Relative Frobenius error of a reconstruction X̂ of X (both d x n, samples
 * as columns, as in X ≈ W H or X ≈ Z₁⋯Z_m H_m for a deep model), and each
 * sample's relative error, accumulated in float64.
 *
 * @example
 * ```ts
 * const x = { data: new Float32Array([1, 0, 0, 2]), rows: 2, cols: 2 };
 * const xHat = { data: new Float32Array([1, 0, 0, 1]), rows: 2, cols: 2 };
 * console.log(reconstructionErrors(x, xHat)); // relative 1/√5, perSample [0, 0.5]
 * ```
 */
export function reconstructionErrors(x: DenseMatrix, xHat: DenseMatrix): ReconstructionErrors {
  checkMatrix(x, "reconstructionErrors: x");
  checkMatrix(xHat, "reconstructionErrors: xHat");
  if (x.rows !== xHat.rows || x.cols !== xHat.cols) {
    throw new RangeError(
      `reconstructionErrors: xHat is ${xHat.rows}x${xHat.cols}, x is ${x.rows}x${x.cols}`,
    );
  }
  const { rows, cols } = x;
  const errCol = new Float64Array(cols);
  const normCol = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = x.data[i * cols + j];
      const e = v - xHat.data[i * cols + j];
      errCol[j] += e * e;
      normCol[j] += v * v;
    }
  }
  let err = 0;
  let norm = 0;
  const perSample = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    err += errCol[j];
    norm += normCol[j];
    perSample[j] = normCol[j] > 0 ? Math.sqrt(errCol[j] / normCol[j]) : Math.sqrt(errCol[j]);
  }
  return { relative: norm > 0 ? Math.sqrt(err / norm) : Math.sqrt(err), perSample };
}
