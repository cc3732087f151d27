// deno task train --data <dataset dir> --model <model> [...]: fit, evaluate, write a run folder.
import { ConfigError, readConfigFile, resolveTrainConfig } from "../pipeline/train_config.ts";
import { flagName, TRAIN_KEYS } from "../pipeline/train_config.ts";
import { trainRun } from "../pipeline/train_run.ts";
import { errorText, fail, parseCli, taskGpu, usage } from "./_cli.ts";

const HELP = `Usage: deno task train --data <dataset dir> [options]
       deno task train --resume <run dir> [--iters N]

Fits a model to a dataset prepared by deno task prep, evaluates every layer
(k-means clustering, linear probes beside majority and raw-pixel baselines,
reconstruction error, sparsity) and writes runs/<date>-<model>-<hash>/ with
config.json, environment.json, factors/ (checkpointed), loss.csv, metrics.json,
metrics.csv, pictures, report.html and train.log.

Options (each also readable from --config as a JSON key, e.g. "checkpointEvery"):
  --data <dir>            dataset folder (deno task prep --out)
  --model M               nmf, semi-nmf, deep-semi-nmf, deep-wsf or gnmf (default nmf)
  --solver S              nmf solver: mu, kl (MU with KL loss), hals, pgd, als (default mu)
  --rank K                components of nmf, semi-nmf, gnmf (default 40)
  --layers K1,K2,...      layer sizes of a deep model (default 128,40)
  --graph A,B             deep-wsf: one label column per layer ("none": no graph on that
                          layer), e.g. Young,Smiling; gnmf: one label column (default: the
                          unsupervised 5-NN graph). Test-split labels never enter a graph.
  --lambda L1,L2          graph weight per layer, or one for all (deep-wsf, default 1e-3);
                          gnmf's alpha (default 100)
  --graph-reduce R        build deep-wsf/gnmf graphs on an R-dimensional randomized SVD
                          projection of the samples (default: all pixels)
  --iters N               most iterations (fine-tuning iterations of a deep model; default 200)
  --pretrain-iters N      pretraining iterations per deep layer (default 100)
  --tol T                 stop when the loss falls by less than T x initial per 10 iterations
                          (default 1e-4; 0 runs all iterations)
  --seed S                seed of init, split and k-means (default 0)
  --init I                random, nndsvd, nndsvda, nndsvdar (nmf); kmeans, random (semi-nmf);
                          random, nndsvda (gnmf); deep models pretrain instead
  --checkpoint-every N    write the factors every N iterations, a multiple of 10 (default 50)
  --out <dir>             folder for run folders (default runs)
  --cluster-label C       label column to cluster by (default the first; none to skip)
  --probe-labels A,B      label columns to probe (default all)
  --test-fraction F       test share of the stratified split without partitions (default 0.3)
  --probe-c C             inverse L2 strength of the probes (default 1)
  --probe-max-train N     most training samples per probe (default 5000)
  --raw-pixel-probe B     true/false: probe raw pixels as a baseline (default true)
  --kmeans-replicates N   k-means restarts (default 10)
  --config <file.json>    options as JSON; flags given here win
  --resume <run dir>      continue a run from its last checkpoint (only --iters may change)
  -h, --help              this text

Ctrl-C stops after the current stretch of iterations and writes a checkpoint;
a second Ctrl-C quits at once (the previous checkpoint stays). Environment:
FACET_GEMM=register|tiled picks the GEMM kernels.
`;

const flags: Record<string, { type: "string" }> = {};
for (const key of TRAIN_KEYS) flags[flagName(key).slice(2)] = { type: "string" };
const { values } = parseCli("train", HELP, {
  ...flags,
  config: { type: "string" },
  resume: { type: "string" },
});

const cli: Record<string, unknown> = {};
for (const key of TRAIN_KEYS) {
  const v = values[flagName(key).slice(2)];
  if (v !== undefined) cli[key] = v;
}
let config = null;
let iters: number | undefined;
try {
  if (values.resume !== undefined) {
    const other = Object.keys(cli).filter((k) => k !== "iters");
    if (other.length > 0 || values.config !== undefined) {
      usage("train", `--resume takes the run's config; only --iters may be given with it`);
    }
    if (cli.iters !== undefined) {
      iters =
        resolveTrainConfig([{ source: "cli", values: { data: "-", iters: cli.iters } }]).iters;
    }
  } else {
    const file = typeof values.config === "string"
      ? { source: values.config, values: await readConfigFile(values.config) }
      : null;
    config = resolveTrainConfig([...(file ? [file] : []), { source: "cli", values: cli }]);
  }
} catch (e) {
  if (e instanceof ConfigError) usage("train", e.message);
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
    iters,
    signal: controller.signal,
    log: (line) => console.error(line),
    onProgress: (p) =>
      console.error(
        `iteration ${p.iteration}/${p.iters}  loss ${p.loss.toPrecision(6)}  ` +
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
  if (e instanceof ConfigError || e instanceof RangeError) usage("train", errorText(e));
  fail("train", errorText(e));
} finally {
  Deno.removeSignalListener("SIGINT", onSigint);
  gpu.destroy();
}
