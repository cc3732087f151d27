/**
 * CNN features of a list of image files, extracted once: each image's map is
 * kept in a cache folder (one file per image, written atomically, named by the
 * image's name, size, modification time and the layer), so an interrupted or
 * repeated extraction only computes what is missing. Images that fail to
 * decode are skipped with their reason, as prep skips them.
 *
 * @module
 */

import { basename, join } from "node:path";
import type { FeatureMap } from "../factorize/deep_feature_factorization.ts";
import { writeRunFiles } from "../eval/write_run_files.ts";
import { decodeImage } from "./decode_image.ts";
import { fnv1a32 } from "./fnv1a.ts";
import type { FeatureExtractor } from "./inception_features.ts";
import { createProgress } from "./progress.ts";
import type { Raster } from "./raster.ts";

/** What {@linkcode cachedFeatures} returns for the images it could read. */
export interface ImageFeatures {
  /** The image files read, in order. */
  files: string[];
  /** Their decoded pixels. */
  images: Raster[];
  /** Their feature maps. */
  maps: FeatureMap[];
  /** Files left out, with the reason. */
  skipped: { file: string; reason: string }[];
  /** How many maps came from the cache. */
  cached: number;
}

function _encode(m: FeatureMap): Uint8Array {
  const out = new Uint8Array(12 + m.data.byteLength);
  new Uint32Array(out.buffer, 0, 3).set([m.height, m.width, m.channels]);
  out.set(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength), 12);
  return out;
}

function _decode(bytes: Uint8Array): FeatureMap | null {
  if (bytes.length < 12 || bytes.byteOffset % 4 !== 0) return null;
  const [height, width, channels] = new Uint32Array(bytes.buffer, bytes.byteOffset, 3);
  if (bytes.length !== 12 + 4 * height * width * channels) return null;
  return { height, width, channels, data: new Float32Array(bytes.buffer, bytes.byteOffset + 12) };
}

/**
 * Decodes `files` and returns their features from `extractor`, through the
 * cache in `cacheDir` (see the module doc); `log` hears skips and the progress
 * line (count, rate, ETA).
 *
 * @example
 * ```ts
 * import { openInceptionV3 } from "./inception_features.ts";
 * const net = await openInceptionV3({ layer: "mixed5" });
 * const cacheDir = await Deno.makeTempDir();
 * const files = ["data/att_faces/s1/1.pgm", "data/att_faces/s1/2.pgm"];
 * const first = await cachedFeatures(net, files, { cacheDir, log: () => {} });
 * const again = await cachedFeatures(net, files, { cacheDir, log: () => {} });
 * console.log(first.cached, again.cached, again.maps[0].channels); // 0 2 768
 * net.dispose();
 * await Deno.remove(cacheDir, { recursive: true });
 * ```
 */
export async function cachedFeatures(
  extractor: FeatureExtractor,
  files: readonly string[],
  options: { cacheDir: string; log?: (line: string) => void },
): Promise<ImageFeatures> {
  const log = options.log ?? ((line: string) => console.error(line));
  const out: ImageFeatures = { files: [], images: [], maps: [], skipped: [], cached: 0 };
  const progress = createProgress(files.length, {
    label: `features (${extractor.layer})`,
    write: (t) => {
      const line = t.trim();
      if (line) log(line);
    },
    terminal: false,
  });
  for (const file of files) {
    let image: Raster;
    try {
      image = await decodeImage(await Deno.readFile(file), basename(file));
    } catch (e) {
      const reason = (e as Error).message;
      out.skipped.push({ file, reason });
      log(`Skipped ${file}: ${reason}`);
      progress.tick();
      continue;
    }
    const stat = await Deno.stat(file);
    const key = `${basename(file)}|${stat.size}|${stat.mtime?.getTime()}|${extractor.layer}`;
    const name = `${basename(file).replace(/[^\w.-]/g, "_")}.${
      fnv1a32(new TextEncoder().encode(key)).toString(16).padStart(8, "0")
    }.f32`;
    let map: FeatureMap | null = null;
    try {
      map = _decode(await Deno.readFile(join(options.cacheDir, name)));
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (map) out.cached++;
    else {
      map = await extractor.features(image);
      await writeRunFiles(options.cacheDir, { [name]: _encode(map) });
    }
    out.files.push(file);
    out.images.push(image);
    out.maps.push(map);
    progress.tick();
  }
  progress.done();
  return out;
}
