/**
 * The models the train task knows, as data: how to fit a stretch of
 * iterations (from scratch or continuing from stored factors) and how to
 * list a fit's layers for evaluation. Adding a model is one entry.
 *
 * @module
 */

import type { DataInput } from "../factorize/data_matrix.ts";
import type { FactorizationResult, HostMatrix } from "../factorize/factorization_result.ts";
import { nmf, nmfInverseTransform } from "../factorize/nmf.ts";
import type { NmfInit, NmfOptions } from "../factorize/nmf_options.ts";
import { semiNmf } from "../factorize/semi_nmf.ts";
import type { Gpu } from "../gpu/gpu.ts";
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
  /** Codes of a label column of the dataset (-1 where the value is empty), for label graphs. */
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

const _NMF_INITS = ["random", "nndsvd", "nndsvda", "nndsvdar"];

const nmfEntry: ModelEntry = {
  label: (c) => `NMF (${_SOLVERS[c.solver].label}), k=${c.rank}`,
  resumable: true,
  async fit({ gpu, input, config: c }, seg) {
    if (c.init !== null && !_NMF_INITS.includes(c.init)) {
      throw new RangeError(`Option init "${c.init}" is not an NMF init (${_NMF_INITS.join(", ")})`);
    }
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
  async fit({ gpu, input, config: c }, seg) {
    if (c.init !== null && c.init !== "kmeans" && c.init !== "random") {
      throw new RangeError(`Option init "${c.init}" is not a semi-NMF init (kmeans, random)`);
    }
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

/** The model table; models whose solver has not landed are missing. */
export const MODELS: Partial<Record<ModelName, ModelEntry>> = {
  nmf: nmfEntry,
  "semi-nmf": semiNmfEntry,
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
