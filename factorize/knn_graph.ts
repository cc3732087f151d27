/**
 * Sample graphs for graph-regularized factorizations (GNMF, Deep WSF): kNN graphs,
 * optionally within labels, or complete within each class; symmetrized, weighted,
 * in CSR form with degrees.
 *
 * @module
 */

import { gemm } from "../gpu/gemm.ts";
import type { Gpu } from "../gpu/gpu.ts";
import type { CsrGraph } from "../gpu/gpu_csr.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { knn, type KnnMetric, type KnnResult } from "../gpu/knn.ts";
import { projectRows } from "./project_rows.ts";

/**
 * Edge weights: 1, the heat kernel exp(−‖xᵢ−xⱼ‖²/(2t²)), or the cosine similarity
 * (clamped at 0, so weights stay non-negative for multiplicative updates).
 */
export type GraphWeight = "binary" | "heat" | "cosine";

/** How directed kNN lists become a symmetric graph. */
export type Symmetrize = "max" | "mutual";

/** Options of {@linkcode knnGraph}. */
export interface KnnGraphOptions {
  /** Neighbours per sample, 1..64. Default 5 (Cai et al.'s GNMF demo). */
  k?: number;
  /** Columns d of each sample; required when the samples are a Float32Array. */
  dim?: number;
  /**
   * Search on the samples projected to this many dimensions by a truncated randomized SVD
   * (Halko et al.; GEMMs on the GPU) instead of all d: the distance tiles cost d / reduce
   * times less, which is what makes graphs at CelebA scale cheap. Distances and heat-kernel
   * weights are then those of the projections. Default: no reduction.
   */
  reduce?: number;
  /** Neighbour distance. Default "cosine" for cosine weights, else "euclidean". */
  metric?: KnnMetric;
  /** Edge weights. Default "binary". */
  weight?: GraphWeight;
  /**
   * Heat-kernel width t. Default: the mean distance ‖xᵢ−xⱼ‖ over the stored entries of
   * the symmetrized graph (for the cosine metric, between rows scaled to unit length).
   */
  t?: number;
  /** "max": edge if either end lists the other; "mutual": if both do. Default "max". */
  symmetrize?: Symmetrize;
  /** Class of each sample (length n, negative = unknown): neighbours within the class only. */
  labels?: Int32Array;
  /** Samples with an unknown label get plain kNN edges ("knn") or none ("none"). Default "knn". */
  unlabeled?: "knn" | "none";
  /**
   * Connect every pair within each class instead of k neighbours (the complete
   * heat-kernel graph of Trigeorgis et al.'s small-data experiments). Needs labels
   * and n <= 10,000; `symmetrize` then applies only to the kNN edges of unknown labels.
   */
  complete?: boolean;
  /** Query rows per distance tile of the kNN search. */
  queryBlock?: number;
  /** Candidate rows per distance tile of the kNN search. */
  candidateBlock?: number;
}

/** Largest n for which {@linkcode KnnGraphOptions.complete} is accepted. */
export const COMPLETE_GRAPH_MAX_N = 10000;

/** A CSR with a squared distance per entry, before weighting. */
interface _DistCsr {
  rowOffsets: Uint32Array;
  cols: Uint32Array;
  dist2: Float32Array;
}

/**
 * The symmetric weighted graph of the samples (rows of an n x d matrix): exact kNN
 * on the GPU ({@linkcode knn}), restricted to same-label samples when `labels` are
 * given, or complete within each class; then symmetrized and weighted on the CPU
 * in O(n k). This is the graph W of GNMF (Cai et al., "Graph Regularized
 * Nonnegative Matrix Factorization for Data Representation", TPAMI 2011) and of
 * each attribute layer of Deep WSF (Trigeorgis et al., "A Deep Matrix
 * Factorization Method for Learning Attribute Representations", TPAMI 2017),
 * which add λ tr(H L Hᵀ), L = D − W, to the cost for H (k x n).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = new Float32Array([0, 0, 1, 0, 0, 2, 6, 0]); // 4 samples in 2-D
 * const g = await knnGraph(gpu, x, { dim: 2, k: 1 }); // nearest: 0→1, 1→0, 2→0, 3→1
 * console.log(g.rowOffsets, g.cols); // Uint32Array [0, 2, 4, 5, 6] Uint32Array [1, 2, 0, 3, 0, 1]
 * console.log(g.degrees); // Float32Array [2, 2, 1, 1]: binary weights
 * gpu.destroy();
 * ```
 */
export async function knnGraph(
  gpu: Gpu,
  x: Float32Array | GpuMatrix,
  options: KnnGraphOptions = {},
): Promise<CsrGraph> {
  const weight = options.weight ?? "binary";
  if (weight !== "binary" && weight !== "heat" && weight !== "cosine") {
    throw new RangeError(
      `knnGraph option weight is "${weight}": expected "binary", "heat" or "cosine"`,
    );
  }
  const metric = options.metric ?? (weight === "cosine" ? "cosine" : "euclidean");
  if (weight === "cosine" && metric !== "cosine") {
    throw new RangeError('knnGraph option weight "cosine" needs metric "cosine"');
  }
  const mode = options.symmetrize ?? "max";
  if (mode !== "max" && mode !== "mutual") {
    throw new RangeError(`knnGraph option symmetrize is "${mode}": expected "max" or "mutual"`);
  }
  if (options.t !== undefined && !(options.t > 0 && Number.isFinite(options.t))) {
    throw new RangeError(`knnGraph option t is ${options.t}: expected a positive number`);
  }
  const k = options.k ?? 5;
  const unlabeled = options.unlabeled ?? "knn";
  let dim = options.dim;
  if (options.reduce !== undefined) {
    x = await projectRows(gpu, x, dim, options.reduce);
    dim = options.reduce;
  }
  const knnOptions = {
    k,
    dim,
    metric,
    unlabeled,
    queryBlock: options.queryBlock,
    candidateBlock: options.candidateBlock,
  };
  let csr: _DistCsr;
  if (!options.complete) {
    const res = await knn(gpu, x, { ...knnOptions, labels: options.labels });
    csr = _symmetrizeKnn(res, mode, metric);
  } else {
    const labels = options.labels;
    if (!labels) throw new RangeError("knnGraph option complete needs labels");
    const data = x instanceof GpuMatrix ? await x.toArray() : x;
    const d = x instanceof GpuMatrix ? x.cols : dim;
    if (d === undefined) {
      throw new TypeError("knnGraph option dim is required when the samples are a Float32Array");
    }
    const n = data.length / d;
    if (n > COMPLETE_GRAPH_MAX_N) {
      throw new RangeError(
        `knnGraph option complete allows n <= ${COMPLETE_GRAPH_MAX_N}, got n = ${n}: use k neighbours`,
      );
    }
    if (labels.length !== n) {
      throw new RangeError(`knnGraph option labels must have length n = ${n}`);
    }
    csr = await _completeClassGraph(gpu, data, d, labels, metric, weight === "binary");
    if (unlabeled === "knn" && labels.some((l) => l < 0)) {
      const res = await knn(gpu, x, knnOptions);
      _keepRows(res, (i) => labels[i] < 0);
      csr = _union(csr, _symmetrizeKnn(res, mode, metric));
    }
  }
  return _weigh(csr, weight, options.t);
}

/** Empties the kNN lists of rows where keep(i) is false. */
function _keepRows(res: KnnResult, keep: (i: number) => boolean): void {
  for (let i = 0; i < res.n; i++) {
    if (!keep(i)) res.indices.fill(-1, i * res.k, (i + 1) * res.k);
  }
}

/** ‖xᵢ−xⱼ‖² from a metric distance: itself, or 2(1 − cos) for rows scaled to unit length. */
function _dist2(delta: number, metric: KnnMetric): number {
  return metric === "euclidean" ? delta : 2 * delta;
}

/**
 * Symmetric CSR of kNN lists: entry (i, j) exists if j lists i or i lists j ("max"),
 * or both ("mutual"); its squared distance is the smaller of the two computed.
 * Two stable counting sorts (by column, then by row) give sorted rows in O(n k).
 */
function _symmetrizeKnn(res: KnnResult, mode: Symmetrize, metric: KnnMetric): _DistCsr {
  const { n, k, indices, distances } = res;
  let e = 0;
  for (let i = 0; i < n * k; i++) if (indices[i] >= 0) e++;
  const m = 2 * e;
  const row = new Uint32Array(m);
  const col = new Uint32Array(m);
  const dist = new Float32Array(m);
  const flag = new Uint8Array(m);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      if (j < 0) continue;
      const d2 = _dist2(distances[i * k + t], metric);
      row[p] = i, col[p] = j, dist[p] = d2, flag[p++] = 1;
      row[p] = j, col[p] = i, dist[p] = d2, flag[p++] = 2;
    }
  }
  const byCol = _countingOrder(col, n, null);
  const order = _countingOrder(row, n, byCol);
  const rowOffsets = new Uint32Array(n + 1);
  const cols = new Uint32Array(m);
  const d2s = new Float32Array(m);
  let q = 0;
  let out = 0;
  for (let r = 0; r < n; r++) {
    while (q < m && row[order[q]] === r) {
      const a = order[q];
      let f = flag[a];
      let dd = dist[a];
      q++;
      while (q < m && row[order[q]] === r && col[order[q]] === col[a]) {
        f |= flag[order[q]];
        dd = Math.min(dd, dist[order[q]]);
        q++;
      }
      if (mode === "max" || f === 3) {
        cols[out] = col[a];
        d2s[out++] = dd;
      }
    }
    rowOffsets[r + 1] = out;
  }
  return { rowOffsets, cols: cols.slice(0, out), dist2: d2s.slice(0, out) };
}

/** Stable counting sort of entry ids by key (0..n−1), visiting entries in `prior` order. */
function _countingOrder(key: Uint32Array, n: number, prior: Uint32Array | null): Uint32Array {
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < key.length; i++) start[key[i] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const out = new Uint32Array(key.length);
  for (let q = 0; q < key.length; q++) {
    const a = prior ? prior[q] : q;
    out[start[key[a]]++] = a;
  }
  return out;
}

/** Entry-wise union of two CSRs with sorted rows, keeping the smaller distance. */
function _union(a: _DistCsr, b: _DistCsr): _DistCsr {
  const n = a.rowOffsets.length - 1;
  const rowOffsets = new Uint32Array(n + 1);
  const cap = a.cols.length + b.cols.length;
  const cols = new Uint32Array(cap);
  const dist2 = new Float32Array(cap);
  let p = 0;
  for (let r = 0; r < n; r++) {
    let i = a.rowOffsets[r], j = b.rowOffsets[r];
    const ie = a.rowOffsets[r + 1], je = b.rowOffsets[r + 1];
    while (i < ie || j < je) {
      if (j >= je || (i < ie && a.cols[i] < b.cols[j])) {
        cols[p] = a.cols[i], dist2[p++] = a.dist2[i++];
      } else if (i >= ie || b.cols[j] < a.cols[i]) {
        cols[p] = b.cols[j], dist2[p++] = b.dist2[j++];
      } else {
        cols[p] = a.cols[i], dist2[p++] = Math.min(a.dist2[i++], b.dist2[j++]);
      }
    }
    rowOffsets[r + 1] = p;
  }
  return { rowOffsets, cols: cols.slice(0, p), dist2: dist2.slice(0, p) };
}

/** Weights and degrees of a distance CSR; t defaults to the mean distance. */
function _weigh(csr: _DistCsr, weight: GraphWeight, t?: number): CsrGraph {
  const { rowOffsets, cols, dist2 } = csr;
  const n = rowOffsets.length - 1;
  const weights = new Float32Array(cols.length);
  if (weight === "binary") weights.fill(1);
  else if (weight === "cosine") {
    for (let e = 0; e < cols.length; e++) weights[e] = Math.max(0, 1 - dist2[e] / 2);
  } else {
    let width = t;
    if (width === undefined) {
      let s = 0;
      for (let e = 0; e < cols.length; e++) s += Math.sqrt(dist2[e]);
      width = cols.length > 0 ? s / cols.length : 1;
      if (!(width > 0)) width = 1; // all distances 0: any width gives weight 1
    }
    const c = 1 / (2 * width * width);
    for (let e = 0; e < cols.length; e++) weights[e] = Math.exp(-dist2[e] * c);
  }
  const degrees = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let e = rowOffsets[r]; e < rowOffsets[r + 1]; e++) s += weights[e];
    degrees[r] = s;
  }
  return { n, rowOffsets, cols, weights, degrees };
}

/** Rows per Gram tile of the complete class graph (a tile is at most 1024 x 10,000). */
const GRAM_BLOCK = 1024;

/**
 * Every pair within each labelled class, with squared distances from Gram tiles of
 * the class computed on the GPU (skipped when `binary`); unknown labels get empty rows.
 */
async function _completeClassGraph(
  gpu: Gpu,
  x: Float32Array,
  d: number,
  labels: Int32Array,
  metric: KnnMetric,
  binary: boolean,
): Promise<_DistCsr> {
  const n = labels.length;
  const classes = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l < 0) continue;
    let c = classes.get(l);
    if (!c) classes.set(l, c = []);
    c.push(i);
  }
  const rowOffsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    rowOffsets[i + 1] = rowOffsets[i] + (labels[i] < 0 ? 0 : classes.get(labels[i])!.length - 1);
  }
  const nnz = rowOffsets[n];
  const cols = new Uint32Array(nnz);
  const dist2 = new Float32Array(nnz);
  for (const members of classes.values()) {
    const m = members.length;
    for (let a = 0; a < m; a++) {
      const o = rowOffsets[members[a]];
      for (let b = 0; b < m; b++) if (b !== a) cols[o + (b < a ? b : b - 1)] = members[b];
    }
    if (binary || m < 2) continue;
    const norms = new Float64Array(m);
    const blocks: GpuMatrix[] = [];
    for (let b0 = 0; b0 < m; b0 += GRAM_BLOCK) {
      const rows = Math.min(GRAM_BLOCK, m - b0);
      const data = new Float32Array(rows * d);
      for (let r = 0; r < rows; r++) {
        const src = x.subarray(members[b0 + r] * d, (members[b0 + r] + 1) * d);
        data.set(src, r * d);
        let s = 0;
        for (let c = 0; c < d; c++) s += src[c] * src[c];
        norms[b0 + r] = s;
      }
      blocks.push(GpuMatrix.fromArray(gpu, rows, d, data));
    }
    try {
      for (let qb = 0; qb < blocks.length; qb++) {
        for (let cb = 0; cb < blocks.length; cb++) {
          const q = blocks[qb], c = blocks[cb];
          const tile = GpuMatrix.empty(gpu, q.rows, c.rows);
          gemm(q, c, tile, { transB: true });
          const g = await tile.toArray();
          tile.dispose();
          for (let r = 0; r < q.rows; r++) {
            const a = qb * GRAM_BLOCK + r;
            const o = rowOffsets[members[a]];
            for (let s = 0; s < c.rows; s++) {
              const b = cb * GRAM_BLOCK + s;
              if (b === a) continue;
              const dot = g[r * c.rows + s];
              let delta: number;
              if (metric === "euclidean") delta = Math.max(0, norms[a] + norms[b] - 2 * dot);
              else {
                const den = Math.sqrt(norms[a] * norms[b]);
                delta = den > 0 ? Math.min(2, Math.max(0, 1 - dot / den)) : 1;
              }
              dist2[o + (b < a ? b : b - 1)] = _dist2(delta, metric);
            }
          }
        }
      }
    } finally {
      for (const b of blocks) b.dispose();
    }
  }
  return { rowOffsets, cols, dist2 };
}
