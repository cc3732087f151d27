/**
 * The options of Deep Semi-NMF and Deep WSF, declared once, and their rules.
 *
 * @module
 */

import type { CsrGraph } from "../gpu/gpu_csr.ts";
import type { HostMatrix } from "./factorization_result.ts";
import type { StageListener } from "./stage_progress.ts";
import { FIT_OPTIONS } from "./fit.ts";
import {
  objectOption,
  OptionError,
  optionName,
  type OptionsOf,
  type ResolvedOf,
  type ResolveOptions,
  resolveOptions,
} from "./option_schema.ts";

/** The options of deepSemiNmf and openDeepSemiNmfFit. */
export const DEEP_SEMI_NMF_OPTIONS = {
  layers: {
    type: "integer[]",
    min: 1,
    required: true,
    doc: "Layer sizes k₁, …, k_m, first to last, not growing (k₁ <= min(d, n)).",
  },
  normalize: {
    type: "boolean",
    default: true,
    doc: "Scale every sample (column of X) to unit L2 norm first, as the authors do.",
  },
  maxIter: { ...FIT_OPTIONS.maxIter, doc: "Most fine-tuning iterations (sweeps over all layers)." },
  pretrainMaxIter: {
    type: "integer",
    min: 0,
    default: 200,
    doc: "Most semi-NMF iterations of each layer's pretraining.",
  },
  pretrainInit: {
    type: "string",
    oneOf: ["kmeans", "nndsvd", "svd"],
    default: "kmeans",
    doc: "How each layer's pretraining starts H_i: kmeans (Ding et al.), nndsvd (as the " +
      "authors' seminmf.m; its zeros stay zero, which blunts Deep WSF's graphs) or svd (their " +
      "Python appr_seminmf); on ORL none made Deep Semi-NMF beat semi-NMF.",
  },
  tol: { ...FIT_OPTIONS.tol, doc: FIT_OPTIONS.tol.doc + " For pretraining and fine-tuning." },
  checkEvery: FIT_OPTIONS.checkEvery,
  patience: {
    ...FIT_OPTIONS.patience,
    nullable: true,
    default: null,
    doc: FIT_OPTIONS.patience.doc + " For fine-tuning; null: 1 for mu, whose cost never rises, " +
      "10 for adam (scikit-learn's MLP waits 10 epochs).",
  },
  seed: { ...FIT_OPTIONS.seed, doc: "Seed of each layer's pretraining init (layer i: seed + i)." },
  ridge: {
    type: "number",
    min: 0,
    default: 1e-10,
    doc: "Relative ridge of the k x k solves (grows x10 on the GPU when one fails).",
  },
  graphs: objectOption<(CsrGraph | null)[] | null>(
    "Deep WSF: a sample graph per layer (n x n, e.g. from attributeGraphs), null for an " +
      "unsupervised layer; adds λ_i tr(H_i L_i H_iᵀ) to the cost.",
  ),
  lambdas: {
    type: "number[]",
    min: 0,
    default: [1],
    doc: "λ_i of each layer's graph term, one per layer, or one for all.",
  },
  optimizer: {
    type: "string",
    oneOf: ["mu", "adam"],
    default: "mu",
    doc: "Fine-tuning: mu, the authors' MATLAB sweeps of the linear model, or adam, gradient " +
      "steps on every Zᵢ and H̃ (their Python dsnmf.py), for any activation.",
  },
  activation: {
    type: "string",
    oneOf: ["linear", "relu", "sigmoid", "tanh", "softplus"],
    default: "linear",
    doc: "g between layers, X ≈ Z₁ g(Z₂ g(⋯ Z_m H_m)): relu as dsnmf.py, tanh = 1.7159 " +
      "tanh(2x/3); other than linear needs optimizer adam.",
  },
  nonnegative: {
    type: "string",
    oneOf: ["relu", "project"],
    default: "relu",
    doc: "Adam: keep H_m >= 0 as relu(H̃) of a free H̃ (dsnmf.py), or by projection after " +
      "each step.",
  },
  lr: { type: "number", min: 0, exclusive: true, default: 1e-3, doc: "Adam's step size α." },
  beta1: {
    type: "number",
    min: 0,
    max: 1,
    default: 0.9,
    doc: "Adam's decay of the first moment β₁.",
  },
  beta2: {
    type: "number",
    min: 0,
    max: 1,
    default: 0.999,
    doc: "Adam's decay of the second moment β₂.",
  },
  epsilon: { type: "number", min: 0, default: 1e-8, doc: "Adam's ε." },
  batchSize: {
    type: "integer",
    min: 1,
    nullable: true,
    default: null,
    doc: "Adam: samples per step, drawn without repeats from a shuffle each epoch (an " +
      "iteration is one batch, an epoch ⌈n / batchSize⌉ of them); null or >= n: all (dsnmf.py).",
  },
  init: {
    type: "string",
    oneOf: ["pretrain", "custom"],
    default: "pretrain",
    doc: 'Pretrain layer by layer, or "custom": fine-tune from Z and H.',
  },
  onStage: objectOption<StageListener | null>(
    "Called as pretraining goes: each layer's start, its checks and its end (stage " +
      '"pretraining layer i/m", unit "iteration").',
  ),
  Z: objectOption<HostMatrix[] | null>('Z₁ … Z_m to start from (init "custom").'),
  H: objectOption<HostMatrix[] | null>('H₁ … H_m to start from (init "custom").'),
  from: FIT_OPTIONS.from,
} as const;

/** Options of deepSemiNmf (see {@linkcode DEEP_SEMI_NMF_OPTIONS}). */
export type DeepSemiNmfOptions = OptionsOf<typeof DEEP_SEMI_NMF_OPTIONS>;
/** g between the layers of a Deep Semi-NMF. */
export type Activation = NonNullable<DeepSemiNmfOptions["activation"]>;

/** The options with defaults filled in: one graph (or null) and one λ per layer. */
export type ResolvedDeepSemiNmfOptions =
  & Omit<ResolvedOf<typeof DEEP_SEMI_NMF_OPTIONS>, "graphs">
  & { graphs: (CsrGraph | null)[] };

/**
 * Checks `options` against {@linkcode DEEP_SEMI_NMF_OPTIONS} and the rules
 * between them (layers do not grow, one graph per layer, one λ per layer or one
 * for all) and fills in the defaults; throws an {@linkcode OptionError}.
 *
 * @example
 * ```ts
 * const o = resolveDeepSemiNmfOptions({ layers: [64, 16], lambdas: [0.1] });
 * console.log(o.lambdas, o.graphs); // [0.1, 0.1] [null, null]
 * try {
 *   resolveDeepSemiNmfOptions({ layers: [16, 64] });
 * } catch (e) {
 *   console.log((e as Error).message); // Option layers must not grow: layers[1] = 64 > 16
 * }
 * ```
 */
export function resolveDeepSemiNmfOptions(
  options: DeepSemiNmfOptions,
  naming: Omit<ResolveOptions, "what"> = {},
): ResolvedDeepSemiNmfOptions {
  const o = resolveOptions(DEEP_SEMI_NMF_OPTIONS, options, { what: "Deep Semi-NMF", ...naming });
  const name = naming.name ?? optionName;
  const { layers } = o;
  const m = layers.length;
  if (m === 0) throw new OptionError(`${name("layers")} must list the layer sizes, e.g. [128, 40]`);
  const grows = layers.findIndex((k, i) => i > 0 && k > layers[i - 1]);
  if (grows > 0) {
    throw new OptionError(
      `${name("layers")} must not grow: layers[${grows}] = ${layers[grows]} > ${layers[grows - 1]}`,
    );
  }
  const graphs = o.graphs ?? new Array(m).fill(null);
  if (!Array.isArray(graphs) || graphs.length !== m) {
    throw new OptionError(
      `${name("graphs")} must have one entry (a graph or null) per layer (${m})`,
    );
  }
  const lambdas = o.lambdas.length === 1 ? new Array(m).fill(o.lambdas[0]) : o.lambdas;
  if (lambdas.length !== m) {
    throw new OptionError(
      `${
        name("lambdas")
      } has ${o.lambdas.length} values for ${m} layers: give one per layer or one`,
    );
  }
  if (o.activation !== "linear" && o.optimizer !== "adam") {
    throw new OptionError(
      `${name("activation")} "${o.activation}" needs optimizer "adam" (mu fits the linear model)`,
    );
  }
  if (o.batchSize !== null && o.optimizer !== "adam") {
    throw new OptionError(
      `${name("batchSize")} needs optimizer "adam" (mu sweeps use every sample)`,
    );
  }
  if (o.batchSize !== null && graphs.some((g, i) => g && lambdas[i] !== 0)) {
    throw new OptionError(
      `${name("batchSize")} cannot be used with graphs: a graph term couples samples across ` +
        "batches; fit Deep WSF on the full batch",
    );
  }
  if (o.init === "custom" && !o.from) {
    for (const key of ["Z", "H"] as const) {
      if (!Array.isArray(o[key]) || o[key]!.length !== m) {
        throw new OptionError(
          `${name("init")} "custom" needs ${key} with one matrix per layer (${m})`,
        );
      }
    }
  }
  return { ...o, graphs, lambdas };
}
