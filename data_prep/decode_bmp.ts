/**
 * Windows BMP decoding (the format MSRC-style co-segmentation sets ship in):
 * uncompressed 24- and 32-bit pixels and 1/4/8-bit palettes, rows bottom-up or
 * top-down (negative height).
 *
 * @module
 */

import type { Raster } from "./raster.ts";

/**
 * Decodes BMP bytes into an RGB raster. Throws an Error naming `name` for a
 * file that is not a BMP, is cut short, or uses compression (RLE, JPEG, PNG
 * inside BMP) or a bit depth (16) this decoder does not read.
 *
 * @example
 * ```ts
 * // A 2x1 24-bit BMP: a red pixel, then a blue one (stored as BGR, rows padded to 4 bytes).
 * const b = new Uint8Array(62);
 * const v = new DataView(b.buffer);
 * b.set([0x42, 0x4d]);
 * v.setUint32(10, 54, true); // pixel data offset
 * v.setUint32(14, 40, true); // BITMAPINFOHEADER
 * v.setInt32(18, 2, true); // width
 * v.setInt32(22, 1, true); // height (bottom-up)
 * v.setUint16(28, 24, true); // bits per pixel
 * b.set([0, 0, 255, 255, 0, 0], 54);
 * const r = decodeBmp(b, "two.bmp");
 * console.log(r.width, r.height, Array.from(r.data)); // 2 1 [255, 0, 0, 0, 0, 255]
 * ```
 */
export function decodeBmp(bytes: Uint8Array, name = "image"): Raster {
  const bad = (why: string) => new Error(`Cannot decode ${name}: ${why}`);
  if (bytes.length < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw bad("not a BMP file");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = v.getUint32(10, true);
  const header = v.getUint32(14, true);
  if (header < 40 || bytes.length < 14 + header) {
    throw bad(`BMP header of ${header} bytes is not a BITMAPINFOHEADER (OS/2 BMPs are not read)`);
  }
  const width = v.getInt32(18, true);
  const signed = v.getInt32(22, true);
  const height = Math.abs(signed);
  const bits = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  if (width < 1 || height < 1) throw bad(`BMP size ${width}x${signed} is empty`);
  // 3 = BI_BITFIELDS: 32-bit pixels with masks; read as BGRA when the masks are the usual ones.
  if (!(compression === 0 || (compression === 3 && bits === 32))) {
    throw bad(`compressed BMP (method ${compression}) is not supported; save it uncompressed`);
  }
  if (![1, 4, 8, 24, 32].includes(bits)) {
    throw bad(`${bits}-bit BMP is not supported (1, 4, 8, 24 and 32 are)`);
  }
  const stride = Math.ceil((width * bits) / 32) * 4;
  if (offset + stride * height > bytes.length) {
    throw bad(`BMP data is cut short: ${bytes.length} bytes, ${offset + stride * height} needed`);
  }
  let palette: Uint8Array | null = null;
  if (bits <= 8) {
    const colors = v.getUint32(46, true) || 2 ** bits;
    const at = 14 + header;
    if (at + 4 * colors > offset) throw bad("BMP palette overlaps the pixels");
    palette = bytes.subarray(at, at + 4 * colors);
  }
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = offset + stride * (signed > 0 ? height - 1 - y : y);
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (palette) {
        const bit = x * bits;
        const byte = bytes[row + (bit >> 3)];
        const index = (byte >> (8 - bits - (bit & 7))) & ((1 << bits) - 1);
        if (4 * index + 2 >= palette.length) throw bad(`BMP palette has no colour ${index}`);
        out[o] = palette[4 * index + 2];
        out[o + 1] = palette[4 * index + 1];
        out[o + 2] = palette[4 * index];
      } else {
        const p = row + x * (bits / 8);
        out[o] = bytes[p + 2];
        out[o + 1] = bytes[p + 1];
        out[o + 2] = bytes[p];
      }
    }
  }
  return { width, height, channels: 3, data: out };
}
