/**
 * NMF by multiplicative updates for the generalized Kullback-Leibler divergence
 * D(X‖WH) = Σ X log(X / WH) − X + WH (beta = 1; Lee & Seung 2001), with
 * scikit-learn's L1/L2 penalties and an optional mask of observed entries.
 *
 * @module
 */

import { elementwise } from "../gpu/elementwise.ts";
import { gemm } from "../gpu/gemm.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { MU_DENOMINATOR_FLOOR, type StepperOptions } from "./nmf_mu.ts";
import type { NmfProblem } from "./nmf_problem.ts";
import { SparseDataMatrix } from "./sparse_data_matrix.ts";
import type { Stepper } from "./fit.ts";

/** Floor of W H inside X / WH (scikit-learn uses float32 epsilon too). */
export const KL_PRODUCT_FLOOR = 1.1920929e-7;

/**
 * One KL MU iteration, H then W:
 * H ← H ⊙ Wᵀ(X / WH) / (Wᵀ 1 + l1H + l2H H), W ← W ⊙ (X / WH) Hᵀ / (1 Hᵀ + l1W + l2W W);
 * with a mask M, X / WH is taken over observed entries and Wᵀ M, M Hᵀ replace
 * the column and row sums. Every product is on the GPU; W H is formed once per
 * half-step (the KL gradient needs it), for sparse X only at X's non-zeros.
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
 * const { stepper, dispose } = klStepper(problem, w, h, { penalties: p });
 * const before = await stepper.error();
 * for (let i = 0; i < 5; i++) await stepper.step();
 * console.log(await stepper.error() < before); // true: the KL error fell
 * dispose();
 * problem.dispose();
 * gpu.destroy();
 * ```
 */
export function klStepper(
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
  const numW = GpuMatrix.empty(gpu, d, k);
  const numH = GpuMatrix.empty(gpu, k, n);
  const denW = mask ? GpuMatrix.empty(gpu, d, k) : GpuMatrix.empty(gpu, k, 1);
  const denH = mask ? GpuMatrix.empty(gpu, k, n) : GpuMatrix.empty(gpu, k, 1);
  const onesD = GpuMatrix.fromArray(gpu, d, 1, new Float32Array(d).fill(1));
  const onesN = GpuMatrix.fromArray(gpu, n, 1, new Float32Array(n).fill(1));
  const floor = MU_DENOMINATOR_FLOOR;
  let denHFresh = false;
  const ratio = _ratioProducts(problem, w, h);
  const stepper: Stepper = {
    step() {
      ratio.wtTimes(numH);
      if (!options.fixW || !denHFresh) {
        if (mask) mask.wtTimes(w, denH);
        else gemm(w, onesD, denH, { transA: true });
        denHFresh = true;
      }
      if (mask) elementwise("mu", h, { a: numH, b: denH, s: [p.l1H, p.l2H, floor] });
      else {
        elementwise("muBroadcast", h, { a: numH, b: denH, s: [p.l1H, p.l2H, floor], u: [n, k] });
      }
      if (options.fixW) return;
      ratio.timesHt(numW);
      if (mask) {
        mask.timesHt(h, denW);
        elementwise("mu", w, { a: numW, b: denW, s: [p.l1W, p.l2W, floor] });
      } else {
        gemm(h, onesN, denW);
        elementwise("muBroadcast", w, { a: numW, b: denW, s: [p.l1W, p.l2W, floor], u: [1, k] });
      }
    },
    error: () => problem.error(w, h, "kullback-leibler"),
  };
  return {
    stepper,
    dispose: () => {
      [numW, numH, denW, denH, onesD, onesN].forEach((m) => m.dispose());
      ratio.dispose();
    },
  };
}

/**
 * Wᵀ (X / WH) and (X / WH) Hᵀ from the current factors (W H formed for each): the
 * dense d x n ratio, or for sparse X the ratio at its entries only (W H sampled
 * there), in each product's entry order.
 */
function _ratioProducts(problem: NmfProblem, w: GpuMatrix, h: GpuMatrix) {
  const x = problem.x;
  const s = [KL_PRODUCT_FLOOR];
  if (x instanceof SparseDataMatrix) {
    const r = GpuMatrix.empty(problem.gpu, x.nnz, 1);
    return {
      wtTimes(out: GpuMatrix) {
        x.sampleProduct(w, h, r, "byDoc");
        elementwise("ratio", r, { a: x.docValues, s });
        x.wtTimesValues(w, r, out);
      },
      timesHt(out: GpuMatrix) {
        x.sampleProduct(w, h, r, "byTerm");
        elementwise("ratio", r, { a: x.termValues, s });
        x.valuesTimesHt(r, h, out);
      },
      dispose: () => r.dispose(),
    };
  }
  const ratio = () => {
    const wh = problem.wh();
    wh.setProduct(w, h);
    elementwise("ratio", wh.stored, { a: x.stored, s });
    return wh;
  };
  return {
    wtTimes: (out: GpuMatrix) => ratio().wtTimes(w, out),
    timesHt: (out: GpuMatrix) => ratio().timesHt(h, out),
    dispose: () => {},
  };
}
