/**
 * Options of the NMF family and their up-front checks.
 *
 * @module
 */

/** NMF solvers: multiplicative updates, HALS / coordinate descent, projected gradient, ALS. */
export type NmfSolver = "mu" | "cd" | "pgd" | "als";
/** Losses: Frobenius (all solvers) or generalized Kullback-Leibler (MU only). */
export type BetaLoss = "frobenius" | "kullback-leibler";
/** Initializations; `custom` takes W and H from the fit options. */
export type NmfInit = "random" | "nndsvd" | "nndsvda" | "nndsvdar" | "custom";

/** Options shared by the NMF family. */
export interface NmfOptions {
  /** Number of components k (1 <= k <= min(d, n)). Required. */
  rank: number;
  /** Solver. Default "mu". */
  solver?: NmfSolver;
  /** Loss. Default "frobenius"; "kullback-leibler" needs solver "mu". */
  betaLoss?: BetaLoss;
  /** Initialization. Default "nndsvda" (or "random" for KL), like scikit-learn for MU. */
  init?: NmfInit;
  /** Most iterations. Default 200. */
  maxIter?: number;
  /** Tolerance of scikit-learn's rule: stop when (previous − current) / initial error < tol. Default 1e-4. */
  tol?: number;
  /** Check the loss (and the tolerance rule) every this many iterations. Default 10. */
  checkEvery?: number;
  /** Seed of the random init and the randomized SVD. Default 0. */
  seed?: number;
  /** Penalty on W (d x k), scaled by n as scikit-learn scales its H penalty. Default 0. */
  alphaW?: number;
  /** Penalty on H (k x n), scaled by d; "same" uses alphaW. Default "same". */
  alphaH?: number | "same";
  /** Share of L1 in the penalties (0: L2 only, 1: L1 only). Default 0. */
  l1Ratio?: number;
}

/** Options with every default filled in. */
export type ResolvedNmfOptions = Required<Omit<NmfOptions, "alphaH">> & { alphaH: number };

const SOLVERS: readonly NmfSolver[] = ["mu", "cd", "pgd", "als"];
const LOSSES: readonly BetaLoss[] = ["frobenius", "kullback-leibler"];
const INITS: readonly NmfInit[] = ["random", "nndsvd", "nndsvda", "nndsvdar", "custom"];

/** Checks a numeric option (TypeError when not a number, RangeError out of [lo, hi]). */
export function _number(
  name: string,
  v: unknown,
  lo: number,
  hi: number,
  integer: boolean,
): number {
  if (typeof v !== "number" || Number.isNaN(v)) {
    throw new TypeError(
      `Option ${name} must be a number, got ${typeof v === "number" ? v : typeof v}`,
    );
  }
  if ((integer && !Number.isInteger(v)) || v < lo || v > hi) {
    throw new RangeError(
      `Option ${name} must be ${integer ? "an integer" : "a number"} in [${lo}, ${hi}], got ${v}`,
    );
  }
  return v;
}

/** Checks a string option against its allowed values. */
export function _oneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== "string") {
    throw new TypeError(`Option ${name} must be a string, got ${typeof v}`);
  }
  if (!allowed.includes(v as T)) {
    throw new RangeError(`Option ${name} must be one of ${allowed.join(", ")}, got "${v}"`);
  }
  return v as T;
}

/**
 * Checks `options` and fills in the defaults; throws a TypeError (wrong type)
 * or RangeError (bad value) naming the option.
 *
 * @example
 * ```ts
 * console.log(resolveNmfOptions({ rank: 5 }).solver); // "mu"
 * try {
 *   resolveNmfOptions({ rank: 0 });
 * } catch (e) {
 *   console.log((e as Error).message); // Option rank must be an integer in [1, 2147483648], got 0
 * }
 * ```
 */
export function resolveNmfOptions(options: NmfOptions): ResolvedNmfOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("NMF options must be an object with at least { rank }");
  }
  const known = new Set([
    "rank",
    "solver",
    "betaLoss",
    "init",
    "maxIter",
    "tol",
    "checkEvery",
    "seed",
    "alphaW",
    "alphaH",
    "l1Ratio",
  ]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`Unknown NMF option ${key}`);
  }
  const rank = _number("rank", options.rank, 1, 2 ** 31, true);
  const solver = _oneOf("solver", options.solver ?? "mu", SOLVERS);
  const betaLoss = _oneOf("betaLoss", options.betaLoss ?? "frobenius", LOSSES);
  if (betaLoss === "kullback-leibler" && solver !== "mu") {
    throw new RangeError(`Option betaLoss "kullback-leibler" needs solver "mu", got "${solver}"`);
  }
  const init = _oneOf(
    "init",
    options.init ?? (betaLoss === "frobenius" ? "nndsvda" : "random"),
    INITS,
  );
  const maxIter = _number("maxIter", options.maxIter ?? 200, 0, 1e9, true);
  const tol = _number("tol", options.tol ?? 1e-4, 0, Infinity, false);
  const checkEvery = _number("checkEvery", options.checkEvery ?? 10, 1, 1e9, true);
  const seed = _number("seed", options.seed ?? 0, 0, 2 ** 32 - 1, true);
  const alphaW = _number("alphaW", options.alphaW ?? 0, 0, Infinity, false);
  const alphaH = options.alphaH === undefined || options.alphaH === "same"
    ? alphaW
    : _number("alphaH", options.alphaH, 0, Infinity, false);
  const l1Ratio = _number("l1Ratio", options.l1Ratio ?? 0, 0, 1, false);
  return { rank, solver, betaLoss, init, maxIter, tol, checkEvery, seed, alphaW, alphaH, l1Ratio };
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
