import { knnGraph, type KnnGraphOptions } from "../../factorize/knn_graph.ts";
import type { CsrGraph } from "../../gpu/gpu_csr.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { equal, ok, rejects } from "node:assert/strict";

/** Float64 ‖xᵢ−xⱼ‖² (for "cosine", between rows scaled to unit length) and cosine similarity. */
function pair(x: Float32Array, d: number, i: number, j: number) {
  let s = 0, dot = 0, ni = 0, nj = 0;
  for (let c = 0; c < d; c++) {
    const a = x[i * d + c], b = x[j * d + c];
    s += (a - b) ** 2;
    dot += a * b;
    ni += a * a;
    nj += b * b;
  }
  const cos = dot / Math.sqrt(ni * nj);
  return { e2: s, cos };
}

/** Dense float64 reference graph (n small): same rules as knnGraph, written plainly. */
function refGraph(x: Float32Array, d: number, o: KnnGraphOptions): Float64Array {
  const n = x.length / d;
  const k = o.k ?? 5;
  const metric = o.metric ?? (o.weight === "cosine" ? "cosine" : "euclidean");
  const dist = (i: number, j: number) => {
    const p = pair(x, d, i, j);
    return metric === "euclidean" ? p.e2 : 2 * (1 - p.cos);
  };
  const a = new Uint8Array(n * n); // a[i, j] = 1: j is a neighbour of i (directed)
  const complete = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    const li = o.labels?.[i] ?? 0;
    if (o.complete && li >= 0) {
      for (let j = 0; j < n; j++) if (j !== i && o.labels![j] === li) complete[i * n + j] = 1;
      continue;
    }
    if (o.labels && li < 0 && o.unlabeled === "none") continue;
    const cand: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i || (o.labels && !o.complete && li >= 0 && o.labels[j] !== li)) continue;
      cand.push([dist(i, j), j]);
    }
    cand.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    for (const [, j] of cand.slice(0, k)) a[i * n + j] = 1;
  }
  const s = new Float64Array(n * n);
  let sum = 0, count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const both = a[i * n + j] && a[j * n + i];
      const either = a[i * n + j] || a[j * n + i];
      const edge = complete[i * n + j] || ((o.symmetrize ?? "max") === "max" ? either : both);
      if (!edge) continue;
      s[i * n + j] = 1;
      sum += Math.sqrt(dist(i, j));
      count++;
    }
  }
  const t = o.t ?? sum / count;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (!s[i * n + j]) continue;
      if (o.weight === "heat") s[i * n + j] = Math.exp(-dist(i, j) / (2 * t * t));
      if (o.weight === "cosine") s[i * n + j] = Math.max(0, pair(x, d, i, j).cos);
    }
  }
  return s;
}

function checkCsr(g: CsrGraph, label: string): Float64Array {
  const n = g.n;
  equal(g.rowOffsets.length, n + 1);
  equal(g.rowOffsets[n], g.cols.length, `${label}: offsets end`);
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let deg = 0;
    for (let e = g.rowOffsets[i]; e < g.rowOffsets[i + 1]; e++) {
      const j = g.cols[e];
      ok(j !== i, `${label}: self loop at ${i}`);
      if (e > g.rowOffsets[i]) ok(g.cols[e - 1] < j, `${label}: row ${i} not ascending`);
      dense[i * n + j] = g.weights[e];
      deg += g.weights[e];
    }
    ok(Math.abs(deg - g.degrees[i]) <= 1e-5 * Math.max(1, deg), `${label}: degree of ${i}`);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      equal(dense[i * n + j], dense[j * n + i], `${label}: W[${i},${j}] != W[${j},${i}]`);
    }
  }
  return dense;
}

// Weights come from f32 distances: 1e-4 relative to the largest weight (1) covers them.
const TOL = 1e-4;

async function check(n: number, d: number, o: KnnGraphOptions, asMatrix = false) {
  const gpu = await testGpu();
  const rand = seededRandom(n * 17 + d + (o.k ?? 5));
  const x = randomArray(rand, n * d, 0, 1);
  const label = JSON.stringify({ n, d, ...o, labels: o.labels ? "yes" : "no" });
  let g: CsrGraph;
  if (asMatrix) {
    const m = GpuMatrix.fromArray(gpu, n, d, x);
    g = await knnGraph(gpu, m, o);
    m.dispose();
  } else g = await knnGraph(gpu, x, { ...o, dim: d });
  const dense = checkCsr(g, label);
  assertClose(dense, refGraph(x, d, o), TOL, label);
  return g;
}

Deno.test("knnGraph: binary, heat and cosine weights, max and mutual, vs dense float64", async () => {
  for (const symmetrize of ["max", "mutual"] as const) {
    await check(150, 7, { k: 5, symmetrize, candidateBlock: 64 });
    await check(150, 7, { k: 4, symmetrize, weight: "heat" });
    await check(150, 7, { k: 6, symmetrize, weight: "cosine" });
  }
  await check(97, 5, { k: 3, weight: "heat", t: 0.3 }, true);
  await check(97, 5, { k: 3, weight: "heat", metric: "cosine" });
});

Deno.test("knnGraph: mutual keeps fewer edges than max", async () => {
  const gMax = await check(200, 4, { k: 5 });
  const gMut = await check(200, 4, { k: 5, symmetrize: "mutual" });
  ok(gMut.cols.length < gMax.cols.length);
  for (let i = 0; i < 200; i++) ok(gMax.rowOffsets[i + 1] - gMax.rowOffsets[i] >= 5);
});

Deno.test("knnGraph: same-label kNN and the complete class graph, unknown labels by option", async () => {
  const n = 120;
  const rand = seededRandom(3);
  const labels = new Int32Array(n).map(() => Math.floor(rand() * 5) - 1);
  for (const unlabeled of ["knn", "none"] as const) {
    await check(n, 6, { k: 4, labels, unlabeled, weight: "heat" });
    await check(n, 6, { labels, unlabeled, complete: true, weight: "heat" });
    await check(n, 6, { labels, unlabeled, complete: true, weight: "cosine", k: 3 });
  }
  await check(n, 6, { labels, complete: true, symmetrize: "mutual" });
  // a class larger than one Gram tile (1024 rows)
  const big = new Int32Array(1100).map((_, i) => i < 1050 ? 0 : -1);
  await check(1100, 3, { labels: big, complete: true, weight: "heat", k: 2 });
});

Deno.test("knnGraph: bad options are clear errors", async () => {
  const gpu = await testGpu();
  const x = new Float32Array(40);
  await rejects(
    knnGraph(gpu, x, { dim: 4, weight: "cosine", metric: "euclidean" }),
    /needs metric/,
  );
  await rejects(knnGraph(gpu, x, { dim: 4, complete: true }), /complete needs labels/);
  await rejects(knnGraph(gpu, x, { dim: 4, t: 0 }), /option t is 0/);
  await rejects(
    knnGraph(gpu, x, { dim: 4, symmetrize: "min" as "max" }),
    /symmetrize is "min"/,
  );
});

Deno.test("knnGraph reduce: data of rank 6 in 150 dimensions give the same graph", async () => {
  const gpu = await testGpu();
  const [n, d, r] = [301, 150, 6];
  const rand = seededRandom(11);
  const basis = randomArray(rand, r * d, -1, 1);
  const coef = randomArray(rand, n * r, -1, 1);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < r; c++) {
      for (let j = 0; j < d; j++) x[i * d + j] += coef[i * r + c] * basis[c * d + j];
    }
  }
  const full = await knnGraph(gpu, x, { dim: d, k: 5 });
  const reduced = await knnGraph(gpu, x, { dim: d, k: 5, reduce: r });
  const edges = (g: CsrGraph) => {
    const set = new Set<string>();
    for (let i = 0; i < g.n; i++) {
      for (let e = g.rowOffsets[i]; e < g.rowOffsets[i + 1]; e++) set.add(`${i}-${g.cols[e]}`);
    }
    return set;
  };
  const a = edges(full);
  const b = edges(reduced);
  const shared = [...a].filter((e) => b.has(e)).length;
  // Projections keep every distance of rank-r data: only f32 near-ties may differ.
  ok(shared >= 0.98 * Math.max(a.size, b.size), `${shared} of ${a.size} / ${b.size} edges shared`);
  await rejects(() => knnGraph(gpu, x, { dim: d, reduce: 0 }), /option reduce is 0/);
  await rejects(() => knnGraph(gpu, x, { reduce: 3 }), /option dim is required with reduce/);
});
