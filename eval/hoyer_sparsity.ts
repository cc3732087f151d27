/**
 * Hoyer's sparsity measure of a factor or of each of its columns.
 *
 * @module
 */

import { checkMatrix, type DenseMatrix } from "./dense_matrix.ts";

/**
 * Hoyer (JMLR 2004): s(x) = (√n − ‖x‖₁ / ‖x‖₂) / (√n − 1), 1 for a single
 * non-zero entry and 0 when all |xᵢ| are equal. Zero vectors and n = 1 give 0.
 *
 * @example
 * ```ts
 * console.log(hoyerSparsity([0, 0, 3, 0])); // 1
 * console.log(hoyerSparsity([1, -1, 1, 1])); // 0
 * ```
 */
export function hoyerSparsity(x: ArrayLike<number>): number {
  const n = x.length;
  let l1 = 0;
  let l2 = 0;
  for (let i = 0; i < n; i++) {
    l1 += Math.abs(x[i]);
    l2 += x[i] * x[i];
  }
  if (n < 2 || l2 === 0) return 0;
  const root = Math.sqrt(n);
  return Math.min(1, Math.max(0, (root - l1 / Math.sqrt(l2)) / (root - 1)));
}

/**
 * Hoyer sparsity of each column of `m` (e.g. each basis image of W, d x k, or
 * each sample's code in H, k x n), and their mean.
 *
 * @example
 * ```ts
 * const w = { data: new Float32Array([1, 0, 0, 1, 0, 1]), rows: 3, cols: 2 };
 * console.log(columnHoyerSparsity(w).perColumn); // [1, 0.43...]: columns [1, 0, 0] and [0, 1, 1]
 * ```
 */
export function columnHoyerSparsity(m: DenseMatrix): { perColumn: Float64Array; mean: number } {
  checkMatrix(m, "columnHoyerSparsity: matrix");
  const { rows, cols, data } = m;
  const perColumn = new Float64Array(cols);
  const col = new Float64Array(rows);
  let sum = 0;
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) col[i] = data[i * cols + j];
    perColumn[j] = hoyerSparsity(col);
    sum += perColumn[j];
  }
  return { perColumn, mean: sum / cols };
}
