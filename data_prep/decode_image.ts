/**
 * Decodes an image file's bytes by its content: JPEG and PNG through
 * imagescript, PGM/PPM through {@linkcode decodePnm}, BMP through
 * {@linkcode decodeBmp}.
 *
 * @module
 */

import type { Image } from "imagescript";
import { decodeBmp } from "./decode_bmp.ts";
import { imageHeaderSize, MAX_IMAGE_PIXELS } from "./image_header_size.ts";
import { decodePnm } from "./pnm_decode.ts";
import type { Raster } from "./raster.ts";

/**
 * Decodes JPEG, PNG, BMP, PGM (P2/P5) or PPM (P3/P6) bytes, chosen by magic number
 * (not by file extension). Throws an Error naming `name` and the reason when
 * the bytes are not an image, are damaged, or claim more than
 * {@linkcode MAX_IMAGE_PIXELS} (checked before any pixel is allocated).
 *
 * @example
 * ```ts
 * const raster = await decodeImage(await Deno.readFile("data/att_faces/s1/1.pgm"), "1.pgm");
 * console.log(raster.width, raster.height); // 92 112
 * ```
 */
export async function decodeImage(bytes: Uint8Array, name = "image"): Promise<Raster> {
  if (bytes.length === 0) throw new Error(`Cannot decode ${name}: the file is empty (0 bytes)`);
  if (bytes.length >= 2 && bytes[0] === 0x50 && /[2356]/.test(String.fromCharCode(bytes[1]))) {
    return decodePnm(bytes, name);
  }
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return decodeBmp(bytes, name);
  const jpeg = bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png = bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e &&
    bytes[3] === 0x47;
  if (!jpeg && !png) {
    throw new Error(`Cannot decode ${name}: not a JPEG, PNG, BMP, PGM or PPM file`);
  }
  const size = imageHeaderSize(bytes);
  if (size && size.width * size.height > MAX_IMAGE_PIXELS) {
    throw new Error(
      `Cannot decode ${name}: its header claims ${size.width}x${size.height} pixels, above the ` +
        `${MAX_IMAGE_PIXELS / 2 ** 20} Mpx limit (damaged, or downscale it first)`,
    );
  }
  // Loaded on first use: imagescript opens a native codec when imported.
  const { Image } = await import("imagescript");
  let image: Image;
  try {
    image = await Image.decode(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`Cannot decode ${name}: ${jpeg ? "JPEG" : "PNG"} data is damaged (${why})`);
  }
  if (!image || image.width < 1 || image.height < 1) {
    throw new Error(`Cannot decode ${name}: decoder returned no pixels`);
  }
  return { width: image.width, height: image.height, channels: 4, data: image.bitmap };
}
