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
import type { FactorizationResult, HostMatrix } from "./factorization_result.ts";
import { nndsvdInit, randomInit } from "./init.ts";
import type { GraphWeight } from "./knn_graph.ts";
import { MU_DENOMINATOR_FLOOR } from "./nmf_mu.ts";
import { _number, _oneOf } from "./nmf_options.ts";
import { NmfProblem } from "./nmf_problem.ts";
import { sampleGraph } from "./sample_graph.ts";
import { runSolverLoop, type Stepper } from "./solver_loop.ts";

/** Options of {@linkcode gnmf}. */
export interface GnmfOptions {
  /** Number of components k (1 <= k <= min(d, n)). Required. */
  rank: number;
  /** The sample graph S (n x n). Default: the kNN graph of the samples (`neighbors`, `weight`). */
  graph?: CsrGraph | null;
  /** Weight α of tr(H L Hᵀ) (>= 0; 0 is plain MU NMF). Default 100 (Cai's demo). */
  alpha?: number;
  /** Neighbours of the default graph. Default 5. */
  neighbors?: number;
  /** Weights of the default graph. Default "binary". */
  weight?: GraphWeight;
  /** "random" (default, as Cai), "nndsvda", or "custom" (needs W and H). */
  init?: "random" | "nndsvda" | "custom";
  /** Initial W (d x k) for init "custom". */
  W?: HostMatrix | null;
  /** Initial H (k x n) for init "custom". */
  H?: HostMatrix | null;
  /** Most iterations. Default 200. */
  maxIter?: number;
  /** scikit-learn's tolerance rule. Default 1e-4. */
  tol?: number;
  /** Check the cost every this many iterations. Default 10. */
  checkEvery?: number;
  /** Seed of the init. Default 0. */
  seed?: number;
}

/**
 * One GNMF iteration, H then W (Cai's order):
 * H ← H ⊙ (WᵀX + α H S) / max(WᵀW H + α H D, eps), W ← W ⊙ (X Hᵀ) / max(W H Hᵀ, eps);
 * `error` is sqrt(‖X − WH‖² + α tr(H L Hᵀ)). Returns the stepper and its cleanup.
 *
 * @example
 * ```ts
 * const { stepper, dispose } = gnmfStepper(problem, w, h, { graph: csr, alpha: 100 });
 * await stepper.step();
 * dispose();
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

/**
 * Fits GNMF by Cai et al.'s multiplicative updates on the GPU (see
 * {@linkcode gnmfStepper}): the graph is `graph`, or else the binary 5-NN graph of
 * the samples built on the GPU; α = 100 by default, as in Cai's demo. W's columns
 * are scaled to unit length (H's rows take the scale) at the start and the end, as
 * in Cai's code (so the returned factors have the same W H but a different graph
 * term than the last `loss`). `loss` is sqrt(‖X − WH‖²_F + α tr(H L Hᵀ)) at
 * iteration 0 and every `checkEvery`; the stopping rule is the NMF family's.
 *
 * @example
 * ```ts
 * const r = await gnmf(gpu, { data: faces, d: 4096, n: 400 }, { rank: 40, alpha: 100 });
 * console.log(r.factors.H.rows, r.loss.at(-1));
 * ```
 */
export async function gnmf(
  gpu: Gpu,
  input: DataInput,
  options: GnmfOptions,
): Promise<FactorizationResult> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("GNMF options must be an object with at least { rank }");
  }
  const known = new Set([
    "rank",
    "graph",
    "alpha",
    "neighbors",
    "weight",
    "init",
    "W",
    "H",
    "maxIter",
    "tol",
    "checkEvery",
    "seed",
  ]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`Unknown GNMF option ${key}`);
  }
  const k = _number("rank", options.rank, 1, 2 ** 31, true);
  const alpha = _number("alpha", options.alpha ?? 100, 0, Infinity, false);
  const neighbors = _number("neighbors", options.neighbors ?? 5, 1, 64, true);
  const init = _oneOf("init", options.init ?? "random", ["random", "nndsvda", "custom"] as const);
  const maxIter = _number("maxIter", options.maxIter ?? 200, 0, 1e9, true);
  const tol = _number("tol", options.tol ?? 1e-4, 0, Infinity, false);
  const checkEvery = _number("checkEvery", options.checkEvery ?? 10, 1, 1e9, true);
  const seed = _number("seed", options.seed ?? 0, 0, 2 ** 32 - 1, true);
  const given = options.graph ?? null;
  if (given !== null) {
    if (typeof given !== "object" || !(given.rowOffsets instanceof Uint32Array)) {
      throw new TypeError("Option graph must be a CsrGraph (see knnGraph) or null");
    }
    if (given.n !== input?.n) {
      throw new RangeError(`Option graph has n = ${given.n} samples, the data has ${input?.n}`);
    }
  }
  if (init === "custom" && (!options.W || !options.H)) {
    throw new TypeError('Option init "custom" needs both W and H');
  }
  checkInput(input, { rank: k, W: options.W ?? null, H: options.H ?? null });
  const graph = alpha === 0 ? null : given ?? await sampleGraph(gpu, input, {
    k: neighbors,
    weight: options.weight ?? "binary",
  });
  const problem = await NmfProblem.create(gpu, input);
  const { d, n } = problem;
  let w0: Float32Array, h0: Float32Array;
  if (init === "custom") {
    w0 = Float32Array.from(options.W!.data);
    h0 = Float32Array.from(options.H!.data);
  } else {
    const f = init === "random"
      ? await randomInit(problem.x, k, { seed })
      : await nndsvdInit(problem.x, k, { seed, variant: "a" });
    [w0, h0] = [f.w, f.h];
    _normalizeW(w0, h0, d, k, n);
  }
  const w = GpuMatrix.fromArray(gpu, d, k, w0);
  const h = GpuMatrix.fromArray(gpu, k, n, h0);
  const csr = graph ? GpuCsr.fromGraph(gpu, graph) : null;
  const { stepper, dispose } = gnmfStepper(problem, w, h, { graph: csr, alpha });
  try {
    const loop = await runSolverLoop([w, h], stepper, { maxIter, tol, checkEvery });
    const wd = await w.toArray();
    const hd = await h.toArray();
    _normalizeW(wd, hd, d, k, n);
    const factors = { W: { rows: d, cols: k, data: wd }, H: { rows: k, cols: n, data: hd } };
    return { factors, ...loop };
  } finally {
    dispose();
    csr?.dispose();
    w.dispose();
    h.dispose();
    problem.dispose();
  }
}
