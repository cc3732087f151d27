import { nmf } from "../../factorize/nmf.ts";
import { testGpu } from "../_reference.ts";
import { planted, refHals } from "./_nmf_reference.ts";
import { checkAgainstReference } from "./_solver_check.ts";
import { ok } from "node:assert/strict";

// Sequential f32 coordinate updates over 3 iterations: within 2e-4 of float64.
Deno.test("HALS: 3 iterations match a float64 CPU implementation, both layouts", async () => {
  await checkAgainstReference({ solver: "cd" }, refHals, 2e-4);
});

Deno.test("HALS reaches MU's 100-iteration error in fewer iterations", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [60, 40, 5];
  const x = planted(d, n, k, 5, 0.05);
  const base = { rank: k, init: "random" as const, tol: 0, checkEvery: 5 };
  const mu = await nmf(gpu, { data: x, d, n }, { ...base, solver: "mu", maxIter: 100 });
  const hals = await nmf(gpu, { data: x, d, n }, { ...base, solver: "cd", maxIter: 100 });
  const target = mu.loss.at(-1)!;
  const i = hals.loss.findIndex((v) => v <= target);
  ok(i >= 0 && hals.lossIterations[i] < 100, `HALS never reached ${target}: ${hals.loss}`);
  ok(hals.factors.W.data.every((v) => v >= 0) && hals.factors.H.data.every((v) => v >= 0));
});
