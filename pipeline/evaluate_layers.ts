/**
 * Evaluates every layer of a fit the same way for every model: k-means
 * clustering of the codes, linear probes per label column beside the
 * majority and raw-pixel baselines, reconstruction error, Hoyer sparsity,
 * and the pictures (basis images, reconstructions, attribute mean images,
 * confusion matrices).
 *
 * @module
 */

import type { Dataset } from "../data_prep/open_dataset.ts";
import { seededRandom } from "../factorize/seeded_random.ts";
import type { HostMatrix } from "../factorize/factorization_result.ts";
import { nmfInverseTransform } from "../factorize/nmf.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { attributeMeanImages } from "../eval/attribute_mean_images.ts";
import { clusteringAccuracy } from "../eval/clustering_accuracy.ts";
import { confusionMatrixSvg } from "../eval/confusion_matrix_svg.ts";
import { type DenseMatrix, transposeMatrix } from "../eval/dense_matrix.ts";
import { encodePng } from "../eval/encode_png.ts";
import { columnHoyerSparsity } from "../eval/hoyer_sparsity.ts";
import { imageGrid } from "../eval/image_grid.ts";
import { kmeans } from "../eval/kmeans.ts";
import type { ProbeResult } from "../eval/logistic_probe.ts";
import { logisticProbeGpu } from "../eval/logistic_probe_gpu.ts";
import { nmi } from "../eval/nmi.ts";
import { reconstructionGrid } from "../eval/reconstruction_grid.ts";
import { scaleFreeCodes } from "../eval/scale_free_codes.ts";
import type { ReportFigure, ReportImage } from "../eval/render_report.ts";
import type { ProbeScores, RunMetrics } from "../eval/run_metrics.ts";
import type { Layer } from "./model_table.ts";
import type { StageListener } from "../factorize/stage_progress.ts";
import type { TrainConfig } from "./train_config.ts";
import { partitionSplit, stratifiedSplit, type TrainTestSplit } from "./train_test_split.ts";
import { sampleNorms } from "./sample_norms.ts";
import { PROBE_FOLDS, probeOptions } from "./probe_options.ts";

/** The evaluation settings (a subset of the train config). */
export type EvalSettings = Pick<
  TrainConfig,
  | "seed"
  | "clusterLabel"
  | "probeLabels"
  | "testFraction"
  | "probeC"
  | "probeCGrid"
  | "probeMaxTrain"
  | "rawPixelProbe"
  | "kmeansReplicates"
  | "normalize"
>;

/** What {@linkcode evaluateLayers} returns. */
export interface LayerEvaluation {
  metrics: RunMetrics;
  images: ReportImage[];
  figures: ReportFigure[];
  /** The split used by the probes, or null without label columns. */
  split: TrainTestSplit | null;
  /** Things to say once (skipped probes and why). */
  notes: string[];
}

interface _Labels {
  name: string;
  values: string[];
  /** Code per sample; -1 where unknown (empty value). */
  codes: Int32Array;
}

function _labels(ds: Dataset, name: string): _Labels {
  const { values, codes } = ds.labelColumn(name);
  const unknown = values.indexOf("");
  if (unknown < 0) return { name, values, codes };
  const kept = values.filter((v) => v !== "");
  return {
    name,
    values: kept,
    codes: codes.map((c) => c === unknown ? -1 : c > unknown ? c - 1 : c),
  };
}

/** Rows `idx` of an n x f matrix, as float32. */
function _gather(m: DenseMatrix, idx: ArrayLike<number>): DenseMatrix {
  const out = new Float32Array(idx.length * m.cols);
  for (let i = 0; i < idx.length; i++) {
    out.set(m.data.subarray(idx[i] * m.cols, (idx[i] + 1) * m.cols), i * m.cols);
  }
  return { data: out, rows: idx.length, cols: m.cols };
}

/** Pixels of samples `idx` as rows (n' x d) in [0, 1]. */
function _pixels(ds: Dataset, idx: ArrayLike<number>): DenseMatrix {
  const out = new Float32Array(idx.length * ds.d);
  for (let i = 0; i < idx.length; i++) out.set(ds.rows(idx[i], idx[i] + 1), i * ds.d);
  return { data: out, rows: idx.length, cols: ds.d };
}

/** Columns `idx` of a k x n matrix. */
function _columns(h: HostMatrix, idx: ArrayLike<number>): HostMatrix {
  const out = new Float32Array(h.rows * idx.length);
  for (let i = 0; i < h.rows; i++) {
    for (let j = 0; j < idx.length; j++) out[i * idx.length + j] = h.data[i * h.cols + idx[j]];
  }
  return { rows: h.rows, cols: idx.length, data: out };
}

/** A seeded subset of at most `max` of `idx`, ascending. */
function _subset(idx: Int32Array, max: number, seed: number): Int32Array {
  if (idx.length <= max) return idx;
  const a = Array.from(idx);
  const rand = seededRandom(seed);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(rand() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return Int32Array.from(a.slice(0, max).sort((x, y) => x - y));
}

function _scores(r: ProbeResult): ProbeScores {
  return {
    accuracy: r.accuracy,
    balancedAccuracy: r.balancedAccuracy,
    auc: r.auc,
    majorityAccuracy: r.majorityAccuracy,
    c: r.c,
  };
}

function _pictureScale(ds: Dataset): number {
  return Math.max(1, Math.min(4, Math.floor(64 / Math.max(ds.height, ds.width))));
}

/** X̂ of `codes`: the layer's decoder, or basis · codes. */
function _decode(gpu: Gpu, layer: Layer, codes: HostMatrix, samplesAsRows: boolean) {
  return layer.decode
    ? layer.decode(codes, { samplesAsRows })
    : nmfInverseTransform(gpu, layer.basis, codes, { samplesAsRows });
}

/**
 * Relative error ‖X − X̂‖_F / ‖X‖_F of the layer's reconstruction against the dataset, and
 * the median per-sample relative error, computed in sample blocks on the GPU.
 */
async function _reconstruction(
  gpu: Gpu,
  ds: Dataset,
  layer: Layer,
  norms: Float32Array | null,
): Promise<{ relative: number; median: number }> {
  const block = Math.max(1, Math.floor((1 << 22) / ds.d));
  let err = 0;
  let norm = 0;
  const perSample = new Float64Array(ds.n);
  for (let j0 = 0; j0 < ds.n; j0 += block) {
    const j1 = Math.min(ds.n, j0 + block);
    const idx = Int32Array.from({ length: j1 - j0 }, (_, i) => j0 + i);
    const xHat = await _decode(gpu, layer, _columns(layer.codes, idx), true);
    const x = ds.rows(j0, j1);
    for (let s = 0; s < j1 - j0; s++) {
      let e = 0;
      let v = 0;
      const scale = norms ? norms[j0 + s] : 1;
      for (let p = s * ds.d; p < (s + 1) * ds.d; p++) {
        e += (x[p] - scale * xHat.data[p]) ** 2;
        v += x[p] * x[p];
      }
      err += e;
      norm += v;
      perSample[j0 + s] = v > 0 ? Math.sqrt(e / v) : Math.sqrt(e);
    }
  }
  const sorted = perSample.sort();
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { relative: norm > 0 ? Math.sqrt(err / norm) : Math.sqrt(err), median };
}

/**
 * The split of a run: the dataset's partition column when its manifest lists
 * partitions, else a seeded split stratified by `strata` (one integer per
 * sample; -1 = unknown, kept as its own stratum).
 *
 * @example
 * ```ts
 * import { openDataset } from "../data_prep/open_dataset.ts";
 * import { prepDataset } from "../data_prep/prep_dataset.ts";
 * import { ORL_FACES } from "./run_demo.ts";
 * const dir = await Deno.makeTempDir();
 * const opts = { limit: 20, size: { width: 12, height: 12 }, workers: 0, log: null }; // 2 people
 * await prepDataset(ORL_FACES, { out: `${dir}/orl`, ...opts });
 * const ds = await openDataset(`${dir}/orl`);
 * const split = runSplit(ds, ds.labelColumn("class").codes, { testFraction: 0.3, seed: 0 });
 * console.log(split.train.length, split.test.length); // 14 6: 3 of each person's 10 faces held out
 * ds.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function runSplit(
  ds: Dataset,
  strata: Int32Array | null,
  options: { testFraction: number; seed: number },
): TrainTestSplit {
  if (ds.manifest.partitions) {
    const p = ds.labelColumn("partition");
    const split = partitionSplit(Array.from(p.codes, (c) => p.values[c]));
    if (split) return split;
  }
  return stratifiedSplit(strata ?? new Int32Array(ds.n), options);
}

/**
 * The split the probes of {@linkcode evaluateLayers} use with `settings`: the
 * dataset's partition, else a seeded split stratified by the clustering label
 * (or the first probed label); null when no label column is probed. Training
 * masks the labels of its test samples out of label graphs with it.
 *
 * @example
 * ```ts
 * import { openDataset } from "../data_prep/open_dataset.ts";
 * import { prepDataset } from "../data_prep/prep_dataset.ts";
 * import { ORL_FACES } from "./run_demo.ts";
 * import { resolveTrainConfig } from "./train_config.ts";
 * const dir = await Deno.makeTempDir();
 * const opts = { limit: 20, size: { width: 12, height: 12 }, workers: 0, log: null }; // 2 people
 * await prepDataset(ORL_FACES, { out: `${dir}/orl`, ...opts });
 * const ds = await openDataset(`${dir}/orl`);
 * const config = resolveTrainConfig([{ source: "cli", values: { data: `${dir}/orl` } }]);
 * const split = evaluationSplit(ds, config); // split.test: indices never seen labelled
 * console.log(split?.test.length); // 6: stratified by the label "class", test fraction 0.3
 * ds.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function evaluationSplit(ds: Dataset, settings: EvalSettings): TrainTestSplit | null {
  const names = ds.manifest.labels.map((l) => l.name);
  const clusterName = settings.clusterLabel === "none"
    ? null
    : settings.clusterLabel ?? _defaultClusterLabel(ds, []);
  const probeNames = settings.probeLabels ?? names;
  if (probeNames.length === 0) return null;
  const strata = _labels(ds, clusterName ?? probeNames[0]).codes;
  return runSplit(ds, strata, settings);
}

/**
 * Evaluates `layers` of a fit of dataset `ds` (see the module doc). Probes use
 * the dataset's partition when there is one, else a seeded stratified split
 * by the clustering label; samples with an empty label are left out of that
 * label's probe and of clustering.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { openDataset } from "../data_prep/open_dataset.ts";
 * import { prepDataset } from "../data_prep/prep_dataset.ts";
 * import { nmf } from "../factorize/nmf.ts";
 * import { ORL_FACES } from "./run_demo.ts";
 * import { resolveTrainConfig } from "./train_config.ts";
 * const gpu = await Gpu.create({ log: null });
 * const dir = await Deno.makeTempDir();
 * const opts = { limit: 20, size: { width: 12, height: 12 }, workers: 0, log: null }; // 2 people
 * await prepDataset(ORL_FACES, { out: `${dir}/orl`, ...opts });
 * const ds = await openDataset(`${dir}/orl`);
 * const input = { data: ds.rawRows(0, ds.n), d: ds.d, n: ds.n, samplesAsRows: true };
 * const { W, H } = (await nmf(gpu, input, { rank: 3, maxIter: 20 })).factors;
 * const config = resolveTrainConfig([{ source: "cli", values: { data: `${dir}/orl` } }]);
 * const layers = [{ name: "H", basisName: "W", basis: W, codes: H }]; // X ≈ W H
 * const ev = await evaluateLayers(gpu, ds, layers, config);
 * const { layer, k, accuracy } = ev.metrics.clustering[0]; // k-means of H's columns, k = 2 people
 * console.log(layer, k, accuracy > 0.5, ev.images.length > 0); // H 2 true true
 * ds.close();
 * await Deno.remove(dir, { recursive: true });
 * gpu.destroy();
 * ```
 */
export async function evaluateLayers(
  gpu: Gpu,
  ds: Dataset,
  layers: Layer[],
  settings: EvalSettings,
  options: { onStage?: StageListener } = {},
): Promise<LayerEvaluation> {
  // A model fitted to unit-norm samples reconstructs x_j / ‖x_j‖: scored times ‖x_j‖.
  const norms = settings.normalize === "l2" ? sampleNorms(ds) : null;
  const names = ds.manifest.labels.map((l) => l.name);
  const notes: string[] = [];
  const check = (name: string, what: string) => {
    if (!names.includes(name)) {
      throw new RangeError(
        `Option ${what} names label column "${name}", which dataset ${ds.dir} lacks (columns: ${
          names.join(", ") || "none"
        })`,
      );
    }
  };
  const clusterName = settings.clusterLabel === "none"
    ? null
    : settings.clusterLabel ?? _defaultClusterLabel(ds, notes);
  if (clusterName) check(clusterName, "clusterLabel");
  const probeNames = settings.probeLabels ?? names;
  probeNames.forEach((n) => check(n, "probeLabels"));
  const cluster = clusterName ? _labels(ds, clusterName) : null;
  const probes = probeNames.map((n) => _labels(ds, n));
  const split = evaluationSplit(ds, settings);
  const metrics: RunMetrics = { probes: [], clustering: [], reconstruction: [], sparsity: [] };
  const images: ReportImage[] = [];
  const figures: ReportFigure[] = [];
  const scale = _pictureScale(ds);
  const grid = { height: ds.height, width: ds.width, scale };

  // Per attribute: the probe's sample sets and the raw-pixel baseline, shared by all layers.
  const probeSets = probes.map((lab, a) => {
    const known = (idx: Int32Array) => idx.filter((i) => lab.codes[i] >= 0);
    const [allTrain, allTest] = [known(split!.train), known(split!.test)];
    const train = _subset(allTrain, settings.probeMaxTrain, settings.seed + a);
    const test = _subset(allTest, settings.probeMaxTrain, settings.seed + a + 1000);
    if (train.length < allTrain.length || test.length < allTest.length) {
      notes.push(
        `Probe of ${lab.name}: a seeded ${train.length} of ${allTrain.length} training and ` +
          `${test.length} of ${allTest.length} test samples (--probe-max-train)`,
      );
    }
    const classes = new Set(Array.from(train, (i) => lab.codes[i]));
    const usable = classes.size >= 2 && test.length > 0;
    if (!usable) notes.push(`Probe of ${lab.name} skipped: the training split has one class`);
    return { lab, train, test, usable, raw: null as ProbeScores | null };
  });
  const probe = probeOptions(gpu, settings);
  // A C at the end of the grid may be short of the best one: say so.
  const cs = probe.cv?.cs ?? [];
  const edgeC = (what: string, c: number | undefined) => {
    if (cs.length < 2 || (c !== Math.min(...cs) && c !== Math.max(...cs))) return;
    notes.push(
      `Probe of ${what} chose C = ${c}, the end of --probe-c-grid; a wider grid may do better`,
    );
  };
  notes.push(
    "Clustering and probes see each layer's codes rescaled as if its basis columns had unit " +
      "norm (the factorization's scale removed); probes standardize features, C " +
      (settings.probeC === "auto"
        ? `chosen per probe by ${PROBE_FOLDS}-fold cross-validation on the training split`
        : `fixed at ${settings.probeC}`),
  );
  // The stage "evaluation", one unit per probe, clustering and layer's pictures.
  const usable = probeSets.filter((p) => p.usable).length;
  const total = (settings.rawPixelProbe ? usable : 0) +
    layers.length * (usable + (cluster ? 1 : 0) + 1);
  let done = 0;
  const step = () => options.onStage?.({ stage: "evaluation", done: ++done, total, unit: "step" });
  options.onStage?.({ stage: "evaluation", done: 0, total, unit: "step" });
  for (const p of probeSets) {
    if (!p.usable || !settings.rawPixelProbe) continue;
    p.raw = _scores(
      await logisticProbeGpu(
        { x: _pixels(ds, p.train), y: Array.from(p.train, (i) => p.lab.codes[i]) },
        { x: _pixels(ds, p.test), y: Array.from(p.test, (i) => p.lab.codes[i]) },
        probe,
      ),
    );
    edgeC(`${p.lab.name} on raw pixels`, p.raw.c);
    step();
  }

  for (const [li, layer] of layers.entries()) {
    const features = transposeMatrix(scaleFreeCodes(layer));
    const last = li === layers.length - 1;
    if (cluster) {
      const idx = Int32Array.from(
        { length: ds.n },
        (_, i) => i,
      ).filter((i) => cluster.codes[i] >= 0);
      const k = new Set(Array.from(idx, (i) => cluster.codes[i])).size;
      if (k >= 2 && k <= idx.length) {
        const km = await kmeans(_gather(features, idx), {
          k,
          replicates: settings.kmeansReplicates,
          seed: settings.seed,
          gpu,
        });
        const truth = Array.from(idx, (i) => cluster.codes[i]);
        metrics.clustering.push({
          layer: layer.name,
          accuracy: clusteringAccuracy(truth, km.labels),
          nmi: nmi(truth, km.labels),
          k,
          replicates: settings.kmeansReplicates,
        });
      } else if (li === 0) notes.push(`Clustering by ${cluster.name} skipped: ${k} classes`);
      step();
    }
    for (const p of probeSets) {
      if (!p.usable) continue;
      const r = await logisticProbeGpu(
        { x: _gather(features, p.train), y: Array.from(p.train, (i) => p.lab.codes[i]) },
        { x: _gather(features, p.test), y: Array.from(p.test, (i) => p.lab.codes[i]) },
        probe,
      );
      edgeC(`${p.lab.name} on ${layer.name}`, r.c);
      metrics.probes.push({
        layer: layer.name,
        attribute: p.lab.name,
        probe: _scores(r),
        rawPixel: p.raw,
      });
      step();
      if (last && r.labels.length <= 50) {
        figures.push({
          title: `Confusion matrix: ${p.lab.name} probe on ${layer.name}`,
          svg: confusionMatrixSvg(r.confusion, r.labels.map((c) => p.lab.values[c]), {
            title: `${p.lab.name} (${layer.name})`,
          }),
        });
      }
    }
    const rec = await _reconstruction(gpu, ds, layer, norms);
    metrics.reconstruction.push({
      layer: layer.name,
      relativeError: rec.relative,
      medianSampleError: rec.median,
    });
    metrics.sparsity.push(
      { factor: layer.basisName, hoyer: columnHoyerSparsity(layer.basis).mean },
      { factor: layer.name, hoyer: columnHoyerSparsity(layer.codes).mean },
    );
    const shown = Math.min(layer.basis.cols, 100);
    const basis = shown === layer.basis.cols ? layer.basis : _columns(layer.basis, _range(shown));
    images.push({
      title: `Basis images ${layer.basisName}`,
      caption: `${shown} of ${layer.basis.cols} columns of ${layer.basisName}, each ` +
        "contrast-stretched on its own",
      png: await encodePng(imageGrid(basis, grid)),
    });
    const sample = _subset(_range(ds.n), 16, settings.seed);
    const xs = transposeMatrix(
      { rows: sample.length, cols: ds.d, data: _pixels(ds, sample).data as Float32Array },
    );
    const xHat = await _decode(gpu, layer, _columns(layer.codes, sample), false);
    if (norms) {
      for (let p = 0; p < xHat.data.length; p++) xHat.data[p] *= norms[sample[p % sample.length]];
    }
    images.push({
      title: `Reconstructions from ${layer.name}`,
      caption: `Originals (left) and ${layer.basisName} ${layer.name} (right), ` +
        "one shared contrast stretch",
      png: await encodePng(reconstructionGrid(xs, xHat, { ...grid, count: sample.length }).image),
    });
    step();
  }
  for (const p of probeSets) {
    if (!p.usable || p.lab.values.length !== 2) continue;
    const idx = _subset(_range(ds.n).filter((i) => p.lab.codes[i] >= 0), 2000, settings.seed);
    const has = Array.from(idx, (i) => p.lab.codes[i] === 1);
    if (has.every((h) => h) || has.every((h) => !h)) continue;
    const x = transposeMatrix({
      rows: idx.length,
      cols: ds.d,
      data: _pixels(ds, idx).data as Float32Array,
    });
    const { means } = attributeMeanImages(x, has);
    images.push({
      title: `Mean images: ${p.lab.name}`,
      caption:
        `Mean of samples with ${p.lab.name} = ${p.lab.values[1]}, with ${p.lab.values[0]}, ` +
        "and their difference",
      png: await encodePng(imageGrid(means, { ...grid, columns: 3 })),
    });
  }
  options.onStage?.({
    stage: "evaluation",
    done,
    total,
    unit: "step",
    summary: `${layers.length} layer${layers.length === 1 ? "" : "s"}, ${metrics.probes.length} ` +
      `probes, ${metrics.clustering.length} clusterings`,
  });
  return { metrics, images, figures, split, notes };
}

/**
 * The column clustering uses by default: the dataset's `identity` or `class`
 * column when its classes average at least 5 samples (CelebA's first 5,000
 * faces hold 3,571 identities: nothing to cluster), else none; said in `notes`.
 */
function _defaultClusterLabel(ds: Dataset, notes: string[]): string | null {
  const name = ["identity", "class"].find((n) => ds.manifest.labels.some((l) => l.name === n));
  const how = "--cluster-label names a column, none skips";
  if (!name) {
    notes.push(`No clustering: the dataset has no identity or class column (${how})`);
    return null;
  }
  const classes = new Set(ds.labelColumn(name).values.filter((v) => v !== "")).size;
  if (classes < 2 || ds.n < 5 * classes) {
    notes.push(
      `No clustering: column ${name} has ${classes} classes for ${ds.n} samples, fewer than 5 ` +
        `per class (${how})`,
    );
    return null;
  }
  notes.push(`Clustering by ${name}, k = ${classes} (${how})`);
  return name;
}

function _range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}
