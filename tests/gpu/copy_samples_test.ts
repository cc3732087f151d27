import { throws } from "node:assert/strict";
import { copySamples } from "../../gpu/copy_samples.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, testGpu } from "../_reference.ts";

// A copy: exact.
const TOL = 0;

Deno.test("copySamples: gathers and scatters columns and rows vs the CPU, sizes that divide nothing", async () => {
  const gpu = await testGpu();
  const rand = seededRandom(7);
  for (
    const [len, n, b, samplesAsRows] of [[3, 11, 5, false], [67, 101, 13, true], [
      1,
      9,
      9,
      false,
    ]] as const
  ) {
    const data = randomArray(rand, len * n, -1, 1);
    const a = samplesAsRows
      ? GpuMatrix.fromArray(gpu, n, len, data)
      : GpuMatrix.fromArray(gpu, len, n, data);
    const at = (s: number, e: number) => samplesAsRows ? data[s * len + e] : data[e * n + s];
    // b distinct samples in a seeded order, gathered to positions b−1 … 0
    const order = Array.from({ length: n }, (_, i) => i).sort(() => rand() - 0.5).slice(0, b);
    const pairs = gpu.pool.acquire(8 * (b + 2));
    // two unused pairs first: `first` skips them
    gpu.write(pairs, new Uint32Array([0, 0, 0, 0, ...order.flatMap((s, j) => [s, b - 1 - j])]));
    const batch = samplesAsRows ? GpuMatrix.empty(gpu, b, len) : GpuMatrix.empty(gpu, len, b);
    copySamples(a, batch, pairs, { count: b, first: 2, samplesAsRows });
    const want = new Float64Array(len * b);
    order.forEach((s, j) => {
      for (let e = 0; e < len; e++) {
        want[samplesAsRows ? (b - 1 - j) * len + e : e * b + (b - 1 - j)] = at(s, e);
      }
    });
    assertClose(await batch.toArray(), want, TOL, `gather ${len}x${n} -> ${b}`);
    // scattered back into zeros: the gathered samples return to their places, the rest stay 0
    const back = GpuMatrix.fromArray(gpu, a.rows, a.cols, new Float32Array(len * n));
    gpu.write(pairs, new Uint32Array(order.flatMap((s, j) => [b - 1 - j, s])));
    copySamples(batch, back, pairs, { count: b, samplesAsRows });
    const restored = new Float64Array(len * n);
    for (const s of order) {
      for (let e = 0; e < len; e++) {
        const i = samplesAsRows ? s * len + e : e * n + s;
        restored[i] = data[i];
      }
    }
    assertClose(await back.toArray(), restored, TOL, `scatter ${b} -> ${len}x${n}`);
    throws(() => copySamples(a, back, pairs, { count: b + 10, samplesAsRows }), /pair buffer/);
    for (const m of [a, batch, back]) m.dispose();
    gpu.pool.release(pairs);
  }
  const [a, out] = [GpuMatrix.empty(gpu, 2, 3), GpuMatrix.empty(gpu, 3, 3)];
  const pairs = gpu.pool.acquire(16);
  throws(() => copySamples(a, out, pairs, { count: 1 }), /differ in length/);
  [a, out].forEach((m) => m.dispose());
  gpu.pool.release(pairs);
});
