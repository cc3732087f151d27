// deno task train --data <dataset dir> --model <model> [...]: fit, evaluate, write a run folder.
import { OptionError } from "../factorize/option_schema.ts";
import {
  flagName,
  MODEL_NAMES,
  readConfigFile,
  resolveTrainConfig,
  trainSchema,
} from "../pipeline/train_config.ts";
import { trainOptionsHelp } from "../pipeline/train_help.ts";
import { trainRun } from "../pipeline/train_run.ts";
import { errorText, fail, parseCli, taskGpu, usage } from "./_cli.ts";

const HELP = `Usage: deno task train --data <dataset dir> [--model M] [options]
       deno task train --resume <run dir> [--max-iter N]

Fits a model to a dataset prepared by deno task prep, evaluates every layer
(k-means clustering, linear probes beside majority and raw-pixel baselines,
reconstruction error, sparsity) and writes runs/<date>-<model>-<hash>/ with
config.json, environment.json, factors/ (checkpointed), loss.csv, metrics.json,
metrics.csv, pictures, report.html and train.log.

A model's options are the library's (same names: --max-iter is maxIter); each is
also a key of a --config JSON file, e.g. "checkpointEvery". Lists are
comma-separated. The loss and the tolerance rule are checked every 10 iterations.

${trainOptionsHelp()}

Other options:
  --config <file.json>      options as JSON; flags given here win
  --resume <run dir>        continue a run from its last checkpoint, bit for bit (only
                            --max-iter may change)
  -h, --help                this text

Ctrl-C stops after the current stretch of iterations and writes a checkpoint;
a second Ctrl-C quits at once (the previous checkpoint stays). Environment:
FACET_GEMM=register|tiled|tiled_db_<BM>x<BN> picks the GEMM kernels.
`;

const keys = [...new Set(MODEL_NAMES.flatMap((m) => Object.keys(trainSchema(m))))];
const flags: Record<string, { type: "string" }> = {};
for (const key of keys) flags[flagName(key).slice(2)] = { type: "string" };
const { values } = parseCli("train", HELP, {
  ...flags,
  config: { type: "string" },
  resume: { type: "string" },
});

const cli: Record<string, unknown> = {};
for (const key of keys) {
  const v = values[flagName(key).slice(2)];
  if (v !== undefined) cli[key] = v;
}
let config = null;
let maxIter: number | undefined;
try {
  if (values.resume !== undefined) {
    if (Object.keys(cli).some((k) => k !== "maxIter") || values.config !== undefined) {
      usage("train", `--resume takes the run's config; only --max-iter may be given with it`);
    }
    if (cli.maxIter !== undefined) {
      const only = { data: "-", maxIter: cli.maxIter };
      maxIter = resolveTrainConfig([{ source: "cli", values: only }]).maxIter as number;
    }
  } else {
    const file = typeof values.config === "string"
      ? { source: values.config, values: await readConfigFile(values.config) }
      : null;
    config = resolveTrainConfig([...(file ? [file] : []), { source: "cli", values: cli }]);
  }
} catch (e) {
  if (e instanceof OptionError) usage("train", e.message);
  throw e;
}

const gpu = await taskGpu("train", (s) => console.error(s));
const controller = new AbortController();
let presses = 0;
const onSigint = () => {
  presses++;
  if (presses === 1) {
    console.error("train: stopping after the current stretch (Ctrl-C again to quit now)");
    controller.abort();
  } else {
    console.error("train: quitting; the previous checkpoint stays");
    Deno.exit(130);
  }
};
Deno.addSignalListener("SIGINT", onSigint);

const fmt = (s: number) =>
  s >= 3600
    ? `${(s / 3600).toFixed(1)} h`
    : s >= 60
    ? `${(s / 60).toFixed(1)} min`
    : `${s.toFixed(1)} s`;
try {
  const r = await trainRun(gpu, config, {
    resume: values.resume as string | undefined,
    maxIter,
    signal: controller.signal,
    log: (line) => console.error(line),
    onProgress: (p) =>
      console.error(
        `iteration ${p.iteration}/${p.maxIter}  loss ${p.loss.toPrecision(6)}  ` +
          `${(p.secondsPerIteration * 1000).toFixed(1)} ms/it  ETA ${fmt(p.etaSeconds)}` +
          (p.checkpointed ? "  [checkpoint]" : ""),
      ),
  });
  if (r.interrupted) {
    console.error(`train: interrupted; resume with: deno task train --resume ${r.runDir}`);
    Deno.exit(130);
  }
  console.log(r.reportPath);
} catch (e) {
  // Only option errors are usage errors; a GPU or binding limit is a failure.
  if (e instanceof OptionError) usage("train", errorText(e));
  fail("train", errorText(e));
} finally {
  Deno.removeSignalListener("SIGINT", onSigint);
  gpu.destroy();
}
