// deno task selfcheck: names the adapter and checks one GEMM against the CPU.
import { gemm, Gpu, GpuMatrix, randomArray, seededRandom } from "../mod.ts";

const gpu = await Gpu.create({ log: (s) => console.log(s) });
const n = 256;
const rand = seededRandom(1);
const a = randomArray(rand, n * n, -1, 1);
const b = randomArray(rand, n * n, -1, 1);
const ga = GpuMatrix.fromArray(gpu, n, n, a);
const gb = GpuMatrix.fromArray(gpu, n, n, b);
const gc = GpuMatrix.empty(gpu, n, n);
gemm(ga, gb, gc);
const c = await gc.toArray();
let worst = 0;
for (let i = 0; i < n; i++) {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
    worst = Math.max(worst, Math.abs(s - c[i * n + j]));
  }
}
console.log(`GEMM ${n}x${n}x${n}: max abs error vs float64 CPU ${worst.toExponential(2)}`);
gpu.destroy();
if (worst > 1e-3) Deno.exit(1);
