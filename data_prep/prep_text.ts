/**
 * `deno task prep --layout text`: documents to a term dataset (tokens as
 * scikit-learn's CountVectorizer finds them, weights as its TfidfVectorizer
 * gives them), written atomically.
 *
 * @module
 */

import { resolve } from "node:path";
import { listTexts } from "./list_texts.ts";
import { type TermManifest, writeTermDataset } from "./term_dataset.ts";
import { tfidf, type TfidfOptions } from "./tfidf.ts";
import { ENGLISH_STOP_WORDS, tokenize } from "./tokenize.ts";

/** Options of {@linkcode prepText}. */
export interface PrepTextOptions extends Omit<TfidfOptions, "stopWords"> {
  /** Term dataset folder to write (replaced atomically). */
  out: string;
  /** CSV/TSV source: the text column (default "text"). */
  textColumn?: string;
  /** CSV/TSV source: the label column (default none; folders label by subfolder). */
  labelColumn?: string;
  /** "english" (default: the shipped list) or "none". */
  stopWords?: "english" | "none";
  /** Keep the first `limit` documents. */
  limit?: number;
  /** Where messages go; `null` for none. Default console.error. */
  log?: ((line: string) => void) | null;
}

/**
 * Prepares the documents of `source` (a folder of .txt files, one subfolder per
 * class or none, or a CSV/TSV with a text column) into folder `options.out`.
 * Throws an Error naming the source or option when nothing usable is left.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/docs/gpu`, { recursive: true });
 * await Deno.mkdir(`${dir}/docs/faces`);
 * await Deno.writeTextFile(`${dir}/docs/gpu/a.txt`, "WGSL kernels on the GPU.");
 * await Deno.writeTextFile(`${dir}/docs/faces/b.txt`, "Faces, parts of faces.");
 * const m = await prepText(`${dir}/docs`, { out: `${dir}/t`, log: null });
 * console.log(m.n, m.d, m.labels); // 2 5 [ "class" ]: faces gpu kernels parts wgsl
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function prepText(source: string, options: PrepTextOptions): Promise<TermManifest> {
  const log = options.log === undefined ? (l: string) => console.error(l) : options.log;
  const t0 = performance.now();
  const list = await listTexts(source, options);
  let docs = list.documents;
  if (options.limit !== undefined) docs = docs.slice(0, options.limit);
  log?.(list.description);
  const stopWords = (options.stopWords ?? "english") === "english" ? ENGLISH_STOP_WORDS : null;
  const m = tfidf(docs.map((d) => tokenize(d.text)), { ...options, stopWords });
  let empty = 0;
  for (let r = 0; r < m.n; r++) if (m.indptr[r + 1] === m.indptr[r]) empty++;
  const settings = {
    tokens: "lower-cased runs of 2+ letters, digits or _ (scikit-learn's default)",
    stopWords: stopWords ? `english (${stopWords.size} words)` : "none",
    minDf: options.minDf ?? 1,
    maxDf: options.maxDf ?? 1,
    maxFeatures: options.maxFeatures ?? null,
    weighting: options.weighting ?? "tfidf",
    idf: options.weighting === "tf" ? null : "smooth: ln((1 + n) / (1 + df)) + 1",
    sublinearTf: options.sublinearTf ?? false,
    norm: options.norm ?? "l2",
    limit: options.limit ?? null,
  };
  const labels: Record<string, string[]> = list.labelName
    ? { [list.labelName]: docs.map((d) => d.label) }
    : {};
  const manifest = await writeTermDataset(options.out, m, {
    files: docs.map((d) => d.file),
    labels,
    source: { path: resolve(source), description: list.description },
    settings,
    skipped: list.skipped,
  });
  const density = m.indices.length / (m.n * m.vocabulary.length);
  log?.(
    `Wrote ${options.out}: ${m.n} documents x ${m.vocabulary.length} terms, ${m.indices.length} ` +
      `non-zeros (${(100 * density).toFixed(2)} %), ${list.skipped.length} skipped` +
      `${empty ? `, ${empty} documents with no term left` : ""}, ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return manifest;
}
