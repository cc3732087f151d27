/**
 * The models the train task knows, as data: how to open a run's resumable fit
 * (fresh or from a stored snapshot) and how to list fitted factors' layers for
 * evaluation. Adding a model is one entry.
 *
 * @module
 */

import type { DataInput } from "../factorize/data_matrix.ts";
import { openDeepSemiNmfFit } from "../factorize/deep_semi_nmf.ts";
import type { HostMatrix } from "../factorize/factorization_result.ts";
import type { Fit, FitSnapshot } from "../factorize/fit.ts";
import { gnmfOutput, openGnmfFit } from "../factorize/gnmf.ts";
import { nmfInverseTransform, openNmfFit } from "../factorize/nmf.ts";
import type { NmfInit, NmfOptions } from "../factorize/nmf_options.ts";
import { attributeGraphs, sampleGraph } from "../factorize/sample_graph.ts";
import { openSemiNmfFit } from "../factorize/semi_nmf.ts";
import type { Gpu } from "../gpu/gpu.ts";
import type { CsrGraph } from "../gpu/gpu_csr.ts";
import type { Factors } from "./factor_store.ts";
import type { ModelName, SolverName, TrainConfig } from "./train_config.ts";

/** One layer of a fit as evaluation sees it: X ≈ basis codes. */
export interface Layer {
  /** Name of the codes, e.g. "H" or "H2". */
  name: string;
  /** Name of the basis, e.g. "W" or "Z1Z2". */
  basisName: string;
  /** d x k basis: W, or Z₁⋯Z_i for layer i of a deep model. */
  basis: HostMatrix;
  /** k x n codes (samples as columns). */
  codes: HostMatrix;
}

/** What a model's fit gets: the device, the data, the run's configuration. */
export interface FitContext {
  gpu: Gpu;
  /** The data, samples as rows. */
  input: DataInput;
  config: TrainConfig;
  /**
   * Codes of a label column of the dataset for label graphs: -1 where the value is empty
   * and for the test samples of the evaluation split (so probes see no leaked labels).
   */
  labelCodes(name: string): Int32Array;
}

/** One model of the table. */
export interface ModelEntry {
  /** Human name, e.g. "NMF (HALS), k=40". */
  label(config: TrainConfig): string;
  /** Config keys this model ignores (left out of the report's configuration table). */
  ignores: readonly (keyof TrainConfig)[];
  /**
   * Opens the run's resumable fit (`config.iters` iterations, its tolerance, checked every
   * {@linkcode CHECK_EVERY}): fresh, or continuing from a stored snapshot.
   */
  open(ctx: FitContext, from: FitSnapshot | null): Promise<Fit<unknown>>;
  /** The layers of fitted factors (products of a deep model's Z computed on the GPU). */
  layers(gpu: Gpu, factors: Factors): Promise<Layer[]>;
}

const _SOLVERS: Record<SolverName, Pick<NmfOptions, "solver" | "betaLoss"> & { label: string }> = {
  mu: { solver: "mu", betaLoss: "frobenius", label: "MU" },
  kl: { solver: "mu", betaLoss: "kullback-leibler", label: "KL MU" },
  hals: { solver: "cd", betaLoss: "frobenius", label: "HALS" },
  pgd: { solver: "pgd", betaLoss: "frobenius", label: "projected gradient" },
  als: { solver: "als", betaLoss: "frobenius", label: "ALS" },
};

function _oneLayer(f: Factors): Promise<Layer[]> {
  return Promise.resolve([{ name: "H", basisName: "W", basis: f.W, codes: f.H }]);
}

/** The run's loss is checked (and the tolerance rule applied) every this many iterations. */
export const CHECK_EVERY = 10;

function _limits(c: TrainConfig, from: FitSnapshot | null) {
  return { maxIter: c.iters, tol: c.tol, checkEvery: CHECK_EVERY, seed: c.seed, from };
}

const nmfEntry: ModelEntry = {
  label: (c) => `NMF (${_SOLVERS[c.solver].label}), k=${c.rank}`,
  ignores: ["layers", "pretrainIters", "graph", "lambda", "graphReduce"],
  open: ({ gpu, input, config: c }, from) =>
    openNmfFit(gpu, input, {
      rank: c.rank,
      solver: _SOLVERS[c.solver].solver,
      betaLoss: _SOLVERS[c.solver].betaLoss,
      ..._limits(c, from),
      ...(c.init ? { init: c.init as NmfInit } : {}),
    }),
  layers: (_gpu, f) => _oneLayer(f),
};

const semiNmfEntry: ModelEntry = {
  label: (c) => `Semi-NMF, k=${c.rank}`,
  ignores: ["solver", "layers", "pretrainIters", "graph", "lambda", "graphReduce"],
  open: ({ gpu, input, config: c }, from) =>
    openSemiNmfFit(gpu, input, {
      rank: c.rank,
      ..._limits(c, from),
      ...(c.init ? { init: c.init as "kmeans" | "random" } : {}),
    }),
  layers: (_gpu, f) => _oneLayer(f),
};

/**
 * The layers of a deep fit with factors Z1..Zm and H1..Hm: layer i has basis
 * Z₁⋯Z_i (products on the GPU) and codes H_i.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const Z1 = { rows: 2, cols: 2, data: new Float32Array([1, 0, 0, 2]) }; // d = 2, k₁ = 2
 * const Z2 = { rows: 2, cols: 1, data: new Float32Array([1, 1]) }; // k₂ = 1
 * const H1 = { rows: 2, cols: 1, data: new Float32Array([1, 1]) }; // n = 1
 * const H2 = { rows: 1, cols: 1, data: new Float32Array([1]) };
 * const layers = await deepLayers(gpu, { Z1, Z2, H1, H2 });
 * console.log(layers.map((l) => l.basisName)); // ["Z1", "Z1Z2"]
 * console.log(layers[1].basis.data); // Float32Array [1, 2]: Z1 Z2, computed on the GPU
 * gpu.destroy();
 * ```
 */
export async function deepLayers(gpu: Gpu, f: Factors): Promise<Layer[]> {
  const out: Layer[] = [];
  let basis: HostMatrix | null = null;
  let name = "";
  for (let i = 1; f[`Z${i}`]; i++) {
    const z = f[`Z${i}`];
    basis = basis ? await nmfInverseTransform(gpu, basis, z) : z;
    name += `Z${i}`;
    const codes = f[`H${i}`];
    if (!codes) throw new RangeError(`Deep factors have Z${i} but no H${i}`);
    out.push({ name: `H${i}`, basisName: name, basis, codes });
  }
  return out;
}

const gnmfEntry: ModelEntry = {
  label: (c) =>
    `GNMF, k=${c.rank}, α=${c.lambda[0]}, ${
      c.graph.length ? `5-NN graph within ${c.graph[0]}` : "5-NN graph"
    }`,
  ignores: ["solver", "layers", "pretrainIters"],
  async open(ctx, from) {
    const { gpu, input, config: c } = ctx;
    const graph = await sampleGraph(gpu, input, {
      k: 5,
      ...(c.graphReduce ? { reduce: c.graphReduce } : {}),
      ...(c.graph.length ? { labels: ctx.labelCodes(c.graph[0]) } : {}),
    });
    return await openGnmfFit(gpu, input, {
      rank: c.rank,
      graph,
      alpha: c.lambda[0],
      ..._limits(c, from),
      ...(c.init ? { init: c.init as "random" | "nndsvda" } : {}),
    });
  },
  // Cai's scaling of the fitted factors (W's columns to unit length) before evaluation.
  layers: (_gpu, f) => _oneLayer({ ...gnmfOutput(f) }),
};

/**
 * Opens a deep model's fit (pretraining first when fresh). The samples are not
 * L2-normalized (deepSemiNmf's normalize: false), so that Z₁⋯Z_i H_i
 * reconstructs the pixels the evaluation compares against.
 */
function _openDeep(
  ctx: FitContext,
  from: FitSnapshot | null,
  graphs: (CsrGraph | null)[] | undefined,
): Promise<Fit<unknown>> {
  const { gpu, input, config: c } = ctx;
  return openDeepSemiNmfFit(gpu, input, {
    layers: c.layers,
    normalize: false,
    pretrainMaxIter: c.pretrainIters,
    ..._limits(c, from),
    ...(graphs ? { graphs, lambdas: graphs.map((g, i) => (g ? c.lambda[i] : 0)) } : {}),
  });
}

const deepSemiNmfEntry: ModelEntry = {
  label: (c) => `Deep Semi-NMF, layers ${c.layers.join("-")}`,
  ignores: ["solver", "rank", "init", "graph", "lambda", "graphReduce"],
  open: (ctx, from) => _openDeep(ctx, from, undefined),
  layers: deepLayers,
};

const deepWsfEntry: ModelEntry = {
  label: (c) =>
    `Deep WSF, layers ${c.layers.join("-")}, graphs ${c.graph.join("/")}, λ ${c.lambda.join("/")}`,
  ignores: ["solver", "rank", "init"],
  async open(ctx, from) {
    const { gpu, input, config: c } = ctx;
    const graphs = await attributeGraphs(gpu, input, {
      labels: c.graph.map((g) => (g === "none" ? null : ctx.labelCodes(g))),
      ...(c.graphReduce ? { reduce: c.graphReduce } : {}),
    });
    return await _openDeep(ctx, from, graphs);
  },
  layers: deepLayers,
};

/** The model table. */
export const MODELS: Partial<Record<ModelName, ModelEntry>> = {
  nmf: nmfEntry,
  "semi-nmf": semiNmfEntry,
  "deep-semi-nmf": deepSemiNmfEntry,
  "deep-wsf": deepWsfEntry,
  gnmf: gnmfEntry,
};

/**
 * The entry of `model`; throws a RangeError saying which models exist when
 * this build does not have it.
 *
 * @example
 * ```ts
 * import { resolveTrainConfig } from "./train_config.ts";
 * const entry = modelEntry("nmf");
 * const config = resolveTrainConfig([{ source: "cli", values: { data: "ds", solver: "hals" } }]);
 * console.log(entry.label(config), entry.ignores.includes("layers")); // NMF (HALS), k=40 true
 * ```
 */
export function modelEntry(model: ModelName): ModelEntry {
  const e = MODELS[model];
  if (!e) {
    throw new RangeError(
      `Model ${model} is not available in this build (available: ${
        Object.keys(MODELS).join(", ")
      })`,
    );
  }
  return e;
}
