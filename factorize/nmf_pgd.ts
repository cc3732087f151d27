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
import { LARGEST_EIGENVALUE_OUT, largestEigenvalue } from "../gpu/largest_eigenvalue.ts";

/**
 * One PGD iteration, H then W: H ← max(H − (WᵀW H − WᵀX + l1H + l2H H) / L_H, 0) with
 * L_H = λmax(WᵀW) + l2H, then the same for W with H Hᵀ and X Hᵀ. L is an upper bound
 * on λmax from power iteration on the GPU ({@linkcode largestEigenvalue}), warm-started
 * from the last step's vectors, which are state (`pgdVectorW`, `pgdVectorH`): no readback.
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
): { stepper: Stepper; dispose: () => void; state: Record<string, GpuMatrix> } {
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
  const lip = GpuMatrix.empty(gpu, 1, LARGEST_EIGENVALUE_OUT);
  const ones = new Float32Array(k).fill(1);
  const [vh, vw] = [GpuMatrix.fromArray(gpu, k, 1, ones), GpuMatrix.fromArray(gpu, k, 1, ones)];
  const stepper: Stepper = {
    step() {
      gemm(w, w, gram, { transA: true });
      problem.x.wtTimes(w, wtx);
      gemm(gram, h, wtwh);
      largestEigenvalue(gram, lip, { vector: vh, shift: p.l2H });
      elementwise("projectedGradientStep", h, { a: wtwh, b: wtx, c: lip, s: [p.l1H, p.l2H] });
      if (options.fixW) return;
      gemm(h, h, gram, { transB: true });
      problem.x.timesHt(h, xht);
      gemm(w, gram, whht);
      largestEigenvalue(gram, lip, { vector: vw, shift: p.l2W });
      elementwise("projectedGradientStep", w, { a: whht, b: xht, c: lip, s: [p.l1W, p.l2W] });
    },
    error: () => problem.error(w, h, "frobenius"),
  };
  return {
    stepper,
    dispose: () => [xht, whht, wtx, wtwh, gram, lip, vh, vw].forEach((m) => m.dispose()),
    state: { pgdVectorW: vw, pgdVectorH: vh },
  };
}
