/**
 * Ding et al.'s semi-NMF initialization (k-means cluster indicators + 0.2) with the
 * heavy products on the GPU, so that it scales to CelebA-sized X: on the CPU the
 * k-means of 200,000 samples of 4096 pixels into 512 clusters would take over an hour.
 *
 * @module
 */

import type { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { nearestCentroid } from "../gpu/nearest_centroid.ts";
import { type DataInput, DataMatrix } from "./data_matrix.ts";
import { seededRandom } from "./seeded_random.ts";

/** Lloyd iterations of the init (it only needs a reasonable partition). */
const LLOYD_STEPS = 10;

/**
 * H (k x n) = the indicators of a k-means partition of the samples (columns of X)
 * plus 0.2 (Ding, Li & Jordan, "Convex and Semi-Nonnegative Matrix Factorizations",
 * TPAMI 2010). k-means++ seeding (Arthur & Vassilvitskii 2007) from `seed`, then 10
 * Lloyd iterations (fewer when the partition stops changing); an emptied cluster
 * restarts at a random sample. The distances come from GEMMs (Cᵀ X per iteration,
 * cᵀX per seed) and the nearest-centroid kernel; the CPU keeps the seeding draws,
 * the centroid means and one read of n values per seed and per iteration.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20), d: 30, n: 20 };
 * const h = await kmeansInitH(gpu, x, { k: 3, seed: 0 }); // 3 x 20
 * console.log(h.length, h.filter((v) => v > 1).length); // 60 20: one 1.2 per column, the rest 0.2
 * gpu.destroy();
 * ```
 */
export async function kmeansInitH(
  gpu: Gpu,
  input: DataInput,
  options: { k: number; seed: number },
): Promise<Float32Array> {
  const { d, n, data } = input;
  const { k, seed } = options;
  const sar = input.samplesAsRows ?? false;
  const scale = data instanceof Uint8Array ? 1 / 255 : 1;
  const sample = (s: number) => {
    const v = new Float32Array(d);
    for (let f = 0; f < d; f++) v[f] = scale * (sar ? data[s * d + f] : data[f * n + s]);
    return v;
  };
  const norm2 = (v: ArrayLike<number>) => {
    let t = 0;
    for (let i = 0; i < v.length; i++) t += v[i] * v[i];
    return t;
  };
  const xNorm = new Float64Array(n);
  for (let i = 0; i < data.length; i++) {
    const s = sar ? Math.floor(i / d) : i % n;
    xNorm[s] += (scale * data[i]) ** 2;
  }
  const rand = seededRandom(seed);
  const centers = new Float32Array(d * k); // d x k, one centroid per column
  const setCenter = (c: number, v: Float32Array) => {
    for (let f = 0; f < d; f++) centers[f * k + c] = v[f];
  };
  const x = DataMatrix.upload(gpu, input);
  const one = GpuMatrix.empty(gpu, d, 1);
  const row = GpuMatrix.empty(gpu, 1, n);
  const all = GpuMatrix.empty(gpu, d, k);
  const cNorms = GpuMatrix.empty(gpu, 1, k);
  const cross = GpuMatrix.empty(gpu, k, n);
  const labelsGpu = GpuMatrix.empty(gpu, 1, n);
  const onehot = GpuMatrix.empty(gpu, k, n);
  try {
    // k-means++: each next seed drawn with probability ∝ its squared distance to the nearest.
    const d2 = new Float64Array(n).fill(Infinity);
    let pick = Math.floor(rand() * n);
    for (let c = 0; c < k; c++) {
      const v = sample(pick);
      setCenter(c, v);
      if (c === k - 1) break;
      one.write(v);
      x.wtTimes(one, row);
      const dots = await row.toArray();
      const cn = norm2(v);
      let total = 0;
      for (let s = 0; s < n; s++) {
        d2[s] = Math.min(d2[s], Math.max(0, xNorm[s] + cn - 2 * dots[s]));
        total += d2[s];
      }
      let r = rand() * total;
      pick = n - 1;
      for (let s = 0; s < n; s++) {
        if ((r -= d2[s]) <= 0) {
          pick = s;
          break;
        }
      }
    }
    let labels: Float32Array = new Float32Array(n).fill(-1);
    for (let it = 0; it < LLOYD_STEPS; it++) {
      all.write(centers);
      const norms = new Float32Array(k);
      for (let i = 0; i < d * k; i++) norms[i % k] += centers[i] * centers[i];
      cNorms.write(norms);
      x.wtTimes(all, cross);
      nearestCentroid(cross, cNorms, labelsGpu, onehot);
      const next = await labelsGpu.toArray();
      const same = next.every((l, s) => l === labels[s]);
      labels = next;
      const counts = new Float64Array(k);
      for (const l of labels) counts[l]++;
      // Unchanged labels and no empty cluster: every further iteration would repeat this one.
      if ((same && counts.every((c) => c > 0)) || it === LLOYD_STEPS - 1) break;
      // Centroids = X Hᵀ / counts with the one-hot H; an empty cluster restarts at a sample.
      x.timesHt(onehot, all);
      const sums = await all.toArray();
      for (let i = 0; i < d * k; i++) centers[i] = sums[i] / counts[i % k];
      for (let c = 0; c < k; c++) {
        if (counts[c] === 0) setCenter(c, sample(Math.floor(rand() * n)));
      }
    }
    const h = new Float32Array(k * n).fill(0.2);
    for (let s = 0; s < n; s++) h[labels[s] * n + s] += 1;
    return h;
  } finally {
    for (const m of [one, row, all, cNorms, cross, labelsGpu, onehot]) m.dispose();
    x.dispose();
  }
}
