/**
 * Sparse symmetric sample graphs in CSR form, on the CPU and on the GPU, and
 * rectangular sparse matrices (a corpus's documents x terms) on the GPU.
 *
 * @module
 */

import type { Gpu } from "./gpu.ts";

/**
 * A sparse symmetric n x n graph in compressed sparse rows: the neighbours of
 * sample i are `cols[rowOffsets[i] .. rowOffsets[i + 1])` (ascending, no self
 * loops) with `weights` at the same positions; `degrees[i]` = Σ_j W_ij, the
 * diagonal of D in the graph Laplacian L = D − W.
 */
export interface CsrGraph {
  /** Number of samples (rows and columns). */
  n: number;
  /** n + 1 offsets into cols and weights. */
  rowOffsets: Uint32Array;
  /** Column index of each stored entry. */
  cols: Uint32Array;
  /** Weight W_ij of each stored entry. */
  weights: Float32Array;
  /** Row sums of W (length n). */
  degrees: Float32Array;
}

/**
 * Entries one kernel invocation visits at most: rows longer than this (hubs of a
 * kNN graph, complete class graphs) are split into several segments, so no
 * invocation comes near llvmpipe's limit of 65,535 loop iterations.
 */
export const CSR_SEGMENT = 4096;

/**
 * Default segment of {@linkcode GpuCsr.fromMatrix}: short pieces balance the invocations
 * over a corpus's very uneven rows (documents of 1 to 4,000 terms, terms in 2 to 19,000
 * documents). Wᵀ X on 19,774 manual pages x 20,000 terms (2.3M non-zeros, k = 20) on
 * llvmpipe: 138 ms with segments of 4,096, 91 with 256, 78 with 64, 61 with 32, 80 with 16
 * (bench/RESULTS.md, sparse NMF).
 */
export const MATRIX_SEGMENT = 32;

/**
 * A {@linkcode CsrGraph} uploaded to the GPU for {@linkcode spmm} and friends. Each
 * row is cut into segments of at most {@linkcode CSR_SEGMENT} entries: segment s
 * covers entries `[segStart[s], segStart[s + 1])` of row `segRow[s]`, and row j owns
 * segments `[rowSeg[j], rowSeg[j + 1])`. Dispose it: GC does not free GPU memory.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const path: CsrGraph = { // the path 0 – 1 – 2, unit weights
 *   n: 3,
 *   rowOffsets: new Uint32Array([0, 1, 3, 4]),
 *   cols: new Uint32Array([1, 0, 2, 1]),
 *   weights: new Float32Array([1, 1, 1, 1]),
 *   degrees: new Float32Array([1, 2, 1]),
 * };
 * const g = GpuCsr.fromGraph(gpu, path);
 * console.log(g.n, g.nnz, g.segments); // 3 4 3
 * g.dispose();
 * gpu.destroy();
 * ```
 */
export class GpuCsr {
  /** The device it lives on. */
  readonly gpu: Gpu;
  /** Number of rows (samples of a graph). */
  readonly n: number;
  /** Number of columns: n for a graph, the terms of a documents x terms matrix. */
  readonly m: number;
  /** Stored entries. */
  readonly nnz: number;
  /** Number of row segments. */
  readonly segments: number;
  /** Column of each entry (u32). */
  readonly cols: GPUBuffer;
  /** Weight of each entry (f32). */
  readonly weights: GPUBuffer;
  /** Degree of each row (f32, length n). */
  readonly degrees: GPUBuffer;
  /** Entry offsets of the segments (u32, segments + 1). */
  readonly segStart: GPUBuffer;
  /** Row of each segment (u32). */
  readonly segRow: GPUBuffer;
  /** Segment offsets of the rows (u32, n + 1). */
  readonly rowSeg: GPUBuffer;
  #live = true;

  private constructor(gpu: Gpu, g: CsrGraph, segment: number, m = g.n) {
    const { n, rowOffsets, cols, weights, degrees } = g;
    if (
      rowOffsets.length !== n + 1 || rowOffsets[n] !== cols.length ||
      weights.length !== cols.length || degrees.length !== n
    ) {
      throw new RangeError(
        `CSR graph arrays disagree: n = ${n}, rowOffsets ${rowOffsets.length}, cols ${cols.length}, ` +
          `weights ${weights.length}, degrees ${degrees.length}`,
      );
    }
    const rowSeg = new Uint32Array(n + 1);
    for (let j = 0; j < n; j++) {
      rowSeg[j + 1] = rowSeg[j] + Math.ceil((rowOffsets[j + 1] - rowOffsets[j]) / segment);
    }
    const segments = rowSeg[n];
    const segStart = new Uint32Array(segments + 1);
    const segRow = new Uint32Array(segments);
    for (let j = 0; j < n; j++) {
      for (let s = rowSeg[j]; s < rowSeg[j + 1]; s++) {
        segRow[s] = j;
        segStart[s] = rowOffsets[j] + (s - rowSeg[j]) * segment;
      }
    }
    segStart[segments] = cols.length;
    this.gpu = gpu;
    this.n = n;
    this.m = m;
    this.nnz = cols.length;
    this.segments = segments;
    const up = (a: Uint32Array | Float32Array) => {
      const b = gpu.pool.acquire(a.byteLength);
      if (a.length > 0) gpu.write(b, a);
      return b;
    };
    this.cols = up(cols);
    this.weights = up(weights);
    this.degrees = up(degrees);
    this.segStart = up(segStart);
    this.segRow = up(segRow);
    this.rowSeg = up(rowSeg);
  }

  /**
   * Uploads `graph`. `segment` (default {@linkcode CSR_SEGMENT}, at most that) is the
   * longest row piece one invocation sums; smaller values are for tests.
   */
  static fromGraph(gpu: Gpu, graph: CsrGraph, options: { segment?: number } = {}): GpuCsr {
    const segment = options.segment ?? CSR_SEGMENT;
    if (!Number.isInteger(segment) || segment < 1 || segment > CSR_SEGMENT) {
      throw new RangeError(`GpuCsr option segment is ${segment}: expected 1..${CSR_SEGMENT}`);
    }
    return new GpuCsr(gpu, graph, segment);
  }

  /**
   * Uploads a rows x cols sparse matrix in CSR form (columns ascending within a
   * row, each below `cols`) for {@linkcode spmm}: out = H Aᵀ for H of `cols`
   * columns, cut into segments of `segment` entries (default
   * {@linkcode MATRIX_SEGMENT}). Its `degrees` are the row sums. Throws a RangeError
   * on arrays that disagree or a column out of range.
   *
   * @example
   * ```ts
   * import { Gpu } from "./gpu.ts";
   * const gpu = await Gpu.create({ log: null });
   * // 2 documents x 3 terms: [[1, 0, 2], [0, 3, 0]]
   * const a = GpuCsr.fromMatrix(gpu, {
   *   rows: 2, cols: 3, indptr: new Uint32Array([0, 2, 3]),
   *   indices: new Uint32Array([0, 2, 1]), values: new Float32Array([1, 2, 3]),
   * });
   * console.log(a.n, a.m, a.nnz); // 2 3 3
   * a.dispose();
   * gpu.destroy();
   * ```
   */
  static fromMatrix(
    gpu: Gpu,
    a: {
      rows: number;
      cols: number;
      indptr: Uint32Array;
      indices: Uint32Array;
      values: Float32Array;
    },
    options: { segment?: number } = {},
  ): GpuCsr {
    const segment = options.segment ?? MATRIX_SEGMENT;
    if (!Number.isInteger(segment) || segment < 1 || segment > CSR_SEGMENT) {
      throw new RangeError(`GpuCsr option segment is ${segment}: expected 1..${CSR_SEGMENT}`);
    }
    for (let e = 0; e < a.indices.length; e++) {
      if (a.indices[e] >= a.cols) {
        throw new RangeError(
          `Sparse matrix entry ${e} has column ${a.indices[e]}, not below ${a.cols}`,
        );
      }
    }
    const degrees = new Float32Array(a.rows);
    if (a.indptr.length === a.rows + 1) {
      for (let r = 0; r < a.rows; r++) {
        for (let e = a.indptr[r]; e < a.indptr[r + 1]; e++) degrees[r] += a.values[e];
      }
    }
    const g = { n: a.rows, rowOffsets: a.indptr, cols: a.indices, weights: a.values, degrees };
    return new GpuCsr(gpu, g, segment, a.cols);
  }

  /** Returns the buffers to the pool. Safe to call twice. */
  dispose(): void {
    if (!this.#live) return;
    this.#live = false;
    for (
      const b of [this.cols, this.weights, this.degrees, this.segStart, this.segRow, this.rowSeg]
    ) {
      this.gpu.pool.release(b);
    }
  }
}
