/**
 * Evaluates a run's factors and writes what a reader of the run wants:
 * metrics.json, metrics.csv, loss.csv, the pictures (PNG, SVG) and one
 * self-contained report.html. Shared by the train and eval tasks.
 *
 * @module
 */

import { join } from "node:path";
import type { Dataset } from "../data_prep/open_dataset.ts";
import { lossCurveSvg } from "../eval/loss_curve_svg.ts";
import { metricsToCsv } from "../eval/metrics_to_csv.ts";
import { renderReport } from "../eval/render_report.ts";
import { metricsToJson, type RunMetrics } from "../eval/run_metrics.ts";
import { writeRunFiles } from "../eval/write_run_files.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { evaluateLayers } from "./evaluate_layers.ts";
import type { Factors, FitState } from "./factor_store.ts";
import { modelEntry } from "./model_table.ts";
import type { TrainConfig } from "./train_config.ts";
import type { StageListener } from "../factorize/stage_progress.ts";

/** What {@linkcode writeRunReport} wrote. */
export interface RunReport {
  /** Every metric of every layer. */
  metrics: RunMetrics;
  /** Path of report.html. */
  reportPath: string;
  /** Evaluation notes (skipped probes). */
  notes: string[];
  /** Seconds spent evaluating and rendering. */
  seconds: number;
}

function _slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** loss.csv: iteration, seconds since the fit started, loss. */
export function lossCsv(state: FitState): string {
  const lines = ["iteration,seconds,loss"];
  state.loss.forEach((l, i) => {
    lines.push(`${state.lossIterations[i]},${state.lossSeconds[i].toFixed(4)},${l}`);
  });
  return lines.join("\n") + "\n";
}

/**
 * Evaluates `factors` of a fit of `ds` with `config`'s settings and writes the
 * run's metrics, pictures and report into `runDir`.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { openDataset } from "../data_prep/open_dataset.ts";
 * import { prepDataset } from "../data_prep/prep_dataset.ts";
 * import { nmf } from "../factorize/nmf.ts";
 * import type { FitState } from "./factor_store.ts";
 * import { ORL_FACES } from "./run_demo.ts";
 * import { resolveTrainConfig } from "./train_config.ts";
 * const gpu = await Gpu.create({ log: null });
 * const dir = await Deno.makeTempDir();
 * const opts = { limit: 20, size: { width: 12, height: 12 }, workers: 0, log: null }; // 2 people
 * await prepDataset(ORL_FACES, { out: `${dir}/orl`, ...opts });
 * const ds = await openDataset(`${dir}/orl`);
 * const input = { data: ds.rawRows(0, ds.n), d: ds.d, n: ds.n, samplesAsRows: true };
 * const fit = await nmf(gpu, input, { rank: 3, maxIter: 20 });
 * const { nIter: iteration, loss, lossIterations, stopReason, messages } = fit;
 * const state: FitState = { iteration, loss, lossIterations, lossSeconds: loss.map(() => 0),
 *   complete: true, stopReason, messages, seconds: 0 };
 * const config = resolveTrainConfig([{ source: "cli", values: { data: `${dir}/orl`, rank: 3 } }]);
 * const factors = { ...fit.factors };
 * const r = await writeRunReport(gpu, `${dir}/run`, ds, config, { factors, state });
 * console.log(r.reportPath.endsWith("report.html"), r.metrics.clustering.length); // true 1
 * ds.close();
 * await Deno.remove(dir, { recursive: true });
 * gpu.destroy();
 * ```
 */
export async function writeRunReport(
  gpu: Gpu,
  runDir: string,
  ds: Dataset,
  config: TrainConfig,
  fit: { factors: Factors; state: FitState },
  options: {
    timings?: { phase: string; seconds: number }[];
    createdAt?: string;
    onStage?: StageListener;
  } = {},
): Promise<RunReport> {
  const t0 = performance.now();
  const entry = modelEntry(config.model);
  const label = entry.label(config);
  const layers = await entry.layers(gpu, fit.factors, config);
  const ev = await evaluateLayers(gpu, ds, layers, config, { onStage: options.onStage });
  const { state } = fit;
  const lossSvg = lossCurveSvg(
    [{ name: label, values: state.loss, x: state.lossIterations }],
    { title: `Loss of ${label}`, yLabel: "‖X − X̂‖" },
  );
  const figures = [
    {
      title: "Loss",
      caption: `${state.iteration} iterations, stopped by ${state.stopReason ?? "interruption"}`,
      svg: lossSvg,
    },
    ...ev.figures,
  ];
  const seconds = (performance.now() - t0) / 1000;
  const timings = [...(options.timings ?? []), { phase: "evaluation and pictures", seconds }];
  ev.metrics.stages = timings;
  const files: Record<string, string | Uint8Array> = {
    "metrics.json": metricsToJson(ev.metrics),
    "metrics.csv": metricsToCsv(ev.metrics),
    "loss.csv": lossCsv(state),
    "loss.svg": lossSvg,
  };
  for (const f of ev.figures) files[`${_slug(f.title)}.svg`] = f.svg;
  for (const img of ev.images) files[`${_slug(img.title)}.png`] = img.png;
  const html = renderReport({
    title: `${ds.dir.split(/[\\/]/).filter(Boolean).at(-1)}: ${label}`,
    createdAt: options.createdAt,
    config: {
      ...config,
      dataset: `${ds.n} samples of ${ds.width}x${ds.height} (${ds.manifest.source.description})`,
      split: ev.split?.description ?? "none (no label columns)",
      iterations: state.iteration,
      stopReason: state.stopReason,
      finalLoss: state.loss.at(-1),
      ...(state.messages.length ? { solverMessages: state.messages } : {}),
      ...(ev.notes.length ? { notes: ev.notes } : {}),
    },
    adapter: gpu.adapter,
    timings,
    metrics: ev.metrics,
    images: ev.images,
    figures,
  });
  files["report.html"] = html;
  await writeRunFiles(runDir, files);
  return { metrics: ev.metrics, reportPath: join(runDir, "report.html"), notes: ev.notes, seconds };
}
