import { NEAREST_CENTROID_MAX_K, nearestCentroid } from "../../gpu/nearest_centroid.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { testGpu } from "../_reference.ts";
import { deepEqual, throws } from "node:assert/strict";

// Exact comparison: the kernel does one multiply-add per candidate in f32, so the float64
// reference below rounds the same values the same way; inputs are dyadic (multiples of 1/64)
// so that both are exact and the ties (planted ones included) are real ties.
function reference(cross: Float32Array, norms: Float32Array, k: number, n: number) {
  const labels = new Float32Array(n);
  const h = new Float32Array(k * n);
  for (let s = 0; s < n; s++) {
    let best = 0;
    for (let c = 1; c < k; c++) {
      if (norms[c] - 2 * cross[c * n + s] < norms[best] - 2 * cross[best * n + s]) best = c;
    }
    labels[s] = best;
    h[best * n + s] = 1;
  }
  return { labels, h };
}

Deno.test("nearestCentroid: labels and one-hot H equal a CPU argmin, lowest index on ties", async () => {
  const gpu = await testGpu();
  for (const [k, n] of [[1, 5], [3, 65], [37, 130], [130, 1000]]) {
    const rand = seededRandom(k * 1000 + n);
    const dyadic = (lo: number, hi: number, len: number) =>
      randomArray(rand, len, lo, hi).map((v) => Math.round(v * 64) / 64);
    const cross = dyadic(-4, 4, k * n);
    const norms = dyadic(0, 8, k);
    if (k > 2) {
      // A planted tie in every 7th sample: centroid 2 equals the best of 0 and 1.
      for (let s = 0; s < n; s += 7) {
        const d0 = norms[0] - 2 * cross[s], d1 = norms[1] - 2 * cross[n + s];
        cross[2 * n + s] = (norms[2] - Math.min(d0, d1)) / 2;
      }
    }
    const ref = reference(cross, norms, k, n);
    const g = {
      cross: GpuMatrix.fromArray(gpu, k, n, cross),
      norms: GpuMatrix.fromArray(gpu, 1, k, norms),
      labels: GpuMatrix.empty(gpu, 1, n),
      h: GpuMatrix.fromArray(gpu, k, n, new Float32Array(k * n).fill(7)),
    };
    nearestCentroid(g.cross, g.norms, g.labels, g.h);
    deepEqual(await g.labels.toArray(), ref.labels, `labels k=${k} n=${n}`);
    deepEqual(await g.h.toArray(), ref.h, `H k=${k} n=${n}`);
    Object.values(g).forEach((m) => m.dispose());
  }
});

Deno.test("nearestCentroid: over 2,097,152 samples the grid wraps into a second row of workgroups", async () => {
  const gpu = await testGpu();
  const [k, n] = [2, 2_100_000];
  const cross = new Float32Array(k * n);
  for (let s = 0; s < n; s++) cross[(s % 3 === 0 ? 1 : 0) * n + s] = 1;
  const g = {
    cross: GpuMatrix.fromArray(gpu, k, n, cross),
    norms: GpuMatrix.fromArray(gpu, 1, k, new Float32Array(k)),
    labels: GpuMatrix.fromArray(gpu, 1, n, new Float32Array(n).fill(-1)),
    h: GpuMatrix.empty(gpu, k, n),
  };
  nearestCentroid(g.cross, g.norms, g.labels, g.h);
  const [labels, h] = [await g.labels.toArray(), await g.h.toArray()];
  let wrong = 0;
  for (let s = 0; s < n; s++) {
    const want = s % 3 === 0 ? 1 : 0;
    if (labels[s] !== want || h[want * n + s] !== 1 || h[(1 - want) * n + s] !== 0) wrong++;
  }
  deepEqual(wrong, 0);
  Object.values(g).forEach((m) => m.dispose());
});

Deno.test("nearestCentroid: shapes are checked and k is bounded", async () => {
  const gpu = await testGpu();
  const m = (r: number, c: number) => GpuMatrix.empty(gpu, r, c);
  throws(
    () => nearestCentroid(m(3, 4), m(1, 2), m(1, 4), m(3, 4)),
    /norms is 1 x 2, expected 1 x 3/,
  );
  throws(() => nearestCentroid(m(3, 4), m(1, 3), m(1, 4), m(4, 3)), /h is 4 x 3, expected 3 x 4/);
  throws(
    () => nearestCentroid(m(NEAREST_CENTROID_MAX_K + 1, 1), m(1, 1), m(1, 1), m(1, 1)),
    /at most 16384 centroids/,
  );
});
