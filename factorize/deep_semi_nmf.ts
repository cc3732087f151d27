/**
 * Deep Semi-NMF (Trigeorgis, Bousmalis, Zafeiriou & Schuller, "A Deep Semi-NMF
 * Model for Learning Hidden Representations", ICML 2014) and its weakly supervised
 * form Deep WSF ("A Deep Matrix Factorization Method for Learning Attribute
 * Representations", TPAMI 2017): X (d x n, any sign) ≈ Z₁ Z₂ ⋯ Z_m H_m with
 * Z₁ (d x k₁), Z_i (k_{i−1} x k_i) unconstrained and every layer's H_i (k_i x n)
 * >= 0, H_i ≈ Z_{i+1} ⋯ Z_m H_m, following the authors' MATLAB (deep_seminmf.m,
 * apriori/ssdeep_seminmf.m).
 *
 * @module
 */

import { elementwise } from "../gpu/elementwise.ts";
import { gemm } from "../gpu/gemm.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { type CsrGraph, GpuCsr } from "../gpu/gpu_csr.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { graphTrace } from "../gpu/graph_trace.ts";
import { reduceToNumber } from "../gpu/reduce.ts";
import { checkInput } from "./check_input.ts";
import { invertSpd } from "./cholesky.ts";
import { spdInverse } from "../gpu/spd_inverse.ts";
import { SpdStatus } from "../gpu/spd_status.ts";
import { type DataInput, DataMatrix } from "./data_matrix.ts";
import type { FactorizationResult, HostMatrix } from "./factorization_result.ts";
import { NmfProblem } from "./nmf_problem.ts";
import { _number, _oneOf } from "./nmf_options.ts";
import { normalizeColumns } from "./normalize_columns.ts";
import { semiNmf, semiNmfUpdateH } from "./semi_nmf.ts";
import { Fit, type FitModel, type FitSnapshot, runToEnd, type Stepper } from "./fit.ts";
import { checkGraph } from "./check_graph.ts";

/** The layers of a fitted deep model. */
export interface DeepFactors {
  /** Z₁ (d x k₁), Z₂ (k₁ x k₂), …, Z_m (k_{m−1} x k_m); any sign. */
  Z: HostMatrix[];
  /** H₁ (k₁ x n), …, H_m (k_m x n); non-negative. H_m is the deepest representation. */
  H: HostMatrix[];
  /** Whether the samples were scaled to unit L2 norm before the fit (transform does the same). */
  normalized: boolean;
}

/** Options of {@linkcode deepSemiNmf}. */
export interface DeepSemiNmfOptions {
  /** Layer sizes [k₁, …, k_m], non-increasing, k₁ <= min(d, n). Required. */
  layers: number[];
  /** Scale every sample (column of X) to unit L2 norm first, as the authors do. Default true. */
  normalize?: boolean;
  /** Most fine-tuning iterations (sweeps over all layers). Default 200. */
  maxIter?: number;
  /** Most semi-NMF iterations of each layer's pretraining. Default 200. */
  pretrainMaxIter?: number;
  /** scikit-learn's tolerance rule, for pretraining and fine-tuning. Default 1e-4. */
  tol?: number;
  /** Check the cost every this many iterations. Default 10. */
  checkEvery?: number;
  /**
   * How each layer's pretraining starts H_i (from V = X, then H₁, …): "kmeans" (Ding et
   * al.'s cluster indicators + 0.2, the default), "nndsvd" (H of NNDSVD of |V|, as the
   * authors' MATLAB seminmf.m; its zeros stay zero under the multiplicative updates, which
   * blunts Deep WSF's graph terms) or "svd" (the authors' Python `appr_seminmf`: an H
   * whose least-squares Z reproduces V's rank-(k_i − 1) SVD). On ORL none of them made
   * Deep Semi-NMF beat semi-NMF (tests/factorize/deep_semi_nmf_test.ts).
   */
  pretrainInit?: "kmeans" | "nndsvd" | "svd";
  /** Seed of the initialization of each layer's pretraining (layer i uses seed + i). Default 0. */
  seed?: number;
  /** Relative ridge of the k x k solves (grows x10 on failure). Default 1e-10. */
  ridge?: number;
  /**
   * Deep WSF: a graph per layer (n x n sparse, e.g. from {@linkcode attributeGraphs}),
   * or null for an unsupervised layer. Adds λ_i tr(H_i L_i H_iᵀ) to the cost.
   */
  graphs?: (CsrGraph | null)[];
  /** λ_i of each layer's graph term (>= 0). Default 1 for every layer (the authors' default). */
  lambdas?: number[];
  /** "pretrain" (default) or "custom": skip pretraining and fine-tune from `Z` and `H`. */
  init?: "pretrain" | "custom";
  /** Z₁ … Z_m to continue from (init "custom"), shaped as {@linkcode DeepFactors.Z}. */
  Z?: HostMatrix[];
  /** H₁ … H_m to continue from (init "custom"), shaped as {@linkcode DeepFactors.H}. */
  H?: HostMatrix[];
  /** Continue fine-tuning from this snapshot of a fit of the same data and options. */
  from?: FitSnapshot | null;
}

/** How one layer's pretraining went. */
export interface PretrainReport {
  /** Iterations run. */
  nIter: number;
  /** Cost at each checked iteration. */
  loss: number[];
  /** Whether the tolerance rule stopped it. */
  converged: boolean;
}

/** The result of {@linkcode deepSemiNmf}: fine-tuning's loop report plus pretraining's. */
export interface DeepSemiNmfResult extends FactorizationResult<DeepFactors> {
  /** One report per layer. */
  pretraining: PretrainReport[];
}

interface _Layer {
  /** Z_i on the GPU. */
  z: GpuMatrix;
  h: GpuMatrix;
  graph: GpuCsr | null;
  lambda: number;
}

/**
 * One fine-tuning sweep of the authors' deep_seminmf.m, with every pseudo-inverse
 * through k x k solves. There H̃_m = H_m, H̃_i = Z_{i+1} H̃_{i+1} = C_i H_m with
 * C_i = Z_{i+1} ⋯ Z_m (k_i x k_m, the Z's of the last sweep), and for i = 1..m
 * Z_i = Ψ_{i−1}⁺ X H̃_i⁺ (Ψ_{i−1} = Z₁ ⋯ Z_{i−1} with this sweep's Z's, Ψ₀ = I), then
 * the semi-NMF update of H_i with Ψ_iᵀX and Ψ_iᵀΨ_i (plus the graph terms).
 *
 * Computed exactly but stably: with P = X H_mᵀ (d x k_m) and
 * R_i = (H_m H_mᵀ)⁻¹ (C_iᵀC_i)⁻¹ C_iᵀ (k_m x k_i) = H̃_i⁺'s right factor (H̃_i⁺ = H_m⁺ C_i⁺,
 * C_i of full column rank, H_m of full row rank), Z₁ = X H̃₁⁺ = P R₁, and by induction
 * Ψ_i = P R_i, so Z_i = Ψ_{i−1}⁺ X H̃_i⁺ = R_{i−1}⁺ (PᵀP)⁻¹ PᵀX H_mᵀ R_i = R_{i−1}⁺ R_i
 * (as PᵀX H_mᵀ = PᵀP). Ψ_i has rank k_m, so Ψ_iᵀΨ_i is singular for i < m and the
 * literal (Ψᵀ Ψ)⁻¹Ψᵀ would be ill-posed; here only H_m H_mᵀ, C_iᵀC_i and R_iR_iᵀ
 * (k x k, full rank) are inverted, by Cholesky on the GPU (the ridge grows on the device
 * when one is singular; said at the next loss check), so a sweep reads nothing back.
 * Ψ_iᵀX = R_iᵀ (PᵀX), so X enters only P = X H_mᵀ and PᵀX: two d x n x k_m products per
 * sweep. Ψ_iᵀΨ_i is the
 * Gram of Ψ_i = P R_i formed explicitly (d x k_i, cheap): the shorter R_iᵀ (PᵀP) R_i
 * loses f32 precision when P's columns are nearly parallel (samples with a large common
 * mean, k-means indicators + 0.2 as H): at n = 20,000, d = 256, k = 64 it was 11% from
 * float64 against 0.3% for the explicit Gram, while R_iᵀ (PᵀX) stays as close as Ψ_iᵀX.
 */
function _fineTuneStepper(
  problem: NmfProblem,
  layers: _Layer[],
  ridge: number | undefined,
): { stepper: Stepper; dispose: () => void } {
  const gpu = problem.gpu;
  const x = problem.x;
  const { d, n } = problem;
  const m = layers.length;
  const ks = layers.map((l) => l.h.rows);
  const km = ks[m - 1];
  const hm = layers[m - 1].h;
  const held: GpuMatrix[] = [];
  const mk = (rows: number, cols: number) => {
    const mtx = GpuMatrix.empty(gpu, rows, cols);
    held.push(mtx);
    return mtx;
  };
  const status = SpdStatus.create(gpu);
  const gm = mk(km, km);
  const gInv = mk(km, km);
  const sq = mk(km, km); // CᵢᵀCᵢ or R_{i−1}R_{i−1}ᵀ
  const sqInv = mk(km, km);
  const p = mk(d, km);
  const f = mk(km, n);
  // C_i = Z_{i+1} ⋯ Z_m (k_i x k_m) for i < m − 1 (C_{m−2} is Z_m itself), R_i (k_m x k_i),
  // and a k_m x k_i scratch per layer; Ψ_i = P R_i (d x k_i) for i > 0 (Ψ₁ is Z₁).
  const c = ks.map((k, i) => (i < m - 2 ? mk(k, km) : null));
  const r = ks.map((k, i) => (i < m - 1 ? mk(km, k) : gInv));
  const t = ks.map((k) => mk(km, k));
  const psis = ks.map((k, i) => (i === 0 ? null : mk(d, k)));
  const a = ks.map((k) => mk(k, n));
  const b = ks.map((k) => mk(k, k));
  const psi = m > 1 ? mk(d, km) : null;
  const cOf = (i: number) => (i === m - 2 ? layers[m - 1].z : c[i]!);
  const messages: string[] = [];
  const stepper: Stepper = {
    messages,
    step() {
      gemm(hm, hm, gm, { transB: true });
      x.timesHt(hm, p);
      x.wtTimes(p, f);
      spdInverse(gm, gInv, { status, ridge });
      // R_i = (H_m H_mᵀ)⁻¹ (C_iᵀC_i)⁻¹ C_iᵀ from the Z's of the last sweep.
      for (let i = m - 3; i >= 0; i--) gemm(layers[i + 1].z, cOf(i + 1), c[i]!);
      for (let i = m - 2; i >= 0; i--) {
        gemm(cOf(i), cOf(i), sq, { transA: true });
        spdInverse(sq, sqInv, { status, ridge });
        gemm(sqInv, cOf(i), t[i], { transB: true });
        gemm(gInv, t[i], r[i]);
      }
      for (let i = 0; i < m; i++) {
        if (i === 0) gemm(p, r[0], layers[0].z);
        else {
          // Z_i = R_{i−1}⁺ R_i = R_{i−1}ᵀ (R_{i−1} R_{i−1}ᵀ)⁻¹ R_i
          gemm(r[i - 1], r[i - 1], sq, { transB: true });
          spdInverse(sq, sqInv, { status, ridge });
          gemm(sqInv, r[i], t[i]);
          gemm(r[i - 1], t[i], layers[i].z, { transA: true });
        }
        gemm(r[i], f, a[i], { transA: true });
        let psiI = layers[0].z;
        if (i > 0) {
          psiI = psis[i]!;
          gemm(p, r[i], psiI);
        }
        gemm(psiI, psiI, b[i], { transA: true });
        semiNmfUpdateH(layers[i].h, {
          gram: b[i],
          numer: a[i],
          graph: layers[i].graph,
          lambda: layers[i].lambda,
        });
      }
    },
    async error() {
      let w = layers[0].z;
      if (psi) {
        // Ψ_m = Z₁ (Z₂ (⋯ Z_m)), the inner products into the C scratch
        let prod = layers[m - 1].z;
        for (let i = m - 2; i >= 1; i--) {
          gemm(layers[i].z, prod, c[i - 1]!);
          prod = c[i - 1]!;
        }
        gemm(layers[0].z, prod, psi);
        w = psi;
      }
      // The status read is issued with the loss's first read: one wait for both.
      const [e, msg] = await Promise.all([
        problem.error(w, hm, "frobenius"),
        status.message({ ridge }),
      ]);
      if (msg) messages.push(`Deep Semi-NMF: ${msg}`);
      let sqCost = e * e;
      for (const l of layers) {
        if (l.graph && l.lambda > 0) sqCost += l.lambda * await graphTrace(l.h, l.graph);
      }
      return Math.sqrt(Math.max(sqCost, 0));
    },
  };
  const dispose = () => {
    for (const mtx of held) mtx.dispose();
    status.dispose();
  };
  return { stepper, dispose };
}

interface _Resolved {
  layers: number[];
  normalize: boolean;
  pretrainInit: "kmeans" | "nndsvd" | "svd";
  maxIter: number;
  pretrainMaxIter: number;
  tol: number;
  checkEvery: number;
  seed: number;
  ridge: number | undefined;
  graphs: (CsrGraph | null)[];
  lambdas: number[];
  start: { Z: HostMatrix[]; H: HostMatrix[] } | null;
  from: FitSnapshot | null;
}

/** The factors of init "custom", checked against the layer sizes and the data. */
function _start(o: DeepSemiNmfOptions, layers: number[], d: number, n: number) {
  const init = _oneOf("init", o.init ?? "pretrain", ["pretrain", "custom"] as const);
  if (init === "pretrain") return null;
  const m = layers.length;
  const check = (name: string, list: HostMatrix[] | undefined, shape: (i: number) => number[]) => {
    if (!Array.isArray(list) || list.length !== m) {
      throw new TypeError(`Option init "custom" needs ${name} with one matrix per layer (${m})`);
    }
    list.forEach((mtx, i) => {
      const [r, c] = shape(i);
      if (mtx?.rows !== r || mtx.cols !== c || mtx.data?.length !== r * c) {
        throw new RangeError(`Option ${name}[${i}] must be ${r} x ${c} for init "custom"`);
      }
    });
    return list;
  };
  return {
    Z: check("Z", o.Z, (i) => [i === 0 ? d : layers[i - 1], layers[i]]),
    H: check("H", o.H, (i) => [layers[i], n]),
  };
}

function _resolve(input: DataInput, options: DeepSemiNmfOptions): _Resolved {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Deep Semi-NMF options must be an object with at least { layers }");
  }
  const known = new Set([
    "layers",
    "normalize",
    "pretrainInit",
    "maxIter",
    "pretrainMaxIter",
    "tol",
    "checkEvery",
    "seed",
    "ridge",
    "graphs",
    "lambdas",
    "init",
    "Z",
    "H",
    "from",
  ]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`Unknown Deep Semi-NMF option ${key}`);
  }
  if (!Array.isArray(options.layers) || options.layers.length === 0) {
    throw new TypeError("Option layers must be a non-empty array of layer sizes, e.g. [128, 40]");
  }
  const layers = options.layers.map((k, i) => _number(`layers[${i}]`, k, 1, 2 ** 31, true));
  for (let i = 1; i < layers.length; i++) {
    if (layers[i] > layers[i - 1]) {
      throw new RangeError(
        `Option layers must not grow: layers[${i}] = ${layers[i]} > layers[${i - 1}] = ` +
          `${layers[i - 1]}`,
      );
    }
  }
  const m = layers.length;
  const n = input?.n;
  const graphs = options.graphs ?? new Array(m).fill(null);
  if (!Array.isArray(graphs) || graphs.length !== m) {
    throw new RangeError(`Option graphs must have one entry (a graph or null) per layer (${m})`);
  }
  graphs.forEach((g, i) => checkGraph(`graphs[${i}]`, g, n));
  const lambdas = options.lambdas ?? new Array(m).fill(1);
  if (!Array.isArray(lambdas) || lambdas.length !== m) {
    throw new RangeError(`Option lambdas must have one number per layer (${m})`);
  }
  lambdas.forEach((l, i) => _number(`lambdas[${i}]`, l, 0, Infinity, false));
  const ridge = options.ridge === undefined
    ? undefined
    : _number("ridge", options.ridge, 0, Infinity, false);
  if (options.normalize !== undefined && typeof options.normalize !== "boolean") {
    throw new TypeError("Option normalize must be true or false");
  }
  return {
    layers,
    normalize: options.normalize ?? true,
    pretrainInit: _oneOf(
      "pretrainInit",
      options.pretrainInit ?? "kmeans",
      ["kmeans", "nndsvd", "svd"] as const,
    ),
    maxIter: _number("maxIter", options.maxIter ?? 200, 0, 1e9, true),
    pretrainMaxIter: _number("pretrainMaxIter", options.pretrainMaxIter ?? 200, 0, 1e9, true),
    tol: _number("tol", options.tol ?? 1e-4, 0, Infinity, false),
    checkEvery: _number("checkEvery", options.checkEvery ?? 10, 1, 1e9, true),
    seed: _number("seed", options.seed ?? 0, 0, 2 ** 32 - 1, true),
    ridge,
    graphs,
    lambdas,
    start: _start(options, layers, input?.d, n),
    from: options.from ?? null,
  };
}

async function _host(m: GpuMatrix): Promise<HostMatrix> {
  return { rows: m.rows, cols: m.cols, data: await m.toArray() };
}

/** Layer-wise pretraining: semi-NMF (with the layer's graph term) of X, then of H₁, …. */
async function _pretrain(
  gpu: Gpu,
  data: DataInput,
  o: _Resolved,
): Promise<{ Z: HostMatrix[]; H: HostMatrix[]; reports: PretrainReport[]; messages: string[] }> {
  const out = { Z: [] as HostMatrix[], H: [] as HostMatrix[], reports: [] as PretrainReport[] };
  const messages: string[] = [];
  for (let i = 0; i < o.layers.length; i++) {
    const v: DataInput = i === 0
      ? data
      : { data: out.H[i - 1].data, d: o.layers[i - 1], n: data.n };
    const r = await semiNmf(gpu, v, {
      rank: o.layers[i],
      init: o.pretrainInit,
      seed: o.seed + i,
      maxIter: o.pretrainMaxIter,
      tol: o.tol,
      checkEvery: o.checkEvery,
      ...(o.ridge === undefined ? {} : { ridge: o.ridge }),
      graph: o.graphs[i],
      lambda: o.lambdas[i],
    });
    out.Z.push(r.factors.W);
    out.H.push(r.factors.H);
    out.reports.push({ nIter: r.nIter, loss: r.loss, converged: r.converged });
    messages.push(...r.messages.map((s) => `Layer ${i} pretraining: ${s}`));
    messages.push(
      `Pretraining layer ${i + 1}: ${r.nIter} iterations, cost ${r.loss[0]?.toPrecision(5)} -> ` +
        `${r.loss.at(-1)?.toPrecision(5)}${r.converged ? " (converged)" : ""}`,
    );
  }
  return { ...out, messages };
}

async function _open(
  gpu: Gpu,
  input: DataInput,
  options: DeepSemiNmfOptions,
): Promise<{ fit: Fit<DeepFactors>; pretraining: PretrainReport[] }> {
  const o = _resolve(input, options);
  checkInput(input, { rank: o.layers[0], allowNegative: true });
  const data = o.normalize ? normalizeColumns(input) : input;
  const m = o.layers.length;
  const pre = o.from || o.start ? null : await _pretrain(gpu, data, o);
  const start = o.start ?? pre;
  const problem = await NmfProblem.create(gpu, data);
  const layers: _Layer[] = [];
  const free = () => {
    for (const l of layers) [l.z, l.h, l.graph].forEach((g) => g?.dispose());
    problem.dispose();
  };
  try {
    for (let i = 0; i < m; i++) {
      const [rows, k] = [i === 0 ? problem.d : o.layers[i - 1], o.layers[i]];
      const csr = o.graphs[i] ? GpuCsr.fromGraph(gpu, o.graphs[i]!) : null;
      layers.push({
        z: start
          ? GpuMatrix.fromArray(gpu, rows, k, start.Z[i].data)
          : GpuMatrix.empty(gpu, rows, k),
        h: start
          ? GpuMatrix.fromArray(gpu, k, problem.n, start.H[i].data)
          : GpuMatrix.empty(gpu, k, problem.n),
        graph: csr,
        lambda: o.lambdas[i],
      });
    }
  } catch (e) {
    free();
    throw e;
  }
  const { stepper, dispose } = _fineTuneStepper(problem, layers, o.ridge);
  const state: Record<string, GpuMatrix> = {};
  layers.forEach((l, i) => state[`Z${i + 1}`] = l.z);
  layers.forEach((l, i) => state[`H${i + 1}`] = l.h);
  const model: FitModel = {
    name: "deep-semi-nmf",
    state,
    ...stepper,
    extra: problem.lossState(),
    dispose() {
      dispose();
      free();
    },
  };
  const fit = await Fit.open(model, {
    maxIter: o.maxIter,
    tol: o.tol,
    checkEvery: o.checkEvery,
    from: o.from,
    messages: pre?.messages,
    output: (s) => ({
      Z: layers.map((_, i) => s[`Z${i + 1}`]),
      H: layers.map((_, i) => s[`H${i + 1}`]),
      normalized: o.normalize,
    }),
  });
  return { fit, pretraining: pre?.reports ?? [] };
}

/**
 * Opens a resumable Deep Semi-NMF / Deep WSF fit (see {@linkcode deepSemiNmf}):
 * pretrains every layer (unless `init` is "custom" or `from` restores a
 * snapshot) and returns the {@linkcode Fit} whose iterations are fine-tuning
 * sweeps. Its state is Z1…Zm, H1…Hm.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, -1, 1), d: 30, n: 20 };
 * const options = { layers: [6, 3], pretrainMaxIter: 20, maxIter: 20 };
 * const fit = await openDeepSemiNmfFit(gpu, x, options); // pretrains both layers
 * await fit.run(10);
 * const snapshot = await fit.snapshot(); // Z1, Z2, H1, H2 and the loss history
 * fit.close();
 * // reopened from a snapshot, it skips pretraining
 * const resumed = await openDeepSemiNmfFit(gpu, x, { ...options, from: snapshot });
 * await resumed.run();
 * const { H } = await resumed.factors();
 * console.log(H.map((h) => `${h.rows} x ${h.cols}`)); // ["6 x 20", "3 x 20"]
 * resumed.close();
 * gpu.destroy();
 * ```
 */
export async function openDeepSemiNmfFit(
  gpu: Gpu,
  input: DataInput,
  options: DeepSemiNmfOptions,
): Promise<Fit<DeepFactors>> {
  return (await _open(gpu, input, options)).fit;
}

/**
 * Fits Deep Semi-NMF, or Deep WSF when `graphs` are given, minimizing
 * ‖X − Z₁ ⋯ Z_m H_m‖²_F + Σ_i λ_i tr(H_i L_i H_iᵀ) (L_i = D_i − W_i of layer i's
 * graph). Pretraining: layer by layer, semi-NMF (with the layer's graph term) of X
 * into Z₁H₁, of H₁ into Z₂H₂, …, from Ding et al.'s k-means init (or NNDSVD, option
 * `pretrainInit`). Fine-tuning:
 * sweeps Z_i = Ψ_{i−1}⁺ X H̃_i⁺ and
 * H_i ← H_i ⊙ sqrt(([Ψ_iᵀX]⁺ + [Ψ_iᵀΨ_i]⁻H_i + λ_i H_i W_i) / ([Ψ_iᵀX]⁻ + [Ψ_iᵀΨ_i]⁺H_i + λ_i H_i D_i))
 * for i = 1..m (Trigeorgis et al., ICML 2014 / TPAMI 2017), all on the GPU, k x k
 * solves included (no readback inside a sweep). `loss` is sqrt of the cost (‖X − Ψ_m H_m‖_F without graphs), at
 * iteration 0 (after pretraining) and every `checkEvery`; it never rises without
 * graphs, while graph terms on layers below the last may make it rise a little (the
 * H_i updates of those layers also fit X ≈ Ψ_i H_i, which is not in the cost).
 * {@linkcode openDeepSemiNmfFit} gives the same fit as a resumable object.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, -1, 1), d: 30, n: 20 };
 * const r = await deepSemiNmf(gpu, x, { layers: [6, 3], pretrainMaxIter: 20, maxIter: 20 });
 * const features = r.factors.H[1]; // 3 x 20, the deepest layer
 * console.log(features.rows, features.cols, r.pretraining.length); // 3 20 2
 * gpu.destroy();
 * ```
 */
export async function deepSemiNmf(
  gpu: Gpu,
  input: DataInput,
  options: DeepSemiNmfOptions,
): Promise<DeepSemiNmfResult> {
  const { fit, pretraining } = await _open(gpu, input, options);
  return { ...await runToEnd(Promise.resolve(fit)), pretraining };
}

/** Options of {@linkcode deepTransform}. */
export interface DeepTransformOptions {
  /** The fitted model (its Z's; `normalized` says whether to scale the samples first). */
  factors: DeepFactors;
  /**
   * "pinv": H_j = max(Ψ_j⁺ X, 0), as in the authors' code (default); "mu": that, lifted
   * off zero, then `iterations` semi-NMF updates of H_j with Ψ_j = Z₁ ⋯ Z_j fixed.
   */
  method?: "pinv" | "mu";
  /** Updates of method "mu". Default 30. */
  iterations?: number;
  /** Relative ridge of the k x k solves. Default 1e-10. */
  ridge?: number;
}

/**
 * Features of new samples X (d x n) for every layer of a fitted Deep Semi-NMF /
 * Deep WSF model: H_j (k_j x n) >= 0 with X ≈ Ψ_j H_j, Ψ_j = Z₁ ⋯ Z_j (Trigeorgis
 * et al., ICML 2014), by the pseudo-inverse (default) or multiplicative updates.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, -1, 1), d: 30, n: 20 };
 * const r = await deepSemiNmf(gpu, x, { layers: [6, 3], pretrainMaxIter: 20, maxIter: 20 });
 * const xNew = { data: randomArray(seededRandom(2), 30 * 5, -1, 1), d: 30, n: 5 };
 * const [h1, h2] = await deepTransform(gpu, xNew, { factors: r.factors });
 * console.log(h1.rows, h2.rows, h2.cols); // 6 3 5
 * gpu.destroy();
 * ```
 */
export async function deepTransform(
  gpu: Gpu,
  input: DataInput,
  options: DeepTransformOptions,
): Promise<HostMatrix[]> {
  if (typeof options !== "object" || options === null || !options.factors) {
    throw new TypeError("Option factors (a fitted model's DeepFactors) is required by transform");
  }
  const f = options.factors;
  const method = _oneOf("method", options.method ?? "pinv", ["pinv", "mu"] as const);
  const iterations = _number("iterations", options.iterations ?? 30, 0, 1e9, true);
  if (!Array.isArray(f.Z) || f.Z.length === 0) {
    throw new TypeError("Option factors.Z must be a non-empty array of layers");
  }
  if (f.Z[0].rows !== input?.d) {
    throw new RangeError(
      `Option factors has Z₁ with ${f.Z[0].rows} rows; the data has d = ${input?.d}`,
    );
  }
  checkInput(input, { rank: 1, allowNegative: true });
  const data = f.normalized ? normalizeColumns(input) : input;
  const x = DataMatrix.upload(gpu, data);
  const n = input.n;
  const held: GpuMatrix[] = [];
  const keep = (mtx: GpuMatrix) => (held.push(mtx), mtx);
  try {
    let psi = keep(GpuMatrix.fromArray(gpu, f.Z[0].rows, f.Z[0].cols, f.Z[0].data));
    const out: HostMatrix[] = [];
    for (let j = 0; j < f.Z.length; j++) {
      if (j > 0) {
        const zj = keep(GpuMatrix.fromArray(gpu, f.Z[j].rows, f.Z[j].cols, f.Z[j].data));
        const next = keep(GpuMatrix.empty(gpu, psi.rows, zj.cols));
        gemm(psi, zj, next);
        psi = next;
      }
      const k = psi.cols;
      const gram = keep(GpuMatrix.empty(gpu, k, k));
      const numer = keep(GpuMatrix.empty(gpu, k, n));
      const sol = keep(GpuMatrix.empty(gpu, k, n));
      const h = keep(GpuMatrix.empty(gpu, k, n));
      gemm(psi, psi, gram, { transA: true });
      x.wtTimes(psi, numer);
      const inv = invertSpd(await gram.toArray(), k, { ridge: options.ridge });
      const invM = keep(GpuMatrix.fromArray(gpu, k, k, Float32Array.from(inv.x)));
      gemm(invM, numer, sol);
      elementwise("signedPart", h, { a: sol, s: [1] });
      if (method === "mu") {
        const mean = (await reduceToNumber("sum", h)) / (k * n);
        elementwise("affine", h, { s: [1, 0.2 * Math.max(mean, 1e-6)] });
        for (let t = 0; t < iterations; t++) semiNmfUpdateH(h, { gram, numer });
      }
      out.push(await _host(h));
    }
    return out;
  } finally {
    for (const mtx of held) mtx.dispose();
    x.dispose();
  }
}
