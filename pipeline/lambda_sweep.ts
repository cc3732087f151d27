/**
 * `--lambdas auto` for Deep WSF: λ chosen by validation. A seeded part of the
 * training samples (testFraction of them, stratified by the first graph's
 * label) is held out: its labels leave every graph. For each λ of the grid
 * (one λ for every layer), the model is fitted, and each graph layer's code Hᵢ
 * is probed for its own attribute (logistic probe trained on the other training
 * samples, balanced accuracy on the held-out ones); the λ with the best mean
 * wins (ties: the first in the grid). The evaluation's test samples take no
 * part. The run then fits once more with the winner and every training label.
 *
 * @module
 */

import { probeOptions } from "./probe_options.ts";
import { logisticProbeGpu } from "../eval/logistic_probe_gpu.ts";
import type { HostMatrix } from "../factorize/factorization_result.ts";
import type { DeepFactors } from "../factorize/deep_semi_nmf.ts";
import type { FitContext, ModelEntry } from "./model_table.ts";
import { stratifiedSplit } from "./train_test_split.ts";

/** One λ of the sweep and how well its graph layers know their attributes. */
export interface LambdaTrial {
  /** λ of every layer's graph term. */
  lambda: number;
  /** Held-out balanced accuracy of each graph layer's probe for its own attribute. */
  layers: { layer: string; attribute: string; balancedAccuracy: number }[];
  /** Their mean: what the sweep maximizes. */
  mean: number;
  /** The fit's final cost. */
  loss: number;
}

/** The sweep: every trial, the λ kept and the held-out samples' count. */
export interface LambdaSweep {
  /** The trials, in grid order. */
  trials: LambdaTrial[];
  /** The λ kept. */
  best: number;
  /** Training samples held out for validation. */
  validation: number;
}

/** Features (samples as rows) of samples `idx` of k x n codes. */
function _rows(h: HostMatrix, idx: Int32Array) {
  const out = new Float32Array(idx.length * h.rows);
  idx.forEach((s, j) => {
    for (let i = 0; i < h.rows; i++) out[j * h.rows + i] = h.data[i * h.cols + s];
  });
  return { data: out, rows: idx.length, cols: h.rows };
}

/**
 * Sweeps λ over `options.grid` for the Deep WSF `entry` (see the module doc);
 * `ctx.labelCodes` must already hide the evaluation's test samples (-1).
 * `log` hears one line per trial.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { openDataset } from "../data_prep/open_dataset.ts";
 * import { prepDataset } from "../data_prep/prep_dataset.ts";
 * import { modelEntry } from "./model_table.ts";
 * import { ORL_FACES } from "./run_demo.ts";
 * import { resolveTrainConfig } from "./train_config.ts";
 * const gpu = await Gpu.create({ log: null });
 * const dir = await Deno.makeTempDir();
 * const opts = { limit: 20, size: { width: 12, height: 12 }, workers: 0, log: null }; // 2 people
 * await prepDataset(ORL_FACES, { out: `${dir}/orl`, ...opts });
 * const ds = await openDataset(`${dir}/orl`);
 * const values = { data: `${dir}/orl`, model: "deep-wsf", layers: "6,2", graphs: "class,none" };
 * const config = resolveTrainConfig([{ source: "cli", values: { ...values, maxIter: "10" } }]);
 * const input = { data: ds.rawRows(0, ds.n), d: ds.d, n: ds.n, samplesAsRows: true };
 * const ctx = { gpu, input, config, labelCodes: (name: string) => ds.labelColumn(name).codes };
 * const sweep = await sweepLambda(modelEntry("deep-wsf"), ctx, { grid: [0, 1], seed: 0, testFraction: 0.3 });
 * console.log(sweep.trials.length, sweep.validation); // 2 6: 3 of each person's 10 faces held out
 * ds.close();
 * await Deno.remove(dir, { recursive: true });
 * gpu.destroy();
 * ```
 */
export async function sweepLambda(
  entry: ModelEntry,
  ctx: FitContext,
  options: { grid: number[]; seed: number; testFraction: number; log?: (line: string) => void },
): Promise<LambdaSweep> {
  const columns = (ctx.config.graphs as string[]).map((g) => (g === "none" ? null : g));
  const codes = new Map(columns.filter((c) => c !== null).map((c) => [c, ctx.labelCodes(c)]));
  const first = codes.get(columns.find((c) => c !== null)!)!;
  // Training samples with a known first label, split again: fit-labelled and held out.
  const known = Int32Array.from(first.keys()).filter((i) => first[i] >= 0);
  const inner = stratifiedSplit(Int32Array.from(known, (i) => first[i]), {
    testFraction: options.testFraction,
    seed: options.seed,
  });
  const [fitSide, held] = [inner.train, inner.test].map((s) => Int32Array.from(s, (j) => known[j]));
  const hidden = (name: string) => {
    const out = codes.get(name)!.slice();
    for (const i of held) out[i] = -1;
    return out;
  };
  const trials: LambdaTrial[] = [];
  for (const lambda of options.grid) {
    const config = { ...ctx.config, lambdas: [lambda] };
    const fit = await entry.open({ ...ctx, config, labelCodes: hidden }, null);
    let factors: DeepFactors;
    let loss: number;
    try {
      await fit.run();
      factors = await fit.factors() as DeepFactors;
      loss = fit.loss.at(-1)!;
    } finally {
      fit.close();
    }
    const layers: LambdaTrial["layers"] = [];
    for (const [i, name] of columns.entries()) {
      if (name === null) continue;
      const y = codes.get(name)!;
      const [train, test] = [fitSide, held].map((s) => s.filter((j) => y[j] >= 0));
      const r = await logisticProbeGpu(
        { x: _rows(factors.H[i], train), y: Array.from(train, (j) => y[j]) },
        { x: _rows(factors.H[i], test), y: Array.from(test, (j) => y[j]) },
        probeOptions(ctx.gpu, ctx.config),
      );
      layers.push({ layer: `H${i + 1}`, attribute: name, balancedAccuracy: r.balancedAccuracy });
    }
    const mean = layers.reduce((s, l) => s + l.balancedAccuracy, 0) / layers.length;
    trials.push({ lambda, layers, mean, loss });
    options.log?.(
      `λ ${lambda}: held-out balanced accuracy ${
        layers.map((l) => `${l.layer} ${l.attribute} ${l.balancedAccuracy.toFixed(3)}`).join(", ")
      } (mean ${mean.toFixed(3)}), loss ${loss.toFixed(4)}`,
    );
  }
  const best = trials.reduce((a, t) => (t.mean > a.mean ? t : a)).lambda;
  return { trials, best, validation: held.length };
}
