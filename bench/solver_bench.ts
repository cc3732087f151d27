// Time per iteration of each NMF solver (mu, kl = mu with the KL loss, cd = HALS, pgd,
// als), of semi-NMF and of a Deep Semi-NMF fine-tuning sweep (layers 3k, k), at ORL size (n=400, d=4096, k=40) and at n=5000, d=4096, k=100,
// against the time of the same iteration's GEMMs alone (issue 8's target: at most 1.25x).
//
// `deno run -A bench/solver_bench.ts [--large] [--only <label part>]` prints the table. Per-iteration time is
// (t(long) − t(short)) / (long − short) for two fits with tol = 0 and the loss read only
// at the end, so upload, init and the final readback cancel out. The 5000 x 4096 size
// runs only with --large or on a hardware adapter (on llvmpipe it takes minutes).
// `deno task bench` times 10-iteration fits at ORL size (setup included; FACET_BENCH_LARGE=1
// adds the large size).

import { parseArgs } from "node:util";
import { gemm, type GemmOptions } from "../gpu/gemm.ts";
import { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { nmf } from "../factorize/nmf.ts";
import type { BetaLoss, NmfSolver } from "../factorize/nmf_options.ts";
import { semiNmf } from "../factorize/semi_nmf.ts";
import { deepSemiNmf } from "../factorize/deep_semi_nmf.ts";
import { randomArray, seededRandom } from "../factorize/seeded_random.ts";
import { adapterLine, markdownTable, ms, timeBatch } from "./_bench_utils.ts";

/** A problem size. */
export interface SolverSize {
  label: string;
  n: number;
  d: number;
  k: number;
}

/** ORL faces at 64x64 and a CelebA-like slice. */
export const SOLVER_SIZES: SolverSize[] = [
  { label: "ORL n=400 d=4096 k=40", n: 400, d: 4096, k: 40 },
  { label: "n=5000 d=4096 k=100", n: 5000, d: 4096, k: 100 },
];

type Mat =
  | "x"
  | "w"
  | "h"
  | "wh"
  | "kk"
  | "kk2"
  | "kn"
  | "kn2"
  | "dk"
  | "dk2"
  | "onesD"
  | "onesN"
  | "k1"
  | "z1"
  | "h1"
  | "z2"
  | "kk1"
  | "kk1b"
  | "kk3"
  | "k1n"
  | "k1n2"
  | "k1k1"
  | "dk1"
  | "dk1b"
  | "z2b"
  | "xb"
  | "h1b"
  | "hb"
  | "k1nb"
  | "k1nb2"
  | "knb"
  | "dk1c";
/** One GEMM of an iteration: c = op(a) op(b). */
type GemmSpec = [a: Mat, b: Mat, c: Mat, options?: GemmOptions];

interface SolverCase {
  label: string;
  solver?: NmfSolver;
  betaLoss?: BetaLoss;
  semi?: boolean;
  /** Deep Semi-NMF fine-tuning, layers [3k, k], from random factors (no pretraining). */
  deep?: boolean;
  /** With Adam on the relu model instead of the MATLAB sweeps. */
  adam?: boolean;
  /** With Adam: mini-batches of n / batches samples. */
  batches?: number;
  /** The GEMMs one iteration records (mirrors factorize/nmf_*.ts and semi_nmf.ts). */
  gemms: GemmSpec[];
}

const tA = { transA: true };
const tB = { transB: true };
const MU_GEMMS: GemmSpec[] = [
  ["w", "x", "kn", tA], // Wᵀ X
  ["w", "w", "kk", tA], // Wᵀ W
  ["kk", "h", "kn2"], // (WᵀW) H
  ["x", "h", "dk", tB], // X Hᵀ
  ["h", "h", "kk", tB], // H Hᵀ
  ["w", "kk", "dk2"], // W (HHᵀ)
];

const SOLVERS: SolverCase[] = [
  { label: "mu", solver: "mu", gemms: MU_GEMMS },
  {
    label: "kl (mu, KL loss)",
    solver: "mu",
    betaLoss: "kullback-leibler",
    gemms: [
      ["w", "h", "wh"], // W H, then X / WH
      ["w", "wh", "kn", tA], // Wᵀ (X / WH)
      ["w", "onesD", "k1", tA], // Wᵀ 1 (column sums)
      ["w", "h", "wh"],
      ["wh", "h", "dk", tB], // (X / WH) Hᵀ
      ["h", "onesN", "k1"], // H 1 (row sums)
    ],
  },
  {
    label: "cd (HALS)",
    solver: "cd",
    gemms: [["w", "w", "kk", tA], ["w", "x", "kn", tA], ["h", "h", "kk", tB], ["x", "h", "dk", tB]],
  },
  { label: "pgd", solver: "pgd", gemms: MU_GEMMS },
  {
    label: "als",
    solver: "als",
    gemms: [
      ["w", "w", "kk", tA],
      ["w", "x", "kn", tA],
      ["kk2", "kn", "kn2"], // (WᵀW)⁻¹ WᵀX
      ["h", "h", "kk", tB],
      ["x", "h", "dk", tB],
      ["dk", "kk2", "dk2"], // XHᵀ (HHᵀ)⁻¹
    ],
  },
  {
    label: "semi-NMF",
    semi: true,
    gemms: [
      ["h", "h", "kk", tB],
      ["x", "h", "dk", tB],
      ["dk", "kk2", "w"], // Z = XHᵀ (HHᵀ)⁻¹
      ["w", "w", "kk", tA],
      ["w", "x", "kn", tA],
      ["kk", "h", "kn2"], // [ZᵀZ]⁻ H
      ["kk2", "h", "kn2"], // [ZᵀZ]⁺ H
    ],
  },
  {
    // One sweep of factorize/deep_fine_tune.ts for m = 2 (Z₁: d x 3k, Z₂: 3k x k); its four
    // k x k inverses run on the GPU too (not GEMMs, so counted in ms/iter only).
    label: "Deep Semi-NMF fine-tuning [3k, k]",
    deep: true,
    gemms: [
      ["h", "h", "kk", tB], // H₂H₂ᵀ
      ["x", "h", "dk", tB], // P = X H₂ᵀ
      ["dk", "x", "kn", tA], // PᵀX
      ["z2", "z2", "kk2", tA], // C₁ᵀC₁ (C₁ = Z₂)
      ["kk2", "z2", "kk1", tB], // (C₁ᵀC₁)⁻¹ C₁ᵀ
      ["kk", "kk1", "kk1b"], // R₁ = (H₂H₂ᵀ)⁻¹ (C₁ᵀC₁)⁻¹ C₁ᵀ
      ["dk", "kk1b", "z1"], // Z₁ = P R₁
      ["kk1b", "kn", "k1n", tA], // Ψ₁ᵀX = R₁ᵀ (PᵀX)
      ["z1", "z1", "k1k1", tA], // Ψ₁ᵀΨ₁
      ["k1k1", "h1", "k1n2"], // H₁ update: [Ψ₁ᵀΨ₁]⁻ H₁
      ["k1k1", "h1", "k1n2"], // and [Ψ₁ᵀΨ₁]⁺ H₁
      ["kk1b", "kk1b", "kk2", tB], // R₁R₁ᵀ
      ["kk2", "kk", "kk3"], // (R₁R₁ᵀ)⁻¹ R₂
      ["kk1b", "kk3", "z2", tA], // Z₂ = R₁ᵀ (R₁R₁ᵀ)⁻¹ R₂
      ["kk", "kn", "kn2", tA], // Ψ₂ᵀX = R₂ᵀ (PᵀX)
      ["dk", "kk", "dk2"], // Ψ₂ = P R₂
      ["dk2", "dk2", "kk2", tA], // Ψ₂ᵀΨ₂
      ["kk2", "h", "kn2"], // H₂ update: [Ψ₂ᵀΨ₂]⁻ H₂
      ["kk2", "h", "kn2"], // and [Ψ₂ᵀΨ₂]⁺ H₂
    ],
  },
  {
    // One Adam step of factorize/deep_gradient.ts on the relu model, m = 2: the backward
    // pass, the forward pass, and ~20 elementwise passes (moments, steps, relu and its slope).
    label: "Deep Semi-NMF Adam step, relu [3k, k]",
    deep: true,
    adam: true,
    gemms: [
      ["z1", "z1", "k1k1", tA], // Z₁ᵀZ₁
      ["z1", "x", "k1n", tA], // Z₁ᵀX
      ["k1k1", "h1", "k1n2"], // dH₁ = 2 (Z₁ᵀZ₁ H₁ − Z₁ᵀX)
      ["h1", "h1", "k1k1", tB], // H₁H₁ᵀ
      ["x", "h1", "dk1", tB], // X H₁ᵀ
      ["z1", "k1k1", "dk1b"], // dZ₁ = 2 (Z₁ H₁H₁ᵀ − X H₁ᵀ)
      ["k1n2", "h", "z2b", tB], // dZ₂ = dP₁ H₂ᵀ
      ["z2", "k1n2", "kn", tA], // dH₂ = Z₂ᵀ dP₁
      ["z2", "h", "k1n"], // forward: P₁ = Z₂ H₂
    ],
  },
  {
    // The same step on a mini-batch of n / 4 samples (factorize/deep_mini_batch.ts): the
    // gradient's GEMMs at batch size, the forward pass over all n (it keeps the state whole),
    // and the gathers and scatters of X, H₁, P₁, H₂, H̃ and H̃'s moments.
    label: "Deep Semi-NMF Adam step, relu [3k, k], batch n/4",
    deep: true,
    adam: true,
    batches: 4,
    gemms: [
      ["z1", "z1", "k1k1", tA],
      ["z1", "xb", "k1nb", tA],
      ["k1k1", "h1b", "k1nb2"],
      ["h1b", "h1b", "k1k1", tB],
      ["xb", "h1b", "dk1", tB],
      ["z1", "k1k1", "dk1c"],
      ["k1nb2", "hb", "z2b", tB],
      ["z2", "k1nb2", "knb", tA],
      ["z2", "h", "k1n"], // forward over all n
    ],
  },
];

function _data(size: SolverSize): Float32Array {
  return randomArray(seededRandom(3), size.d * size.n, 0, 1);
}

/** Random Z₁ (d x 3k), Z₂ (3k x k) and H₁, H₂ >= 0: fine-tuning without pretraining. */
function _deepStart(size: SolverSize) {
  const { d, n, k } = size;
  const rand = seededRandom(7);
  const m = (rows: number, cols: number, lo: number) => ({
    rows,
    cols,
    data: randomArray(rand, rows * cols, lo, 1),
  });
  return {
    layers: [3 * k, k],
    init: "custom" as const,
    Z: [m(d, 3 * k, -1), m(3 * k, k, -1)],
    H: [m(3 * k, n, 0), m(k, n, 0)],
  };
}

/** Seconds of one fit of `iters` iterations (tol 0, loss read at the end only). */
async function _fit(gpu: Gpu, c: SolverCase, size: SolverSize, x: Float32Array, iters: number) {
  const input = { data: x, d: size.d, n: size.n };
  const common = { maxIter: iters, tol: 0, checkEvery: 1e9, seed: 0 };
  const t0 = performance.now();
  const r = c.deep
    ? await deepSemiNmf(gpu, input, {
      ..._deepStart(size),
      ...common,
      normalize: false,
      ...(c.adam ? { optimizer: "adam", activation: "relu" } as const : {}),
      ...(c.batches ? { batchSize: size.n / c.batches } : {}),
    })
    : c.semi
    ? await semiNmf(gpu, input, { ...common, rank: size.k, init: "random" })
    : await nmf(gpu, input, {
      ...common,
      rank: size.k,
      solver: c.solver,
      betaLoss: c.betaLoss,
      init: "random",
    });
  const s = (performance.now() - t0) / 1000;
  if (r.nIter !== iters) throw new Error(`${c.label}: ran ${r.nIter} of ${iters} iterations`);
  return s;
}

/** GEMM FLOPs of one iteration of `c`. */
function _gemmFlops(c: SolverCase, size: SolverSize): number {
  const dims = _dims(size);
  return c.gemms.reduce((sum, [a, b, , o]) => {
    const [ar, ac] = dims[a];
    const [br, bc] = dims[b];
    const [m, kk] = o?.transA ? [ac, ar] : [ar, ac];
    const n = o?.transB ? br : bc;
    return sum + 2 * m * kk * n;
  }, 0);
}

function _dims(s: SolverSize): Record<Mat, [number, number]> {
  const { d, n, k } = s;
  return {
    x: [d, n],
    w: [d, k],
    h: [k, n],
    wh: [d, n],
    kk: [k, k],
    kk2: [k, k],
    kn: [k, n],
    kn2: [k, n],
    dk: [d, k],
    dk2: [d, k],
    onesD: [d, 1],
    onesN: [n, 1],
    k1: [k, 1],
    z1: [d, 3 * k],
    h1: [3 * k, n],
    z2: [3 * k, k],
    kk1: [k, 3 * k],
    kk1b: [k, 3 * k],
    kk3: [k, k],
    k1n: [3 * k, n],
    k1n2: [3 * k, n],
    k1k1: [3 * k, 3 * k],
    dk1: [d, 3 * k],
    dk1b: [d, 3 * k],
    z2b: [3 * k, k],
    xb: [d, n / 4],
    h1b: [3 * k, n / 4],
    hb: [k, n / 4],
    k1nb: [3 * k, n / 4],
    k1nb2: [3 * k, n / 4],
    knb: [k, n / 4],
    dk1c: [d, 3 * k],
  };
}

/** Seconds of one iteration's GEMMs alone: `reps` iterations' worth in one submit. */
export async function timeIterationGemms(
  gpu: Gpu,
  c: SolverCase,
  size: SolverSize,
  reps: number,
): Promise<number> {
  const rand = seededRandom(5);
  const mats = {} as Record<Mat, GpuMatrix>;
  for (const [name, [r, cols]] of Object.entries(_dims(size))) {
    if (!c.gemms.some(([a, b, out]) => [a, b, out].includes(name as Mat))) continue;
    mats[name as Mat] = GpuMatrix.fromArray(gpu, r, cols, randomArray(rand, r * cols, 0, 1));
  }
  const record = () => c.gemms.forEach(([a, b, out, o]) => gemm(mats[a], mats[b], mats[out], o));
  try {
    return await timeBatch(gpu, record, reps);
  } finally {
    Object.values(mats).forEach((m) => m.dispose());
  }
}

/** Options of {@linkcode solverTable}. */
export interface SolverTableOptions {
  /** Include n=5000 on a software adapter. Default false (always included on hardware). */
  large?: boolean;
  /** Repeats of each measurement; the best is kept. Default 3. */
  runs?: number;
  /** Only the solvers whose label contains this. Default all. */
  only?: string;
}

/** The markdown table of per-iteration times, GEMM-only times and their ratio. */
export async function solverTable(gpu: Gpu, options: SolverTableOptions = {}): Promise<string> {
  const runs = options.runs ?? 3;
  const sw = gpu.adapter.isSoftware;
  const sizes = SOLVER_SIZES.filter((_, i) => i === 0 || options.large || !sw);
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const size of sizes) {
    const big = size.n * size.k > 400 * 40;
    // Iteration counts of the short and long fits; fewer on llvmpipe at the large size.
    const [short, long] = sw && big ? [2, 6] : sw ? [10, 30] : [20, 120];
    const sizeRuns = sw && big ? 1 : runs;
    const x = _data(size);
    for (const c of SOLVERS.filter((c) => c.label.includes(options.only ?? ""))) {
      await _fit(gpu, c, size, x, 1); // compile outside the timing
      // Interleaved runs, best of each: a busy spell on the shared machine hits all three alike.
      let [tShort, tLong, gemmS] = [Infinity, Infinity, Infinity];
      for (let r = 0; r < sizeRuns; r++) {
        tShort = Math.min(tShort, await _fit(gpu, c, size, x, short));
        tLong = Math.min(tLong, await _fit(gpu, c, size, x, long));
        gemmS = Math.min(gemmS, await timeIterationGemms(gpu, c, size, sw && big ? 3 : 10));
      }
      const perIter = Math.max(tLong - tShort, 0) / (long - short);
      const flops = _gemmFlops(c, size);
      rows.push([
        size.label,
        c.label,
        ms(perIter),
        ms(gemmS),
        (perIter / gemmS).toFixed(2),
        (flops / 1e9).toFixed(2),
        (flops / perIter / 1e9).toFixed(1),
      ]);
    }
    notes.push(`${size.label}: (t(${long}) − t(${short})) / ${long - short}, best of ${sizeRuns}`);
  }
  if (sw && !options.large) notes.push("n=5000 skipped on a software adapter (pass --large)");
  return `${adapterLine(gpu)}; ${notes.join("; ")}\n\n` +
    markdownTable(
      [
        "size",
        "solver",
        "ms/iter",
        "GEMMs alone ms",
        "ratio (target <= 1.25)",
        "GEMM GFLOP/iter",
        "GFLOP/s",
      ],
      rows,
    );
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { large: { type: "boolean" }, only: { type: "string" } },
  });
  const gpu = await Gpu.create({ log: null });
  console.log(await solverTable(gpu, { large: values.large, only: values.only }));
  gpu.destroy();
} else {
  let gpu: Gpu | null = null;
  const large = Deno.env.get("FACET_BENCH_LARGE") === "1";
  for (const size of SOLVER_SIZES.slice(0, large ? 2 : 1)) {
    let x: Float32Array | null = null;
    for (const c of SOLVERS) {
      Deno.bench({
        name: `${c.label} ${size.label}: 10 iterations incl. upload, random init, readback`,
        group: size.label,
        n: 3,
        warmup: 1,
        async fn() {
          gpu ??= await Gpu.create({ log: null });
          x ??= _data(size);
          await _fit(gpu, c, size, x, 10);
        },
      });
    }
  }
}
