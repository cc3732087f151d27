/**
 * A reader for the Netpbm gray and color formats PGM and PPM, plain (P2, P3)
 * and raw (P5, P6), with 8- or 16-bit samples; imagescript does not read them.
 *
 * @module
 */

import type { Raster } from "./raster.ts";

/**
 * Decodes a PGM (P2/P5) or PPM (P3/P6) image. Samples are rescaled from
 * `0..maxval` to `0..255`; 16-bit raw samples are big-endian as Netpbm says.
 * Throws an Error naming `name` on a bad header or missing data.
 *
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode("P2 2 1 255 0 255");
 * console.log(decodePnm(bytes)); // { width: 2, height: 1, channels: 1, data: [0, 255] }
 * ```
 */
export function decodePnm(bytes: Uint8Array, name = "image"): Raster {
  if (bytes.length < 2 || bytes[0] !== 0x50) {
    throw new Error(`Cannot decode ${name}: not a PGM/PPM file (no "P" magic)`);
  }
  const kind = bytes[1] - 0x30;
  if (kind !== 2 && kind !== 3 && kind !== 5 && kind !== 6) {
    throw new Error(
      `Cannot decode ${name}: unsupported Netpbm type P${String.fromCharCode(bytes[1])}`,
    );
  }
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  let pos = 2;
  const readInt = (what: string): number => {
    // Skip whitespace and # comments (which run to the end of the line).
    while (pos < bytes.length) {
      const c = bytes[pos];
      if (c === 0x23) {
        while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
      } else if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) pos++;
      else break;
    }
    const start = pos;
    let v = 0;
    while (pos < bytes.length && bytes[pos] >= 0x30 && bytes[pos] <= 0x39) {
      v = v * 10 + bytes[pos] - 0x30;
      pos++;
    }
    if (pos === start) {
      throw new Error(
        `Cannot decode ${name}: bad P${kind} header, expected ${what} at byte ${pos}`,
      );
    }
    return v;
  };
  const width = readInt("width");
  const height = readInt("height");
  const maxval = readInt("maxval");
  if (width < 1 || height < 1 || maxval < 1 || maxval > 65535) {
    throw new Error(
      `Cannot decode ${name}: bad P${kind} header (width ${width}, height ${height}, maxval ${maxval})`,
    );
  }
  const count = width * height * channels;
  const binary = kind === 5 || kind === 6;
  const bps = maxval > 255 ? 2 : 1;
  // Checked before the pixels are allocated, so a header claiming a huge image costs nothing.
  // Binary data: one whitespace byte, then count samples; text: at least "0 " per sample.
  const left = bytes.length - pos - (binary ? 1 : 0);
  const need = binary ? count * bps : 2 * count;
  if (left < need) {
    throw new Error(
      `Cannot decode ${name}: truncated P${kind} data, ${left} bytes, expected ${
        binary ? "" : "at least "
      }${need} for ${width}x${height}`,
    );
  }
  const data = new Uint8Array(count);
  const scale = 255 / maxval;
  if (binary) {
    pos++; // exactly one whitespace byte ends the header
    if (bps === 1 && maxval === 255) data.set(bytes.subarray(pos, pos + count));
    else {
      for (let i = 0; i < count; i++) {
        const v = bps === 1 ? bytes[pos + i] : (bytes[pos + 2 * i] << 8) | bytes[pos + 2 * i + 1];
        data[i] = Math.min(255, Math.round(v * scale));
      }
    }
  } else {
    for (let i = 0; i < count; i++) {
      let v: number;
      try {
        v = readInt("a sample");
      } catch {
        throw new Error(`Cannot decode ${name}: truncated P${kind} data, ${i} of ${count} samples`);
      }
      data[i] = Math.min(255, Math.round(v * scale));
    }
  }
  return { width, height, channels, data };
}
