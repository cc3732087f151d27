/**
 * Re-evaluates a finished (or checkpointed) run from its saved factors, with
 * other evaluation settings if asked (split, probes, clustering label), and
 * rewrites its metrics, pictures, report and config.json.
 *
 * @module
 */

import { join } from "node:path";
import { openDataset } from "../data_prep/open_dataset.ts";
import { writeRunFiles } from "../eval/write_run_files.ts";
import type { Gpu } from "../gpu/gpu.ts";
import type { EvalSettings } from "./evaluate_layers.ts";
import { readFactors } from "./factor_store.ts";
import { graphLabels, resolveTrainConfig, type TrainConfig } from "./train_config.ts";
import { OptionError } from "../factorize/option_schema.ts";
import { checkLabelColumns } from "./train_run.ts";
import { type RunReport, writeRunReport } from "./write_run_report.ts";
import type { StageListener } from "../factorize/stage_progress.ts";

/** The keys {@linkcode evaluateRun} may change. */
export const EVAL_KEYS: readonly (keyof EvalSettings)[] = [
  "seed",
  "clusterLabel",
  "probeLabels",
  "testFraction",
  "probeC",
  "probeCGrid",
  "probeMaxTrain",
  "rawPixelProbe",
  "kmeansReplicates",
];

/**
 * Reads `runDir`'s config.json and factors, applies `overrides` (evaluation
 * keys only, values as in a config file or as flag strings), evaluates every
 * layer and rewrites the run's outputs. Throws a OptionError for a bad or
 * non-evaluation override, an Error naming the file when the run is
 * incomplete or damaged.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { prepDataset } from "../data_prep/prep_dataset.ts";
 * import { ORL_FACES } from "./run_demo.ts";
 * import { resolveTrainConfig } from "./train_config.ts";
 * import { trainRun } from "./train_run.ts";
 * const gpu = await Gpu.create({ log: null });
 * const dir = await Deno.makeTempDir();
 * const opts = { limit: 20, size: { width: 12, height: 12 }, workers: 0, log: null }; // 2 people
 * await prepDataset(ORL_FACES, { out: `${dir}/orl`, ...opts });
 * const values = { data: `${dir}/orl`, out: dir, rank: 3, maxIter: 10 };
 * const { runDir } = await trainRun(gpu, resolveTrainConfig([{ source: "cli", values }]));
 * const r = await evaluateRun(gpu, runDir, { testFraction: "0.5" }); // another split
 * console.log(r.config.testFraction, r.complete, r.metrics.probes[0].attribute); // 0.5 true class
 * await Deno.remove(dir, { recursive: true });
 * gpu.destroy();
 * ```
 */
export async function evaluateRun(
  gpu: Gpu,
  runDir: string,
  overrides: Record<string, unknown> = {},
  options: { onStage?: StageListener } = {},
): Promise<RunReport & { config: TrainConfig; complete: boolean }> {
  for (const key of Object.keys(overrides)) {
    if (!(EVAL_KEYS as readonly string[]).includes(key)) {
      throw new OptionError(
        `Option ${key} cannot change in a re-evaluation (only ${EVAL_KEYS.join(", ")})`,
      );
    }
  }
  const configPath = join(runDir, "config.json");
  let saved: Record<string, unknown>;
  try {
    saved = JSON.parse(await Deno.readTextFile(configPath));
  } catch (e) {
    throw new Error(
      `Cannot evaluate ${runDir}: ${configPath} is unreadable (${(e as Error).message}); ` +
        "give a run folder made by deno task train",
    );
  }
  const config = resolveTrainConfig([
    { source: configPath, values: saved },
    { source: "cli", values: overrides },
  ]);
  const before = resolveTrainConfig([{ source: configPath, values: saved }]);
  const labelGraphs = graphLabels(config);
  if (
    labelGraphs.length > 0 &&
    (config.seed !== before.seed || config.testFraction !== before.testFraction)
  ) {
    // The fit built its graphs from the labels of the training split only; another split would
    // score probes on samples whose labels shaped those graphs.
    throw new OptionError(
      `Run ${runDir} built graphs from the labels ${labelGraphs.join(", ")} with its own ` +
        "train/test split: keep --seed and --test-fraction, or train again with the new split",
    );
  }
  const stored = readFactors(join(runDir, "factors"));
  try {
    const ds = await openDataset(config.data, { log: null });
    try {
      checkLabelColumns(ds, config);
      const report = await writeRunReport(gpu, runDir, ds, config, stored, {
        timings: [{ phase: "fit (as trained)", seconds: stored.state.seconds }],
        createdAt: new Date().toISOString(),
        onStage: options.onStage,
      });
      await writeRunFiles(runDir, { "config.json": JSON.stringify(config, null, 2) + "\n" });
      return { ...report, config, complete: stored.state.complete };
    } finally {
      ds.close();
    }
  } finally {
    stored.close();
  }
}
