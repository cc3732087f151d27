// The whole pipeline, stage by stage: prep (decode, gray, resize, shards), open + load,
// pretraining (layer-wise semi-NMF, the pretraining of Deep Semi-NMF: Trigeorgis et al.
// 2014), fine-tuning (Deep Semi-NMF's joint updates; the two phases are split at the last
// pretraining progress event, each semi-NMF step reads a k x k matrix back so the CPU keeps pace
// with the GPU) and evaluation (k-means on the top layer's Hᵀ with clustering accuracy and NMI,
// and a logistic probe on a seeded 70/30 split).
//
// `deno run -A bench/pipeline_bench.ts [--source data/att_faces] [--size 64x64]
// [--layers 100,40] [--iters 100] [--label class] [--runs 3]` prints one table; each
// stage's time is the best of --runs runs. Default: the embedded ORL faces.

import { parseArgs } from "node:util";
import { join } from "node:path";
import { openDataset } from "../data_prep/open_dataset.ts";
import { prepDataset } from "../data_prep/prep_dataset.ts";
import { clusteringAccuracy } from "../eval/clustering_accuracy.ts";
import { kmeans } from "../eval/kmeans.ts";
import { transposeMatrix } from "../eval/dense_matrix.ts";
import { logisticProbe } from "../eval/logistic_probe.ts";
import { nmi } from "../eval/nmi.ts";
import { Gpu } from "../gpu/gpu.ts";
import type { DataInput } from "../factorize/data_matrix.ts";
import type { HostMatrix } from "../factorize/factorization_result.ts";
import { openDeepSemiNmfFit } from "../factorize/deep_semi_nmf.ts";
import { seededRandom } from "../factorize/seeded_random.ts";
import { adapterLine, markdownTable } from "./_bench_utils.ts";

/** Options of {@linkcode pipelineTable}. */
export interface PipelineOptions {
  /** Prep source (any layout prepDataset reads). Default: the embedded ORL faces. */
  source?: string;
  /** Image size. Default 64x64. */
  size?: { width: number; height: number };
  /** Ranks of the layers, bottom first. Default [100, 40]. */
  layers?: number[];
  /** Semi-NMF iterations per layer (tol 0: fixed). Default 100. */
  iters?: number;
  /** Label column for evaluation. Default: the dataset's first. */
  label?: string;
  /** Runs; the best time of each stage is kept. Default 3. */
  runs?: number;
}

interface RunResult {
  seconds: Record<string, number>;
  notes: Record<string, string>;
}

async function _run(gpu: Gpu, o: Required<PipelineOptions>, tmp: string): Promise<RunResult> {
  const seconds: Record<string, number> = {};
  const notes: Record<string, string> = {};
  const time = async <T>(stage: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    seconds[stage] = (performance.now() - t0) / 1000;
    return r;
  };
  const out = join(tmp, "dataset");
  const prep = await time(
    "prep",
    () => prepDataset(o.source, { out, size: o.size, force: true, log: null }),
  );
  notes.prep = `${prep.manifest.n} images -> ${o.size.width}x${o.size.height}`;
  const { x, n, d, labels } = await time("open + load", async () => {
    using ds = await openDataset(out, { log: null });
    const name = o.label || ds.manifest.labels[0]?.name;
    if (!name) throw new Error(`Dataset from ${o.source} has no label column to evaluate with`);
    const codes = ds.labelColumn(name).codes.slice();
    return { x: ds.rows(0, ds.n).slice(), n: ds.n, d: ds.d, labels: codes };
  });
  notes["open + load"] = `n=${n}, d=${d}`;
  // Pretraining (layer-wise semi-NMF) and fine-tuning, both with a fixed iteration count.
  const input: DataInput = { data: x, d, n, samplesAsRows: true };
  const t0 = performance.now();
  const opened = await openDeepSemiNmfFit(gpu, input, {
    layers: o.layers,
    pretrainMaxIter: o.iters,
    maxIter: o.iters,
    tol: 0,
    checkEvery: o.iters,
  });
  const pretrainEnd = performance.now();
  await opened.run();
  const fit = await opened.result();
  opened.close();
  seconds.pretraining = (pretrainEnd - t0) / 1000;
  seconds["fine-tuning"] = (performance.now() - pretrainEnd) / 1000;
  notes.pretraining = `layers ${o.layers.join(", ")}, ${o.iters} semi-NMF iterations each`;
  notes["fine-tuning"] = `${fit.nIter} iterations; final ‖X − Z₁⋯Z_m H_m‖_F ${
    fit.loss.at(-1)!.toFixed(2)
  }`;
  const h: HostMatrix = fit.factors.H.at(-1)!;
  const top = h;
  const eval_ = await time("evaluation", async () => {
    const features = transposeMatrix(top); // samples as rows, n x k
    const classes = new Set(labels).size;
    const km = await kmeans(features, { k: classes, replicates: 10, seed: 0, gpu });
    const acc = clusteringAccuracy(labels, km.labels);
    const nmiValue = nmi(labels, km.labels);
    const rand = seededRandom(0);
    const isTrain = Array.from({ length: n }, () => rand() < 0.7);
    const pick = (train: boolean) => {
      const idx = [...isTrain.keys()].filter((i) => isTrain[i] === train);
      const data = new Float32Array(idx.length * features.cols);
      idx.forEach((i, r) =>
        data.set(
          features.data.subarray(i * features.cols, (i + 1) * features.cols),
          r * features.cols,
        )
      );
      return {
        x: { data, rows: idx.length, cols: features.cols },
        y: idx.map((i) => labels[i]),
      };
    };
    const probe = logisticProbe(pick(true), pick(false));
    return { acc, nmiValue, probe: probe.accuracy, classes };
  });
  notes.evaluation = `k-means (${eval_.classes} clusters, 10 starts): ACC ${
    eval_.acc.toFixed(3)
  }, NMI ${eval_.nmiValue.toFixed(3)}; logistic probe (70/30) accuracy ${eval_.probe.toFixed(3)}`;
  return { seconds, notes };
}

/** Times each stage (best of `runs`) and returns the markdown table. */
export async function pipelineTable(gpu: Gpu, options: PipelineOptions = {}): Promise<string> {
  const o: Required<PipelineOptions> = {
    source: options.source ?? new URL("../data/att_faces", import.meta.url).pathname,
    size: options.size ?? { width: 64, height: 64 },
    layers: options.layers ?? [100, 40],
    iters: options.iters ?? 100,
    label: options.label ?? "",
    runs: options.runs ?? 3,
  };
  const tmp = await Deno.makeTempDir({ prefix: "facet-pipeline-" });
  const best: Record<string, number> = {};
  let last: RunResult | null = null;
  try {
    for (let r = 0; r < o.runs; r++) {
      last = await _run(gpu, o, tmp);
      for (const [stage, s] of Object.entries(last.seconds)) {
        best[stage] = Math.min(best[stage] ?? Infinity, s);
      }
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  const stages = Object.keys(best);
  const total = stages.reduce((sum, s) => sum + (Number.isNaN(best[s]) ? 0 : best[s]), 0);
  const rows = stages.map((s) => [
    s,
    Number.isNaN(best[s]) ? "—" : best[s].toFixed(2),
    last!.notes[s],
  ]);
  rows.push(["total", total.toFixed(2), ""]);
  return `${adapterLine(gpu)}; source ${o.source}; best of ${o.runs} runs per stage\n\n` +
    markdownTable(["stage", "seconds", "details (last run)"], rows);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      source: { type: "string" },
      size: { type: "string" },
      layers: { type: "string" },
      iters: { type: "string" },
      label: { type: "string" },
      runs: { type: "string" },
    },
  });
  const size = values.size?.match(/^(\d+)x(\d+)$/);
  if (values.size && !size) throw new RangeError(`Option --size must be WxH, got ${values.size}`);
  const gpu = await Gpu.create({ log: null });
  console.log(
    await pipelineTable(gpu, {
      source: values.source,
      size: size ? { width: Number(size[1]), height: Number(size[2]) } : undefined,
      layers: values.layers?.split(",").map(Number),
      iters: values.iters ? Number(values.iters) : undefined,
      label: values.label,
      runs: values.runs ? Number(values.runs) : undefined,
    }),
  );
  gpu.destroy();
} else {
  let gpu: Gpu | null = null;
  Deno.bench({
    name:
      "pipeline on the ORL faces: prep, pretraining (semi-NMF 100, 40; 50 iterations), evaluation",
    n: 1,
    warmup: 0,
    async fn() {
      gpu ??= await Gpu.create({ log: null });
      await pipelineTable(gpu, { runs: 1, iters: 50 });
    },
  });
}
