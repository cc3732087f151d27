import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { kmeans } from "../../eval/kmeans.ts";
import { clusteringAccuracy } from "../../eval/clustering_accuracy.ts";
import { seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { testGpu } from "../_reference.ts";

/** n samples in f dimensions around `centres` well-separated centres (spread 0.3 vs distance ~10). */
function blobs(n: number, f: number, centres: number, seed: number) {
  const rand = seededRandom(seed);
  const normal = seededNormal(rand);
  const mu = Array.from({ length: centres * f }, () => 10 * normal());
  const data = new Float32Array(n * f);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % centres;
    truth[i] = c;
    for (let j = 0; j < f; j++) data[i * f + j] = mu[c * f + j] + 0.3 * normal();
  }
  return { x: { data, rows: n, cols: f }, truth };
}

function inertiaOf(x: { data: Float32Array; cols: number }, labels: Int32Array, cen: Float32Array) {
  let s = 0;
  labels.forEach((c, i) => {
    for (let j = 0; j < x.cols; j++) s += (x.data[i * x.cols + j] - cen[c * x.cols + j]) ** 2;
  });
  return s;
}

Deno.test("kmeans: recovers well-separated blobs, deterministic for a seed", async () => {
  const { x, truth } = blobs(601, 13, 7, 1);
  const a = await kmeans(x, { k: 7, replicates: 5, seed: 42 });
  equal(clusteringAccuracy(truth, a.labels), 1);
  ok(a.converged);
  // Inertia matches the partition and the centroids are its means (f32 storage: 1e-5 relative).
  ok(Math.abs(inertiaOf(x, a.labels, a.centroids) - a.inertia) <= 1e-5 * a.inertia);
  const b = await kmeans(x, { k: 7, replicates: 5, seed: 42 });
  deepEqual(b.labels, a.labels);
  equal(b.inertia, a.inertia);
  // Each point's variance is 0.09 per dimension: inertia near n f 0.09 (the optimum).
  ok(Math.abs(a.inertia / (601 * 13 * 0.09) - 1) < 0.1, `inertia ${a.inertia}`);
});

Deno.test("kmeans: more replicates never do worse; k = n gives zero inertia", async () => {
  // Overlapping blobs: local optima differ between starts.
  const { x } = blobs(300, 2, 12, 7);
  for (let i = 0; i < x.data.length; i++) x.data[i] *= 0.05;
  const one = await kmeans(x, { k: 12, replicates: 1, seed: 3 });
  const many = await kmeans(x, { k: 12, replicates: 8, seed: 3 });
  ok(many.inertia <= one.inertia + 1e-9);
  const tiny = { data: new Float32Array([0, 1, 5, 5, 2, 2, 0, 1]), rows: 4, cols: 2 };
  const r = await kmeans(tiny, { k: 4, replicates: 2 });
  // Duplicate points (0, 1) start two equal centres, one of which goes empty and is refilled.
  equal(new Set(r.labels).size, 4);
  ok(r.converged);
  ok(r.inertia < 1e-12);
});

// 40 blobs in 8-D, one start per seed over 12 seeds: plain k-means++ (1 trial) often puts two
// seeds in one blob and Lloyd cannot move them apart; the greedy draw (default 2 + ⌊ln 40⌋ = 5
// trials) rarely does. Measured mean inertia: plain 1723, greedy 555 (optimum about 576).
Deno.test("kmeans: greedy k-means++ seeding lowers the inertia of single starts", async () => {
  const { x } = blobs(800, 8, 40, 11);
  const mean = async (localTrials?: number) => {
    let s = 0;
    for (let seed = 0; seed < 12; seed++) {
      s += (await kmeans(x, { k: 40, replicates: 1, seed, localTrials })).inertia / 12;
    }
    return s;
  };
  const [plain, greedy] = [await mean(1), await mean()];
  ok(greedy < 0.6 * plain, `mean inertia: plain ${plain}, greedy ${greedy}`);
});

Deno.test("kmeans: GPU cross term gives the CPU result", async () => {
  const gpu = await testGpu();
  const { x, truth } = blobs(203, 9, 5, 4);
  const cpu = await kmeans(x, { k: 5, replicates: 2, seed: 8 });
  const onGpu = await kmeans(x, { k: 5, replicates: 2, seed: 8, gpu });
  deepEqual(onGpu.labels, cpu.labels);
  ok(Math.abs(onGpu.inertia - cpu.inertia) <= 1e-6 * cpu.inertia);
  equal(clusteringAccuracy(truth, onGpu.labels), 1);
});

Deno.test("kmeans: bad options are named", async () => {
  const x = { data: new Float32Array(6), rows: 3, cols: 2 };
  await rejects(kmeans(x, { k: 4 }), /option k is 4/);
  await rejects(kmeans(x, { k: 2, replicates: 0 }), /option replicates/);
  x.data[3] = NaN;
  await rejects(kmeans(x, { k: 2 }), /non-finite value at row 1/);
});
