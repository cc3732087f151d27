/**
 * CNN activations for Deep Feature Factorization: InceptionV3 (Szegedy et al.,
 * 2016) as the nsfwjs@4.4.0 npm package ships it (a TensorFlow.js layers model,
 * ImageNet weights fine-tuned on five classes, uint8-quantized), run by
 * TensorFlow.js on its WebAssembly backend up to one of its `mixed` blocks. The
 * weights are read from the package (no download at run time). Measured here
 * (llvmpipe machine, 2 cores, shared): 0.7 s per 299 x 299 image on wasm, 9.5 s
 * on tfjs's plain-JS cpu backend; see bench/RESULTS.md.
 *
 * @module
 */

import type { io } from "@tensorflow/tfjs-core";
import type { FeatureMap } from "../factorize/deep_feature_factorization.ts";
import type { Raster } from "./raster.ts";
import { toRgb } from "./to_rgb.ts";

/** A loaded network cut at one layer. */
export interface FeatureExtractor {
  /** The layer whose output is returned. */
  readonly layer: string;
  /** Side of the square input images are resized to. */
  readonly inputSize: number;
  /** TensorFlow.js backend in use. */
  readonly backend: string;
  /** The activations of `image` (any size; resized, gray replicated, alpha dropped). */
  features(image: Raster): Promise<FeatureMap>;
  /** Frees the model's tensors. */
  dispose(): void;
}

/** InceptionV3's blocks a run may cut at: mixed0 (35 x 35 x 256) … mixed10 (8 x 8 x 2048). */
export const INCEPTION_LAYERS: readonly string[] = Array.from(
  { length: 11 },
  (_, i) => `mixed${i}`,
);

/**
 * Loads InceptionV3 cut at `layer` (default mixed7, 17 x 17 x 768, which DFF's
 * co-segmentation favours). Throws a RangeError for an unknown layer.
 *
 * @example
 * ```ts
 * const net = await openInceptionV3({ layer: "mixed7" });
 * const image = { width: 8, height: 8, channels: 1 as const, data: new Uint8Array(64).fill(128) };
 * const f = await net.features(image);
 * console.log(f.height, f.width, f.channels, f.data.every((v) => v >= 0)); // 17 17 768 true
 * net.dispose();
 * ```
 */
export async function openInceptionV3(
  options: { layer?: string } = {},
): Promise<FeatureExtractor> {
  const layer = options.layer ?? "mixed7";
  if (!INCEPTION_LAYERS.includes(layer)) {
    throw new RangeError(
      `Layer ${layer} is not an InceptionV3 block: use one of ${INCEPTION_LAYERS.join(", ")}`,
    );
  }
  const tf = await import("@tensorflow/tfjs-core");
  const tfl = await import("@tensorflow/tfjs-layers");
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  if (tf.getBackend() !== "wasm") {
    wasm.setWasmPaths(new URL("./", import.meta.resolve("@tensorflow/tfjs-backend-wasm")).href);
    await tf.setBackend("wasm");
    await tf.ready();
  }
  const { InceptionV3Model: pkg } = await import("nsfwjs/models/inception_v3");
  const json = (await pkg.modelJson()).default as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: unknown[] }[];
  };
  const shards: Record<string, string> = {};
  for (const [i, load] of pkg.weightBundles.entries()) {
    shards[`group1-shard${i + 1}of${pkg.numOfWeightBundles}`] =
      (await load() as { default: string }).default;
  }
  const parts = json.weightsManifest.flatMap((g) => g.paths).map((path) => {
    const bin = atob(shards[path]);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  });
  const weights = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((at, p) => (weights.set(p, at), at + p.length), 0);
  const full = await tfl.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as io.WeightsManifestEntry[],
    weightData: weights.buffer,
  }));
  const cut = tfl.model({
    inputs: full.inputs,
    outputs: full.getLayer(layer).output as InstanceType<typeof tfl.SymbolicTensor>,
  });
  const size = pkg.options?.size ?? 299;
  return {
    layer,
    inputSize: size,
    backend: tf.getBackend(),
    async features(image: Raster): Promise<FeatureMap> {
      const { width, height } = image;
      const rgb = Float32Array.from(toRgb(image), (v) => v / 255);
      const out = tf.tidy(() => {
        const x = tf.image.resizeBilinear(tf.tensor4d(rgb, [1, height, width, 3]), [size, size]);
        return cut.predict(x) as InstanceType<typeof tf.Tensor>;
      });
      const [, h, w, c] = out.shape;
      const values = await out.data() as Float32Array;
      out.dispose();
      return { height: h, width: w, channels: c, data: Float32Array.from(values) };
    },
    dispose() {
      full.dispose();
    },
  };
}
