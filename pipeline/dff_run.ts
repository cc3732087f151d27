/**
 * One Deep Feature Factorization run end to end (`deno task dff`): list a
 * folder of images, extract CNN features once (cached, resumable), factor them
 * with each requested model, and write `<out>/<date>-dff-<hash>/` with
 * config.json, environment.json, per image and model a coloured overlay, the
 * k heatmaps side by side and the foreground mask (PNG), metrics.json and one
 * report.html. With a mask folder (binary
 * images of the same file stems, > 127 = foreground) every image is scored:
 * Jaccard and precision of the unsupervised foreground concept, of the best
 * concept (oracle) and of a centred box of the predicted area.
 *
 * @module
 */

import { basename, extname, join } from "node:path";
import { decodeImage } from "../data_prep/decode_image.ts";
import { cachedFeatures } from "../data_prep/feature_cache.ts";
import { fnv1a32 } from "../data_prep/fnv1a.ts";
import { isImageName, naturalCompare } from "../data_prep/image_entry.ts";
import { INCEPTION_LAYERS, openInceptionV3 } from "../data_prep/inception_features.ts";
import type { Raster } from "../data_prep/raster.ts";
import { toRgb } from "../data_prep/to_rgb.ts";
import { conceptHeatmaps } from "../eval/concept_heatmaps.ts";
import { conceptOverlay } from "../eval/concept_overlay.ts";
import {
  argmaxLabels,
  centrePriorMask,
  foregroundConcept,
  maskScores,
} from "../eval/cosegmentation_scores.ts";
import { encodePng } from "../eval/encode_png.ts";
import { renderReport, type ReportImage, type ReportTable } from "../eval/render_report.ts";
import { writeRunFiles } from "../eval/write_run_files.ts";
import { deepFeatureFactorization, DFF_OPTIONS } from "../factorize/deep_feature_factorization.ts";
import { OptionError, type ResolvedOf, resolveOptions } from "../factorize/option_schema.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { flagName } from "./train_config.ts";
import { environmentInfo } from "./train_run.ts";

const { model: _model, ...FACTOR_OPTIONS } = DFF_OPTIONS;

/** The options of a DFF run: its own, then the factorization's (DFF_OPTIONS; model a list). */
export const DFF_RUN_OPTIONS = {
  images: { type: "string", required: true, doc: "Folder of the image set (JPEG, PNG, BMP, PGM)." },
  masks: {
    type: "string",
    nullable: true,
    default: null,
    doc: "Folder of ground-truth masks with the images' file stems (> 127 = foreground).",
  },
  layer: {
    type: "string",
    oneOf: INCEPTION_LAYERS,
    default: "mixed7",
    doc: "InceptionV3 block whose activations are factored (mixed7: 17 x 17 x 768).",
  },
  model: {
    type: "string[]",
    oneOf: ["nmf", "deep-semi-nmf"],
    default: ["nmf"],
    doc: "The factorization, or several side by side: nmf (DFF) and/or deep-semi-nmf (σ, Adam).",
  },
  out: { type: "string", default: "runs", doc: "Folder the run folder is made in." },
  cache: {
    type: "string",
    nullable: true,
    default: null,
    doc: "Feature cache folder; null: <out>/.cache/dff-features.",
  },
  ...FACTOR_OPTIONS,
} as const;

/** A resolved DFF run configuration. */
export type DffRunConfig = ResolvedOf<typeof DFF_RUN_OPTIONS>;

/** Scores of one image under one model. */
export interface DffImageScores {
  /** The image file's name. */
  image: string;
  /** Jaccard index of the unsupervised foreground concept's mask. */
  jaccard: number;
  /** Its precision (share of pixels labelled right). */
  precision: number;
  /** Jaccard of the oracle: the concept with the best mean Jaccard over the set. */
  oracleJaccard: number;
  /** The oracle's precision. */
  oraclePrecision: number;
  /** Jaccard of a centred box with the predicted mask's area. */
  centreJaccard: number;
  /** The centred box's precision. */
  centrePrecision: number;
}

/** What one model gave. */
export interface DffModelResult {
  /** The factorization ("nmf" or "deep-semi-nmf"). */
  model: string;
  /** The concept taken as foreground (least heat on the grid's border). */
  foreground: number;
  /** The oracle's concept. */
  oracle: number | null;
  /** Iterations run. */
  iterations: number;
  /** The fit's last cost. */
  finalLoss: number;
  /** Seconds the factorization took. */
  seconds: number;
  /** Per-image scores (images with a mask). */
  images: DffImageScores[];
  /** Their means, or null without masks. */
  mean: Omit<DffImageScores, "image"> | null;
}

/** What {@linkcode dffRun} did. */
export interface DffRunResult {
  /** The run folder. */
  runDir: string;
  /** The resolved configuration, as written to config.json. */
  config: DffRunConfig;
  /** Each model's outcome, in the order asked. */
  models: DffModelResult[];
  /** Images that could not be read, with the reason. */
  skipped: { file: string; reason: string }[];
  /** Path of report.html. */
  reportPath: string;
}

/**
 * Resolves DFF run options (flags as text when `text`), naming bad ones as
 * `--flag`. Throws an OptionError.
 *
 * @example
 * ```ts
 * const c = resolveDffConfig({ images: "set", k: "2", model: "nmf,deep-semi-nmf" }, { text: true });
 * console.log(c.k, c.model, c.layer); // 2 ["nmf", "deep-semi-nmf"] mixed7
 * ```
 */
export function resolveDffConfig(
  values: Record<string, unknown>,
  options: { text?: boolean } = {},
): DffRunConfig {
  return resolveOptions(DFF_RUN_OPTIONS, values, {
    what: "dff",
    name: flagName,
    text: options.text,
  });
}

async function _listImages(dir: string, what: string): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && isImageName(e.name)) files.push(e.name);
    }
  } catch (e) {
    throw new OptionError(`Cannot read ${what} folder ${dir}: ${(e as Error).message}`);
  }
  if (files.length === 0) {
    throw new OptionError(
      `${what[0].toUpperCase() + what.slice(1)} folder ${dir} holds no images (.jpg, .png, .bmp, ` +
        ".pgm, .ppm): give a folder of image files",
    );
  }
  return files.sort(naturalCompare).map((f) => join(dir, f));
}

const _stem = (file: string) => basename(file, extname(file));

/** The masks by image stem: 0/1 per pixel, the image's size; notes for those missing or wrong. */
async function _masks(dir: string, images: string[], sizes: Raster[], notes: string[]) {
  const byStem = new Map((await _listImages(dir, "mask")).map((f) => [_stem(f), f]));
  return await Promise.all(images.map(async (file, i) => {
    const path = byStem.get(_stem(file));
    if (!path) {
      notes.push(`No mask for ${basename(file)} in ${dir}: left out of the scores`);
      return null;
    }
    let r: Raster;
    try {
      r = await decodeImage(await Deno.readFile(path), basename(path));
    } catch (e) {
      notes.push(`Mask ${path} left out: ${(e as Error).message}`);
      return null;
    }
    const { width, height } = sizes[i];
    if (r.width !== width || r.height !== height) {
      notes.push(
        `Mask ${path} is ${r.width}x${r.height}, its image ${width}x${height}: left out of the ` +
          "scores (a mask must match its image)",
      );
      return null;
    }
    const m = new Uint8Array(width * height);
    for (let p = 0; p < m.length; p++) m[p] = r.data[p * r.channels] > 127 ? 1 : 0;
    return m;
  }));
}

/** The k heatmaps of one image side by side, heat 0..1 as gray 0..255. */
function _strip(maps: Float32Array[], size: { width: number; height: number }) {
  const { width, height } = size;
  const pixels = new Uint8Array(maps.length * width * height);
  maps.forEach((m, j) => {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        pixels[y * maps.length * width + j * width + x] = Math.round(255 * m[y * width + x]);
      }
    }
  });
  return { width: maps.length * width, height, pixels };
}

function _mean(rows: DffImageScores[]): Omit<DffImageScores, "image"> | null {
  if (rows.length === 0) return null;
  const keys = [
    "jaccard",
    "precision",
    "oracleJaccard",
    "oraclePrecision",
    "centreJaccard",
    "centrePrecision",
  ] as const;
  return Object.fromEntries(
    keys.map((k) => [k, rows.reduce((s, r) => s + r[k], 0) / rows.length]),
  ) as Omit<DffImageScores, "image">;
}

/**
 * Runs DFF on `config` (see the module doc) with `log` hearing progress and
 * notes. Throws an OptionError for a missing or empty folder.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const out = await Deno.makeTempDir();
 * const config = resolveDffConfig({ images: "data/att_faces/s1", out, k: 2, maxIter: 20 });
 * const r = await dffRun(gpu, config, { log: () => {} });
 * console.log(r.models[0].images.length, r.reportPath.endsWith("report.html")); // 0 true: no masks
 * await Deno.remove(out, { recursive: true });
 * gpu.destroy();
 * ```
 */
export async function dffRun(
  gpu: Gpu,
  config: DffRunConfig,
  options: { log?: (line: string) => void; now?: Date } = {},
): Promise<DffRunResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const started = options.now ?? new Date();
  const files = await _listImages(config.images, "image");
  if (config.masks) await _listImages(config.masks, "mask");
  const hash = fnv1a32(new TextEncoder().encode(JSON.stringify(config))).toString(16)
    .padStart(8, "0");
  const stamp = started.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  const runDir = join(config.out, `${stamp}-dff-${hash}`);
  const t0 = performance.now();
  const net = await openInceptionV3({ layer: config.layer });
  log(
    `InceptionV3 cut at ${config.layer} loaded (${net.backend}) in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s`,
  );
  const t1 = performance.now();
  const feats = await cachedFeatures(net, files, {
    cacheDir: config.cache ?? join(config.out, ".cache", "dff-features"),
    log,
  }).finally(() => net.dispose());
  const extractSeconds = (performance.now() - t1) / 1000;
  if (feats.maps.length === 0) throw new Error(`No image of ${config.images} could be read`);
  const notes: string[] = feats.skipped.map((s) => `Skipped ${s.file}: ${s.reason}`);
  const masks = config.masks ? await _masks(config.masks, feats.files, feats.images, notes) : null;
  const files_: Record<string, string | Uint8Array> = {};
  const results: DffModelResult[] = [];
  const images: ReportImage[] = [];
  for (const model of config.model) {
    const t = performance.now();
    const factor = Object.fromEntries(
      Object.keys(FACTOR_OPTIONS).map((key) => [key, config[key as keyof DffRunConfig]]),
    );
    const r = await deepFeatureFactorization(gpu, feats.maps, { ...factor, model: model as "nmf" });
    const seconds = (performance.now() - t) / 1000;
    const fg = foregroundConcept(r.codes, r.grid);
    // Each image's heatmaps once: its labels, overlay, heatmap strip and mask all come from them.
    const labels: Uint8Array[] = [];
    for (const [i, img] of feats.images.entries()) {
      const maps = conceptHeatmaps(r.codes, i, r.grid, img);
      labels.push(argmaxLabels(maps));
      const png = await encodePng(
        conceptOverlay({ width: img.width, height: img.height, rgb: toRgb(img) }, maps),
      );
      const stem = _stem(feats.files[i]);
      files_[`${model}-overlay-${stem}.png`] = png;
      files_[`${model}-heatmaps-${stem}.png`] = await encodePng(_strip(maps, img));
      files_[`${model}-mask-${stem}.png`] = await encodePng({
        width: img.width,
        height: img.height,
        pixels: labels[i].map((l) => (l === fg ? 255 : 0)),
      });
      if (i < 24) images.push({ title: `${model}: ${basename(feats.files[i])}`, png });
    }
    // The oracle: the concept whose mask has the best mean Jaccard over the scored images.
    const scored = masks ? feats.images.map((_, i) => i).filter((i) => masks[i]) : [];
    const conceptJaccard = Array.from({ length: config.k }, (_, j) =>
      scored.reduce(
        (s, i) => s + maskScores(labels[i].map((l) => +(l === j)), masks![i]!).jaccard,
        0,
      ));
    const oracle = scored.length ? conceptJaccard.indexOf(Math.max(...conceptJaccard)) : null;
    const rows: DffImageScores[] = scored.map((i) => {
      const mask = labels[i].map((l) => +(l === fg));
      const s = maskScores(mask, masks![i]!);
      const o = maskScores(labels[i].map((l) => +(l === oracle)), masks![i]!);
      const area = mask.reduce((a, v) => a + v, 0);
      const c = maskScores(centrePriorMask(feats.images[i], area), masks![i]!);
      return {
        image: basename(feats.files[i]),
        jaccard: s.jaccard,
        precision: s.precision,
        oracleJaccard: o.jaccard,
        oraclePrecision: o.precision,
        centreJaccard: c.jaccard,
        centrePrecision: c.precision,
      };
    });
    const result: DffModelResult = {
      model,
      foreground: fg,
      oracle,
      iterations: r.nIter,
      finalLoss: r.loss.at(-1)!,
      seconds,
      images: rows,
      mean: _mean(rows),
    };
    results.push(result);
    log(
      `${model}: ${r.nIter} iterations in ${seconds.toFixed(1)} s, foreground concept ${fg}` +
        (result.mean
          ? `; mean Jaccard ${result.mean.jaccard.toFixed(3)} (oracle ${
            result.mean.oracleJaccard.toFixed(3)
          }, centre box ${result.mean.centreJaccard.toFixed(3)}), precision ${
            result.mean.precision.toFixed(3)
          }`
          : ""),
    );
  }
  for (const n of notes) log(n);
  const tables: ReportTable[] = [];
  if (masks) {
    tables.push({
      title: "Co-segmentation",
      note: "Mean over the images with a mask. Foreground: the concept with the least heat on " +
        "the border of the feature grid (no labels used); oracle: the concept with the best mean " +
        "Jaccard; centre box: a centred box with the foreground's area.",
      header: [
        "model",
        "Jaccard",
        "precision",
        "oracle Jaccard",
        "oracle precision",
        "centre-box Jaccard",
        "centre-box precision",
      ],
      rows: results.map((
        r,
      ) => [
        r.model,
        r.mean?.jaccard ?? null,
        r.mean?.precision ?? null,
        r.mean?.oracleJaccard ?? null,
        r.mean?.oraclePrecision ?? null,
        r.mean?.centreJaccard ?? null,
        r.mean?.centrePrecision ?? null,
      ]),
    });
    for (const r of results) {
      tables.push({
        title: `Per image: ${r.model}`,
        header: ["image", "Jaccard", "precision", "oracle Jaccard", "centre-box Jaccard"],
        rows: r.images.map((
          s,
        ) => [s.image, s.jaccard, s.precision, s.oracleJaccard, s.centreJaccard]),
      });
    }
  }
  const metrics = {
    images: feats.files.length,
    skipped: feats.skipped,
    extractSeconds,
    models: results,
  };
  const timings = [
    {
      phase: `features (${feats.files.length - feats.cached} extracted, ${feats.cached} cached)`,
      seconds: extractSeconds,
    },
    ...results.map((r) => ({ phase: `factorize: ${r.model}`, seconds: r.seconds })),
  ];
  files_["config.json"] = JSON.stringify(config, null, 2) + "\n";
  files_["environment.json"] = JSON.stringify(
    { ...environmentInfo(gpu), backend: "tfjs wasm", startedAt: started.toISOString() },
    null,
    2,
  ) + "\n";
  files_["metrics.json"] = JSON.stringify(metrics, null, 2) + "\n";
  files_["report.html"] = renderReport({
    title: `${basename(config.images)}: Deep Feature Factorization, k=${config.k}, ${config.layer}`,
    createdAt: started.toISOString(),
    config: { ...config, ...(notes.length ? { notes } : {}) },
    adapter: gpu.adapter,
    timings,
    metrics: { probes: [], clustering: [], reconstruction: [], sparsity: [] },
    tables,
    images,
  });
  await writeRunFiles(runDir, files_);
  return {
    runDir,
    config,
    models: results,
    skipped: feats.skipped,
    reportPath: join(runDir, "report.html"),
  };
}
