/**
 * Runs a model's resumable fit (opened once: X is uploaded once) in stretches
 * of {@linkcode CHECK_EVERY} iterations, writing a snapshot of its whole state
 * atomically every `checkpointEvery` iterations, at the end and when
 * interrupted; a stored snapshot continues bit for bit. Stretch lengths depend
 * only on iteration counts, never on time.
 *
 * @module
 */

import type { FitSnapshot } from "../factorize/fit.ts";
import type { Factors, FitState } from "./factor_store.ts";
import { writeFactors } from "./factor_store.ts";
import type { FitContext, ModelEntry } from "./model_table.ts";
import { CHECK_EVERY } from "./train_config.ts";

/** A progress report after each stretch. */
export interface FitProgress {
  /** Iterations done. */
  iteration: number;
  /** Iteration limit. */
  maxIter: number;
  /** Loss at the last check. */
  loss: number;
  /** Seconds per iteration over the last stretch. */
  secondsPerIteration: number;
  /** Estimated seconds to the iteration limit. */
  etaSeconds: number;
  /** True when factors were just written. */
  checkpointed: boolean;
  /** The fit's messages new since the last progress (pretraining's come with the first). */
  messages: string[];
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
}

/** The outcome of {@linkcode fitWithCheckpoints}. */
export interface CheckpointedFit {
  /** The fit's state matrices, as stored (the factors W, H or Z1.., H1..). */
  factors: Factors;
  /** Where the fit stands. */
  state: FitState;
  /** True when stopped by the signal before the fit ended. */
  interrupted: boolean;
  /** Seconds of this call in iterations and their checks (not opening, not checkpoint writes). */
  iterationSeconds: number;
}

/** Prefix of the stored copies of a snapshot's backup (the state at its last check). */
const BACKUP = "backup_";

/** The snapshot a stored checkpoint holds; throws when it predates resumable fits. */
function _snapshot(start: { factors: Factors; state: FitState }, dir: string): FitSnapshot {
  const { factors, state } = start;
  if (!state.model) {
    throw new Error(
      `Cannot resume from ${dir}: its checkpoint was written before fits kept their whole ` +
        `state; start a new run`,
    );
  }
  const matrices: Factors = {};
  const backup: Factors = {};
  for (const [name, m] of Object.entries(factors)) {
    if (name.startsWith(BACKUP)) backup[name.slice(BACKUP.length)] = m;
    else matrices[name] = m;
  }
  return {
    model: state.model,
    iteration: state.iteration,
    loss: state.loss,
    lossIterations: state.lossIterations,
    stopReason: state.complete ? state.stopReason as FitSnapshot["stopReason"] : null,
    messages: state.messages,
    extra: state.extra ?? {},
    matrices,
    backup: Object.keys(backup).length ? backup : null,
  };
}

/**
 * Runs `entry`'s fit to `ctx.config.maxIter` iterations (or its tolerance rule)
 * from `options.start` or from scratch; see the module doc.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "../factorize/seeded_random.ts";
 * import { readFactors } from "./factor_store.ts";
 * import { modelEntry } from "./model_table.ts";
 * import { resolveTrainConfig } from "./train_config.ts";
 * const gpu = await Gpu.create({ log: null });
 * const dir = await Deno.makeTempDir();
 * const input = { data: randomArray(seededRandom(1), 20 * 30), d: 30, n: 20, samplesAsRows: true };
 * const values = { data: "unused", rank: 3, maxIter: 20, tol: 0, checkpointEvery: 10 };
 * const ctx = { gpu, input, config: resolveTrainConfig([{ source: "cli", values }]),
 *   labelCodes: () => new Int32Array(20) };
 * const factorsDir = `${dir}/factors`;
 * const fit = await fitWithCheckpoints(modelEntry("nmf"), ctx, { factorsDir, start: null });
 * console.log(fit.state.iteration, fit.state.complete); // 20 true
 * const start = readFactors(factorsDir); // continue the stored run to 40 iterations
 * const more = { ...ctx, config: { ...ctx.config, maxIter: 40 } };
 * const fit2 = await fitWithCheckpoints(modelEntry("nmf"), more, { factorsDir, start });
 * console.log(fit2.state.iteration, fit2.state.lossIterations); // 40 [0, 10, 20, 30, 40]
 * start.close();
 * await Deno.remove(dir, { recursive: true });
 * gpu.destroy();
 * ```
 */
export async function fitWithCheckpoints(
  entry: ModelEntry,
  ctx: FitContext,
  options: CheckpointOptions,
): Promise<CheckpointedFit> {
  const { checkpointEvery } = ctx.config;
  const maxIter = ctx.config.maxIter as number;
  const start = options.start;
  if (
    start?.state.complete &&
    (start.state.stopReason !== "maxIter" || start.state.iteration >= maxIter)
  ) {
    return { factors: start.factors, state: start.state, interrupted: false, iterationSeconds: 0 };
  }
  const from = start ? _snapshot(start, options.factorsDir) : null;
  const t0 = performance.now();
  const fit = await entry.open(ctx, from);
  try {
    // A fresh fit's time starts with its opening (pretraining, for a deep model).
    let seconds = start ? start.state.seconds : (performance.now() - t0) / 1000;
    const lossSeconds = start ? [...start.state.lossSeconds] : [seconds];
    let interrupted = false;
    let iterationSeconds = 0;
    let state: FitState | null = null;
    let factors: Factors = {};
    let said = start ? start.state.messages.length : 0;
    do {
      const before = fit.iteration;
      const next = Math.min(
        (Math.floor(before / CHECK_EVERY) + 1) * CHECK_EVERY,
        (Math.floor(before / checkpointEvery) + 1) * checkpointEvery,
      );
      const t = performance.now();
      const ran = fit.stopReason === null ? await fit.run(next - before) : 0;
      const dt = (performance.now() - t) / 1000;
      for (let i = lossSeconds.length; i < fit.loss.length; i++) {
        lossSeconds.push(seconds + (ran > 0 ? dt * (fit.lossIterations[i] - before) / ran : 0));
      }
      seconds += dt;
      iterationSeconds += dt;
      const complete = fit.stopReason !== null;
      interrupted = !complete && (options.signal?.aborted ?? false);
      const checkpointed = complete || interrupted || fit.iteration % checkpointEvery === 0;
      if (checkpointed) {
        const snap = await fit.snapshot();
        factors = { ...snap.matrices };
        for (const [name, m] of Object.entries(snap.backup ?? {})) factors[BACKUP + name] = m;
        state = {
          iteration: snap.iteration,
          loss: snap.loss,
          lossIterations: snap.lossIterations,
          lossSeconds: [...lossSeconds],
          complete,
          stopReason: snap.stopReason,
          messages: snap.messages,
          seconds,
          model: snap.model,
          extra: snap.extra,
        };
        await writeFactors(options.factorsDir, factors, state);
      }
      const perIt = ran > 0 ? dt / ran : 0;
      options.onProgress?.({
        iteration: fit.iteration,
        maxIter,
        loss: fit.loss[fit.loss.length - 1],
        secondsPerIteration: perIt,
        etaSeconds: perIt * (maxIter - fit.iteration),
        checkpointed,
        messages: fit.messages.slice(said),
      });
      said = fit.messages.length;
    } while (fit.stopReason === null && !interrupted);
    return { factors, state: state!, interrupted, iterationSeconds };
  } finally {
    fit.close();
  }
}
