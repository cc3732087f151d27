import { Nmf, nmf, openNmfFit } from "../../factorize/nmf.ts";
import { checkResume } from "./_resume_check.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { planted } from "./_nmf_reference.ts";
import { sparsified, toCsr, transpose } from "./_solver_check.ts";
import { ok, rejects, throws } from "node:assert/strict";

Deno.test("Nmf: fit, transform of the training data reproduces H, inverse_transform", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [60, 40, 5];
  const x = planted(d, n, k, 21);
  const model = new Nmf(gpu, { rank: k, solver: "cd", maxIter: 300, tol: 1e-6 });
  const h = await model.fitTransform({ data: x, d, n });
  ok(model.reconstructionError < 0.01 * Math.hypot(...x), `error ${model.reconstructionError}`);
  const h2 = await model.transform({ data: x, d, n });
  assertClose(h2.data, h.data, 0.02, "transform(X) vs fitted H");
  const xHat = await model.inverseTransform(h);
  assertClose(xHat.data, x, 0.02, "inverse_transform");
  const xt = await model.inverseTransform(h, { samplesAsRows: true });
  assertClose(xt.data, transpose(xHat.data, d, n), 1e-6, "inverse_transform samplesAsRows");
  throws(() => new Nmf(gpu, { rank: 0 }), /Option rank/);
  await rejects(() => new Nmf(gpu, { rank: 2 }).transform({ data: x, d, n }), /not fitted/);
});

Deno.test("nmf: u8 data equals its f32 / 255 version; same seed same numbers", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [24, 18, 3];
  const x = planted(d, n, k, 22);
  const max = Math.max(...x);
  const bytes = Uint8Array.from(x, (v) => Math.round((255 * v) / max));
  const f = Float32Array.from(bytes, (b) => b / 255);
  const o = { rank: k, init: "nndsvdar" as const, maxIter: 20, seed: 4 };
  const a = await nmf(gpu, { data: bytes, d, n }, o);
  const b = await nmf(gpu, { data: f, d, n }, o);
  const c = await nmf(gpu, { data: f, d, n }, o);
  assertClose(a.factors.W.data, b.factors.W.data, 1e-5, "u8 vs f32");
  assertClose(b.factors.H.data, c.factors.H.data, 0, "same seed");
  ok(a.lossIterations[0] === 0 && a.loss.length === a.lossIterations.length);
});

// Blocked and whole X differ only in the f32 summation order of X Hᵀ (3 partial sums):
// after 5 iterations the factors agree to 1e-4 of their largest entry.
Deno.test("nmf: X streamed in 3 blocks of samples gives the whole-X factors (MU, HALS)", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [24, 30, 4];
  const xt = transpose(planted(d, n, k, 23, 0.05), d, n); // n x d, samples as rows
  const input = { data: xt, d, n, samplesAsRows: true };
  const blocked = { ...input, maxBlockBytes: 12 * d * 4 }; // blocks of 12, 12, 6 samples
  for (const solver of ["mu", "cd"] as const) {
    const o = { rank: k, solver, init: "nndsvda" as const, maxIter: 5, tol: 0, checkEvery: 5 };
    const whole = await nmf(gpu, input, o);
    const split = await nmf(gpu, blocked, o);
    assertClose(split.factors.W.data, whole.factors.W.data, 1e-4, `${solver} W`);
    assertClose(split.factors.H.data, whole.factors.H.data, 1e-4, `${solver} H`);
    assertClose(split.loss, whole.loss, 1e-4, `${solver} loss`);
  }
  const u8 = Uint8Array.from(xt, (v) => Math.round((255 * v) / Math.max(...xt)));
  const o = { rank: k, solver: "cd" as const, init: "random" as const, maxIter: 5, tol: 0 };
  const whole = await nmf(gpu, { ...input, data: u8 }, o);
  const split = await nmf(gpu, { ...blocked, data: u8 }, o);
  assertClose(split.factors.H.data, whole.factors.H.data, 1e-4, "u8 H");
  await rejects(
    () => nmf(gpu, blocked, { rank: k, betaLoss: "kullback-leibler" }),
    /Option betaLoss "kullback-leibler" is not supported when X is split into blocks/,
  );
  await rejects(
    () => nmf(gpu, blocked, { rank: k, mask: new Uint8Array(n * d).fill(1) }),
    /Option mask is not supported when X is split into blocks/,
  );
});

// Sparse and dense X differ in the f32 summation order of their products: after 30
// iterations factors and losses agree to 1e-3 of their largest entry.
Deno.test("nmf on sparse X: the fits of its dense form (MU, HALS, KL, NNDSVDa), MU and KL never rise", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [45, 38, 4];
  const dense = sparsified(planted(d, n, k, 24, 0.05), d, n, 25);
  const sparse = toCsr(dense, d, n);
  const cases = [
    { solver: "mu" as const },
    { solver: "cd" as const },
    { betaLoss: "kullback-leibler" as const },
  ];
  for (const c of cases) {
    const o = { rank: k, ...c, init: "nndsvda" as const, maxIter: 30, tol: 0, checkEvery: 3 };
    const a = await nmf(gpu, sparse, o);
    const b = await nmf(gpu, { data: dense, d, n }, o);
    const label = c.solver ?? c.betaLoss;
    assertClose(a.factors.W.data, b.factors.W.data, 1e-3, `${label} W`);
    assertClose(a.factors.H.data, b.factors.H.data, 1e-3, `${label} H`);
    assertClose(a.loss, b.loss, 1e-4, `${label} loss`);
    if (c.solver !== "cd") {
      for (let i = 1; i < a.loss.length; i++) {
        ok(a.loss[i] <= a.loss[i - 1] * (1 + 1e-5), `${label} rose at check ${i}: ${a.loss}`);
      }
    }
    ok([...a.factors.W.data, ...a.factors.H.data].every((v) => v >= 0), `${label} factors >= 0`);
  }
  const model = new Nmf(gpu, { rank: k, solver: "cd", maxIter: 100, tol: 1e-6 });
  const h = await model.fitTransform(sparse);
  const h2 = await model.transform(sparse);
  assertClose(h2.data, h.data, 0.05, "transform(X) vs fitted H, sparse");
});

Deno.test("openNmfFit: every solver resumes bit for bit from a snapshot taken between checks", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [37, 29, 4];
  const input = { data: planted(d, n, k, 23), d, n };
  for (
    const o of [
      { solver: "mu" },
      { solver: "mu", betaLoss: "kullback-leibler" },
      { solver: "cd" },
      { solver: "pgd" },
      { solver: "als" },
    ] as const
  ) {
    await checkResume(
      (from) => openNmfFit(gpu, input, { rank: k, maxIter: 30, tol: 0, ...o, from }),
      30,
    );
  }
  // a masked MU fit, and one whose loss moved to the explicit residual (small error)
  const mask = Uint8Array.from({ length: d * n }, (_, i) => (i % 7 === 3 ? 0 : 1));
  await checkResume(
    (from) => openNmfFit(gpu, input, { rank: k, maxIter: 30, tol: 0, mask, from }),
    30,
  );
});
