/**
 * Fits a model in stretches of iterations, each continuing from the factors of
 * the last (custom init), so that the factors can be written atomically every
 * `checkpointEvery` iterations and a run can stop (Ctrl-C) and resume. The
 * tolerance of each stretch is rescaled so scikit-learn's rule, relative to
 * the first initial error, stops where one long run would.
 *
 * @module
 */

import type { Factors, FitState } from "./factor_store.ts";
import { writeFactors } from "./factor_store.ts";
import type { FitContext, ModelEntry } from "./model_table.ts";

/** A progress report after each stretch. */
export interface FitProgress {
  /** Iterations done. */
  iteration: number;
  /** Iteration limit. */
  iters: number;
  /** Loss after the stretch. */
  loss: number;
  /** Seconds per iteration over the last stretch. */
  secondsPerIteration: number;
  /** Estimated seconds to the iteration limit. */
  etaSeconds: number;
  /** True when factors were just written. */
  checkpointed: boolean;
}

/** Options of {@linkcode fitWithCheckpoints}. */
export interface CheckpointOptions {
  /** Folder the factors go to (replaced atomically at each checkpoint). */
  factorsDir: string;
  /** Where to continue from (a stored checkpoint), or null for a fresh fit. */
  start: { factors: Factors; state: FitState } | null;
  /** Called after each stretch. */
  onProgress?: (p: FitProgress) => void;
  /** When aborted, the fit stops after the current stretch and writes a checkpoint. */
  signal?: AbortSignal;
  /** Aim for stretches of about this many seconds (progress granularity). Default 2. */
  stretchSeconds?: number;
}

/** The outcome of {@linkcode fitWithCheckpoints}. */
export interface CheckpointedFit {
  factors: Factors;
  state: FitState;
  /** True when stopped by the signal before the fit ended. */
  interrupted: boolean;
}

/**
 * Runs `entry`'s fit to `ctx.config.iters` iterations (or its tolerance rule),
 * in stretches of multiples of 10 iterations that end on checkpoint
 * boundaries; writes the factors and the fit state at every multiple of
 * `checkpointEvery`, at the end, and when interrupted.
 *
 * @example
 * ```ts
 * const fit = await fitWithCheckpoints(modelEntry("nmf"), ctx, { factorsDir: "runs/x/factors", start: null });
 * ```
 */
export async function fitWithCheckpoints(
  entry: ModelEntry,
  ctx: FitContext,
  options: CheckpointOptions,
): Promise<CheckpointedFit> {
  const { iters, tol, checkpointEvery } = ctx.config;
  const target = options.stretchSeconds ?? 2;
  const state: FitState = options.start ? structuredClone(options.start.state) : {
    iteration: 0,
    loss: [],
    lossIterations: [],
    lossSeconds: [],
    complete: false,
    stopReason: null,
    messages: [],
    seconds: 0,
  };
  let factors: Factors | null = options.start?.factors ?? null;
  if (state.complete && factors) return { factors, state, interrupted: false };
  if (state.complete || (state.iteration > 0 && !factors)) {
    throw new Error("The checkpoint has no factors to continue from");
  }
  if (state.iteration >= iters && factors) {
    state.complete = true;
    state.stopReason = "maxIter";
    await writeFactors(options.factorsDir, factors, state);
    return { factors, state, interrupted: false };
  }
  let stretch = 10;
  let interrupted = false;
  do {
    const remaining = iters - state.iteration;
    const nextCheckpoint = (Math.floor(state.iteration / checkpointEvery) + 1) * checkpointEvery;
    const len = entry.resumable
      ? Math.min(stretch, nextCheckpoint - state.iteration, remaining)
      : remaining;
    const first = state.loss[0];
    const last = state.loss.at(-1);
    const segTol = first !== undefined && last !== undefined && last > 0 ? tol * first / last : tol;
    const t0 = performance.now();
    const r = await entry.fit(ctx, { start: factors, maxIter: len, tol: segTol });
    const dt = (performance.now() - t0) / 1000;
    const from = state.loss.length === 0 ? 0 : 1;
    for (let i = from; i < r.loss.length; i++) {
      const it = r.lossIterations[i];
      state.loss.push(r.loss[i]);
      state.lossIterations.push(state.iteration + it);
      state.lossSeconds.push(state.seconds + (r.nIter > 0 ? dt * it / r.nIter : 0));
    }
    state.iteration += r.nIter;
    state.seconds += dt;
    state.messages.push(...r.messages);
    factors = r.factors;
    if (r.stopReason !== "maxIter" || state.iteration >= iters) {
      state.complete = true;
      state.stopReason = r.stopReason;
    }
    interrupted = !state.complete && (options.signal?.aborted ?? false);
    const checkpointed = state.complete || interrupted ||
      state.iteration % checkpointEvery === 0;
    if (checkpointed) await writeFactors(options.factorsDir, factors, state);
    const perIt = r.nIter > 0 ? dt / r.nIter : 0;
    options.onProgress?.({
      iteration: state.iteration,
      iters,
      loss: state.loss.at(-1)!,
      secondsPerIteration: perIt,
      etaSeconds: perIt * (iters - state.iteration),
      checkpointed,
    });
    if (perIt > 0) stretch = Math.max(10, Math.ceil(target / perIt / 10) * 10);
  } while (!state.complete && !interrupted);
  return { factors: factors!, state, interrupted };
}
