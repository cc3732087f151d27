/**
 * The inverse of a small symmetric positive definite matrix on the GPU, with the ridge
 * retries of factorize/cholesky.ts's `invertSpd` decided on the device, so that a solver
 * iteration needs no readback for its k x k normal equations.
 *
 * @module
 */

import { gemm } from "./gemm.ts";
import type { KernelVariant } from "./gpu.ts";
import { GpuMatrix } from "./gpu_matrix.ts";
import { spdInversePlan } from "./spd_inverse_plan.ts";
import { ridgeAfter, type SpdStatus } from "./spd_status.ts";
import SOURCE from "./spd_inverse.wgsl" with { type: "text" };

/**
 * Most loop steps one invocation runs in one dispatch on a software adapter. llvmpipe ends
 * an invocation silently after 65,535 loop steps in all; a quarter of that leaves room for
 * miscounting. The work is split into column blocks that stay under it.
 */
export const SPD_INVERSE_SOFTWARE_STEPS = 16384;

/**
 * Largest k on a software adapter: there the first block's set-up pass alone takes
 * ⌈k/16⌉² + ⌈k/16⌉ + k steps (5,184 at k = 1024), and the whole inverse runs in one
 * workgroup, i.e. on one CPU core (measured on llvmpipe: 0.47 s at k = 512, 4.0 s at 1024).
 */
export const SPD_INVERSE_SOFTWARE_MAX_K = 1024;

const VARIANT: KernelVariant<number> = {
  name: "spd_inverse",
  wgsl: SOURCE,
  workgroupSize: [256, 1, 1],
  dispatch: () => [1, 1, 1],
};

/** Options of {@linkcode spdInverse}. */
export interface SpdInverseOptions {
  /** Where the call records its ridge growth and failure; read it with the loss. */
  status: SpdStatus;
  /** Added to the diagonal before anything else (an L2 penalty). Default 0. */
  shift?: number;
  /** First ridge, relative to the mean |diagonal| of A + shift I. Default 1e-10. */
  ridge?: number;
  /** Most x10 increases of the ridge before giving up. Default 12. */
  maxGrow?: number;
}

/**
 * Records into the open batch, with no readback, `out = (A + shift I + r s I)⁻¹` for a
 * symmetric k x k matrix A (f32, row-major; only its lower triangle is read), where
 * s = mean |A_ii + shift| (1 when that is not > 0) and the relative ridge r starts at
 * `ridge` and grows x10 (from 1e-10 when `ridge` is 0), at most `maxGrow` times, until the
 * Cholesky factorization A + shift I + r s I = L Lᵀ succeeds (every pivot > 0 and not NaN):
 * factorize/cholesky.ts's `invertSpd(A + shift I)`, in f32. Then out = L⁻ᵀ L⁻¹ (L⁻¹ by
 * substitution, the product by {@linkcode gemm}).
 *
 * Every call folds into `status` how often the ridge grew and whether it gave up; a call
 * that gives up (NaN or Inf in A, or still not positive definite after `maxGrow`
 * increases) writes zeros to `out`, so no NaN reaches the factors, and counts in
 * `status`: read it with the loss and turn it into text with `spdStatusMessage`.
 *
 * In f32 a relative ridge below about 1e-7 changes nothing, so a singular Gram matrix that
 * solveSpd (float64) factors at 1e-10 needs a few more increases here (typically to
 * 1e-6 .. 1e-5); a matrix that is clearly indefinite grows to the same ridge on both.
 *
 * `out` may be `a` itself (A is read only before out is written). Runs in one workgroup:
 * 13 factor dispatches at most per column block (the retries; those after a success return
 * at once), one substitution dispatch per block, one GEMM. Throws a RangeError for k above
 * {@linkcode SPD_INVERSE_SOFTWARE_MAX_K} on a software adapter (keep the CPU path there).
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * import { SpdStatus } from "./spd_status.ts";
 * const gpu = await Gpu.create({ log: null });
 * const a = GpuMatrix.fromArray(gpu, 2, 2, new Float32Array([4, 0, 0, 2]));
 * const inv = GpuMatrix.empty(gpu, 2, 2);
 * const status = SpdStatus.create(gpu);
 * spdInverse(a, inv, { status, shift: 0 });
 * console.log(await inv.toArray()); // ≈ [0.25, 0, 0, 0.5]
 * gpu.destroy();
 * ```
 */
export function spdInverse(a: GpuMatrix, out: GpuMatrix, options: SpdInverseOptions): void {
  const k = a.rows;
  if (a.cols !== k) throw new RangeError(`SPD inverse needs a square matrix, got ${k}x${a.cols}`);
  if (out.rows !== k || out.cols !== k) {
    throw new RangeError(`SPD inverse output is ${out.rows}x${out.cols}, expected ${k}x${k}`);
  }
  const { status, shift = 0, ridge = 1e-10, maxGrow = 12 } = options;
  if (!status || status.matrix.gpu !== a.gpu) {
    throw new RangeError("Option status must be an SpdStatus on the matrix's device");
  }
  if (!(ridge >= 0) || !Number.isFinite(ridge) || !Number.isFinite(shift)) {
    throw new RangeError(
      `Options ridge (${ridge}) and shift (${shift}) must be finite, ridge >= 0`,
    );
  }
  if (!Number.isInteger(maxGrow) || maxGrow < 0 || maxGrow > 64) {
    throw new RangeError(`Option maxGrow must be an integer in [0, 64], got ${maxGrow}`);
  }
  const gpu = a.gpu;
  const software = gpu.adapter.isSoftware;
  if (software && k > SPD_INVERSE_SOFTWARE_MAX_K) {
    throw new RangeError(
      `SPD inverse of k = ${k} is over the software adapter's limit of ` +
        `${SPD_INVERSE_SOFTWARE_MAX_K} (${gpu.adapter.name}): use the CPU invertSpd`,
    );
  }
  const plan = spdInversePlan(k, software ? SPD_INVERSE_SOFTWARE_STEPS : Infinity);
  const l = GpuMatrix.empty(gpu, k, k);
  const x = GpuMatrix.empty(gpu, k, k);
  const state = GpuMatrix.empty(gpu, 1, 4);
  const buffers = [a.buffer, l.buffer, x.buffer, state.buffer, status.matrix.buffer];
  const params = new ArrayBuffer(32);
  const u = new Uint32Array(params);
  const f = new Float32Array(params);
  u[0] = k;
  u[5] = maxGrow;
  f[7] = shift;
  for (let g = 0; g <= maxGrow; g++) {
    u[1] = 0;
    u[4] = g;
    f[6] = ridgeAfter(ridge, g);
    for (const [j0, j1] of plan.factor) {
      u[2] = j0;
      u[3] = j1;
      gpu.dispatch(VARIANT, 0, buffers, params);
    }
  }
  u[1] = 1;
  u[4] = maxGrow;
  f[6] = ridgeAfter(ridge, maxGrow);
  for (const [i0, i1] of plan.invert) {
    u[2] = i0;
    u[3] = i1;
    gpu.dispatch(VARIANT, 0, buffers, params);
  }
  gemm(x, x, out, { transA: true });
  for (const m of [l, x, state]) m.dispose();
}
