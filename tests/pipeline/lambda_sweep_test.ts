import { deepEqual, equal, ok } from "node:assert/strict";
import { openDataset } from "../../data_prep/open_dataset.ts";
import { sweepLambda } from "../../pipeline/lambda_sweep.ts";
import { type ModelEntry, modelEntry } from "../../pipeline/model_table.ts";
import { resolveTrainConfig } from "../../pipeline/train_config.ts";
import { testGpu } from "../_reference.ts";
import { tinyOrl } from "./_fixtures.ts";

// The sweep must never show a graph the labels it is scored on, nor the evaluation's test labels
// (hidden by the caller as -1): every graph it builds hides the same held-out samples, a
// stratified 0.3 of the known ones, and the test samples stay hidden.
Deno.test("sweepLambda: the held-out and test labels never reach a graph; the best mean wins", async () => {
  const gpu = await testGpu();
  const ds = await openDataset(await tinyOrl());
  const values = {
    data: ds.dir,
    model: "deep-wsf",
    layers: "8,4",
    graphs: "class,class",
    maxIter: "10",
    pretrainMaxIter: "10",
  };
  const config = resolveTrainConfig([{ source: "cli", values }]);
  const input = { data: ds.rawRows(0, ds.n), d: ds.d, n: ds.n, samplesAsRows: true };
  const truth = ds.labelColumn("class").codes;
  const test = new Set([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 52]);
  const labelCodes = () => truth.map((c, i) => (test.has(i) ? -1 : c));
  const seen: Int32Array[] = [];
  const deep = modelEntry("deep-wsf");
  const recording: ModelEntry = {
    ...deep,
    open: (ctx, from) => {
      seen.push(ctx.labelCodes("class"));
      return deep.open(ctx, from);
    },
  };
  const lines: string[] = [];
  const ctx = { gpu, input, config, labelCodes };
  const sweep = await sweepLambda(recording, ctx, {
    grid: [0, 0.5, 5],
    seed: 3,
    testFraction: 0.3,
    log: (l) => lines.push(l),
  });
  equal(seen.length, 3, "one fit per λ");
  const hidden = (codes: Int32Array) => [...codes.keys()].filter((i) => codes[i] < 0);
  for (const codes of seen) deepEqual(hidden(codes), hidden(seen[0]), "the same samples hidden");
  const held = hidden(seen[0]).filter((i) => !test.has(i));
  for (const i of test) equal(seen[0][i], -1, `test sample ${i} hidden`);
  equal(held.length, sweep.validation);
  equal(held.length, 12, "2 of each person's 7 training faces");
  for (let p = 0; p < 6; p++) equal(held.filter((i) => truth[i] === truth[p * 10 + 5]).length, 2);
  for (const t of sweep.trials) {
    deepEqual(t.layers.map((l) => [l.layer, l.attribute]), [["H1", "class"], ["H2", "class"]]);
    ok(t.layers.every((l) => l.balancedAccuracy >= 0 && l.balancedAccuracy <= 1));
    equal(t.mean, (t.layers[0].balancedAccuracy + t.layers[1].balancedAccuracy) / 2);
  }
  const means = sweep.trials.map((t) => t.mean);
  equal(sweep.best, [0, 0.5, 5][means.indexOf(Math.max(...means))]);
  equal(lines.length, 3);
  ok(/^λ 0: held-out balanced accuracy H1 class 0\.\d{3}, H2 class/.test(lines[0]), lines[0]);
  ds.close();
});
