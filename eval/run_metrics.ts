/**
 * The metrics of one run, shared by the HTML report, metrics.json and
 * metrics.csv, so every model is reported the same way.
 *
 * @module
 */

/** Test scores of one probe. */
export interface ProbeScores {
  /** Test accuracy. */
  accuracy: number;
  /** Test balanced accuracy. */
  balancedAccuracy: number;
  /** Test ROC AUC (binary attributes), else null. */
  auc: number | null;
  /** Accuracy of always predicting the training majority class. */
  majorityAccuracy: number;
  /** The regularization C used, if known. */
  c?: number;
}

/** A probe of one attribute on one layer, with the raw-pixel probe on the same split beside it. */
export interface ProbeRow {
  /** Layer name, e.g. "H1". */
  layer: string;
  /** Attribute or label name, e.g. "Smiling" or "identity". */
  attribute: string;
  /** The probe on the layer's features. */
  probe: ProbeScores;
  /** The same probe on raw pixels, or null when not run. */
  rawPixel: ProbeScores | null;
}

/** Clustering of one layer's codes. */
export interface ClusteringRow {
  /** Layer name. */
  layer: string;
  /** Clustering accuracy (Hungarian best map). */
  accuracy: number;
  /** Normalized mutual information (say which normalization in the run's config). */
  nmi: number;
  /** Clusters. */
  k: number;
  /** k-means replicates. */
  replicates: number;
  /** How the clusters were formed, when not by k-means on the codes (e.g. each document's main topic). */
  method?: string;
}

/** Reconstruction error of one layer. */
export interface ReconstructionRow {
  /** Layer name. */
  layer: string;
  /** ‖X − X̂‖_F / ‖X‖_F. */
  relativeError: number;
  /** Median per-sample relative error, if computed. */
  medianSampleError?: number;
}

/** Hoyer sparsity of one factor. */
export interface SparsityRow {
  /** Factor name, e.g. "W", "Z1", "H2". */
  factor: string;
  /** Mean Hoyer sparsity of its columns. */
  hoyer: number;
}

/** One topic of a text NMF: its top words and how coherent they are. */
export interface TopicRow {
  /** Topic (column of W, row of H). */
  topic: number;
  /** Its share of Σ W H, the corpus's reconstructed mass. */
  share: number;
  /** NPMI coherence of its top words over the corpus, in [-1, 1]. */
  npmi: number;
  /** Its top words, heaviest first. */
  terms: string[];
  /** Their weights W[t, topic]. */
  weights: number[];
}

/** Every metric of a run. */
export interface RunMetrics {
  /** Linear probes. */
  probes: ProbeRow[];
  /** Clustering scores. */
  clustering: ClusteringRow[];
  /** Reconstruction errors. */
  reconstruction: ReconstructionRow[];
  /** Factor sparsity. */
  sparsity: SparsityRow[];
  /** Topics of a text run, in factor order. */
  topics?: TopicRow[];
  /** Mean NPMI coherence of the topics of a text run. */
  meanNpmi?: number;
  /** Wall-clock seconds of each stage of the run (reading, graphs, pretraining, ...), in order. */
  stages?: { phase: string; seconds: number }[];
}

/**
 * metrics.json: the metrics pretty-printed, non-finite numbers as null.
 *
 * @example
 * ```ts
 * const json = metricsToJson({ probes: [], clustering: [], reconstruction: [], sparsity: [] });
 * console.log(json); // {"probes": [], "clustering": [], ...}, indented
 * ```
 */
export function metricsToJson(metrics: RunMetrics): string {
  return JSON.stringify(
    metrics,
    (_k, v) => typeof v === "number" && !Number.isFinite(v) ? null : v,
    2,
  ) + "\n";
}
