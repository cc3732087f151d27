/**
 * The size a JPEG or PNG header claims, read before decoding, so that a file
 * whose header claims a huge image is refused without allocating its pixels.
 *
 * @module
 */

/**
 * Most pixels an image may have: 2²⁷ (134 megapixels, 537 MB as RGBA), beyond
 * any camera's photo; a header claiming more is damaged or a decompression bomb.
 */
export const MAX_IMAGE_PIXELS = 2 ** 27;

/**
 * Width and height from a PNG's IHDR chunk or a JPEG's first SOF marker, or
 * null when the bytes are neither or the header is cut short.
 *
 * @example
 * ```ts
 * const png = new Uint8Array(24);
 * png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
 * new DataView(png.buffer).setUint32(16, 640);
 * new DataView(png.buffer).setUint32(20, 480);
 * console.log(imageHeaderSize(png)); // { width: 640, height: 480 }
 * ```
 */
export function imageHeaderSize(bytes: Uint8Array): { width: number; height: number } | null {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24 && v.getUint32(0) === 0x89504e47 && v.getUint32(12) === 0x49484452) {
    return { width: v.getUint32(16), height: v.getUint32(20) };
  }
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === 0xff) { // fill byte
      at++;
      continue;
    }
    // SOF0..SOF15 carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
    const sof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (sof) {
      return at + 9 <= bytes.length
        ? { width: v.getUint16(at + 7), height: v.getUint16(at + 5) }
        : null;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan data before any SOF
    at += 2 + v.getUint16(at + 2);
  }
  return null;
}
