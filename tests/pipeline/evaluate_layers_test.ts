import { equal, ok } from "node:assert/strict";
import { openDataset } from "../../data_prep/open_dataset.ts";
import { evaluateLayers } from "../../pipeline/evaluate_layers.ts";
import { resolveTrainConfig } from "../../pipeline/train_config.ts";
import { testGpu } from "../_reference.ts";
import { tinyOrl } from "./_fixtures.ts";
import { nmf } from "../../factorize/nmf.ts";
import type { Layer } from "../../pipeline/model_table.ts";
import { prepDataset } from "../../data_prep/prep_dataset.ts";
import { npyBytes } from "../data_prep/_fixtures.ts";

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

Deno.test("evaluate layers: scores ignore the factorization's diagonal scale; C is cross-validated", async () => {
  const gpu = await testGpu();
  using ds = await openDataset(await tinyOrl(), { log: null });
  const { W, H } =
    (await nmf(gpu, { data: ds.rawRows(0, ds.n), d: ds.d, n: ds.n, samplesAsRows: true }, {
      rank: 6,
      maxIter: 50,
    })).factors;
  // The same X̂ = (W D⁻¹)(D H) with D spanning six orders of magnitude, as HALS can leave it.
  const D = [1e-3, 1e-2, 1, 10, 100, 1000];
  const scaled = {
    rows: W.rows,
    cols: W.cols,
    data: W.data.map((v, i) => v / D[i % W.cols]),
  };
  const codes = {
    rows: H.rows,
    cols: H.cols,
    data: H.data.map((v, i) => v * D[Math.floor(i / H.cols)]),
  };
  const settings = resolveTrainConfig([{
    source: "cli",
    values: { data: "-", kmeansReplicates: 3 },
  }]);
  const ev = (layer: Layer) => evaluateLayers(gpu, ds, [layer], settings);
  const a = await ev({ name: "H", basisName: "W", basis: W, codes: H });
  const b = await ev({ name: "H", basisName: "W", basis: scaled, codes });
  for (const m of [a.metrics, b.metrics]) {
    ok(m.clustering[0].accuracy > 0.5, `${m.clustering[0].accuracy}`);
  }
  ok(Math.abs(a.metrics.clustering[0].accuracy - b.metrics.clustering[0].accuracy) < 1e-9);
  ok(Math.abs(a.metrics.probes[0].probe.accuracy - b.metrics.probes[0].probe.accuracy) < 1e-9);
  // probeC auto: every probe's C comes from the grid, the raw-pixel baseline's too.
  const grid = settings.probeCGrid as number[];
  ok(grid.includes(a.metrics.probes[0].probe.c!), `${a.metrics.probes[0].probe.c}`);
  ok(grid.includes(a.metrics.probes[0].rawPixel!.c!), `${a.metrics.probes[0].rawPixel!.c}`);
  ok(a.notes.some((n) => /Clustering by class, k = 6/.test(n)), a.notes.join("\n"));
  ok(
    a.notes.some((n) => /C chosen per probe by 3-fold cross-validation/.test(n)),
    a.notes.join("\n"),
  );
});

Deno.test("evaluate layers: no default clustering by a column with under 5 samples per class", async () => {
  const gpu = await testGpu();
  const dir = await Deno.makeTempDir();
  // 20 samples, 10 identities: nothing to cluster by default; said in the notes.
  const x = Uint8Array.from({ length: 20 * 16 }, (_, i) => (i * 7) % 256);
  await Deno.writeFile(`${dir}/x.npy`, npyBytes("|u1", [20, 16], false, x));
  await Deno.writeTextFile(
    `${dir}/labels.csv`,
    "identity\n" + Array.from({ length: 20 }, (_, i) => `p${i % 10}`).join("\n") + "\n",
  );
  await prepDataset(`${dir}/x.npy`, { out: `${dir}/ds`, labels: `${dir}/labels.csv`, log: null });
  using ds = await openDataset(`${dir}/ds`, { log: null });
  const layer = {
    name: "H",
    basisName: "W",
    basis: { rows: 16, cols: 2, data: new Float32Array(32).fill(1) },
    codes: { rows: 2, cols: 20, data: Float32Array.from({ length: 40 }, (_, i) => i % 3) },
  };
  const settings = resolveTrainConfig([{ source: "cli", values: { data: "-", probeLabels: [] } }]);
  const ev = await evaluateLayers(gpu, ds, [layer], { ...settings, probeLabels: [] });
  equal(ev.metrics.clustering.length, 0);
  ok(ev.notes.some((n) => /No clustering: column identity has 10 classes for 20 samples/.test(n)));
  await Deno.remove(dir, { recursive: true });
});
