/**
 * A prepared text corpus on disk: a documents x terms CSR matrix (indptr,
 * indices and values files, each checksummed in the manifest), the
 * vocabulary and the documents' labels; written atomically, opened with every
 * file checked.
 *
 * @module
 */

import { stringify } from "csv-stringify";
import { parse } from "csv-parse";
import { join } from "node:path";
import { fnv1a32, formatChecksum } from "./fnv1a.ts";
import type { SkippedFile } from "./manifest.ts";
import type { TermMatrix } from "./tfidf.ts";
import { writeAtomicDir } from "./write_atomic_dir.ts";

/** Contents of a term dataset's manifest.json. */
export interface TermManifest {
  /** Always "facet-term-dataset". */
  format: "facet-term-dataset";
  /** Format version. */
  version: 1;
  /** Documents (rows). */
  n: number;
  /** Terms (columns). */
  d: number;
  /** Stored entries. */
  nnz: number;
  /** Where the documents came from and how they were weighted. */
  source: { path: string; description: string };
  /** The settings of prep (tokenizer, stop words, df bounds, weighting). */
  settings: Record<string, unknown>;
  /** The three CSR files: name, bytes and checksum. */
  files: { name: string; bytes: number; checksum: string }[];
  /** Label columns of labels.csv (after `index` and `file`). */
  labels: string[];
  /** Documents left out, with the reason. */
  skipped: SkippedFile[];
}

/** A term dataset as {@linkcode openTermDataset} gives it. */
export interface TermDataset extends TermMatrix {
  /** Its manifest. */
  manifest: TermManifest;
  /** Each document's file (or `source[row]`). */
  files: string[];
  /** Values of a label column, one per document ("" when unknown). */
  labelColumn(name: string): string[];
}

const _bytes = (a: Uint32Array | Float32Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Writes `m` with its documents' `files` and `labels` (column name to one value
 * per document) into folder `out`, replacing it atomically.
 *
 * @example
 * ```ts
 * import { tfidf } from "./tfidf.ts";
 * const dir = await Deno.makeTempDir();
 * const m = tfidf([["gpu", "nmf"], ["faces", "nmf"]]);
 * const source = { path: "docs", description: "two documents" };
 * await writeTermDataset(`${dir}/t`, m, { files: ["a.txt", "b.txt"], labels: {}, source, settings: {}, skipped: [] });
 * const t = await openTermDataset(`${dir}/t`);
 * console.log(t.n, t.vocabulary.length, t.vocabulary, t.files); // 2 3 [ "faces", "gpu", "nmf" ] [ "a.txt", "b.txt" ]
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeTermDataset(
  out: string,
  m: TermMatrix,
  meta: Pick<TermManifest, "source" | "settings" | "skipped"> & {
    files: string[];
    labels: Record<string, string[]>;
  },
): Promise<TermManifest> {
  const names = Object.keys(meta.labels);
  const manifest: TermManifest = {
    format: "facet-term-dataset",
    version: 1,
    n: m.n,
    d: m.vocabulary.length,
    nnz: m.indices.length,
    source: meta.source,
    settings: meta.settings,
    files: [],
    labels: names,
    skipped: meta.skipped,
  };
  await writeAtomicDir(out, async (tmp) => {
    for (
      const [name, a] of [["indptr.u32", m.indptr], ["indices.u32", m.indices], [
        "values.f32",
        m.values,
      ]] as const
    ) {
      const b = _bytes(a);
      await Deno.writeFile(join(tmp, name), b);
      manifest.files.push({ name, bytes: b.length, checksum: formatChecksum(fnv1a32(b)) });
    }
    await Deno.writeTextFile(join(tmp, "vocabulary.txt"), m.vocabulary.join("\n") + "\n");
    const rows = meta.files.map((
      f,
      i,
    ) => [String(i), f, ...names.map((l) => meta.labels[l][i] ?? "")]);
    await Deno.writeTextFile(
      join(tmp, "labels.csv"),
      stringify([["index", "file", ...names], ...rows]),
    );
    await Deno.writeTextFile(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
  });
  return manifest;
}

/**
 * True when folder `dir` holds a term dataset (its manifest.json says
 * "facet-term-dataset"); false for anything else, unreadable folders included, so
 * the image reader gives its own message.
 *
 * @example
 * ```ts
 * console.log(await isTermDataset("no/such/folder")); // false
 * ```
 */
export async function isTermDataset(dir: string): Promise<boolean> {
  try {
    const m = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
    return m?.format === "facet-term-dataset";
  } catch {
    return false;
  }
}

/**
 * Opens a term dataset written by {@linkcode writeTermDataset}: checks the
 * manifest, each CSR file's size and checksum, and that the CSR structure is
 * consistent. Throws an Error naming the file and what to do.
 */
export async function openTermDataset(dir: string): Promise<TermDataset> {
  const fail = (what: string): never => {
    throw new Error(
      `Cannot open term dataset ${dir}: ${what}; run deno task prep --layout text again`,
    );
  };
  let manifest: TermManifest;
  try {
    manifest = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
  } catch (e) {
    return fail(`manifest.json is unreadable (${(e as Error).message})`);
  }
  if (manifest.format !== "facet-term-dataset" || manifest.version !== 1) {
    fail(`manifest.json is not a version 1 term dataset (format ${manifest.format})`);
  }
  const read = async (name: string) => {
    const f = manifest.files.find((x) => x.name === name) ?? fail(`manifest.json lists no ${name}`);
    const b = await Deno.readFile(join(dir, name)).catch(() => fail(`${name} is missing`));
    if (b.length !== f.bytes) fail(`${name} is ${b.length} bytes, expected ${f.bytes}`);
    if (formatChecksum(fnv1a32(b)) !== f.checksum) fail(`${name} is damaged (checksum differs)`);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  };
  const indptr = new Uint32Array(await read("indptr.u32"));
  const indices = new Uint32Array(await read("indices.u32"));
  const values = new Float32Array(await read("values.f32"));
  const { n, d, nnz } = manifest;
  if (
    indptr.length !== n + 1 || indptr[n] !== nnz || indices.length !== nnz || values.length !== nnz
  ) {
    fail(`the CSR files do not hold ${n} rows of ${nnz} entries`);
  }
  for (let i = 0; i < nnz; i++) if (indices[i] >= d) fail(`column ${indices[i]} is not below ${d}`);
  const vocabulary = (await Deno.readTextFile(join(dir, "vocabulary.txt"))).split("\n").slice(0, d);
  if (vocabulary.length !== d) fail(`vocabulary.txt has ${vocabulary.length} terms, expected ${d}`);
  const table = parse(await Deno.readTextFile(join(dir, "labels.csv")), {
    skip_empty_lines: true,
  }) as string[][];
  if (table.length !== n + 1) fail(`labels.csv has ${table.length - 1} rows, expected ${n}`);
  const files = table.slice(1).map((r) => r[1]);
  const df = new Uint32Array(d);
  for (let i = 0; i < nnz; i++) df[indices[i]]++;
  return {
    manifest,
    n,
    vocabulary,
    indptr,
    indices,
    values,
    documentFrequency: df,
    idf: null,
    files,
    labelColumn(name) {
      const c = manifest.labels.indexOf(name);
      if (c < 0) {
        throw new RangeError(
          `Term dataset ${dir} has no label column ${name} (${
            manifest.labels.join(", ") || "none"
          })`,
        );
      }
      return table.slice(1).map((r) => r[2 + c]);
    },
  };
}
