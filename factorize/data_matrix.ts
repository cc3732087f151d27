/**
 * The data matrix X (d features x n samples) on the GPU, in whichever
 * orientation it arrived: features x samples (one sample per column, as in the
 * papers) or samples x features (one per row, scikit-learn's convention). The
 * products the solvers need (X Hᵀ, Wᵀ X, W H) use GEMM's transpose flags, so X
 * is never transposed or copied on the CPU.
 *
 * X larger than one GPU storage binding (CelebA: 200,000 x 4096 f32 is 3.3 GB,
 * an H100 binds at most 2 GiB) is held as row blocks of Xᵀ (blocks of samples,
 * n_b x d each, as data prep writes its shards), and the products are streamed
 * block by block: X Hᵀ = Σ_b X_b H_bᵀ accumulated in place, and block b of
 * Wᵀ X (its columns [r0, r1)) = Wᵀ X_b written in place, through GEMM column views.
 *
 * @module
 */

import { gemm } from "../gpu/gemm.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { type ReduceTerm, reduceToNumber } from "../gpu/reduce.ts";
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
  /**
   * Largest GPU block of X in bytes (as f32). Samples-as-rows data over it are
   * held as blocks of whole samples, the products streamed block by block.
   * Default: the adapter's storage binding limit (`gpu.maxBinding`).
   */
  maxBlockBytes?: number;
}

/**
 * A d x n matrix on the GPU stored as d x n, or as its transpose n x d, or as
 * row blocks of its transpose (see the module doc).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * // X = [[1, 2, 3], [4, 5, 6]] (d = 2, n = 3), given as samples x features
 * const data = new Float32Array([1, 4, 2, 5, 3, 6]);
 * const x = DataMatrix.upload(gpu, { data, d: 2, n: 3, samplesAsRows: true });
 * const h = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([1, 1, 1])); // k = 1
 * const xht = GpuMatrix.empty(gpu, 2, 1);
 * x.timesHt(h, xht); // X Hᵀ, d x k
 * console.log(await xht.toArray()); // Float32Array [6, 15]: the row sums of X
 * gpu.destroy();
 * ```
 */
export class DataMatrix {
  /** Orientation of the stored matrix (always true when blocked). */
  readonly samplesAsRows: boolean;
  /** The stored matrices: one, or row blocks of Xᵀ (n_b x d each). */
  readonly blocks: readonly GpuMatrix[];
  /** First sample of each block, plus n at the end. */
  readonly blockStarts: readonly number[];

  /**
   * Wraps `stored` (d x n, or n x d when `samplesAsRows`), or row blocks of Xᵀ
   * (each n_b x d, `samplesAsRows` must be true); takes ownership.
   */
  constructor(stored: GpuMatrix | GpuMatrix[], samplesAsRows: boolean) {
    const blocks = Array.isArray(stored) ? stored : [stored];
    if (blocks.length === 0) throw new RangeError("Data blocks are empty: pass at least one block");
    if (blocks.length > 1) {
      if (!samplesAsRows) {
        throw new RangeError("Data blocks must be blocks of samples (samplesAsRows: true)");
      }
      const d = blocks[0].cols;
      const bad = blocks.findIndex((b) => b.cols !== d);
      if (bad >= 0) {
        throw new RangeError(
          `Data block ${bad} has ${blocks[bad].cols} features, block 0 has ${d}`,
        );
      }
    }
    this.samplesAsRows = samplesAsRows;
    this.blocks = blocks;
    const starts = [0];
    for (const b of blocks) starts.push(starts.at(-1)! + (samplesAsRows ? b.rows : b.cols));
    this.blockStarts = starts;
  }

  /**
   * Samples per GPU block for `input`: n when X fits one block, else the most
   * whole samples (a multiple of 4 where possible, for the vec4 GEMM) within
   * `maxBlockBytes`. Throws a RangeError when X needs blocks but is d x n.
   */
  static blockRows(gpu: Gpu, input: DataInput): number {
    const { d, n } = input;
    const max = input.maxBlockBytes ?? gpu.maxBinding;
    if (!(max > 0) || !Number.isFinite(max)) {
      throw new RangeError(`Option maxBlockBytes must be a positive number of bytes, got ${max}`);
    }
    const limit = Math.min(max, gpu.maxBinding);
    if (d * n * 4 <= limit) return n;
    if (!input.samplesAsRows) {
      throw new RangeError(
        `Data ${d}x${n} needs ${d * n * 4} bytes as f32, over one GPU block of ${limit} bytes: ` +
          "pass it as samples x features (samplesAsRows: true) to have it split into blocks of samples",
      );
    }
    const rows = Math.floor(limit / (4 * d));
    if (rows < 1) {
      throw new RangeError(
        `Option maxBlockBytes ${limit} is smaller than one sample (${4 * d} bytes as f32)`,
      );
    }
    return rows >= 4 ? rows - (rows % 4) : rows;
  }

  /** Uploads `input` (u8 data are unpacked on the GPU to [0, 1]), in blocks when needed. */
  static upload(gpu: Gpu, input: DataInput): DataMatrix {
    const sar = input.samplesAsRows ?? false;
    const { d, n, data } = input;
    const per = DataMatrix.blockRows(gpu, input);
    if (per === n) return new DataMatrix(_uploadBlock(gpu, sar ? n : d, sar ? d : n, data), sar);
    const blocks: GpuMatrix[] = [];
    try {
      for (let r0 = 0; r0 < n; r0 += per) {
        const r1 = Math.min(n, r0 + per);
        blocks.push(_uploadBlock(gpu, r1 - r0, d, data.subarray(r0 * d, r1 * d)));
      }
    } catch (e) {
      for (const b of blocks) b.dispose();
      throw e;
    }
    return new DataMatrix(blocks, true);
  }

  /**
   * Uploads X given as row blocks of Xᵀ (each n_b x d samples as rows, e.g. the
   * shards of an opened dataset), one GPU block each.
   *
   * @example
   * ```ts
   * import { Gpu } from "../gpu/gpu.ts";
   * const gpu = await Gpu.create({ log: null });
   * const blocks = [new Float32Array([1, 4, 2, 5]), new Float32Array([3, 6])]; // 2 + 1 samples
   * const x = DataMatrix.uploadBlocks(gpu, blocks, { d: 2 });
   * console.log(x.isBlocked, x.d, x.n, await x.sum()); // true 2 3 21
   * gpu.destroy();
   * ```
   */
  static uploadBlocks(
    gpu: Gpu,
    blocks: readonly (Float32Array | Uint8Array)[],
    options: { d: number },
  ): DataMatrix {
    const { d } = options;
    const bad = blocks.findIndex((b) => b.length === 0 || b.length % d !== 0);
    if (bad >= 0) {
      throw new RangeError(
        `Data block ${bad} has ${blocks[bad].length} values, not a positive multiple of d = ${d}`,
      );
    }
    const out: GpuMatrix[] = [];
    try {
      for (const b of blocks) out.push(_uploadBlock(gpu, b.length / d, d, b));
    } catch (e) {
      for (const m of out) m.dispose();
      throw e;
    }
    return new DataMatrix(out, true);
  }

  /** True when X is held as several blocks. */
  get isBlocked(): boolean {
    return this.blocks.length > 1;
  }

  /**
   * The one stored matrix: d x n, or n x d when `samplesAsRows`. Throws when X
   * is held in blocks (only the products and reductions below stream them).
   */
  get stored(): GpuMatrix {
    if (this.isBlocked) {
      throw new RangeError(
        `X is held as ${this.blocks.length} blocks of samples (it exceeds one GPU block, ` +
          "option maxBlockBytes or the storage binding limit), which this step does not support: " +
          'use the Frobenius loss with solver "mu" or "cd" and no mask, or a smaller X',
      );
    }
    return this.blocks[0];
  }

  /** The device. */
  get gpu(): Gpu {
    return this.blocks[0].gpu;
  }

  /** Number of features. */
  get d(): number {
    return this.samplesAsRows ? this.blocks[0].cols : this.blocks[0].rows;
  }

  /** Number of samples. */
  get n(): number {
    return this.blockStarts.at(-1)!;
  }

  /** An uninitialized matrix of the same shape, orientation and blocks. */
  like(): DataMatrix {
    return new DataMatrix(
      this.blocks.map((b) => GpuMatrix.empty(b.gpu, b.rows, b.cols)),
      this.samplesAsRows,
    );
  }

  /** Records out (d x k) = alpha X Hᵀ + beta out for H (k x n). */
  timesHt(h: GpuMatrix, out: GpuMatrix, alpha = 1, beta = 0): void {
    if (!this.isBlocked) {
      gemm(this.blocks[0], h, out, { transA: this.samplesAsRows, transB: true, alpha, beta });
      return;
    }
    this.blocks.forEach((b, i) => {
      const cols = this.#range(i);
      gemm(b, h, out, { transA: true, transB: true, alpha, beta: i === 0 ? beta : 1, bCols: cols });
    });
  }

  /** Records out (k x n) = Wᵀ X for W (d x k). */
  wtTimes(w: GpuMatrix, out: GpuMatrix): void {
    if (!this.isBlocked) {
      gemm(w, this.blocks[0], out, { transA: true, transB: this.samplesAsRows });
      return;
    }
    this.blocks.forEach((b, i) => {
      gemm(w, b, out, { transA: true, transB: true, cCols: this.#range(i) });
    });
  }

  /** Records this = W H (in this orientation) for W (d x k) and H (k x n). */
  setProduct(w: GpuMatrix, h: GpuMatrix): void {
    if (!this.samplesAsRows) {
      gemm(w, h, this.blocks[0]);
      return;
    }
    this.blocks.forEach((b, i) => {
      gemm(h, w, b, {
        transA: true,
        transB: true,
        aCols: this.isBlocked ? this.#range(i) : undefined,
      });
    });
  }

  /** Σ_ij X_ij over all blocks (float64 sum of per-block f32 tree reductions). */
  async sum(): Promise<number> {
    return await this.#reduce("sum");
  }

  /** ‖X‖² over all blocks. */
  async sumSquares(): Promise<number> {
    return await this.#reduce("sumSquares");
  }

  /**
   * ‖X − W H‖² computed block by block from the explicit residual, with one
   * scratch block of GPU memory (not a second copy of X).
   */
  async squaredResidual(w: GpuMatrix, h: GpuMatrix): Promise<number> {
    let total = 0;
    for (let i = 0; i < this.blocks.length; i++) {
      const b = this.blocks[i];
      const wh = GpuMatrix.empty(b.gpu, b.rows, b.cols);
      try {
        if (!this.samplesAsRows) gemm(w, h, wh);
        else gemm(h, w, wh, { transA: true, transB: true, aCols: this.#range(i) });
        total += await reduceToNumber("squaredDistance", b, { y: wh });
      } finally {
        wh.dispose();
      }
    }
    return total;
  }

  /** Frees the GPU memory. */
  dispose(): void {
    for (const b of this.blocks) b.dispose();
  }

  #range(i: number): [number, number] {
    return [this.blockStarts[i], this.blockStarts[i + 1]];
  }

  async #reduce(term: ReduceTerm): Promise<number> {
    let total = 0;
    for (const b of this.blocks) total += await reduceToNumber(term, b);
    return total;
  }
}

function _uploadBlock(
  gpu: Gpu,
  rows: number,
  cols: number,
  data: Float32Array | Uint8Array,
): GpuMatrix {
  return data instanceof Uint8Array
    ? unpackU8(gpu, rows, cols, data)
    : GpuMatrix.fromArray(gpu, rows, cols, data);
}
