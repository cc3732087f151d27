/**
 * General matrix multiply on the GPU: C = alpha * op(A) * op(B) + beta * C.
 *
 * @module
 */

import { fillTemplate } from "./fill_template.ts";
import type { Gpu, KernelVariant } from "./gpu.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import { loadWgsl } from "./load_wgsl.ts";

/** GEMM kernel families: `register` for CPU adapters, `tiled` for GPUs. */
export type GemmVariantName = "register" | "register4" | "tiled";

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
}

interface GemmShape {
  m: number;
  n: number;
}

/**
 * Largest k-range one dispatch covers. llvmpipe silently ends an invocation
 * after 65,535 loop iterations in total, so long inner dimensions are split
 * into chunks accumulated with beta = 1.
 */
export const GEMM_K_CHUNK = 8192;

const COMMON = await loadWgsl("./gemm_common.wgsl", import.meta.url);
const SOURCES: Record<GemmVariantName, string> = {
  register: COMMON + await loadWgsl("./gemm_register.wgsl", import.meta.url),
  register4: COMMON + await loadWgsl("./gemm_register4.wgsl", import.meta.url),
  tiled: COMMON + await loadWgsl("./gemm_tiled.wgsl", import.meta.url),
};

function indexA(transA: boolean): string {
  return transA ? "k * p.M + i" : "i * p.K + k";
}
function indexB(transB: boolean): string {
  return transB ? "j * p.K + k" : "k * p.N + j";
}

const R = [0, 1, 2, 3, 4, 5, 6, 7];
const KK = [0, 1, 2, 3];
const XYZW = "xyzw";

/** WGSL defining a0..a7 = op(A)[r, k..k+3] from vec4 loads along A's contiguous dimension. */
function loadA4(transA: boolean): string {
  if (!transA) return R.map((r) => `    let a${r} = a[r${r} * k4 + q];`).join("\n");
  const loads = KK.map((kk) =>
    `    let al${kk} = a[(k + ${kk}u) * m4 + rlo]; let ah${kk} = a[(k + ${kk}u) * m4 + rhi];`
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
      `    let b${kk}l = b[(k + ${kk}u) * n4 + slo]; let b${kk}h = b[(k + ${kk}u) * n4 + shi];`
    ).join("\n");
  }
  const loads = R.map((j) => `    let bt${j} = b[s${j} * k4 + q];`);
  const rows = KK.flatMap((kk) => [
    `    let b${kk}l = vec4<f32>(${[0, 1, 2, 3].map((j) => `bt${j}.${XYZW[kk]}`).join(", ")});`,
    `    let b${kk}h = vec4<f32>(${[4, 5, 6, 7].map((j) => `bt${j}.${XYZW[kk]}`).join(", ")});`,
  ]);
  return [...loads, ...rows].join("\n");
}

const variants = new Map<string, KernelVariant<GemmShape>>();

/** The kernel variant for a family and transpose combination (cached). */
export function gemmVariant(
  family: GemmVariantName,
  transA: boolean,
  transB: boolean,
): KernelVariant<GemmShape> {
  const name = `gemm_${family}_${transA ? "t" : "n"}${transB ? "t" : "n"}`;
  let v = variants.get(name);
  if (v) return v;
  if (family === "register4") {
    const wg = [8, 8, 1] as const;
    v = {
      name,
      wgsl: fillTemplate(SOURCES.register4, {
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
      wgsl: fillTemplate(SOURCES.register, {
        A_INDEX: indexA(transA),
        B_INDEX: indexB(transB),
        WG_X: wg[0],
        WG_Y: wg[1],
      }),
      workgroupSize: wg,
      dispatch: ({ m, n }) => [Math.ceil(n / (8 * wg[0])), Math.ceil(m / (8 * wg[1])), 1],
    };
  } else {
    v = {
      name,
      wgsl: fillTemplate(SOURCES.tiled, {
        A_INDEX: indexA(transA),
        B_INDEX: indexB(transB),
        A_TILE_I: transA ? "e % 64u" : "e / 16u",
        A_TILE_K: transA ? "e / 64u" : "e % 16u",
        B_TILE_J: transB ? "e / 16u" : "e % 64u",
        B_TILE_K: transB ? "e % 16u" : "e / 64u",
      }),
      workgroupSize: [16, 16, 1],
      dispatch: ({ m, n }) => [Math.ceil(n / 64), Math.ceil(m / 64), 1],
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
 * n=5000 (MU 2.35 against 2.84 ms, KL 3.73 against 5.73). `Gpu.create({ gemm })`
 * overrides the family.
 */
export function chooseGemmVariant(gpu: Gpu, m: number, k: number, n: number): GemmVariantName {
  const family = gpu.gemmFamily ?? (gpu.adapter.isSoftware ? "register" : "tiled");
  if (family === "tiled") return "tiled";
  return m % 4 === 0 && n % 4 === 0 && k % 4 === 0 ? "register4" : "register";
}

/**
 * C = alpha * op(A) * op(B) + beta * C, recorded into the open batch of
 * `c.gpu`. op(A) is m x k, op(B) k x n and C m x n, all row-major; op is the
 * identity or the transpose (by `transA`/`transB`, never materialized).
 *
 * @example
 * ```ts
 * const gpu = await Gpu.create({ log: null });
 * const a = GpuMatrix.fromArray(gpu, 2, 3, new Float32Array([1, 2, 3, 4, 5, 6]));
 * const c = GpuMatrix.empty(gpu, 3, 3);
 * gemm(a, a, c, { transA: true }); // C = Aᵀ A
 * console.log(await c.toArray());
 * ```
 */
export function gemm(a: GpuMatrix, b: GpuMatrix, c: GpuMatrix, options: GemmOptions = {}): void {
  const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  const opA = `${transA ? "Aᵀ" : "A"} (${m}x${k})`;
  const opB = `${transB ? "Bᵀ" : "B"} (${kb}x${n})`;
  if (k !== kb) throw new RangeError(`Cannot multiply ${opA} by ${opB}: inner sizes differ`);
  if (c.rows !== m || c.cols !== n) {
    throw new RangeError(
      `Cannot store ${opA} times ${opB} in C (${c.rows}x${c.cols}): expected ${m}x${n}`,
    );
  }
  if (c.buffer === a.buffer || c.buffer === b.buffer) {
    throw new RangeError("Cannot write GEMM output C over an input: C must be a different matrix");
  }
  const gpu = c.gpu;
  const family = options.variant ?? chooseGemmVariant(gpu, m, k, n);
  if (family === "register4" && (m % 4 !== 0 || n % 4 !== 0 || k % 4 !== 0)) {
    throw new RangeError(
      `GEMM variant register4 needs sizes that are multiples of 4, got ${m}x${k} times ${k}x${n}`,
    );
  }
  const variant = gemmVariant(family, transA, transB);
  const params = new ArrayBuffer(32);
  const u = new Uint32Array(params);
  const f = new Float32Array(params);
  u[0] = m;
  u[1] = n;
  u[2] = k;
  for (let k0 = 0; k0 < k; k0 += GEMM_K_CHUNK) {
    u[3] = k0;
    u[4] = Math.min(k, k0 + GEMM_K_CHUNK);
    f[5] = alpha;
    f[6] = k0 === 0 ? beta : 1;
    gpu.dispatch(variant, { m, n }, [a.buffer, b.buffer, c.buffer], params);
  }
}
