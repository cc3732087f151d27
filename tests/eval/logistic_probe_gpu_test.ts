import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { logisticProbe } from "../../eval/logistic_probe.ts";
import { logisticProbeGpu } from "../../eval/logistic_probe_gpu.ts";
import { seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, testGpu } from "../_reference.ts";

/** k Gaussian blobs in f dimensions (class means 1.5 apart on random axes), unit noise. */
function blobs(n: number, f: number, k: number, seed: number) {
  const rand = seededRandom(seed);
  const normal = seededNormal(rand);
  const centres = Array.from({ length: k }, () => Array.from({ length: f }, () => 0.6 * normal()));
  const data = new Float32Array(n * f);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = Math.floor(rand() * k);
    for (let j = 0; j < f; j++) data[i * f + j] = 2 + centres[y[i]][j] + normal();
  }
  return { x: { data, rows: n, cols: f }, y };
}

// Sizes divide neither 4 (GEMM blocks) nor 64 (workgroups); blockRows 40 splits the
// training rows into 3 blocks, the last one padded.
for (const k of [2, 3]) {
  Deno.test(`logisticProbeGpu: ${k} classes match the CPU probe`, async () => {
    const gpu = await testGpu();
    const train = blobs(203, 13, k, 5 + k);
    const test = blobs(97, 13, k, 50 + k);
    for (const blockRows of [undefined, 40]) {
      const cpu = logisticProbe(train, test, { c: 0.5 });
      const g = await logisticProbeGpu(train, test, { c: 0.5, gpu, minGpuSize: 0, blockRows });
      ok(cpu.converged && g.converged, `converged cpu ${cpu.converged} gpu ${g.converged}`);
      // f32 logits and sums against float64: coefficients agree to about 1e-6 of the
      // largest (measured 4e-8..1.1e-6), within the L-BFGS tolerance's reach.
      assertClose(g.model.weights, cpu.model.weights, 1e-5, `k=${k} weights`);
      assertClose(g.model.bias, cpu.model.bias, 1e-5, `k=${k} bias`);
      equal(g.accuracy, cpu.accuracy);
      deepEqual(g.confusion, cpu.confusion);
      ok(Math.abs(g.loss - cpu.loss) <= 1e-6 * cpu.loss, `loss ${g.loss} vs ${cpu.loss}`);
    }
  });
}

Deno.test("logisticProbeGpu: cross-validation on the GPU scores like the CPU", async () => {
  const gpu = await testGpu();
  const train = blobs(150, 6, 3, 9);
  const test = blobs(50, 6, 3, 10);
  const cv = { cs: [0.01, 1], folds: 3 };
  const cpu = logisticProbe(train, test, { cv });
  const g = await logisticProbeGpu(train, test, { cv, gpu, minGpuSize: 0 });
  deepEqual(g.cvScores, cpu.cvScores);
  equal(g.c, cpu.c);
  assertClose(g.model.weights, cpu.model.weights, 1e-5, "weights");
});

Deno.test("logisticProbeGpu: below minGpuSize or without gpu it is the CPU probe", async () => {
  const gpu = await testGpu();
  const train = blobs(60, 5, 2, 1);
  const cpu = logisticProbe(train, train);
  const small = await logisticProbeGpu(train, train, { gpu });
  deepEqual(small.model.weights, cpu.model.weights);
  const none = await logisticProbeGpu(train, train, { minGpuSize: 0 });
  deepEqual(none.model.weights, cpu.model.weights);
  await rejects(
    () => logisticProbeGpu(train, train, { gpu, minGpuSize: 0, blockRows: 6 }),
    /option blockRows/,
  );
  await rejects(() => logisticProbeGpu(train, train, { minGpuSize: -1 }), /option minGpuSize/);
});
