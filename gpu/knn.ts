/**
 * Exact brute-force k-nearest neighbours on the GPU: distance tiles by GEMM,
 * then a bounded per-row top-k merged into a running list.
 *
 * @module
 */

import { fillTemplate } from "./fill_template.ts";
import { gemm } from "./gemm.ts";
import type { Gpu, KernelVariant } from "./gpu.ts";
import { GpuMatrix } from "./gpu_matrix.ts";
import knnRowNormsWgsl from "./knn_row_norms.wgsl" with { type: "text" };
import knnSliceWgsl from "./knn_slice.wgsl" with { type: "text" };
import knnMergeWgsl from "./knn_merge.wgsl" with { type: "text" };
import knnTransposeWgsl from "./knn_transpose.wgsl" with { type: "text" };

/** Distance of {@linkcode knn}: squared Euclidean ‖x−y‖², or cosine distance 1 − cos(x, y). */
export type KnnMetric = "euclidean" | "cosine";

/** Largest k of {@linkcode knn}. */
export const KNN_MAX_K = 64;

/** Options of {@linkcode knn}. */
export interface KnnOptions {
  /** Neighbours per sample, 1..64. */
  k: number;
  /** Columns d of each sample; required when the samples are a Float32Array. */
  dim?: number;
  /** Distance. Default "euclidean" (reported squared). */
  metric?: KnnMetric;
  /** Leave each sample out of its own list. Default true. */
  excludeSelf?: boolean;
  /**
   * Class of each sample (length n); when given, a sample's neighbours are taken
   * among samples with the same label only. Negative = unknown label.
   */
  labels?: Int32Array;
  /**
   * Neighbours of samples with an unknown label: "knn" takes them among all samples,
   * "none" gives them no neighbours. Default "knn".
   */
  unlabeled?: "knn" | "none";
  /** Query rows per distance tile. Default 2048. */
  queryBlock?: number;
  /** Candidate rows per distance tile. Default 2048. */
  candidateBlock?: number;
}

/**
 * Neighbour lists: row i holds the k nearest samples of sample i, ascending by
 * (distance, index); index −1 (distance 3.4e38) pads rows with fewer than k candidates.
 */
export interface KnnResult {
  /** Number of samples. */
  n: number;
  /** Neighbours per row. */
  k: number;
  /** n x k neighbour indices, row-major. */
  indices: Int32Array;
  /** n x k distances (squared Euclidean or cosine distance), row-major. */
  distances: Float32Array;
}

/** Loop iterations one top-k invocation may spend (llvmpipe stops at 65,535). */
const SLICE_BUDGET = 16384;
const MAX_SLICES = 64;
const D_CHUNK = 8192;

const SRC = {
  norms: knnRowNormsWgsl,
  slice: knnSliceWgsl,
  merge: knnMergeWgsl,
};

interface Rows {
  rows: number;
}
interface Grid {
  rows: number;
  slices: number;
}

const NORMS: KernelVariant<Rows> = {
  name: "knn_row_norms",
  wgsl: SRC.norms,
  workgroupSize: [64, 1, 1],
  dispatch: ({ rows }) => [Math.ceil(rows / 64), 1, 1],
};

const TRANSPOSE: KernelVariant<{ rows: number; cols: number }> = {
  name: "knn_transpose",
  wgsl: knnTransposeWgsl,
  workgroupSize: [16, 16, 1],
  dispatch: ({ rows, cols }) => [Math.ceil(rows / 16), Math.ceil(cols / 16), 1],
};

const sliceVariants = new Map<number, KernelVariant<Grid>>();
const mergeVariants = new Map<number, KernelVariant<Rows>>();

function _sliceVariant(k: number): KernelVariant<Grid> {
  let v = sliceVariants.get(k);
  if (!v) {
    v = {
      name: `knn_slice_k${k}`,
      wgsl: fillTemplate(SRC.slice, { K: k }),
      workgroupSize: [64, 1, 1],
      dispatch: ({ rows, slices }) => [Math.ceil(rows / 64), slices, 1],
    };
    sliceVariants.set(k, v);
  }
  return v;
}

function _mergeVariant(k: number): KernelVariant<Rows> {
  let v = mergeVariants.get(k);
  if (!v) {
    v = {
      name: `knn_merge_k${k}`,
      wgsl: fillTemplate(SRC.merge, { K: k }),
      workgroupSize: [64, 1, 1],
      dispatch: ({ rows }) => [Math.ceil(rows / 64), 1, 1],
    };
    mergeVariants.set(k, v);
  }
  return v;
}

/**
 * Candidates one top-k invocation scans for a given k: slice * (k + 2) + k loop
 * iterations stay within {@linkcode SLICE_BUDGET} plus k (see knn_slice.wgsl).
 */
export function knnSliceLength(k: number): number {
  return Math.floor(SLICE_BUDGET / (k + 2));
}

function _positiveInt(name: string, v: number, max = Infinity): number {
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw new RangeError(
      `knn option ${name} is ${v}: expected an integer in 1..${max === Infinity ? "∞" : max}`,
    );
  }
  return v;
}

/** The samples, on the CPU or the GPU, with a copy of any row range into a GPU block. */
class _Samples {
  readonly n: number;
  readonly d: number;
  readonly #x: Float32Array | GpuMatrix;

  constructor(x: Float32Array | GpuMatrix, dim: number | undefined) {
    this.#x = x;
    if (x instanceof GpuMatrix) {
      this.n = x.rows;
      this.d = x.cols;
      return;
    }
    if (!(x instanceof Float32Array)) {
      throw new TypeError("knn samples must be a Float32Array (n x dim, row-major) or a GpuMatrix");
    }
    if (dim === undefined) {
      throw new TypeError("knn option dim is required when the samples are a Float32Array");
    }
    this.d = _positiveInt("dim", dim);
    if (x.length === 0 || x.length % dim !== 0) {
      throw new RangeError(
        `knn samples have ${x.length} values, not a positive multiple of dim = ${dim}`,
      );
    }
    this.n = x.length / dim;
  }

  /** Rows [r0, r0 + dst.rows) into `dst`: a recorded copy, or a queue write (flushes). */
  copyRows(gpu: Gpu, r0: number, dst: GpuMatrix): void {
    const x = this.#x;
    const bytes = dst.rows * this.d * 4;
    if (x instanceof GpuMatrix) {
      gpu.encoder().copyBufferToBuffer(x.buffer, r0 * this.d * 4, dst.buffer, 0, bytes);
    } else gpu.write(dst.buffer, x.subarray(r0 * this.d, (r0 + dst.rows) * this.d));
  }
}

/** Records out[off + i] = ‖row i of m‖² for every row of m. */
function _rowNorms(gpu: Gpu, m: GpuMatrix, out: GPUBuffer, off: number): void {
  for (let c0 = 0; c0 < m.cols; c0 += D_CHUNK) {
    const u = new Uint32Array([m.rows, m.cols, c0, Math.min(m.cols, c0 + D_CHUNK), off, 0, 0, 0]);
    gpu.dispatch(NORMS, { rows: m.rows }, [m.buffer, out], u);
  }
}

/**
 * Exact k nearest neighbours of every sample among all samples, by brute force on
 * the GPU. For each block of queries Q and block of candidates C, one GEMM gives the
 * tile Q Cᵀ; with the row norms it becomes squared Euclidean distances
 * ‖q‖² + ‖c‖² − 2 q·c (clamped at 0) or cosine distances 1 − q·c / (‖q‖ ‖c‖)
 * (1 for a zero row), and a top-k kernel merges it into a running list per query.
 * Samples are the n rows of an n x d matrix: a GpuMatrix, or a Float32Array with
 * `dim` of any size (only blocks of it go to the GPU, each within one storage
 * binding). Work is O(n² d); GPU memory n d (candidate blocks, transposed once) +
 * O(n k + blocks), never n x n.
 *
 * With `labels`, neighbours are restricted to samples of the same label (the
 * label graphs of Trigeorgis et al., Deep WSF, and of Cai et al., GNMF). The
 * search then runs on the samples sorted by label (a CPU copy of X, read back
 * first when X is a GpuMatrix) and skips every tile whose query and candidate
 * blocks share no label, so its work is about Σ_c n_c² d instead of n² d (half
 * for a 45/55 binary attribute); unknown labels searched among all samples
 * ("knn") keep their query blocks' full rows of tiles.
 *
 * @example
 * ```ts
 * import { Gpu } from "./gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = new Float32Array([0, 0, 1, 0, 0, 1, 5, 5]); // 4 points in 2-D
 * const { indices, distances } = await knn(gpu, x, { k: 2, dim: 2 });
 * console.log(indices.slice(0, 2), distances.slice(0, 2)); // [1, 2] [1, 1]: point 0's neighbours
 * gpu.destroy();
 * ```
 */
export async function knn(
  gpu: Gpu,
  x: Float32Array | GpuMatrix,
  options: KnnOptions,
): Promise<KnnResult> {
  const k = _positiveInt("k", options.k, KNN_MAX_K);
  const metric = options.metric ?? "euclidean";
  if (metric !== "euclidean" && metric !== "cosine") {
    throw new RangeError(`knn option metric is "${metric}": expected "euclidean" or "cosine"`);
  }
  const unlabeled = options.unlabeled ?? "knn";
  if (unlabeled !== "knn" && unlabeled !== "none") {
    throw new RangeError(`knn option unlabeled is "${unlabeled}": expected "knn" or "none"`);
  }
  let src = new _Samples(x, options.dim);
  const { n, d } = src;
  // default blocks: 2048 rows, fewer when 2048 rows of d columns exceed one binding
  const fit = Math.max(1, Math.floor(gpu.maxBinding / (d * 4)));
  const qb = _positiveInt("queryBlock", options.queryBlock ?? Math.min(2048, fit));
  const slice = knnSliceLength(k);
  const cb = _positiveInt(
    "candidateBlock",
    options.candidateBlock ?? Math.min(2048, fit),
    slice * MAX_SLICES,
  );
  if (
    options.labels !== undefined &&
    (!(options.labels instanceof Int32Array) || options.labels.length !== n)
  ) {
    throw new RangeError(`knn option labels must be an Int32Array of length n = ${n}`);
  }
  // With labels, rows are searched in label order (`order[i]` = original row of row i).
  const order = options.labels ? _labelOrder(options.labels) : null;
  const labels = order ? Int32Array.from(order, (i) => options.labels![i]) : undefined;
  if (order) {
    const data = x instanceof GpuMatrix ? await x.toArray() : x;
    const sorted = new Float32Array(n * d);
    for (let i = 0; i < n; i++) sorted.set(data.subarray(order[i] * d, (order[i] + 1) * d), i * d);
    src = new _Samples(sorted, d);
  }
  const searchAll = unlabeled === "knn";
  const span = (r0: number, r1: number) => (labels ? _labelSpan(labels, r0, r1) : null);

  const pool = gpu.pool;
  const runD = pool.acquire(n * k * 4);
  const runI = pool.acquire(n * k * 4);
  gpu.write(runD, new Float32Array(n * k).fill(3.4028235e38));
  gpu.write(runI, new Int32Array(n * k).fill(-1));
  const labelBuf = pool.acquire(labels ? n * 4 : 16);
  if (labels) gpu.write(labelBuf, labels);
  const qRowsMax = Math.min(qb, n);
  const cRowsMax = Math.min(cb, n);
  const slicesMax = Math.ceil(cRowsMax / slice);
  const norms = pool.acquire(n * 4);
  const sliceD = pool.acquire(qRowsMax * slicesMax * k * 4);
  const sliceI = pool.acquire(qRowsMax * slicesMax * k * 4);
  const sliceV = _sliceVariant(k);
  const mergeV = _mergeVariant(k);
  const temps: GpuMatrix[] = [];
  const cts: GpuMatrix[] = [];
  try {
    // Candidate blocks transposed once (d x cRows), with every row's squared norm: the
    // register GEMM runs Q C (C d x c) about twice as fast as Q Cᵀ on llvmpipe.
    for (let c0 = 0; c0 < n; c0 += cb) {
      const cRows = Math.min(cb, n - c0);
      const cm = GpuMatrix.empty(gpu, cRows, d);
      temps.push(cm);
      src.copyRows(gpu, c0, cm);
      _rowNorms(gpu, cm, norms, c0);
      const ct = GpuMatrix.empty(gpu, d, cRows);
      cts.push(ct);
      gpu.dispatch(
        TRANSPOSE,
        { rows: cRows, cols: d },
        [cm.buffer, ct.buffer],
        new Uint32Array([
          cRows,
          d,
          0,
          0,
        ]),
      );
      cm.dispose(); // back to the pool: a later reuse is ordered after this work
      temps.pop();
    }
    const cSpans = cts.map((ct, b) => span(b * cb, b * cb + ct.cols));
    for (let q0 = 0; q0 < n; q0 += qb) {
      const qRows = Math.min(qb, n - q0);
      const qSpan = span(q0, q0 + qRows);
      const needs = (b: number) => !qSpan || _tileNeeded(qSpan, cSpans[b]!, searchAll);
      if (!cts.some((_, b) => needs(b))) continue;
      const qm = GpuMatrix.empty(gpu, qRows, d);
      temps.push(qm);
      src.copyRows(gpu, q0, qm);
      for (let b = 0; b < cts.length; b++) {
        if (!needs(b)) continue;
        const c0 = b * cb;
        const cRows = cts[b].cols;
        const tm = GpuMatrix.empty(gpu, qRows, cRows);
        gemm(qm, cts[b], tm);
        const nSlices = Math.ceil(cRows / slice);
        const u = new Uint32Array([
          qRows,
          cRows,
          q0,
          c0,
          slice,
          nSlices,
          metric === "euclidean" ? 0 : 1,
          labels ? 1 : 0,
          unlabeled === "knn" ? 1 : 0,
          options.excludeSelf === false ? 0 : 1,
          0,
          0,
        ]);
        const grid = { rows: qRows, slices: nSlices };
        gpu.dispatch(sliceV, grid, [tm.buffer, norms, labelBuf, sliceD, sliceI], u);
        const mu = new Uint32Array([qRows, q0, nSlices, 0]);
        gpu.dispatch(mergeV, { rows: qRows }, [sliceD, sliceI, runD, runI], mu);
        tm.dispose();
      }
      qm.dispose();
      temps.pop();
      gpu.flush();
    }
    const distances = new Float32Array(await gpu.read(runD, n * k * 4));
    const indices = new Int32Array(await gpu.read(runI, n * k * 4));
    const res = { n, k, indices, distances };
    return order ? _unsort(res, order) : res;
  } finally {
    for (const m of [...temps, ...cts]) m.dispose();
    for (const b of [runD, runI, labelBuf, norms, sliceD, sliceI]) pool.release(b);
  }
}

/** Rows ordered by label, stably (rows of one label keep their order; unknown, −1, first). */
function _labelOrder(labels: Int32Array): Uint32Array {
  const order = Uint32Array.from(labels, (_, i) => i);
  return order.sort((a, b) => labels[a] - labels[b] || a - b);
}

interface _Span {
  /** Smallest and largest known (>= 0) label of the rows; lo > hi when none is known. */
  lo: number;
  hi: number;
  unknown: boolean;
}

/** The labels of rows [r0, r1) of label-sorted `labels`. */
function _labelSpan(labels: Int32Array, r0: number, r1: number): _Span {
  let first = r0;
  while (first < r1 && labels[first] < 0) first++;
  const known = first < r1;
  return {
    lo: known ? labels[first] : 1,
    hi: known ? labels[r1 - 1] : 0,
    unknown: first > r0,
  };
}

/**
 * Whether a tile can hold an admissible pair: some label in both blocks (sorted rows,
 * so overlapping label ranges share a label), or unknown-label queries searching all.
 */
function _tileNeeded(q: _Span, c: _Span, searchAll: boolean): boolean {
  return (q.unknown && searchAll) || (q.lo <= q.hi && c.lo <= c.hi && q.lo <= c.hi && c.lo <= q.hi);
}

/**
 * Lists of label-sorted rows back in the caller's order and numbering, each row
 * re-sorted by (distance, index) in that numbering (ties of unknown-label rows may
 * span labels, whose sorted numbering differs).
 */
function _unsort(res: KnnResult, order: Uint32Array): KnnResult {
  const { n, k } = res;
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const dst = order[i] * k;
    for (let t = 0; t < k; t++) {
      const j = res.indices[i * k + t];
      let u = t;
      const [dj, ij] = [res.distances[i * k + t], j < 0 ? -1 : order[j]];
      // insertion by (distance, index); −1 pads stay last (largest distance)
      while (
        u > 0 && ij >= 0 && (distances[dst + u - 1] > dj ||
          (distances[dst + u - 1] === dj && indices[dst + u - 1] > ij))
      ) {
        distances[dst + u] = distances[dst + u - 1];
        indices[dst + u] = indices[dst + u - 1];
        u--;
      }
      distances[dst + u] = dj;
      indices[dst + u] = ij;
    }
  }
  return { n, k, indices, distances };
}
