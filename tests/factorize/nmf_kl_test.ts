import { nmf } from "../../factorize/nmf.ts";
import { testGpu } from "../_reference.ts";
import { planted, refKl } from "./_nmf_reference.ts";
import { checkAgainstReference } from "./_solver_check.ts";
import { ok } from "node:assert/strict";

// f32 over 3 KL iterations on 23x17, k=3: within 1e-4 of float64.
Deno.test("KL MU: 3 iterations match a float64 CPU implementation, both layouts", async () => {
  await checkAgainstReference({ betaLoss: "kullback-leibler" }, refKl, 1e-4);
});

Deno.test("KL MU: divergence never rises, factors stay >= 0", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [60, 40, 5];
  const x = planted(d, n, k, 2, 0.1);
  const r = await nmf(gpu, { data: x, d, n }, {
    rank: k,
    betaLoss: "kullback-leibler",
    maxIter: 100,
    tol: 0,
    checkEvery: 5,
  });
  for (let i = 1; i < r.loss.length; i++) {
    ok(r.loss[i] <= r.loss[i - 1] * (1 + 1e-5), `KL rose at check ${i}: ${r.loss}`);
  }
  ok(r.loss.at(-1)! < 0.3 * r.loss[0], `KL ${r.loss[0]} -> ${r.loss.at(-1)}`);
  ok(r.factors.W.data.every((v) => v >= 0) && r.factors.H.data.every((v) => v >= 0));
});
