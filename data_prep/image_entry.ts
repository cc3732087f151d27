/**
 * The list of image files a file-based source yields, before decoding.
 *
 * @module
 */

import type { SkippedFile } from "./manifest.ts";

/** One image file to decode. */
export interface ImageEntry {
  /** Path to read. */
  path: string;
  /** Name recorded in labels.csv: the path relative to the source, `/`-separated. */
  file: string;
  /** Label values by column name. */
  labels: Record<string, string>;
  /** `train`, `val`, `test` or `""`. */
  partition: string;
}

/** A listed file-based source. */
export interface ImageList {
  /** One line saying what was found. */
  description: string;
  entries: ImageEntry[];
  /** Label column names in order. */
  labelNames: string[];
  /** Files left out while listing, with reasons. */
  skipped: SkippedFile[];
  /** Metadata files read (attribute lists), for the source fingerprint. */
  metaFiles: string[];
}

/** File name extensions taken as images (case-insensitive). */
export const IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png", ".bmp", ".pgm", ".ppm", ".pnm"];

/**
 * True when `name` ends in one of {@linkcode IMAGE_EXTENSIONS}.
 *
 * @example
 * ```ts
 * console.log(isImageName("s1/1.PGM"), isImageName("README")); // true false
 * ```
 */
export function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/**
 * Compares names with embedded numbers in numeric order (`s2` before `s10`).
 *
 * @example
 * ```ts
 * console.log(["s10", "s2"].sort(naturalCompare)); // ["s2", "s10"]
 * ```
 */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
