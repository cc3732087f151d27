/**
 * The report of an NMF of a text corpus (a term dataset): each topic's top words
 * with their weights and its NPMI coherence over the corpus, the document-topic
 * matrix, and, when the documents have classes, the clustering accuracy and NMI of
 * each document's main topic. Writes metrics.json, metrics.csv, topics.csv,
 * document-topics.csv, loss.csv, loss.svg and report.html into the run folder.
 *
 * @module
 */

import { join } from "node:path";
import type { TermDataset } from "../data_prep/term_dataset.ts";
import { clusteringAccuracy } from "../eval/clustering_accuracy.ts";
import { columnHoyerSparsity } from "../eval/hoyer_sparsity.ts";
import { lossCurveSvg } from "../eval/loss_curve_svg.ts";
import { metricsToCsv } from "../eval/metrics_to_csv.ts";
import { nmi } from "../eval/nmi.ts";
import { npmiCoherence } from "../eval/npmi_coherence.ts";
import { renderReport } from "../eval/render_report.ts";
import { metricsToJson, type RunMetrics, type TopicRow } from "../eval/run_metrics.ts";
import { topTerms } from "../eval/top_terms.ts";
import { writeRunFiles } from "../eval/write_run_files.ts";
import type { HostMatrix } from "../factorize/factorization_result.ts";
import type { Factors, FitState } from "./factor_store.ts";
import { lossCsv, type RunReport } from "./write_run_report.ts";
import { modelEntry } from "./model_table.ts";
import type { TrainConfig } from "./train_config.ts";

/** Topics and document assignments of fitted factors W (terms x k) and H (k x documents). */
export interface TopicSummary {
  /** The topics, in factor order. */
  topics: TopicRow[];
  /** Mean NPMI over the topics. */
  meanNpmi: number;
  /** Each document's main topic: argmax_r H[r, j] Σ_t W[t, r] (scale-free), -1 for an empty one. */
  mainTopic: Int32Array;
  /** ‖X − W H‖_F / ‖X‖_F in float64 (the trace identity over X's non-zeros). */
  relativeError: number;
}

/** Run options that mean nothing for a text run (probes, k-means, pixels), left out of its report. */
const _IMAGE_KEYS = new Set([
  "normalize",
  "probeLabels",
  "testFraction",
  "probeC",
  "probeCGrid",
  "probeMaxTrain",
  "rawPixelProbe",
  "kmeansReplicates",
]);

function _csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Top words, shares and coherence of every topic, each document's main topic and
 * the relative Frobenius error, all in float64 on the CPU from `ds`'s CSR rows.
 *
 * @example
 * ```ts
 * import { tfidf } from "../data_prep/tfidf.ts";
 * const m = tfidf([["gpu", "kernel"], ["gpu", "kernel"], ["faces", "pixels"]], { weighting: "tf", norm: "none" });
 * // vocabulary: faces, gpu, kernel, pixels; topic 0 = gpu + kernel, topic 1 = faces + pixels
 * const W = { rows: 4, cols: 2, data: new Float32Array([0, 1, 1, 0, 1, 0, 0, 1]) };
 * const H = { rows: 2, cols: 3, data: new Float32Array([1, 1, 0, 0, 0, 1]) };
 * const s = topicSummary(m, W, H, { count: 2 });
 * console.log(s.topics[0].terms, s.mainTopic, s.relativeError); // [ "gpu", "kernel" ] Int32Array(3) [ 0, 0, 1 ] 0
 * ```
 */
export function topicSummary(
  ds: Pick<TermDataset, "n" | "vocabulary" | "indptr" | "indices" | "values">,
  W: HostMatrix,
  H: HostMatrix,
  options: { count?: number } = {},
): TopicSummary {
  const k = W.cols;
  const d = W.rows;
  const n = H.cols;
  if (H.rows !== k || n !== ds.n) {
    throw new RangeError(`H is ${H.rows}x${H.cols}, expected ${k}x${ds.n} for W ${d}x${k}`);
  }
  const colSum = new Float64Array(k);
  for (let t = 0; t < d; t++) for (let r = 0; r < k; r++) colSum[r] += W.data[t * k + r];
  const mass = new Float64Array(k);
  const mainTopic = new Int32Array(n).fill(-1);
  for (let j = 0; j < n; j++) {
    let best = 0;
    for (let r = 0; r < k; r++) {
      const m = H.data[r * n + j] * colSum[r];
      mass[r] += m;
      if (m > best) [best, mainTopic[j]] = [m, r];
    }
  }
  const total = mass.reduce((a, b) => a + b, 0);
  const top = topTerms(W, ds.vocabulary, { count: options.count ?? 10 });
  const npmi = npmiCoherence(top.map((t) => t.indices), ds);
  const topics = top.map((t, r) => ({
    topic: r,
    share: total > 0 ? mass[r] / total : 0,
    npmi: npmi[r],
    terms: t.terms,
    weights: t.weights,
  }));
  // ‖X − WH‖² = ‖X‖² − 2 Σ_nz x (WH) + Σ (WᵀW) ⊙ (HHᵀ)
  let xx = 0;
  let cross = 0;
  for (let j = 0; j < n; j++) {
    for (let e = ds.indptr[j]; e < ds.indptr[j + 1]; e++) {
      const t = ds.indices[e];
      let wh = 0;
      for (let r = 0; r < k; r++) wh += W.data[t * k + r] * H.data[r * n + j];
      xx += ds.values[e] * ds.values[e];
      cross += ds.values[e] * wh;
    }
  }
  const wtw = new Float64Array(k * k);
  for (let t = 0; t < d; t++) {
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) wtw[a * k + b] += W.data[t * k + a] * W.data[t * k + b];
    }
  }
  let quad = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let hh = 0;
      for (let j = 0; j < n; j++) hh += H.data[a * n + j] * H.data[b * n + j];
      quad += wtw[a * k + b] * hh;
    }
  }
  const relativeError = xx > 0 ? Math.sqrt(Math.max(xx - 2 * cross + quad, 0) / xx) : 0;
  const meanNpmi = topics.length ? npmi.reduce((a, b) => a + b, 0) / topics.length : 0;
  return { topics, meanNpmi, mainTopic, relativeError };
}

/**
 * The label column a text run clusters by: `clusterLabel` when given ("none": none),
 * else the dataset's first label column with 2 or more classes.
 */
function _clusterColumn(ds: TermDataset, config: TrainConfig): string | null {
  if (config.clusterLabel === "none") return null;
  if (config.clusterLabel) return config.clusterLabel;
  return ds.manifest.labels.find((name) => {
    const classes = new Set(ds.labelColumn(name).filter((v) => v !== ""));
    return classes.size >= 2;
  }) ?? null;
}

/**
 * Summarizes the fitted topics of `ds` (see {@linkcode topicSummary}) and writes the
 * run's metrics, tables and report into `runDir`.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { prepText } from "../data_prep/prep_text.ts";
 * import { openTermDataset } from "../data_prep/term_dataset.ts";
 * import { nmf } from "../factorize/nmf.ts";
 * import type { FitState } from "./factor_store.ts";
 * import { resolveTrainConfig } from "./train_config.ts";
 * const gpu = await Gpu.create({ log: null });
 * const dir = await Deno.makeTempDir();
 * await prepText("data/debian_sample.csv", { out: `${dir}/deb`, labelColumn: "section", log: null });
 * const ds = await openTermDataset(`${dir}/deb`);
 * const x = { d: ds.vocabulary.length, n: ds.n, indptr: ds.indptr, indices: ds.indices, values: ds.values };
 * const fit = await nmf(gpu, x, { rank: 5, maxIter: 30, init: "nndsvda" });
 * const state: FitState = { iteration: fit.nIter, loss: fit.loss, lossIterations: fit.lossIterations,
 *   lossSeconds: fit.loss.map(() => 0), complete: true, stopReason: fit.stopReason,
 *   messages: [], seconds: 0 };
 * const config = resolveTrainConfig([{ source: "cli", values: { data: `${dir}/deb`, rank: 5 } }]);
 * const r = await writeTopicReport(`${dir}/run`, ds, config, { factors: { ...fit.factors }, state });
 * console.log(r.metrics.topics?.length, r.metrics.clustering[0].k); // 5 6: topics, sections
 * await Deno.remove(dir, { recursive: true });
 * gpu.destroy();
 * ```
 */
export async function writeTopicReport(
  runDir: string,
  ds: TermDataset,
  config: TrainConfig,
  fit: { factors: Factors; state: FitState },
  options: {
    timings?: { phase: string; seconds: number }[];
    createdAt?: string;
    adapter?: { name: string; vendor?: string; isSoftware?: boolean } | null;
  } = {},
): Promise<RunReport> {
  const t0 = performance.now();
  const { W, H } = fit.factors;
  const label = modelEntry(config.model).label(config);
  const count = (config.topTerms as number | undefined) ?? 10;
  const s = topicSummary(ds, W, H, { count });
  const notes: string[] = [];
  const metrics: RunMetrics = {
    probes: [],
    clustering: [],
    reconstruction: [{ layer: "H", relativeError: s.relativeError }],
    sparsity: [
      { factor: "W", hoyer: columnHoyerSparsity(W).mean },
      { factor: "H", hoyer: columnHoyerSparsity(H).mean },
    ],
    topics: s.topics,
    meanNpmi: s.meanNpmi,
  };
  const column = _clusterColumn(ds, config);
  const labels = column ? ds.labelColumn(column) : null;
  let classes: string[] = [];
  if (column && labels) {
    classes = [...new Set(labels.filter((v) => v !== ""))].sort();
    const code = new Map(classes.map((c, i) => [c, i]));
    const kept = [...labels.keys()].filter((j) => labels[j] !== "" && s.mainTopic[j] >= 0);
    if (classes.length >= 2 && kept.length > 0) {
      const truth = kept.map((j) => code.get(labels[j])!);
      const pred = kept.map((j) => s.mainTopic[j]);
      metrics.clustering.push({
        layer: "H (main topic)",
        accuracy: clusteringAccuracy(truth, pred),
        nmi: nmi(truth, pred),
        k: classes.length,
        replicates: 1,
        method: "each document's main topic, argmax_r H[r, j] Σ_t W[t, r] (no k-means)",
      });
      const left = ds.n - kept.length;
      if (left > 0) {
        notes.push(`${left} documents without a ${column} or a topic are not clustered`);
      }
    } else notes.push(`Label column ${column} has fewer than 2 classes: no clustering`);
  }
  const lossSvg = lossCurveSvg(
    [{ name: label, values: fit.state.loss, x: fit.state.lossIterations }],
    {
      title: `Loss of ${label}`,
      yLabel: config.betaLoss === "kullback-leibler" ? "√(2 D(X‖WH))" : "‖X − WH‖",
    },
  );
  const topicLines = ["topic,share,npmi,terms,weights"];
  for (const t of s.topics) {
    topicLines.push(
      [t.topic, t.share, t.npmi, _csvCell(t.terms.join(" ")), t.weights.join(" ")].join(","),
    );
  }
  const k = W.cols;
  const docLines = [
    [
      "file",
      ...(column ? [column] : []),
      "main_topic",
      ...Array.from({ length: k }, (_, r) => `topic_${r}`),
    ]
      .map(_csvCell).join(","),
  ];
  for (let j = 0; j < ds.n; j++) {
    const row = [_csvCell(ds.files[j] ?? String(j))];
    if (labels) row.push(_csvCell(labels[j]));
    row.push(String(s.mainTopic[j]));
    for (let r = 0; r < k; r++) row.push(String(H.data[r * ds.n + j]));
    docLines.push(row.join(","));
  }
  const seconds = (performance.now() - t0) / 1000;
  const timings = [...(options.timings ?? []), { phase: "evaluation and report", seconds }];
  metrics.stages = timings;
  const html = renderReport({
    title: `${runDir.split(/[\\/]/).filter(Boolean).at(-1)}: ${label} topics`,
    createdAt: options.createdAt,
    config: {
      ...Object.fromEntries(Object.entries(config).filter(([key]) => !_IMAGE_KEYS.has(key))),
      dataset: `${ds.n} documents over ${ds.vocabulary.length} terms, ${ds.indices.length} ` +
        `non-zeros (${ds.manifest.source.description})`,
      iterations: fit.state.iteration,
      stopReason: fit.state.stopReason,
      finalLoss: fit.state.loss.at(-1),
      ...(column ? { clusteredBy: `${column} (${classes.length} classes)` } : {}),
      ...(notes.length ? { notes } : {}),
    },
    adapter: options.adapter ?? null,
    timings,
    metrics,
    tables: [{
      title: `Topics (mean NPMI ${s.meanNpmi.toFixed(3)})`,
      note: `The ${count} heaviest words of each column of W with their weights; share: the ` +
        "topic's part of Σ WH; NPMI: mean normalized PMI of its word pairs over the documents " +
        "(1: always together, 0: independent, −1: never).",
      header: ["Topic", "Share", "NPMI", "Top words (weight)"],
      rows: s.topics.map((t) => [
        String(t.topic),
        t.share,
        t.npmi,
        t.terms.map((w, i) => `${w} ${t.weights[i].toPrecision(3)}`).join(", "),
      ]),
    }],
    figures: [{
      title: "Loss",
      caption: `${fit.state.iteration} iterations, stopped by ${
        fit.state.stopReason ?? "interruption"
      }`,
      svg: lossSvg,
    }],
  });
  await writeRunFiles(runDir, {
    "metrics.json": metricsToJson(metrics),
    "metrics.csv": metricsToCsv(metrics),
    "topics.csv": topicLines.join("\n") + "\n",
    "document-topics.csv": docLines.join("\n") + "\n",
    "loss.csv": lossCsv(fit.state),
    "loss.svg": lossSvg,
    "report.html": html,
  });
  return { metrics, reportPath: join(runDir, "report.html"), notes, seconds };
}
