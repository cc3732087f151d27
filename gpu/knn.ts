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
import { loadWgsl } from "./load_wgsl.ts";

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
  /**
   * Rows per GPU shard when the samples are a Float32Array; default: as many as fit in one
   * storage binding. Samples larger than one binding are split into shards.
   */
  shardRows?: number;
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
  norms: await loadWgsl("./knn_row_norms.wgsl", import.meta.url),
  slice: await loadWgsl("./knn_slice.wgsl", import.meta.url),
  merge: await loadWgsl("./knn_merge.wgsl", import.meta.url),
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

/** Row-stacked GPU shards of the samples, with a copy of any row range into a block. */
class _Shards {
  readonly n: number;
  readonly d: number;
  readonly shards: GpuMatrix[];
  readonly starts: number[];
  readonly owned: boolean;

  constructor(gpu: Gpu, x: Float32Array | GpuMatrix, dim: number | undefined, shardRows?: number) {
    if (x instanceof GpuMatrix) {
      this.n = x.rows;
      this.d = x.cols;
      this.shards = [x];
      this.starts = [0];
      this.owned = false;
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
    const fit = Math.floor(Math.min(gpu.maxBinding, gpu.device.limits.maxBufferSize) / (dim * 4));
    if (fit < 1) {
      throw new RangeError(`knn dim = ${dim} is too large: one row exceeds a storage binding`);
    }
    const per = Math.min(fit, shardRows === undefined ? fit : _positiveInt("shardRows", shardRows));
    this.shards = [];
    this.starts = [];
    this.owned = true;
    for (let r0 = 0; r0 < this.n; r0 += per) {
      const rows = Math.min(per, this.n - r0);
      this.starts.push(r0);
      this.shards.push(
        GpuMatrix.fromArray(gpu, rows, dim, x.subarray(r0 * dim, (r0 + rows) * dim)),
      );
    }
  }

  /** Records copies of rows [r0, r0 + dst.rows) into `dst`. */
  copyRows(gpu: Gpu, r0: number, dst: GpuMatrix): void {
    const enc = gpu.encoder();
    const rowBytes = this.d * 4;
    let r = r0;
    const end = r0 + dst.rows;
    for (let s = 0; s < this.shards.length && r < end; s++) {
      const s0 = this.starts[s];
      const s1 = s0 + this.shards[s].rows;
      if (r >= s1) continue;
      const take = Math.min(end, s1) - r;
      enc.copyBufferToBuffer(
        this.shards[s].buffer,
        (r - s0) * rowBytes,
        dst.buffer,
        (r - r0) * rowBytes,
        take * rowBytes,
      );
      r += take;
    }
  }

  dispose(): void {
    if (this.owned) { for (const s of this.shards) s.dispose(); }
  }
}

function _rowNorms(gpu: Gpu, m: GpuMatrix, out: GPUBuffer): void {
  for (let c0 = 0; c0 < m.cols; c0 += D_CHUNK) {
    const u = new Uint32Array([m.rows, m.cols, c0, Math.min(m.cols, c0 + D_CHUNK)]);
    gpu.dispatch(NORMS, { rows: m.rows }, [m.buffer, out], u);
  }
}

/**
 * Exact k nearest neighbours of every sample among all samples, by brute force on
 * the GPU. For each block of queries Q and block of candidates C, one GEMM gives the
 * tile Q Cᵀ; with the row norms it becomes squared Euclidean distances
 * ‖q‖² + ‖c‖² − 2 q·c (clamped at 0) or cosine distances 1 − q·c / (‖q‖ ‖c‖)
 * (1 for a zero row), and a top-k kernel merges it into a running list per query.
 * Samples are the n rows of an n x d matrix (GpuMatrix, or Float32Array with
 * `dim`; a Float32Array larger than one storage binding is split into GPU shards).
 * Work is O(n² d); memory O(n k + block²), never n x n.
 *
 * With `labels`, neighbours are restricted to samples of the same label (the
 * label graphs of Trigeorgis et al., Deep WSF, and of Cai et al., GNMF).
 *
 * @example
 * ```ts
 * const gpu = await Gpu.create({ log: null });
 * const x = new Float32Array([0, 0, 1, 0, 0, 1, 5, 5]); // 4 points in 2-D
 * const { indices } = await knn(gpu, x, { k: 2, dim: 2 });
 * console.log(indices.slice(0, 2)); // [1, 2]: the neighbours of point 0
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
  const qb = _positiveInt("queryBlock", options.queryBlock ?? 2048);
  const slice = knnSliceLength(k);
  const cb = _positiveInt("candidateBlock", options.candidateBlock ?? 2048, slice * MAX_SLICES);
  const src = new _Shards(gpu, x, options.dim, options.shardRows);
  const { n, d } = src;
  const labels = options.labels;
  if (labels !== undefined && (!(labels instanceof Int32Array) || labels.length !== n)) {
    src.dispose();
    throw new RangeError(`knn option labels must be an Int32Array of length n = ${n}`);
  }

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
  const qnorm = pool.acquire(qRowsMax * 4);
  const cnorm = pool.acquire(cRowsMax * 4);
  const sliceD = pool.acquire(qRowsMax * slicesMax * k * 4);
  const sliceI = pool.acquire(qRowsMax * slicesMax * k * 4);
  const sliceV = _sliceVariant(k);
  const mergeV = _mergeVariant(k);
  let qm: GpuMatrix | null = null;
  try {
    for (let q0 = 0; q0 < n; q0 += qb) {
      const qRows = Math.min(qb, n - q0);
      qm = GpuMatrix.empty(gpu, qRows, d);
      src.copyRows(gpu, q0, qm);
      _rowNorms(gpu, qm, qnorm);
      for (let c0 = 0; c0 < n; c0 += cb) {
        const cRows = Math.min(cb, n - c0);
        let cm: GpuMatrix = qm;
        if (c0 !== q0 || cRows !== qRows) {
          cm = GpuMatrix.empty(gpu, cRows, d);
          src.copyRows(gpu, c0, cm);
          _rowNorms(gpu, cm, cnorm);
        }
        const tm = GpuMatrix.empty(gpu, qRows, cRows);
        gemm(qm, cm, tm, { transB: true });
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
        gpu.dispatch(sliceV, { rows: qRows, slices: nSlices }, [
          tm.buffer,
          qnorm,
          cm === qm ? qnorm : cnorm,
          labelBuf,
          sliceD,
          sliceI,
        ], u);
        gpu.dispatch(
          mergeV,
          { rows: qRows },
          [sliceD, sliceI, runD, runI],
          new Uint32Array([
            qRows,
            q0,
            nSlices,
            0,
          ]),
        );
        tm.dispose(); // back to the pool: a later reuse is ordered after this work
        if (cm !== qm) cm.dispose();
      }
      qm.dispose();
      qm = null;
      gpu.flush();
    }
    const distances = new Float32Array(await gpu.read(runD, n * k * 4));
    const indices = new Int32Array(await gpu.read(runI, n * k * 4));
    return { n, k, indices, distances };
  } finally {
    qm?.dispose();
    for (const b of [runD, runI, labelBuf, qnorm, cnorm, sliceD, sliceI]) pool.release(b);
    src.dispose();
  }
}
