/**
 * The one fit shell every model runs in: a resumable fit object over a model's
 * state on the GPU. It owns the iteration counter, scikit-learn's stopping rule
 * (stop when (best − current) / initial error < tol at `patience` checks in a
 * row; with patience 1 and a cost that never rises, best is the previous check), the loss
 * history, divergence handling (the state of the last finite check comes back)
 * and snapshots of the whole state that restore bit for bit.
 *
 * @module
 */

import type { GpuMatrix } from "../gpu/gpu_matrix.ts";
import type { FactorizationResult, HostMatrix, StopReason } from "./factorization_result.ts";
import { objectOption } from "./option_schema.ts";

/**
 * What a model supplies to {@linkcode Fit}: its whole state as named GPU
 * matrices (factors and any optimizer state, updated in place), one iteration,
 * and its cost.
 */
export interface FitModel {
  /** The model's name, checked when a snapshot is restored (e.g. "nmf/mu"). */
  readonly name: string;
  /** Every matrix the iterations change, by name; nothing else may carry state across steps. */
  readonly state: Readonly<Record<string, GpuMatrix>>;
  /** Records one iteration on the GPU. */
  step(): void | Promise<void>;
  /** The cost at the current state (reads from the GPU). */
  error(): Promise<number>;
  /** Messages to report (e.g. a raised ridge); the shell drains them and says each once. */
  readonly messages?: string[];
  /** JSON state besides the matrices that the cost depends on, saved in snapshots. */
  extra?: { save(): Record<string, unknown>; load(saved: Record<string, unknown>): void };
  /** Frees every GPU resource of the model, its state included. */
  dispose(): void;
}

/** The stopping rule and iteration limit of a fit. */
export interface FitLimits {
  /** Most iterations. */
  maxIter: number;
  /** scikit-learn's tolerance: a check misses it when (best − current) / initial error < tol (0: never stop). */
  tol: number;
  /** Check the error every this many iterations (and at `maxIter`). */
  checkEvery: number;
  /**
   * Checks in a row that miss the tolerance (none lowers the best cost so far by
   * tol · initial) before the fit stops; default 1, which for a cost that never
   * rises is scikit-learn's rule. More suits costs that wander, as Adam's.
   */
  patience?: number;
}

/** The options of every model's fit: its limits, its seed and the snapshot it continues from. */
export const FIT_OPTIONS = {
  maxIter: { type: "integer", min: 0, default: 200, doc: "Most iterations." },
  tol: {
    type: "number",
    min: 0,
    default: 1e-4,
    doc: "scikit-learn's rule: stop when a check lowers the loss by less than tol · initial " +
      "loss (against the best so far, `patience` checks in a row); 0 runs every iteration.",
  },
  checkEvery: {
    type: "integer",
    min: 1,
    default: 10,
    doc: "Check the loss and the tolerance rule every this many iterations.",
  },
  patience: {
    type: "integer",
    min: 1,
    default: 1,
    doc: "Stop after this many checks in a row that do not lower the best loss so far by " +
      "tol · initial loss (1: scikit-learn's rule).",
  },
  seed: { type: "integer", min: 0, max: 2 ** 32 - 1, default: 0, doc: "Seed of the init." },
  from: objectOption<FitSnapshot | null>(
    "Continue from this snapshot of a fit of the same data and options (skips the init).",
  ),
} as const;

/**
 * The whole state of a fit on the CPU: restoring it continues exactly where
 * it was taken (same factors, bit for bit, as a run that never stopped).
 */
export interface FitSnapshot {
  /** {@linkcode FitModel.name} of the model it came from. */
  model: string;
  /** Iterations done. */
  iteration: number;
  /** Cost at each check, first at iteration 0. */
  loss: number[];
  /** The iteration of each loss entry. */
  lossIterations: number[];
  /** Why the fit stopped, or null while it can go on. */
  stopReason: StopReason | null;
  /** Messages so far, in order. */
  messages: string[];
  /** The model's {@linkcode FitModel.extra} state. */
  extra: Record<string, unknown>;
  /** The state matrices. */
  matrices: Record<string, HostMatrix>;
  /** The state at the last check (what divergence returns to), when that is not the current one. */
  backup: Record<string, HostMatrix> | null;
}

/** How {@linkcode Fit.open} starts. */
export interface FitOpenOptions<F> extends FitLimits {
  /** Turns the state (read back) into the factors a caller sees. */
  output: (state: Record<string, HostMatrix>) => F;
  /** Continue from this snapshot instead of the model's current state. */
  from?: FitSnapshot | null;
  /** Messages to start with (e.g. from pretraining). */
  messages?: string[];
}

async function _read(ms: Readonly<Record<string, GpuMatrix>>): Promise<Record<string, HostMatrix>> {
  const names = Object.keys(ms);
  // Issued together, the reads share one wait for the device.
  const data = await Promise.all(names.map((k) => ms[k].toArray()));
  return Object.fromEntries(
    names.map((k, i) => [k, { rows: ms[k].rows, cols: ms[k].cols, data: data[i] }]),
  );
}

/** The best cost in `loss` and the checks in a row since it that missed the tolerance. */
function _progress(loss: readonly number[], tol: number): { best: number; missed: number } {
  let [best, missed] = [loss[0], 0];
  for (const err of loss.slice(1)) {
    if ((best - err) / loss[0] >= tol) [best, missed] = [err, 0];
    else missed++;
  }
  return { best, missed };
}

function _copy(from: readonly GpuMatrix[], to: readonly GpuMatrix[]): void {
  const enc = from[0].gpu.encoder();
  from.forEach((m, i) => enc.copyBufferToBuffer(m.buffer, 0, to[i].buffer, 0, m.size * 4));
}

/**
 * A fit in progress: {@linkcode Fit.run} iterations, read the loss history,
 * {@linkcode Fit.snapshot} and restore (by {@linkcode Fit.open} with `from`),
 * read the factors, {@linkcode Fit.close}. Every model's `open…Fit` function
 * returns one; the one-call functions (`nmf`, `semiNmf`, …) run it to the end.
 * How a run is cut into `run` calls never changes its result.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { openNmfFit } from "./nmf.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, 0, 1), d: 30, n: 20 };
 * const options = { rank: 3, maxIter: 40, tol: 0 };
 * const fit = await openNmfFit(gpu, x, options);
 * await fit.run(20);
 * const half = await fit.snapshot(); // the whole state after 20 iterations, on the CPU
 * await fit.run(); // to the end
 * console.log(fit.iteration, fit.lossIterations, fit.stopReason); // 40 [0, 10, 20, 30, 40] maxIter
 * const resumed = await openNmfFit(gpu, x, { ...options, from: half });
 * await resumed.run(); // the last 20 iterations again
 * const [a, b] = [(await fit.factors()).W.data, (await resumed.factors()).W.data];
 * console.log(resumed.loss.at(-1) === fit.loss.at(-1), a.every((v, i) => v === b[i])); // true true
 * fit.close();
 * resumed.close();
 * gpu.destroy();
 * ```
 */
export class Fit<F> {
  #model: FitModel;
  #limits: FitLimits;
  #output: (state: Record<string, HostMatrix>) => F;
  #names: string[];
  #backup: GpuMatrix[];
  #backupIteration = 0;
  #iteration = 0;
  #loss: number[] = [];
  #lossIterations: number[] = [];
  #stopReason: StopReason | null = null;
  #messages: string[] = [];
  #said = new Set<string>();
  /** Checks whose cost rose above the previous check's, and the largest relative rise. */
  #rises = { count: 0, largest: 0, at: 0 };

  private constructor(model: FitModel, options: FitOpenOptions<F>) {
    this.#model = model;
    this.#limits = {
      maxIter: options.maxIter,
      tol: options.tol,
      checkEvery: options.checkEvery,
      patience: options.patience ?? 1,
    };
    this.#output = options.output;
    this.#names = Object.keys(model.state);
    this.#backup = this.#names.map((k) => model.state[k].clone());
    for (const m of options.messages ?? []) this.#say(m);
  }

  /**
   * Wraps `model` (which the fit then owns and disposes): checks the initial
   * cost, or restores `options.from`. A snapshot that stopped at its iteration
   * limit goes on when `maxIter` is now larger. Throws an Error when the initial
   * cost is not finite (a failure, not a bad option) and a RangeError when the
   * snapshot does not fit the model.
   */
  static async open<F>(model: FitModel, options: FitOpenOptions<F>): Promise<Fit<F>> {
    const fit = new Fit(model, options);
    try {
      if (options.from) fit.#restore(options.from);
      else {
        const initial = await model.error();
        fit.#drain();
        if (!Number.isFinite(initial)) {
          throw new Error(
            `The initial cost is ${initial}: the data or the initial factors hold NaN or Inf ` +
              `values, or overflow f32; check them`,
          );
        }
        fit.#loss.push(initial);
        fit.#lossIterations.push(0);
        if (options.maxIter === 0) fit.#stopReason = "maxIter";
      }
    } catch (e) {
      fit.close();
      throw e;
    }
    return fit;
  }

  /** Iterations done. */
  get iteration(): number {
    return this.#iteration;
  }

  /** Why the fit stopped ("tol", "maxIter", "diverged"), or null while it can go on. */
  get stopReason(): StopReason | null {
    return this.#stopReason;
  }

  /** The cost at each check, first at iteration 0. */
  get loss(): readonly number[] {
    return this.#loss;
  }

  /** The iteration of each entry of {@linkcode Fit.loss}. */
  get lossIterations(): readonly number[] {
    return this.#lossIterations;
  }

  /** Messages so far (each said once), in order. */
  get messages(): readonly string[] {
    return this.#messages;
  }

  /** The limits it runs under. */
  get limits(): Readonly<FitLimits> {
    return this.#limits;
  }

  /**
   * Runs up to `iterations` more iterations (default: to the end), fewer when
   * the stopping rule, the iteration limit or divergence ends the fit. Each
   * iteration is recorded on the GPU; the cost is read only at checks
   * (multiples of `checkEvery`, and `maxIter`). Returns the iterations run.
   */
  async run(iterations = Infinity): Promise<number> {
    const { maxIter, tol, checkEvery, patience = 1 } = this.#limits;
    const state = this.#names.map((k) => this.#model.state[k]);
    let ran = 0;
    while (ran < iterations && this.#stopReason === null) {
      await this.#model.step();
      const it = ++this.#iteration;
      ran++;
      if (it % checkEvery !== 0 && it !== maxIter) continue;
      const err = await this.#model.error();
      this.#drain();
      if (!Number.isFinite(err)) {
        this.#say(
          `Diverged: the cost is ${err} at iteration ${it}; keeping the state of iteration ` +
            `${this.#backupIteration}`,
        );
        _copy(this.#backup, state);
        this.#stopReason = "diverged";
        break;
      }
      const initial = this.#loss[0];
      const { best, missed } = _progress(this.#loss, tol);
      this.#noteRise(this.#loss[this.#loss.length - 1], err, it);
      this.#loss.push(err);
      this.#lossIterations.push(it);
      _copy(state, this.#backup);
      this.#backupIteration = it;
      const miss = (best - err) / initial < tol;
      if (initial === 0 || (tol > 0 && miss && missed + 1 >= patience)) this.#stopReason = "tol";
      else if (it >= maxIter) this.#stopReason = "maxIter";
    }
    this.#drain();
    const { count, largest, at } = this.#rises;
    if (this.#stopReason !== null && count > 1) {
      this.#say(
        `The cost rose at ${count} of ${this.#loss.length - 1} checks in all (largest ` +
          `+${largest.toExponential(1)} relative, at iteration ${at})`,
      );
    }
    return ran;
  }

  /** Says the first rise of the cost between checks and keeps count of the rest. */
  #noteRise(previous: number, err: number, it: number): void {
    if (!(err > previous)) return;
    const relative = (err - previous) / Math.abs(previous || 1);
    const r = this.#rises;
    if (++r.count === 1) {
      this.#say(
        `The cost rose from ${previous} to ${err} at iteration ${it} (+${
          relative.toExponential(1)
        } relative)${this.#limits.tol > 0 ? "" : "; with tol 0 the fit runs on to maxIter"}`,
      );
    }
    if (relative > r.largest) [r.largest, r.at] = [relative, it];
  }

  /** The whole state on the CPU (one batched read); see {@linkcode FitSnapshot}. */
  async snapshot(): Promise<FitSnapshot> {
    const atCheck = this.#backupIteration === this.#iteration;
    const [matrices, backup] = await Promise.all([
      _read(this.#model.state),
      atCheck ? null : _read(Object.fromEntries(this.#names.map((k, i) => [k, this.#backup[i]]))),
    ]);
    return {
      model: this.#model.name,
      iteration: this.#iteration,
      loss: [...this.#loss],
      lossIterations: [...this.#lossIterations],
      stopReason: this.#stopReason,
      messages: [...this.#messages],
      extra: structuredClone(this.#model.extra?.save() ?? {}),
      matrices,
      backup,
    };
  }

  /** The factors as a caller sees them (read from the GPU). */
  async factors(): Promise<F> {
    return this.#output(await _read(this.#model.state));
  }

  /** The result in the shape every one-call function returns. */
  async result(): Promise<FactorizationResult<F>> {
    return {
      factors: await this.factors(),
      nIter: this.#iteration,
      loss: [...this.#loss],
      lossIterations: [...this.#lossIterations],
      converged: this.#stopReason === "tol",
      stopReason: this.#stopReason ?? "maxIter",
      messages: [...this.#messages],
    };
  }

  /** Frees the model and the fit's GPU memory. Safe to call twice. */
  close(): void {
    for (const b of this.#backup) b.dispose();
    this.#backup = [];
    this.#model.dispose();
  }

  #restore(s: FitSnapshot): void {
    if (s.model !== this.#model.name) {
      throw new RangeError(`The snapshot is of model ${s.model}, not ${this.#model.name}`);
    }
    const names = Object.keys(s.matrices);
    if (names.length !== this.#names.length || this.#names.some((k) => !s.matrices[k])) {
      throw new RangeError(
        `The snapshot holds ${names.join(", ")}; model ${s.model} needs ${this.#names.join(", ")}`,
      );
    }
    const put = (from: Record<string, HostMatrix>, to: GpuMatrix[]) =>
      this.#names.forEach((k, i) => {
        const h = from[k];
        if (h.rows !== to[i].rows || h.cols !== to[i].cols) {
          throw new RangeError(
            `The snapshot's ${k} is ${h.rows} x ${h.cols}; this fit's is ${to[i].rows} x ` +
              `${to[i].cols}`,
          );
        }
        to[i].write(h.data);
      });
    const state = this.#names.map((k) => this.#model.state[k]);
    put(s.matrices, state);
    put(s.backup ?? s.matrices, this.#backup);
    this.#iteration = s.iteration;
    this.#loss = [...s.loss];
    this.#lossIterations = [...s.lossIterations];
    this.#backupIteration = s.backup ? s.lossIterations[s.lossIterations.length - 1] : s.iteration;
    this.#stopReason = s.stopReason === "maxIter" && s.iteration < this.#limits.maxIter
      ? null
      : s.stopReason;
    if (this.#stopReason === null && s.iteration >= this.#limits.maxIter) {
      this.#stopReason = "maxIter";
    }
    for (const m of s.messages) this.#say(m);
    this.#model.extra?.load(structuredClone(s.extra));
  }

  #drain(): void {
    const m = this.#model.messages;
    if (m?.length) { for (const msg of m.splice(0)) this.#say(msg); }
  }

  #say(msg: string): void {
    if (this.#said.has(msg)) return;
    this.#said.add(msg);
    this.#messages.push(msg);
  }
}

/** The part of a {@linkcode FitModel} that a solver's update rule supplies. */
export type Stepper = Pick<FitModel, "step" | "error" | "messages">;

/**
 * Runs a fit to its end, returns its result and closes it (also on error):
 * what every one-call function (`nmf`, `semiNmf`, `gnmf`, …) does.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { openNmfFit } from "./nmf.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, 0, 1), d: 30, n: 20 };
 * const r = await runToEnd(openNmfFit(gpu, x, { rank: 3, maxIter: 30 }));
 * console.log(r.nIter, r.stopReason, r.factors.W.rows, r.factors.H.cols); // 30 maxIter 30 20
 * gpu.destroy();
 * ```
 */
export async function runToEnd<F>(opening: Promise<Fit<F>>): Promise<FactorizationResult<F>> {
  const fit = await opening;
  try {
    await fit.run();
    return await fit.result();
  } finally {
    fit.close();
  }
}
