/**
 * Codes with a factorization's diagonal scaling removed, for clustering and probes (train's
 * evaluation and the browser page's report).
 *
 * @module
 */

import type { HostMatrix } from "../factorize/factorization_result.ts";

/**
 * A layer's codes with the factorization's scale removed: row r of the codes
 * times the norm of basis column r, i.e. the codes of the same X̂ with every
 * basis column at unit norm (W D⁻¹ · D H). NMF's factors are defined up to such
 * a diagonal D, and a solver's D (HALS leaves rows of H 1000x apart) should not
 * change clustering or probes. Deep layers use their basis Z₁⋯Z_i, or for a
 * non-linear decoder its image of each unit code. Shapes: basis d x k, codes k x n.
 *
 * @example
 * ```ts
 * const basis = { rows: 2, cols: 2, data: new Float32Array([3, 0, 4, 2]) }; // columns of norm 5, 2
 * const codes = { rows: 2, cols: 1, data: new Float32Array([1, 1]) };
 * const s = scaleFreeCodes({ basis, codes });
 * console.log(s.data[0], s.data[1]); // 5 2
 * ```
 */
export function scaleFreeCodes(layer: { basis: HostMatrix; codes: HostMatrix }): HostMatrix {
  const { basis, codes } = layer;
  const norms = new Float64Array(basis.cols);
  for (let i = 0; i < basis.rows; i++) {
    for (let r = 0; r < basis.cols; r++) norms[r] += basis.data[i * basis.cols + r] ** 2;
  }
  const data = new Float32Array(codes.data.length);
  for (let r = 0; r < codes.rows; r++) {
    const norm = Math.sqrt(norms[r]);
    for (let j = 0; j < codes.cols; j++) {
      data[r * codes.cols + j] = codes.data[r * codes.cols + j] * norm;
    }
  }
  return { rows: codes.rows, cols: codes.cols, data };
}
