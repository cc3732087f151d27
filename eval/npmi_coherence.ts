/**
 * Topic coherence by normalized pointwise mutual information over a corpus
 * (Bouma 2009; Lau, Newman & Baldwin 2014): for each pair of a topic's top
 * words, NPMI = ln(p(a, b) / (p(a) p(b))) / −ln p(a, b), with p the share of
 * documents holding the words; a topic's coherence is the mean over its pairs.
 *
 * @module
 */

/** Documents as sets of term indices: CSR rows (values are ignored, only presence counts). */
export interface DocumentTerms {
  /** Documents. */
  n: number;
  /** Row r's terms are indices[indptr[r] ..< indptr[r + 1]]. */
  indptr: ArrayLike<number>;
  /** Term of each entry. */
  indices: ArrayLike<number>;
}

/**
 * NPMI coherence of each topic (a list of term indices) over `docs`, in [-1, 1]:
 * 1 when the words always occur together, 0 when independent, −1 for a pair
 * that never co-occurs (the usual convention for p(a, b) = 0).
 *
 * @example
 * ```ts
 * // Four documents: terms 0 and 1 always together, term 2 alone.
 * const docs = { n: 4, indptr: [0, 2, 4, 5, 5], indices: [0, 1, 0, 1, 2] };
 * console.log(npmiCoherence([[0, 1], [0, 2]], docs)); // [ 1, -1 ]
 * ```
 */
export function npmiCoherence(topics: number[][], docs: DocumentTerms): number[] {
  const wanted = new Set(topics.flat());
  // For every wanted term, the documents it is in (sorted), to intersect pairs.
  const postings = new Map<number, number[]>([...wanted].map((t) => [t, []]));
  for (let r = 0; r < docs.n; r++) {
    for (let e = docs.indptr[r]; e < docs.indptr[r + 1]; e++) {
      const list = postings.get(docs.indices[e]);
      if (list && list.at(-1) !== r) list.push(r);
    }
  }
  const together = (a: number[], b: number[]) => {
    let i = 0, j = 0, k = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        k++;
        i++;
        j++;
      } else if (a[i] < b[j]) i++;
      else j++;
    }
    return k;
  };
  return topics.map((words) => {
    let sum = 0, pairs = 0;
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j < words.length; j++) {
        const a = postings.get(words[i])!, b = postings.get(words[j])!;
        const pab = together(a, b) / docs.n;
        const pa = a.length / docs.n, pb = b.length / docs.n;
        sum += pab === 0 ? -1 : pab === 1 ? 1 : Math.log(pab / (pa * pb)) / -Math.log(pab);
        pairs++;
      }
    }
    return pairs ? sum / pairs : 0;
  });
}
