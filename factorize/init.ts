/**
 * Initial factors for NMF and semi-NMF: scikit-learn's `random`, NNDSVD and its
 * `a`/`ar` variants (Boutsidis & Gallopoulos 2008, "SVD based initialization: A
 * head start for nonnegative matrix factorization") from a randomized SVD on the
 * GPU, and k-means on the columns for semi-NMF (Ding, Li & Jordan 2010).
 *
 * @module
 */

import type { DataMatrix } from "./data_matrix.ts";
import type { SparseDataMatrix } from "./sparse_data_matrix.ts";
import { randomizedSvd } from "./randomized_svd.ts";
import { seededNormal, seededRandom } from "./seeded_random.ts";

/** Initial factors W (d x k) and H (k x n), row-major. */
export interface InitFactors {
  /** d x k. */
  w: Float32Array;
  /** k x n. */
  h: Float32Array;
}

/** Entries of NNDSVD factors below this are set to zero (then filled by the a/ar variants). */
const NNDSVD_ZERO = 1e-6;

/**
 * scikit-learn's random init: |N(0, 1)| scaled by sqrt(mean(X) / k), seeded
 * (H drawn first, then W).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { DataMatrix } from "./data_matrix.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = DataMatrix.upload(gpu, { data: randomArray(seededRandom(1), 30 * 20), d: 30, n: 20 });
 * const { w, h } = await randomInit(x, 3, { seed: 0 });
 * console.log(w.length, h.length, w.every((v) => v >= 0)); // 90 60 true: W 30 x 3, H 3 x 20
 * gpu.destroy();
 * ```
 */
export async function randomInit(
  x: DataMatrix | SparseDataMatrix,
  k: number,
  options: { seed?: number } = {},
): Promise<InitFactors> {
  const mean = (await x.sum()) / (x.d * x.n);
  const scale = Math.sqrt(Math.max(mean, 0) / k);
  const normal = seededNormal(seededRandom(options.seed ?? 0));
  const h = Float32Array.from({ length: k * x.n }, () => scale * Math.abs(normal()));
  const w = Float32Array.from({ length: x.d * k }, () => scale * Math.abs(normal()));
  return { w, h };
}

/**
 * NNDSVD from a rank-k randomized SVD (products on the GPU). `variant` "a"
 * fills zeros with mean(X), "ar" with |N(0, 1)| · mean(X) / 100 (seeded).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { DataMatrix } from "./data_matrix.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = DataMatrix.upload(gpu, { data: randomArray(seededRandom(1), 30 * 20), d: 30, n: 20 });
 * const { w, h } = await nndsvdInit(x, 3, { variant: "a" });
 * console.log(w.length, h.length, [...w, ...h].every((v) => v > 0)); // 90 60 true: "a" fills zeros
 * gpu.destroy();
 * ```
 */
export async function nndsvdInit(
  x: DataMatrix | SparseDataMatrix,
  k: number,
  options: { variant?: "" | "a" | "ar"; seed?: number } = {},
): Promise<InitFactors> {
  const { d, n } = x;
  const { u, s, vt } = await randomizedSvd(x, k, { seed: options.seed });
  const w = new Float32Array(d * k);
  const h = new Float32Array(k * n);
  for (let j = 0; j < k; j++) {
    let xp = 0, xn = 0, yp = 0, yn = 0;
    for (let i = 0; i < d; i++) {
      const v = u[i * k + j];
      if (v > 0) xp += v * v;
      else xn += v * v;
    }
    for (let i = 0; i < n; i++) {
      const v = vt[j * n + i];
      if (v > 0) yp += v * v;
      else yn += v * v;
    }
    [xp, xn, yp, yn] = [xp, xn, yp, yn].map(Math.sqrt);
    let sign: number, sigma: number, nx: number, ny: number;
    if (j === 0) {
      sign = 0; // |u|, |v| of the leading pair
      sigma = 1;
      nx = 1;
      ny = 1;
    } else if (xp * yp > xn * yn) {
      [sign, sigma, nx, ny] = [1, xp * yp, xp, yp];
    } else {
      [sign, sigma, nx, ny] = [-1, xn * yn, xn, yn];
    }
    const lbd = Math.sqrt(s[j] * sigma);
    const part = (v: number) => (sign === 0 ? Math.abs(v) : Math.max(sign * v, 0));
    for (let i = 0; i < d; i++) w[i * k + j] = nx > 0 ? (lbd * part(u[i * k + j])) / nx : 0;
    for (let i = 0; i < n; i++) h[j * n + i] = ny > 0 ? (lbd * part(vt[j * n + i])) / ny : 0;
  }
  for (const m of [w, h]) for (let i = 0; i < m.length; i++) if (m[i] < NNDSVD_ZERO) m[i] = 0;
  const variant = options.variant ?? "";
  if (variant !== "") {
    const mean = (await x.sum()) / (d * n);
    const normal = seededNormal(seededRandom(options.seed ?? 0));
    for (const m of [w, h]) {
      for (let i = 0; i < m.length; i++) {
        if (m[i] === 0) m[i] = variant === "a" ? mean : Math.abs((mean * normal()) / 100);
      }
    }
  }
  return { w, h };
}
