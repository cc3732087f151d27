/**
 * 8-bit grayscale and RGB images and their PNG encoding (pure; runs in a browser).
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

/** An 8-bit RGB image, row-major, top row first. */
export interface RgbImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** width * height * 3 values: red, green, blue of each pixel. */
  rgb: Uint8Array;
}

/**
 * Encodes a grayscale or RGB image as PNG bytes (opaque RGBA, through imagescript).
 *
 * @example
 * ```ts
 * const png = await encodePng({ width: 2, height: 1, pixels: new Uint8Array([0, 255]) });
 * console.log(png.subarray(0, 4)); // [137, 80, 78, 71]: the PNG signature
 * ```
 */
export async function encodePng(image: GrayImage | RgbImage): Promise<Uint8Array> {
  const { width, height } = image;
  const [values, channels] = "rgb" in image ? [image.rgb, 3] : [image.pixels, 1];
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new RangeError(`encodePng: image is ${width}x${height}; sizes must be integers >= 1`);
  }
  if (values.length !== width * height * channels) {
    throw new RangeError(
      `encodePng: ${values.length / channels} pixels for a ${width}x${height} image`,
    );
  }
  // Loaded on first use: imagescript opens a native codec when imported.
  const { Image } = await import("imagescript");
  const img = new Image(width, height);
  const rgba = img.bitmap;
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) rgba[4 * i + c] = values[channels * i + (channels === 3 ? c : 0)];
    rgba[4 * i + 3] = 255;
  }
  return await img.encode();
}
