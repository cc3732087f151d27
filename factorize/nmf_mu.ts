/**
 * NMF by multiplicative updates for the Frobenius loss (Lee & Seung 2001,
 * "Algorithms for non-negative matrix factorization"), with scikit-learn's L1/L2
 * penalties and an optional mask of observed entries.
 *
 * @module
 */

import { elementwise } from "../gpu/elementwise.ts";
import { gemm } from "../gpu/gemm.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import type { Penalties } from "./nmf_options.ts";
import type { NmfProblem } from "./nmf_problem.ts";
import type { Stepper } from "./fit.ts";

/** Floor of every multiplicative-update denominator: no division by zero, no NaN. */
export const MU_DENOMINATOR_FLOOR = 1e-12;

/** Options of the factor steppers. */
export interface StepperOptions {
  /** L1/L2 penalties. */
  penalties: Penalties;
  /** Keep W fixed (transform). Default false. */
  fixW?: boolean;
}

/**
 * One MU iteration, H then W (scikit-learn's order), minimizing
 * ½‖M ⊙ (X − WH)‖² + penalties over W (d x k) >= 0, H (k x n) >= 0:
 * H ← H ⊙ (Wᵀ X) / (WᵀW H + l1H + l2H H), W ← W ⊙ (X Hᵀ) / (W (H Hᵀ) + l1W + l2W W);
 * with a mask, Wᵀ(M ⊙ WH) and (M ⊙ WH) Hᵀ replace WᵀW H and W H Hᵀ.
 * Returns the stepper and a function freeing its temporaries.
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
 * const { stepper, dispose } = muStepper(problem, w, h, { penalties: p });
 * const before = await stepper.error();
 * for (let i = 0; i < 5; i++) await stepper.step();
 * console.log(await stepper.error() < before); // true: MU never raises the cost
 * dispose();
 * problem.dispose();
 * gpu.destroy();
 * ```
 */
export function muStepper(
  problem: NmfProblem,
  w: GpuMatrix,
  h: GpuMatrix,
  options: StepperOptions,
): { stepper: Stepper; dispose: () => void } {
  const gpu = problem.gpu;
  const { d, n } = problem;
  const k = w.cols;
  const p = options.penalties;
  const mask = problem.mask;
  const xht = GpuMatrix.empty(gpu, d, k);
  const wtx = GpuMatrix.empty(gpu, k, n);
  const gram = GpuMatrix.empty(gpu, k, k);
  // Denominators, kept only where the ratio step is not fused into their GEMM.
  const whht = mask ? GpuMatrix.empty(gpu, d, k) : null;
  const wtwh = mask || options.fixW ? GpuMatrix.empty(gpu, k, n) : null;
  const floor = MU_DENOMINATOR_FLOOR;
  let wtxFresh = false;
  const stepper: Stepper = {
    step() {
      // H update
      if (!options.fixW || !wtxFresh) problem.x.wtTimes(w, wtx);
      wtxFresh = true;
      if (mask) {
        const wh = problem.wh();
        wh.setProduct(w, h);
        elementwise("multiply", wh.stored, { a: mask.stored });
        wh.wtTimes(w, wtwh!);
        elementwise("mu", h, { a: wtx, b: wtwh!, s: [p.l1H, p.l2H, floor] });
      } else if (options.fixW) {
        gemm(w, w, gram, { transA: true });
        gemm(gram, h, wtwh!);
        elementwise("mu", h, { a: wtx, b: wtwh!, s: [p.l1H, p.l2H, floor] });
      } else {
        // The ratio step fused into WᵀW·H's stores: the new H lands in wtx's buffer.
        gemm(w, w, gram, { transA: true });
        gemm(gram, h, wtx, { epilogue: { op: "mu", factor: h, l1: p.l1H, l2: p.l2H, floor } });
        h.swap(wtx);
      }
      if (options.fixW) return;
      // W update
      problem.x.timesHt(h, xht);
      if (mask) {
        const wh = problem.wh();
        wh.setProduct(w, h);
        elementwise("multiply", wh.stored, { a: mask.stored });
        wh.timesHt(h, whht!);
        elementwise("mu", w, { a: xht, b: whht!, s: [p.l1W, p.l2W, floor] });
      } else {
        gemm(h, h, gram, { transB: true });
        gemm(w, gram, xht, { epilogue: { op: "mu", factor: w, l1: p.l1W, l2: p.l2W, floor } });
        w.swap(xht);
      }
    },
    error: () => problem.error(w, h, "frobenius"),
  };
  return { stepper, dispose: () => [xht, whht, wtx, wtwh, gram].forEach((m) => m?.dispose()) };
}
