import type { DataInput } from "../../factorize/data_matrix.ts";
import { kmeansInitH } from "../../factorize/kmeans_init.ts";
import { randomArray, seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { testGpu } from "../_reference.ts";
import { deepEqual, equal, ok } from "node:assert/strict";

/**
 * Float64 reference of the same algorithm, every distance summed exactly on the CPU:
 * k-means++ seeds from `seed`, 10 Lloyd iterations, an emptied cluster restarted at a
 * random sample, H = indicators + 0.2.
 */
function referenceH(input: DataInput, k: number, seed: number): Float32Array {
  const { d, n, data } = input;
  const sar = input.samplesAsRows ?? false;
  const scale = data instanceof Uint8Array ? 1 / 255 : 1;
  const at = (f: number, s: number) => scale * (sar ? data[s * d + f] : data[f * n + s]);
  const rand = seededRandom(seed);
  const centers = new Float64Array(k * d);
  const setCenter = (c: number, s: number) => {
    for (let f = 0; f < d; f++) centers[c * d + f] = at(f, s);
  };
  const sq = (c: number, s: number) => {
    let t = 0;
    for (let f = 0; f < d; f++) t += (at(f, s) - centers[c * d + f]) ** 2;
    return t;
  };
  const dist = new Float64Array(n).fill(Infinity);
  setCenter(0, Math.floor(rand() * n));
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let s = 0; s < n; s++) {
      dist[s] = Math.min(dist[s], sq(c - 1, s));
      total += dist[s];
    }
    let r = rand() * total;
    let pick = n - 1;
    for (let s = 0; s < n; s++) {
      if ((r -= dist[s]) <= 0) {
        pick = s;
        break;
      }
    }
    setCenter(c, pick);
  }
  const label = new Int32Array(n);
  for (let it = 0; it < 10; it++) {
    for (let s = 0; s < n; s++) {
      let best = 0, bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const t = sq(c, s);
        if (t < bestD) [best, bestD] = [c, t];
      }
      label[s] = best;
    }
    if (it === 9) break;
    const count = new Float64Array(k);
    centers.fill(0);
    for (let s = 0; s < n; s++) {
      count[label[s]]++;
      for (let f = 0; f < d; f++) centers[label[s] * d + f] += at(f, s);
    }
    for (let c = 0; c < k; c++) {
      if (count[c] === 0) setCenter(c, Math.floor(rand() * n));
      else for (let f = 0; f < d; f++) centers[c * d + f] /= count[c];
    }
  }
  const h = new Float32Array(k * n).fill(0.2);
  for (let s = 0; s < n; s++) h[label[s] * n + s] += 1;
  return h;
}

/** n samples (d x n) around `groups` centres 10 apart, noise sd 0.3. */
function clustered(d: number, n: number, groups: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const normal = seededNormal(rand);
  const centres = randomArray(rand, d * groups, 0, 10);
  const x = new Float32Array(d * n);
  for (let s = 0; s < n; s++) {
    const g = s % groups;
    for (let f = 0; f < d; f++) x[f * n + s] = centres[f * groups + g] + 0.3 * normal();
  }
  return x;
}

function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
  return t;
}

// Exact equality: the GPU's f32 distances (‖x‖² + ‖c‖² − 2cᵀx) order the samples as the
// exact float64 sums do whenever no two distances are within f32 rounding (~1e-6 relative),
// which seeded data with well-separated groups guarantees; H is then bit-identical.
Deno.test("kmeansInitH equals a float64 CPU k-means (d x n, samples as rows, u8, blocked X)", async () => {
  const gpu = await testGpu();
  const [d, n] = [37, 203];
  const x = clustered(d, n, 6, 1);
  const rows = transpose(x, d, n);
  let lo = Infinity, hi = -Infinity;
  for (const v of x) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const bytes = Uint8Array.from(rows, (v) => Math.round((255 * (v - lo)) / (hi - lo)));
  const cases: [string, DataInput, number][] = [
    ["d x n, k = groups", { data: x, d, n }, 6],
    ["d x n, k > groups", { data: x, d, n }, 9],
    ["samples as rows, k < groups", { data: rows, d, n, samplesAsRows: true }, 4],
    ["u8 samples as rows", { data: bytes, d, n, samplesAsRows: true }, 6],
    [
      "blocks of 20 samples",
      { data: rows, d, n, samplesAsRows: true, maxBlockBytes: 20 * d * 4 },
      7,
    ],
  ];
  for (const [label, input, k] of cases) {
    for (const seed of [0, 3]) {
      const h = await kmeansInitH(gpu, input, { k, seed });
      deepEqual(h, referenceH(input, k, seed), `${label}, seed ${seed}`);
    }
  }
});

Deno.test("kmeansInitH: H is indicators + 0.2; duplicate samples empty clusters, which restart at samples", async () => {
  const gpu = await testGpu();
  // Three distinct samples repeated: k = 5 leaves clusters empty (duplicate seeds tie).
  const [d, n, k] = [5, 30, 5];
  const base = randomArray(seededRandom(4), d * 3, 0, 1);
  const x = new Float32Array(d * n);
  for (let s = 0; s < n; s++) for (let f = 0; f < d; f++) x[f * n + s] = base[f * 3 + (s % 3)];
  const h = await kmeansInitH(gpu, { data: x, d, n }, { k, seed: 2 });
  deepEqual(h, referenceH({ data: x, d, n }, k, 2));
  for (let s = 0; s < n; s++) {
    let ones = 0;
    for (let c = 0; c < k; c++) {
      const v = h[c * n + s];
      ok(v === Math.fround(0.2) || v === Math.fround(1.2), `H[${c}, ${s}] = ${v}`);
      if (v !== Math.fround(0.2)) ones++;
    }
    equal(ones, 1, `sample ${s}`);
  }
  // Same-identity samples share a cluster: the 3 groups are recovered.
  const clusterOf = (s: number) => [...Array(k).keys()].find((c) => h[c * n + s] > 1);
  for (let s = 3; s < n; s++) equal(clusterOf(s), clusterOf(s % 3), `sample ${s}`);
});
