/**
 * Small symmetric positive definite solves on the CPU in float64, for the k x k
 * normal equations of ALS, semi-NMF and Deep Semi-NMF.
 *
 * @module
 */

/** Result of {@linkcode solveSpd}. */
export interface SpdSolve {
  /** The solution, k x m row-major (or the inverse, k x k, from {@linkcode invertSpd}). */
  x: Float64Array;
  /** The ridge actually added to the diagonal. */
  ridge: number;
  /** Set when the ridge had to grow: says from what to what. */
  message: string | null;
}

/** Options of {@linkcode solveSpd}. */
export interface SpdOptions {
  /** Ridge added to the diagonal, relative to the mean diagonal entry. Default 1e-10. */
  ridge?: number;
  /** Most x10 increases of the ridge before giving up. Default 12. */
  maxGrow?: number;
}

/** Lower Cholesky factor of a (k x k row-major) in place; false when not positive definite. */
function _cholesky(l: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    let s = l[j * k + j];
    for (let p = 0; p < j; p++) s -= l[j * k + p] * l[j * k + p];
    if (!(s > 0)) return false;
    const d = Math.sqrt(s);
    l[j * k + j] = d;
    for (let i = j + 1; i < k; i++) {
      let t = l[i * k + j];
      for (let p = 0; p < j; p++) t -= l[i * k + p] * l[j * k + p];
      l[i * k + j] = t / d;
    }
    for (let i = 0; i < j; i++) l[i * k + j] = 0;
  }
  return true;
}

/**
 * Solves (A + ridge·mean(diag A)·I) X = B for symmetric A (k x k) and B (k x m),
 * both row-major, by Cholesky in float64. When the factorization fails the ridge
 * grows x10 (from 1e-10 relative by default) until it succeeds; `message` then
 * says so, for the caller to report once.
 *
 * @example
 * ```ts
 * const { x } = solveSpd(new Float64Array([4, 1, 1, 3]), new Float64Array([1, 2]), 2);
 * console.log(Array.from(x, (v) => v.toFixed(4))); // ["0.0909", "0.6364"]: [1, 7] / 11
 * ```
 */
export function solveSpd(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  k: number,
  options: SpdOptions = {},
): SpdSolve {
  if (a.length !== k * k) throw new RangeError(`Matrix has ${a.length} values, expected ${k}x${k}`);
  if (b.length % k !== 0) throw new RangeError(`Right-hand side has ${b.length} values, not k x m`);
  const m = b.length / k;
  let trace = 0;
  for (let i = 0; i < k; i++) trace += Math.abs(a[i * k + i]);
  const scale = trace > 0 ? trace / k : 1;
  const first = options.ridge ?? 1e-10;
  const maxGrow = options.maxGrow ?? 12;
  const l = new Float64Array(k * k);
  let rel = first;
  for (let grow = 0; grow <= maxGrow; grow++, rel = rel > 0 ? rel * 10 : 1e-10) {
    for (let i = 0; i < k * k; i++) l[i] = a[i];
    for (let i = 0; i < k; i++) l[i * k + i] += rel * scale;
    if (!_cholesky(l, k)) continue;
    const x = Float64Array.from(b);
    for (let c = 0; c < m; c++) {
      for (let i = 0; i < k; i++) {
        let s = x[i * m + c];
        for (let p = 0; p < i; p++) s -= l[i * k + p] * x[p * m + c];
        x[i * m + c] = s / l[i * k + i];
      }
      for (let i = k - 1; i >= 0; i--) {
        let s = x[i * m + c];
        for (let p = i + 1; p < k; p++) s -= l[p * k + i] * x[p * m + c];
        x[i * m + c] = s / l[i * k + i];
      }
    }
    const message = grow === 0 ? null : `k x k system not positive definite: ridge raised from ` +
      `${first.toExponential(0)} to ${rel.toExponential(0)} x mean diagonal`;
    return { x, ridge: rel * scale, message };
  }
  throw new RangeError(
    `k x k system is not positive definite even with a ridge of ${rel / 10} x mean diagonal: ` +
      `the factor has NaN or Inf entries`,
  );
}

/**
 * The inverse of (A + ridge I) for symmetric A (k x k), by {@linkcode solveSpd}.
 *
 * @example
 * ```ts
 * const { x: inv, message } = invertSpd(new Float64Array([2, 0, 0, 4]), 2);
 * console.log(Array.from(inv, (v) => +v.toFixed(6)), message); // [0.5, 0, 0, 0.25] null
 * ```
 */
export function invertSpd(a: ArrayLike<number>, k: number, options: SpdOptions = {}): SpdSolve {
  const eye = new Float64Array(k * k);
  for (let i = 0; i < k; i++) eye[i * k + i] = 1;
  return solveSpd(a, eye, k, options);
}
