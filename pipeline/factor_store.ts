/**
 * A run's factors on disk: a folder with `factors.json` (shapes, shard lists,
 * the iteration and loss history they belong to) and one subfolder of f32
 * shards per matrix in data_prep's shard format, so readers memory-map them.
 * The folder is replaced atomically, so a checkpoint is always whole.
 *
 * @module
 */

import { join } from "node:path";
import type { HostMatrix } from "../factorize/factorization_result.ts";
import { fnv1a32, formatChecksum } from "../data_prep/fnv1a.ts";
import type { ShardEntry } from "../data_prep/manifest.ts";
import { mapFile, type MappedFile } from "../data_prep/map_file.ts";
import { decodeShardHeader, SHARD_HEADER_BYTES } from "../data_prep/shard_format.ts";
import { ShardWriter } from "../data_prep/shard_writer.ts";
import { writeAtomicDir } from "../data_prep/write_atomic_dir.ts";

/** Named factor matrices, e.g. { W, H } or { Z1, Z2, H1, H2 }. */
export type Factors = Record<string, HostMatrix>;

/** Where a fit stands, stored beside its factors. */
export interface FitState {
  /** Iterations done (fine-tuning iterations of a deep model). */
  iteration: number;
  /** Loss at each checked iteration. */
  loss: number[];
  /** The iteration of each loss entry. */
  lossIterations: number[];
  /** Seconds since the start of the fit at each loss entry (across resumes). */
  lossSeconds: number[];
  /** True when the fit has ended (tolerance, iteration limit or divergence). */
  complete: boolean;
  /** Why it ended, when complete. */
  stopReason: string | null;
  /** Messages of the solver, in order. */
  messages: string[];
  /** Fit seconds so far. */
  seconds: number;
  /** The fit's model (the snapshot's `model`); absent in checkpoints before resumable fits. */
  model?: string;
  /** The fit's JSON state besides the matrices (the snapshot's `extra`). */
  extra?: Record<string, unknown>;
}

interface _StoredMatrix {
  name: string;
  rows: number;
  cols: number;
  shards: ShardEntry[];
}

interface _FactorsFile {
  format: "facet-factors";
  version: 1;
  state: FitState;
  matrices: _StoredMatrix[];
}

const _MAX_SHARD_BYTES = 64 << 20;

/**
 * Writes `factors` and `state` into folder `dir`, replacing it atomically.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const W = { rows: 2, cols: 1, data: new Float32Array([1, 2]) };
 * const H = { rows: 1, cols: 3, data: new Float32Array([3, 4, 5]) };
 * const state: FitState = {
 *   iteration: 10, loss: [2, 1], lossIterations: [0, 10], lossSeconds: [0, 0.5],
 *   complete: true, stopReason: "maxIter", messages: [], seconds: 0.5,
 * };
 * await writeFactors(`${dir}/factors`, { W, H }, state); // factors.json, W/ and H/ shards
 * console.log([...Deno.readDirSync(`${dir}/factors`)].length); // 3
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFactors(dir: string, factors: Factors, state: FitState): Promise<void> {
  for (const name of Object.keys(factors)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      throw new RangeError(`Factor name "${name}" must be letters, digits and _`);
    }
  }
  await writeAtomicDir(dir, async (tmp) => {
    const matrices: _StoredMatrix[] = [];
    for (const [name, m] of Object.entries(factors)) {
      await Deno.mkdir(join(tmp, name));
      const w = new ShardWriter(join(tmp, name), {
        dtype: "f32",
        cols: m.cols,
        maxShardBytes: Math.max(_MAX_SHARD_BYTES, m.cols * 4),
      });
      try {
        for (let r = 0; r < m.rows; r++) w.append(m.data.subarray(r * m.cols, (r + 1) * m.cols));
      } catch (e) {
        w.abort();
        throw e;
      }
      matrices.push({ name, rows: m.rows, cols: m.cols, shards: w.finish() });
    }
    const file: _FactorsFile = { format: "facet-factors", version: 1, state, matrices };
    await Deno.writeTextFile(join(tmp, "factors.json"), JSON.stringify(file, null, 1) + "\n");
  }, { marker: "factors.json", log: null });
}

/** Factors read back by {@linkcode readFactors}. */
export interface StoredFactors {
  /** The factor matrices by name (W, H or Z1.., H1..). */
  factors: Factors;
  /** Where the fit stood when they were written. */
  state: FitState;
  /** Unmaps the shards; the factor arrays must not be used afterwards. */
  close(): void;
}

/**
 * Reads a folder written by {@linkcode writeFactors}: memory-maps each shard,
 * checks header, size and checksum, and returns the matrices (zero-copy views
 * for one-shard matrices). Throws an Error naming the file when something is
 * missing or damaged.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const W = { rows: 2, cols: 1, data: new Float32Array([1, 2]) };
 * const state: FitState = {
 *   iteration: 10, loss: [2, 1], lossIterations: [0, 10], lossSeconds: [0, 0.5],
 *   complete: true, stopReason: "maxIter", messages: [], seconds: 0.5,
 * };
 * await writeFactors(`${dir}/factors`, { W }, state);
 * const { factors, state: read, close } = readFactors(`${dir}/factors`);
 * console.log(factors.W.data, read.iteration); // Float32Array [1, 2] 10
 * close(); // unmaps the shards: factors.W.data must not be used after this
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function readFactors(dir: string): StoredFactors {
  const path = join(dir, "factors.json");
  let file: _FactorsFile;
  try {
    file = JSON.parse(Deno.readTextFileSync(path));
  } catch (e) {
    throw new Error(`Cannot read factors ${path}: ${(e as Error).message}`);
  }
  if (file?.format !== "facet-factors" || file.version !== 1 || !Array.isArray(file.matrices)) {
    throw new Error(`Cannot read factors ${path}: not a facet factors file (version 1)`);
  }
  const maps: MappedFile[] = [];
  const factors: Factors = {};
  try {
    for (const m of file.matrices) {
      const views: Float32Array[] = [];
      for (const s of m.shards) {
        const p = join(dir, m.name, s.file);
        let f: MappedFile;
        try {
          f = mapFile(p, { log: null });
        } catch {
          throw new Error(`Cannot read factor shard ${p}: the file is missing`);
        }
        maps.push(f);
        if (f.bytes.length !== SHARD_HEADER_BYTES + s.bytes) {
          throw new Error(
            `Cannot read factor shard ${p}: file is ${f.bytes.length} bytes, expected ${
              SHARD_HEADER_BYTES + s.bytes
            }`,
          );
        }
        const h = decodeShardHeader(f.bytes, p);
        const payload = f.bytes.subarray(SHARD_HEADER_BYTES);
        if (h.dtype !== "f32" || h.cols !== m.cols || h.rows !== s.rows) {
          throw new Error(`Cannot read factor shard ${p}: header does not match factors.json`);
        }
        if (formatChecksum(fnv1a32(payload)) !== s.checksum) {
          throw new Error(`Cannot read factor shard ${p}: checksum mismatch, the file is damaged`);
        }
        views.push(new Float32Array(payload.buffer, payload.byteOffset, s.bytes / 4));
      }
      let data: Float32Array;
      if (views.length === 1) data = views[0];
      else {
        data = new Float32Array(m.rows * m.cols);
        let at = 0;
        for (const v of views) {
          data.set(v, at);
          at += v.length;
        }
      }
      if (data.length !== m.rows * m.cols) {
        throw new Error(`Cannot read factors ${path}: ${m.name} holds ${data.length} values`);
      }
      factors[m.name] = { rows: m.rows, cols: m.cols, data };
    }
  } catch (e) {
    for (const f of maps) f.close();
    throw e;
  }
  return { factors, state: file.state, close: () => maps.forEach((f) => f.close()) };
}
