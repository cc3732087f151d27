import { deepEqual, equal, throws } from "node:assert/strict";
import {
  ConfigError,
  flagName,
  readConfigFile,
  resolveTrainConfig,
  TRAIN_DEFAULTS,
} from "../../pipeline/train_config.ts";

const cli = (values: Record<string, unknown>) => ({ source: "cli", values });

Deno.test("train config: defaults, file under flags, strings from flags parsed", () => {
  const c = resolveTrainConfig([
    { source: "cfg.json", values: { data: "a", rank: 20, iters: 50, graph: [] } },
    cli({ data: "b", rank: "30", layers: "64, 32", tol: "0", rawPixelProbe: "false" }),
  ]);
  equal(c.data, "b");
  equal(c.rank, 30);
  equal(c.iters, 50);
  equal(c.tol, 0);
  deepEqual(c.layers, [64, 32]);
  equal(c.rawPixelProbe, false);
  equal(c.solver, TRAIN_DEFAULTS.solver);
  equal(c.checkpointEvery, 50);
});

Deno.test("train config: model defaults for gnmf and deep-wsf", () => {
  deepEqual(resolveTrainConfig([cli({ data: "d", model: "gnmf" })]).lambda, [100]);
  const w = resolveTrainConfig([cli({ data: "d", model: "deep-wsf", graph: "Young,Smiling" })]);
  deepEqual(w.lambda, [1e-3, 1e-3]);
  deepEqual(w.graph, ["Young", "Smiling"]);
  const one = resolveTrainConfig([
    cli({ data: "d", model: "deep-wsf", layers: "512,256", graph: "Young,none", lambda: "0.5" }),
  ]);
  deepEqual([one.graph, one.lambda], [["Young", "none"], [0.5, 0.5]]);
  // A resolved config (every key present) resolves again unchanged, as resume and eval do.
  for (const c of [w, one, resolveTrainConfig([cli({ data: "d", model: "deep-semi-nmf" })])]) {
    deepEqual(resolveTrainConfig([{ source: "config.json", values: { ...c } }]), c);
  }
});

Deno.test("train config: errors name the option and its source", () => {
  const cases: [Record<string, unknown>[], RegExp][] = [
    [[{ data: "d", rank: "0" }], /^--rank must be a whole number >= 1, got "0"$/],
    [[{ data: "d", model: "pca" }], /^--model must be one of nmf, semi-nmf, .*got "pca"/],
    [[{ data: "d", solver: "newton" }], /^--solver must be one of mu, kl, hals, pgd, als/],
    [[{ data: "d", layers: "64,x" }], /^--layers item 2 must be a number, got "x"/],
    [[{ data: "d", checkpointEvery: "25" }], /^--checkpoint-every must be a multiple of 10/],
    [[{ data: "d", graphReduce: "0" }], /^--graph-reduce must be a whole number >= 1, got "0"$/],
    [[{ data: "d", testFraction: "1" }], /^--test-fraction must be a number between 0 and 1/],
    [[{ data: "d", bogus: 1 }], /^Unknown option --bogus$/],
    [[{ rank: "3" }], /^--data <dataset dir> is required/],
    [[{ data: "d", model: "deep-wsf" }], /^--graph must name one label column per layer \(2;/],
    [[{ data: "d", model: "deep-wsf", graph: "Young" }], /per layer \(2; .*got 1: Young$/],
    [[{ data: "d", model: "deep-wsf", graph: "none,none" }], /at least one column/],
    [[{ data: "d", model: "deep-wsf", graph: "a,b", lambda: "1,2,3" }], /3 values for 2 layers/],
    [[{ data: "d", model: "deep-semi-nmf", graph: "a,b" }], /not deep-semi-nmf \(use deep-wsf\)/],
    [[{ data: "d", model: "deep-semi-nmf", lambda: "1" }], /not deep-semi-nmf/],
    [[{ data: "d", model: "deep-semi-nmf", layers: "40,128" }], /^--layers must not grow/],
    [[{ data: "d", model: "deep-wsf", layers: "", graph: "" }], /^--graph must name|^--layers/],
    [[{ data: "d", model: "deep-semi-nmf", layers: "" }], /^--layers must list the layer sizes/],
    [[{ data: "d", model: "deep-semi-nmf", init: "kmeans" }], /--init does not apply to deep/],
    [[{ data: "d", model: "gnmf", init: "nndsvd" }], /^--init must be one of random, nndsvda/],
    [[{ data: "d", model: "gnmf", graph: "a,b" }], /--graph takes one label column for gnmf/],
    [[{ data: "d", model: "gnmf", graph: "none" }], /leave it out for the kNN graph/],
    [[{ data: "d", model: "gnmf", lambda: "1,2" }], /--lambda takes one value \(alpha\)/],
    [[{ data: "d", model: "semi-nmf", init: "nndsvd" }], /--init must be one of kmeans, random/],
    [[{ data: "d", model: "semi-nmf", solver: "hals" }], /--solver applies to nmf only/],
    [[{ data: "d", graph: "Young" }], /--graph and --lambda apply to deep-wsf and gnmf/],
  ];
  for (const [layers, msg] of cases) {
    throws(() => resolveTrainConfig(layers.map(cli)), (e: Error) => {
      equal(e instanceof ConfigError, true);
      return msg.test(e.message);
    }, JSON.stringify(layers));
  }
  throws(
    () => resolveTrainConfig([{ source: "x.json", values: { data: "d", rank: -1, foo: 1 } }]),
    /Unknown option "foo" in x\.json \(known: data, model/,
  );
  throws(
    () => resolveTrainConfig([{ source: "x.json", values: { data: "d", rank: 2.5 } }]),
    /"rank" in x\.json must be a whole number >= 1, got 2\.5$/,
  );
  equal(flagName("probeMaxTrain"), "--probe-max-train");
});

Deno.test("train config: config file errors name the file", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/bad.json`, "{ rank: 1 }");
  await Deno.writeTextFile(`${dir}/list.json`, "[1]");
  await Deno.writeTextFile(`${dir}/ok.json`, '{ "rank": 7 }');
  await readConfigFile(`${dir}/bad.json`).then(() => {
    throw new Error("no error");
  }, (e) => equal(/^Config file .*bad\.json is not valid JSON/.test(e.message), true));
  await readConfigFile(`${dir}/list.json`).catch((e) =>
    equal(/must hold a JSON object/.test(e.message), true)
  );
  await readConfigFile(`${dir}/none.json`).catch((e) =>
    equal(/^Cannot read config file .*none\.json/.test(e.message), true)
  );
  deepEqual(await readConfigFile(`${dir}/ok.json`), { rank: 7 });
  await Deno.remove(dir, { recursive: true });
});
