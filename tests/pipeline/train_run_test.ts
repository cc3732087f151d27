import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { readFactors } from "../../pipeline/factor_store.ts";
import { resolveTrainConfig } from "../../pipeline/train_config.ts";
import { OptionError } from "../../factorize/option_schema.ts";
import { trainRun } from "../../pipeline/train_run.ts";
import { testGpu } from "../_reference.ts";
import { prepDataset } from "../../data_prep/prep_dataset.ts";
import { pathExists } from "../../data_prep/path_exists.ts";
import { npyBytes } from "../data_prep/_fixtures.ts";
import { prepText } from "../../data_prep/prep_text.ts";
import { reportMatchesMetrics, tinyOrl } from "./_fixtures.ts";

const models: Record<string, unknown>[] = [
  { model: "nmf", solver: "mu" },
  { model: "nmf", solver: "cd" },
  { model: "nmf", betaLoss: "kullback-leibler" },
  { model: "semi-nmf" },
  { model: "gnmf" },
  { model: "gnmf", graph: "class", alpha: 10 },
  { model: "gnmf", graphReduce: "8" },
  { model: "semi-nmf", normalize: "l2" },
];

for (const m of models) {
  Deno.test(`train run end to end: ${JSON.stringify(m)} on 60 ORL faces at 12x12`, async () => {
    const gpu = await testGpu();
    const data = await tinyOrl();
    const out = await Deno.makeTempDir();
    const config = resolveTrainConfig([{
      source: "cli",
      values: { data, out, rank: 6, maxIter: 30, tol: 0, checkpointEvery: 20, ...m },
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
    if (m.normalize) {
      // The fit saw unit-norm samples (‖X‖ = √60); the score, times each norm, the pixels.
      ok(r.state.loss.at(-1)! < Math.sqrt(60), `loss ${r.state.loss.at(-1)} of unit-norm samples`);
    }
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

const deepModels: Record<string, unknown>[] = [
  { model: "deep-semi-nmf" },
  { model: "deep-wsf", graphs: "class,none", lambdas: "0.01" },
  { model: "deep-semi-nmf", optimizer: "adam", activation: "relu", lr: "0.003" },
];

for (const m of deepModels) {
  Deno.test(`train run end to end: ${JSON.stringify(m)}, layers 12,6, every layer evaluated`, async () => {
    const gpu = await testGpu();
    const data = await tinyOrl();
    const out = await Deno.makeTempDir();
    const config = resolveTrainConfig([{
      source: "cli",
      values: { data, out, layers: "12,6", maxIter: 30, pretrainMaxIter: 30, tol: 0, ...m },
    }]);
    const r = await trainRun(gpu, config);
    const files = [...Deno.readDirSync(r.runDir)].map((e) => e.name);
    for (
      const f of [
        "basis-images-z1.png",
        m.activation ? "basis-images-z1-g-z2-decoder.png" : "basis-images-z1z2.png",
        "reconstructions-from-h1.png",
        "reconstructions-from-h2.png",
        "report.html",
      ]
    ) ok(files.includes(f), `${f} missing from ${files}`);
    const metrics = JSON.parse(Deno.readTextFileSync(`${r.runDir}/metrics.json`));
    const html = Deno.readTextFileSync(r.reportPath!);
    deepEqual(reportMatchesMetrics(html, metrics), []);
    // The configuration table leaves out what a deep model ignores, and keeps its layers.
    ok(!html.includes('<th class="l">solver</th>') && !html.includes('<th class="l">rank</th>'));
    ok(html.includes('<th class="l">layers</th>'));
    deepEqual(metrics.clustering.map((c: { layer: string }) => c.layer), ["H1", "H2"]);
    deepEqual(metrics.probes.map((p: { layer: string }) => p.layer), ["H1", "H2"]);
    for (const c of metrics.clustering) ok(c.accuracy > 0.4, `${c.layer} accuracy ${c.accuracy}`);
    for (const rec of metrics.reconstruction) ok(rec.relativeError < 0.5, JSON.stringify(rec));
    const stored = readFactors(`${r.runDir}/factors`);
    // The factors (Adam's state beside them: pre-activations, H̃ and both moments of each).
    const shapes = Object.fromEntries(
      Object.entries(stored.factors).filter(([k]) => /^[ZH]\d$/.test(k)).map((
        [k, v],
      ) => [k, [v.rows, v.cols]]),
    );
    deepEqual(shapes, { Z1: [144, 12], Z2: [12, 6], H1: [12, 60], H2: [6, 60] });
    if (m.optimizer) ok("adam2_Hfree" in stored.factors && "P1" in stored.factors);
    equal(stored.state.iteration, 30);
    stored.close();
    const log = Deno.readTextFileSync(`${r.runDir}/train.log`);
    ok(/Pretraining layer 2\/2: 30 iterations, cost .* in \d/.test(log), log);
    await Deno.remove(out, { recursive: true });
  });
}

Deno.test("train run: every stage is logged as it happens, in order, and timed in metrics.json", async () => {
  const gpu = await testGpu();
  const out = await Deno.makeTempDir();
  const lines: string[] = [];
  const config = resolveTrainConfig([{
    source: "cli",
    values: {
      data: await tinyOrl(),
      out,
      model: "deep-wsf",
      graphs: "class,none",
      layers: "12,6",
      maxIter: 20,
      pretrainMaxIter: 20,
      probeC: "1",
    },
  }]);
  const r = await trainRun(gpu, config, { log: (l) => lines.push(l) });
  const order = [
    /^Graphs: started \(1 graph at most\)$/,
    /^Graphs: 1 kNN graph of 60 samples in \d/,
    /^Pretraining layer 1\/2: started \(20 iterations at most\)$/,
    /^Pretraining layer 1\/2: \d+ iterations, cost .* in \d/,
    /^Pretraining layer 2\/2: started/,
    /^Pretraining layer 2\/2: \d+ iterations, cost .* in \d/,
    /^Fit done: 20 iterations/,
    /^Evaluation: started \(\d+ steps at most\)$/,
    /^Evaluation: 2 layers, 2 probes, 2 clusterings in \d/,
  ];
  let at = -1;
  for (const re of order) {
    const i = lines.findIndex((l, j) => j > at && re.test(l));
    ok(i > at, `${re} after line ${at} in:\n${lines.join("\n")}`);
    at = i;
  }
  equal(
    lines.filter((l) => l.startsWith("Pretraining layer 1/2: 20")).length <= 1,
    true,
    "said once",
  );
  // train.log has the same lines, each stamped when it was written (never out of order).
  const stamps = Deno.readTextFileSync(`${r.runDir}/train.log`).trim().split("\n")
    .map((l) => Date.parse(l.split(" ")[0]));
  ok(stamps.every((t, i) => i === 0 || t >= stamps[i - 1]), "timestamps in order");
  const metrics = JSON.parse(Deno.readTextFileSync(`${r.runDir}/metrics.json`));
  deepEqual(metrics.stages.map((s: { phase: string }) => s.phase), [
    "reading and checking the data",
    "graphs",
    "pretraining layer 1/2",
    "pretraining layer 2/2",
    "iterations",
    "evaluation and pictures",
  ]);
  ok(metrics.stages.every((s: { seconds: number }) => s.seconds >= 0));
  ok(
    Deno.readTextFileSync(r.reportPath!).includes("pretraining layer 2/2"),
    "report's stage table",
  );
  await Deno.remove(out, { recursive: true });
});

// The sweep's choice is not asserted (on 60 tiny faces it is noise); what is: every λ of the grid
// is tried and logged, the kept one has the best held-out score, the fit and its report use it,
// config.json keeps "auto", and a resumed run reads lambda-sweep.json instead of sweeping again.
Deno.test("train run: --lambdas auto sweeps λ on held-out training labels and keeps the best", async () => {
  const gpu = await testGpu();
  const data = await tinyOrl();
  const out = await Deno.makeTempDir();
  const config = resolveTrainConfig([{
    source: "cli",
    values: {
      data,
      out,
      model: "deep-wsf",
      layers: "12,6",
      graphs: "class,none",
      lambdas: "auto",
      lambdaGrid: "0,1,100",
      maxIter: 20,
      pretrainMaxIter: 20,
      tol: 0,
      checkpointEvery: 10,
    },
  }]);
  const first = await trainRun(gpu, config, { signal: AbortSignal.abort() });
  equal(first.interrupted, true);
  const sweep = JSON.parse(Deno.readTextFileSync(`${first.runDir}/lambda-sweep.json`));
  deepEqual(sweep.trials.map((t: { lambda: number }) => t.lambda), [0, 1, 100]);
  const means = sweep.trials.map((t: { mean: number }) => t.mean);
  equal(sweep.best, sweep.trials[means.indexOf(Math.max(...means))].lambda);
  equal(sweep.validation, 12, "0.3 of the 42 training faces, stratified");
  deepEqual(JSON.parse(Deno.readTextFileSync(`${first.runDir}/config.json`)).lambdas, ["auto"]);
  const r = await trainRun(gpu, null, { resume: first.runDir });
  equal(r.state.iteration, 20);
  const log = Deno.readTextFileSync(`${r.runDir}/train.log`);
  equal(log.match(/Choosing λ/g)?.length, 1, "the resumed run did not sweep again");
  ok(new RegExp(`Kept λ = ${sweep.best} `).test(log), log);
  const html = Deno.readTextFileSync(r.reportPath!);
  ok(html.includes(`graphs class/none, λ ${sweep.best}<`), "the title names the kept λ");
  ok(html.includes(`kept ${sweep.best}</code>`), "the report shows the sweep");
  await Deno.remove(out, { recursive: true });
});

Deno.test("train run: a label column the dataset lacks fails before fitting", async () => {
  const gpu = await testGpu();
  const data = await tinyOrl();
  const out = await Deno.makeTempDir();
  const config = resolveTrainConfig([{
    source: "cli",
    values: { data, out, rank: 6, probeLabels: "class,Smiling" },
  }]);
  await rejects(trainRun(gpu, config), (e: Error) => {
    equal(e instanceof OptionError, true);
    return /--probe-labels names label column "Smiling", which dataset .* lacks \(columns: class\)/
      .test(e.message);
  });
  await rejects(
    trainRun(gpu, { ...config, data: `${out}/none`, probeLabels: null }),
    /Cannot open dataset .*none.*run deno task prep/,
  );
  await Deno.remove(out, { recursive: true });
});

Deno.test("train run: NMF on a dataset with negative values is refused before a run folder exists", async () => {
  const gpu = await testGpu();
  const dir = await Deno.makeTempDir();
  const f = Float32Array.from({ length: 20 * 16 }, (_, i) => Math.sin(i));
  await Deno.writeFile(`${dir}/x.npy`, npyBytes("<f4", [20, 16], false, new Uint8Array(f.buffer)));
  await prepDataset(`${dir}/x.npy`, { out: `${dir}/ds`, log: null });
  const out = `${dir}/runs`;
  for (const model of ["nmf", "gnmf"]) {
    const config = resolveTrainConfig([{
      source: "cli",
      values: { data: `${dir}/ds`, out, model, rank: 2 },
    }]);
    await rejects(trainRun(gpu, config), /has negative values .*use --model semi-nmf/);
  }
  equal(await pathExists(out), false, "no run folder was made");
  const semi = resolveTrainConfig([{
    source: "cli",
    values: { data: `${dir}/ds`, out, model: "semi-nmf", rank: 2, maxIter: 10 },
  }]);
  ok((await trainRun(gpu, semi)).reportPath);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("train run: all-zero and constant data give a report (a curve of zeros drawn linear)", async () => {
  const gpu = await testGpu();
  const dir = await Deno.makeTempDir();
  for (const value of [0, 7]) {
    const x = new Uint8Array(320).fill(value);
    await Deno.writeFile(`${dir}/c${value}.npy`, npyBytes("|u1", [20, 16], false, x));
    await prepDataset(`${dir}/c${value}.npy`, { out: `${dir}/ds${value}`, log: null });
    for (const model of ["nmf", "semi-nmf", "deep-semi-nmf"]) {
      const shape = model === "deep-semi-nmf" ? { layers: "4,2" } : { rank: 2 };
      const config = resolveTrainConfig([{
        source: "cli",
        values: { data: `${dir}/ds${value}`, out: `${dir}/runs`, model, ...shape, maxIter: 10 },
      }]);
      const r = await trainRun(gpu, config);
      const what = `${model} on ${value}s`;
      if (value === 0) equal(r.state.loss[0], 0, what);
      ok(r.state.loss.every(Number.isFinite), `${what}: finite losses`);
      ok(
        Deno.readTextFileSync(r.reportPath!).includes("<svg"),
        `${what}: the report has its curve`,
      );
      ok(!Deno.readTextFileSync(`${r.runDir}/metrics.json`).includes("null"), `${what}: no NaN`);
    }
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("train run: options the data cannot take are refused before a run folder exists", async () => {
  const gpu = await testGpu();
  const data = await tinyOrl();
  const out = `${await Deno.makeTempDir()}/runs`;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ rank: 500 }, /--rank 500 is larger than min\(d, n\) = \d+ of dataset .*; give at most/],
    [{ model: "deep-semi-nmf", layers: "500,4" }, /--layers first layer 500 is larger than min/],
    [{ model: "gnmf", rank: 3, graphReduce: 9999 }, /--graph-reduce 9999 is larger than min/],
    [{ model: "gnmf", rank: 3, neighbors: 64 }, /--neighbors 64 needs more than 64 samples/],
  ];
  for (const [values, message] of cases) {
    const config = resolveTrainConfig([{ source: "cli", values: { data, out, ...values } }]);
    await rejects(
      trainRun(gpu, config),
      (e: Error) => e instanceof OptionError && message.test(e.message),
    );
  }
  equal(await pathExists(out), false, "no run folder was made");
});

Deno.test("train run: a damaged shard is refused before a run folder exists", async () => {
  const gpu = await testGpu();
  const dir = await Deno.makeTempDir();
  const data = await tinyOrl();
  for await (const e of Deno.readDir(data)) {
    await Deno.copyFile(`${data}/${e.name}`, `${dir}/${e.name}`);
  }
  const shard = `${dir}/shard-00000.bin`;
  const bytes = await Deno.readFile(shard);
  bytes[bytes.length - 5] ^= 0xff;
  await Deno.writeFile(shard, bytes);
  const out = `${dir}/runs`;
  const config = resolveTrainConfig([{ source: "cli", values: { data: dir, out, rank: 3 } }]);
  await rejects(
    trainRun(gpu, config),
    /shard-00000\.bin: payload checksum .* differs .*run prep again/,
  );
  equal(await pathExists(out), false, "no run folder was made");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("train run: --resume refuses damaged factors and changed data, naming the fix", async () => {
  const gpu = await testGpu();
  const out = await Deno.makeTempDir();
  const data = await tinyOrl();
  const config = resolveTrainConfig([{
    source: "cli",
    values: { data, out, rank: 3, maxIter: 20, checkpointEvery: 10 },
  }]);
  const { runDir } = await trainRun(gpu, config);
  const copy = async (name: string) => {
    await Deno.mkdir(`${out}/${name}/factors/W`, { recursive: true });
    for (
      const f of [
        "config.json",
        "environment.json",
        "factors/factors.json",
        "factors/W/shard-00000.bin",
      ]
    ) {
      await Deno.copyFile(`${runDir}/${f}`, `${out}/${name}/${f}`);
    }
    await Deno.mkdir(`${out}/${name}/factors/H`);
    await Deno.copyFile(
      `${runDir}/factors/H/shard-00000.bin`,
      `${out}/${name}/factors/H/shard-00000.bin`,
    );
    return `${out}/${name}`;
  };
  const fix = /; remove .*factors to restart the run from iteration 0$/;
  const flipped = await copy("flipped");
  const w = await Deno.readFile(`${flipped}/factors/W/shard-00000.bin`);
  w[w.length - 1] ^= 0xff;
  await Deno.writeFile(`${flipped}/factors/W/shard-00000.bin`, w);
  await rejects(
    trainRun(gpu, null, { resume: flipped, maxIter: 30 }),
    (e: Error) =>
      /Cannot resume .*flipped: .*W\/shard-00000\.bin: checksum mismatch/.test(e.message) &&
      fix.test(e.message),
  );
  const cut = await copy("cut");
  await Deno.truncate(`${cut}/factors/H/shard-00000.bin`, 40);
  await rejects(trainRun(gpu, null, { resume: cut, maxIter: 30 }), fix);
  const noJson = await copy("no-json");
  await Deno.remove(`${noJson}/factors/factors.json`);
  await rejects(
    trainRun(gpu, null, { resume: noJson, maxIter: 30 }),
    /holds files but no factors\.json/,
  );
  // The run's data prepared again at another size: the run cannot go on.
  const other = await copy("other-data");
  await prepDataset("data/ORL_32x32.mat", { out: `${out}/orl`, limit: 60, log: null });
  const saved = JSON.parse(await Deno.readTextFile(`${other}/config.json`));
  await Deno.writeTextFile(
    `${other}/config.json`,
    JSON.stringify({ ...saved, data: `${out}/orl` }),
  );
  await rejects(
    trainRun(gpu, null, { resume: other, maxIter: 30 }),
    /changed since the run began \(it was 60 x 144, shards fnv1a32:\w+; now 60 x 1024/,
  );
  // Removing the damaged checkpoint, as the message says, restarts from iteration 0.
  await Deno.remove(`${flipped}/factors`, { recursive: true });
  const again = await trainRun(gpu, null, { resume: flipped, maxIter: 30 });
  equal(again.state.iteration, 30);
  await Deno.remove(out, { recursive: true });
});

Deno.test("train run on a text corpus: topics, document-topic matrix, clustering by class; resumes; image options refused", async () => {
  const gpu = await testGpu();
  const dir = await Deno.makeTempDir();
  await prepText("data/debian_sample.csv", {
    out: `${dir}/deb`,
    labelColumn: "section",
    log: null,
  });
  const out = `${dir}/runs`;
  const values = { data: `${dir}/deb`, out, rank: 6, init: "nndsvda", maxIter: 20, tol: 0 };
  for (const betaLoss of ["frobenius", "kullback-leibler"]) {
    const config = resolveTrainConfig([{ source: "cli", values: { ...values, betaLoss } }]);
    const r = await trainRun(gpu, config);
    equal(r.state.iteration, 20);
    const m = r.metrics!;
    equal(m.topics!.length, 6);
    ok(m.topics!.every((t) => t.terms.length === 10 && t.npmi >= -1 && t.npmi <= 1), betaLoss);
    equal(m.clustering[0].k, 6); // the sample's sections
    ok(m.clustering[0].accuracy > 1 / 6, `${betaLoss} accuracy ${m.clustering[0].accuracy}`);
    const f = readFactors(`${r.runDir}/factors`);
    equal(f.factors.W.cols, 6);
    equal(f.factors.H.cols, 400);
    f.close();
    for (const name of ["topics.csv", "document-topics.csv", "report.html", "loss.svg"]) {
      ok(await pathExists(`${r.runDir}/${name}`), name);
    }
    // Resuming the finished run for 10 more iterations goes on from its checkpoint.
    const more = await trainRun(gpu, null, { resume: r.runDir, maxIter: 30 });
    equal(more.state.iteration, 30);
    ok(more.state.loss.at(-1)! <= r.state.loss.at(-1)! * (1 + 1e-6), "MU never rises");
  }
  const before = [...Deno.readDirSync(out)].length;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ model: "gnmf" }, /--model gnmf needs image data, and dataset .* is a text corpus/],
    [{ normalize: "l2" }, /--normalize l2 applies to image data/],
    [{ probeLabels: "section" }, /--probe-labels applies to image data/],
    [{ clusterLabel: "license" }, /--cluster-label names label column "license", which/],
    [{ rank: 500 }, /--rank 500 is larger than min\(d, n\) = 400/],
  ];
  for (const [change, message] of cases) {
    const config = resolveTrainConfig([{ source: "cli", values: { ...values, ...change } }]);
    await rejects(
      trainRun(gpu, config),
      (e: Error) => e instanceof OptionError && message.test(e.message),
    );
  }
  equal([...Deno.readDirSync(out)].length, before, "no run folder was made");
  await Deno.remove(dir, { recursive: true });
});
