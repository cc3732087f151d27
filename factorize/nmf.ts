/**
 * Non-negative matrix factorization on the GPU with a scikit-learn-like API.
 *
 * X (d features x n samples, one image per column) ≈ W H with W (d x k) >= 0 and
 * H (k x n) >= 0, minimizing ½‖X − WH‖² (or the KL divergence) plus L1/L2
 * penalties. Data may also come as samples x features (scikit-learn's layout):
 * it stays on the GPU as given and the products use GEMM transpose flags.
 *
 * @module
 */

import { gemm } from "../gpu/gemm.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { checkInput } from "./check_input.ts";
import { type DataInput, DataMatrix } from "./data_matrix.ts";
import type { FactorizationResult, HostMatrix, NmfFactors } from "./factorization_result.ts";
import { Fit, type FitModel, runToEnd, type Stepper } from "./fit.ts";
import { type InitFactors, nndsvdInit, randomInit } from "./init.ts";
import { alsStepper } from "./nmf_als.ts";
import { halsStepper } from "./nmf_hals.ts";
import { klStepper } from "./nmf_kl.ts";
import { muStepper, type StepperOptions } from "./nmf_mu.ts";
import {
  type NmfOptions,
  penalties,
  type ResolvedNmfOptions,
  resolveNmfOptions,
} from "./nmf_options.ts";
import { NmfProblem } from "./nmf_problem.ts";
import { pgdStepper } from "./nmf_pgd.ts";
import { isSparseInput, type SparseDataInput } from "./sparse_data_matrix.ts";
import { OptionError } from "./option_schema.ts";

/** What {@linkcode NMF.fit} takes besides the data: the per-fit options. */
export type NmfFitOptions = Pick<NmfOptions, "mask" | "W" | "H" | "from">;

type StepperFactory = (
  p: NmfProblem,
  w: GpuMatrix,
  h: GpuMatrix,
  o: StepperOptions,
) => { stepper: Stepper; dispose: () => void; state?: Record<string, GpuMatrix> };

function _stepperFor(o: ResolvedNmfOptions): StepperFactory {
  if (o.betaLoss === "kullback-leibler") return klStepper;
  return { mu: muStepper, cd: halsStepper, pgd: pgdStepper, als: alsStepper }[o.solver];
}

/**
 * The fit model of `o`'s solver on W and H, which it then owns with the problem: state
 * W, H (only H with W fixed, for transform) and the solver's own state (PGD's vectors).
 */
function _model(
  problem: NmfProblem,
  w: GpuMatrix,
  h: GpuMatrix,
  o: ResolvedNmfOptions,
  fixW: boolean,
): FitModel {
  const { stepper, dispose, state } = _stepperFor(o)(problem, w, h, {
    penalties: penalties(o, problem.d, problem.n),
    fixW,
  });
  const name = `nmf/${o.betaLoss === "kullback-leibler" ? "kl" : o.solver}`;
  return {
    name: fixW ? `${name}/transform` : name,
    state: fixW ? { H: h, ...state } : { W: w, H: h, ...state },
    ...stepper,
    extra: problem.lossState(),
    dispose() {
      dispose();
      w.dispose();
      h.dispose();
      problem.dispose();
    },
  };
}

/** X over one GPU block is streamed in blocks of samples: Frobenius solvers only. */
function _checkBlocked(gpu: Gpu, input: DataInput | SparseDataInput, o: ResolvedNmfOptions): void {
  if (o.betaLoss !== "kullback-leibler" || isSparseInput(input)) return;
  if (DataMatrix.blockRows(gpu, input) === input.n) return;
  throw new OptionError(
    'Option betaLoss "kullback-leibler" is not supported when X is split into blocks of samples ' +
      '(it exceeds one GPU block, option maxBlockBytes or the storage binding limit): use "frobenius"',
  );
}

async function _init(problem: NmfProblem, o: ResolvedNmfOptions): Promise<InitFactors> {
  const k = o.rank;
  switch (o.init) {
    case "custom":
      return { w: o.W!.data, h: o.H!.data };
    case "random":
      return await randomInit(problem.x, k, { seed: o.seed });
    case "nndsvd":
      return await nndsvdInit(problem.x, k, { seed: o.seed });
    case "nndsvda":
      return await nndsvdInit(problem.x, k, { seed: o.seed, variant: "a" });
    case "nndsvdar":
      return await nndsvdInit(problem.x, k, { seed: o.seed, variant: "ar" });
  }
}

/**
 * Opens a resumable NMF fit (see {@linkcode nmf} for the model and the
 * options): X is uploaded once, the init runs (unless `from` restores a
 * snapshot), and the returned {@linkcode Fit} runs the solver's iterations.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, 0, 1), d: 30, n: 20 };
 * const fit = await openNmfFit(gpu, x, { rank: 3, solver: "cd", maxIter: 50 });
 * await fit.run(20);
 * const snapshot = await fit.snapshot(); // JSON-friendly: store it, close the fit
 * fit.close();
 * const resumed = await openNmfFit(gpu, x, { rank: 3, solver: "cd", maxIter: 50, from: snapshot });
 * console.log(resumed.iteration); // 20: no init, it goes on from the snapshot
 * await resumed.run();
 * resumed.close();
 * gpu.destroy();
 * ```
 */
export async function openNmfFit(
  gpu: Gpu,
  input: DataInput | SparseDataInput,
  options: NmfOptions,
): Promise<Fit<NmfFactors>> {
  const o = resolveNmfOptions(options);
  const { mask = null, from = null } = o;
  checkInput(input, { rank: o.rank, mask, W: o.W ?? null, H: o.H ?? null });
  _checkBlocked(gpu, input, o);
  const problem = await NmfProblem.create(gpu, input, mask);
  const { d, n } = problem;
  const k = o.rank;
  let w: GpuMatrix | null = null;
  let h: GpuMatrix | null = null;
  try {
    const init = from ? null : await _init(problem, o);
    w = init ? GpuMatrix.fromArray(gpu, d, k, init.w) : GpuMatrix.empty(gpu, d, k);
    h = init ? GpuMatrix.fromArray(gpu, k, n, init.h) : GpuMatrix.empty(gpu, k, n);
    const model = _model(problem, w, h, o, false);
    return await Fit.open(model, { ...o, from, output: (s) => ({ W: s.W, H: s.H }) });
  } catch (e) {
    w?.dispose();
    h?.dispose();
    problem.dispose();
    throw e;
  }
}

/**
 * Fits X ≈ W H (see the module doc) and returns W, H, the iteration count, the
 * loss history (scikit-learn's reconstruction error: ‖X − WH‖_F, or
 * sqrt(2 D_KL) for KL, at iteration 0 and every `checkEvery`) and whether the
 * tolerance rule stopped it. All bad input throws before any GPU work.
 * Samples-as-rows X over one GPU block (`input.maxBlockBytes`, default the
 * storage binding limit; CelebA's 200,000 x 4096) is held in blocks of samples
 * and streamed (Frobenius loss only, no mask; see {@linkcode DataMatrix}). X may
 * be sparse ({@linkcode SparseDataInput}: documents x terms in CSR, a TF-IDF
 * corpus): the products are then sparse x dense kernels and KL forms W H only at
 * X's non-zeros (every solver and loss, no mask; see `SparseDataMatrix`).
 * {@linkcode openNmfFit} gives the same fit as a resumable object.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, 0, 1), d: 30, n: 20 };
 * const r = await nmf(gpu, x, { rank: 3, solver: "cd", maxIter: 50 });
 * console.log(r.factors.W.rows, r.factors.H.rows, r.loss.at(-1)! < r.loss[0]); // 30 3 true
 * gpu.destroy();
 * ```
 */
export async function nmf(
  gpu: Gpu,
  input: DataInput | SparseDataInput,
  options: NmfOptions,
): Promise<FactorizationResult> {
  return await runToEnd(openNmfFit(gpu, input, options));
}

/**
 * Solves for H (k x n) with W fixed: the coefficients of new samples, by the
 * same solver and loss as the fit, from a constant start sqrt(mean(X) / k)
 * (scikit-learn's choice).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, 0, 1), d: 30, n: 20 };
 * const r = await nmf(gpu, x, { rank: 3, maxIter: 50 });
 * const xNew = { data: randomArray(seededRandom(2), 30 * 5, 0, 1), d: 30, n: 5 };
 * const h = await nmfTransform(gpu, xNew, { rank: 3, maxIter: 50, W: r.factors.W });
 * console.log(h.rows, h.cols); // 3 5
 * gpu.destroy();
 * ```
 */
export async function nmfTransform(
  gpu: Gpu,
  input: DataInput | SparseDataInput,
  options: NmfOptions & { W: HostMatrix },
): Promise<HostMatrix> {
  const o = resolveNmfOptions({ ...options, init: null, H: null, from: null });
  const { W, mask = null } = o;
  if (!W) throw new OptionError("Option W is required by transform");
  checkInput(input, { rank: o.rank, mask, W });
  _checkBlocked(gpu, input, o);
  const problem = await NmfProblem.create(gpu, input, mask);
  const w = GpuMatrix.fromArray(gpu, problem.d, o.rank, W.data);
  const mean = (await problem.x.sum()) / (problem.d * problem.n);
  const start = Math.sqrt(Math.max(mean, 1e-12) / o.rank);
  const h = GpuMatrix.fromArray(
    gpu,
    o.rank,
    problem.n,
    new Float32Array(o.rank * problem.n).fill(start),
  );
  const model = _model(problem, w, h, o, true);
  const r = await runToEnd(Fit.open(model, { ...o, output: (s) => s.H }));
  return r.factors;
}

/**
 * W H as a d x n host matrix (n x d when `samplesAsRows`), computed on the GPU.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const w = { rows: 2, cols: 1, data: new Float32Array([1, 2]) };
 * const h = { rows: 1, cols: 3, data: new Float32Array([1, 0, 3]) };
 * const xHat = await nmfInverseTransform(gpu, w, h);
 * console.log(xHat.rows, xHat.cols, xHat.data); // 2 3 Float32Array [1, 0, 3, 2, 0, 6]
 * gpu.destroy();
 * ```
 */
export async function nmfInverseTransform(
  gpu: Gpu,
  w: HostMatrix,
  h: HostMatrix,
  options: { samplesAsRows?: boolean } = {},
): Promise<HostMatrix> {
  if (w.cols !== h.rows) {
    throw new RangeError(`Cannot multiply W (${w.rows}x${w.cols}) by H (${h.rows}x${h.cols})`);
  }
  const gw = GpuMatrix.fromArray(gpu, w.rows, w.cols, w.data);
  const gh = GpuMatrix.fromArray(gpu, h.rows, h.cols, h.data);
  const sar = options.samplesAsRows ?? false;
  const out = sar ? GpuMatrix.empty(gpu, h.cols, w.rows) : GpuMatrix.empty(gpu, w.rows, h.cols);
  try {
    if (sar) gemm(gh, gw, out, { transA: true, transB: true });
    else gemm(gw, gh, out);
    return { rows: out.rows, cols: out.cols, data: await out.toArray() };
  } finally {
    for (const m of [gw, gh, out]) m.dispose();
  }
}

/**
 * scikit-learn-style estimator around {@linkcode nmf}: `fit`, `fitTransform`,
 * `transform`, `inverseTransform`, and after a fit `components` (W, d x k),
 * `reconstructionError`, `nIter`, `converged`, `result`.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, 0, 1), d: 30, n: 20 };
 * const model = new Nmf(gpu, { rank: 3, solver: "mu", maxIter: 50 });
 * const h = await model.fitTransform(x); // 3 x 20
 * const xNew = { data: randomArray(seededRandom(2), 30 * 5, 0, 1), d: 30, n: 5 };
 * const hNew = await model.transform(xNew); // 3 x 5, with W fixed
 * console.log(h.cols, hNew.cols, model.nIter, model.components.rows); // 20 5 50 30
 * gpu.destroy();
 * ```
 */
export class Nmf {
  /** The device. */
  readonly gpu: Gpu;
  /** Options with defaults filled in. */
  readonly options: ResolvedNmfOptions;
  /** The last fit, or null. */
  result: FactorizationResult | null = null;

  /** Checks `options` (throws an OptionError naming the option). */
  constructor(gpu: Gpu, options: NmfOptions) {
    this.gpu = gpu;
    this.options = resolveNmfOptions(options);
  }

  /** Fits W and H to `x`. */
  async fit(x: DataInput | SparseDataInput, fit: NmfFitOptions = {}): Promise<FactorizationResult> {
    this.result = await nmf(this.gpu, x, { ...this.options, ...fit });
    return this.result;
  }

  /** Fits and returns H (k x n). */
  async fitTransform(x: DataInput | SparseDataInput, fit: NmfFitOptions = {}): Promise<HostMatrix> {
    return (await this.fit(x, fit)).factors.H;
  }

  /** H for new samples with W fixed. */
  async transform(
    x: DataInput | SparseDataInput,
    options: { mask?: Float32Array | Uint8Array | null } = {},
  ): Promise<HostMatrix> {
    return await nmfTransform(this.gpu, x, {
      ...this.options,
      W: this.#fitted().factors.W,
      ...options,
    });
  }

  /** W H for coefficients `h` (k x n): d x n, or n x d with `samplesAsRows`. */
  async inverseTransform(
    h: HostMatrix,
    options: { samplesAsRows?: boolean } = {},
  ): Promise<HostMatrix> {
    return await nmfInverseTransform(this.gpu, this.#fitted().factors.W, h, options);
  }

  /** W (d x k). */
  get components(): HostMatrix {
    return this.#fitted().factors.W;
  }

  /** The final reconstruction error. */
  get reconstructionError(): number {
    return this.#fitted().loss.at(-1)!;
  }

  /** Whether the tolerance rule stopped the fit. */
  get converged(): boolean {
    return this.#fitted().converged;
  }

  /** Iterations of the fit. */
  get nIter(): number {
    return this.#fitted().nIter;
  }

  #fitted(): FactorizationResult {
    if (!this.result) throw new Error("Nmf model is not fitted: call fit() first");
    return this.result;
  }
}
