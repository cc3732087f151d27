import { gemm, type GemmVariantName } from "../../gpu/gemm.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, refGemm, testGpu } from "../_reference.ts";
import { throws as assertThrows } from "node:assert/strict";

// f32 accumulation over k terms of products of values in [-1, 1]: relative to the
// largest |C|, the error stays well under 1e-5 * sqrt(k); 1e-4 holds for k <= 2000
// and 2e-4 for k = 20000.
const TOL = 1e-4;
const FAMILIES: GemmVariantName[] = ["register", "register4", "tiled"];
const SIZES = [1, 7, 17, 63, 65, 129, 300];
// register4 takes multiples of 4 only; these still do not divide its 8x8 blocks or 64-wide groups.
const SIZES4 = [4, 12, 20, 60, 68, 132, 300];

async function check(
  family: GemmVariantName,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  alpha = 1,
  beta = 0,
  tol = TOL,
) {
  const gpu = await testGpu();
  const rand = seededRandom(m * 7919 + k * 104729 + n * 31 + (transA ? 1 : 0) + (transB ? 2 : 0));
  const a = randomArray(rand, m * k, -1, 1);
  const b = randomArray(rand, k * n, -1, 1);
  const c0 = randomArray(rand, m * n, -1, 1);
  const ga = GpuMatrix.fromArray(gpu, transA ? k : m, transA ? m : k, a);
  const gb = GpuMatrix.fromArray(gpu, transB ? n : k, transB ? k : n, b);
  const gc = GpuMatrix.fromArray(gpu, m, n, c0);
  gemm(ga, gb, gc, { transA, transB, alpha, beta, variant: family });
  const got = await gc.toArray();
  const want = refGemm(a, b, m, k, n, transA, transB).map((v, i) => alpha * v + beta * c0[i]);
  assertClose(got, want, tol, `${family} ${m}x${k}x${n} transA=${transA} transB=${transB}`);
  ga.dispose();
  gb.dispose();
  gc.dispose();
}

for (const family of FAMILIES) {
  Deno.test(`gemm ${family}: square sizes not dividing the blocks, all transposes`, async () => {
    for (const s of family === "register4" ? SIZES4 : SIZES) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) await check(family, s, s, s, transA, transB);
      }
    }
  });

  Deno.test(`gemm ${family}: rectangular NMF-like shapes`, async () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      await check(family, 1024, 40, 300, ta, tb);
      await check(family, 40, 1024, 300, ta, tb);
      if (family !== "register4") await check(family, 5, 3, 129, ta, tb);
      else await check(family, 4, 12, 132, ta, tb);
    }
  });

  Deno.test(`gemm ${family}: alpha and beta`, async () => {
    await check(family, 68, 16, 60, false, false, 2.5, 0.5);
    await check(family, 68, 16, 60, true, true, -1, 1);
  });

  Deno.test(`gemm ${family}: inner size over one k-chunk (split across dispatches)`, async () => {
    await check(family, 12, 20000, 8, true, false, 1, 0.25, 2e-4);
    await check(family, 12, 20000, 8, false, true, 1, 0, 2e-4);
  });
}

Deno.test("gemm: shape mismatches are RangeErrors naming the shapes", async () => {
  const gpu = await testGpu();
  const a = GpuMatrix.empty(gpu, 2, 3);
  const c = GpuMatrix.empty(gpu, 2, 2);
  assertThrows(() => gemm(a, a, c), /Cannot multiply A \(2x3\) by B \(2x3\)/);
  assertThrows(
    () => gemm(a, a, c, { transA: true }),
    /Cannot store Aᵀ \(3x2\) times B \(2x3\) in C \(2x2\)/,
  );
  assertThrows(() => gemm(c, c, c), /must be a different matrix/);
  assertThrows(
    () => gemm(a, a, GpuMatrix.empty(gpu, 2, 2), { transB: true, variant: "register4" }),
    /register4 needs sizes that are multiples of 4, got 2x3 times 3x2/,
  );
  a.dispose();
  c.dispose();
});
