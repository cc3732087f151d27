/**
 * Sum reductions on the GPU over long vectors: Σ x, Σ x², Σ (x − y)², Σ x y,
 * masked squared distance and the generalized KL divergence, in passes that each
 * leave at most {@linkcode REDUCE_CHUNK} terms per invocation.
 *
 * @module
 */

import { fillTemplate } from "./fill_template.ts";
import type { Gpu, KernelVariant } from "./gpu.ts";
import { GpuMatrix } from "./gpu_matrix.ts";
import reduceWgsl from "./reduce.wgsl" with { type: "text" };

/** Terms the reduction can sum; x, y, w are the three inputs at the same index. */
export const REDUCE_TERMS = {
  /** Σ x */
  sum: "x[i]",
  /** Σ x² */
  sumSquares: "x[i] * x[i]",
  /** Σ (x − y)² */
  squaredDistance: "(x[i] - y[i]) * (x[i] - y[i])",
  /** Σ x y */
  dot: "x[i] * y[i]",
  /** Σ w (x − y)², w a 0/1 mask */
  weightedSquaredDistance: "w[i] * (x[i] - y[i]) * (x[i] - y[i])",
  /** Σ x log(x / y) − x + y with y floored at 1e-12: generalized KL divergence D(x‖y) */
  kl: "select(x[i] * log(x[i] / max(y[i], 1e-12)), 0.0, x[i] <= 0.0) - x[i] + max(y[i], 1e-12)",
  /** Σ x log(x / y) − x with y floored at 1e-12: the KL terms at a sparse X's stored entries */
  klAtEntries: "select(x[i] * log(x[i] / max(y[i], 1e-12)), 0.0, x[i] <= 0.0) - x[i]",
  /** Σ w (x log(x / y) − x + y) with y floored at 1e-12: generalized KL divergence D(x‖y) */
  weightedKl:
    "w[i] * (select(x[i] * log(x[i] / max(y[i], 1e-12)), 0.0, x[i] <= 0.0) - x[i] + max(y[i], 1e-12))",
} as const;

/** Name of a reduction term. */
export type ReduceTerm = keyof typeof REDUCE_TERMS;

/** Most terms one invocation sums (far below llvmpipe's 65,535-iteration cutoff). */
export const REDUCE_CHUNK = 256;

const SOURCE = reduceWgsl;
const variants = new Map<ReduceTerm, KernelVariant<number>>();

function reduceVariant(term: ReduceTerm): KernelVariant<number> {
  let v = variants.get(term);
  if (!v) {
    v = {
      name: `reduce_${term}`,
      wgsl: fillTemplate(SOURCE, { TERM: REDUCE_TERMS[term] }),
      workgroupSize: [64, 1, 1],
      dispatch: (parts) => [Math.ceil(parts / 64), 1, 1],
    };
    variants.set(term, v);
  }
  return v;
}

/**
 * Records the reduction Σᵢ term(x, y, w)ᵢ over the first `n` elements (default:
 * all of x) into the open batch and returns a 1x1 matrix that will hold it;
 * dispose it after reading. `y` and `w` default to `x` (terms that do not read
 * them ignore them). Partial sums are f32 in a tree of fan-in ≤ 256, so the
 * relative rounding error stays near 1e-6 even for millions of terms.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const a = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([1, 2, 3]));
 * const s = reduce("sumSquares", a);
 * console.log((await s.toArray())[0]); // 14
 * s.dispose();
 * gpu.destroy();
 * ```
 */
export function reduce(
  term: ReduceTerm,
  x: GpuMatrix,
  options: { y?: GpuMatrix; w?: GpuMatrix; n?: number } = {},
): GpuMatrix {
  const gpu: Gpu = x.gpu;
  const n = options.n ?? x.size;
  for (const [name, m] of [["y", options.y], ["w", options.w]] as const) {
    if (m && m.size < n) {
      throw new RangeError(`Reduction input ${name} has ${m.size} values, fewer than n = ${n}`);
    }
  }
  if (n > x.size || n < 0) throw new RangeError(`Reduction length ${n} is outside 0..${x.size}`);
  const result = GpuMatrix.empty(gpu, 1, 1);
  let inputs = [x.buffer, (options.y ?? x).buffer, (options.w ?? x).buffer];
  let curTerm: ReduceTerm = term;
  let len = n;
  let prev: GPUBuffer | null = null;
  for (;;) {
    const parts = Math.max(1, Math.ceil(len / REDUCE_CHUNK));
    const out = parts === 1 ? result.buffer : gpu.pool.acquire(parts * 4);
    gpu.dispatch(
      reduceVariant(curTerm),
      parts,
      [...inputs, out],
      new Uint32Array([len, parts, REDUCE_CHUNK, 0]),
    );
    // Dispatches run in order, so a later reuse of a released buffer comes after this read.
    if (prev) gpu.pool.release(prev);
    if (parts === 1) return result;
    prev = out;
    inputs = [out, out, out];
    curTerm = "sum";
    len = parts;
  }
}

/**
 * Σᵢ term(x, y, w)ᵢ read back to the CPU (flushes the batch and waits).
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const a = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([1, 2, 3]));
 * const b = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([1, 0, 0]));
 * console.log(await reduceToNumber("squaredDistance", a, { y: b })); // 13 = ‖A − B‖²
 * gpu.destroy();
 * ```
 */
export async function reduceToNumber(
  term: ReduceTerm,
  x: GpuMatrix,
  options: { y?: GpuMatrix; w?: GpuMatrix; n?: number } = {},
): Promise<number> {
  const r = reduce(term, x, options);
  try {
    return (await r.toArray())[0];
  } finally {
    r.dispose();
  }
}
