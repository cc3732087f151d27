/**
 * The per-image pipeline: decode, BT.601 gray, optional center crop, resize,
 * quantize to 8 bits.
 *
 * @module
 */

import { centerCrop } from "./center_crop.ts";
import { decodeImage } from "./decode_image.ts";
import { resizeGray, type Size } from "./resize_gray.ts";
import { toGray } from "./to_gray.ts";

/** Options of {@linkcode processImage} and {@linkcode processGray}. */
export interface ProcessOptions {
  /** Output size; `null` keeps the (cropped) source size. */
  size: Size | null;
  /** Center crop applied before resizing; `null` for none. */
  crop: Size | null;
}

/** One processed image. */
export interface ProcessedImage {
  /** Size of the decoded source image. */
  sourceWidth: number;
  sourceHeight: number;
  /** Size of `pixels`. */
  width: number;
  height: number;
  /** Gray levels 0..255, row-major (divide by 255 for [0,1]). */
  pixels: Uint8Array;
}

/**
 * Crops and resizes a row-major gray float image (any range); returns float32.
 *
 * @example
 * ```ts
 * const gray = new Float32Array(16).map((_, i) => i); // 4x4
 * const g = processGray(gray, 4, 4, { size: { width: 2, height: 2 }, crop: null });
 * console.log(g.pixels); // [2.5, 4.5, 10.5, 12.5]: the means of the 2x2 blocks
 * ```
 */
export function processGray(
  gray: Float32Array,
  width: number,
  height: number,
  options: ProcessOptions,
): { width: number; height: number; pixels: Float32Array } {
  let px = gray;
  let w = width;
  let h = height;
  if (options.crop) {
    px = centerCrop(px, w, h, options.crop);
    w = options.crop.width;
    h = options.crop.height;
  }
  if (options.size && (options.size.width !== w || options.size.height !== h)) {
    px = resizeGray(px, w, h, options.size);
    w = options.size.width;
    h = options.size.height;
  }
  return { width: w, height: h, pixels: px };
}

/**
 * Decodes image bytes (JPEG, PNG, PGM, PPM), converts to BT.601 gray, center
 * crops, resizes (area averaging down, bilinear up) and rounds to 8 bits.
 * Throws an Error naming `name` and the reason when the image cannot be used.
 *
 * @example
 * ```ts
 * const bytes = await Deno.readFile("data/att_faces/s1/1.pgm");
 * const size = { width: 32, height: 32 };
 * const img = await processImage(bytes, "s1/1.pgm", { size, crop: null });
 * console.log(img.sourceWidth, img.sourceHeight, img.pixels.length); // 92 112 1024
 * ```
 */
export async function processImage(
  bytes: Uint8Array,
  name: string,
  options: ProcessOptions,
): Promise<ProcessedImage> {
  const raster = await decodeImage(bytes, name);
  let out;
  try {
    out = processGray(toGray(raster), raster.width, raster.height, options);
  } catch (e) {
    throw new Error(`Cannot use ${name}: ${e instanceof Error ? e.message : e}`);
  }
  const pixels = new Uint8Array(out.pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = Math.min(255, Math.max(0, Math.round(out.pixels[i])));
  }
  return {
    sourceWidth: raster.width,
    sourceHeight: raster.height,
    width: out.width,
    height: out.height,
    pixels,
  };
}
