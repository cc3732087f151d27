/**
 * The models the train task knows, as data: how to fit a stretch of
 * iterations (from scratch or continuing from stored factors) and how to
 * list a fit's layers for evaluation. Adding a model is one entry.
 *
 * @module
 */

import type { DataInput } from "../factorize/data_matrix.ts";
import { deepSemiNmf, type DeepSemiNmfResult } from "../factorize/deep_semi_nmf.ts";
import type { FactorizationResult, HostMatrix } from "../factorize/factorization_result.ts";
import { gnmf } from "../factorize/gnmf.ts";
import { nmf, nmfInverseTransform } from "../factorize/nmf.ts";
import type { NmfInit, NmfOptions } from "../factorize/nmf_options.ts";
import { attributeGraphs, sampleGraph } from "../factorize/sample_graph.ts";
import { semiNmf } from "../factorize/semi_nmf.ts";
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

/** A stretch of iterations to fit. */
export interface FitSegment {
  /** Factors to continue from; null starts from the model's init. */
  start: Factors | null;
  /** Iterations in this stretch. */
  maxIter: number;
  /** Tolerance for this stretch (rescaled by the caller so the rule matches one long run). */
  tol: number;
}

/** What a model's fit gets besides the segment. */
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
  /**
   * True when `fit` can continue from stored factors (so the run is fitted in
   * checkpointed stretches); false fits in one go and checkpoints at the end.
   */
  resumable: boolean;
  /** Config keys this model ignores (left out of the report's configuration table). */
  ignores: readonly (keyof TrainConfig)[];
  /** Fits `segment.maxIter` iterations. */
  fit(ctx: FitContext, segment: FitSegment): Promise<FactorizationResult<Factors>>;
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

const nmfEntry: ModelEntry = {
  label: (c) => `NMF (${_SOLVERS[c.solver].label}), k=${c.rank}`,
  resumable: true,
  ignores: ["layers", "pretrainIters", "graph", "lambda", "graphReduce"],
  async fit({ gpu, input, config: c }, seg) {
    const { solver, betaLoss } = _SOLVERS[c.solver];
    const r = await nmf(gpu, input, {
      rank: c.rank,
      solver,
      betaLoss,
      maxIter: seg.maxIter,
      tol: seg.tol,
      seed: c.seed,
      ...(seg.start
        ? { init: "custom" as NmfInit, W: seg.start.W, H: seg.start.H }
        : c.init
        ? { init: c.init as NmfInit }
        : {}),
    });
    return { ...r, factors: { W: r.factors.W, H: r.factors.H } };
  },
  layers: (_gpu, f) => _oneLayer(f),
};

const semiNmfEntry: ModelEntry = {
  label: (c) => `Semi-NMF, k=${c.rank}`,
  resumable: true,
  ignores: ["solver", "layers", "pretrainIters", "graph", "lambda", "graphReduce"],
  async fit({ gpu, input, config: c }, seg) {
    const r = await semiNmf(gpu, input, {
      rank: c.rank,
      maxIter: seg.maxIter,
      tol: seg.tol,
      seed: c.seed,
      ...(seg.start
        ? { init: "custom" as const, H: seg.start.H }
        : c.init
        ? { init: c.init as "kmeans" | "random" }
        : {}),
    });
    return { ...r, factors: { W: r.factors.W, H: r.factors.H } };
  },
  layers: (_gpu, f) => _oneLayer(f),
};

/**
 * The layers of a deep fit with factors Z1..Zm and H1..Hm: layer i has basis
 * Z₁⋯Z_i (products on the GPU) and codes H_i.
 *
 * @example
 * ```ts
 * const layers = await deepLayers(gpu, { Z1, Z2, H1, H2 });
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

/**
 * The sample graphs of a fit, built once per run (the context lives across its
 * stretches) rather than once per stretch.
 */
const _graphs = new WeakMap<FitContext, Promise<(CsrGraph | null)[]>>();

function _cachedGraphs(
  ctx: FitContext,
  build: () => Promise<(CsrGraph | null)[]>,
): Promise<(CsrGraph | null)[]> {
  let g = _graphs.get(ctx);
  if (!g) {
    g = build();
    _graphs.set(ctx, g);
  }
  return g;
}

const gnmfEntry: ModelEntry = {
  label: (c) =>
    `GNMF, k=${c.rank}, α=${c.lambda[0]}, ${
      c.graph.length ? `5-NN graph within ${c.graph[0]}` : "5-NN graph"
    }`,
  resumable: true,
  ignores: ["solver", "layers", "pretrainIters"],
  async fit(ctx, seg) {
    const { gpu, input, config: c } = ctx;
    const [graph] = await _cachedGraphs(ctx, async () => [
      await sampleGraph(gpu, input, {
        k: 5,
        ...(c.graphReduce ? { reduce: c.graphReduce } : {}),
        ...(c.graph.length ? { labels: ctx.labelCodes(c.graph[0]) } : {}),
      }),
    ]);
    const r = await gnmf(gpu, input, {
      rank: c.rank,
      graph,
      alpha: c.lambda[0],
      maxIter: seg.maxIter,
      tol: seg.tol,
      seed: c.seed,
      ...(seg.start
        ? { init: "custom" as const, W: seg.start.W, H: seg.start.H }
        : c.init
        ? { init: c.init as "random" | "nndsvda" }
        : {}),
    });
    return { ...r, factors: { W: r.factors.W, H: r.factors.H } };
  },
  layers: (_gpu, f) => _oneLayer(f),
};

/** The factors of a deep fit as named matrices Z1..Zm, H1..Hm. */
function _deepFactors(r: DeepSemiNmfResult): Factors {
  const f: Factors = {};
  r.factors.Z.forEach((z, i) => f[`Z${i + 1}`] = z);
  r.factors.H.forEach((h, i) => f[`H${i + 1}`] = h);
  return f;
}

/** One line per pretrained layer, for the run's log and report. */
function _pretrainMessages(r: DeepSemiNmfResult): string[] {
  return r.pretraining.map((p, i) =>
    `Pretraining layer ${i + 1}: ${p.nIter} iterations, loss ${p.loss[0]?.toPrecision(5)} -> ` +
    `${p.loss.at(-1)?.toPrecision(5)}${p.converged ? " (converged)" : ""}`
  );
}

/**
 * Fits a stretch of a deep model (pretraining first when starting fresh). The
 * samples are not L2-normalized (deepSemiNmf's normalize: false), so that
 * Z₁⋯Z_i H_i reconstructs the pixels the evaluation compares against.
 */
async function _deepFit(
  ctx: FitContext,
  seg: FitSegment,
  graphs: (CsrGraph | null)[] | undefined,
): Promise<FactorizationResult<Factors>> {
  const { gpu, input, config: c } = ctx;
  const m = c.layers.length;
  const r = await deepSemiNmf(gpu, input, {
    layers: c.layers,
    normalize: false,
    maxIter: seg.maxIter,
    pretrainMaxIter: c.pretrainIters,
    tol: seg.tol,
    seed: c.seed,
    ...(graphs ? { graphs, lambdas: graphs.map((g, i) => (g ? c.lambda[i] : 0)) } : {}),
    ...(seg.start
      ? {
        init: "custom" as const,
        Z: Array.from({ length: m }, (_, i) => seg.start![`Z${i + 1}`]),
        H: Array.from({ length: m }, (_, i) => seg.start![`H${i + 1}`]),
      }
      : {}),
  });
  return {
    ...r,
    factors: _deepFactors(r),
    messages: [..._pretrainMessages(r), ...r.messages],
  };
}

const deepSemiNmfEntry: ModelEntry = {
  label: (c) => `Deep Semi-NMF, layers ${c.layers.join("-")}`,
  resumable: true,
  ignores: ["solver", "rank", "init", "graph", "lambda", "graphReduce"],
  fit: (ctx, seg) => _deepFit(ctx, seg, undefined),
  layers: deepLayers,
};

const deepWsfEntry: ModelEntry = {
  label: (c) =>
    `Deep WSF, layers ${c.layers.join("-")}, graphs ${c.graph.join("/")}, λ ${c.lambda.join("/")}`,
  resumable: true,
  ignores: ["solver", "rank", "init"],
  async fit(ctx, seg) {
    const { gpu, input, config: c } = ctx;
    const graphs = await _cachedGraphs(ctx, () =>
      attributeGraphs(gpu, input, {
        labels: c.graph.map((g) => (g === "none" ? null : ctx.labelCodes(g))),
        ...(c.graphReduce ? { reduce: c.graphReduce } : {}),
      }));
    return _deepFit(ctx, seg, graphs);
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
 * const entry = modelEntry("nmf");
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
