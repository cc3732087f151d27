/**
 * Deep Feature Factorization (Collins, Achanta & Süsstrunk, ECCV 2018): the
 * non-negative activations of a CNN layer over a set of images, one row per
 * spatial position of each image (N·h·w x C), factored into k concepts, so each
 * concept's coefficients over an image's positions are a heatmap of where it
 * is. By NMF with the authors' recipe (multiplicative updates on ½‖V − AB‖²,
 * init |N(0, 1)|·sqrt(mean(V) / k), a 1e-4 relative-improvement stop), or by
 * the follow-up's non-linear Deep Semi-NMF, V ≈ Z₁ σ(Z₂ H₂) with H₂ = relu(H̃)
 * trained by Adam, whose top codes H₂ are the concepts.
 *
 * @module
 */

import type { Gpu } from "../gpu/gpu.ts";
import { deepSemiNmf } from "./deep_semi_nmf.ts";
import type { HostMatrix, StopReason } from "./factorization_result.ts";
import { FIT_OPTIONS } from "./fit.ts";
import { nmf } from "./nmf.ts";
import { type OptionsOf, resolveOptions } from "./option_schema.ts";

/** One image's activations: height x width positions of `channels` values (position-major). */
export interface FeatureMap {
  /** Rows of the feature grid (17 for InceptionV3's mixed7 at 299 x 299). */
  height: number;
  /** Columns of the feature grid. */
  width: number;
  /** Channels per position (768 for mixed7). */
  channels: number;
  /** height * width * channels values >= 0, data[(y * width + x) * channels + c]. */
  data: Float32Array;
}

/** The options of {@linkcode deepFeatureFactorization}. */
export const DFF_OPTIONS = {
  k: { type: "integer", min: 1, default: 3, doc: "Concepts (DFF's k)." },
  model: {
    type: "string",
    oneOf: ["nmf", "deep-semi-nmf"],
    default: "nmf",
    doc: "nmf (DFF's multiplicative updates) or deep-semi-nmf (the follow-up: V ≈ Z₁ σ(Z₂ H₂), " +
      "Adam).",
  },
  maxIter: {
    ...FIT_OPTIONS.maxIter,
    doc: "Most iterations: MU sweeps (nmf) or Adam steps (deep-semi-nmf).",
  },
  tol: FIT_OPTIONS.tol,
  seed: FIT_OPTIONS.seed,
  hidden: {
    type: "integer",
    min: 1,
    nullable: true,
    default: null,
    doc: "deep-semi-nmf: the layer below the k concepts (Z₁ is C x hidden); null: 4k.",
  },
  lr: {
    type: "number",
    min: 0,
    exclusive: true,
    default: 1e-2,
    doc: "deep-semi-nmf: Adam's α (1e-2 found 0.68 Jaccard on the test set where 1e-3 found 0.33).",
  },
} as const;

/** Options of {@linkcode deepFeatureFactorization} (see {@linkcode DFF_OPTIONS}). */
export type DffOptions = OptionsOf<typeof DFF_OPTIONS>;

/** The concepts of a feature-map set. */
export interface DffResult {
  /** k x (N·h·w) coefficients, image-major, positions row-major: heatmap j of image i. */
  codes: HostMatrix;
  /** C x k concept directions (nmf's W; the deep model's Z₁Z₂ is not one, so null). */
  concepts: HostMatrix | null;
  /** The feature grid every map shares. */
  grid: { width: number; height: number };
  /** The cost at each check. */
  loss: number[];
  /** Iterations run. */
  nIter: number;
  /** Why the fit stopped. */
  stopReason: StopReason;
}

/**
 * Factors the activations `maps` (one per image, all of one grid and channel
 * count) into k concepts on the GPU; see the module doc. Throws a RangeError
 * for an empty set or maps of different shapes.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const rand = seededRandom(1);
 * const maps = [0, 1].map(() => ({ height: 3, width: 3, channels: 8, data: randomArray(rand, 72) }));
 * const r = await deepFeatureFactorization(gpu, maps, { k: 2, maxIter: 50 });
 * console.log(r.codes.rows, r.codes.cols, r.grid); // 2 18 { width: 3, height: 3 }
 * gpu.destroy();
 * ```
 */
export async function deepFeatureFactorization(
  gpu: Gpu,
  maps: readonly FeatureMap[],
  options: DffOptions = {},
): Promise<DffResult> {
  const o = resolveOptions(DFF_OPTIONS, options, { what: "Deep Feature Factorization" });
  if (maps.length === 0) throw new RangeError("Feature maps are empty: give at least one image");
  const { height, width, channels } = maps[0];
  const bad = maps.findIndex((m) =>
    m.height !== height || m.width !== width || m.channels !== channels ||
    m.data.length !== height * width * channels
  );
  if (bad >= 0) {
    const m = maps[bad];
    throw new RangeError(
      `Feature map ${bad} is ${m.height}x${m.width}x${m.channels} (${m.data.length} values); ` +
        `map 0 is ${height}x${width}x${channels}: extract every image at one layer and size`,
    );
  }
  const cells = height * width;
  const data = new Float32Array(maps.length * cells * channels);
  maps.forEach((m, i) => data.set(m.data, i * cells * channels));
  const input = { data, d: channels, n: maps.length * cells, samplesAsRows: true };
  const common = { maxIter: o.maxIter, tol: o.tol, seed: o.seed, checkEvery: 10 };
  const grid = { width, height };
  if (o.model === "nmf") {
    const r = await nmf(gpu, input, { ...common, rank: o.k, solver: "mu", init: "random" });
    const { loss, nIter, stopReason } = r;
    return { codes: r.factors.H, concepts: r.factors.W, grid, loss, nIter, stopReason };
  }
  const r = await deepSemiNmf(gpu, input, {
    ...common,
    layers: [o.hidden ?? 4 * o.k, o.k],
    normalize: false,
    optimizer: "adam",
    activation: "sigmoid",
    lr: o.lr,
  });
  const { loss, nIter, stopReason } = r;
  return { codes: r.factors.H[1], concepts: null, grid, loss, nIter, stopReason };
}
