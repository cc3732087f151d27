/**
 * The dataset manifest (`manifest.json`): what a prepared dataset folder holds.
 *
 * @module
 */

import type { Dtype } from "./shard_format.ts";

/** Dataset format version written into and expected from manifests. */
export const MANIFEST_VERSION = 1;

/** One shard file. */
export interface ShardEntry {
  /** File name inside the dataset folder. */
  file: string;
  /** Index of its first sample (row). */
  firstRow: number;
  /** Samples it holds. */
  rows: number;
  /** Payload bytes (rows * d * element size), not counting the 32-byte header. */
  bytes: number;
  /** Payload checksum, `"fnv1a32:xxxxxxxx"`. */
  checksum: string;
}

/** One label column of `labels.csv`. */
export interface LabelColumn {
  /** Column name, as in the header of labels.csv. */
  name: string;
  /** Number of distinct values. */
  distinct: number;
  /** The sorted distinct values, or `null` when there are more than 1000. */
  values: string[] | null;
}

/** A file left out, and why. */
export interface SkippedFile {
  /** Source file, relative to the source folder. */
  file: string;
  /** Why it was left out, e.g. the decoder's error. */
  reason: string;
}

/** Contents of `manifest.json`. */
export interface Manifest {
  /** Always "facet-dataset". */
  format: "facet-dataset";
  /** Format version of the dataset folder. */
  version: number;
  /** Where the data came from. */
  source: {
    layout: "folder" | "celeba" | "mat" | "npy" | "csv";
    path: string;
    description: string;
    /** Cheap fingerprint (file count, bytes, newest mtime) used to skip repeated runs. */
    fingerprint: string;
  };
  /** The settings of the run; a rerun with equal settings and source does nothing. */
  settings: Record<string, unknown>;
  /** Image size; d = height * width. */
  height: number;
  /** Image width in pixels. */
  width: number;
  /** Samples (rows). */
  n: number;
  /** Features per sample. */
  d: number;
  /** Stored element type of the shards. */
  dtype: Dtype;
  /** Stored value times `scale` is the value a fit sees (1/255 for u8, else 1: as prepared). */
  scale: number;
  /** Whether some value is negative (NMF refuses such data; semi-NMF takes it). */
  negative?: boolean;
  /** The shard files, in row order. */
  shards: ShardEntry[];
  /** Label columns of labels.csv, in order after `index` and `file`. */
  labels: LabelColumn[];
  /** Samples per partition (`train`, `val`, `test`), or `null` without partitions. */
  partitions: Record<string, number> | null;
  /** Files left out, with the reason. */
  skipped: SkippedFile[];
  /** ISO time the dataset was written. */
  created: string;
}

function _fail(path: string, what: string): never {
  throw new Error(`Cannot read dataset manifest ${path}: ${what}; run prep again`);
}

/**
 * Checks parsed `manifest.json` content and returns it typed; throws an Error
 * naming `path` and the first problem.
 *
 * @example
 * ```ts
 * import { prepDataset } from "./prep_dataset.ts";
 * const dir = await Deno.makeTempDir();
 * await prepDataset("data/att_faces", { out: `${dir}/orl`, limit: 2, workers: 0, log: null });
 * const path = `${dir}/orl/manifest.json`;
 * const m = validateManifest(JSON.parse(await Deno.readTextFile(path)), path);
 * console.log(m.n, m.d, m.dtype, m.shards.length); // 2 4096 u8 1
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function validateManifest(json: unknown, path: string): Manifest {
  if (typeof json !== "object" || json === null) _fail(path, "not a JSON object");
  const m = json as Manifest;
  if ((m.format as string) === "facet-term-dataset") {
    throw new Error(
      `${path} is a text corpus (a sparse term dataset): the image models cannot read it; fit ` +
        "it with deno task train --model nmf, or open it with openTermDataset",
    );
  }
  if (m.format !== "facet-dataset") _fail(path, `format is ${m.format}, expected facet-dataset`);
  if (m.version !== MANIFEST_VERSION) {
    _fail(path, `version ${m.version}, this reader knows ${MANIFEST_VERSION}`);
  }
  for (const k of ["height", "width", "n", "d"] as const) {
    if (!Number.isInteger(m[k]) || m[k] < 0) _fail(path, `${k} is ${m[k]}`);
  }
  if (m.d !== m.height * m.width) _fail(path, `d ${m.d} is not height*width`);
  if (m.dtype !== "u8" && m.dtype !== "f32") _fail(path, `dtype ${m.dtype}`);
  if (!Array.isArray(m.shards)) _fail(path, "no shard list");
  let row = 0;
  for (const s of m.shards) {
    if (typeof s.file !== "string" || s.file.includes("/") || s.file.includes("\\")) {
      _fail(path, `bad shard file name ${s.file}`);
    }
    if (s.firstRow !== row) _fail(path, `shard ${s.file} starts at row ${s.firstRow}, not ${row}`);
    if (s.bytes !== s.rows * m.d * (m.dtype === "u8" ? 1 : 4)) {
      _fail(path, `shard ${s.file} has ${s.bytes} bytes for ${s.rows} rows`);
    }
    row += s.rows;
  }
  if (row !== m.n) _fail(path, `shards hold ${row} rows, n is ${m.n}`);
  return m;
}
