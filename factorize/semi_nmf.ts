/**
 * Semi-NMF (Ding, Li & Jordan 2010, "Convex and semi-nonnegative matrix
 * factorizations"): X (d x n, any sign) ≈ Z H with Z (d x k) unconstrained and
 * H (k x n) >= 0, minimizing ‖X − ZH‖². The H update and the k x k solve are
 * exported for Deep Semi-NMF.
 *
 * @module
 */

import { elementwise } from "../gpu/elementwise.ts";
import { gemm } from "../gpu/gemm.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { type CsrGraph, GpuCsr } from "../gpu/gpu_csr.ts";
import { graphTrace } from "../gpu/graph_trace.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { spdInverse } from "../gpu/spd_inverse.ts";
import { SpdStatus } from "../gpu/spd_status.ts";
import { scaleColumns, spmm } from "../gpu/spmm.ts";
import { checkInput } from "./check_input.ts";
import { nndsvdInit } from "./init.ts";
import { kmeansInitH } from "./kmeans_init.ts";
import { randomizedSvd } from "./randomized_svd.ts";
import { type DataInput, DataMatrix } from "./data_matrix.ts";
import type { FactorizationResult, HostMatrix, NmfFactors } from "./factorization_result.ts";
import { Fit, FIT_OPTIONS, type FitModel, runToEnd, type Stepper } from "./fit.ts";
import { checkGraph } from "./check_graph.ts";
import { NMF_OPTIONS } from "./nmf_options.ts";
import { objectOption, OptionError, type OptionsOf, resolveOptions } from "./option_schema.ts";
import { MU_DENOMINATOR_FLOOR } from "./nmf_mu.ts";
import { NmfProblem } from "./nmf_problem.ts";
import { seededRandom } from "./seeded_random.ts";

/** The options of {@linkcode semiNmf} and {@linkcode openSemiNmfFit}. */
export const SEMI_NMF_OPTIONS = {
  rank: NMF_OPTIONS.rank,
  init: {
    type: "string",
    oneOf: ["kmeans", "nndsvd", "svd", "random", "custom"],
    default: "kmeans",
    doc: "How H starts: kmeans (Ding et al.: cluster indicators + 0.2), nndsvd (H of NNDSVD " +
      "of |X|, as Trigeorgis et al.'s seminmf.m), svd (the authors' Python appr_seminmf) " +
      "or random.",
  },
  H: objectOption<HostMatrix | null>('Initial H (k x n, >= 0) for init "custom".'),
  ridge: {
    type: "number",
    min: 0,
    default: 1e-10,
    doc: "Relative ridge of the k x k solves (grows x10 on the GPU when one fails).",
  },
  graph: objectOption<CsrGraph | null>(
    "A sample graph S (n x n): adds λ tr(H L Hᵀ), L = D − S, to the cost (a Deep WSF layer).",
  ),
  lambda: { type: "number", min: 0, default: 1, doc: "λ of the graph term." },
  ...FIT_OPTIONS,
} as const;

/** Options of {@linkcode semiNmf} (see {@linkcode SEMI_NMF_OPTIONS}). */
export type SemiNmfOptions = OptionsOf<typeof SEMI_NMF_OPTIONS>;
/** How {@linkcode semiNmf} (and Deep Semi-NMF's pretraining) starts H. */
export type SemiNmfInit = NonNullable<SemiNmfOptions["init"]>;

/**
 * Records H ← H ⊙ sqrt(([ZᵀX]⁺ + [ZᵀZ]⁻ H) / max([ZᵀX]⁻ + [ZᵀZ]⁺ H, eps)) for
 * numer = ZᵀX (k x n) and gram = ZᵀZ (k x k); A⁺ = (|A| + A)/2, A⁻ = (|A| − A)/2.
 * With a `graph` S (degrees D) and `lambda` λ, λ H S joins the numerator and λ H D
 * the denominator: the Deep WSF update (Trigeorgis et al., TPAMI 2017), which does
 * not increase ‖X − ZH‖² + λ tr(H L Hᵀ), L = D − S.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { gemm } from "../gpu/gemm.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const z = GpuMatrix.fromArray(gpu, 2, 1, new Float32Array([1, -1])); // d = 2, k = 1
 * const x = GpuMatrix.fromArray(gpu, 2, 2, new Float32Array([2, 4, -2, -4])); // X = Z [2, 4]
 * const h = GpuMatrix.fromArray(gpu, 1, 2, new Float32Array([1, 1])); // n = 2
 * const [ztz, ztx] = [GpuMatrix.empty(gpu, 1, 1), GpuMatrix.empty(gpu, 1, 2)];
 * gemm(z, z, ztz, { transA: true }); // ZᵀZ = [2]
 * gemm(z, x, ztx, { transA: true }); // ZᵀX = [4, 8]
 * semiNmfUpdateH(h, { gram: ztz, numer: ztx });
 * console.log(await h.toArray()); // Float32Array [1.414…, 2]: H ⊙ sqrt(ZᵀX / (ZᵀZ H))
 * gpu.destroy();
 * ```
 */
export function semiNmfUpdateH(
  h: GpuMatrix,
  terms: { gram: GpuMatrix; numer: GpuMatrix; graph?: GpuCsr | null; lambda?: number },
): void {
  const gpu = h.gpu;
  const k = h.rows;
  const pos = GpuMatrix.empty(gpu, k, k);
  const neg = GpuMatrix.empty(gpu, k, k);
  const negH = GpuMatrix.empty(gpu, k, h.cols);
  const posH = GpuMatrix.empty(gpu, k, h.cols);
  elementwise("signedPart", pos, { a: terms.gram, s: [1] });
  elementwise("signedPart", neg, { a: terms.gram, s: [-1] });
  gemm(neg, h, negH);
  gemm(pos, h, posH);
  const lambda = terms.lambda ?? 0;
  if (terms.graph && lambda !== 0) {
    spmm(h, terms.graph, negH, { alpha: lambda, beta: 1 });
    scaleColumns(h, terms.graph, posH, { alpha: lambda, beta: 1 });
  }
  elementwise("semiNmf", h, { a: terms.numer, b: negH, c: posH, s: [0, 0, MU_DENOMINATOR_FLOOR] });
  for (const m of [pos, neg, negH, posH]) m.dispose(); // reuse comes later in queue order
}

/**
 * Records, with no readback, out (d x k) = xht (H Hᵀ + ridge I)⁻¹ from `hht` = H Hᵀ
 * (k x k), through `inv` (k x k scratch): the least-squares Z of semi-NMF. The inverse
 * is a Cholesky on the GPU whose ridge grows x10 on the device when H Hᵀ is singular;
 * `status` records it (read it with the loss: `status.message()`).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * import { SpdStatus } from "../gpu/spd_status.ts";
 * const gpu = await Gpu.create({ log: null });
 * const xht = GpuMatrix.fromArray(gpu, 2, 1, new Float32Array([4, -2])); // X Hᵀ, d = 2, k = 1
 * const hht = GpuMatrix.fromArray(gpu, 1, 1, new Float32Array([2])); // H Hᵀ
 * const [z, inv, status] = [GpuMatrix.empty(gpu, 2, 1), GpuMatrix.empty(gpu, 1, 1), SpdStatus.create(gpu)];
 * solveUnconstrainedFactor(xht, hht, z, { inv, status });
 * console.log(await z.toArray(), await status.message()); // Float32Array [2, -1] null
 * gpu.destroy();
 * ```
 */
export function solveUnconstrainedFactor(
  xht: GpuMatrix,
  hht: GpuMatrix,
  out: GpuMatrix,
  options: { inv: GpuMatrix; status: SpdStatus; ridge?: number },
): void {
  spdInverse(hht, options.inv, { status: options.status, ridge: options.ridge });
  gemm(xht, options.inv, out);
}

/**
 * The initial H (k x n, >= 0) of semi-NMF for `init` "kmeans", "nndsvd" or "random"
 * (seeded). "nndsvd" takes H of NNDSVD (Boutsidis & Gallopoulos 2008) of |X| from a
 * randomized SVD on the GPU, as the authors of Deep Semi-NMF do (their seminmf.m calls
 * NNDSVD(abs(X), k, 0)). Shared with Deep Semi-NMF's layer-wise pretraining.
 */
async function initialH(
  gpu: Gpu,
  input: DataInput,
  k: number,
  init: "kmeans" | "nndsvd" | "svd" | "random",
  seed: number,
): Promise<Float32Array> {
  if (init === "kmeans") return await kmeansInitH(gpu, input, { k, seed });
  if (init === "svd") {
    const x = DataMatrix.upload(gpu, input);
    try {
      return await _svdH(x, k, seed);
    } finally {
      x.dispose();
    }
  }
  if (init === "random") {
    const rand = seededRandom(seed);
    return Float32Array.from({ length: k * input.n }, () => rand());
  }
  const data = input.data instanceof Float32Array && input.data.some((v) => v < 0)
    ? input.data.map(Math.abs)
    : input.data;
  const x = DataMatrix.upload(gpu, { ...input, data });
  try {
    return (await nndsvdInit(x, k, { seed })).h;
  } finally {
    x.dispose();
  }
}

/**
 * An H >= 0 (k x n) whose least-squares Z reproduces the rank-(k − 1) truncated SVD
 * U S Vᵀ of X exactly (Trigeorgis et al.'s Python `appr_seminmf`): each row of Vᵀ is
 * signed so that its most negative entry is the smaller in size, a k-th row of zeros is
 * added, and every column is lifted by its most negative entry (Z = [U S, −U S 1] cancels
 * the lift). Needs k >= 2.
 */
async function _svdH(x: DataMatrix, k: number, seed: number): Promise<Float32Array> {
  if (k < 2) throw new OptionError(`Option init "svd" needs rank >= 2, got ${k}`);
  const n = x.n;
  const r = k - 1;
  const { vt } = await randomizedSvd(x, r, { seed });
  const h = new Float32Array(k * n);
  for (let j = 0; j < r; j++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, vt[j * n + i]);
      hi = Math.max(hi, vt[j * n + i]);
    }
    const sign = lo < -hi ? -1 : 1;
    for (let i = 0; i < n; i++) h[j * n + i] = sign * vt[j * n + i];
  }
  for (let i = 0; i < n; i++) {
    let lo = 0;
    for (let j = 0; j < r; j++) lo = Math.min(lo, h[j * n + i]);
    for (let j = 0; j < k; j++) h[j * n + i] -= lo;
  }
  return h;
}

function _semiStepper(
  problem: NmfProblem,
  z: GpuMatrix,
  h: GpuMatrix,
  graph: { csr: GpuCsr; lambda: number } | null,
  ridge: number | undefined,
): { stepper: Stepper; solveZ: () => void; dispose: () => void } {
  const x = problem.x;
  const gpu = z.gpu;
  const k = z.cols;
  const xht = GpuMatrix.empty(gpu, x.d, k);
  const hht = GpuMatrix.empty(gpu, k, k);
  const ztz = GpuMatrix.empty(gpu, k, k);
  const ztx = GpuMatrix.empty(gpu, k, x.n);
  const inv = GpuMatrix.empty(gpu, k, k);
  const status = SpdStatus.create(gpu);
  const solveZ = () => {
    gemm(h, h, hht, { transB: true });
    x.timesHt(h, xht);
    solveUnconstrainedFactor(xht, hht, z, { inv, status, ridge });
  };
  const messages: string[] = [];
  const stepper: Stepper = {
    messages,
    step() {
      solveZ();
      gemm(z, z, ztz, { transA: true });
      x.wtTimes(z, ztx);
      semiNmfUpdateH(h, { gram: ztz, numer: ztx, graph: graph?.csr, lambda: graph?.lambda });
    },
    async error() {
      // The status read is issued with the loss's first read: one wait for both.
      const [e, msg] = await Promise.all([
        problem.error(z, h, "frobenius"),
        status.message({ ridge }),
      ]);
      if (msg) messages.push(`Semi-NMF: ${msg}`);
      return graph ? Math.sqrt(e * e + graph.lambda * await graphTrace(h, graph.csr)) : e;
    },
  };
  return {
    stepper,
    solveZ,
    dispose: () => [xht, hht, ztz, ztx, inv, status].forEach((m) => m.dispose()),
  };
}

/**
 * Opens a resumable semi-NMF fit (see {@linkcode semiNmf}): X is uploaded once,
 * H starts from `init` and Z from H (unless `from` restores a snapshot).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, -1, 1), d: 30, n: 20 }; // any sign
 * const fit = await openSemiNmfFit(gpu, x, { rank: 3, maxIter: 40 });
 * await fit.run(20);
 * const snapshot = await fit.snapshot();
 * fit.close();
 * const resumed = await openSemiNmfFit(gpu, x, { rank: 3, maxIter: 40, from: snapshot });
 * await resumed.run();
 * const { W: z, H: h } = await resumed.factors();
 * console.log(z.data.some((v) => v < 0), h.data.every((v) => v >= 0)); // true true
 * resumed.close();
 * gpu.destroy();
 * ```
 */
export async function openSemiNmfFit(
  gpu: Gpu,
  input: DataInput,
  options: SemiNmfOptions,
): Promise<Fit<NmfFactors>> {
  const o = resolveOptions(SEMI_NMF_OPTIONS, options, { what: "semi-NMF" });
  const { rank: k, init, seed, ridge, lambda, from = null } = o;
  const given = checkGraph("graph", o.graph ?? null, input?.n);
  if (init === "custom" && !from && !o.H) throw new OptionError('Option init "custom" needs H');
  checkInput(input, { rank: k, allowNegative: true, H: o.H ?? null });
  const h0 = from
    ? null
    : init === "custom"
    ? o.H!.data
    : await initialH(gpu, input, k, init, seed);
  const problem = await NmfProblem.create(gpu, input);
  const z = GpuMatrix.empty(gpu, problem.d, k);
  const h = h0 ? GpuMatrix.fromArray(gpu, k, problem.n, h0) : GpuMatrix.empty(gpu, k, problem.n);
  const csr = given && lambda > 0 ? GpuCsr.fromGraph(gpu, given) : null;
  const graph = csr ? { csr, lambda } : null;
  const { stepper, solveZ, dispose } = _semiStepper(problem, z, h, graph, ridge);
  const model: FitModel = {
    name: "semi-nmf",
    state: { W: z, H: h },
    ...stepper,
    extra: problem.lossState(),
    dispose() {
      dispose();
      z.dispose();
      h.dispose();
      csr?.dispose();
      problem.dispose();
    },
  };
  if (h0) solveZ(); // Z from the initial H: the initial cost is that of a consistent pair
  return await Fit.open(model, { ...o, from, output: (s) => ({ W: s.W, H: s.H }) });
}

/**
 * Fits X ≈ Z H by Ding et al.'s updates: Z = X Hᵀ (H Hᵀ)⁻¹ (k x k Cholesky on the
 * GPU), then the multiplicative sqrt update of H; no readback inside an iteration. Data may be
 * negative. With a `graph`, λ tr(H L Hᵀ) joins the cost and its terms the H update
 * (Trigeorgis et al.'s Deep WSF layer). Returns factors `{ W: Z, H }` with the loss
 * history (the square root of the cost at iteration 0 and every `checkEvery`);
 * {@linkcode openSemiNmfFit} gives the same fit as a resumable object.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, -1, 1), d: 30, n: 20 };
 * const r = await semiNmf(gpu, x, { rank: 3, maxIter: 30 });
 * console.log(r.factors.W.rows, r.factors.H.rows, r.loss.at(-1)! < r.loss[0]); // 30 3 true
 * gpu.destroy();
 * ```
 */
export async function semiNmf(
  gpu: Gpu,
  input: DataInput,
  options: SemiNmfOptions,
): Promise<FactorizationResult> {
  return await runToEnd(openSemiNmfFit(gpu, input, options));
}
