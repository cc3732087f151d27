/**
 * The iteration loop every solver shares: scikit-learn's stopping rule, the
 * loss history, and divergence handling that keeps the last finite factors.
 *
 * @module
 */

import type { GpuMatrix } from "../gpu/gpu_matrix.ts";
import type { StopReason } from "./factorization_result.ts";

/** One solver iteration; `step` records GPU work (and may await k x k reads). */
export interface Stepper {
  /** Runs or records one iteration. */
  step(): void | Promise<void>;
  /** The current reconstruction error (flushes and reads). */
  error(): Promise<number>;
  /** Messages to report once (e.g. a raised ridge); drained by the loop. */
  messages?: string[];
}

/** Options of {@linkcode runSolverLoop}. */
export interface LoopOptions {
  /** Most iterations. */
  maxIter: number;
  /** scikit-learn's tolerance: stop when (previous − current) / initial error < tol. */
  tol: number;
  /** Check the error every this many iterations (and at the last one). */
  checkEvery: number;
}

/** What the loop reports. */
export interface LoopResult {
  /** Iterations run. */
  nIter: number;
  /** Error at each checked iteration. */
  loss: number[];
  /** The iteration of each loss entry (0 = initial). */
  lossIterations: number[];
  /** True when stopped by the tolerance rule. */
  converged: boolean;
  /** Why it stopped. */
  stopReason: StopReason;
  /** Messages, in order. */
  messages: string[];
}

/**
 * Iterates `stepper` on the factors `state` (updated in place on the GPU) until
 * the tolerance rule holds at a check, `maxIter` is reached, or the error is not
 * finite; then the factors are restored to those of the last finite check.
 *
 * @example
 * ```ts
 * const r = await runSolverLoop([w, h], stepper, { maxIter: 200, tol: 1e-4, checkEvery: 10 });
 * ```
 */
export async function runSolverLoop(
  state: readonly GpuMatrix[],
  stepper: Stepper,
  options: LoopOptions,
): Promise<LoopResult> {
  const messages: string[] = [];
  const drain = () => {
    if (stepper.messages?.length) messages.push(...stepper.messages.splice(0));
  };
  const initial = await stepper.error();
  const loss = [initial];
  const lossIterations = [0];
  if (!Number.isFinite(initial)) {
    throw new RangeError(`The initial reconstruction error is ${initial}: check the data and init`);
  }
  const backup = state.map((m) => m.clone());
  let previous = initial;
  let nIter = 0;
  let stopReason: StopReason = "maxIter";
  try {
    for (let it = 1; it <= options.maxIter; it++) {
      await stepper.step();
      nIter = it;
      if (it % options.checkEvery !== 0 && it !== options.maxIter) continue;
      const err = await stepper.error();
      drain();
      if (!Number.isFinite(err)) {
        const last = lossIterations[lossIterations.length - 1];
        messages.push(
          `Diverged: reconstruction error is ${err} at iteration ${it}; ` +
            `keeping the factors of iteration ${last}`,
        );
        const enc = state[0].gpu.encoder();
        state.forEach((m, i) =>
          enc.copyBufferToBuffer(backup[i].buffer, 0, m.buffer, 0, m.size * 4)
        );
        stopReason = "diverged";
        break;
      }
      loss.push(err);
      lossIterations.push(it);
      const enc = state[0].gpu.encoder();
      state.forEach((m, i) => enc.copyBufferToBuffer(m.buffer, 0, backup[i].buffer, 0, m.size * 4));
      if (initial > 0 && (previous - err) / initial < options.tol) {
        stopReason = "tol";
        break;
      }
      if (initial === 0) {
        stopReason = "tol";
        break;
      }
      previous = err;
    }
    drain();
    await state[0].gpu.sync();
  } finally {
    for (const b of backup) b.dispose();
  }
  return { nIter, loss, lossIterations, converged: stopReason === "tol", stopReason, messages };
}
