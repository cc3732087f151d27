/**
 * The data matrix X (d features x n samples) on the GPU, in whichever
 * orientation it arrived: features x samples (one sample per column, as in the
 * papers) or samples x features (one per row, scikit-learn's convention). The
 * products the solvers need (X Hᵀ, Wᵀ X, W H) use GEMM's transpose flags, so X
 * is never transposed or copied on the CPU.
 *
 * @module
 */

import { gemm } from "../gpu/gemm.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { unpackU8 } from "../gpu/unpack_u8.ts";

/** Input data: f32 values, or u8 pixels read as byte / 255. */
export interface DataInput {
  /** Row-major values: d x n, or n x d when `samplesAsRows`. */
  data: Float32Array | Uint8Array;
  /** Number of features (pixels per image). */
  d: number;
  /** Number of samples (images). */
  n: number;
  /** True when `data` is n x d (one sample per row). Default false: d x n. */
  samplesAsRows?: boolean;
}

/**
 * A d x n matrix on the GPU stored as d x n, or as its transpose n x d.
 *
 * @example
 * ```ts
 * const x = DataMatrix.upload(gpu, { data, d: 4096, n: 400, samplesAsRows: true });
 * x.timesHt(h, xht); // X Hᵀ, d x k
 * ```
 */
export class DataMatrix {
  /** The stored matrix: d x n, or n x d when `samplesAsRows`. */
  readonly stored: GpuMatrix;
  /** Orientation of `stored`. */
  readonly samplesAsRows: boolean;

  /** Wraps `stored` (d x n, or n x d when `samplesAsRows`); takes ownership. */
  constructor(stored: GpuMatrix, samplesAsRows: boolean) {
    this.stored = stored;
    this.samplesAsRows = samplesAsRows;
  }

  /** Uploads `input` (u8 data are unpacked on the GPU to [0, 1]). */
  static upload(gpu: Gpu, input: DataInput): DataMatrix {
    const sar = input.samplesAsRows ?? false;
    const rows = sar ? input.n : input.d;
    const cols = sar ? input.d : input.n;
    const m = input.data instanceof Uint8Array
      ? unpackU8(gpu, rows, cols, input.data)
      : GpuMatrix.fromArray(gpu, rows, cols, input.data);
    return new DataMatrix(m, sar);
  }

  /** Number of features. */
  get d(): number {
    return this.samplesAsRows ? this.stored.cols : this.stored.rows;
  }

  /** Number of samples. */
  get n(): number {
    return this.samplesAsRows ? this.stored.rows : this.stored.cols;
  }

  /** An uninitialized matrix of the same shape and orientation. */
  like(): DataMatrix {
    return new DataMatrix(
      GpuMatrix.empty(this.stored.gpu, this.stored.rows, this.stored.cols),
      this.samplesAsRows,
    );
  }

  /** Records out (d x k) = alpha X Hᵀ + beta out for H (k x n). */
  timesHt(h: GpuMatrix, out: GpuMatrix, alpha = 1, beta = 0): void {
    gemm(this.stored, h, out, { transA: this.samplesAsRows, transB: true, alpha, beta });
  }

  /** Records out (k x n) = Wᵀ X for W (d x k). */
  wtTimes(w: GpuMatrix, out: GpuMatrix): void {
    gemm(w, this.stored, out, { transA: true, transB: this.samplesAsRows });
  }

  /** Records this = W H (in this orientation) for W (d x k) and H (k x n). */
  setProduct(w: GpuMatrix, h: GpuMatrix): void {
    if (this.samplesAsRows) gemm(h, w, this.stored, { transA: true, transB: true });
    else gemm(w, h, this.stored);
  }

  /** Frees the GPU memory. */
  dispose(): void {
    this.stored.dispose();
  }
}
