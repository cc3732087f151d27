/**
 * The dataset reader: opens a folder written by {@linkcode prepDataset},
 * checks it, and hands out samples (rows) as zero-copy views of
 * memory-mapped shards.
 *
 * @module
 */

import { parse } from "csv-parse";
import { join } from "node:path";
import { fnv1a32, formatChecksum } from "./fnv1a.ts";
import { naturalCompare } from "./image_entry.ts";
import { type Manifest, validateManifest } from "./manifest.ts";
import { canMapFiles, mapFile, type MappedFile } from "./map_file.ts";
import { decodeShardHeader, SHARD_HEADER_BYTES } from "./shard_format.ts";

/** Options of {@linkcode openDataset}. */
export interface OpenDatasetOptions {
  /**
   * When to check shard checksums: "first-use" (default; a shard is checked
   * when first touched, so opening reads only headers), "open" (all now) or
   * "never". Header and size are always checked at open.
   */
  verify?: "first-use" | "open" | "never";
  /** Memory-map shards (default true; falls back to reading without --allow-ffi). */
  mmap?: boolean;
  /** Where the one-time fallback note goes; `null` for none. Default console.error. */
  log?: ((line: string) => void) | null;
}

/** One label column of labels.csv, coded. */
export interface LabelCodes {
  /** Distinct values in natural order. */
  values: string[];
  /** Per sample, the index of its value in `values`. */
  codes: Int32Array;
}

/**
 * An open dataset. Samples are rows of length d = height * width, row-major
 * pixels; the papers' X (d x n) is the transpose of the rows stacked.
 */
export interface Dataset {
  /** The dataset folder. */
  readonly dir: string;
  /** Its manifest.json. */
  readonly manifest: Manifest;
  /** Samples. */
  readonly n: number;
  /** Features per sample (height * width). */
  readonly d: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Image width in pixels. */
  readonly width: number;
  /** Stored element type: u8 (gray levels, times 1/255 gives [0,1]) or f32 (in [0,1]). */
  readonly dtype: "u8" | "f32";
  /** True when shards are memory-mapped (else read into memory on first use). */
  readonly mapped: boolean;
  /** Stored payload of shard `i` (rows x d): zero-copy when mapped. Verified on first use. */
  shard(i: number): Uint8Array | Float32Array;
  /** Index of the shard holding sample `row`. */
  shardOf(row: number): number;
  /**
   * Stored values of samples `start..end-1` as rows (n' x d): a zero-copy view
   * when they lie in one shard, else a copy. u8 stays u8 (for GPU-side unpacking).
   */
  rawRows(start: number, end: number): Uint8Array | Float32Array;
  /** Samples `start..end-1` as float32 rows (n' x d): u8 pixels in [0, 1], f32 values as prepared; zero-copy for f32 in one shard. */
  rows(start: number, end: number): Float32Array;
  /** A column of labels.csv (a label name, `file` or `partition`), coded. */
  labelColumn(name: string): LabelCodes;
  /** Unmaps the shards; views handed out before must not be used afterwards. */
  close(): void;
  /** Same as close(), for `using`. */
  [Symbol.dispose](): void;
}

/**
 * Opens a dataset folder: reads and checks `manifest.json`, each shard's size
 * and header (not its payload), so opening a 400 MB dataset reads only a few
 * kilobytes. Payloads are memory-mapped (libc mmap through FFI) or, without
 * --allow-ffi, read on first use (said once). Checksums are checked per
 * `options.verify`. Throws an Error naming the file on a missing, truncated
 * or foreign file.
 *
 * @example
 * ```ts
 * import { prepDataset } from "./prep_dataset.ts";
 * const dir = await Deno.makeTempDir();
 * const opts = { limit: 3, size: { width: 8, height: 8 }, workers: 0, log: null };
 * await prepDataset("data/att_faces", { out: `${dir}/orl`, ...opts });
 * {
 *   using ds = await openDataset(`${dir}/orl`);
 *   const x = ds.rows(0, ds.n); // n x d float32 in [0, 1]
 *   console.log(ds.n, ds.d, x.length, ds.labelColumn("class").values); // 3 64 192 ["s1"]
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openDataset(dir: string, options: OpenDatasetOptions = {}): Promise<Dataset> {
  const verify = options.verify ?? "first-use";
  if (!["first-use", "open", "never"].includes(verify)) {
    throw new RangeError(`Option verify must be first-use, open or never, got ${verify}`);
  }
  const log = options.log === undefined ? console.error : options.log;
  const manifestPath = join(dir, "manifest.json");
  let text: string;
  try {
    text = await Deno.readTextFile(manifestPath);
  } catch {
    throw new Error(
      `Cannot open dataset ${dir}: ${manifestPath} is missing; run deno task prep <source> --out ${dir}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `Cannot read dataset manifest ${manifestPath}: ${(e as Error).message}; run prep again`,
    );
  }
  const m = validateManifest(json, manifestPath);
  const paths = m.shards.map((s) => join(dir, s.file));
  m.shards.forEach((s, i) => {
    const path = paths[i];
    let size: number;
    try {
      size = Deno.statSync(path).size;
    } catch {
      throw new Error(`Cannot read shard ${path}: the file is missing; run prep again`);
    }
    const want = SHARD_HEADER_BYTES + s.bytes;
    if (size !== want) {
      throw new Error(
        `Cannot read shard ${path}: file is ${size} bytes, expected ${want}; it is truncated or foreign, run prep again`,
      );
    }
    const head = new Uint8Array(SHARD_HEADER_BYTES);
    using f = Deno.openSync(path);
    let got = 0;
    while (got < head.length) {
      const k = f.readSync(head.subarray(got));
      if (k === null) break;
      got += k;
    }
    const h = decodeShardHeader(head.subarray(0, got), path);
    if (h.dtype !== m.dtype || h.rows !== s.rows || h.cols !== m.d) {
      throw new Error(
        `Cannot read shard ${path}: header says ${h.rows}x${h.cols} ${h.dtype}, manifest ${s.rows}x${m.d} ${m.dtype}; run prep again`,
      );
    }
    if (formatChecksum(h.checksum) !== s.checksum) {
      throw new Error(
        `Cannot read shard ${path}: header checksum ${
          formatChecksum(h.checksum)
        } differs from the manifest's ${s.checksum}; run prep again`,
      );
    }
  });
  const files: (MappedFile | null)[] = m.shards.map(() => null);
  const views: (Uint8Array | Float32Array | null)[] = m.shards.map(() => null);
  let closed = false;
  let mappedAll = options.mmap !== false && canMapFiles();
  const shard = (i: number): Uint8Array | Float32Array => {
    if (closed) throw new Error(`Dataset ${dir} is closed`);
    if (!(i >= 0 && i < m.shards.length)) {
      throw new RangeError(`Shard ${i} out of 0..${m.shards.length - 1}`);
    }
    const cached = views[i];
    if (cached) return cached;
    const f = mapFile(paths[i], { mmap: options.mmap, log });
    mappedAll &&= f.mapped;
    const s = m.shards[i];
    const payload = f.bytes.subarray(SHARD_HEADER_BYTES, SHARD_HEADER_BYTES + s.bytes);
    if (verify !== "never") {
      const got = formatChecksum(fnv1a32(payload));
      if (got !== s.checksum) {
        f.close();
        throw new Error(
          `Cannot read shard ${
            paths[i]
          }: payload checksum ${got} differs from the manifest's ${s.checksum}; the file is damaged, run prep again with --force`,
        );
      }
    }
    files[i] = f;
    const view = m.dtype === "u8"
      ? payload
      : new Float32Array(payload.buffer, payload.byteOffset, s.bytes / 4);
    views[i] = view;
    return view;
  };
  if (verify === "open") m.shards.forEach((_, i) => shard(i));
  const shardOf = (row: number): number => {
    let lo = 0;
    let hi = m.shards.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (m.shards[mid].firstRow <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const checkRange = (start: number, end: number) => {
    if (
      !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > m.n || start > end
    ) {
      throw new RangeError(`Rows ${start}..${end} out of 0..${m.n}`);
    }
  };
  const rawRows = (start: number, end: number): Uint8Array | Float32Array => {
    checkRange(start, end);
    const out = m.dtype === "u8" ? new Uint8Array((end - start) * m.d) : null;
    if (start === end) return out ?? new Float32Array(0);
    const a = shardOf(start);
    const b = shardOf(end - 1);
    if (a === b) {
      const first = m.shards[a].firstRow;
      return shard(a).subarray((start - first) * m.d, (end - first) * m.d);
    }
    const dst = out ?? new Float32Array((end - start) * m.d);
    for (let i = a; i <= b; i++) {
      const s = m.shards[i];
      const lo = Math.max(start, s.firstRow);
      const hi = Math.min(end, s.firstRow + s.rows);
      dst.set(
        shard(i).subarray((lo - s.firstRow) * m.d, (hi - s.firstRow) * m.d),
        (lo - start) * m.d,
      );
    }
    return dst;
  };
  const rows = (start: number, end: number): Float32Array => {
    const raw = rawRows(start, end);
    if (raw instanceof Float32Array) return raw;
    const out = new Float32Array(raw.length);
    const k = m.scale;
    for (let i = 0; i < raw.length; i++) out[i] = raw[i] * k;
    return out;
  };
  let table: string[][] | null = null;
  const labelColumn = (name: string): LabelCodes => {
    if (!table) {
      const path = join(dir, "labels.csv");
      try {
        table = parse(Deno.readTextFileSync(path), { skip_empty_lines: false }) as string[][];
      } catch (e) {
        throw new Error(`Cannot read ${path}: ${e instanceof Error ? e.message : e}`);
      }
      if (table.length !== m.n + 1) {
        throw new Error(`Cannot read ${path}: ${table.length - 1} rows, expected ${m.n}`);
      }
    }
    const col = table[0].indexOf(name);
    if (col < 0) {
      throw new Error(
        `Dataset ${dir} has no label column ${name} (columns: ${table[0].slice(1).join(", ")})`,
      );
    }
    const raw = table.slice(1).map((r) => r[col]);
    const values = [...new Set(raw)].sort(naturalCompare);
    const index = new Map(values.map((v, i) => [v, i]));
    return { values, codes: Int32Array.from(raw, (v) => index.get(v)!) };
  };
  const close = () => {
    if (closed) return;
    closed = true;
    for (const f of files) f?.close();
  };
  return {
    dir,
    manifest: m,
    n: m.n,
    d: m.d,
    height: m.height,
    width: m.width,
    dtype: m.dtype,
    get mapped() {
      return mappedAll;
    },
    shard,
    shardOf,
    rawRows,
    rows,
    labelColumn,
    close,
    [Symbol.dispose]: close,
  };
}
