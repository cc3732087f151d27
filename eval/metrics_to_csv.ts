/**
 * metrics.csv: every metric of a run as one long table.
 *
 * @module
 */

import { stringify } from "csv-stringify";
import type { ProbeScores, RunMetrics } from "./run_metrics.ts";

/** Columns of {@linkcode metricsToCsv}. */
export const METRICS_CSV_COLUMNS = ["section", "layer", "target", "metric", "value"] as const;

/**
 * One row per number: section (probe, clustering, reconstruction, sparsity, topic),
 * layer (or factor), target (attribute; empty where none), metric, value
 * (empty when not available). Probe rows include the majority baseline and the
 * raw-pixel probe (metrics prefixed `raw_pixel_`). Long format, so scripts can
 * filter and pivot without knowing the sections.
 *
 * @example
 * ```ts
 * const csv = metricsToCsv({
 *   probes: [],
 *   clustering: [{ layer: "H1", accuracy: 0.7, nmi: 0.8, k: 40, replicates: 10 }],
 *   reconstruction: [],
 *   sparsity: [],
 * });
 * console.log(csv); // "section,layer,target,metric,value\nclustering,H1,,accuracy,0.7\n..."
 * ```
 */
export function metricsToCsv(metrics: RunMetrics): string {
  const rows: (string | number)[][] = [];
  const add = (section: string, layer: string, target: string, metric: string, v?: number | null) =>
    rows.push([
      section,
      layer,
      target,
      metric,
      v === null || v === undefined || !isFinite(v) ? "" : v,
    ]);
  const probe = (layer: string, target: string, prefix: string, s: ProbeScores) => {
    add("probe", layer, target, `${prefix}accuracy`, s.accuracy);
    add("probe", layer, target, `${prefix}balanced_accuracy`, s.balancedAccuracy);
    add("probe", layer, target, `${prefix}auc`, s.auc);
    add("probe", layer, target, `${prefix}majority_accuracy`, s.majorityAccuracy);
    if (s.c !== undefined) add("probe", layer, target, `${prefix}c`, s.c);
  };
  for (const p of metrics.probes) {
    probe(p.layer, p.attribute, "", p.probe);
    if (p.rawPixel) probe(p.layer, p.attribute, "raw_pixel_", p.rawPixel);
  }
  for (const c of metrics.clustering) {
    add("clustering", c.layer, "", "accuracy", c.accuracy);
    add("clustering", c.layer, "", "nmi", c.nmi);
    add("clustering", c.layer, "", "k", c.k);
    add("clustering", c.layer, "", "replicates", c.replicates);
  }
  for (const r of metrics.reconstruction) {
    add("reconstruction", r.layer, "", "relative_error", r.relativeError);
    if (r.medianSampleError !== undefined) {
      add("reconstruction", r.layer, "", "median_sample_error", r.medianSampleError);
    }
  }
  for (const s of metrics.sparsity) add("sparsity", s.factor, "", "hoyer", s.hoyer);
  for (const t of metrics.topics ?? []) {
    add("topic", "W", String(t.topic), "share", t.share);
    add("topic", "W", String(t.topic), "npmi", t.npmi);
  }
  if (metrics.meanNpmi !== undefined) add("topic", "W", "", "mean_npmi", metrics.meanNpmi);
  return stringify(rows, { header: true, columns: [...METRICS_CSV_COLUMNS] });
}
