/**
 * The result type every factorization solver returns.
 *
 * @module
 */

/** A dense row-major f32 matrix on the CPU. */
export interface HostMatrix {
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
  /** rows * cols values, row-major. */
  data: Float32Array;
}

/** Factors of a one-layer model X ≈ W H: W is d x k, H is k x n. */
export interface NmfFactors {
  /** Basis (d x k; non-negative for NMF, any sign for semi-NMF). */
  W: HostMatrix;
  /** Coefficients (k x n, non-negative). */
  H: HostMatrix;
}

/** Why a solver stopped. */
export type StopReason = "tol" | "maxIter" | "diverged";

/**
 * What every solver returns. `F` is the factor set: {@linkcode NmfFactors} for
 * one layer; a deep model uses its own record (e.g. an array of layers).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { nmf } from "./nmf.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20), d: 30, n: 20 };
 * const r: FactorizationResult = await nmf(gpu, x, { rank: 3, maxIter: 30 });
 * console.log(r.converged, r.nIter, r.lossIterations); // false 30 [0, 10, 20, 30]
 * gpu.destroy();
 * ```
 */
export interface FactorizationResult<F = NmfFactors> {
  /** The fitted factors (the last finite ones when the run diverged). */
  factors: F;
  /** Iterations run. */
  nIter: number;
  /** Reconstruction error at every checked iteration (see `lossIterations`), first at iteration 0. */
  loss: number[];
  /** The iteration of each entry of `loss`. */
  lossIterations: number[];
  /** True when the tolerance rule stopped the run; false at maxIter or divergence. */
  converged: boolean;
  /** Why the run stopped. */
  stopReason: StopReason;
  /** Things the run says once (ridge increases, divergence), in order. */
  messages: string[];
}

/**
 * A HostMatrix from `data`, checking its length.
 *
 * @example
 * ```ts
 * const m = hostMatrix(2, 2, new Float32Array([1, 2, 3, 4]));
 * console.log(m.rows, m.cols); // 2 2
 * // hostMatrix(2, 3, new Float32Array(4)) throws a RangeError
 * ```
 */
export function hostMatrix(rows: number, cols: number, data: Float32Array): HostMatrix {
  if (data.length !== rows * cols) {
    throw new RangeError(`Matrix data has ${data.length} values, expected ${rows}x${cols}`);
  }
  return { rows, cols, data };
}
