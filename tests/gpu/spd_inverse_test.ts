import { spdInverse } from "../../gpu/spd_inverse.ts";
import { SpdStatus, spdStatusMessage } from "../../gpu/spd_status.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { invertSpd } from "../../factorize/cholesky.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, refGemm, testGpu, withEigenvalues } from "../_reference.ts";
import { throws as assertThrows } from "node:assert/strict";

// Well-conditioned SPD (Gram of a d x k uniform [-1, 1] matrix, d = 3k + 5, condition ~15):
// the f32 inverse is within 2.2e-6 of float64 relative to the largest |entry| up to k = 1024;
// 2e-5 leaves a 10x margin.
const TOL = 2e-5;

/** Float64 Gram WᵀW of row-major W (d x k), rounded to f32 as the GPU Gram would be. */
const gram32 = (w: Float32Array, d: number, k: number) =>
  Float32Array.from(refGemm(w, w, k, d, k, true));

function wellConditioned(k: number, seed: number): Float32Array {
  const d = 3 * k + 5;
  return gram32(randomArray(seededRandom(seed), d * k, -1, 1), d, k);
}

/** Q diag(λ) Qᵀ with a Householder Q: symmetric with eigenvalues λ, not diagonal. */
const withSpectrum = (lambda: number[], seed: number) =>
  withEigenvalues(lambda, randomArray(seededRandom(seed), lambda.length, -1, 1));

async function gpuInverse(
  a: Float32Array,
  k: number,
  options: { shift?: number; ridge?: number; maxGrow?: number } = {},
) {
  const gpu = await testGpu();
  const ga = GpuMatrix.fromArray(gpu, k, k, a);
  const out = GpuMatrix.empty(gpu, k, k);
  const status = SpdStatus.create(gpu);
  spdInverse(ga, out, { status, ...options });
  const x = await out.toArray();
  const st = await status.matrix.toArray();
  for (const m of [ga, out, status]) m.dispose();
  return { x, status: st };
}

Deno.test("spdInverse: well-conditioned SPD vs float64 invertSpd, no ridge growth", async () => {
  for (const k of [1, 7, 37, 100, 200, 256, 1024]) {
    const a = wellConditioned(k, k);
    const { x, status } = await gpuInverse(a, k);
    assertClose(x, invertSpd(a, k).x, TOL, `k=${k}`);
    if (status[0] !== 0 || status[1] !== 0 || status[2] !== 1) {
      throw new Error(`k=${k}: status ${status}, expected [0, 0, 1, 1e-10]`);
    }
    if (spdStatusMessage(status) !== null) throw new Error(`k=${k}: a message without growth`);
  }
});

Deno.test("spdInverse: shift and ridge options match invertSpd of A + shift I", async () => {
  const k = 53;
  const a = wellConditioned(k, 5);
  const shift = 40;
  const shifted = Float64Array.from(a);
  for (let i = 0; i < k; i++) shifted[i * k + i] += shift;
  const { x } = await gpuInverse(a, k, { shift, ridge: 1e-3 });
  assertClose(x, invertSpd(shifted, k, { ridge: 1e-3 }).x, TOL, "shift 40, ridge 1e-3");
});

Deno.test("spdInverse: in place (out is A) and the status folds calls until reset", async () => {
  const gpu = await testGpu();
  const k = 37;
  const good = wellConditioned(k, 9);
  const indefinite = withSpectrum(Array.from({ length: k }, (_, i) => (i ? 1 + i : -1e-2)), 3);
  const ga = GpuMatrix.fromArray(gpu, k, k, good);
  const gb = GpuMatrix.fromArray(gpu, k, k, indefinite);
  const out = GpuMatrix.empty(gpu, k, k);
  const status = SpdStatus.create(gpu);
  spdInverse(gb, out, { status }); // λmin = -1e-2, mean diagonal ~19: grows 7 times, to 1e-3
  spdInverse(ga, ga, { status }); // no growth: the maximum stays
  const report = GpuMatrix.empty(gpu, 1, 6);
  status.copyInto(report, 2);
  const both = await report.toArray();
  const st = both.slice(2);
  assertClose(await ga.toArray(), invertSpd(good, k).x, TOL, "in place");
  const want = invertSpd(indefinite, k).message;
  if (st[0] !== 7 || st[1] !== 0 || st[2] !== 2 || spdStatusMessage(st) !== want) {
    throw new Error(`status ${st} gives "${spdStatusMessage(st)}", expected 7 growths: "${want}"`);
  }
  status.reset();
  spdInverse(ga, out, { status });
  const after = await status.matrix.toArray();
  if (after[0] !== 0 || after[2] !== 1) throw new Error(`after reset: ${after}`);
  for (const m of [ga, gb, out, status, report]) m.dispose();
});

Deno.test("spdInverse: indefinite matrices grow the ridge exactly as solveSpd does", async () => {
  for (const k of [7, 37, 100, 200]) {
    // Mean diagonal ~1.5; λmin = -3e-4 needs a relative ridge above 2e-4: 1e-3, in f32 and f64.
    const lambda = Array.from({ length: k }, (_, i) => (i === 0 ? -3e-4 : 1 + i / k));
    const a = withSpectrum(lambda, k);
    const { x, status } = await gpuInverse(a, k);
    const cpu = invertSpd(a, k);
    const msg = spdStatusMessage(status);
    if (msg !== cpu.message || status[0] !== 7) {
      throw new Error(`k=${k}: GPU says "${msg}" (status ${status}), CPU "${cpu.message}"`);
    }
    // The inverse has eigenvalue 1/(-3e-4 + 1e-3 · 1.5): condition ~1e3, so 1e3 x the tolerance.
    assertClose(x, cpu.x, 1e3 * TOL, `k=${k} inverse at the grown ridge`);
  }
});

Deno.test("spdInverse: rank-deficient Gram grows the ridge as solveSpd does, or one decade more", async () => {
  for (const k of [37, 100, 200]) {
    const d = Math.floor(k / 2) + 5;
    const a = gram32(randomArray(seededRandom(k), d * k, -1, 1), d, k);
    const { x, status } = await gpuInverse(a, k);
    // The f32 rounding of A leaves its null space with eigenvalues ~±1e-7 of the mean diagonal,
    // so float64 solveSpd on the same values grows too (to 1e-7 or 1e-6); the f32 factorization's
    // own rounding (~k eps) may need one decade more.
    const cpu = invertSpd(a, k);
    let trace = 0;
    for (let i = 0; i < k; i++) trace += Math.abs(a[i * k + i]);
    const cpuGrow = Math.round(Math.log10(cpu.ridge / (trace / k) / 1e-10));
    const msg = spdStatusMessage(status);
    const agrees = status[0] === cpuGrow ? msg === cpu.message : status[0] === cpuGrow + 1;
    if (cpuGrow < 1 || status[1] !== 0 || !agrees) {
      throw new Error(`k=${k}: GPU says "${msg}" (status ${status}), CPU "${cpu.message}"`);
    }
    const ref = invertSpd(a, k, { ridge: 1e-10 * 10 ** status[0] }).x;
    if (!x.every(Number.isFinite)) throw new Error(`k=${k}: non-finite entries in the inverse`);
    // Condition ~1e7 at that ridge: only a relative Frobenius error (measured 0.06-0.25) is
    // meaningful, and says the null-space part 1/(ridge · s) is right.
    let err = 0;
    let norm = 0;
    for (let i = 0; i < k * k; i++) {
      err += (x[i] - ref[i]) ** 2;
      norm += ref[i] ** 2;
    }
    if (!(Math.sqrt(err / norm) < 0.5)) {
      throw new Error(`k=${k}: relative Frobenius error ${Math.sqrt(err / norm)} >= 0.5`);
    }
  }
});

Deno.test("spdInverse: NaN input gives up, writes zeros and says what solveSpd throws", async () => {
  for (const k of [1, 7, 100]) {
    const a = wellConditioned(k, 2 * k);
    a[k * k - 1 - (k > 1 ? 1 : 0)] = NaN; // lower triangle (the diagonal when k = 1)
    const { x, status } = await gpuInverse(a, k);
    if (!x.every((v) => v === 0)) throw new Error(`k=${k}: the inverse of a NaN input is not 0`);
    let thrown = "";
    try {
      invertSpd(a, k);
    } catch (e) {
      thrown = (e as Error).message;
    }
    const msg = spdStatusMessage(status) ?? "";
    if (status[1] !== 1 || status[0] !== 12 || !thrown || !msg.startsWith(thrown)) {
      throw new Error(`k=${k}: status ${status} says "${msg}", solveSpd threw "${thrown}"`);
    }
  }
});

Deno.test("spdInverse: bad shapes, bad options and k over the software limit throw", async () => {
  const gpu = await testGpu();
  const status = SpdStatus.create(gpu);
  const a = GpuMatrix.empty(gpu, 3, 4);
  const b = GpuMatrix.empty(gpu, 3, 3);
  assertThrows(() => spdInverse(a, b, { status }), /square/);
  assertThrows(() => spdInverse(b, b, { status, maxGrow: -1 }), /maxGrow/);
  if (gpu.adapter.isSoftware) {
    const big = GpuMatrix.empty(gpu, 1025, 1025);
    assertThrows(() => spdInverse(big, big, { status }), /limit of 1024/);
    big.dispose();
  }
  for (const m of [a, b, status]) m.dispose();
});
