/**
 * 8-bit grayscale images and their PNG encoding (pure; runs in a browser).
 *
 * @module
 */

/** An 8-bit grayscale image, row-major, top row first. */
export interface GrayImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** width * height gray levels 0..255. */
  pixels: Uint8Array;
}

/**
 * Encodes a grayscale image as PNG bytes (opaque RGBA, through imagescript).
 *
 * @example
 * ```ts
 * const png = await encodePng({ width: 2, height: 1, pixels: new Uint8Array([0, 255]) });
 * console.log(png.subarray(0, 4)); // [137, 80, 78, 71]: the PNG signature
 * ```
 */
export async function encodePng(image: GrayImage): Promise<Uint8Array> {
  const { width, height, pixels } = image;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new RangeError(`encodePng: image is ${width}x${height}; sizes must be integers >= 1`);
  }
  if (pixels.length !== width * height) {
    throw new RangeError(`encodePng: ${pixels.length} pixels for a ${width}x${height} image`);
  }
  // Loaded on first use: imagescript opens a native codec when imported.
  const { Image } = await import("imagescript");
  const img = new Image(width, height);
  const rgba = img.bitmap;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    rgba[4 * i] = v;
    rgba[4 * i + 1] = v;
    rgba[4 * i + 2] = v;
    rgba[4 * i + 3] = 255;
  }
  return await img.encode();
}
