/**
 * One training run end to end: open the dataset, make the run folder
 * (`<out>/<date>-<model>-<hash>/` with config.json, environment.json and a
 * log), fit with checkpoints, evaluate every layer and write the report.
 * `--resume` continues a run folder from its last checkpoint.
 *
 * @module
 */

import { join } from "node:path";
import { fnv1a32, formatChecksum } from "../data_prep/fnv1a.ts";
import { type Dataset, openDataset } from "../data_prep/open_dataset.ts";
import { isTermDataset, openTermDataset, type TermDataset } from "../data_prep/term_dataset.ts";
import { cleanLeftovers } from "../data_prep/write_atomic_dir.ts";
import type { RunMetrics } from "../eval/run_metrics.ts";
import { writeRunFiles } from "../eval/write_run_files.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { type Factors, type FitState, readFactors } from "./factor_store.ts";
import { evaluationSplit } from "./evaluate_layers.ts";
import { type FitProgress, fitWithCheckpoints } from "./fit_with_checkpoints.ts";
import { type FitContext, type ModelEntry, modelEntry, MODELS } from "./model_table.ts";
import { type LambdaSweep, sweepLambda } from "./lambda_sweep.ts";
import {
  checkConfigOnData,
  flagName,
  graphLabels,
  MODEL_NAMES,
  resolveTrainConfig,
  type TrainConfig,
} from "./train_config.ts";
import { OptionError } from "../factorize/option_schema.ts";
import { type RunReport, writeRunReport } from "./write_run_report.ts";
import { writeTopicReport } from "./topic_report.ts";
import type { DataInput } from "../factorize/data_matrix.ts";
import type { SparseDataInput } from "../factorize/sparse_data_matrix.ts";
import { stageLog } from "./stage_log.ts";
import type { StageListener } from "../factorize/stage_progress.ts";
import { sampleNorms, unitNormRows } from "./sample_norms.ts";
import { pathExists } from "../data_prep/path_exists.ts";

/** Options of {@linkcode trainRun}. */
export interface TrainRunOptions {
  /** Where progress and messages go (also appended to the run's train.log). */
  log?: (line: string) => void;
  /** Progress after each stretch of iterations (the task prints a progress line). */
  onProgress?: (p: FitProgress) => void;
  /** Aborting stops the fit after the current stretch, with a checkpoint. */
  signal?: AbortSignal;
  /** Continue this run folder instead of starting one (its config.json is used). */
  resume?: string;
  /** With `resume`: a new iteration limit. */
  maxIter?: number;
  /** Run folder to create, instead of `<out>/<date>-<model>-<hash>`. */
  runDir?: string;
}

/** What {@linkcode trainRun} did. */
export interface TrainRunResult {
  /** The run folder. */
  runDir: string;
  /** The resolved configuration, as written to config.json. */
  config: TrainConfig;
  /** Where the fit stands. */
  state: FitState;
  /** Metrics, or null when interrupted. */
  metrics: RunMetrics | null;
  /** report.html, or null when interrupted. */
  reportPath: string | null;
  /** True when stopped by the signal (Ctrl-C); the last checkpoint holds the factors. */
  interrupted: boolean;
}

/** What a resumed run must find again: the dataset's shape and its files' checksums. */
function _dataIdentity(
  n: number,
  d: number,
  checksums: string[],
): { n: number; d: number; checksum: string } {
  const all = new TextEncoder().encode(checksums.join(","));
  return { n, d, checksum: formatChecksum(fnv1a32(all)) };
}

/**
 * A run's data, an image dataset or a text corpus, as trainRun uses it: its
 * identity, checks, the fit's input, label codes for graphs, the report, close.
 */
interface _RunData {
  /** Shape (n samples of d features) and checksum, as environment.json records them. */
  identity: { n: number; d: number; checksum: string };
  /** Throws before the run folder exists when the config does not fit the data. */
  check(config: TrainConfig): void;
  input(config: TrainConfig): DataInput | SparseDataInput;
  labelCodes(config: TrainConfig): (name: string) => Int32Array;
  report(
    gpu: Gpu,
    runDir: string,
    config: TrainConfig,
    fit: { factors: Factors; state: FitState },
    options: {
      timings: { phase: string; seconds: number }[];
      createdAt: string;
      onStage: StageListener;
    },
  ): Promise<RunReport>;
  close(): void;
}

function _imageData(ds: Dataset): _RunData {
  return {
    identity: _dataIdentity(ds.n, ds.d, ds.manifest.shards.map((s) => s.checksum)),
    check(config) {
      checkLabelColumns(ds, config);
      checkConfigOnData(config, ds);
      if (ds.manifest.negative && modelEntry(config.model).nonNegative) {
        const others = MODEL_NAMES.filter((m) => !MODELS[m].nonNegative);
        throw new Error(
          `Dataset ${config.data} has negative values (its manifest says so): ${config.model} needs ` +
            `X >= 0; use --model ${others.join(", ")}, or prep with --scale minmax`,
        );
      }
    },
    input: (config) => _dataInput(ds, config),
    labelCodes: (config) => _labelCodes(ds, config),
    report: (gpu, runDir, config, fit, options) =>
      writeRunReport(gpu, runDir, ds, config, fit, options),
    close: () => ds.close(),
  };
}

/** Options of a run that apply to image data only, refused for a text corpus. */
const _IMAGE_ONLY = ["probeLabels", "graphReduce"] as const;

function _textData(ds: TermDataset): _RunData {
  const d = ds.vocabulary.length;
  return {
    identity: _dataIdentity(ds.n, d, ds.manifest.files.map((f) => f.checksum)),
    check(config) {
      const of = `dataset ${config.data} is a text corpus (${ds.n} documents over ${d} terms)`;
      if (!modelEntry(config.model).text) {
        throw new OptionError(
          `--model ${config.model} needs image data, and ${of}: use --model nmf`,
        );
      }
      for (const key of _IMAGE_ONLY) {
        if (config[key] != null) {
          throw new OptionError(`${flagName(key)} applies to image data, and ${of}`);
        }
      }
      if (config.normalize !== "none") {
        throw new OptionError(
          `${
            flagName("normalize")
          } ${config.normalize} applies to image data, and ${of} (its rows ` +
            "are already L2-normalized by prep's TF-IDF)",
        );
      }
      _checkLabelNames(ds.manifest.labels, config);
      checkConfigOnData(config, { n: ds.n, d });
    },
    input: () => ({ d, n: ds.n, indptr: ds.indptr, indices: ds.indices, values: ds.values }),
    labelCodes: () => (name) => {
      throw new OptionError(`Label graphs need image data (label column ${name})`);
    },
    report: (gpu, runDir, config, fit, options) =>
      writeTopicReport(runDir, ds, config, fit, { ...options, adapter: gpu.adapter }),
    close: () => {},
  };
}

async function _isEmptyDir(dir: string): Promise<boolean> {
  for await (const _ of Deno.readDir(dir)) return false;
  return true;
}

/** `YYYYMMDD-HHMMSS` in UTC. */
function _stamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
}

/**
 * A fresh run folder name `<out>/<YYYYMMDD-HHMMSS>-<model>-<8 hex of the config hash>`
 * (suffixed -2, -3… if taken).
 *
 * @example
 * ```ts
 * import { resolveTrainConfig } from "./train_config.ts";
 * const config = resolveTrainConfig([{ source: "cli", values: { data: "ds" } }]);
 * const dir = await newRunDir(config, new Date("2025-01-01T12:00:00Z")); // creates nothing
 * console.log(dir); // runs/20250101-120000-nmf-b0d47297: the hash is the config's
 * ```
 */
export async function newRunDir(config: TrainConfig, now: Date): Promise<string> {
  const hash = fnv1a32(new TextEncoder().encode(JSON.stringify(config)))
    .toString(16).padStart(8, "0");
  const base = join(config.out, `${_stamp(now)}-${config.model}-${hash}`);
  let dir = base;
  for (let i = 2; await pathExists(dir); i++) dir = `${base}-${i}`;
  return dir;
}

/**
 * What ran the run: Deno, V8 and TypeScript versions, OS, the adapter and
 * whether it is a software fallback, the GEMM family, CPU count.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const env = environmentInfo(gpu);
 * console.log(env.deno === Deno.version.deno, typeof env.softwareFallback); // true boolean
 * gpu.destroy();
 * ```
 */
export function environmentInfo(gpu: Gpu): Record<string, unknown> {
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    os: Deno.build.os,
    arch: Deno.build.arch,
    cpus: navigator.hardwareConcurrency,
    adapter: gpu.adapter.name,
    vendor: gpu.adapter.vendor ?? null,
    softwareFallback: gpu.adapter.isSoftware,
    gemm: gpu.gemmFamily ?? "auto",
    facetGemmEnv: Deno.env.get("FACET_GEMM") ?? null,
  };
}

/**
 * Throws a OptionError naming the option when the config names a label column
 * the dataset lacks (graph, clusterLabel, probeLabels), before any fitting.
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
 * const values = { data: `${dir}/orl`, clusterLabel: "age" };
 * const config = resolveTrainConfig([{ source: "cli", values }]);
 * try {
 *   checkLabelColumns(ds, config);
 * } catch (e) {
 *   console.log((e as Error).message); // --cluster-label names label column "age", which …
 * }
 * ds.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function checkLabelColumns(ds: Dataset, config: TrainConfig): void {
  _checkLabelNames(ds.manifest.labels.map((l) => l.name), config);
}

/** {@linkcode checkLabelColumns} for a dataset with label columns `names` (images or text). */
function _checkLabelNames(names: string[], config: TrainConfig): void {
  const wanted: [string, string[]][] = [
    [config.model === "gnmf" ? "graph" : "graphs", graphLabels(config)],
    [
      "clusterLabel",
      config.clusterLabel && config.clusterLabel !== "none" ? [config.clusterLabel] : [],
    ],
    ["probeLabels", config.probeLabels ?? []],
  ];
  for (const [key, list] of wanted) {
    for (const name of list) {
      if (!names.includes(name)) {
        throw new OptionError(
          `${flagName(key)} names label column "${name}", which dataset ${config.data} lacks ` +
            `(columns: ${names.join(", ") || "none"})`,
        );
      }
    }
  }
}

function _dataInput(ds: Dataset, config: TrainConfig) {
  const data = config.normalize === "l2" ? unitNormRows(ds, sampleNorms(ds)) : ds.rawRows(0, ds.n);
  return { data, d: ds.d, n: ds.n, samplesAsRows: true };
}

/**
 * Label codes for graphs: -1 where the value is empty and for the samples of
 * the evaluation's test split, so label graphs never see a test label.
 */
function _labelCodes(ds: Dataset, config: TrainConfig) {
  const test = evaluationSplit(ds, config)?.test ?? new Int32Array(0);
  return (name: string): Int32Array => {
    const { values, codes } = ds.labelColumn(name);
    const unknown = values.indexOf("");
    const out = codes.map((c) => c === unknown ? -1 : unknown >= 0 && c > unknown ? c - 1 : c);
    for (const i of test) out[i] = -1;
    return out;
  };
}

/**
 * `--lambdas auto`: the sweep of lambda-sweep.json in the run folder (a resumed
 * run does not sweep again), or a new one, written there before the fit starts.
 */
async function _lambdaSweep(
  runDir: string,
  entry: ModelEntry,
  ctx: FitContext,
  log: (line: string) => void,
): Promise<LambdaSweep> {
  const path = join(runDir, "lambda-sweep.json");
  if (await pathExists(path)) return JSON.parse(await Deno.readTextFile(path));
  const { config } = ctx;
  const grid = config.lambdaGrid as number[];
  log(`Choosing λ from ${grid.join(", ")} on held-out training labels (--lambdas auto)`);
  const sweep = await sweepLambda(entry, ctx, {
    grid,
    seed: config.seed,
    testFraction: config.testFraction,
    log,
  });
  log(`Kept λ = ${sweep.best} (${sweep.validation} training samples held out)`);
  await writeRunFiles(runDir, { "lambda-sweep.json": JSON.stringify(sweep, null, 2) + "\n" });
  return sweep;
}

/** One line of the sweep for the report. */
function _sweepSummary(s: LambdaSweep): string {
  const trials = s.trials.map((t) => `λ ${t.lambda}: ${t.mean.toFixed(3)}`).join(", ");
  return `${trials} (mean held-out balanced accuracy of the graph layers over ${s.validation} ` +
    `samples); kept ${s.best}`;
}

/**
 * Trains `config` (or resumes `options.resume`) and writes the run folder; see
 * the module doc. Throws on bad input (missing dataset, unknown label column)
 * before any fitting. When the signal aborts, returns `interrupted: true` with
 * the last checkpoint written and no report.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { prepDataset } from "../data_prep/prep_dataset.ts";
 * import { ORL_FACES } from "./run_demo.ts";
 * import { resolveTrainConfig } from "./train_config.ts";
 * const gpu = await Gpu.create({ log: null });
 * const dir = await Deno.makeTempDir();
 * const opts = { limit: 20, size: { width: 12, height: 12 }, workers: 0, log: null }; // 2 people
 * await prepDataset(ORL_FACES, { out: `${dir}/orl`, ...opts });
 * const values = { data: `${dir}/orl`, out: dir, rank: 3, maxIter: 10 };
 * const r = await trainRun(gpu, resolveTrainConfig([{ source: "cli", values }]));
 * console.log(r.state.iteration, r.metrics?.clustering[0].k, r.reportPath !== null); // 10 2 true
 * // the run folder holds config.json, factors/, metrics, pictures and report.html
 * await Deno.remove(dir, { recursive: true });
 * gpu.destroy();
 * ```
 */
export async function trainRun(
  gpu: Gpu,
  config: TrainConfig | null,
  options: TrainRunOptions = {},
): Promise<TrainRunResult> {
  const started = new Date();
  let runDir: string;
  let start: { factors: Factors; state: FitState } | null = null;
  let close = () => {};
  if (options.resume) {
    runDir = options.resume;
    let saved: Record<string, unknown>;
    try {
      saved = JSON.parse(await Deno.readTextFile(join(runDir, "config.json")));
    } catch (e) {
      throw new Error(
        `Cannot resume ${runDir}: ${join(runDir, "config.json")} is unreadable (${
          (e as Error).message
        }); give a run folder made by deno task train`,
      );
    }
    const layers = [{ source: join(runDir, "config.json"), values: saved }];
    if (options.maxIter !== undefined) {
      layers.push({ source: "cli", values: { maxIter: options.maxIter } });
    }
    config = resolveTrainConfig(layers);
    const factorsDir = join(runDir, "factors");
    await cleanLeftovers(factorsDir, { log: null });
    const restart = `remove ${factorsDir} to restart the run from iteration 0`;
    if (await pathExists(join(factorsDir, "factors.json"))) {
      try {
        const stored = readFactors(factorsDir);
        start = stored;
        close = stored.close;
      } catch (e) {
        throw new Error(`Cannot resume ${runDir}: ${(e as Error).message}; ${restart}`);
      }
    } else if (await pathExists(factorsDir) && !(await _isEmptyDir(factorsDir))) {
      throw new Error(
        `Cannot resume ${runDir}: ${factorsDir} holds files but no factors.json (a damaged ` +
          `checkpoint); ${restart}`,
      );
    }
  } else {
    if (!config) throw new TypeError("trainRun needs a config or options.resume");
    runDir = options.runDir ?? await newRunDir(config, started);
  }
  let data: _RunData;
  const readStart = performance.now();
  let readSeconds = 0;
  try {
    // Every shard's checksum now (the fit reads them all anyway), so a damaged
    // shard is refused before the run folder exists.
    data = await isTermDataset(config.data)
      ? _textData(await openTermDataset(config.data))
      : _imageData(await openDataset(config.data, { log: null, verify: "open" }));
    readSeconds = (performance.now() - readStart) / 1000;
  } catch (e) {
    close();
    throw e;
  }
  const entry = modelEntry(config.model);
  try {
    if (options.resume) {
      const was = await Deno.readTextFile(join(runDir, "environment.json"))
        .then((t) => JSON.parse(t).dataset as ReturnType<typeof _dataIdentity> | undefined)
        .catch(() => undefined);
      const now = data.identity;
      if (was && (was.n !== now.n || was.d !== now.d || was.checksum !== now.checksum)) {
        throw new Error(
          `Cannot resume ${runDir}: dataset ${config.data} changed since the run began (it was ` +
            `${was.n} x ${was.d}, shards ${was.checksum}; now ${now.n} x ${now.d}, ` +
            `${now.checksum}); prepare the run's data again, or start a new run`,
        );
      }
    }
    // Refused before the run folder exists, so nothing is left half-written.
    data.check(config);
    const logPath = join(runDir, "train.log");
    await Deno.mkdir(runDir, { recursive: true });
    const log = (line: string) => {
      options.log?.(line);
      Deno.writeTextFileSync(logPath, `${new Date().toISOString()} ${line}\n`, { append: true });
    };
    if (!options.resume) {
      await writeRunFiles(runDir, {
        "config.json": JSON.stringify(config, null, 2) + "\n",
        "environment.json": JSON.stringify(
          { ...environmentInfo(gpu), startedAt: started.toISOString(), dataset: data.identity },
          null,
          2,
        ) + "\n",
      });
    } else if (options.maxIter !== undefined) {
      await writeRunFiles(runDir, { "config.json": JSON.stringify(config, null, 2) + "\n" });
    }
    log(
      `${options.resume ? "Resuming" : "Training"} ${entry.label(config)} on ${config.data} ` +
        `(${data.identity.n} x ${data.identity.d}) into ${runDir}` +
        (start ? ` from iteration ${start.state.iteration}` : ""),
    );
    const stages = stageLog(log);
    const ctx = {
      gpu,
      input: data.input(config),
      config,
      labelCodes: data.labelCodes(config),
      onStage: stages.listener,
    };
    const sweepStart = performance.now();
    const sweep = config.model === "deep-wsf" && (config.lambdas as unknown[])[0] === "auto"
      ? await _lambdaSweep(runDir, entry, ctx, log)
      : null;
    const sweepSeconds = (performance.now() - sweepStart) / 1000;
    const sweepStages = stages.times().length;
    // The fit and its report see the λ the sweep kept; config.json keeps "auto".
    const fitConfig: TrainConfig = sweep ? { ...config, lambdas: [sweep.best] } : config;
    const fit = await fitWithCheckpoints(entry, { ...ctx, config: fitConfig }, {
      factorsDir: join(runDir, "factors"),
      start,
      signal: options.signal,
      onProgress: (p) => {
        for (const m of p.messages) if (!stages.logged(m)) log(m);
        Deno.writeTextFileSync(
          logPath,
          `${new Date().toISOString()} iteration ${p.iteration} loss ${p.loss}` +
            `${p.checkpointed ? " (checkpoint)" : ""}\n`,
          { append: true },
        );
        options.onProgress?.(p);
      },
    });
    if (fit.interrupted) {
      log(
        `Interrupted at iteration ${fit.state.iteration}; checkpoint in ${join(runDir, "factors")}`,
      );
      return {
        runDir,
        config,
        state: fit.state,
        metrics: null,
        reportPath: null,
        interrupted: true,
      };
    }
    log(
      `Fit done: ${fit.state.iteration} iterations, loss ${fit.state.loss.at(-1)}, ` +
        `stopped by ${fit.state.stopReason}, ${fit.state.seconds.toFixed(1)} s`,
    );
    const reportConfig = sweep ? { ...fitConfig, lambdaSweep: _sweepSummary(sweep) } : fitConfig;
    // Stage times of this session (a resumed run's: since the resume).
    const timings = [
      { phase: "reading and checking the data", seconds: readSeconds },
      ...(sweep ? [{ phase: "λ sweep (all its fits)", seconds: sweepSeconds }] : []),
      ...stages.times().slice(sweepStages),
      { phase: "iterations", seconds: fit.iterationSeconds },
    ];
    const report = await data.report(gpu, runDir, reportConfig, fit, {
      timings,
      createdAt: started.toISOString(),
      onStage: stages.listener,
    });
    for (const n of report.notes) log(n);
    log(`Evaluated in ${report.seconds.toFixed(1)} s; report: ${report.reportPath}`);
    return {
      runDir,
      config,
      state: fit.state,
      metrics: report.metrics,
      reportPath: report.reportPath,
      interrupted: false,
    };
  } finally {
    data.close();
    close();
  }
}
