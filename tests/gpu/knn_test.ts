import { knn, type KnnMetric, type KnnResult, knnSliceLength } from "../../gpu/knn.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { testGpu } from "../_reference.ts";
import { equal, ok, rejects } from "node:assert/strict";

/** Float64 distance between rows i and j (squared Euclidean or cosine distance). */
function refDist(x: Float32Array, d: number, i: number, j: number, metric: KnnMetric): number {
  let s = 0, ni = 0, nj = 0;
  for (let c = 0; c < d; c++) {
    const a = x[i * d + c], b = x[j * d + c];
    if (metric === "euclidean") s += (a - b) * (a - b);
    else {
      s += a * b;
      ni += a * a;
      nj += b * b;
    }
  }
  if (metric === "euclidean") return s;
  const den = Math.sqrt(ni * nj);
  return den > 0 ? 1 - s / den : 1;
}

interface Case {
  n: number;
  d: number;
  k: number;
  metric?: KnnMetric;
  labels?: Int32Array;
  unlabeled?: "knn" | "none";
  queryBlock?: number;
  candidateBlock?: number;
  x?: Float32Array;
  asMatrix?: boolean;
}

/**
 * Checks the GPU lists against a float64 CPU sort: each row has exactly the number
 * of admissible candidates (up to k), distinct, admissible, no self, sorted, and
 * every listed neighbour is no farther than the true k-th distance (so ties and
 * f32 rounding may swap near-equal neighbours, nothing else). Distances are
 * checked to TOL relative to the row's scale.
 */
async function check(c: Case): Promise<void> {
  const gpu = await testGpu();
  const metric = c.metric ?? "euclidean";
  const rand = seededRandom(c.n * 131 + c.d * 7 + c.k);
  const x = c.x ?? randomArray(rand, c.n * c.d, -1, 1);
  const opts = {
    k: c.k,
    metric,
    labels: c.labels,
    unlabeled: c.unlabeled,
    queryBlock: c.queryBlock,
    candidateBlock: c.candidateBlock,
  };
  let res: KnnResult;
  if (c.asMatrix) {
    const m = GpuMatrix.fromArray(gpu, c.n, c.d, x);
    res = await knn(gpu, m, opts);
    m.dispose();
  } else {
    res = await knn(gpu, x, { ...opts, dim: c.d });
  }
  const label = `n=${c.n} d=${c.d} k=${c.k} ${metric}`;
  equal(res.n, c.n);
  equal(res.k, c.k);
  // f32 distances via norms lose about 1e-6 of ‖x‖² per term: tolerance relative to the norms.
  const TOL = 2e-5;
  for (let i = 0; i < c.n; i++) {
    const li = c.labels?.[i] ?? 0;
    const cand: [number, number][] = [];
    if (!(c.labels && li < 0 && c.unlabeled === "none")) {
      for (let j = 0; j < c.n; j++) {
        if (j === i) continue;
        if (c.labels && li >= 0 && c.labels[j] !== li) continue;
        cand.push([refDist(x, c.d, i, j, metric), j]);
      }
    }
    cand.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const want = Math.min(c.k, cand.length);
    const kth = want > 0 ? cand[want - 1][0] : 0;
    let scale = 1;
    if (metric === "euclidean") {
      let s = 0;
      for (let t = 0; t < c.d; t++) s += x[i * c.d + t] ** 2;
      scale = Math.max(1, 4 * s);
    }
    const seen = new Set<number>();
    const admissible = new Set(cand.map((e) => e[1]));
    for (let t = 0; t < c.k; t++) {
      const j = res.indices[i * c.k + t];
      const dist = res.distances[i * c.k + t];
      if (t >= want) {
        equal(j, -1, `${label}: row ${i} slot ${t} should be empty`);
        continue;
      }
      ok(j >= 0 && admissible.has(j), `${label}: row ${i} slot ${t} has inadmissible ${j}`);
      ok(!seen.has(j), `${label}: row ${i} repeats ${j}`);
      seen.add(j);
      const trueD = refDist(x, c.d, i, j, metric);
      ok(
        Math.abs(dist - trueD) <= TOL * scale,
        `${label}: row ${i} dist to ${j} is ${dist}, expected ${trueD}`,
      );
      ok(trueD <= kth + TOL * scale, `${label}: row ${i} lists ${j} at ${trueD} > k-th ${kth}`);
      if (t > 0) ok(dist >= res.distances[i * c.k + t - 1], `${label}: row ${i} not sorted`);
    }
  }
}

Deno.test("knn: matches a float64 CPU sort at odd sizes, several blocks", async () => {
  await check({ n: 1, d: 3, k: 1 });
  await check({ n: 7, d: 5, k: 5 });
  await check({ n: 300, d: 13, k: 5, queryBlock: 64, candidateBlock: 100 });
  await check({ n: 300, d: 13, k: 64, queryBlock: 130, candidateBlock: 300 });
  await check({ n: 1100, d: 9, k: 10, queryBlock: 500, candidateBlock: 700 });
  await check({ n: 40, d: 9000, k: 5 }); // d over one 8192-column chunk of the norms and GEMM
});

Deno.test("knn: cosine metric, GpuMatrix input", async () => {
  await check({ n: 301, d: 17, k: 7, metric: "cosine", queryBlock: 128, candidateBlock: 96 });
  await check({ n: 257, d: 11, k: 5, asMatrix: true, queryBlock: 100, candidateBlock: 90 });
  await check({ n: 257, d: 11, k: 5, queryBlock: 257, candidateBlock: 257, asMatrix: true });
});

Deno.test("knn: same-label neighbours, unknown labels by option", async () => {
  const n = 400;
  const rand = seededRandom(5);
  const labels = new Int32Array(n).map(() => Math.floor(rand() * 6) - 1); // -1..4, -1 unknown
  for (const unlabeled of ["knn", "none"] as const) {
    await check({ n, d: 6, k: 8, labels, unlabeled, queryBlock: 150, candidateBlock: 120 });
  }
  // classes smaller than k: rows are padded with -1
  const tiny = new Int32Array(n).map((_, i) => i % 100);
  await check({ n, d: 4, k: 6, labels: tiny, candidateBlock: 50 });
  // blocks of 40 label-sorted rows over 4 classes: most tiles are skipped; a GpuMatrix is
  // read back for the sort
  const four = new Int32Array(n).map(() => Math.floor(rand() * 5) - 1);
  for (const unlabeled of ["knn", "none"] as const) {
    await check({ n, d: 5, k: 7, labels: four, unlabeled, queryBlock: 40, candidateBlock: 40 });
  }
  await check({ n, d: 5, k: 7, labels: four, queryBlock: 40, candidateBlock: 40, asMatrix: true });
});

Deno.test("knn: worst-case ordering (descending distances, every candidate inserted)", async () => {
  // Points on a line ordered so that, for query 0, each candidate is nearer than all
  // before it: a naive per-row insertion over the 2,048 candidates of one block would
  // run about n * k = 131,072 iterations in one invocation, twice llvmpipe's limit.
  const n = 2048;
  const x = new Float32Array(n);
  for (let i = 1; i < n; i++) x[i] = (n - i) / n;
  const gpu = await testGpu();
  const res = await knn(gpu, x, { k: 64, dim: 1, candidateBlock: n, queryBlock: 64 });
  for (let t = 0; t < 64; t++) equal(res.indices[t], n - 1 - t, `slot ${t}`);
  // query n - 1 (x = 1/n): neighbours are 0 (x = 0), then n - 2, n - 3, ...
  const last = (n - 1) * 64;
  equal(res.indices[last], 0);
  for (let t = 1; t < 64; t++) equal(res.indices[last + t], n - 1 - t, `last row slot ${t}`);
  ok(knnSliceLength(64) * 66 + 64 < 65535, "the stated per-invocation bound");
});

Deno.test("knn: bad options are clear errors", async () => {
  const gpu = await testGpu();
  const x = new Float32Array(12);
  await rejects(knn(gpu, x, { k: 65, dim: 3 }), /option k is 65/);
  await rejects(knn(gpu, x, { k: 2 }), /option dim is required/);
  await rejects(knn(gpu, x, { k: 2, dim: 5 }), /not a positive multiple of dim = 5/);
  await rejects(
    knn(gpu, x, { k: 2, dim: 3, labels: new Int32Array(3) }),
    /labels must be an Int32Array of length n = 4/,
  );
});
