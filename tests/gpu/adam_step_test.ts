import { adamStep } from "../../gpu/adam_step.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { throws as assertThrows } from "node:assert/strict";

Deno.test("adamStep: three steps equal Kingma & Ba's Algorithm 1 in float64", async () => {
  const gpu = await testGpu();
  const rand = seededRandom(11);
  const [rows, cols] = [37, 29]; // 1073 entries: not a multiple of the 64-wide workgroups
  const size = rows * cols;
  const x = Float64Array.from(randomArray(rand, size, -1, 1));
  const m1 = new Float64Array(size);
  const m2 = new Float64Array(size);
  const gx = GpuMatrix.fromArray(gpu, rows, cols, Float32Array.from(x));
  const first = GpuMatrix.fromArray(gpu, rows, cols, new Float32Array(size));
  const second = GpuMatrix.fromArray(gpu, rows, cols, new Float32Array(size));
  const [lr, beta1, beta2, epsilon] = [0.01, 0.9, 0.999, 1e-8];
  for (let t = 1; t <= 3; t++) {
    const g = randomArray(rand, size, -2, 2);
    const grad = GpuMatrix.fromArray(gpu, rows, cols, g);
    const rate = lr * Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t);
    adamStep(gx, { grad, first, second, rate, beta1, beta2, epsilon });
    for (let i = 0; i < size; i++) {
      m1[i] = beta1 * m1[i] + (1 - beta1) * g[i];
      m2[i] = beta2 * m2[i] + (1 - beta2) * g[i] * g[i];
      // Algorithm 1 with bias-corrected moments; the folded rate equals it with ε / √(1 − β₂ᵗ).
      const mHat = m1[i] / (1 - beta1 ** t);
      const vHat = m2[i] / (1 - beta2 ** t);
      x[i] -= lr * mHat / (Math.sqrt(vHat) + epsilon / Math.sqrt(1 - beta2 ** t));
    }
    grad.dispose();
  }
  // f32 steps of size ~lr on values ~1: 1e-6 relative to the largest |x|.
  assertClose(await gx.toArray(), x, 1e-6, "x");
  assertClose(await first.toArray(), m1, 1e-6, "first moment");
  // 1 − β₂ is formed in f32 from β₂ = 0.999 stored as 0.99900001: 1.3e-5 relative.
  assertClose(await second.toArray(), m2, 3e-5, "second moment");
  for (const m of [gx, first, second]) m.dispose();
});

Deno.test("adamStep: a moment or gradient of another shape is a RangeError", async () => {
  const gpu = await testGpu();
  const x = GpuMatrix.empty(gpu, 2, 3);
  const other = GpuMatrix.empty(gpu, 3, 2);
  const opts = { grad: x, first: x, second: other, rate: 1, beta1: 0.9, beta2: 0.99, epsilon: 0 };
  assertThrows(() => adamStep(x, opts), /second is 3x2, expected the parameter's 2x3/);
  x.dispose();
  other.dispose();
});
