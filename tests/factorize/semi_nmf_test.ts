import { semiNmf } from "../../factorize/semi_nmf.ts";
import { randomArray, seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, refGemm, testGpu } from "../_reference.ts";
import { mat, refSemi } from "./_nmf_reference.ts";
import { ok, rejects } from "node:assert/strict";

/** X = Z H with Z of both signs, H >= 0. */
function mixedData(d: number, n: number, k: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const normal = seededNormal(rand);
  const z = Float32Array.from({ length: d * k }, normal);
  const h = randomArray(rand, k * n);
  return Float32Array.from(refGemm(z, h, d, k, n));
}

// Cholesky solve in float64, products in f32, 3 iterations: within 1e-3 of float64.
Deno.test("semi-NMF: 3 iterations match a float64 CPU implementation", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [23, 17, 3];
  const x = mixedData(d, n, k, 1);
  const h0 = randomArray(seededRandom(2), k * n, 0.1, 1);
  const r = await semiNmf(gpu, { data: x, d, n }, {
    rank: k,
    init: "custom",
    H: { rows: k, cols: n, data: h0 },
    maxIter: 3,
    tol: 0,
  });
  let h = mat(k, n, h0);
  let z = mat(d, k, []);
  for (let i = 0; i < 3; i++) [z, h] = refSemi(mat(d, n, x), h);
  assertClose(r.factors.W.data, z.v, 1e-3, "Z");
  assertClose(r.factors.H.data, h.v, 1e-3, "H");
});

Deno.test("semi-NMF beats the best rank-k NMF on data with negative entries", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [40, 30, 4];
  const x = mixedData(d, n, k, 3);
  const semi = await semiNmf(gpu, { data: x, d, n }, { rank: k, maxIter: 100 });
  ok(semi.factors.H.data.every((v) => v >= 0), "H >= 0");
  ok(semi.factors.W.data.some((v) => v < 0), "Z has negative entries");
  // Any W H >= 0 is at least |x| away from every negative x, so the best rank-k NMF has
  // ‖X − WH‖² >= Σ_{x<0} x².
  let negMass = 0;
  for (const v of x) if (v < 0) negMass += v * v;
  const nmfBound = Math.sqrt(negMass);
  ok(semi.loss.at(-1)! < 0.5 * nmfBound, `semi ${semi.loss.at(-1)} vs NMF >= ${nmfBound}`);
  for (let i = 1; i < semi.loss.length; i++) {
    ok(semi.loss[i] <= semi.loss[i - 1] * (1 + 1e-5), `semi-NMF loss rose: ${semi.loss}`);
  }
});

Deno.test("semi-NMF: bad options", async () => {
  const gpu = await testGpu();
  const x = { data: new Float32Array(12), d: 4, n: 3 };
  await rejects(() => semiNmf(gpu, x, { rank: 0 }), /Option rank/);
  await rejects(() => semiNmf(gpu, x, { rank: 4 }), /Option rank 4 is larger/);
  await rejects(() => semiNmf(gpu, x, { rank: 2, maxIter: 1.5 }), /Option maxIter/);
  await rejects(() => semiNmf(gpu, x, { rank: 2, init: "custom" }), TypeError);
});
