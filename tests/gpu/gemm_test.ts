import { gemm, GEMM_FAMILIES, type GemmVariantName } from "../../gpu/gemm.ts";
import { Gpu } from "../../gpu/gpu.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, refGemm, testGpu } from "../_reference.ts";

// The subgroup family runs only where the adapter has subgroups (not llvmpipe): tested below
// under Deno when it does, and in headless Chromium's SwiftShader by tests/web/subgroup_gemm_test.ts.
const WORKGROUP_FAMILIES = GEMM_FAMILIES.filter((f) => f !== "subgroup");
import { throws as assertThrows } from "node:assert/strict";

// f32 accumulation over k terms of products of values in [-1, 1]: relative to the
// largest |C|, the error stays well under 1e-5 * sqrt(k); 1e-4 holds for k <= 2000
// and 2e-4 for k = 20000.
const TOL = 1e-4;

const SIZES = [1, 7, 17, 63, 65, 129, 300];
// register4 takes multiples of 4 only; these still do not divide its 8x8 blocks or 64-wide groups.
const SIZES4 = [4, 12, 20, 60, 68, 132, 300];

// The double-buffered kernels load vec4s, so they need A's and B's rows to start at multiples
// of 4: their operands are stored with rows padded to 4 by NaN (which must never be read) and
// used as column views, so m, n and k still divide nothing.
const padded = (family: GemmVariantName) => family.startsWith("tiled_db");

/** A rows x cols matrix as the family needs it: itself, or a view of NaN-padded rows. */
function upload(gpu: Gpu, family: GemmVariantName, rows: number, cols: number, x: Float32Array) {
  if (!padded(family)) return { m: GpuMatrix.fromArray(gpu, rows, cols, x) };
  const ld = Math.ceil(cols / 4) * 4;
  const data = new Float32Array(rows * ld).fill(NaN);
  for (let r = 0; r < rows; r++) data.set(x.subarray(r * cols, (r + 1) * cols), r * ld);
  return { m: GpuMatrix.fromArray(gpu, rows, ld, data), cols: [0, cols] as const };
}

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
  splitK = 1,
) {
  const gpu = await testGpu();
  const rand = seededRandom(m * 7919 + k * 104729 + n * 31 + (transA ? 1 : 0) + (transB ? 2 : 0));
  const a = randomArray(rand, m * k, -1, 1);
  const b = randomArray(rand, k * n, -1, 1);
  const c0 = randomArray(rand, m * n, -1, 1);
  const ga = upload(gpu, family, transA ? k : m, transA ? m : k, a);
  const gb = upload(gpu, family, transB ? n : k, transB ? k : n, b);
  const gc = GpuMatrix.fromArray(gpu, m, n, c0);
  const views = { aCols: ga.cols, bCols: gb.cols };
  gemm(ga.m, gb.m, gc, { transA, transB, alpha, beta, variant: family, splitK, ...views });
  const got = await gc.toArray();
  const want = refGemm(a, b, m, k, n, transA, transB).map((v, i) => alpha * v + beta * c0[i]);
  const label = `${family} ${m}x${k}x${n} transA=${transA} transB=${transB} splitK=${splitK}`;
  assertClose(got, want, tol, label);
  for (const g of [ga.m, gb.m, gc]) g.dispose();
}

for (const family of WORKGROUP_FAMILIES) {
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

/** Columns [s, e) of a rows x cols row-major array, as a contiguous array. */
function _cols(x: Float32Array, rows: number, cols: number, s: number, e: number): Float32Array {
  const out = new Float32Array(rows * (e - s));
  for (let r = 0; r < rows; r++) out.set(x.subarray(r * cols + s, r * cols + e), r * (e - s));
  return out;
}

// op(A) m x k times op(B) k x n into C, each a column range of a wider matrix with `extra` more
// columns (A's from s, B's from extra - s, C's from s; A's and B's rows padded to 4 for the
// vec4 loaders); the columns of C outside its range must stay as they were.
async function checkViews(
  family: GemmVariantName,
  m: number,
  k: number,
  n: number,
  s: number,
  splitK = 1,
) {
  const gpu = await testGpu();
  const extra = family === "register4" || padded(family) ? 8 : 5;
  const ld = (cols: number) => padded(family) ? Math.ceil((cols + extra) / 4) * 4 : cols + extra;
  const rand = seededRandom(m * 31 + k * 17 + n + s);
  for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
    const [ar, ac] = transA ? [k, m] : [m, k];
    const [br, bc] = transB ? [n, k] : [k, n];
    const a = randomArray(rand, ar * ld(ac), -1, 1);
    const b = randomArray(rand, br * ld(bc), -1, 1);
    const c0 = randomArray(rand, m * (n + extra), -1, 1);
    const ga = GpuMatrix.fromArray(gpu, ar, ld(ac), a);
    const gb = GpuMatrix.fromArray(gpu, br, ld(bc), b);
    const gc = GpuMatrix.fromArray(gpu, m, n + extra, c0);
    gemm(ga, gb, gc, {
      transA,
      transB,
      alpha: 1.5,
      beta: 0.5,
      variant: family,
      splitK,
      aCols: [s, s + ac],
      bCols: [extra - s, extra - s + bc],
      cCols: [s, s + n],
    });
    const prod = refGemm(
      _cols(a, ar, ld(ac), s, s + ac),
      _cols(b, br, ld(bc), extra - s, extra - s + bc),
      m,
      k,
      n,
      transA,
      transB,
    );
    const want = Float64Array.from(c0);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const idx = i * (n + extra) + s + j;
        want[idx] = 1.5 * prod[i * n + j] + 0.5 * c0[idx];
      }
    }
    const label = `${family} views ${m}x${k}x${n} at ${s} transA=${transA} transB=${transB}`;
    assertClose(await gc.toArray(), want, TOL, label);
    for (const g of [ga, gb, gc]) g.dispose();
  }
}

for (const family of WORKGROUP_FAMILIES) {
  Deno.test(`gemm ${family}: column views of A, B and C in place`, async () => {
    if (family === "register4") {
      await checkViews(family, 20, 12, 68, 4);
      await checkViews(family, 68, 132, 20, 8);
    } else if (padded(family)) {
      await checkViews(family, 17, 7, 65, 4);
      await checkViews(family, 65, 129, 17, 8);
    } else {
      await checkViews(family, 17, 7, 65, 3);
      await checkViews(family, 65, 129, 17, 2);
    }
  });
}

Deno.test("gemm tiled kernels with split-K: pieces of k summed, all transposes, alpha/beta, views", async () => {
  for (const splitK of [2, 3, 7]) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      await check("tiled", 65, 300, 17, ta, tb, 1, 0, TOL, splitK);
      await check("tiled", 5, 1029, 129, ta, tb, -1.5, 0.5, TOL, splitK);
    }
    await checkViews("tiled", 65, 129, 17, 2, splitK);
  }
  await check("tiled", 12, 20000, 8, true, false, 1, 0.25, 2e-4, 4); // pieces of 5008
  await check("tiled", 7, 20, 9, false, false, 1, 0, TOL, 64); // more pieces asked than k-steps
  // The double-buffered kernels take pieces of the same 16-multiple (two of their 8-deep steps).
  for (const [ta, tb] of [[false, false], [true, true]]) {
    await check("tiled_db_64x128", 65, 300, 17, ta, tb, 1, 0, TOL, 3);
    await check("tiled_db_128x128", 5, 1029, 129, ta, tb, -1.5, 0.5, TOL, 7);
  }
});

Deno.test("gemm split-K: bad pieces, other families and oversized pieces are RangeErrors", async () => {
  const gpu = await testGpu();
  const a = GpuMatrix.empty(gpu, 4, 20000);
  const b = GpuMatrix.empty(gpu, 20000, 4);
  const c = GpuMatrix.empty(gpu, 4, 4);
  assertThrows(() => gemm(a, b, c, { variant: "tiled", splitK: 0 }), /splitK must be an integer/);
  assertThrows(
    () => gemm(a, b, c, { variant: "register", splitK: 2 }),
    /needs a tiled GEMM variant/,
  );
  assertThrows(() => gemm(a, b, c, { variant: "tiled", splitK: 2 }), /pieces of 10000 > 8192/);
  for (const m of [a, b, c]) m.dispose();
});

Deno.test("gemm: misaligned views fall back from register4 or are refused by it", async () => {
  const gpu = await testGpu();
  const rand = seededRandom(5);
  const a = randomArray(rand, 8 * 10, -1, 1);
  const ga = GpuMatrix.fromArray(gpu, 8, 10, a);
  const gc = GpuMatrix.empty(gpu, 8, 8);
  assertThrows(
    () => gemm(ga, ga, gc, { transB: true, aCols: [1, 9], bCols: [1, 9], variant: "register4" }),
    /register4 needs views of A and B whose column offsets and row lengths are multiples of 4/,
  );
  assertThrows(() => gemm(ga, ga, gc, { transB: true, aCols: [4, 3] }), /Option aCols \[4, 3\]/);
  gemm(ga, ga, gc, { transB: true, aCols: [1, 9], bCols: [1, 9] }); // 8x8x8: register4 by size
  const v = _cols(a, 8, 10, 1, 9);
  assertClose(await gc.toArray(), refGemm(v, v, 8, 8, 8, false, true), TOL, "fallback");
  ga.dispose();
  gc.dispose();
});

Deno.test("gemm: a double-buffered family falls back to tiled on misaligned views", async () => {
  const gpu = await Gpu.create({ log: null, gemm: "tiled_db_64x64" });
  const ran: string[] = [];
  const dispatch = gpu.dispatch.bind(gpu);
  gpu.dispatch = (variant, ...rest) => {
    ran.push(variant.name);
    return dispatch(variant, ...rest);
  };
  const rand = seededRandom(6);
  const a = randomArray(rand, 9 * 12, -1, 1);
  const ga = GpuMatrix.fromArray(gpu, 9, 12, a);
  const gc = GpuMatrix.empty(gpu, 9, 9);
  for (const [start, want] of [[4, "gemm_tiled_db_64x64_nt"], [1, "gemm_tiled_nt"]] as const) {
    const cols = [start, start + 7] as const;
    gemm(ga, ga, gc, { transB: true, aCols: cols, bCols: cols });
    const x = _cols(a, 9, 12, start, start + 7);
    assertClose(await gc.toArray(), refGemm(x, x, 9, 7, 9, false, true), TOL, `views at ${start}`);
    if (ran.at(-1) !== want) throw new Error(`views at ${start} ran ${ran.at(-1)}, not ${want}`);
  }
  assertThrows(
    () =>
      gemm(ga, ga, gc, { transB: true, aCols: [1, 8], bCols: [1, 8], variant: "tiled_db_128x64" }),
    /tiled_db_128x64 needs views of A and B whose column offsets and row lengths are multiples of 4: use variant tiled/,
  );
  gpu.destroy();
});

// The epilogue is the stores shared by every kernel file (gemm_common.wgsl); each file is tested
// once with it, the double-buffered file at its cheapest tile (its larger tiles differ only in
// the generated loads and FMAs, tested above).
const EPILOGUE_FAMILIES: GemmVariantName[] = ["register", "register4", "tiled", "tiled_db_64x64"];

for (const family of EPILOGUE_FAMILIES) {
  Deno.test(`gemm ${family}: fused MU and clamp epilogues against float64`, async () => {
    const gpu = await testGpu();
    const [m, k, n] = family === "register4" ? [68, 20, 132] : [65, 17, 129];
    for (const [transA, transB] of [[true, false], [false, true]]) {
      const rand = seededRandom(m + k + n + (transA ? 1 : 2));
      const a = randomArray(rand, m * k, -1, 1);
      const b = randomArray(rand, k * n, -1, 1);
      const num = randomArray(rand, m * n, 0, 2);
      const fac = randomArray(rand, m * n, 0, 1);
      const { m: ga, cols: aCols } = upload(gpu, family, transA ? k : m, transA ? m : k, a);
      const { m: gb, cols: bCols } = upload(gpu, family, transB ? n : k, transB ? k : n, b);
      const gc = GpuMatrix.fromArray(gpu, m, n, num);
      const gf = GpuMatrix.fromArray(gpu, m, n, fac);
      const prod = refGemm(a, b, m, k, n, transA, transB);
      const [alpha, l1, l2, floor] = [1.5, 0.1, 0.2, 0.05]; // products below 0 hit the floor
      const mu = { op: "mu" as const, factor: gf, l1, l2, floor };
      const common = { transA, transB, alpha, variant: family, aCols, bCols };
      gemm(ga, gb, gc, { ...common, epilogue: mu });
      const wantMu = prod.map((v, i) =>
        fac[i] * num[i] / Math.max(alpha * v + l1 + l2 * fac[i], floor)
      );
      const label = `${family} mu transA=${transA} transB=${transB}`;
      // The ratio's relative error is the denominator's: TOL of |P| over a floor of 0.05.
      assertClose(await gc.toArray(), wantMu, TOL * 40, label);
      gc.write(num);
      const clamp = { op: "clampMin" as const, min: 0.25 };
      gemm(ga, gb, gc, { ...common, beta: -0.5, epilogue: clamp });
      const wantClamp = prod.map((v, i) => Math.max(alpha * v - 0.5 * num[i], 0.25));
      assertClose(await gc.toArray(), wantClamp, TOL, `${family} clampMin`);
      for (const x of [ga, gb, gc, gf]) x.dispose();
    }
  });
}

Deno.test("gemm epilogue: split-K, beta, a long inner size and a bad factor are RangeErrors", async () => {
  const gpu = await testGpu();
  const a = GpuMatrix.empty(gpu, 4, 9000);
  const b = GpuMatrix.empty(gpu, 9000, 4);
  const c = GpuMatrix.empty(gpu, 4, 4);
  const f = GpuMatrix.empty(gpu, 4, 4);
  const mu = { op: "mu" as const, factor: f, floor: 1e-12 };
  const short = { aCols: [0, 4] as const, bCols: [0, 4] as const, transB: true };
  assertThrows(
    () => gemm(a, b, c, { variant: "tiled", splitK: 2, epilogue: mu }),
    /Option epilogue mu cannot be fused with splitK/,
  );
  assertThrows(() => gemm(a, b, c, { epilogue: mu }), /inner size of at most 8192, got 9000/);
  assertThrows(() => gemm(a, a, c, { ...short, beta: 1, epilogue: mu }), /numerator: drop beta/);
  assertThrows(
    () => gemm(a, a, c, { ...short, epilogue: { ...mu, factor: c } }),
    /cannot update its factor in place/,
  );
  assertThrows(
    () => gemm(a, a, c, { ...short, cCols: [0, 4], epilogue: mu }),
    /factor of C's shape \(4x4\) and C without cCols/,
  );
  for (const x of [a, b, c, f]) x.dispose();
});

Deno.test("gemm subgroup: against float64 where the adapter has subgroups, else refused", async () => {
  const gpu = await testGpu();
  if (!gpu.hasSubgroups) {
    const a = GpuMatrix.empty(gpu, 4, 4);
    const c = GpuMatrix.empty(gpu, 4, 4);
    assertThrows(
      () => gemm(a, a, c, { variant: "subgroup" }),
      /GEMM variant subgroup needs an adapter with subgroups; .* has none: use tiled/,
    );
    a.dispose();
    c.dispose();
    return;
  }
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    for (const s of [1, 17, 65, 300]) await check("subgroup", s, s, s, ta, tb, 1.5, -0.5);
    await check("subgroup", 1024, 40, 300, ta, tb);
    await check("subgroup", 40, 1024, 300, ta, tb);
  }
  await check("subgroup", 12, 9000, 7, false, false, 1, 0.25, 2e-4); // over one k-chunk
});
