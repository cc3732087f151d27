/**
 * NMF by HALS / coordinate descent (Cichocki & Phan 2009, "Fast local algorithms
 * for large scale nonnegative matrix and tensor factorizations"; scikit-learn's
 * `cd` solver) for the Frobenius loss with L1/L2 penalties.
 *
 * @module
 */

import { gemm } from "../gpu/gemm.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { halsSweep } from "../gpu/hals_sweep.ts";
import type { StepperOptions } from "./nmf_mu.ts";
import type { NmfProblem } from "./nmf_problem.ts";
import type { Stepper } from "./fit.ts";

/**
 * One HALS iteration, H then W: from WᵀW and WᵀX every row of H is updated
 * coordinate by coordinate to its exact minimizer clamped at 0, then the same
 * for the columns of W from H Hᵀ and X Hᵀ. Unmasked data only.
 *
 * @example
 * ```ts
 * const { stepper, dispose } = halsStepper(problem, w, h, { penalties });
 * ```
 */
export function halsStepper(
  problem: NmfProblem,
  w: GpuMatrix,
  h: GpuMatrix,
  options: StepperOptions,
): { stepper: Stepper; dispose: () => void } {
  if (problem.mask) {
    throw new RangeError('Option solver "cd" does not support a mask: use solver "mu"');
  }
  const gpu = problem.gpu;
  const k = w.cols;
  const p = options.penalties;
  const xht = GpuMatrix.empty(gpu, problem.d, k);
  const wtx = GpuMatrix.empty(gpu, k, problem.n);
  const gram = GpuMatrix.empty(gpu, k, k);
  const wGram = options.fixW ? GpuMatrix.empty(gpu, k, k) : gram;
  let fresh = false;
  const stepper: Stepper = {
    step() {
      if (!options.fixW || !fresh) {
        gemm(w, w, wGram, { transA: true });
        problem.x.wtTimes(w, wtx);
        fresh = true;
      }
      halsSweep("H", h, { gram: wGram, numer: wtx }, { l1: p.l1H, l2: p.l2H });
      if (options.fixW) return;
      gemm(h, h, gram, { transB: true });
      problem.x.timesHt(h, xht);
      halsSweep("W", w, { gram, numer: xht }, { l1: p.l1W, l2: p.l2W });
    },
    error: () => problem.error(w, h, "frobenius"),
  };
  const owned = options.fixW ? [xht, wtx, gram, wGram] : [xht, wtx, gram];
  return { stepper, dispose: () => owned.forEach((m) => m.dispose()) };
}
