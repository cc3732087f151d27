/**
 * NMF by alternating projected gradient descent for the Frobenius loss, with
 * step 1 / L where L is the Lipschitz constant of each block's gradient (the
 * largest eigenvalue of WᵀW or H Hᵀ plus the L2 penalty), as in Lin 2007,
 * "Projected gradient methods for nonnegative matrix factorization" (fixed step
 * instead of Armijo search).
 *
 * @module
 */

import { elementwise } from "../gpu/elementwise.ts";
import { gemm } from "../gpu/gemm.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import type { StepperOptions } from "./nmf_mu.ts";
import type { NmfProblem } from "./nmf_problem.ts";
import type { Stepper } from "./fit.ts";
import { symmetricEigen } from "./symmetric_eigen.ts";

/** Largest eigenvalue of the symmetric k x k f32 matrix `g` (at least a tiny positive value). */
function _lipschitz(g: Float32Array, k: number): number {
  return Math.max(symmetricEigen(g, k).values[0], 1e-30);
}

/**
 * One PGD iteration, H then W: H ← max(H − (WᵀW H − WᵀX + l1H + l2H H) / L_H, 0) with
 * L_H = λmax(WᵀW) + l2H, then the same for W with H Hᵀ and X Hᵀ. Reads one k x k
 * Gram matrix per block to the CPU for its largest eigenvalue.
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
 * const { stepper, dispose } = pgdStepper(problem, w, h, { penalties: p });
 * const before = await stepper.error();
 * for (let i = 0; i < 5; i++) await stepper.step();
 * console.log(await stepper.error() < before); // true: the error fell
 * dispose();
 * problem.dispose();
 * gpu.destroy();
 * ```
 */
export function pgdStepper(
  problem: NmfProblem,
  w: GpuMatrix,
  h: GpuMatrix,
  options: StepperOptions,
): { stepper: Stepper; dispose: () => void } {
  if (problem.mask) {
    throw new RangeError('Option solver "pgd" does not support a mask: use solver "mu"');
  }
  const gpu = problem.gpu;
  const { d, n } = problem;
  const k = w.cols;
  const p = options.penalties;
  const xht = GpuMatrix.empty(gpu, d, k);
  const whht = GpuMatrix.empty(gpu, d, k);
  const wtx = GpuMatrix.empty(gpu, k, n);
  const wtwh = GpuMatrix.empty(gpu, k, n);
  const gram = GpuMatrix.empty(gpu, k, k);
  const stepper: Stepper = {
    async step() {
      gemm(w, w, gram, { transA: true });
      problem.x.wtTimes(w, wtx);
      gemm(gram, h, wtwh);
      const lh = _lipschitz(await gram.toArray(), k) + p.l2H;
      elementwise("projectedGradient", h, { a: wtwh, b: wtx, s: [p.l1H, p.l2H, 0, 1 / lh] });
      if (options.fixW) return;
      gemm(h, h, gram, { transB: true });
      problem.x.timesHt(h, xht);
      gemm(w, gram, whht);
      const lw = _lipschitz(await gram.toArray(), k) + p.l2W;
      elementwise("projectedGradient", w, { a: whht, b: xht, s: [p.l1W, p.l2W, 0, 1 / lw] });
    },
    error: () => problem.error(w, h, "frobenius"),
  };
  return { stepper, dispose: () => [xht, whht, wtx, wtwh, gram].forEach((m) => m.dispose()) };
}
