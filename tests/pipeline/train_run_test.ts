import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { readFactors } from "../../pipeline/factor_store.ts";
import { ConfigError, resolveTrainConfig } from "../../pipeline/train_config.ts";
import { trainRun } from "../../pipeline/train_run.ts";
import { testGpu } from "../_reference.ts";
import { reportMatchesMetrics, tinyOrl } from "./_fixtures.ts";

const models: Record<string, unknown>[] = [
  { model: "nmf", solver: "mu" },
  { model: "nmf", solver: "hals" },
  { model: "nmf", solver: "kl" },
  { model: "semi-nmf" },
];

for (const m of models) {
  Deno.test(`train run end to end: ${JSON.stringify(m)} on 60 ORL faces at 12x12`, async () => {
    const gpu = await testGpu();
    const data = await tinyOrl();
    const out = await Deno.makeTempDir();
    const config = resolveTrainConfig([{
      source: "cli",
      values: { data, out, rank: 6, iters: 30, tol: 0, checkpointEvery: 20, ...m },
    }]);
    const r = await trainRun(gpu, config);
    ok(r.runDir.startsWith(`${out}/`) && new RegExp(`-${m.model}-[0-9a-f]{8}$`).test(r.runDir));
    const files = [...Deno.readDirSync(r.runDir)].map((e) => e.name).sort();
    for (
      const f of [
        "basis-images-w.png",
        "config.json",
        "environment.json",
        "factors",
        "loss.csv",
        "loss.svg",
        "metrics.csv",
        "metrics.json",
        "reconstructions-from-h.png",
        "report.html",
        "train.log",
      ]
    ) ok(files.includes(f), `${f} missing from ${files}`);
    deepEqual(JSON.parse(Deno.readTextFileSync(`${r.runDir}/config.json`)), config);
    const env = JSON.parse(Deno.readTextFileSync(`${r.runDir}/environment.json`));
    equal(env.adapter, gpu.adapter.name);
    equal(env.softwareFallback, gpu.adapter.isSoftware);
    const metrics = JSON.parse(Deno.readTextFileSync(`${r.runDir}/metrics.json`));
    deepEqual(metrics, JSON.parse(JSON.stringify(r.metrics)));
    deepEqual(reportMatchesMetrics(Deno.readTextFileSync(r.reportPath!), metrics), []);
    const c = metrics.clustering[0];
    equal(c.k, 6);
    ok(c.accuracy > 0.4, `clustering accuracy ${c.accuracy} of 6 people`);
    const p = metrics.probes[0];
    equal(p.attribute, "class");
    ok(p.probe.majorityAccuracy < 0.3 && p.rawPixel.accuracy > 0.5);
    ok(metrics.reconstruction[0].relativeError < 0.5);
    const stored = readFactors(`${r.runDir}/factors`);
    deepEqual([stored.factors.W.rows, stored.factors.W.cols], [144, 6]);
    deepEqual([stored.factors.H.rows, stored.factors.H.cols], [6, 60]);
    equal(stored.state.iteration, 30);
    equal(stored.state.complete, true);
    stored.close();
    const loss = Deno.readTextFileSync(`${r.runDir}/loss.csv`).trim().split("\n");
    equal(loss[0], "iteration,seconds,loss");
    deepEqual(loss.slice(1).map((l) => Number(l.split(",")[0])), [0, 10, 20, 30]);
    await Deno.remove(out, { recursive: true });
  });
}

Deno.test("train run: a label column the dataset lacks fails before fitting", async () => {
  const gpu = await testGpu();
  const data = await tinyOrl();
  const out = await Deno.makeTempDir();
  const config = resolveTrainConfig([{
    source: "cli",
    values: { data, out, rank: 6, probeLabels: "class,Smiling" },
  }]);
  await rejects(trainRun(gpu, config), (e: Error) => {
    equal(e instanceof ConfigError, true);
    return /--probe-labels names label column "Smiling", which dataset .* lacks \(columns: class\)/
      .test(e.message);
  });
  await rejects(
    trainRun(gpu, { ...config, data: `${out}/none`, probeLabels: null }),
    /Cannot open dataset .*none.*run deno task prep/,
  );
  await Deno.remove(out, { recursive: true });
});
