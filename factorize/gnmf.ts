/**
 * Graph regularized NMF (Cai, He, Han & Huang, "Graph Regularized Nonnegative
 * Matrix Factorization for Data Representation", TPAMI 2011): X (d x n) >= 0 ≈ W H
 * with W (d x k) >= 0, H (k x n) >= 0, minimizing ‖X − WH‖²_F + α tr(H L Hᵀ),
 * L = D − S the Laplacian of a sample graph S.
 *
 * @module
 */

import { elementwise } from "../gpu/elementwise.ts";
import { gemm } from "../gpu/gemm.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { type CsrGraph, GpuCsr } from "../gpu/gpu_csr.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { graphTrace } from "../gpu/graph_trace.ts";
import { scaleColumns, spmm } from "../gpu/spmm.ts";
import { checkInput } from "./check_input.ts";
import type { DataInput } from "./data_matrix.ts";
import type { FactorizationResult, HostMatrix, NmfFactors } from "./factorization_result.ts";
import { checkGraph } from "./check_graph.ts";
import { Fit, FIT_OPTIONS, type FitModel, runToEnd, type Stepper } from "./fit.ts";
import { nndsvdInit, randomInit } from "./init.ts";
import { MU_DENOMINATOR_FLOOR } from "./nmf_mu.ts";
import { NMF_OPTIONS } from "./nmf_options.ts";
import { objectOption, OptionError, type OptionsOf, resolveOptions } from "./option_schema.ts";
import { NmfProblem } from "./nmf_problem.ts";
import { sampleGraph } from "./sample_graph.ts";

/** The options of {@linkcode gnmf} and {@linkcode openGnmfFit}. */
export const GNMF_OPTIONS = {
  rank: NMF_OPTIONS.rank,
  graph: objectOption<CsrGraph | null>(
    "The sample graph S (n x n); default: the kNN graph of the samples (neighbors, weight).",
  ),
  alpha: {
    type: "number",
    min: 0,
    default: 100,
    doc: "Weight α of tr(H L Hᵀ) (0 is plain MU NMF); 100 as in Cai's demo.",
  },
  neighbors: { type: "integer", min: 1, max: 64, default: 5, doc: "Neighbours of the kNN graph." },
  weight: {
    type: "string",
    oneOf: ["binary", "heat", "cosine"],
    default: "binary",
    doc: "Edge weights of the kNN graph.",
  },
  init: {
    type: "string",
    oneOf: ["random", "nndsvda", "custom"],
    default: "random",
    doc: "Initialization (random, as Cai).",
  },
  W: NMF_OPTIONS.W,
  H: NMF_OPTIONS.H,
  ...FIT_OPTIONS,
} as const;

/** Options of {@linkcode gnmf} (see {@linkcode GNMF_OPTIONS}). */
export type GnmfOptions = OptionsOf<typeof GNMF_OPTIONS>;

/**
 * One GNMF iteration, H then W (Cai's order):
 * H ← H ⊙ (WᵀX + α H S) / max(WᵀW H + α H D, eps), W ← W ⊙ (X Hᵀ) / max(W H Hᵀ, eps);
 * `error` is sqrt(‖X − WH‖² + α tr(H L Hᵀ)). Returns the stepper and its cleanup.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { GpuCsr } from "../gpu/gpu_csr.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * import { NmfProblem } from "./nmf_problem.ts";
 * import { sampleGraph } from "./sample_graph.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const rand = seededRandom(1);
 * const x = { data: randomArray(rand, 30 * 20), d: 30, n: 20 };
 * const problem = await NmfProblem.create(gpu, x);
 * const w = GpuMatrix.fromArray(gpu, 30, 3, randomArray(rand, 30 * 3));
 * const h = GpuMatrix.fromArray(gpu, 3, 20, randomArray(rand, 3 * 20));
 * const graph = GpuCsr.fromGraph(gpu, await sampleGraph(gpu, x, { k: 3 }));
 * const { stepper, dispose } = gnmfStepper(problem, w, h, { graph, alpha: 1 });
 * const before = await stepper.error();
 * for (let i = 0; i < 5; i++) await stepper.step();
 * console.log(await stepper.error() < before); // true: the updates lowered the cost
 * dispose();
 * gpu.destroy();
 * ```
 */
export function gnmfStepper(
  problem: NmfProblem,
  w: GpuMatrix,
  h: GpuMatrix,
  options: { graph: GpuCsr | null; alpha: number },
): { stepper: Stepper; dispose: () => void } {
  const gpu = problem.gpu;
  const { d, n } = problem;
  const k = w.cols;
  const { graph, alpha } = options;
  const useGraph = graph !== null && alpha > 0;
  const num = GpuMatrix.empty(gpu, k, n);
  const den = GpuMatrix.empty(gpu, k, n);
  const xht = GpuMatrix.empty(gpu, d, k);
  const whht = GpuMatrix.empty(gpu, d, k);
  const gram = GpuMatrix.empty(gpu, k, k);
  const floor = MU_DENOMINATOR_FLOOR;
  const stepper: Stepper = {
    step() {
      problem.x.wtTimes(w, num);
      gemm(w, w, gram, { transA: true });
      gemm(gram, h, den);
      if (useGraph) {
        spmm(h, graph, num, { alpha, beta: 1 });
        scaleColumns(h, graph, den, { alpha, beta: 1 });
      }
      elementwise("mu", h, { a: num, b: den, s: [0, 0, floor] });
      problem.x.timesHt(h, xht);
      gemm(h, h, gram, { transB: true });
      gemm(w, gram, whht);
      elementwise("mu", w, { a: xht, b: whht, s: [0, 0, floor] });
    },
    async error() {
      const e = await problem.error(w, h, "frobenius");
      const g = useGraph ? alpha * await graphTrace(h, graph) : 0;
      return Math.sqrt(e * e + g);
    },
  };
  return { stepper, dispose: () => [num, den, xht, whht, gram].forEach((m) => m.dispose()) };
}

/** Scales the columns of W (d x k) to unit L2 norm and the rows of H by the same norms (Cai's NormalizeUV). */
function _normalizeW(w: Float32Array, h: Float32Array, d: number, k: number, n: number): void {
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += w[i * k + j] ** 2;
    const norm = Math.max(Math.sqrt(s), 1e-15);
    for (let i = 0; i < d; i++) w[i * k + j] /= norm;
    for (let i = 0; i < n; i++) h[j * n + i] *= norm;
  }
}

/** The random or NNDSVDa start, W's columns scaled to unit length (Cai's NormalizeUV). */
async function _scaledInit(
  problem: NmfProblem,
  init: "random" | "nndsvda",
  k: number,
  seed: number,
): Promise<{ w: Float32Array; h: Float32Array }> {
  const f = init === "random"
    ? await randomInit(problem.x, k, { seed })
    : await nndsvdInit(problem.x, k, { seed, variant: "a" });
  _normalizeW(f.w, f.h, problem.d, k, problem.n);
  return f;
}

/**
 * Opens a resumable GNMF fit (see {@linkcode gnmf}): the graph is built and X
 * uploaded once; W and H start from `init` with W's columns scaled to unit
 * length (unless `from` restores a snapshot). The iterations never rescale;
 * the fit's factors (and {@linkcode gnmfOutput}) are scaled at the end.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20), d: 30, n: 20 };
 * const options = { rank: 3, neighbors: 3, alpha: 1, maxIter: 40 };
 * const fit = await openGnmfFit(gpu, x, options); // builds the 3-NN graph once
 * await fit.run(20);
 * const snapshot = await fit.snapshot();
 * fit.close();
 * const resumed = await openGnmfFit(gpu, x, { ...options, from: snapshot });
 * await resumed.run();
 * console.log(resumed.iteration, resumed.lossIterations.at(-1)); // 40 40
 * resumed.close();
 * gpu.destroy();
 * ```
 */
export async function openGnmfFit(
  gpu: Gpu,
  input: DataInput,
  options: GnmfOptions,
): Promise<Fit<NmfFactors>> {
  const o = resolveOptions(GNMF_OPTIONS, options, { what: "GNMF" });
  const { rank: k, alpha, init, seed, from = null } = o;
  const given = checkGraph("graph", o.graph ?? null, input?.n);
  if (init === "custom" && !from && (!o.W || !o.H)) {
    throw new OptionError('Option init "custom" needs both W and H');
  }
  checkInput(input, { rank: k, W: o.W ?? null, H: o.H ?? null });
  const graph = alpha === 0 ? null : given ?? await sampleGraph(gpu, input, {
    k: o.neighbors,
    weight: o.weight,
  });
  const problem = await NmfProblem.create(gpu, input);
  const { d, n } = problem;
  const start = from
    ? null
    : init === "custom"
    ? { w: Float32Array.from(o.W!.data), h: Float32Array.from(o.H!.data) }
    : await _scaledInit(problem, init, k, seed);
  const w = start ? GpuMatrix.fromArray(gpu, d, k, start.w) : GpuMatrix.empty(gpu, d, k);
  const h = start ? GpuMatrix.fromArray(gpu, k, n, start.h) : GpuMatrix.empty(gpu, k, n);
  const csr = graph ? GpuCsr.fromGraph(gpu, graph) : null;
  const { stepper, dispose } = gnmfStepper(problem, w, h, { graph: csr, alpha });
  const model: FitModel = {
    name: "gnmf",
    state: { W: w, H: h },
    ...stepper,
    extra: problem.lossState(),
    dispose() {
      dispose();
      csr?.dispose();
      w.dispose();
      h.dispose();
      problem.dispose();
    },
  };
  return await Fit.open(model, { ...o, from, output: gnmfOutput });
}

/**
 * GNMF's factors as Cai's code returns them: W's columns scaled to unit L2
 * length and H's rows by the same norms (same W H; copies, the input is kept).
 *
 * @example
 * ```ts
 * const w = { rows: 2, cols: 1, data: new Float32Array([3, 4]) };
 * const h = { rows: 1, cols: 2, data: new Float32Array([1, 2]) };
 * console.log(gnmfOutput({ W: w, H: h }).H.data); // Float32Array [5, 10]
 * ```
 */
export function gnmfOutput(f: Record<string, HostMatrix>): NmfFactors {
  const [w, h] = [f.W, f.H];
  const wd = Float32Array.from(w.data);
  const hd = Float32Array.from(h.data);
  _normalizeW(wd, hd, w.rows, w.cols, h.cols);
  return {
    W: { rows: w.rows, cols: w.cols, data: wd },
    H: { rows: h.rows, cols: h.cols, data: hd },
  };
}

/**
 * Fits GNMF by Cai et al.'s multiplicative updates on the GPU (see
 * {@linkcode gnmfStepper}): the graph is `graph`, or else the binary 5-NN graph of
 * the samples built on the GPU; α = 100 by default, as in Cai's demo. W's columns
 * are scaled to unit length (H's rows take the scale) at the start and the end, as
 * in Cai's code (so the returned factors have the same W H but a different graph
 * term than the last `loss`). `loss` is sqrt(‖X − WH‖²_F + α tr(H L Hᵀ)) at
 * iteration 0 and every `checkEvery`; the stopping rule is the NMF family's.
 * {@linkcode openGnmfFit} gives the same fit as a resumable object.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20), d: 30, n: 20 };
 * const r = await gnmf(gpu, x, { rank: 3, neighbors: 3, alpha: 10, maxIter: 30 });
 * const w = r.factors.W; // its columns have unit length, as in Cai's code
 * const norm = Math.hypot(...Array.from({ length: w.rows }, (_, i) => w.data[i * w.cols]));
 * console.log(r.factors.H.rows, r.nIter, norm.toFixed(4)); // 3 30 1.0000
 * gpu.destroy();
 * ```
 */
export async function gnmf(
  gpu: Gpu,
  input: DataInput,
  options: GnmfOptions,
): Promise<FactorizationResult> {
  return await runToEnd(openGnmfFit(gpu, input, options));
}
