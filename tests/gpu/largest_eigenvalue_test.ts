import { largestEigenvalue } from "../../gpu/largest_eigenvalue.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { symmetricEigen } from "../../factorize/symmetric_eigen.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { refGemm, testGpu, withEigenvalues } from "../_reference.ts";
import { throws as assertThrows } from "node:assert/strict";

// The upper bound U never underestimates: U >= λmax (1 − 1e-5) allows for f32 rounding only.
const UNDER = 1e-5;

/** Float64 Gram WᵀW of row-major W (d x k), rounded to f32. */
const gram32 = (w: Float32Array, d: number, k: number) =>
  Float32Array.from(refGemm(w, w, k, d, k, true));

/** λmax in float64: Jacobi (factorize/symmetric_eigen.ts) up to k = 200, else 500 power steps. */
function reference(a: Float32Array, k: number): number {
  if (k <= 200) return symmetricEigen(a, k).values[0];
  let v = new Float64Array(k).fill(1);
  let lambda = 0;
  for (let it = 0; it < 500; it++) {
    const w = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += a[i * k + j] * v[j];
      w[i] = s;
    }
    const norm = Math.hypot(...w);
    lambda = norm / Math.hypot(...v);
    v = w.map((x) => x / norm);
  }
  return lambda;
}

/** Out values of `calls` warm-started calls (the vector starts as zeros: restart at ones). */
async function bounds(a: Float32Array, k: number, calls: number, iterations = 8, shift = 0) {
  const gpu = await testGpu();
  const ga = GpuMatrix.fromArray(gpu, k, k, a);
  const v = GpuMatrix.fromArray(gpu, k, 1, new Float32Array(k));
  const out = GpuMatrix.empty(gpu, 1, 4);
  const results: Float32Array[] = [];
  for (let c = 0; c < calls; c++) {
    largestEigenvalue(ga, out, { vector: v, iterations, shift });
    results.push(await out.toArray());
  }
  for (const m of [ga, v, out]) m.dispose();
  return results;
}

function check(label: string, o: Float32Array, lambda: number, over: number, shift = 0): void {
  const [u, step, low] = o;
  const want = lambda + shift;
  if (!(u >= want * (1 - UNDER)) || !(u <= want * (1 + over))) {
    throw new Error(`${label}: upper ${u} vs λmax + shift ${want} (allowed over ${over})`);
  }
  if (!(low <= want * (1 + UNDER)) || Math.abs(step * u - 1) > 1e-6) {
    throw new Error(`${label}: lower ${low} or step ${step} inconsistent with ${want}`);
  }
}

Deno.test("largestEigenvalue: Grams of non-negative W (one dominant eigenvalue) vs float64", async () => {
  for (const k of [1, 7, 37, 100, 200, 512, 1024]) {
    const d = 2 * k + 3;
    const a = gram32(randomArray(seededRandom(k), d * k, 0, 1), d, k);
    const lambda = reference(a, k);
    // λ2/λ1 ~ 1/(3k): 8 iterations (5 at k = 1024, llvmpipe's loop budget) close both bounds.
    const [o] = await bounds(a, k, 1, k === 1024 ? 5 : 8);
    check(`k=${k}`, o, lambda, 1e-5);
    if (!(o[2] >= lambda * (1 - 1e-5))) throw new Error(`k=${k}: lower ${o[2]} vs ${lambda}`);
  }
});

Deno.test("largestEigenvalue: nearly degenerate non-negative matrices, tighter when warm", async () => {
  for (const k of [7, 37, 100, 200]) {
    // Two all-equal blocks coupled by 1e-4: λ1 − λ2 ~ 1e-4 k / 2 of λ1 ~ 1.
    const half = Math.ceil(k / 2);
    const a = new Float32Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) a[i * k + j] = (i < half) === (j < half) ? 1 / half : 1e-4;
    }
    const lambda = symmetricEigen(a, k).values[0];
    const calls = await bounds(a, k, 3);
    // Measured: the first call is within 1.2e-3 over, the third within 5e-4.
    check(`k=${k} first call`, calls[0], lambda, 3e-3);
    check(`k=${k} third call`, calls[2], lambda, 1e-3);
    if (calls[2][3] > calls[0][3]) throw new Error(`k=${k}: warm start widened the gap`);
  }
});

Deno.test("largestEigenvalue: signed matrices keep the guarantee; shift adds to both", async () => {
  for (const k of [7, 37, 100, 200]) {
    // Q diag(λ) Qᵀ (Householder Q) with λ1 = 1, λ2 = 0.999: entries of both signs.
    const rand = seededRandom(3 * k);
    const u = randomArray(rand, k, -1, 1);
    const lam = Array.from({ length: k }, (_, i) => (i === 0 ? 1 : i === 1 ? 0.999 : rand() / 2));
    const a = withEigenvalues(lam, u);
    const lambda = symmetricEigen(a, k).values[0];
    // U bounds ρ(|A|), here up to 13% above λmax (measured); it must still never be below.
    const [o] = await bounds(a, k, 1, 8, 0.25);
    check(`k=${k} signed`, o, lambda, 0.2, 0.25);
  }
});

Deno.test("largestEigenvalue: a NaN vector restarts; bad arguments and budgets throw", async () => {
  const gpu = await testGpu();
  const k = 9;
  const a = gram32(randomArray(seededRandom(1), 20 * k, 0, 1), 20, k);
  const ga = GpuMatrix.fromArray(gpu, k, k, a);
  const v = GpuMatrix.fromArray(gpu, k, 1, new Float32Array(k).fill(NaN));
  const out = GpuMatrix.empty(gpu, 1, 4);
  largestEigenvalue(ga, out, { vector: v });
  check("NaN start", await out.toArray(), symmetricEigen(a, k).values[0], 1e-5);
  assertThrows(() => largestEigenvalue(ga, out, { vector: out }), /k x 1/);
  assertThrows(() => largestEigenvalue(ga, ga, { vector: v }), /different/);
  assertThrows(() => largestEigenvalue(ga, out, { vector: v, iterations: 1.5 }), /iterations/);
  if (gpu.adapter.isSoftware) {
    const big = GpuMatrix.empty(gpu, 1024, 1024);
    const bv = GpuMatrix.empty(gpu, 1024, 1);
    assertThrows(() => largestEigenvalue(big, out, { vector: bv, iterations: 6 }), /fewer/);
    for (const m of [big, bv]) m.dispose();
  }
  for (const m of [ga, v, out]) m.dispose();
});
