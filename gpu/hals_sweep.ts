/**
 * The HALS / coordinate-descent sweep of NMF (Cichocki & Phan 2009, "Fast local
 * algorithms for large scale nonnegative matrix and tensor factorizations"), the
 * update scikit-learn's `cd` solver makes, as one GPU dispatch.
 *
 * @module
 */

import type { KernelVariant } from "./gpu.ts";
import type { GpuMatrix } from "./gpu_matrix.ts";
import halsSweepWgsl from "./hals_sweep.wgsl" with { type: "text" };

/** Largest rank one sweep handles (k² loop steps per invocation stay far below 65,535). */
export const HALS_MAX_RANK = 200;

const VARIANT: KernelVariant<number> = {
  name: "hals_sweep",
  wgsl: halsSweepWgsl,
  workgroupSize: [64, 1, 1],
  dispatch: (items) => [Math.ceil(items / 64), 1, 1],
};

/** Options of {@linkcode halsSweep}. */
export interface HalsSweepOptions {
  /** L1 penalty added to every gradient entry. Default 0. */
  l1?: number;
  /** L2 penalty added to the Gram diagonal. Default 0. */
  l2?: number;
}

/**
 * Records one sweep over the k columns of W (d x k, `side` "W": gram = H Hᵀ,
 * numer = X Hᵀ, d x k) or the k rows of H (k x n, `side` "H": gram = WᵀW,
 * numer = WᵀX, k x n), each coordinate set to its exact minimizer of
 * ½‖X − WH‖² + l1 |f| + ½ l2 f² clamped at 0, in order l = 0..k−1.
 *
 * @example
 * ```ts
 * import { gemm } from "./gemm.ts";
 * import { Gpu } from "./gpu.ts";
 * import { GpuMatrix } from "./gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = GpuMatrix.fromArray(gpu, 2, 2, new Float32Array([2, 4, 1, 2])); // [2, 1]ᵀ [1, 2]
 * const w = GpuMatrix.fromArray(gpu, 2, 1, new Float32Array([1, 1]));
 * const h = GpuMatrix.fromArray(gpu, 1, 2, new Float32Array([1, 2]));
 * const [hht, xht] = [GpuMatrix.empty(gpu, 1, 1), GpuMatrix.empty(gpu, 2, 1)];
 * gemm(h, h, hht, { transB: true }); // H Hᵀ
 * gemm(x, h, xht, { transB: true }); // X Hᵀ
 * halsSweep("W", w, { gram: hht, numer: xht });
 * console.log(await w.toArray()); // Float32Array [2, 1]: X = W H exactly
 * gpu.destroy();
 * ```
 */
export function halsSweep(
  side: "W" | "H",
  factor: GpuMatrix,
  terms: { gram: GpuMatrix; numer: GpuMatrix },
  options: HalsSweepOptions = {},
): void {
  const k = side === "W" ? factor.cols : factor.rows;
  const items = side === "W" ? factor.rows : factor.cols;
  if (terms.gram.rows !== k || terms.gram.cols !== k) {
    throw new RangeError(`HALS gram is ${terms.gram.rows}x${terms.gram.cols}, expected ${k}x${k}`);
  }
  if (terms.numer.rows !== factor.rows || terms.numer.cols !== factor.cols) {
    throw new RangeError(
      `HALS numer is ${terms.numer.rows}x${terms.numer.cols}, expected ${factor.rows}x${factor.cols}`,
    );
  }
  if (k > HALS_MAX_RANK) {
    throw new RangeError(`HALS handles rank up to ${HALS_MAX_RANK}, got ${k}: use the MU solver`);
  }
  const params = new ArrayBuffer(32);
  const u = new Uint32Array(params);
  const f = new Float32Array(params);
  u[0] = items;
  u[1] = k;
  u[2] = side === "W" ? k : 1;
  u[3] = side === "W" ? 1 : factor.cols;
  f[4] = options.l1 ?? 0;
  f[5] = options.l2 ?? 0;
  factor.gpu.dispatch(
    VARIANT,
    items,
    [factor.buffer, terms.gram.buffer, terms.numer.buffer],
    params,
  );
}
