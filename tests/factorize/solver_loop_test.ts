import { runSolverLoop } from "../../factorize/solver_loop.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { elementwise } from "../../gpu/elementwise.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { deepEqual, equal, ok } from "node:assert/strict";

/** A stepper adding 1 to every entry of m; its error is `errors(iteration)`. */
function counter(m: GpuMatrix, errors: (it: number) => number) {
  let it = 0;
  return {
    step() {
      it++;
      elementwise("affine", m, { s: [1, 1] });
    },
    error: () => Promise.resolve(errors(it)),
  };
}

Deno.test("runSolverLoop: scikit-learn's tol rule every checkEvery iterations", async () => {
  const gpu = await testGpu();
  const m = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array(3));
  // error 100 / (1 + it): relative drop per 10 iterations falls below 0.05 at some check
  const r = await runSolverLoop([m], counter(m, (it) => 100 / (1 + it)), {
    maxIter: 1000,
    tol: 0.05,
    checkEvery: 10,
  });
  equal(r.stopReason, "tol");
  ok(r.converged);
  deepEqual(r.lossIterations, r.lossIterations.map((_, i) => 10 * i));
  const n = r.nIter;
  ok((100 / (n - 9) - 100 / (n + 1)) / 100 < 0.05, "stopped when the drop went under tol");
  ok((100 / (n - 19) - 100 / (n - 9)) / 100 >= 0.05, "not before");
  const capped = await runSolverLoop([m], counter(m, () => 1), {
    maxIter: 5,
    tol: -1,
    checkEvery: 10,
  });
  equal(capped.stopReason, "maxIter");
  equal(capped.converged, false);
  deepEqual(capped.lossIterations, [0, 5]);
  m.dispose();
});

Deno.test("runSolverLoop: a NaN error stops the run, says where, restores the last finite factors", async () => {
  const gpu = await testGpu();
  const m = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array(3));
  const r = await runSolverLoop([m], counter(m, (it) => (it >= 23 ? NaN : 50 - it)), {
    maxIter: 100,
    tol: 0,
    checkEvery: 10,
  });
  equal(r.stopReason, "diverged");
  equal(r.converged, false);
  deepEqual(r.lossIterations, [0, 10, 20]);
  ok(/iteration 30.*iteration 20/.test(r.messages[0]), r.messages[0]);
  assertClose(await m.toArray(), [20, 20, 20], 0, "factors of iteration 20");
  m.dispose();
});
