/**
 * The plain CPU matrix the evaluation code passes around.
 *
 * @module
 */

/**
 * A dense row-major matrix on the CPU. Factor matrices follow the papers (X is
 * d x n, W is d x k, H is k x n: samples are columns); features fed to probes
 * and k-means are samples-as-rows (n x f), i.e. Hᵀ.
 */
export interface DenseMatrix {
  /** Row-major values, length rows * cols. */
  data: Float32Array | Float64Array;
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
}

/**
 * Throws a RangeError naming `label` unless `m` has a positive integer shape
 * matching its data length.
 *
 * @example
 * ```ts
 * checkMatrix({ data: new Float32Array(6), rows: 2, cols: 3 }, "x"); // ok
 * try {
 *   checkMatrix({ data: new Float32Array(5), rows: 2, cols: 3 }, "x");
 * } catch (e) {
 *   console.log(String(e)); // RangeError naming x and its sizes
 * }
 * ```
 */
export function checkMatrix(m: DenseMatrix, label: string): void {
  const { rows, cols } = m;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`${label} has shape ${rows}x${cols}: rows and cols must be integers >= 1`);
  }
  if (m.data.length !== rows * cols) {
    throw new RangeError(
      `${label} has ${m.data.length} values, expected ${rows}x${cols} = ${rows * cols}`,
    );
  }
}

/**
 * The transpose as a new Float32Array matrix, e.g. H (k x n) to the
 * samples-as-rows features Hᵀ (n x k) that probes and k-means take.
 *
 * @example
 * ```ts
 * const h = { data: new Float32Array([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 };
 * console.log(transposeMatrix(h).data); // [1, 4, 2, 5, 3, 6]
 * ```
 */
export function transposeMatrix(m: DenseMatrix): DenseMatrix {
  checkMatrix(m, "Matrix");
  const { rows, cols, data } = m;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  }
  return { data: out, rows: cols, cols: rows };
}
