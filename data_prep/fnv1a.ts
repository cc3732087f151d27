/**
 * The FNV-1a 32-bit hash, the shard payload checksum.
 *
 * @module
 */

/** FNV-1a 32-bit offset basis, the hash of no bytes. */
export const FNV1A_INIT = 0x811c9dc5;

/**
 * FNV-1a 32-bit over `bytes`, continuing from `hash` (pass the previous result
 * to hash data arriving in pieces). Returns an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * console.log(fnv1a32(new TextEncoder().encode("a")).toString(16)); // e40c292c
 * ```
 */
export function fnv1a32(bytes: Uint8Array, hash: number = FNV1A_INIT): number {
  let h = hash | 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/**
 * The checksum string stored in manifests, e.g. `"fnv1a32:e40c292c"`.
 *
 * @example
 * ```ts
 * console.log(formatChecksum(0xe40c292c)); // fnv1a32:e40c292c
 * ```
 */
export function formatChecksum(hash: number): string {
  return `fnv1a32:${(hash >>> 0).toString(16).padStart(8, "0")}`;
}
