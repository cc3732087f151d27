/**
 * A sparse data matrix X (d terms x n documents) on the GPU, for NMF of a corpus:
 * the term-document matrix of tens of thousands of terms and ~1% non-zeros that
 * would not fit dense. It offers the products the solvers need (Wᵀ X, X Hᵀ) as
 * sparse x dense kernels, W H sampled at X's non-zeros for the KL updates, and
 * the losses without densifying.
 *
 * @module
 */

import type { Gpu } from "../gpu/gpu.ts";
import { GpuCsr } from "../gpu/gpu_csr.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { reduceToNumber } from "../gpu/reduce.ts";
import { sddmm } from "../gpu/sddmm.ts";
import { spmm } from "../gpu/spmm.ts";

/**
 * A sparse X given as documents x terms in CSR form (scikit-learn's and
 * TfidfVectorizer's layout): document j's entries are `indptr[j] ..< indptr[j + 1]`,
 * at terms `indices` (each below d) with `values`. X itself is d x n.
 */
export interface SparseDataInput {
  /** Number of features (terms). */
  d: number;
  /** Number of samples (documents). */
  n: number;
  /** n + 1 entry offsets, non-decreasing, from 0 to nnz. */
  indptr: Uint32Array;
  /** Term of each entry (below d). */
  indices: Uint32Array;
  /** Value of each entry (finite, >= 0 for NMF). */
  values: Float32Array;
}

/** True when `input` is a {@linkcode SparseDataInput} (it has `indptr`). */
export function isSparseInput(input: unknown): input is SparseDataInput {
  return typeof input === "object" && input !== null && "indptr" in input;
}

/**
 * X (d x n) from a {@linkcode SparseDataInput}, held twice on the GPU: as documents x
 * terms (for Wᵀ X and W H at X's entries in that order) and as terms x documents (for
 * X Hᵀ), each a {@linkcode GpuCsr} with its values also as an nnz x 1 matrix. Memory:
 * about 24 bytes per non-zero, plus the segment tables.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * // 2 documents over 3 terms: X = [[1, 0], [0, 3], [2, 0]] (d = 3, n = 2)
 * const x = SparseDataMatrix.upload(gpu, {
 *   d: 3, n: 2, indptr: new Uint32Array([0, 2, 3]),
 *   indices: new Uint32Array([0, 2, 1]), values: new Float32Array([1, 2, 3]),
 * });
 * const h = GpuMatrix.fromArray(gpu, 1, 2, new Float32Array([1, 1])); // k = 1
 * const xht = GpuMatrix.empty(gpu, 3, 1);
 * x.timesHt(h, xht); // X Hᵀ, d x k: the row sums of X
 * console.log(await xht.toArray(), await x.sumSquares()); // Float32Array [1, 3, 2] 14
 * x.dispose();
 * gpu.destroy();
 * ```
 */
export class SparseDataMatrix {
  /** X as documents x terms (n x d). */
  readonly byDoc: GpuCsr;
  /** X as terms x documents (d x n). */
  readonly byTerm: GpuCsr;
  /** The values in `byDoc`'s entry order (nnz x 1). */
  readonly docValues: GpuMatrix;
  /** The values in `byTerm`'s entry order (nnz x 1). */
  readonly termValues: GpuMatrix;
  readonly #sum: number;
  readonly #sumSquares: number;

  private constructor(
    byDoc: GpuCsr,
    byTerm: GpuCsr,
    docValues: GpuMatrix,
    termValues: GpuMatrix,
    sums: [number, number],
  ) {
    this.byDoc = byDoc;
    this.byTerm = byTerm;
    this.docValues = docValues;
    this.termValues = termValues;
    [this.#sum, this.#sumSquares] = sums;
  }

  /**
   * Uploads `input` (checked by checkInput first) and its transpose, built on the CPU
   * in O(nnz). Throws a RangeError when the entries exceed one storage binding.
   */
  static upload(gpu: Gpu, input: SparseDataInput): SparseDataMatrix {
    const { d, n, indptr, indices, values } = input;
    const nnz = indices.length;
    if (nnz === 0) {
      throw new RangeError("Sparse data has no non-zero entries: nothing to factorize");
    }
    if (nnz * 4 > gpu.maxBinding) {
      throw new RangeError(
        `Sparse data has ${nnz} non-zeros, ${nnz * 4} bytes per array, over the storage binding ` +
          `limit of ${gpu.maxBinding}: keep fewer terms (prep option --max-features) or documents`,
      );
    }
    // The transpose by counting sort: terms' rows, documents ascending within each.
    const tIndptr = new Uint32Array(d + 1);
    for (let e = 0; e < nnz; e++) tIndptr[indices[e] + 1]++;
    for (let t = 0; t < d; t++) tIndptr[t + 1] += tIndptr[t];
    const next = tIndptr.slice(0, d);
    const tIndices = new Uint32Array(nnz);
    const tValues = new Float32Array(nnz);
    let sum = 0;
    let sumSquares = 0;
    for (let j = 0; j < n; j++) {
      for (let e = indptr[j]; e < indptr[j + 1]; e++) {
        const at = next[indices[e]]++;
        tIndices[at] = j;
        tValues[at] = values[e];
        sum += values[e];
        sumSquares += values[e] * values[e];
      }
    }
    const made: { dispose(): void }[] = [];
    const keep = <T extends { dispose(): void }>(m: T): T => {
      made.push(m);
      return m;
    };
    try {
      const byDoc = keep(GpuCsr.fromMatrix(gpu, { rows: n, cols: d, indptr, indices, values }));
      const byTerm = keep(
        GpuCsr.fromMatrix(gpu, {
          rows: d,
          cols: n,
          indptr: tIndptr,
          indices: tIndices,
          values: tValues,
        }),
      );
      const docValues = keep(GpuMatrix.fromArray(gpu, nnz, 1, values));
      const termValues = keep(GpuMatrix.fromArray(gpu, nnz, 1, tValues));
      return new SparseDataMatrix(byDoc, byTerm, docValues, termValues, [sum, sumSquares]);
    } catch (e) {
      for (const m of made) m.dispose();
      throw e;
    }
  }

  /** The device. */
  get gpu(): Gpu {
    return this.byDoc.gpu;
  }

  /** Number of features (terms). */
  get d(): number {
    return this.byDoc.m;
  }

  /** Number of samples (documents). */
  get n(): number {
    return this.byDoc.n;
  }

  /** Stored entries. */
  get nnz(): number {
    return this.byDoc.nnz;
  }

  /** Records out (d x k) = alpha X Hᵀ + beta out for H (k x n). */
  timesHt(h: GpuMatrix, out: GpuMatrix, alpha = 1, beta = 0): void {
    spmm(h, this.byTerm, out, { transOut: true, alpha, beta });
  }

  /** Records out (k x n) = Wᵀ X for W (d x k). */
  wtTimes(w: GpuMatrix, out: GpuMatrix): void {
    spmm(w, this.byDoc, out, { transH: true });
  }

  /**
   * Records out (k x n) = Wᵀ V, where V has X's structure and the
   * values `v` (nnz x 1 in `byDoc` order): Wᵀ (X / WH) of a KL update.
   */
  wtTimesValues(w: GpuMatrix, v: GpuMatrix, out: GpuMatrix): void {
    spmm(w, this.byDoc, out, { transH: true, values: v });
  }

  /** Records out (d x k) = V Hᵀ for values `v` on X's structure in `byTerm` order. */
  valuesTimesHt(v: GpuMatrix, h: GpuMatrix, out: GpuMatrix): void {
    spmm(h, this.byTerm, out, { transOut: true, values: v });
  }

  /** Records out[e] = (W H) at X's entries, in `byDoc` order, or `byTerm` order with `byTerm`. */
  sampleProduct(w: GpuMatrix, h: GpuMatrix, out: GpuMatrix, order: "byDoc" | "byTerm"): void {
    if (order === "byDoc") sddmm(w, h, this.byDoc, out);
    else sddmm(w, h, this.byTerm, out, { rowsAreSamples: false });
  }

  /** Σ X (float64, from the CPU copy at upload). */
  sum(): Promise<number> {
    return Promise.resolve(this.#sum);
  }

  /** ‖X‖² (float64, from the CPU copy at upload). */
  sumSquares(): Promise<number> {
    return Promise.resolve(this.#sumSquares);
  }

  /**
   * Σ over X's entries of x log(x / WH) − x with WH floored at 1e-12: with Σ WH
   * over all of X added, the generalized KL divergence D(X‖WH).
   */
  async klAtEntries(w: GpuMatrix, h: GpuMatrix): Promise<number> {
    const wh = GpuMatrix.empty(this.gpu, this.nnz, 1);
    try {
      this.sampleProduct(w, h, wh, "byDoc");
      return await reduceToNumber("klAtEntries", this.docValues, { y: wh });
    } finally {
      wh.dispose();
    }
  }

  /** Frees the GPU memory. */
  dispose(): void {
    for (const m of [this.byDoc, this.byTerm, this.docValues, this.termValues]) m.dispose();
  }
}
