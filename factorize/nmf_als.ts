/**
 * NMF by alternating least squares with projection (Berry et al. 2007,
 * "Algorithms and applications for approximate nonnegative matrix
 * factorization"): each factor is the unconstrained least-squares solution
 * through the k x k normal equations, then clamped at 0.
 *
 * @module
 */

import { elementwise } from "../gpu/elementwise.ts";
import { gemm, type GemmEpilogue } from "../gpu/gemm.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { spdInverse } from "../gpu/spd_inverse.ts";
import { SpdStatus } from "../gpu/spd_status.ts";
import type { StepperOptions } from "./nmf_mu.ts";
import type { NmfProblem } from "./nmf_problem.ts";
import type { Stepper } from "./fit.ts";

const CLAMP: GemmEpilogue = { op: "clampMin", min: 0 };

/**
 * One ALS iteration, H then W: H ← max((WᵀW + l2H I)⁻¹ (WᵀX − l1H), 0), then
 * W ← max((X Hᵀ − l1W)(H Hᵀ + l2W I)⁻¹, 0). The k x k inverse is a Cholesky on
 * the GPU (ridge raised x10 on the device on failure, said at the next loss check),
 * so an iteration reads nothing back.
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
 * const { stepper, dispose } = alsStepper(problem, w, h, { penalties: p });
 * const before = await stepper.error();
 * for (let i = 0; i < 5; i++) await stepper.step();
 * console.log(await stepper.error() < before); // true: the error fell
 * dispose();
 * problem.dispose();
 * gpu.destroy();
 * ```
 */
export function alsStepper(
  problem: NmfProblem,
  w: GpuMatrix,
  h: GpuMatrix,
  options: StepperOptions,
): { stepper: Stepper; dispose: () => void } {
  if (problem.mask) {
    throw new RangeError('Option solver "als" does not support a mask: use solver "mu"');
  }
  const gpu = problem.gpu;
  const { d, n } = problem;
  const k = w.cols;
  const p = options.penalties;
  const xht = GpuMatrix.empty(gpu, d, k);
  const wtx = GpuMatrix.empty(gpu, k, n);
  const gram = GpuMatrix.empty(gpu, k, k);
  const inv = GpuMatrix.empty(gpu, k, k);
  const status = SpdStatus.create(gpu);
  const messages: string[] = [];
  const stepper: Stepper = {
    messages,
    step() {
      gemm(w, w, gram, { transA: true });
      problem.x.wtTimes(w, wtx);
      if (p.l1H) elementwise("affine", wtx, { s: [1, -p.l1H] });
      spdInverse(gram, inv, { status, shift: p.l2H });
      gemm(inv, wtx, h, { epilogue: CLAMP }); // projected on H >= 0 in the GEMM's stores
      if (options.fixW) return;
      gemm(h, h, gram, { transB: true });
      problem.x.timesHt(h, xht);
      if (p.l1W) elementwise("affine", xht, { s: [1, -p.l1W] });
      spdInverse(gram, inv, { status, shift: p.l2W });
      gemm(xht, inv, w, { epilogue: CLAMP });
    },
    async error() {
      // The status read is issued with the loss's first read: one wait for both.
      const [e, msg] = await Promise.all([problem.error(w, h, "frobenius"), status.message()]);
      if (msg) messages.push(`ALS: ${msg}`);
      return e;
    },
  };
  return {
    stepper,
    dispose: () => [xht, wtx, gram, inv, status].forEach((m) => m.dispose()),
  };
}
