/**
 * The models the train task knows, as data: how to open a run's resumable fit
 * (fresh or from a stored snapshot) and how to list fitted factors' layers for
 * evaluation. Adding a model is one entry.
 *
 * @module
 */

import type { DataInput } from "../factorize/data_matrix.ts";
import { isSparseInput, type SparseDataInput } from "../factorize/sparse_data_matrix.ts";
import { openDeepSemiNmfFit } from "../factorize/deep_semi_nmf.ts";
import {
  type Activation,
  DEEP_SEMI_NMF_OPTIONS,
  type DeepSemiNmfOptions,
} from "../factorize/deep_semi_nmf_options.ts";
import type { HostMatrix } from "../factorize/factorization_result.ts";
import type { Fit, FitSnapshot } from "../factorize/fit.ts";
import type { StageListener } from "../factorize/stage_progress.ts";
import { GNMF_OPTIONS, type GnmfOptions, gnmfOutput, openGnmfFit } from "../factorize/gnmf.ts";
import { nmfInverseTransform, openNmfFit } from "../factorize/nmf.ts";
import { NMF_OPTIONS, type NmfOptions, type NmfSolver } from "../factorize/nmf_options.ts";
import type { OptionSchema } from "../factorize/option_schema.ts";
import { deepDecode } from "../factorize/deep_decode.ts";
import { attributeGraphs, sampleGraph } from "../factorize/sample_graph.ts";
import { openSemiNmfFit, SEMI_NMF_OPTIONS, type SemiNmfOptions } from "../factorize/semi_nmf.ts";
import type { Gpu } from "../gpu/gpu.ts";
import type { CsrGraph } from "../gpu/gpu_csr.ts";
import type { GraphWeight } from "../factorize/knn_graph.ts";
import type { Factors } from "./factor_store.ts";
import { CHECK_EVERY, libraryOptions, type ModelName, type TrainConfig } from "./train_config.ts";

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
  /**
   * X̂ from codes of this layer when the model's decoder is not basis · codes (a
   * non-linear deep model); `basis` is then the decoder's image of each unit code.
   */
  decode?: (codes: HostMatrix, options: { samplesAsRows?: boolean }) => Promise<HostMatrix>;
}

/** What a model's fit gets: the device, the data, the run's configuration. */
export interface FitContext {
  gpu: Gpu;
  /** The data, samples as rows: dense, or a sparse corpus (documents x terms) for NMF. */
  input: DataInput | SparseDataInput;
  config: TrainConfig;
  /**
   * Codes of a label column of the dataset for label graphs: -1 where the value is empty
   * and for the test samples of the evaluation split (so probes see no leaked labels).
   */
  labelCodes(name: string): Int32Array;
  /** Receives the stages of opening the fit (graphs, pretraining) as they go. */
  onStage?: StageListener;
}

/** The dense data of a model that takes no sparse corpus (refused before any run folder). */
function _dense(ctx: FitContext): DataInput {
  if (isSparseInput(ctx.input)) {
    throw new RangeError(`Model ${ctx.config.model} needs dense data, not a text corpus: use nmf`);
  }
  return ctx.input;
}

/** Builds a fit's graphs as the stage "graphs", reported at its start and end. */
async function _graphStage<T>(ctx: FitContext, count: number, build: () => Promise<T>): Promise<T> {
  const report = (done: number, summary?: string) =>
    ctx.onStage?.({ stage: "graphs", done, total: count, unit: "graph", summary });
  report(0);
  const graphs = await build();
  report(count, `${count} kNN graph${count === 1 ? "" : "s"} of ${ctx.input.n} samples`);
  return graphs;
}

/** One model of the table. */
export interface ModelEntry {
  /** Human name, e.g. "NMF (HALS), k=40". */
  label(config: TrainConfig): string;
  /** Whether the model needs X >= 0 (NMF, GNMF); semi-NMF and the deep models take any sign. */
  nonNegative: boolean;
  /** Whether the model fits a sparse text corpus (a term dataset). */
  text: boolean;
  /**
   * Opens the run's resumable fit (its `maxIter` iterations and tolerance, checked every
   * {@linkcode CHECK_EVERY}): fresh, or continuing from a stored snapshot.
   */
  open(ctx: FitContext, from: FitSnapshot | null): Promise<Fit<unknown>>;
  /** The layers of fitted factors (products of a deep model's Z computed on the GPU). */
  layers(gpu: Gpu, factors: Factors, config: TrainConfig): Promise<Layer[]>;
}

const _SOLVER_LABELS: Record<NmfSolver, string> = {
  mu: "MU",
  cd: "HALS",
  pgd: "projected gradient",
  als: "ALS",
};

function _oneLayer(f: Factors): Promise<Layer[]> {
  return Promise.resolve([{ name: "H", basisName: "W", basis: f.W, codes: f.H }]);
}

/** The library options of a run's config, checked every {@linkcode CHECK_EVERY}. */
function _library(c: TrainConfig, schema: OptionSchema, from: FitSnapshot | null) {
  return { ...libraryOptions(c, schema), checkEvery: CHECK_EVERY, from };
}

const nmfEntry: ModelEntry = {
  nonNegative: true,
  text: true,
  label: (c) =>
    `NMF (${
      c.betaLoss === "kullback-leibler" ? "KL MU" : _SOLVER_LABELS[c.solver as NmfSolver]
    }), k=${c.rank}`,
  open: ({ gpu, input, config }, from) =>
    openNmfFit(gpu, input, _library(config, NMF_OPTIONS, from) as NmfOptions),
  layers: (_gpu, f) => _oneLayer(f),
};

const semiNmfEntry: ModelEntry = {
  nonNegative: false,
  text: false,
  label: (c) => `Semi-NMF, k=${c.rank}`,
  open: (ctx, from) =>
    openSemiNmfFit(
      ctx.gpu,
      _dense(ctx),
      _library(ctx.config, SEMI_NMF_OPTIONS, from) as SemiNmfOptions,
    ),
  layers: (_gpu, f) => _oneLayer(f),
};

/**
 * The layers of a deep fit with factors Z1..Zm and H1..Hm: layer i has codes H_i
 * and basis Z₁⋯Z_i (products on the GPU); with a non-linear `activation`, the
 * decoder X̂ = Z₁ g(⋯ g(Z_i H_i)) and as basis its image of each unit code.
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
export async function deepLayers(
  gpu: Gpu,
  f: Factors,
  activation: Activation = "linear",
): Promise<Layer[]> {
  const out: Layer[] = [];
  const Z: HostMatrix[] = [];
  let basis: HostMatrix | null = null;
  let name = "";
  for (let i = 1; f[`Z${i}`]; i++) {
    const z = f[`Z${i}`];
    Z.push(z);
    name += `Z${i}`;
    const codes = f[`H${i}`];
    if (!codes) throw new RangeError(`Deep factors have Z${i} but no H${i}`);
    if (activation === "linear" || i === 1) {
      basis = basis ? await nmfInverseTransform(gpu, basis, z) : z;
      out.push({ name: `H${i}`, basisName: name, basis, codes });
      continue;
    }
    const zs = [...Z];
    const decode = (h: HostMatrix, o: { samplesAsRows?: boolean }) =>
      deepDecode(gpu, h, { Z: zs, activation, layer: i, ...o });
    const k = z.cols;
    const unit = new Float32Array(k * k);
    for (let j = 0; j < k; j++) unit[j * k + j] = 1;
    const images = await decode({ rows: k, cols: k, data: unit }, {});
    const basisName = `${zs.map((_, j) => `Z${j + 1}`).join(" g ")} decoder`; // Z1 g Z2 decoder
    out.push({ name: `H${i}`, basisName, basis: images, codes, decode });
  }
  return out;
}

/** " (Adam, relu)" for gradient fine-tuning; nothing for the authors' MATLAB sweeps. */
const _fineTune = (c: TrainConfig) => c.optimizer === "adam" ? ` (Adam, ${c.activation})` : "";

const _deepLayers = (gpu: Gpu, f: Factors, c: TrainConfig) =>
  deepLayers(gpu, f, (c.activation as Activation | undefined) ?? "linear");

const gnmfEntry: ModelEntry = {
  nonNegative: true,
  text: false,
  label: (c) =>
    `GNMF, k=${c.rank}, α=${c.alpha}, ${c.neighbors}-NN graph${
      c.graph ? ` within ${c.graph}` : ""
    }`,
  async open(ctx, from) {
    const { gpu, config: c } = ctx;
    const input = _dense(ctx);
    const graph = await _graphStage(ctx, 1, () =>
      sampleGraph(gpu, input, {
        k: c.neighbors as number,
        weight: c.weight as GraphWeight,
        ...(c.graphReduce ? { reduce: c.graphReduce as number } : {}),
        ...(c.graph ? { labels: ctx.labelCodes(c.graph as string) } : {}),
      }));
    const options = { ..._library(c, GNMF_OPTIONS, from), graph } as GnmfOptions;
    return await openGnmfFit(gpu, input, options);
  },
  // Cai's scaling of the fitted factors (W's columns to unit length) before evaluation.
  layers: (_gpu, f) => _oneLayer({ ...gnmfOutput(f) }),
};

/**
 * Opens a deep model's fit (pretraining first when fresh). The samples are not
 * L2-normalized (normalize: false), so that Z₁⋯Z_i H_i reconstructs the pixels
 * the evaluation compares against.
 */
function _openDeep(
  ctx: FitContext,
  from: FitSnapshot | null,
  graphs: (CsrGraph | null)[] | null,
): Promise<Fit<unknown>> {
  const { gpu, config, onStage } = ctx;
  const options = {
    ..._library(config, DEEP_SEMI_NMF_OPTIONS, from),
    normalize: false,
    graphs,
    onStage: onStage ?? null,
  };
  return openDeepSemiNmfFit(gpu, _dense(ctx), options as DeepSemiNmfOptions);
}

const deepSemiNmfEntry: ModelEntry = {
  nonNegative: false,
  text: false,
  label: (c) => `Deep Semi-NMF${_fineTune(c)}, layers ${(c.layers as number[]).join("-")}`,
  open: (ctx, from) => _openDeep(ctx, from, null),
  layers: _deepLayers,
};

const deepWsfEntry: ModelEntry = {
  nonNegative: false,
  text: false,
  label: (c) =>
    `Deep WSF${_fineTune(c)}, layers ${(c.layers as number[]).join("-")}, graphs ${
      (c.graphs as string[]).join("/")
    }, λ ${(c.lambdas as number[]).join("/")}`,
  async open(ctx, from) {
    const { gpu, config: c } = ctx;
    const input = _dense(ctx);
    const labels = (c.graphs as string[]).map((g) => (g === "none" ? null : ctx.labelCodes(g)));
    const graphs = await _graphStage(
      ctx,
      labels.filter((l) => l).length,
      () =>
        attributeGraphs(gpu, input, {
          labels,
          ...(c.graphReduce ? { reduce: c.graphReduce as number } : {}),
        }),
    );
    return await _openDeep(ctx, from, graphs);
  },
  layers: _deepLayers,
};

/** The model table. */
export const MODELS: Record<ModelName, ModelEntry> = {
  nmf: nmfEntry,
  "semi-nmf": semiNmfEntry,
  "deep-semi-nmf": deepSemiNmfEntry,
  "deep-wsf": deepWsfEntry,
  gnmf: gnmfEntry,
};

/**
 * The entry of `model`.
 *
 * @example
 * ```ts
 * import { resolveTrainConfig } from "./train_config.ts";
 * const config = resolveTrainConfig([{ source: "cli", values: { data: "ds", solver: "cd" } }]);
 * console.log(modelEntry(config.model).label(config)); // NMF (HALS), k=40
 * ```
 */
export function modelEntry(model: ModelName): ModelEntry {
  return MODELS[model];
}
