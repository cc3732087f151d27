// GEMM profiling. `deno task bench` runs these through `deno bench`; for a
// GFLOP/s table of every variant run `deno run -A bench/gemm_bench.ts`, and for
// split-K on the thin products `deno run -A bench/gemm_bench.ts --split`.
// Shapes: square 512³ and 1024³, and the NMF shapes of one MU step at d=4096,
// n=2000, k=100 (W·H, X·Hᵀ, Wᵀ·X and their transposed forms).

import { parseArgs } from "node:util";
import { gemm, GEMM_FAMILIES, type GemmVariantName } from "../gpu/gemm.ts";
import { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../factorize/seeded_random.ts";
import { adapterLine, bestOf, markdownTable, ms, timeBatch } from "./_bench_utils.ts";

interface Case {
  label: string;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  /** Too slow for a software adapter's table (137 GFLOP a GEMM). */
  gpuOnly?: boolean;
}

const CASES: Case[] = [
  { label: "512³", m: 512, k: 512, n: 512, transA: false, transB: false },
  { label: "1024³", m: 1024, k: 1024, n: 1024, transA: false, transB: false },
  { label: "1024³ Aᵀ", m: 1024, k: 1024, n: 1024, transA: true, transB: false },
  { label: "4096³", m: 4096, k: 4096, n: 4096, transA: false, transB: false, gpuOnly: true },
  { label: "W·H 4096x100·100x2000", m: 4096, k: 100, n: 2000, transA: false, transB: false },
  { label: "X·Hᵀ 4096x2000·(100x2000)ᵀ", m: 4096, k: 2000, n: 100, transA: false, transB: true },
  { label: "Wᵀ·X (4096x100)ᵀ·4096x2000", m: 100, k: 4096, n: 2000, transA: true, transB: false },
  { label: "4096x2000·2000x100", m: 4096, k: 2000, n: 100, transA: false, transB: false },
];

function setup(gpu: Gpu, c: Case) {
  const rand = seededRandom(7);
  const a = GpuMatrix.fromArray(
    gpu,
    c.transA ? c.k : c.m,
    c.transA ? c.m : c.k,
    randomArray(rand, c.m * c.k),
  );
  const b = GpuMatrix.fromArray(
    gpu,
    c.transB ? c.n : c.k,
    c.transB ? c.k : c.n,
    randomArray(rand, c.k * c.n),
  );
  const out = GpuMatrix.empty(gpu, c.m, c.n);
  return { a, b, out };
}

/** Seconds per GEMM, from `reps` GEMMs recorded in one submit after a warm-up. */
export async function timeGemm(
  gpu: Gpu,
  c: Case,
  variant: GemmVariantName,
  reps: number,
  splitK = 1,
): Promise<number> {
  const { a, b, out } = setup(gpu, c);
  const opts = { transA: c.transA, transB: c.transB, variant, splitK };
  const s = await timeBatch(gpu, () => gemm(a, b, out, opts), reps);
  a.dispose();
  b.dispose();
  out.dispose();
  return s;
}

/** The markdown table of every variant at every shape (best of `runs`). */
export async function gemmTable(gpu: Gpu, runs = 3): Promise<string> {
  const reps = gpu.adapter.isSoftware ? 3 : 50;
  const rows: string[][] = [];
  const families = GEMM_FAMILIES.filter((f) => f !== "subgroup" || gpu.hasSubgroups);
  for (const c of CASES.filter((c) => !c.gpuOnly || !gpu.adapter.isSoftware)) {
    for (const v of families) {
      const s = await bestOf(runs, () => timeGemm(gpu, c, v, reps));
      const gflops = (2 * c.m * c.n * c.k) / s / 1e9;
      rows.push([c.label, v, ms(s), gflops.toFixed(1)]);
    }
  }
  return `${adapterLine(gpu)}; best of ${runs} runs of ${reps} GEMMs in one submit\n\n` +
    markdownTable(["shape", "variant", "ms", "GFLOP/s"], rows);
}

/** Thin products with a long inner dimension: few output tiles, the case split-K is for. */
const SPLIT_CASES: Case[] = [
  { label: "X·Hᵀ 4096x5000·(100x5000)ᵀ", m: 4096, k: 5000, n: 100, transA: false, transB: true },
  { label: "Wᵀ·X (4096x100)ᵀ·4096x5000", m: 100, k: 4096, n: 5000, transA: true, transB: false },
  {
    label: "Hᵀ-style 100x50000·(100x50000)ᵀ",
    m: 100,
    k: 50000,
    n: 100,
    transA: false,
    transB: true,
  },
  { label: "X·Hᵀ 4096x50000·(100x50000)ᵀ", m: 4096, k: 50000, n: 100, transA: false, transB: true },
];

/**
 * The tiled kernels (64x64, and the double-buffered 64x128 whose one column of tiles covers
 * k = 100) with split-K pieces 1..32 on the thin products (best of `runs`); on a software
 * adapter only the first shape, the 64x64 kernel and pieces 1, 2, 4 (llvmpipe already runs
 * every tile on its few cores). What chooseGemmVariant's split-K rule is to be read from.
 */
export async function splitTable(gpu: Gpu, runs = 3): Promise<string> {
  const software = gpu.adapter.isSoftware;
  const reps = software ? 2 : 30;
  const rows: string[][] = [];
  for (const c of software ? SPLIT_CASES.slice(0, 1) : SPLIT_CASES) {
    const kernels: [GemmVariantName, number][] = [["tiled", 64], ["tiled_db_64x128", 128]];
    for (const [variant, bn] of software ? kernels.slice(0, 1) : kernels) {
      const tiles = Math.ceil(c.m / 64) * Math.ceil(c.n / bn);
      for (const splitK of software ? [1, 2, 4] : [1, 2, 4, 8, 16, 32]) {
        const s = await bestOf(runs, () => timeGemm(gpu, c, variant, reps, splitK));
        const gflops = (2 * c.m * c.n * c.k) / s / 1e9;
        rows.push([c.label, variant, `${tiles}`, `${splitK}`, ms(s), gflops.toFixed(1)]);
      }
    }
  }
  return `${adapterLine(gpu)}; best of ${runs} runs of ${reps} GEMMs in one submit\n\n` +
    markdownTable(["shape", "variant", "output tiles", "split-K pieces", "ms", "GFLOP/s"], rows);
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { split: { type: "boolean" } } });
  const gpu = await Gpu.create({ log: null });
  console.log(values.split ? await splitTable(gpu) : await gemmTable(gpu));
  gpu.destroy();
} else {
  let gpu: Gpu | null = null;
  for (const c of CASES.filter((c) => !c.gpuOnly)) {
    for (const v of GEMM_FAMILIES.filter((f) => f !== "subgroup")) { // the table times subgroup
      const gflop = (2 * c.m * c.n * c.k) / 1e9;
      let mats: ReturnType<typeof setup> | null = null;
      const opts = { transA: c.transA, transB: c.transB, variant: v };
      Deno.bench({
        name: `gemm ${v} ${c.label} (${gflop.toFixed(2)} GFLOP)`,
        group: c.label,
        async fn() {
          gpu ??= await Gpu.create({ log: null }); // setup falls in the warm-up
          mats ??= setup(gpu, c);
          gemm(mats.a, mats.b, mats.out, opts);
          await gpu.sync();
        },
      });
    }
  }
}
