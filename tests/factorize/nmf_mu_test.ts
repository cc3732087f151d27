import { nmf } from "../../factorize/nmf.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { frobError, mat, planted, refMu, startFactors } from "./_nmf_reference.ts";
import { checkAgainstReference } from "./_solver_check.ts";
import { ok } from "node:assert/strict";

// f32 GEMMs and updates over 3 iterations on 23x17, k=3: within 1e-4 of float64.
Deno.test("MU: 3 iterations match a float64 CPU implementation, both layouts", async () => {
  await checkAgainstReference({ solver: "mu" }, refMu, 1e-4);
});

Deno.test("MU: objective never rises, factors stay >= 0, planted rank-5 recovered", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [60, 40, 5];
  const x = planted(d, n, k, 1);
  const r = await nmf(gpu, { data: x, d, n }, {
    rank: k,
    init: "random",
    maxIter: 300,
    tol: 0,
    checkEvery: 5,
  });
  for (let i = 1; i < r.loss.length; i++) {
    // f32 error evaluation: allow a rise of 1e-5 relative
    ok(r.loss[i] <= r.loss[i - 1] * (1 + 1e-5), `loss rose at check ${i}: ${r.loss}`);
  }
  ok(r.factors.W.data.every((v) => v >= 0) && r.factors.H.data.every((v) => v >= 0));
  const rel = r.loss.at(-1)! / Math.hypot(...x);
  ok(rel < 0.02, `relative error ${rel} after 300 MU iterations`);
  ok(!r.converged && r.stopReason === "maxIter" && r.nIter === 300);
});

Deno.test("MU with a mask: all ones equals no mask; masked entries do not influence the fit", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [30, 20, 3];
  const x = planted(d, n, k, 3, 0.02);
  const { W, H } = startFactors(d, n, k, 4);
  const base = { rank: k, init: "custom" as const, W, H, maxIter: 20, tol: 0 };
  const plain = await nmf(gpu, { data: x, d, n }, base);
  const ones = await nmf(gpu, { data: x, d, n }, {
    ...base,
    mask: new Float32Array(d * n).fill(1),
  });
  assertClose(ones.factors.W.data, plain.factors.W.data, 1e-5, "all-ones mask W");
  assertClose(ones.factors.H.data, plain.factors.H.data, 1e-5, "all-ones mask H");
  const mask = new Uint8Array(d * n).map((_, i) => (i % 7 === 3 ? 0 : 1));
  const x2 = x.slice();
  for (let i = 0; i < x2.length; i++) if (mask[i] === 0) x2[i] = i % 2 ? NaN : 1e3;
  const a = await nmf(gpu, { data: x, d, n }, { ...base, mask });
  const b = await nmf(gpu, { data: x2, d, n }, { ...base, mask });
  assertClose(b.factors.W.data, a.factors.W.data, 0, "masked W");
  assertClose(b.factors.H.data, a.factors.H.data, 0, "masked H");
  // and the masked run is the float64 weighted MU
  const m = mat(d, n, mask);
  const xm = mat(d, n, x.map((v, i) => v * mask[i]));
  let w = mat(d, k, W.data);
  let h = mat(k, n, H.data);
  for (let i = 0; i < 20; i++) [w, h] = refMu(xm, w, h, m);
  assertClose(a.factors.W.data, w.v, 1e-3, "masked W vs float64");
  const err = frobError(xm, w, h, m);
  ok(Math.abs(a.loss.at(-1)! - err) <= 1e-4 * err, `masked loss ${a.loss.at(-1)} vs ${err}`);
});

Deno.test("MU: L1 penalty on H makes H sparser", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [40, 30, 4];
  const x = planted(d, n, k, 9, 0.05);
  const base = { rank: k, init: "nndsvd" as const, maxIter: 100, tol: 0 };
  const plain = await nmf(gpu, { data: x, d, n }, base);
  const sparse = await nmf(gpu, { data: x, d, n }, {
    ...base,
    alphaH: 0.05,
    alphaW: 0,
    l1Ratio: 1,
  });
  const mass = (r: typeof plain) => r.factors.H.data.reduce((s, v) => s + v, 0);
  ok(mass(sparse) < mass(plain), `L1 on H: ${mass(sparse)} vs ${mass(plain)}`);
});
