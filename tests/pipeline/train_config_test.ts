import { deepEqual, equal, throws } from "node:assert/strict";
import { OptionError } from "../../factorize/option_schema.ts";
import {
  flagName,
  MODEL_NAMES,
  MODEL_OPTIONS,
  readConfigFile,
  resolveTrainConfig,
} from "../../pipeline/train_config.ts";
import { NMF_OPTIONS } from "../../factorize/nmf_options.ts";

const cli = (values: Record<string, unknown>) => ({ source: "cli", values });

Deno.test("train config: defaults, file under flags, strings from flags parsed", () => {
  const c = resolveTrainConfig([
    { source: "cfg.json", values: { data: "a", rank: 20, maxIter: 50, alphaW: 0.5 } },
    cli({ data: "b", rank: "30", tol: "0", rawPixelProbe: "false", solver: "cd" }),
  ]);
  equal(c.data, "b");
  equal(c.rank, 30);
  equal(c.maxIter, 50);
  equal(c.tol, 0);
  equal(c.alphaW, 0.5);
  equal(c.alphaH, "same");
  equal(c.rawPixelProbe, false);
  equal(c.solver, "cd");
  equal(c.betaLoss, NMF_OPTIONS.betaLoss.default);
  equal(c.checkpointEvery, 50);
  equal("layers" in c, false); // only the model's own options
});

Deno.test("train config: a run's model options are the library's, with the run's defaults", () => {
  for (const model of MODEL_NAMES) {
    for (const [key, spec] of Object.entries(MODEL_OPTIONS[model])) {
      equal(spec.type === "object" || key === "checkEvery" || key === "from", false, key);
    }
  }
  const g = resolveTrainConfig([cli({ data: "d", model: "gnmf" })]);
  deepEqual([g.alpha, g.neighbors, g.graph, g.init], [100, 5, null, "random"]);
  const w = resolveTrainConfig([cli({ data: "d", model: "deep-wsf", graphs: "Young,Smiling" })]);
  deepEqual([w.layers, w.lambdas, w.graphs, w.pretrainMaxIter], [
    [128, 40],
    [1e-3],
    ["Young", "Smiling"],
    100,
  ]);
  const one = resolveTrainConfig([
    cli({ data: "d", model: "deep-wsf", layers: "512,256", graphs: "Young,none", lambdas: 0.5 }),
  ]);
  deepEqual([one.graphs, one.lambdas], [["Young", "none"], [0.5]]);
  // A resolved config (every key present) resolves again unchanged, as resume and eval do.
  for (const c of [g, w, one, resolveTrainConfig([cli({ data: "d", model: "deep-semi-nmf" })])]) {
    deepEqual(resolveTrainConfig([{ source: "config.json", values: { ...c } }]), c);
  }
});

Deno.test("train config: errors name the option and its source", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ data: "d", rank: "0" }, /^--rank must be an integer >= 1, got "0"$/],
    [{ data: "d", model: "pca" }, /^--model must be one of nmf, semi-nmf, .*got "pca"/],
    [{ data: "d", solver: "hals" }, /^--solver must be one of mu, cd, pgd, als, got "hals"/],
    [{ data: "d", solver: "cd", betaLoss: "kullback-leibler" }, /^--beta-loss .* needs solver/],
    [{ data: "d", init: "custom" }, /^--init must be one of random, nndsvd, nndsvda, nndsvdar/],
    [{ data: "d", model: "deep-semi-nmf", layers: "64,x" }, /^--layers must be a list of int/],
    [{ data: "d", checkpointEvery: "25" }, /^--checkpoint-every must be a multiple of 10/],
    [{ data: "d", model: "gnmf", graphReduce: "0" }, /^--graph-reduce must be an integer >= 1/],
    [{ data: "d", testFraction: "1" }, /^--test-fraction must be a number in \(0, 1\), got "1"/],
    [{ data: "d", bogus: 1 }, /^Unknown option --bogus \(options of nmf: data, model/],
    [{ data: "d", alpha: 1 }, /^--alpha is an option of gnmf, not of nmf$/],
    [{ data: "d", graphs: "a" }, /^--graphs is an option of deep-wsf, not of nmf$/],
    [{ rank: "3" }, /^--data <dataset dir> is required/],
    [{ data: "d", model: "deep-wsf" }, /^--graphs is required/],
    [{ data: "d", model: "deep-wsf", graphs: "Young" }, /per layer \(2; .*got 1: Young$/],
    [{ data: "d", model: "deep-wsf", graphs: "none,none" }, /at least one column/],
    [{ data: "d", model: "deep-wsf", graphs: "a,b", lambdas: "1,2,3" }, /3 values for 2 layers/],
    [{ data: "d", model: "deep-semi-nmf", graphs: "a,b" }, /option of deep-wsf, not of deep-semi/],
    [{ data: "d", model: "deep-semi-nmf", lambdas: "1" }, /^--lambdas is an option of deep-wsf/],
    [{ data: "d", model: "deep-wsf", graphs: "a,b", lambdas: "auto,1" }, /"auto" stands alone/],
    [{ data: "d", model: "deep-wsf", graphs: "a,b", lambdas: "x" }, /numbers >= 0 or "auto"/],
    [
      { data: "d", model: "deep-wsf", graphs: "a,b", lambdas: "auto", lambdaGrid: "" },
      /^--lambda-grid must list the λ values/,
    ],
    [{ data: "d", model: "deep-semi-nmf", batchSize: "8" }, /^--batch-size needs optimizer/],
    [{ data: "d", model: "deep-semi-nmf", layers: "40,128" }, /^--layers must not grow/],
    [{ data: "d", model: "deep-semi-nmf", activation: "relu" }, /^--activation "relu" needs opt/],
    [{ data: "d", model: "deep-semi-nmf", layers: "" }, /^--layers must list the layer sizes/],
    [{ data: "d", model: "deep-semi-nmf", init: "kmeans" }, /^--init is an option of nmf, semi/],
    [{ data: "d", model: "deep-semi-nmf", rank: "3" }, /^--rank is an option of nmf, semi-nmf/],
    [{ data: "d", model: "gnmf", init: "nndsvd" }, /^--init must be one of random, nndsvda,/],
    [{ data: "d", model: "gnmf", graph: "none" }, /leave it out for the kNN graph/],
    [{ data: "d", model: "semi-nmf", init: "nndsvdar" }, /^--init must be one of kmeans, nndsvd/],
    [{ data: "d", model: "semi-nmf", solver: "cd" }, /^--solver is an option of nmf, not of semi/],
  ];
  for (const [values, msg] of cases) {
    throws(() => resolveTrainConfig([cli(values)]), (e: Error) => {
      equal(e instanceof OptionError, true);
      return msg.test(e.message);
    }, JSON.stringify(values));
  }
  throws(
    () => resolveTrainConfig([{ source: "x.json", values: { data: "d", rank: -1, foo: 1 } }]),
    /Unknown option "foo" in x\.json \(options of nmf: data, model/,
  );
  throws(
    () => resolveTrainConfig([{ source: "x.json", values: { data: "d", rank: 2.5 } }]),
    /"rank" in x\.json must be an integer >= 1, got 2\.5$/,
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
