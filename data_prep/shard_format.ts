/**
 * The shard file format: a 32-byte little-endian header, then whole rows.
 *
 * | offset | size | field                                   |
 * | ------ | ---- | --------------------------------------- |
 * | 0      | 4    | magic `FCTS`                            |
 * | 4      | 4    | format version (1)                      |
 * | 8      | 4    | dtype code (1 = u8, 2 = f32)            |
 * | 12     | 4    | rows (samples)                          |
 * | 16     | 4    | cols (features d)                       |
 * | 20     | 4    | FNV-1a 32 checksum of the payload       |
 * | 24     | 8    | reserved, zero                          |
 *
 * The payload (rows x cols values, row-major, little-endian) starts at byte 32,
 * so a memory-mapped f32 payload is 4-byte aligned.
 *
 * @module
 */

/** Element type of a dataset. */
export type Dtype = "u8" | "f32";

/** Shard header size in bytes. */
export const SHARD_HEADER_BYTES = 32;
/** Shard format version written and read. */
export const SHARD_VERSION = 1;
const MAGIC = 0x53544346; // "FCTS" read as little-endian u32

/** What a shard header says. */
export interface ShardHeader {
  version: number;
  dtype: Dtype;
  rows: number;
  cols: number;
  checksum: number;
}

/**
 * Bytes per element of `dtype`.
 *
 * @example
 * ```ts
 * console.log(dtypeBytes("f32")); // 4
 * ```
 */
export function dtypeBytes(dtype: Dtype): number {
  return dtype === "u8" ? 1 : 4;
}

/**
 * Encodes a shard header.
 *
 * @example
 * ```ts
 * const h = encodeShardHeader({ version: 1, dtype: "u8", rows: 10, cols: 4096, checksum: 0 });
 * console.log(h.length); // 32
 * ```
 */
export function encodeShardHeader(h: ShardHeader): Uint8Array {
  const out = new Uint8Array(SHARD_HEADER_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, MAGIC, true);
  v.setUint32(4, h.version, true);
  v.setUint32(8, h.dtype === "u8" ? 1 : 2, true);
  v.setUint32(12, h.rows, true);
  v.setUint32(16, h.cols, true);
  v.setUint32(20, h.checksum >>> 0, true);
  return out;
}

/**
 * Decodes and checks a shard header; throws an Error naming `path` when the
 * bytes are not a facet shard or of an unknown version.
 *
 * @example
 * ```ts
 * const bytes = encodeShardHeader({ version: 1, dtype: "u8", rows: 1, cols: 1, checksum: 0 });
 * console.log(decodeShardHeader(bytes, "x.bin")); // { version: 1, dtype: "u8", rows: 1, ... }
 * ```
 */
export function decodeShardHeader(bytes: Uint8Array, path: string): ShardHeader {
  if (bytes.length < SHARD_HEADER_BYTES) {
    throw new Error(
      `Cannot read shard ${path}: file is ${bytes.length} bytes, shorter than the ${SHARD_HEADER_BYTES}-byte header; run prep again`,
    );
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, SHARD_HEADER_BYTES);
  if (v.getUint32(0, true) !== MAGIC) {
    throw new Error(`Cannot read shard ${path}: not a facet shard (bad magic); run prep again`);
  }
  const version = v.getUint32(4, true);
  if (version !== SHARD_VERSION) {
    throw new Error(
      `Cannot read shard ${path}: format version ${version}, this reader knows ${SHARD_VERSION}; run prep again`,
    );
  }
  const code = v.getUint32(8, true);
  if (code !== 1 && code !== 2) {
    throw new Error(`Cannot read shard ${path}: unknown dtype code ${code}`);
  }
  return {
    version,
    dtype: code === 1 ? "u8" : "f32",
    rows: v.getUint32(12, true),
    cols: v.getUint32(16, true),
    checksum: v.getUint32(20, true),
  };
}
