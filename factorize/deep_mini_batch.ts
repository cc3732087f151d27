/**
 * Mini-batches of the non-linear Deep Semi-NMF's gradient fit: the batch's
 * samples of X, of every layer's code Hᵢ and pre-activation Pᵢ, of the last
 * layer's parameter (H̃ or H_m) and of its Adam moments are gathered into
 * batch-sized matrices on the GPU; after the step the parameter and its moments
 * are scattered back. The Zᵢ are shared by every batch; a sample's moments move
 * only in the steps whose batch holds it (lazy Adam).
 *
 * @module
 */

import { copySamples } from "../gpu/copy_samples.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { DataMatrix } from "./data_matrix.ts";
import type { GradientModel, GradientScratch } from "./deep_gradient.ts";
import { sampleBatches } from "./sample_batches.ts";

/** The batch-sized side of a mini-batch fit (see {@linkcode miniBatch}). */
export interface MiniBatch {
  /** The batch's samples of X. */
  x: DataMatrix;
  /** The model on the batch: the shared Zᵢ, the batch's Hᵢ, Pᵢ and H̃; no graphs. */
  model: GradientModel;
  /** The batch's last-layer parameter (its H̃, or its H_m), its gradient and its two moments. */
  top: { param: GpuMatrix; grad: GpuMatrix; first: GpuMatrix; second: GpuMatrix };
  /** dCost/dPᵢ scratch of the layers below the last, then `top.grad`. */
  dH: GpuMatrix[];
  /** Scratch of recordGradients at batch size. */
  scratch: GradientScratch;
  /** Records the gather of step t's batch, the moments of the last parameter included. */
  gather(t: number, moments: { first: GpuMatrix; second: GpuMatrix }): void;
  /** Records the scatter of the updated parameter and its moments into the whole ones. */
  scatter(param: GpuMatrix, moments: { first: GpuMatrix; second: GpuMatrix }): void;
  /** Frees the batch matrices. */
  dispose(): void;
}

/**
 * Batch-sized buffers for `size` of the n samples of `x` under `model` (whose
 * forward state must be current when a step gathers), batches drawn by
 * {@linkcode sampleBatches} with `seed`. Graph terms couple samples across
 * batches, so the model must have none.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { GpuMatrix } from "../gpu/gpu_matrix.ts";
 * import { DataMatrix } from "./data_matrix.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = DataMatrix.upload(gpu, { data: new Float32Array([1, 2, 3, 4]), d: 1, n: 4 });
 * const h = GpuMatrix.fromArray(gpu, 1, 4, new Float32Array([5, 6, 7, 8]));
 * const layer = { z: GpuMatrix.empty(gpu, 1, 1), h, pre: null, graph: null, lambda: 0 };
 * const batch = miniBatch(x, { layers: [layer], activation: "linear", free: null }, 2, { seed: 0 });
 * const zero = GpuMatrix.fromArray(gpu, 1, 4, new Float32Array(4));
 * batch.gather(0, { first: zero, second: zero });
 * const [xb, hb] = [await batch.x.blocks[0].toArray(), await batch.top.param.toArray()];
 * console.log(xb.length, hb[0] - xb[0]); // 2 4: the same two samples of X and of H
 * batch.dispose();
 * gpu.destroy();
 * ```
 */
export function miniBatch(
  x: DataMatrix,
  model: GradientModel,
  size: number,
  options: { seed: number },
): MiniBatch {
  const { layers, free } = model;
  if (layers.some((l) => l.graph && l.lambda !== 0)) {
    throw new RangeError("Mini-batches cannot hold graph terms: fit Deep WSF on the full batch");
  }
  const gpu = x.gpu;
  const m = layers.length;
  const n = x.n;
  const order = sampleBatches(n, size, options);
  const held: GpuMatrix[] = [];
  const make = (rows: number, cols: number) => {
    const mtx = GpuMatrix.empty(gpu, rows, cols);
    held.push(mtx);
    return mtx;
  };
  const xb = new DataMatrix(x.samplesAsRows ? make(size, x.d) : make(x.d, size), x.samplesAsRows);
  const batchModel: GradientModel = {
    activation: model.activation,
    free: free ? make(free.rows, size) : null,
    layers: layers.map((l) => ({
      z: l.z,
      h: make(l.h.rows, size),
      pre: l.pre ? make(l.pre.rows, size) : null,
      graph: null,
      lambda: 0,
    })),
  };
  const k = layers[m - 1].h.rows;
  const top = {
    param: batchModel.free ?? batchModel.layers[m - 1].h,
    grad: make(k, size),
    first: make(k, size),
    second: make(k, size),
  };
  const k1 = layers[0].h.rows;
  const scratch = { kk: make(k1, k1), ztx: make(k1, size), xht: make(x.d, k1) };
  const dH = [...layers.slice(0, -1).map((l) => make(l.h.rows, size)), top.grad];
  // Pairs: [0, b) gather (sample, slot), [b, 2b) scatter (slot, sample), then X's per block.
  const pairs = gpu.pool.acquire(3 * size * 8);
  const starts = x.blockStarts;
  const counts = new Array(x.blocks.length).fill(0);
  return {
    x: xb,
    model: batchModel,
    top,
    dH,
    scratch,
    gather(t, moments) {
      const samples = order(t);
      const list = new Uint32Array(6 * size);
      counts.fill(0);
      let block = 0;
      samples.forEach((s, j) => {
        list.set([s, j], 2 * j);
        list.set([j, s], 2 * (size + j));
        while (s >= starts[block + 1]) block++; // samples are sorted, so blocks come in order
        list.set([s - starts[block], j], 2 * (2 * size + j));
        counts[block]++;
      });
      gpu.write(pairs, list);
      let first = 2 * size;
      x.blocks.forEach((from, b) => {
        if (counts[b] === 0) return;
        copySamples(from, xb.blocks[0], pairs, {
          count: counts[b],
          first,
          samplesAsRows: x.samplesAsRows,
        });
        first += counts[b];
      });
      type Pair = readonly [GpuMatrix | null, GpuMatrix | null];
      const gathers: Pair[] = [
        ...layers.flatMap((l, i): Pair[] => [
          [l.h, batchModel.layers[i].h],
          [l.pre, batchModel.layers[i].pre],
        ]),
        [free, batchModel.free],
        [moments.first, top.first],
        [moments.second, top.second],
      ];
      for (const [from, to] of gathers) {
        if (from && to) copySamples(from, to, pairs, { count: size });
      }
    },
    scatter(param, moments) {
      const scatters = [[top.param, param], [top.first, moments.first], [
        top.second,
        moments.second,
      ]] as const;
      for (const [from, to] of scatters) copySamples(from, to, pairs, { count: size, first: size });
    },
    dispose() {
      held.forEach((mtx) => mtx.dispose());
      gpu.pool.release(pairs);
    },
  };
}
