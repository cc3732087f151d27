import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { Fit, type FitModel, type FitSnapshot } from "../../factorize/fit.ts";
import { elementwise } from "../../gpu/elementwise.ts";
import type { Gpu } from "../../gpu/gpu.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { assertClose, testGpu } from "../_reference.ts";

/**
 * A model whose state m (1 x 3) gains 1 per step and whose cost is `errors(m[0])`: the
 * iteration count lives in the state, as a real model's progress does.
 */
function counter(gpu: Gpu, errors: (it: number) => number, name = "counter"): FitModel {
  const m = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array(3));
  return {
    name,
    state: { m },
    step: () => elementwise("affine", m, { s: [1, 1] }),
    error: async () => errors((await m.toArray())[0]),
    dispose: () => m.dispose(),
  };
}

const output = (s: Record<string, { data: Float32Array }>) => s.m.data;

Deno.test("Fit: scikit-learn's tol rule every checkEvery iterations; maxIter is always checked", async () => {
  const gpu = await testGpu();
  // error 100 / (1 + it): relative drop per 10 iterations falls below 0.05 at some check
  const fit = await Fit.open(counter(gpu, (it) => 100 / (1 + it)), {
    maxIter: 1000,
    tol: 0.05,
    checkEvery: 10,
    output,
  });
  equal(await fit.run(), fit.iteration);
  const r = await fit.result();
  fit.close();
  equal(r.stopReason, "tol");
  ok(r.converged);
  deepEqual(r.lossIterations, r.lossIterations.map((_, i) => 10 * i));
  const n = r.nIter;
  ok((100 / (n - 9) - 100 / (n + 1)) / 100 < 0.05, "stopped when the drop went under tol");
  ok((100 / (n - 19) - 100 / (n - 9)) / 100 >= 0.05, "not before");
  const capped = await Fit.open(counter(gpu, () => 1), {
    maxIter: 5,
    tol: -1,
    checkEvery: 10,
    output,
  });
  equal(await capped.run(100), 5);
  equal(capped.stopReason, "maxIter");
  deepEqual(capped.lossIterations, [0, 5]);
  equal(await capped.run(), 0, "a finished fit runs no more");
  capped.close();
});

Deno.test("Fit: patience stops after that many checks in a row miss the best cost, across a resume", async () => {
  const gpu = await testGpu();
  // checks every 10: 100, 90, 95 and 92 miss the best (90), 80 beats it, then 85, 86, 87 miss
  const costs = [100, 90, 95, 92, 80, 85, 86, 87, 70, 60];
  const open = (patience: number, from: FitSnapshot | null = null) =>
    Fit.open(counter(gpu, (it) => costs[it / 10]), {
      maxIter: 90,
      tol: 0.01,
      checkEvery: 10,
      patience,
      output,
      from,
    });
  for (const [patience, end] of [[1, 20], [2, 30], [3, 70]]) {
    const fit = await open(patience);
    await fit.run();
    equal(fit.iteration, end, `patience ${patience}`);
    equal(fit.stopReason, "tol");
    fit.close();
  }
  const first = await open(3);
  equal(await first.run(60), 60);
  const snap = await first.snapshot();
  first.close();
  const resumed = await open(3, snap);
  await resumed.run();
  equal(resumed.iteration, 70, "the misses before the snapshot count after it");
  resumed.close();
});

Deno.test("Fit: tol 0 runs every iteration through rises of the cost, and says so once", async () => {
  const gpu = await testGpu();
  // Falls, rises by float-noise size at 30 and 50, falls again: as MU's cost in float32.
  const cost = (it: number) => 100 - it + (it === 30 || it === 50 ? 10.5 : 0);
  const fit = await Fit.open(counter(gpu, cost), { maxIter: 70, tol: 0, checkEvery: 10, output });
  await fit.run();
  const r = await fit.result();
  fit.close();
  deepEqual([r.nIter, r.stopReason], [70, "maxIter"]);
  equal(r.messages.length, 2, r.messages.join("\n"));
  match(
    r.messages[0],
    /^The cost rose from 80 to 80\.5 at iteration 30 \(\+6\.3e-3 relative\); with tol 0 the fit runs on to maxIter$/,
  );
  match(
    r.messages[1],
    /^The cost rose at 2 of 7 checks in all \(largest \+8\.3e-3 relative, at iteration 50\)$/,
  );
});

Deno.test("Fit: a NaN cost stops the run, says where, restores the state of the last check", async () => {
  const gpu = await testGpu();
  const fit = await Fit.open(counter(gpu, (it) => (it >= 23 ? NaN : 50 - it)), {
    maxIter: 100,
    tol: 0,
    checkEvery: 10,
    output,
  });
  await fit.run();
  const r = await fit.result();
  fit.close();
  equal(r.stopReason, "diverged");
  equal(r.converged, false);
  deepEqual(r.lossIterations, [0, 10, 20]);
  ok(/iteration 30.*iteration 20/.test(r.messages[0]), r.messages[0]);
  assertClose(r.factors, [20, 20, 20], 0, "state of iteration 20");
});

Deno.test("Fit: a non-finite initial cost is an Error (not an option error) that says what to check", async () => {
  const gpu = await testGpu();
  await rejects(
    () => Fit.open(counter(gpu, () => Infinity), { maxIter: 5, tol: 0, checkEvery: 1, output }),
    (e: Error) => e.constructor === Error && /initial cost is Infinity.*NaN or Inf/.test(e.message),
  );
});

Deno.test("Fit: runs cut anywhere, and snapshots taken between checks, give the same fit", async () => {
  const gpu = await testGpu();
  const errors = (it: number) => (it >= 47 ? NaN : 100 - it);
  const limits = { maxIter: 60, tol: 0, checkEvery: 10, output };
  const whole = await Fit.open(counter(gpu, errors), limits);
  await whole.run();
  const expected = await whole.result();
  whole.close();
  equal(expected.stopReason, "diverged");

  const cut = await Fit.open(counter(gpu, errors), limits);
  for (const n of [3, 7, 15]) await cut.run(n); // iteration 25: between checks
  const snap = await cut.snapshot();
  cut.close();
  equal(snap.iteration, 25);
  deepEqual(Array.from(snap.backup!.m.data), [20, 20, 20], "the state of the last check");
  const stored = JSON.parse(JSON.stringify({ ...snap, matrices: {}, backup: {} }));
  const resumed = await Fit.open(counter(gpu, errors), {
    ...limits,
    from: { ...stored, matrices: snap.matrices, backup: snap.backup },
  });
  await resumed.run();
  const r = await resumed.result();
  resumed.close();
  deepEqual(r, expected);
});

Deno.test("Fit: a snapshot that hit its iteration limit goes on under a larger one", async () => {
  const gpu = await testGpu();
  const limits = { tol: 0, checkEvery: 10, output };
  const short = await Fit.open(counter(gpu, (it) => 100 - it), { ...limits, maxIter: 25 });
  await short.run();
  const snap = await short.snapshot();
  short.close();
  equal(snap.stopReason, "maxIter");
  const longer = await Fit.open(counter(gpu, (it) => 100 - it), {
    ...limits,
    maxIter: 40,
    from: snap,
  });
  equal(longer.stopReason, null);
  equal(await longer.run(), 15);
  deepEqual(longer.lossIterations, [0, 10, 20, 25, 30, 40]);
  assertClose(await longer.factors(), [40, 40, 40], 0, "state");
  longer.close();
  const same = await Fit.open(counter(gpu, (it) => 100 - it), {
    ...limits,
    maxIter: 25,
    from: snap,
  });
  equal(same.stopReason, "maxIter");
  same.close();
});

Deno.test("Fit: a snapshot of another model or other shapes is refused, naming both", async () => {
  const gpu = await testGpu();
  const limits = { maxIter: 5, tol: 0, checkEvery: 1, output };
  const fit = await Fit.open(counter(gpu, () => 1), limits);
  const snap = await fit.snapshot();
  fit.close();
  await rejects(
    () => Fit.open(counter(gpu, () => 1, "other"), { ...limits, from: snap }),
    /snapshot is of model counter, not other/,
  );
  const wide = { ...snap, matrices: { m: { rows: 1, cols: 4, data: new Float32Array(4) } } };
  await rejects(
    () => Fit.open(counter(gpu, () => 1), { ...limits, from: wide }),
    /snapshot's m is 1 x 4; this fit's is 1 x 3/,
  );
});
