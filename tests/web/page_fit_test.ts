import { openDeepSemiNmfFit } from "../../factorize/deep_semi_nmf.ts";
import { openNmfFit } from "../../factorize/nmf.ts";
import { openSemiNmfFit } from "../../factorize/semi_nmf.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { type PageModel, runPageFit } from "../../web/page_fit.ts";
import { testGpu } from "../_reference.ts";
import { deepEqual, ok, rejects } from "node:assert/strict";

const X = { data: randomArray(seededRandom(4), 30 * 20, 0, 1), d: 30, n: 20 };

Deno.test("runPageFit: in chunks, every model ends where one run of the same fit ends", async () => {
  const gpu = await testGpu();
  const common = { maxIter: 12, tol: 0, seed: 2, checkEvery: 4 };
  const cases: [PageModel, number[], () => ReturnType<typeof openNmfFit>][] = [
    ["nmf-mu", [4], () => openNmfFit(gpu, X, { ...common, rank: 4, solver: "mu" })],
    ["nmf-hals", [4], () => openNmfFit(gpu, X, { ...common, rank: 4, solver: "cd" })],
    ["semi-nmf", [4], () => openSemiNmfFit(gpu, X, { ...common, rank: 4 })],
    // deno-lint-ignore no-explicit-any
    ["deep-linear", [6, 3], () => openDeepSemiNmfFit(gpu, X, { ...common, layers: [6, 3] }) as any],
    [
      "deep-relu",
      [6, 3],
      () =>
        openDeepSemiNmfFit(gpu, X, {
          ...common,
          layers: [6, 3],
          activation: "relu",
          optimizer: "adam",
          // deno-lint-ignore no-explicit-any
        }) as any,
    ],
  ];
  for (const [model, sizes, open] of cases) {
    const seen: (number | string)[] = [];
    const r = await runPageFit(gpu, X, {
      model,
      sizes,
      maxIter: 12,
      seed: 2,
      every: 4,
      onProgress: (p) => void seen.push(p.iteration),
      onStage: (s) => void (s.summary && seen.push(s.stage)),
    });
    const stages = model.startsWith("deep")
      ? ["pretraining layer 1/2", "pretraining layer 2/2"]
      : [];
    deepEqual(seen, [...stages, 0, 4, 8, 12], `${model}: pretraining reported, then the chunks`);
    deepEqual([r.iteration, r.stopReason], [12, "maxIter"], model);
    const fit = await open();
    await fit.run();
    deepEqual(r.loss, [...fit.loss], `${model}: chunked and one run`);
    fit.close();
    const names = Object.keys(r.factors).sort();
    deepEqual(names, model.startsWith("deep") ? ["H1", "H2", "Z1", "Z2"] : ["H", "W"], model);
  }
});

Deno.test("runPageFit: stopped between chunks ends there with stop reason 'stopped'", async () => {
  const gpu = await testGpu();
  let calls = 0;
  const r = await runPageFit(gpu, X, {
    model: "nmf-mu",
    sizes: [3],
    maxIter: 100,
    every: 5,
    stopped: () => ++calls > 1,
  });
  deepEqual([r.iteration, r.stopReason, r.lossIterations], [5, "stopped", [0, 5]]);
  ok(r.seconds > 0);
});

Deno.test("runPageFit: bad options are one RangeError each, naming the field", async () => {
  const gpu = await testGpu();
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ model: "pca" }, /Model "pca" is unknown: use nmf-mu, nmf-hals/],
    [{ sizes: [4, 2] }, /Model nmf-mu takes one rank, got 4,2/],
    [{ sizes: [0] }, /Rank must be an integer >= 1/],
    [{ model: "deep-linear", sizes: [Number.NaN] }, /Layers must be sizes like 128,40/],
    [{ maxIter: 0 }, /Iterations must be an integer >= 1, got 0/],
  ];
  for (const [o, msg] of bad) {
    // deno-lint-ignore no-explicit-any
    const options = { model: "nmf-mu", sizes: [4], maxIter: 5, ...o } as any;
    await rejects(runPageFit(gpu, X, options), msg);
  }
});
