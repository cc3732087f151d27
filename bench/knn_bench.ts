// kNN graph throughput: exact brute-force kNN (k = 10, squared Euclidean) of n samples
// of d = 4096 dimensions, in queries/s and GFLOP/s (2 n² d for the distance GEMMs).
// The target size is n = 20,000; on llvmpipe (2 shared CPU cores, 5-8 GFLOP/s)
// that takes 7-11 minutes, and n = 5,000 30 s, so the default is n = 3,000 (about 10 s
// per iteration; deno bench runs a few). Set FACET_KNN_BENCH_N for another n (5000,
// 20000, or 200000 on a real GPU). The second case searches within a binary attribute
// (45% positive, like CelebA's Young): the label-sorted search skips the tiles between
// the classes, about half of them.

import { Gpu } from "../gpu/gpu.ts";
import { knn } from "../gpu/knn.ts";
import { randomArray, seededRandom } from "../factorize/seeded_random.ts";

const n = Number(Deno.env.get("FACET_KNN_BENCH_N") ?? 3000);
const d = 4096;
const k = 10;
const gpu = await Gpu.create({ log: null });
const x = randomArray(seededRandom(1), n * d, 0, 1);
await knn(gpu, x.subarray(0, 64 * d), { k, dim: d }); // compile the kernels outside the timing

const coin = seededRandom(2);
const young = Int32Array.from({ length: n }, () => (coin() < 0.45 ? 1 : 0));

for (const labels of [undefined, young]) {
  const what = labels ? "within a 45/55 label" : "all pairs";
  Deno.bench({
    name: `knn n=${n} d=${d} k=${k} ${what} on ${gpu.adapter.name}`,
    n: 1,
    warmup: 0,
    async fn() {
      const t0 = performance.now();
      await knn(gpu, x, { k, dim: d, labels });
      const s = (performance.now() - t0) / 1000;
      console.log(
        `knn n=${n} d=${d} k=${k} ${what} on ${gpu.adapter.name}: ${s.toFixed(2)} s, ` +
          `${(n / s).toFixed(0)} queries/s, ${(2 * n * n * d / s / 1e9).toFixed(2)} GFLOP/s ` +
          "of all-pairs distances",
      );
    },
  });
}
