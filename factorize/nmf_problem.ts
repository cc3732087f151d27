/**
 * One factorization problem on the GPU: the data X (d x n, dense in either
 * orientation, or sparse), the optional mask, and the reconstruction error of
 * factors W (d x k), H (k x n).
 *
 * @module
 */

import { elementwise } from "../gpu/elementwise.ts";
import { gemm } from "../gpu/gemm.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { reduceToNumber } from "../gpu/reduce.ts";
import { unpackU8 } from "../gpu/unpack_u8.ts";
import { type DataInput, DataMatrix } from "./data_matrix.ts";
import { isSparseInput, type SparseDataInput, SparseDataMatrix } from "./sparse_data_matrix.ts";
import type { BetaLoss } from "./nmf_options.ts";

/**
 * Below this ratio ‖X − WH‖² / ‖X‖² the trace identity loses too many digits to
 * f32 cancellation (its k x k terms carry ~1e-6 relative error each), and the
 * error is computed from the explicit residual instead.
 */
export const TRACE_IDENTITY_MIN_RATIO = 0.05;

/**
 * X on the GPU with its mask (1 = observed; X is zeroed where the mask is 0)
 * and ‖M ⊙ X‖², plus a d x n scratch for W H made on first use.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const data = new Float32Array([1, 2, 3, 4]); // X = [[1, 2], [3, 4]]
 * const p = await NmfProblem.create(gpu, { data, d: 2, n: 2 });
 * const w = GpuMatrix.fromArray(gpu, 2, 1, new Float32Array([1, 3]));
 * const h = GpuMatrix.fromArray(gpu, 1, 2, new Float32Array([1, 1])); // W H = [[1, 1], [3, 3]]
 * console.log(p.xx, await p.error(w, h, "frobenius")); // 30 1.414…: ‖X‖², ‖X − WH‖_F = √2
 * p.dispose();
 * gpu.destroy();
 * ```
 */
export class NmfProblem {
  /** The data (zero where masked). */
  readonly x: DataMatrix | SparseDataMatrix;
  /** The mask (same orientation as x), or null. */
  readonly mask: DataMatrix | null;
  /** ‖M ⊙ X‖² in float64 from an f32 tree reduction. */
  readonly xx: number;
  #wh: DataMatrix | null = null;
  #explicit = false;

  private constructor(x: DataMatrix | SparseDataMatrix, mask: DataMatrix | null, xx: number) {
    this.x = x;
    this.mask = mask;
    this.xx = xx;
  }

  /**
   * Uploads X and the mask (same layout as X, 1 = observed). Masked entries of
   * X are zeroed on the GPU, so they may hold anything, NaN included. Sparse X
   * takes no mask (its zeros are values, not missing entries).
   */
  static async create(
    gpu: Gpu,
    input: DataInput | SparseDataInput,
    mask: Float32Array | Uint8Array | null = null,
  ): Promise<NmfProblem> {
    if (isSparseInput(input)) {
      if (mask) {
        throw new RangeError("Option mask is not supported for sparse data: fit without it");
      }
      const sparse = SparseDataMatrix.upload(gpu, input);
      return new NmfProblem(sparse, null, await sparse.sumSquares());
    }
    if (mask && DataMatrix.blockRows(gpu, input) < input.n) {
      throw new RangeError(
        "Option mask is not supported when X is split into blocks of samples (it exceeds one GPU " +
          "block, option maxBlockBytes or the storage binding limit): fit without a mask",
      );
    }
    let x = DataMatrix.upload(gpu, input);
    let m: DataMatrix | null = null;
    if (mask) {
      const sar = input.samplesAsRows ?? false;
      const [rows, cols] = sar ? [input.n, input.d] : [input.d, input.n];
      const stored = mask instanceof Uint8Array
        ? unpackU8(gpu, rows, cols, mask, { scale: 1 })
        : GpuMatrix.fromArray(gpu, rows, cols, mask);
      m = new DataMatrix(stored, sar);
      const zeroed = x.like();
      elementwise("maskSelect", zeroed.stored, { a: x.stored, b: m.stored });
      x.dispose();
      x = zeroed;
    }
    const xx = await x.sumSquares();
    return new NmfProblem(x, m, xx);
  }

  /** Number of features. */
  get d(): number {
    return this.x.d;
  }

  /** Number of samples. */
  get n(): number {
    return this.x.n;
  }

  /** The GPU. */
  get gpu(): Gpu {
    return this.x.gpu;
  }

  /** A d x n scratch in X's orientation (shared; its contents do not survive other calls). */
  wh(): DataMatrix {
    this.#wh ??= this.dense().like();
    return this.#wh;
  }

  /** X as a dense matrix; throws a RangeError naming the step for sparse X. */
  dense(): DataMatrix {
    if (this.x instanceof SparseDataMatrix) {
      throw new RangeError(
        "This step needs a dense X and the data is sparse: use NMF (mu, cd, kl)",
      );
    }
    return this.x;
  }

  /**
   * scikit-learn's reconstruction error: ‖M ⊙ (X − WH)‖_F for "frobenius",
   * sqrt(2 D(X‖WH)) for "kullback-leibler" (over observed entries).
   * Unmasked Frobenius uses ‖X‖² − 2 tr(Wᵀ X Hᵀ) + tr((WᵀW)(HHᵀ)) in float64
   * from k x k reads, falling back (for good) to the explicit residual once that is small
   * (for X held in blocks, computed block by block with one scratch block). Sparse X
   * always uses the identity (its absolute error is then ~1e-6 ‖X‖²) and, for KL,
   * Σ_nz (x log(x / WH) − x) + Σ_r (Σ_t W_tr)(Σ_j H_rj) from W H at X's entries only.
   */
  async error(w: GpuMatrix, h: GpuMatrix, betaLoss: BetaLoss): Promise<number> {
    if (this.x instanceof SparseDataMatrix) {
      if (betaLoss === "frobenius") {
        return Math.sqrt(Math.max(await this.#traceSquaredError(w, h), 0));
      }
      const kl = (await this.x.klAtEntries(w, h)) + (await _productSum(w, h));
      return Math.sqrt(2 * Math.max(kl, 0));
    }
    if (betaLoss === "frobenius" && !this.mask && !this.#explicit) {
      const sq = await this.#traceSquaredError(w, h);
      if (sq >= TRACE_IDENTITY_MIN_RATIO * this.xx) return Math.sqrt(sq);
      this.#explicit = true; // errors of a fit only fall: stay explicit from now on
    }
    if (betaLoss === "frobenius" && !this.mask && this.x.isBlocked) {
      return Math.sqrt(Math.max(await this.x.squaredResidual(w, h), 0));
    }
    const wh = this.wh();
    wh.setProduct(w, h);
    const m = this.mask?.stored;
    if (betaLoss === "frobenius") {
      const sq = m
        ? await reduceToNumber("weightedSquaredDistance", this.x.stored, { y: wh.stored, w: m })
        : await reduceToNumber("squaredDistance", this.x.stored, { y: wh.stored });
      return Math.sqrt(Math.max(sq, 0));
    }
    const kl = m
      ? await reduceToNumber("weightedKl", this.x.stored, { y: wh.stored, w: m })
      : await reduceToNumber("kl", this.x.stored, { y: wh.stored });
    return Math.sqrt(2 * Math.max(kl, 0));
  }

  async #traceSquaredError(w: GpuMatrix, h: GpuMatrix): Promise<number> {
    const gpu = this.gpu;
    const k = w.cols;
    const xht = GpuMatrix.empty(gpu, this.d, k);
    const t = GpuMatrix.empty(gpu, k, k);
    const wtw = GpuMatrix.empty(gpu, k, k);
    const hht = GpuMatrix.empty(gpu, k, k);
    try {
      this.x.timesHt(h, xht);
      gemm(w, xht, t, { transA: true });
      gemm(w, w, wtw, { transA: true });
      gemm(h, h, hht, { transB: true });
      const [tv, wv, hv] = [await t.toArray(), await wtw.toArray(), await hht.toArray()];
      let cross = 0;
      let quad = 0;
      for (let i = 0; i < k; i++) {
        cross += tv[i * k + i];
        for (let j = 0; j < k; j++) quad += wv[i * k + j] * hv[i * k + j];
      }
      return this.xx - 2 * cross + quad;
    } finally {
      for (const m of [xht, t, wtw, hht]) m.dispose();
    }
  }

  /**
   * The loss state a fit snapshot keeps: whether the error has moved to the explicit
   * residual (which it does once, for good), so a restored fit computes the same losses.
   */
  lossState(): { save(): Record<string, unknown>; load(saved: Record<string, unknown>): void } {
    return {
      save: () => ({ explicitResidual: this.#explicit }),
      load: (saved) => {
        this.#explicit = saved.explicitResidual === true;
      },
    };
  }

  /** Frees the GPU memory. */
  dispose(): void {
    this.x.dispose();
    this.mask?.dispose();
    this.#wh?.dispose();
    this.#wh = null;
  }
}

/** Σ_ij (W H)_ij = (Wᵀ 1) · (H 1), the column sums of W against the row sums of H, in float64. */
async function _productSum(w: GpuMatrix, h: GpuMatrix): Promise<number> {
  const gpu = w.gpu;
  const k = w.cols;
  const onesD = GpuMatrix.fromArray(gpu, w.rows, 1, new Float32Array(w.rows).fill(1));
  const onesN = GpuMatrix.fromArray(gpu, h.cols, 1, new Float32Array(h.cols).fill(1));
  const cw = GpuMatrix.empty(gpu, k, 1);
  const rh = GpuMatrix.empty(gpu, k, 1);
  try {
    gemm(w, onesD, cw, { transA: true });
    gemm(h, onesN, rh);
    const [a, b] = await Promise.all([cw.toArray(), rh.toArray()]);
    let s = 0;
    for (let r = 0; r < k; r++) s += a[r] * b[r];
    return s;
  } finally {
    for (const m of [onesD, onesN, cw, rh]) m.dispose();
  }
}
