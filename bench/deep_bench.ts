// Deep Semi-NMF and GNMF per-iteration cost at ORL size (n = 400 faces of 64x64, d = 4096):
// one fine-tuning sweep of a 2-layer model [128, 40] and one GNMF iteration (k = 40, 5-NN
// graph, α = 100), on random data. `deno task bench` runs these; `deno run -A
// bench/deep_bench.ts` prints the milliseconds per iteration and the time of pretraining's
// k-means init of the first layer (u8 samples as rows: n=20,000 d=1024 k=128 on a software
// adapter, CelebA's n=200,000 d=4096 k=512 on a GPU; `--init-size n,d,k` to choose).

import { parseArgs } from "node:util";
import { openDeepSemiNmfFit } from "../factorize/deep_semi_nmf.ts";
import { kmeansInitH } from "../factorize/kmeans_init.ts";
import { gnmfStepper } from "../factorize/gnmf.ts";
import { NmfProblem } from "../factorize/nmf_problem.ts";
import { sampleGraph } from "../factorize/sample_graph.ts";
import { randomArray, seededRandom } from "../factorize/seeded_random.ts";
import { Gpu } from "../gpu/gpu.ts";
import { GpuCsr } from "../gpu/gpu_csr.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { randomBytes } from "./_bench_utils.ts";

const [d, n, k] = [4096, 400, 40];
const gpu = await Gpu.create({ log: null });
const rand = seededRandom(3);
const input = { data: randomArray(rand, d * n), d, n };

/**
 * Milliseconds of fine-tuning sweeps 2..`sweeps` of a Deep Semi-NMF fit (pretraining
 * skipped: k-means starts only); sweep 1 is left out as warm-up.
 */
async function fineTuneSweeps(sweeps: number): Promise<number> {
  const fit = await openDeepSemiNmfFit(gpu, input, {
    layers: [128, k],
    pretrainMaxIter: 0,
    maxIter: sweeps,
    checkEvery: 1e6,
  });
  try {
    await fit.run(1);
    await gpu.sync();
    const start = performance.now();
    await fit.run(sweeps - 1);
    await gpu.sync();
    return performance.now() - start;
  } finally {
    fit.close();
  }
}

const problem = await NmfProblem.create(gpu, input);
const graph = GpuCsr.fromGraph(gpu, await sampleGraph(gpu, input, { k: 5 }));
const w = GpuMatrix.fromArray(gpu, d, k, randomArray(rand, d * k, 0.1, 1));
const h = GpuMatrix.fromArray(gpu, k, n, randomArray(rand, k * n, 0.1, 1));
const { stepper } = gnmfStepper(problem, w, h, { graph, alpha: 100 });

Deno.bench("Deep Semi-NMF fine-tuning sweep, n=400 d=4096 layers [128, 40]", {
  n: 2,
  warmup: 0,
}, async (b) => {
  const fit = await openDeepSemiNmfFit(gpu, input, {
    layers: [128, k],
    pretrainMaxIter: 0,
    maxIter: 3,
    checkEvery: 1e6,
  });
  await fit.run(1);
  await gpu.sync();
  b.start();
  await fit.run(1);
  await gpu.sync();
  b.end();
  fit.close();
});

Deno.bench("GNMF iteration, n=400 d=4096 k=40, 5-NN graph", async () => {
  await stepper.step();
  await gpu.sync();
});

if (import.meta.main) {
  const sweeps = 6;
  console.log(
    `Deep Semi-NMF [128, 40] sweep: ${
      ((await fineTuneSweeps(sweeps)) / (sweeps - 1)).toFixed(1)
    } ms`,
  );
  await stepper.step();
  await gpu.sync();
  const t = performance.now();
  for (let i = 0; i < 10; i++) await stepper.step();
  await gpu.sync();
  console.log(`GNMF k=40 iteration: ${((performance.now() - t) / 10).toFixed(1)} ms`);

  const { values } = parseArgs({ args: Deno.args, options: { "init-size": { type: "string" } } });
  const [bn, bd, bk] =
    (values["init-size"] ?? (gpu.adapter.isSoftware ? "20000,1024,128" : "200000,4096,512"))
      .split(",").map(Number);
  const bytes = randomBytes(bn * bd, 3);
  const big = { data: bytes, d: bd, n: bn, samplesAsRows: true };
  const t0 = performance.now();
  await kmeansInitH(gpu, big, { k: bk, seed: 0 });
  console.log(
    `k-means init n=${bn} d=${bd} k=${bk}: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
