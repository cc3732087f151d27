/**
 * General matrix multiply on the GPU: C = alpha * op(A) * op(B) + beta * C.
 *
 * @module
 */

import { fillTemplate } from "./fill_template.ts";
import { GEMM_DEVICE_FAMILIES, type GemmFamily, type Gpu, type KernelVariant } from "./gpu.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import gemmCommonWgsl from "./gemm_common.wgsl" with { type: "text" };
import gemmRegisterWgsl from "./gemm_register.wgsl" with { type: "text" };
import gemmRegister4Wgsl from "./gemm_register4.wgsl" with { type: "text" };
import gemmTiledWgsl from "./gemm_tiled.wgsl" with { type: "text" };
import gemmTiledDbWgsl from "./gemm_tiled_db.wgsl" with { type: "text" };
import gemmSubgroupWgsl from "./gemm_subgroup.wgsl" with { type: "text" };
import gemmSplitSumWgsl from "./gemm_split_sum.wgsl" with { type: "text" };
import { linearGrid } from "./linear_grid.ts";

/**
 * GEMM kernel families: `register` and `register4` (its vec4 form) for CPU adapters, `tiled`
 * (64x64 tiles) for GPUs, `tiled_db_<BM>x<BN>`: BM x BN tiles with double-buffered workgroup
 * memory and vec4 loads (views of A and B aligned to 4, else `tiled`), and `subgroup`
 * (256 x 16 tiles, op(B) shared by subgroupShuffle instead of workgroup memory) on adapters
 * with subgroups ({@linkcode Gpu.hasSubgroups}).
 */
export type GemmVariantName = GemmFamily | "register4";

/** Block tile (rows x columns of C per workgroup) of each double-buffered family. */
const DB_TILES: Partial<Record<GemmVariantName, readonly [number, number]>> = {
  tiled_db_64x64: [64, 64],
  tiled_db_128x128: [128, 128],
  tiled_db_128x64: [128, 64],
  tiled_db_64x128: [64, 128],
};

/** Every family, for benchmarks and tests. */
export const GEMM_FAMILIES: readonly GemmVariantName[] = ["register4", ...GEMM_DEVICE_FAMILIES];

/** Whether a family stages tiles in workgroup memory (and so takes split-K). */
function isTiled(family: GemmVariantName): boolean {
  return family === "tiled" || family in DB_TILES;
}

/** Options of {@linkcode gemm}. */
export interface GemmOptions {
  /** Use Aᵀ instead of A. Default false. */
  transA?: boolean;
  /** Use Bᵀ instead of B. Default false. */
  transB?: boolean;
  /** Scale of the product. Default 1. */
  alpha?: number;
  /** Scale of the old C; 0 ignores its contents (even NaN). Default 0. */
  beta?: number;
  /** Kernel family; default {@linkcode chooseGemmVariant} for the adapter. */
  variant?: GemmVariantName;
  /** Use only columns [start, end) of the stored A (before `transA`). Default all. */
  aCols?: readonly [number, number];
  /** Use only columns [start, end) of the stored B (before `transB`). Default all. */
  bCols?: readonly [number, number];
  /** Write only columns [start, end) of C; the other columns are untouched. Default all. */
  cCols?: readonly [number, number];
  /**
   * Split-K (tiled variants only): the inner dimension in this many pieces, each a layer of
   * workgroups writing its own partial product, summed by a second pass. For thin products
   * (X Hᵀ with k = 100, n large) whose few output tiles leave most of a GPU idle. Default 1;
   * at most {@linkcode GEMM_MAX_SPLITS}. Not chosen automatically until measured on a GPU
   * (bench/gemm_bench.ts --split).
   */
  splitK?: number;
  /**
   * An elementwise step fused into the stores, so that C makes one trip through memory
   * instead of three. Not with `splitK` or an inner dimension over {@linkcode GEMM_K_CHUNK}.
   */
  epilogue?: GemmEpilogue;
}

/**
 * Elementwise steps fused into a GEMM's stores, with P = alpha op(A) op(B):
 * - `clampMin`: C = max(P + beta C, min), e.g. a least-squares solve projected on x >= 0;
 * - `mu`: C = F ⊙ C / max(P + l1 + l2 F, floor), Lee & Seung's multiplicative update with
 *   C holding the numerator (Wᵀ X) on entry, P the denominator's product (Wᵀ W H) and F the
 *   current factor, of C's stored shape, column views not allowed; C ends as the updated
 *   factor (F itself cannot be C, which other workgroups are still reading); beta must be 0.
 */
export type GemmEpilogue =
  | { op: "clampMin"; min: number }
  | { op: "mu"; factor: GpuMatrix; l1?: number; l2?: number; floor: number };

/** WGSL of each epilogue: the stored expression and its extra declarations. */
const EPILOGUES = {
  affine: { expr: "affine(idx, v)", extra: "" },
  clampMin: { expr: "max(affine(idx, v), p.s0)", extra: "" },
  mu: {
    expr: "fac[idx] * c[idx] / max(p.alpha * v + p.s0 + p.s1 * fac[idx], p.s2)",
    extra: "@group(0) @binding(3) var<storage, read> fac: array<f32>;",
  },
};

type EpilogueName = keyof typeof EPILOGUES;

/** Most pieces of {@linkcode GemmOptions.splitK}. */
export const GEMM_MAX_SPLITS = 64;

/** A column range of a stored matrix: element (r, c) at offset + r * ld + c. */
interface _View {
  rows: number;
  cols: number;
  offset: number;
  ld: number;
}

function _view(name: string, m: GpuMatrix, range: readonly [number, number] | undefined): _View {
  if (!range) return { rows: m.rows, cols: m.cols, offset: 0, ld: m.cols };
  const [start, end] = range;
  if (
    !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > m.cols || start >= end
  ) {
    throw new RangeError(
      `Option ${name}Cols [${start}, ${end}] is not a non-empty column range of ${name.toUpperCase()} ` +
        `(${m.rows}x${m.cols})`,
    );
  }
  return { rows: m.rows, cols: end - start, offset: start, ld: m.cols };
}

interface GemmShape {
  m: number;
  n: number;
  /** Layers of workgroups (split-K pieces). Default 1. */
  z?: number;
}

/**
 * Largest k-range one dispatch covers. llvmpipe silently ends an invocation
 * after 65,535 loop iterations in total, so long inner dimensions are split
 * into chunks accumulated with beta = 1.
 */
export const GEMM_K_CHUNK = 8192;

const SOURCES = {
  register: gemmRegisterWgsl,
  register4: gemmRegister4Wgsl,
  tiled: gemmTiledWgsl,
  tiledDb: gemmTiledDbWgsl,
  subgroup: gemmSubgroupWgsl,
};

/** The common part (uniforms and stores) with an epilogue, prepended to every kernel. */
function common(epilogue: EpilogueName): Record<string, string | number> {
  const { expr, extra } = EPILOGUES[epilogue];
  return { EPILOGUE: expr, EXTRA: extra, UNIFORM_BINDING: extra ? 4 : 3 };
}

function indexA(transA: boolean): string {
  return transA ? "p.offA + k * p.lda + i" : "p.offA + i * p.lda + k";
}
function indexB(transB: boolean): string {
  return transB ? "p.offB + j * p.ldb + k" : "p.offB + k * p.ldb + j";
}

const R = [0, 1, 2, 3, 4, 5, 6, 7];
const KK = [0, 1, 2, 3];
const XYZW = "xyzw";

/** WGSL defining a0..a7 = op(A)[r, k..k+3] from vec4 loads along A's contiguous dimension. */
function loadA4(transA: boolean): string {
  if (!transA) return R.map((r) => `    let a${r} = a[oa4 + r${r} * lda4 + q];`).join("\n");
  const loads = KK.map((kk) =>
    `    let al${kk} = a[oa4 + (k + ${kk}u) * lda4 + rlo]; let ah${kk} = a[oa4 + (k + ${kk}u) * lda4 + rhi];`
  );
  const rows = R.map((r) => {
    const src = r < 4 ? "al" : "ah";
    const comps = KK.map((kk) => `${src}${kk}.${XYZW[r % 4]}`).join(", ");
    return `    let a${r} = vec4<f32>(${comps});`;
  });
  return [...loads, ...rows].join("\n");
}

/** WGSL defining b{kk}l, b{kk}h = op(B)[k + kk, j0..j0+7] from vec4 loads. */
function loadB4(transB: boolean): string {
  if (!transB) {
    return KK.map((kk) =>
      `    let b${kk}l = b[ob4 + (k + ${kk}u) * ldb4 + slo]; let b${kk}h = b[ob4 + (k + ${kk}u) * ldb4 + shi];`
    ).join("\n");
  }
  const loads = R.map((j) => `    let bt${j} = b[ob4 + s${j} * ldb4 + q];`);
  const rows = KK.flatMap((kk) => [
    `    let b${kk}l = vec4<f32>(${[0, 1, 2, 3].map((j) => `bt${j}.${XYZW[kk]}`).join(", ")});`,
    `    let b${kk}h = vec4<f32>(${[4, 5, 6, 7].map((j) => `bt${j}.${XYZW[kk]}`).join(", ")});`,
  ]);
  return [...loads, ...rows].join("\n");
}

/**
 * The generated parts of gemm_tiled_db.wgsl for a bm x bn tile. Per k-step the 256
 * invocations load bm*8 values of op(A) and bn*8 of op(B) as vec4s along the stored rows,
 * consecutive invocations at consecutive addresses (bm*2 and bn*2 loads: at bm = 64 half the
 * invocations load A). A vec4 along k is staged lane by lane, one along the tile whole. Each
 * invocation owns (bm/64) x (bn/64) blocks of 4x4 of C.
 */
function tiledDbParts(bm: number, bn: number, transA: boolean, transB: boolean) {
  const load: string[] = [];
  const stage: string[] = [];
  // One operand's `count` vec4 loads; pos(e): (row or column in the tile, k) of load e.
  const share = (
    count: number,
    reg: string,
    fn: (x: string, k: string) => string,
    smem: string,
    width: number,
    alongK: boolean,
  ) => {
    const pos = (e: string) =>
      alongK
        ? [`${e} / 2u`, `(${e} % 2u) * 4u`]
        : [`(${e} % ${width / 4}u) * 4u`, `${e} / ${width / 4}u`];
    const loads = Math.ceil(count / 256);
    for (let q = 0; q < loads; q++) {
      const [x, k] = pos(`(t + ${q * 256}u)`);
      const guard = (q + 1) * 256 > count ? `if (t < ${count - q * 256}u) ` : "";
      load.push(`  ${guard}{ ${reg}[${q}] = ${fn(x, k)}; }`);
      const at = (kk: string) => `${smem}[s][(${kk}) * ${width / 4}u + x / 4u]`;
      const writes = alongK
        ? [0, 1, 2, 3].map((l) => `${at(`${k} + ${l}u`)}[x % 4u] = ${reg}[${q}].${XYZW[l]};`)
          .join(" ")
        : `${at(k)} = ${reg}[${q}];`;
      stage.push(`  ${guard}{ let x = ${x}; ${writes} }`);
    }
    return loads;
  };
  // Stored A is m x k (rows along k) or, transposed, k x m; stored B k x n or n x k.
  const aLoads = share(bm * 2, "ra", (i, k) => `load_a(${i}, kb, ${k})`, "as_", bm, !transA);
  const bLoads = share(bn * 2, "rb", (j, k) => `load_b(kb, ${k}, ${j})`, "bs_", bn, transB);
  const rb4 = bm / 64;
  const cb4 = bn / 64;
  const fma: string[] = [];
  for (let r = 0; r < rb4; r++) {
    fma.push(`      let a${r} = as_[s][kk * ${bm / 4}u + ${r * 16}u + lid.y];`);
  }
  for (let c = 0; c < cb4; c++) {
    fma.push(`      let b${c} = bs_[s][kk * ${bn / 4}u + ${c * 16}u + lid.x];`);
  }
  for (let r = 0; r < rb4; r++) {
    for (let rr = 0; rr < 4; rr++) {
      for (let c = 0; c < cb4; c++) {
        const slot = (r * 4 + rr) * cb4 + c;
        fma.push(`      acc[${slot}] += a${r}.${XYZW[rr]} * b${c};`);
      }
    }
  }
  return {
    BM: bm,
    BN: bn,
    A_VECS: bm * 2,
    B_VECS: bn * 2,
    A_LOADS: aLoads,
    B_LOADS: bLoads,
    A_LOAD: `keep(a[(${indexA(transA)}) / 4u], ${transA ? "i, p.M" : "k, k_hi"})`,
    B_LOAD: `keep(b[(${indexB(transB)}) / 4u], ${transB ? "k, k_hi" : "j, p.N"})`,
    ACC: rb4 * cb4 * 4,
    LOAD: load.join("\n"),
    STAGE: stage.join("\n"),
    FMA: fma.join("\n"),
    CB4: cb4,
  };
}

const variants = new Map<string, KernelVariant<GemmShape>>();

/** The kernel variant for a family, transpose combination and epilogue (cached). */
function gemmVariant(
  family: GemmVariantName,
  transA: boolean,
  transB: boolean,
  epilogue: EpilogueName = "affine",
): KernelVariant<GemmShape> {
  const ep = epilogue === "affine" ? "" : `_${epilogue}`;
  const name = `gemm_${family}_${transA ? "t" : "n"}${transB ? "t" : "n"}${ep}`;
  let v = variants.get(name);
  if (v) return v;
  if (family === "register4") {
    const wg = [8, 8, 1] as const;
    v = {
      name,
      wgsl: fillTemplate(gemmCommonWgsl + SOURCES.register4, {
        ...common(epilogue),
        LOAD_A: loadA4(transA),
        LOAD_B: loadB4(transB),
        WG_X: wg[0],
        WG_Y: wg[1],
      }),
      workgroupSize: wg,
      dispatch: ({ m, n }) => [Math.ceil(n / (8 * wg[0])), Math.ceil(m / (8 * wg[1])), 1],
    };
  } else if (family === "register") {
    const wg = [8, 8, 1] as const;
    v = {
      name,
      wgsl: fillTemplate(gemmCommonWgsl + SOURCES.register, {
        ...common(epilogue),
        A_INDEX: indexA(transA),
        B_INDEX: indexB(transB),
        WG_X: wg[0],
        WG_Y: wg[1],
      }),
      workgroupSize: wg,
      dispatch: ({ m, n }) => [Math.ceil(n / (8 * wg[0])), Math.ceil(m / (8 * wg[1])), 1],
    };
  } else if (family === "subgroup") {
    v = {
      name,
      wgsl: fillTemplate(gemmCommonWgsl + SOURCES.subgroup, {
        ...common(epilogue),
        A_INDEX: indexA(transA),
        B_INDEX: indexB(transB),
      }),
      workgroupSize: [64, 1, 1],
      dispatch: ({ m, n }) => [Math.ceil(n / 16), Math.ceil(m / 256), 1],
      subgroups: true,
    };
  } else if (family in DB_TILES) {
    const [bm, bn] = DB_TILES[family]!;
    v = {
      name,
      wgsl: fillTemplate(gemmCommonWgsl + SOURCES.tiledDb, {
        ...common(epilogue),
        ...tiledDbParts(bm, bn, transA, transB),
      }),
      workgroupSize: [16, 16, 1],
      dispatch: ({ m, n, z }) => [Math.ceil(n / bn), Math.ceil(m / bm), z ?? 1],
    };
  } else {
    v = {
      name,
      wgsl: fillTemplate(gemmCommonWgsl + SOURCES.tiled, {
        ...common(epilogue),
        A_INDEX: indexA(transA),
        B_INDEX: indexB(transB),
        A_TILE_I: transA ? "e % 64u" : "e / 16u",
        A_TILE_K: transA ? "e / 64u" : "e % 16u",
        B_TILE_J: transB ? "e / 16u" : "e % 64u",
        B_TILE_K: transB ? "e % 16u" : "e / 64u",
      }),
      workgroupSize: [16, 16, 1],
      dispatch: ({ m, n, z }) => [Math.ceil(n / 64), Math.ceil(m / 64), z ?? 1],
    };
  }
  variants.set(name, v);
  return v;
}

/**
 * The GEMM family for an adapter and shape (m x k times k x n), from
 * bench/gemm_bench.ts and bench/solver_bench.ts (bench/RESULTS.md). On llvmpipe
 * the register-blocked kernels win (1024³: register4 17.8 GFLOP/s, register
 * 9.9, tiled 5.1, which pays for every barrier), `register4` where m, n and k
 * are multiples of 4. On an H100 `tiled` and `register4` are within a few
 * percent on single GEMMs, and `tiled` gives the faster solver iterations at
 * n=5000 (MU 2.35 against 2.84 ms, KL 3.73 against 5.73). The double-buffered
 * tiles (llvmpipe 1024³: 128x128 11.9 GFLOP/s, near register4's 12.5 on that run,
 * but 9.1 against 20.4 on X·Hᵀ) and the subgroup kernel have no GPU measurement
 * yet, so no rule picks them; nor split-K (slower on llvmpipe at every piece
 * count). `Gpu.create({ gemm })` overrides the family.
 */
export function chooseGemmVariant(gpu: Gpu, m: number, k: number, n: number): GemmVariantName {
  const family = gpu.gemmFamily ?? (gpu.adapter.isSoftware ? "register" : "tiled");
  if (family !== "register") return family;
  return m % 4 === 0 && n % 4 === 0 && k % 4 === 0 ? "register4" : "register";
}

/**
 * C = alpha * op(A) * op(B) + beta * C, recorded into the open batch of
 * `c.gpu`. op(A) is m x k, op(B) k x n and C m x n, all row-major; op is the
 * identity or the transpose (by `transA`/`transB`, never materialized). Each of
 * A, B and C may be a column range of its matrix (`aCols`, `bCols`, `cCols`),
 * read and written in place: e.g. one block of samples of H (k x n).
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const a = GpuMatrix.fromArray(gpu, 2, 3, new Float32Array([1, 2, 3, 4, 5, 6]));
 * const c = GpuMatrix.empty(gpu, 3, 3);
 * gemm(a, a, c, { transA: true }); // C = Aᵀ A
 * // C[:, 1:3] = −Aᵀ A[:, 1:3], in place
 * gemm(a, a, c, { transA: true, alpha: -1, bCols: [1, 3], cCols: [1, 3] });
 * console.log(await c.toArray()); // Float32Array [17, -22, -27, 22, -29, -36, 27, -36, -45]
 * gpu.destroy();
 * ```
 */
export function gemm(a: GpuMatrix, b: GpuMatrix, c: GpuMatrix, options: GemmOptions = {}): void {
  const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
  const va = _view("a", a, options.aCols);
  const vb = _view("b", b, options.bCols);
  const vc = _view("c", c, options.cCols);
  const m = transA ? va.cols : va.rows;
  const k = transA ? va.rows : va.cols;
  const kb = transB ? vb.cols : vb.rows;
  const n = transB ? vb.rows : vb.cols;
  const opA = `${transA ? "Aᵀ" : "A"} (${m}x${k})`;
  const opB = `${transB ? "Bᵀ" : "B"} (${kb}x${n})`;
  if (k !== kb) throw new RangeError(`Cannot multiply ${opA} by ${opB}: inner sizes differ`);
  if (vc.rows !== m || vc.cols !== n) {
    throw new RangeError(
      `Cannot store ${opA} times ${opB} in C (${vc.rows}x${vc.cols}): expected ${m}x${n}`,
    );
  }
  if (c.buffer === a.buffer || c.buffer === b.buffer) {
    throw new RangeError("Cannot write GEMM output C over an input: C must be a different matrix");
  }
  const gpu = c.gpu;
  const aligned = [va.offset, va.ld, vb.offset, vb.ld].every((v) => v % 4 === 0);
  let family = options.variant ?? chooseGemmVariant(gpu, m, k, n);
  // The vec4 loaders read A and B 4 floats at a time, from offsets that are multiples of 4.
  const scalar = family === "register4" ? "register" : family in DB_TILES ? "tiled" : null;
  if (scalar && !aligned && !options.variant) family = scalar;
  if (family === "register4" && (m % 4 !== 0 || n % 4 !== 0 || k % 4 !== 0)) {
    throw new RangeError(
      `GEMM variant register4 needs sizes that are multiples of 4, got ${m}x${k} times ${k}x${n}`,
    );
  }
  if (scalar && !aligned && family !== scalar) {
    throw new RangeError(
      `GEMM variant ${family} needs views of A and B whose column offsets and row lengths are ` +
        `multiples of 4: use variant ${scalar}`,
    );
  }
  const ep = options.epilogue;
  if (family === "subgroup" && !gpu.hasSubgroups) {
    throw new RangeError(
      `GEMM variant subgroup needs an adapter with subgroups; ${gpu.adapter.name} has none: ` +
        "use tiled",
    );
  }
  const variant = gemmVariant(family, transA, transB, ep?.op);
  const splits = options.splitK ?? 1;
  if (splits !== 1) {
    if (ep) throw new RangeError(`Option epilogue ${ep.op} cannot be fused with splitK: drop one`);
    _splitK(variant, family, [a, b, c], { m, n, k, splits, alpha, beta, va, vb, vc });
    return;
  }
  const params = new ArrayBuffer(PARAMS_BYTES);
  const u = new Uint32Array(params);
  const f = new Float32Array(params);
  u[0] = m;
  u[1] = n;
  u[2] = k;
  u.set([va.offset, va.ld, vb.offset, vb.ld, vc.offset, vc.ld], 8);
  const buffers = [a.buffer, b.buffer, c.buffer];
  if (ep) {
    if (k > GEMM_K_CHUNK) {
      throw new RangeError(
        `Option epilogue ${ep.op} needs an inner size of at most ${GEMM_K_CHUNK}, got ${k}: ` +
          "apply the step after the GEMM",
      );
    }
    if (ep.op === "clampMin") f[16] = ep.min;
    else {
      if (beta !== 0) {
        throw new RangeError("Option epilogue mu reads C as its numerator: drop beta");
      }
      buffers.push(_muFactor(ep.factor, c, options.cCols).buffer);
      f.set([ep.l1 ?? 0, ep.l2 ?? 0, ep.floor], 16);
    }
  }
  for (let k0 = 0; k0 < k; k0 += GEMM_K_CHUNK) {
    u[3] = k0;
    u[4] = Math.min(k, k0 + GEMM_K_CHUNK);
    f[5] = alpha;
    f[6] = k0 === 0 ? beta : 1;
    gpu.dispatch(variant, { m, n }, buffers, params);
  }
}

/** Bytes of the GEMM kernels' uniform block (Params in gemm_common.wgsl). */
const PARAMS_BYTES = 80;

/** The factor F of a fused MU step, checked against C. */
function _muFactor(factor: GpuMatrix, c: GpuMatrix, cCols: unknown): GpuMatrix {
  if (factor.rows !== c.rows || factor.cols !== c.cols || cCols) {
    throw new RangeError(
      `Option epilogue mu needs a factor of C's shape (${c.rows}x${c.cols}) and C without ` +
        `cCols, got ${factor.rows}x${factor.cols}${cCols ? " and cCols" : ""}`,
    );
  }
  if (factor.buffer === c.buffer) {
    throw new RangeError(
      "Option epilogue mu cannot update its factor in place: C must be another matrix " +
        "(it holds the numerator)",
    );
  }
  return factor;
}

const SPLIT_SUM: KernelVariant<number> = {
  name: "gemm_split_sum",
  wgsl: gemmSplitSumWgsl,
  workgroupSize: [64, 1, 1],
  dispatch: linearGrid,
};

/** C = alpha op(A) op(B) + beta C as `splits` partial products over pieces of k, then their sum. */
function _splitK(
  variant: KernelVariant<GemmShape>,
  family: GemmVariantName,
  [a, b, c]: [GpuMatrix, GpuMatrix, GpuMatrix],
  s: {
    m: number;
    n: number;
    k: number;
    splits: number;
    alpha: number;
    beta: number;
    va: _View;
    vb: _View;
    vc: _View;
  },
): void {
  const { m, n, k, splits } = s;
  if (!Number.isInteger(splits) || splits < 1 || splits > GEMM_MAX_SPLITS) {
    throw new RangeError(
      `Option splitK must be an integer in 1..${GEMM_MAX_SPLITS}, got ${splits}`,
    );
  }
  if (!isTiled(family)) {
    throw new RangeError(`Option splitK needs a tiled GEMM variant, not ${family}`);
  }
  // Pieces of whole 16-wide k-steps of the tiled kernel; fewer pieces when k is short.
  const kSplit = Math.ceil(Math.ceil(k / splits) / 16) * 16;
  const pieces = Math.ceil(k / kSplit);
  if (kSplit > GEMM_K_CHUNK) {
    throw new RangeError(
      `Option splitK ${splits} leaves pieces of ${kSplit} > ${GEMM_K_CHUNK} of k = ${k}: raise it`,
    );
  }
  const gpu = c.gpu;
  const bytes = pieces * m * n * 4;
  if (bytes > gpu.maxBinding) {
    throw new RangeError(
      `Option splitK ${splits} needs ${bytes} bytes of partial products, over the storage ` +
        `binding limit of ${gpu.maxBinding}: lower it`,
    );
  }
  const partial = gpu.pool.acquire(bytes);
  const params = new ArrayBuffer(PARAMS_BYTES);
  const u = new Uint32Array(params);
  const f = new Float32Array(params);
  u.set([m, n, k, 0, k]);
  f[5] = 1;
  f[6] = 0;
  u[7] = kSplit;
  u.set([s.va.offset, s.va.ld, s.vb.offset, s.vb.ld, 0, n, m * n], 8);
  gpu.dispatch(variant, { m, n, z: pieces }, [a.buffer, b.buffer, partial], params);
  const sum = new ArrayBuffer(32);
  new Uint32Array(sum).set([m, n, pieces, s.vc.offset, s.vc.ld]);
  new Float32Array(sum).set([s.alpha, s.beta], 5);
  gpu.dispatch(SPLIT_SUM, m * n, [partial, c.buffer], sum);
  gpu.pool.release(partial); // a later reuse is ordered after this work
}
