/**
 * The largest eigenvalue of a small symmetric matrix on the GPU, as a guaranteed upper bound
 * (and a lower one), for the step 1/L of projected gradient descent without a readback.
 *
 * @module
 */

import type { KernelVariant } from "./gpu.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import SOURCE from "./largest_eigenvalue.wgsl" with { type: "text" };

/** Largest k: each of the 256 invocations keeps the products of at most 4 rows. */
export const LARGEST_EIGENVALUE_MAX_K = 1024;

/** Most loop steps per invocation on a software adapter (llvmpipe stops at 65,535). */
export const LARGEST_EIGENVALUE_SOFTWARE_STEPS = 32768;

/** Number of values {@linkcode largestEigenvalue} writes. */
export const LARGEST_EIGENVALUE_OUT = 4;

const VARIANT: KernelVariant<number> = {
  name: "largest_eigenvalue",
  wgsl: SOURCE,
  workgroupSize: [256, 1, 1],
  dispatch: () => [1, 1, 1],
};

/** Options of {@linkcode largestEigenvalue}. */
export interface LargestEigenvalueOptions {
  /**
   * The power-iteration vector, k x 1 (or 1 x k), owned by the caller and kept between calls
   * as the warm start. Entries that are not finite and > 0 (e.g. a fresh buffer) restart at 1.
   */
  vector: GpuMatrix;
  /** Power iterations after the first product. Default 8. */
  iterations?: number;
  /** Added to both bounds (an L2 penalty: L = λmax + l2). Default 0. */
  shift?: number;
}

/** Loop steps per invocation of one call (the bound in largest_eigenvalue.wgsl). */
function eigenSteps(k: number, iterations: number): number {
  const r = Math.ceil(k / 256);
  return r * k + 8 + (iterations + 1) * (r * k + 8 + 2 * r);
}

/**
 * Records into the open batch bounds on λmax of the symmetric k x k matrix A, written to
 * `out` (at least 4 values, e.g. 1 x 4):
 * `[U + shift, 1 / (U + shift), Λ + shift, (U − Λ) / U]` (the last with the shifted values).
 *
 * U is an upper bound that holds for any A and any number of iterations (up to f32
 * rounding): U = min(max_i (|A|v)_i / v_i over the power iterates v > 0, max_i Σ_j |A_ij|)
 * >= ρ(|A|) >= λmax(A) (Collatz–Wielandt). Λ = the largest Rayleigh quotient vᵀAv / vᵀv seen,
 * <= λmax(A). When A >= 0 entrywise — WᵀW and H Hᵀ of non-negative factors — U and Λ both
 * converge to λmax, and U never underestimates: `out[1]` is a safe PGD step 1/L (the PGD
 * solvers' `max(λ, 1e-30) + l2`). For A with negative entries U may exceed λmax by up to
 * ρ(|A|)/λmax(A); Λ is then the estimate. How close they are after `iterations` is in
 * `out[3]`; the vector carries over, so repeated calls on slowly changing Grams tighten.
 *
 * Throws a RangeError for k > {@linkcode LARGEST_EIGENVALUE_MAX_K}, or on a software adapter
 * when k and `iterations` need more than {@linkcode LARGEST_EIGENVALUE_SOFTWARE_STEPS} loop
 * steps per invocation (k = 1024 allows 5 iterations, k = 512 allows 29).
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const a = GpuMatrix.fromArray(gpu, 2, 2, new Float32Array([2, 1, 1, 2])); // λmax = 3
 * const [v, lip] = [GpuMatrix.empty(gpu, 2, 1), GpuMatrix.empty(gpu, 1, 4)];
 * largestEigenvalue(a, lip, { vector: v, shift: 0.5 });
 * console.log((await lip.toArray())[1]); // 1 / (3 + 0.5) ≈ 0.2857
 * gpu.destroy();
 * ```
 */
export function largestEigenvalue(
  a: GpuMatrix,
  out: GpuMatrix,
  options: LargestEigenvalueOptions,
): void {
  const k = a.rows;
  if (a.cols !== k) throw new RangeError(`Eigenvalue needs a square matrix, got ${k}x${a.cols}`);
  const { vector, iterations = 8, shift = 0 } = options;
  if (!vector || vector.size !== k) {
    throw new RangeError(`Option vector must be a k x 1 matrix (k = ${k}), got ${vector?.size}`);
  }
  if (out.size < LARGEST_EIGENVALUE_OUT) {
    throw new RangeError(`Eigenvalue output has ${out.size} values, needs 4: pass a 1 x 4 matrix`);
  }
  if ([vector.buffer, out.buffer].includes(a.buffer) || vector.buffer === out.buffer) {
    throw new RangeError("Eigenvalue matrix, vector and output must be three different matrices");
  }
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new RangeError(`Option iterations must be an integer >= 0, got ${iterations}`);
  }
  if (!Number.isFinite(shift)) throw new RangeError(`Option shift must be finite, got ${shift}`);
  if (k > LARGEST_EIGENVALUE_MAX_K) {
    throw new RangeError(
      `Eigenvalue bound handles k up to ${LARGEST_EIGENVALUE_MAX_K}, got ${k}: use symmetricEigen`,
    );
  }
  const gpu = a.gpu;
  const steps = eigenSteps(k, iterations);
  if (gpu.adapter.isSoftware && steps > LARGEST_EIGENVALUE_SOFTWARE_STEPS) {
    throw new RangeError(
      `Eigenvalue bound of k = ${k} with ${iterations} iterations takes ${steps} loop steps per ` +
        `invocation, over ${LARGEST_EIGENVALUE_SOFTWARE_STEPS} on ${gpu.adapter.name}: ` +
        `use fewer iterations`,
    );
  }
  const params = new ArrayBuffer(16);
  new Uint32Array(params).set([k, iterations]);
  new Float32Array(params)[2] = shift;
  gpu.dispatch(VARIANT, 0, [a.buffer, vector.buffer, out.buffer], params);
}
