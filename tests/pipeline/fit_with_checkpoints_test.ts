import { deepEqual, equal } from "node:assert/strict";
import { nmf } from "../../factorize/nmf.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { readFactors } from "../../pipeline/factor_store.ts";
import { type FitProgress, fitWithCheckpoints } from "../../pipeline/fit_with_checkpoints.ts";
import { modelEntry } from "../../pipeline/model_table.ts";
import { resolveTrainConfig } from "../../pipeline/train_config.ts";
import { testGpu } from "../_reference.ts";

const n = 40;
const d = 30;
const data = randomArray(seededRandom(5), n * d, 0, 1);
const input = { data, d, n, samplesAsRows: true };

function ctx(gpu: Awaited<ReturnType<typeof testGpu>>, values: Record<string, unknown>) {
  const rank = String(values.model ?? "nmf").startsWith("deep") ? {} : { rank: 4 };
  const config = resolveTrainConfig([{
    source: "cli",
    values: { data: "-", ...rank, maxIter: 60, tol: 0, checkpointEvery: 20, ...values },
  }]);
  return { gpu, input, config, labelCodes: () => new Int32Array(n) };
}

Deno.test("checkpointed fit: stretches match one long run; interrupt, then resume to the same end", async () => {
  const gpu = await testGpu();
  const dir = await Deno.makeTempDir();
  const whole = await nmf(gpu, input, { rank: 4, maxIter: 60, tol: 0, init: "nndsvda" });
  const seen: FitProgress[] = [];
  const fit = await fitWithCheckpoints(modelEntry("nmf"), ctx(gpu, {}), {
    factorsDir: `${dir}/a`,
    start: null,
    onProgress: (p) => seen.push(p),
  });
  deepEqual(seen.map((p) => [p.iteration, p.checkpointed]), [
    [10, false],
    [20, true],
    [30, false],
    [40, true],
    [50, false],
    [60, true],
  ]);
  deepEqual(fit.state.lossIterations, whole.lossIterations);
  deepEqual(fit.state.loss, whole.loss, "loss history");
  deepEqual(fit.factors.W.data, whole.factors.W.data, "W, bit for bit");
  equal(fit.state.complete, true);
  equal(fit.state.stopReason, "maxIter");

  // Aborted during the second stretch: it ends, and writes a checkpoint at 20 (between the
  // regular ones every 30).
  const controller = new AbortController();
  const cut = await fitWithCheckpoints(modelEntry("nmf"), ctx(gpu, { checkpointEvery: 30 }), {
    factorsDir: `${dir}/b`,
    start: null,
    signal: controller.signal,
    onProgress: () => controller.abort(),
  });
  equal(cut.interrupted, true);
  const stored = readFactors(`${dir}/b`);
  equal(stored.state.iteration, 20);
  equal(stored.state.complete, false);
  const resumed = await fitWithCheckpoints(modelEntry("nmf"), ctx(gpu, {}), {
    factorsDir: `${dir}/b`,
    start: stored,
  });
  stored.close();
  equal(resumed.state.iteration, 60);
  deepEqual(resumed.state.lossIterations, whole.lossIterations);
  deepEqual(resumed.factors.H.data, whole.factors.H.data, "H after resume, bit for bit");
  equal(readFactors(`${dir}/b`).state.complete, true);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("checkpointed fit: the tolerance rule stops where one long run stops", async () => {
  const gpu = await testGpu();
  const dir = await Deno.makeTempDir();
  const whole = await nmf(gpu, input, { rank: 4, maxIter: 400, tol: 1e-3, init: "nndsvda" });
  const fit = await fitWithCheckpoints(modelEntry("nmf"), ctx(gpu, { maxIter: 400, tol: 1e-3 }), {
    factorsDir: `${dir}/a`,
    start: null,
  });
  equal(whole.stopReason, "tol");
  equal(fit.state.stopReason, "tol");
  equal(fit.state.iteration, whole.nIter);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("checkpointed fit: every model gives the same factors whatever checkpointEvery is", async () => {
  const gpu = await testGpu();
  const dir = await Deno.makeTempDir();
  const models: Record<string, unknown>[] = [
    { model: "nmf", solver: "als" },
    { model: "semi-nmf" },
    { model: "gnmf" },
    { model: "deep-semi-nmf", layers: "8,4", pretrainMaxIter: 10 },
    { model: "deep-wsf", layers: "8,4", pretrainMaxIter: 10, graphs: "c,none", lambdas: 0.1 },
  ];
  for (const values of models) {
    const runs = [];
    for (const every of [10, 30]) {
      const c = ctx(gpu, { ...values, checkpointEvery: every });
      const out = `${dir}/${values.model}-${every}`;
      runs.push(
        await fitWithCheckpoints(modelEntry(c.config.model), c, { factorsDir: out, start: null }),
      );
      deepEqual(readFactors(out).factors, runs.at(-1)!.factors, "stored = returned");
    }
    deepEqual(runs[0].factors, runs[1].factors, `${values.model}: same factors`);
    deepEqual(runs[0].state.loss, runs[1].state.loss, `${values.model}: same loss`);
  }
  await Deno.remove(dir, { recursive: true });
});
