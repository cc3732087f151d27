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
 * import { Gpu } from "../gpu/gpu.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * import { penalties, resolveNmfOptions } from "./nmf_options.ts";
 * import { NmfProblem } from "./nmf_problem.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const rand = seededRandom(1);
 * const problem = await NmfProblem.create(gpu, { data: randomArray(rand, 30 * 20), d: 30, n: 20 });
 * const w = GpuMatrix.fromArray(gpu, 30, 3, randomArray(rand, 30 * 3));
 * const h = GpuMatrix.fromArray(gpu, 3, 20, randomArray(rand, 3 * 20));
 * const p = penalties(resolveNmfOptions({ rank: 3 }), 30, 20); // no penalties by default
 * const { stepper, dispose } = halsStepper(problem, w, h, { penalties: p });
 * const before = await stepper.error();
 * for (let i = 0; i < 5; i++) await stepper.step();
 * console.log(await stepper.error() < before); // true: HALS never raises the cost
 * dispose();
 * problem.dispose();
 * gpu.destroy();
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
