import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { tfidf } from "../../data_prep/tfidf.ts";
import { seededRandom } from "../../factorize/seeded_random.ts";

/** A seeded corpus of `n` documents over words w0..w29 (Zipf-like), some documents empty. */
function corpus(n: number, seed: number): string[][] {
  const rand = seededRandom(seed);
  return Array.from(
    { length: n },
    (_, i) =>
      i % 7 === 3 ? [] : Array.from({ length: 1 + Math.floor(rand() * 12) }, () => {
        return `w${Math.floor(30 * rand() ** 2)}`;
      }),
  );
}

/** The definitions in float64: counts, smooth idf, optional sublinear tf, L2 rows. */
function reference(docs: string[][], vocab: string[], sublinear: boolean): number[][] {
  const n = docs.length;
  const df = vocab.map((t) => docs.filter((d) => d.includes(t)).length);
  const idf = df.map((f) => Math.log((1 + n) / (1 + f)) + 1);
  return docs.map((d) => {
    const row = vocab.map((t, j) => {
      const c = d.filter((x) => x === t).length;
      return c === 0 ? 0 : (sublinear ? 1 + Math.log(c) : c) * idf[j];
    });
    const norm = Math.sqrt(row.reduce((s, x) => s + x * x, 0)) || 1;
    return row.map((x) => x / norm);
  });
}

function dense(m: ReturnType<typeof tfidf>): number[][] {
  return Array.from({ length: m.n }, (_, r) => {
    const row = new Array(m.vocabulary.length).fill(0);
    for (let e = m.indptr[r]; e < m.indptr[r + 1]; e++) row[m.indices[e]] = m.values[e];
    return row;
  });
}

Deno.test("tfidf equals its float64 definition (smooth idf, L2 rows, sublinear tf), empty rows zero", () => {
  const docs = corpus(53, 1);
  for (const sublinear of [false, true]) {
    const m = tfidf(docs, { stopWords: null, sublinearTf: sublinear });
    const want = reference(docs, m.vocabulary, sublinear);
    const got = dense(m);
    let worst = 0;
    for (let r = 0; r < docs.length; r++) {
      for (let j = 0; j < m.vocabulary.length; j++) {
        worst = Math.max(worst, Math.abs(got[r][j] - want[r][j]));
      }
    }
    ok(worst < 1e-6, `max error ${worst} (float32 values)`);
    equal(m.indptr[4], m.indptr[3], "document 3 is empty: an empty row");
    for (let r = 0; r < m.n; r++) {
      for (let e = m.indptr[r] + 1; e < m.indptr[r + 1]; e++) ok(m.indices[e] > m.indices[e - 1]);
    }
  }
  deepEqual([
    ...tfidf([["b", "a", "b"]], { weighting: "tf", norm: "none", stopWords: null }).values,
  ], [1, 2]);
});

Deno.test("tfidf prunes by document frequency, then keeps the most frequent terms, sorted", () => {
  const docs = [["x", "y", "the"], ["x", "z", "z"], ["x", "y", "q"], ["x"]];
  deepEqual(tfidf(docs).vocabulary, ["q", "x", "y", "z"], "english stop words: the");
  deepEqual(tfidf(docs, { stopWords: null }).vocabulary, ["q", "the", "x", "y", "z"]);
  deepEqual(tfidf(docs, { minDf: 2 }).vocabulary, ["x", "y"]);
  deepEqual(tfidf(docs, { maxDf: 0.9 }).vocabulary, ["q", "y", "z"], "x is in every document");
  deepEqual(tfidf(docs, { maxDf: 2 }).vocabulary, ["q", "y", "z"]);
  deepEqual(
    tfidf(docs, { maxFeatures: 2 }).vocabulary,
    ["x", "y"],
    "x 4 times; y and z twice: y by word",
  );
  equal(tfidf(docs, { minDf: 0.5 }).documentFrequency.join(), "4,2");
  throws(() => tfidf(docs, { minDf: 5 }), /No terms are left of 4 in 4 documents .*lower --min-df/);
  throws(() => tfidf(docs, { minDf: 1.5 }), /minDf 1\.5: give a fraction below 1 or a whole count/);
  throws(() => tfidf(docs, { maxFeatures: 0 }), /maxFeatures must be a whole number >= 1/);
});
