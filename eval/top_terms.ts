/**
 * The words that make up each topic of a text NMF: the largest entries of each
 * column of W (terms x topics), as scikit-learn's topic-extraction example lists them.
 *
 * @module
 */

import type { HostMatrix } from "../factorize/factorization_result.ts";

/** One topic's words, heaviest first. */
export interface TopicTerms {
  /** Topic (column of W). */
  topic: number;
  /** Term indices into the vocabulary. */
  indices: number[];
  /** The terms. */
  terms: string[];
  /** Their weights W[t, topic]. */
  weights: number[];
}

/**
 * The `count` heaviest terms of every column of `W` (terms x k, row-major),
 * ties to the lower term index; zero weights are left out.
 *
 * @example
 * ```ts
 * const W = { rows: 3, cols: 2, data: new Float32Array([0.1, 2, 0.9, 0, 0.5, 1]) }; // terms x topics
 * const [a, b] = topTerms(W, ["gpu", "faces", "nmf"], { count: 2 });
 * console.log(a.terms, b.terms); // [ "faces", "nmf" ] [ "gpu", "nmf" ]
 * ```
 */
export function topTerms(
  W: HostMatrix,
  vocabulary: readonly string[],
  options: { count?: number } = {},
): TopicTerms[] {
  if (W.rows !== vocabulary.length) {
    throw new RangeError(`W has ${W.rows} rows but the vocabulary ${vocabulary.length} terms`);
  }
  const count = options.count ?? 10;
  return Array.from({ length: W.cols }, (_, topic) => {
    const order = Array.from({ length: W.rows }, (_, t) => t)
      .filter((t) => W.data[t * W.cols + topic] > 0)
      .sort((a, b) => W.data[b * W.cols + topic] - W.data[a * W.cols + topic] || a - b)
      .slice(0, count);
    return {
      topic,
      indices: order,
      terms: order.map((t) => vocabulary[t]),
      weights: order.map((t) => W.data[t * W.cols + topic]),
    };
  });
}
