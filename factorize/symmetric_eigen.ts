/**
 * Eigen-decomposition of a small symmetric matrix on the CPU (cyclic Jacobi, float64),
 * the CPU step of the randomized SVD.
 *
 * @module
 */

/**
 * Eigenvalues (descending) and eigenvectors of the symmetric k x k row-major
 * matrix `a`: `vectors` is k x k with eigenvector j in column j.
 *
 * @example
 * ```ts
 * const { values } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
 * console.log(Array.from(values, (v) => v.toFixed(6))); // ["3.000000", "1.000000"]
 * ```
 */
export function symmetricEigen(
  a: ArrayLike<number>,
  k: number,
): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        total += m[i * k + j] ** 2;
        if (i !== j) off += m[i * k + j] ** 2;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q];
        if (apq === 0) continue;
        const theta = (m[q * k + q] - m[p * k + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p];
          const mrq = m[r * k + q];
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r];
          const mqr = m[q * k + r];
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((i, j) => m[j * k + j] - m[i * k + i]);
  const values = Float64Array.from(order, (i) => m[i * k + i]);
  const vectors = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < k; r++) vectors[r * k + c] = v[r * k + order[c]];
  }
  return { values, vectors };
}
