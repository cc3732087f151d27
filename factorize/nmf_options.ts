/**
 * Options of the NMF family, declared once, and their up-front checks.
 *
 * @module
 */

import type { HostMatrix } from "./factorization_result.ts";
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

/** The options of the NMF family (nmf, openNmfFit, nmfTransform, the NMF class). */
export const NMF_OPTIONS = {
  rank: { type: "integer", min: 1, required: true, doc: "Number of components k (<= min(d, n))." },
  solver: {
    type: "string",
    oneOf: ["mu", "cd", "pgd", "als"],
    default: "mu",
    doc: "Multiplicative updates, coordinate descent (HALS), projected gradient or ALS.",
  },
  betaLoss: {
    type: "string",
    oneOf: ["frobenius", "kullback-leibler"],
    default: "frobenius",
    doc: 'The loss; "kullback-leibler" needs solver "mu".',
  },
  init: {
    type: "string",
    oneOf: ["random", "nndsvd", "nndsvda", "nndsvdar", "custom"],
    nullable: true,
    default: null,
    doc: "Initialization; null: nndsvda (random for KL), as scikit-learn.",
  },
  alphaW: {
    type: "number",
    min: 0,
    default: 0,
    doc: "Penalty on W (d x k), scaled by n as scikit-learn scales its H penalty.",
  },
  alphaH: {
    type: "number",
    min: 0,
    also: ["same"],
    default: "same",
    doc: 'Penalty on H (k x n), scaled by d; "same" uses alphaW.',
  },
  l1Ratio: {
    type: "number",
    min: 0,
    max: 1,
    default: 0,
    doc: "Share of L1 in the penalties (0: L2 only, 1: L1 only).",
  },
  ...FIT_OPTIONS,
  seed: { ...FIT_OPTIONS.seed, doc: "Seed of the random init and the randomized SVD." },
  mask: objectOption<Float32Array | Uint8Array | null>(
    'Observed entries (1) and missing ones (0), in the data\'s layout; solver "mu" only.',
  ),
  W: objectOption<HostMatrix | null>('Initial W (d x k) for init "custom".'),
  H: objectOption<HostMatrix | null>('Initial H (k x n) for init "custom".'),
} as const;

/** Options of the NMF family (see {@linkcode NMF_OPTIONS}). */
export type NmfOptions = OptionsOf<typeof NMF_OPTIONS>;
/** NMF solvers: multiplicative updates, HALS / coordinate descent, projected gradient, ALS. */
export type NmfSolver = NonNullable<NmfOptions["solver"]>;
/** Losses: Frobenius (all solvers) or generalized Kullback-Leibler (MU only). */
export type BetaLoss = NonNullable<NmfOptions["betaLoss"]>;
/** Initializations; `custom` takes W and H from the options. */
export type NmfInit = NonNullable<NmfOptions["init"]>;

/** Options with every default filled in. */
export type ResolvedNmfOptions = Omit<ResolvedOf<typeof NMF_OPTIONS>, "init" | "alphaH"> & {
  init: NmfInit;
  alphaH: number;
};

/**
 * Checks `options` against {@linkcode NMF_OPTIONS} and their rules and fills in
 * the defaults; throws an {@linkcode OptionError} naming the option (as
 * `naming.name` says, e.g. a flag).
 *
 * @example
 * ```ts
 * console.log(resolveNmfOptions({ rank: 5 }).solver); // "mu"
 * try {
 *   resolveNmfOptions({ rank: 0 });
 * } catch (e) {
 *   console.log((e as Error).message); // Option rank must be an integer >= 1, got 0
 * }
 * ```
 */
export function resolveNmfOptions(
  options: NmfOptions,
  naming: Omit<ResolveOptions, "what"> = {},
): ResolvedNmfOptions {
  const o = resolveOptions(NMF_OPTIONS, options, { what: "NMF", ...naming });
  const name = naming.name ?? optionName;
  if (o.betaLoss === "kullback-leibler" && o.solver !== "mu") {
    throw new OptionError(
      `${name("betaLoss")} "kullback-leibler" needs solver "mu", got "${o.solver}"`,
    );
  }
  if (o.mask && o.solver !== "mu") {
    throw new OptionError(`${name("mask")} needs solver "mu", got solver "${o.solver}"`);
  }
  if (o.init === "custom" && !o.from && (!o.W || !o.H)) {
    throw new OptionError(`${name("init")} "custom" needs both W and H`);
  }
  return {
    ...o,
    init: o.init ?? (o.betaLoss === "frobenius" ? "nndsvda" : "random"),
    alphaH: o.alphaH === "same" ? o.alphaW : o.alphaH,
  };
}

/** L1 and L2 penalties of W and H in the units the updates use. */
export interface Penalties {
  /** L1 on W. */
  l1W: number;
  /** L2 on W. */
  l2W: number;
  /** L1 on H. */
  l1H: number;
  /** L2 on H. */
  l2H: number;
}

/**
 * scikit-learn's scaling of alpha and l1Ratio for X of d features and n
 * samples: sklearn's W (n x k) is our Hᵀ and its penalty is scaled by the
 * number of features, so ours on H is scaled by d and ours on W by n.
 * The objective is ½‖X − WH‖² + l1W‖W‖₁ + ½ l2W‖W‖² + l1H‖H‖₁ + ½ l2H‖H‖².
 *
 * @example
 * ```ts
 * const p = penalties(resolveNmfOptions({ rank: 5, alphaW: 0.1, l1Ratio: 1 }), 100, 50);
 * console.log(p.l1W, p.l1H, p.l2H); // 5 10 0: alphaH defaults to alphaW
 * ```
 */
export function penalties(o: ResolvedNmfOptions, d: number, n: number): Penalties {
  return {
    l1W: n * o.alphaW * o.l1Ratio,
    l2W: n * o.alphaW * (1 - o.l1Ratio),
    l1H: d * o.alphaH * o.l1Ratio,
    l2H: d * o.alphaH * (1 - o.l1Ratio),
  };
}
