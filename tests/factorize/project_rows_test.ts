import { projectRows } from "../../factorize/project_rows.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { symmetricEigen } from "../../factorize/symmetric_eigen.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { assertClose, refGemm, testGpu } from "../_reference.ts";
import { rejects } from "node:assert/strict";

// Relative to the largest entry the f32 projection is within 3e-7 of float64 on these data
// (one rank too few is off by 2e-2): 1e-5 leaves a 30x margin.
const TOL = 1e-5;

/** n x d rows Σ_c σ_c a_c b_cᵀ from seeded uniform [-1, 1] coefficients a_c (n) and b_c (d). */
function rows(n: number, d: number, sigma: number[], seed: number): Float32Array {
  const rank = sigma.length;
  const rand = seededRandom(seed);
  const a = randomArray(rand, n * rank, -1, 1);
  const b = randomArray(rand, rank * d, -1, 1);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let c = 0; c < rank; c++) v += sigma[c] * a[i * rank + c] * b[c * d + j];
      x[i * d + j] = v;
    }
  }
  return x;
}

Deno.test("projectRows: rank-r rows keep every inner product (float64 X Xᵀ), from an array or a GpuMatrix", async () => {
  const gpu = await testGpu();
  const [n, d, r] = [80, 30, 5];
  const x = rows(n, d, [5, 4, 3, 2, 1], 3);
  const want = refGemm(x, x, n, d, n, false, true);
  const gx = GpuMatrix.fromArray(gpu, n, d, x);
  for (const [label, input] of [["array", x], ["GpuMatrix", gx]] as const) {
    const p = await projectRows(gpu, input, d, r);
    if (p.length !== n * r) throw new Error(`${label}: ${p.length} values, expected ${n * r}`);
    assertClose(refGemm(p, p, n, r, n, false, true), want, TOL, `${label}: P Pᵀ vs X Xᵀ`);
  }
  gx.dispose();
});

Deno.test("projectRows: columns are the top r directions, PᵀP = diag of the largest eigenvalues of XᵀX", async () => {
  const gpu = await testGpu();
  const [n, d, r] = [90, 24, 4];
  const x = rows(n, d, [8, 6, 4, 3, 1, 0.5, 0.25], 7);
  const ref = symmetricEigen(refGemm(x, x, d, n, d, true, false), d).values;
  const p = await projectRows(gpu, x, d, r);
  const ptp = refGemm(p, p, r, n, r, true, false);
  const diag = new Float64Array(r * r);
  for (let c = 0; c < r; c++) diag[c * r + c] = ref[c];
  assertClose(ptp, diag, TOL, "PᵀP vs diag(λ1..λr of XᵀX)");
});

Deno.test("projectRows: no dim for an array, or r outside [1, min(d, n)], throws", async () => {
  const gpu = await testGpu();
  const x = rows(6, 4, [1, 1], 1);
  await rejects(() => projectRows(gpu, x, undefined, 2), /option dim is required with reduce/);
  for (const r of [0, 1.5, 5]) {
    await rejects(
      () => projectRows(gpu, x, 4, r),
      new RegExp(`option reduce is ${r}: .* \\[1, 4\\]`),
    );
  }
});
