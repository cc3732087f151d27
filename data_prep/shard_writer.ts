/**
 * Streams samples (rows) into shard files of at most a given payload size.
 *
 * @module
 */

import { join } from "node:path";
import { fnv1a32, FNV1A_INIT, formatChecksum } from "./fnv1a.ts";
import type { ShardEntry } from "./manifest.ts";
import {
  type Dtype,
  dtypeBytes,
  encodeShardHeader,
  SHARD_HEADER_BYTES,
  SHARD_VERSION,
} from "./shard_format.ts";

/** Options of {@linkcode ShardWriter}. */
export interface ShardWriterOptions {
  dtype: Dtype;
  /** Values per row (d). */
  cols: number;
  /** Largest payload per shard in bytes (whole rows only). */
  maxShardBytes: number;
}

const _BUFFER_BYTES = 1 << 20;

/**
 * Writes rows in order into `shard-00000.bin`, `shard-00001.bin`, ... inside
 * `dir` (a temporary folder: the files are complete only after
 * {@linkcode ShardWriter.finish}). Writes are synchronous and buffered.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const w = new ShardWriter(dir, { dtype: "u8", cols: 4, maxShardBytes: 64 << 20 });
 * w.append(new Uint8Array([1, 2, 3, 4]));
 * console.log(w.finish()); // [{ file: "shard-00000.bin", firstRow: 0, rows: 1, bytes: 4, ... }]
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class ShardWriter {
  readonly #dir: string;
  readonly #opt: ShardWriterOptions;
  readonly #rowBytes: number;
  readonly #rowsPerShard: number;
  readonly #shards: ShardEntry[] = [];
  #file: Deno.FsFile | null = null;
  #rows = 0;
  #total = 0;
  #hash = FNV1A_INIT;
  #buf = new Uint8Array(_BUFFER_BYTES);
  #used = 0;

  constructor(dir: string, options: ShardWriterOptions) {
    this.#dir = dir;
    this.#opt = options;
    this.#rowBytes = options.cols * dtypeBytes(options.dtype);
    this.#rowsPerShard = Math.floor(options.maxShardBytes / this.#rowBytes);
    if (this.#rowsPerShard < 1) {
      throw new RangeError(
        `maxShardBytes ${options.maxShardBytes} is smaller than one sample (${this.#rowBytes} bytes)`,
      );
    }
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.#total;
  }

  /** Appends one row of `cols` values of the writer's dtype. */
  append(row: Uint8Array | Float32Array): void {
    const want = this.#opt.dtype === "u8" ? Uint8Array : Float32Array;
    if (!(row instanceof want) || row.length !== this.#opt.cols) {
      throw new TypeError(
        `ShardWriter.append: expected a ${want.name} of ${this.#opt.cols} values, got ${row.constructor.name}(${row.length})`,
      );
    }
    if (!this.#file) this.#open();
    const bytes = new Uint8Array(row.buffer, row.byteOffset, row.byteLength);
    this.#hash = fnv1a32(bytes, this.#hash);
    if (this.#used + bytes.length > this.#buf.length) this.#drain();
    if (bytes.length > this.#buf.length) this.#writeAll(bytes);
    else {
      this.#buf.set(bytes, this.#used);
      this.#used += bytes.length;
    }
    this.#rows++;
    this.#total++;
    if (this.#rows === this.#rowsPerShard) this.#close();
  }

  /** Completes the last shard and returns the shard list. */
  finish(): ShardEntry[] {
    if (this.#file) this.#close();
    return this.#shards;
  }

  /** Closes an open file without completing it (after an error). */
  abort(): void {
    try {
      this.#file?.close();
    } catch { /* already closed */ }
    this.#file = null;
  }

  #name(): string {
    return `shard-${String(this.#shards.length).padStart(5, "0")}.bin`;
  }

  #open(): void {
    this.#file = Deno.openSync(join(this.#dir, this.#name()), {
      write: true,
      create: true,
      truncate: true,
    });
    this.#writeAll(new Uint8Array(SHARD_HEADER_BYTES)); // placeholder, rewritten on close
    this.#rows = 0;
    this.#hash = FNV1A_INIT;
  }

  #writeAll(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) off += this.#file!.writeSync(bytes.subarray(off));
  }

  #drain(): void {
    this.#writeAll(this.#buf.subarray(0, this.#used));
    this.#used = 0;
  }

  #close(): void {
    this.#drain();
    const { dtype, cols } = this.#opt;
    const header = encodeShardHeader({
      version: SHARD_VERSION,
      dtype,
      rows: this.#rows,
      cols,
      checksum: this.#hash,
    });
    this.#file!.seekSync(0, Deno.SeekMode.Start);
    this.#writeAll(header);
    this.#file!.syncSync();
    this.#file!.close();
    this.#file = null;
    this.#shards.push({
      file: this.#name(),
      firstRow: this.#total - this.#rows,
      rows: this.#rows,
      bytes: this.#rows * this.#rowBytes,
      checksum: formatChecksum(this.#hash),
    });
  }
}
