/**
 * Normalized mutual information of two labelings.
 *
 * @module
 */

import { contingencyTable, type Labels } from "./contingency_table.ts";

/** How {@linkcode nmi} normalizes the mutual information. */
export type NmiNormalization = "arithmetic" | "geometric" | "max" | "min";

/** Options of {@linkcode nmi}. */
export interface NmiOptions {
  /**
   * Denominator: the arithmetic mean (H(U) + H(V)) / 2 (default; scikit-learn's
   * default and Manning et al.'s IR book), the geometric mean √(H(U) H(V)), or
   * max / min of the two entropies ("max" is what Deng Cai's MutualInfo.m
   * divides by, without its label smoothing).
   */
  normalization?: NmiNormalization;
}

/**
 * NMI(U, V) = I(U; V) / mean(H(U), H(V)) in [0, 1], computed from the
 * contingency table (natural logs; the base cancels). 1 for labelings equal up
 * to renaming, 0 for independent ones. When both labelings have a single
 * cluster it returns 1; when exactly one does, 0.
 *
 * @example
 * ```ts
 * console.log(nmi([0, 0, 1, 1], [1, 1, 0, 0])); // 1
 * console.log(nmi([0, 0, 1, 1], [0, 1, 0, 1])); // 0
 * ```
 */
export function nmi(truth: Labels, pred: Labels, options: NmiOptions = {}): number {
  const normalization = options.normalization ?? "arithmetic";
  if (!["arithmetic", "geometric", "max", "min"].includes(normalization)) {
    throw new RangeError(
      `nmi: normalization "${normalization}" is unknown; use arithmetic, geometric, max or min`,
    );
  }
  const { table, rowLabels, colLabels, n } = contingencyTable(truth, pred);
  const rows = rowLabels.length;
  const cols = colLabels.length;
  const a = new Float64Array(rows);
  const b = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      a[r] += table[r * cols + c];
      b[c] += table[r * cols + c];
    }
  }
  const entropy = (counts: Float64Array) => {
    let h = 0;
    for (const x of counts) if (x > 0) h -= (x / n) * Math.log(x / n);
    return h;
  };
  const hu = entropy(a);
  const hv = entropy(b);
  if (hu === 0 && hv === 0) return 1;
  if (hu === 0 || hv === 0) return 0;
  let mi = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const nij = table[r * cols + c];
      if (nij > 0) mi += (nij / n) * Math.log((n * nij) / (a[r] * b[c]));
    }
  }
  const denom = normalization === "arithmetic"
    ? (hu + hv) / 2
    : normalization === "geometric"
    ? Math.sqrt(hu * hv)
    : normalization === "max"
    ? Math.max(hu, hv)
    : Math.min(hu, hv);
  return Math.min(1, Math.max(0, mi / denom));
}
