import { equal, ok } from "node:assert/strict";
import { openDataset } from "../../data_prep/open_dataset.ts";
import { evaluateLayers } from "../../pipeline/evaluate_layers.ts";
import { resolveTrainConfig } from "../../pipeline/train_config.ts";
import { testGpu } from "../_reference.ts";
import { tinyOrl } from "./_fixtures.ts";

Deno.test("evaluate layers: class-indicator codes cluster and probe perfectly; mean faces are the basis", async () => {
  const gpu = await testGpu();
  using ds = await openDataset(await tinyOrl(), { log: null });
  const { codes } = ds.labelColumn("class");
  const k = 6;
  // Codes: one-hot class indicators. Basis: each class's mean face, so X̂ is the class mean.
  const h = new Float32Array(k * ds.n);
  codes.forEach((c, j) => h[c * ds.n + j] = 1);
  const w = new Float32Array(ds.d * k);
  const x = ds.rows(0, ds.n);
  for (let j = 0; j < ds.n; j++) {
    for (let p = 0; p < ds.d; p++) w[p * k + codes[j]] += x[j * ds.d + p] / 10;
  }
  const layer = {
    name: "H",
    basisName: "W",
    basis: { rows: ds.d, cols: k, data: w },
    codes: { rows: k, cols: ds.n, data: h },
  };
  const ev = await evaluateLayers(
    gpu,
    ds,
    [layer],
    resolveTrainConfig([{ source: "cli", values: { data: "-", kmeansReplicates: 3 } }]),
  );
  equal(ev.metrics.clustering[0].accuracy, 1);
  equal(ev.metrics.clustering[0].nmi, 1);
  equal(ev.metrics.probes[0].probe.accuracy, 1);
  ok(Math.abs(ev.metrics.probes[0].probe.majorityAccuracy - 3 / 18) < 1e-9);
  equal(ev.metrics.sparsity.find((s) => s.factor === "H")!.hoyer, 1);
  // Relative error of class means, from a float64 CPU computation.
  let err = 0, norm = 0;
  for (let j = 0; j < ds.n; j++) {
    for (let p = 0; p < ds.d; p++) {
      const v = x[j * ds.d + p];
      err += (v - w[p * k + codes[j]]) ** 2;
      norm += v * v;
    }
  }
  ok(Math.abs(ev.metrics.reconstruction[0].relativeError - Math.sqrt(err / norm)) < 1e-5);
  equal(ev.split!.test.length, 18); // 3 of each person's 10
  equal(ev.images.length, 2);
  equal(ev.figures.length, 1); // confusion matrix of the probe
});
