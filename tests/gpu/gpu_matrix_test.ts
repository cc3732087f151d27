import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { testGpu } from "../_reference.ts";
import { deepEqual, throws as assertThrows } from "node:assert/strict";

Deno.test("GpuMatrix.swap exchanges contents without a copy; other shapes are refused", async () => {
  const gpu = await testGpu();
  const a = GpuMatrix.fromArray(gpu, 2, 3, new Float32Array([1, 2, 3, 4, 5, 6]));
  const b = GpuMatrix.fromArray(gpu, 2, 3, new Float32Array([6, 5, 4, 3, 2, 1]));
  const [bufA, bufB] = [a.buffer, b.buffer];
  a.swap(b);
  deepEqual([a.buffer === bufB, b.buffer === bufA], [true, true]);
  deepEqual(Array.from(await a.toArray()), [6, 5, 4, 3, 2, 1]);
  deepEqual(Array.from(await b.toArray()), [1, 2, 3, 4, 5, 6]);
  const c = GpuMatrix.empty(gpu, 3, 2);
  assertThrows(() => a.swap(c), /Cannot swap matrix 2x3 with 3x2: shapes differ/);
  for (const m of [a, b, c]) m.dispose();
});
