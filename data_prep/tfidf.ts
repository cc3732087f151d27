/**
 * Documents (token lists) to a sparse term matrix with scikit-learn's
 * TfidfVectorizer semantics, so results compare with it: document-frequency
 * pruning, a vocabulary cap by corpus counts, smooth idf, optional sublinear
 * tf, L2-normalized rows.
 *
 * @module
 */

import { ENGLISH_STOP_WORDS } from "./tokenize.ts";

/** Options of {@linkcode tfidf}. */
export interface TfidfOptions {
  /** Words left out before counting; default the shipped English list, `null` for none. */
  stopWords?: ReadonlySet<string> | null;
  /** Fewest documents a term must be in: below 1 a fraction of them, else a count. Default 1. */
  minDf?: number;
  /** Most documents a term may be in: at most 1 a fraction, else a count. Default 1 (all). */
  maxDf?: number;
  /** Keep this many terms, those most frequent in the corpus (ties by word). Default all. */
  maxFeatures?: number | null;
  /** "tfidf" (default) or "tf": raw term counts, no idf. */
  weighting?: "tfidf" | "tf";
  /** Replace a count c by 1 + ln c. Default false. */
  sublinearTf?: boolean;
  /** "l2" (default): every document's row to unit length; "none". */
  norm?: "l2" | "none";
}

/** A documents x terms matrix in CSR form. */
export interface TermMatrix {
  /** Terms, sorted (the columns). */
  vocabulary: string[];
  /** Documents (rows). */
  n: number;
  /** Row r's entries are indptr[r] ..< indptr[r + 1]. */
  indptr: Uint32Array;
  /** Column of each entry, ascending within a row. */
  indices: Uint32Array;
  /** Value of each entry. */
  values: Float32Array;
  /** Documents each term is in. */
  documentFrequency: Uint32Array;
  /** ln((1 + n) / (1 + df)) + 1 per term, or null with weighting "tf". */
  idf: Float64Array | null;
}

/** A df bound in documents: below 1 (or exactly 1 when `oneIsAll`) a fraction of `n`, else a count. */
function _bound(name: string, v: number, n: number, oneIsAll: boolean): number {
  if (!(v > 0)) throw new RangeError(`Option ${name} must be > 0, got ${v}`);
  if (v < 1 || (oneIsAll && v === 1)) return v * n;
  if (!Number.isInteger(v)) {
    throw new RangeError(`Option ${name} ${v}: give a fraction below 1 or a whole count`);
  }
  return v;
}

/**
 * The term matrix of `docs`. Terms in fewer than `minDf` or more than `maxDf`
 * documents are dropped, then the `maxFeatures` most frequent remain;
 * tf-idf = tf · (ln((1 + n) / (1 + df)) + 1), rows L2-normalized (empty rows
 * stay zero). Throws an Error when no term is left, saying which option to change.
 *
 * @example
 * ```ts
 * const m = tfidf([["gpu", "nmf", "nmf"], ["gpu", "faces"]], { norm: "none" });
 * console.log(m.vocabulary, [...m.indptr], [...m.indices]); // [ "faces", "gpu", "nmf" ] [ 0, 2, 4 ] [ 1, 2, 0, 1 ]
 * console.log(m.values[1].toFixed(4)); // 2.8109: two counts of "nmf" times ln(3 / 2) + 1
 * ```
 */
export function tfidf(docs: string[][], options: TfidfOptions = {}): TermMatrix {
  const stop = options.stopWords === undefined ? ENGLISH_STOP_WORDS : options.stopWords;
  const n = docs.length;
  const minDf = _bound("minDf", options.minDf ?? 1, n, false);
  const maxDf = _bound("maxDf", options.maxDf ?? 1, n, true);
  const df = new Map<string, number>();
  const total = new Map<string, number>();
  const counts = docs.map((tokens) => {
    const c = new Map<string, number>();
    for (const t of tokens) if (!stop?.has(t)) c.set(t, (c.get(t) ?? 0) + 1);
    for (const [t, k] of c) {
      df.set(t, (df.get(t) ?? 0) + 1);
      total.set(t, (total.get(t) ?? 0) + k);
    }
    return c;
  });
  let terms = [...df.keys()].filter((t) => df.get(t)! >= minDf && df.get(t)! <= maxDf);
  const limit = options.maxFeatures ?? null;
  if (limit !== null) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`Option maxFeatures must be a whole number >= 1, got ${limit}`);
    }
    terms.sort((a, b) => total.get(b)! - total.get(a)! || (a < b ? -1 : 1));
    terms = terms.slice(0, limit);
  }
  if (terms.length === 0) {
    throw new Error(
      `No terms are left of ${df.size} in ${n} documents after pruning (min df ${minDf}, max df ` +
        `${maxDf}); lower --min-df or raise --max-df`,
    );
  }
  const vocabulary = terms.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const column = new Map(vocabulary.map((t, i) => [t, i]));
  const documentFrequency = Uint32Array.from(vocabulary, (t) => df.get(t)!);
  const idf = options.weighting === "tf"
    ? null
    : Float64Array.from(documentFrequency, (f) => Math.log((1 + n) / (1 + f)) + 1);
  const indptr = new Uint32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  counts.forEach((c, r) => {
    const row = [...c].map(([t, k]) => [column.get(t), k] as const)
      .filter((e): e is readonly [number, number] => e[0] !== undefined)
      .sort((a, b) => a[0] - b[0]);
    const w = row.map(([j, k]) => (options.sublinearTf ? 1 + Math.log(k) : k) * (idf?.[j] ?? 1));
    const norm = options.norm === "none" ? 1 : Math.sqrt(w.reduce((s, x) => s + x * x, 0)) || 1;
    row.forEach(([j], i) => {
      cols.push(j);
      vals.push(w[i] / norm);
    });
    indptr[r + 1] = cols.length;
  });
  return {
    vocabulary,
    n,
    indptr,
    indices: Uint32Array.from(cols),
    values: Float32Array.from(vals),
    documentFrequency,
    idf,
  };
}
