import { equal, ok, rejects } from "node:assert/strict";
import { evaluateRun } from "../../pipeline/evaluate_run.ts";
import { resolveTrainConfig } from "../../pipeline/train_config.ts";
import { OptionError } from "../../factorize/option_schema.ts";
import { trainRun } from "../../pipeline/train_run.ts";
import { testGpu } from "../_reference.ts";
import { tinyOrl } from "./_fixtures.ts";

Deno.test("evaluateRun: a label-graph run keeps its split; other settings may change", async () => {
  const gpu = await testGpu();
  const data = await tinyOrl();
  const out = await Deno.makeTempDir();
  const config = resolveTrainConfig([{
    source: "cli",
    values: { data, out, model: "gnmf", graph: "class", rank: 6, maxIter: 10, tol: 0 },
  }]);
  const run = await trainRun(gpu, config, {});
  await rejects(evaluateRun(gpu, run.runDir, { testFraction: "0.5" }), (e: Error) => {
    equal(e instanceof OptionError, true);
    return /built graphs from the labels class .* keep --seed and --test-fraction/.test(e.message);
  });
  await rejects(evaluateRun(gpu, run.runDir, { seed: "3" }), OptionError);
  const again = await evaluateRun(gpu, run.runDir, { probeC: "2" });
  equal(again.config.probeC, 2);
  ok(again.complete);
  await Deno.remove(out, { recursive: true });
});
