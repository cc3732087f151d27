// The k x k steps the solvers now take on the CPU, against their GPU kernels: the SPD inverse
// (gpu/spd_inverse.ts against a readback, factorize/cholesky.ts's invertSpd in float64 and an
// upload, as ALS and semi-NMF do) and λmax (gpu/largest_eigenvalue.ts against a readback and
// factorize/symmetric_eigen.ts, as PGD does), at k = 40, 100, 200. `deno task bench` runs the
// k = 100 cases through `deno bench`; `deno run -A bench/spd_inverse_bench.ts` prints a table
// (best of 3 runs; GPU figures are per call from a batch of calls in one submit).

import { invertSpd } from "../factorize/cholesky.ts";
import { randomArray, seededRandom } from "../factorize/seeded_random.ts";
import { symmetricEigen } from "../factorize/symmetric_eigen.ts";
import { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { largestEigenvalue } from "../gpu/largest_eigenvalue.ts";
import { spdInverse } from "../gpu/spd_inverse.ts";
import { SpdStatus } from "../gpu/spd_status.ts";
import { adapterLine, bestOf, markdownTable, ms, timeBatch } from "./_bench_utils.ts";

/** The ranks of the table. */
export const SPD_SIZES = [40, 100, 200];

/** Gram WᵀW of a seeded non-negative W (d x k, d = 2k + 3), f32, as a solver would have it. */
function _gram(k: number, rankDeficient: boolean): Float32Array {
  const d = rankDeficient ? Math.floor(k / 2) : 2 * k + 3;
  const w = randomArray(seededRandom(k), d * k, 0, 1);
  const g = new Float64Array(k * k);
  for (let p = 0; p < d; p++) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) g[i * k + j] += w[p * k + i] * w[p * k + j];
    }
  }
  return Float32Array.from(g);
}

/** GPU matrices for rank k and the recorders of both kernels. */
function _setup(gpu: Gpu, k: number, rankDeficient = false) {
  const host = _gram(k, rankDeficient);
  const gram = GpuMatrix.fromArray(gpu, k, k, host);
  const inv = GpuMatrix.empty(gpu, k, k);
  const status = SpdStatus.create(gpu);
  const v = GpuMatrix.empty(gpu, k, 1);
  const lip = GpuMatrix.empty(gpu, 1, 4);
  return {
    host,
    gram,
    inv,
    inverse: () => spdInverse(gram, inv, { status }),
    eigen: () => largestEigenvalue(gram, lip, { vector: v }),
    dispose: () => [gram, inv, status, v, lip].forEach((m) => m.dispose()),
  };
}

/** Seconds per call of `step` run `reps` times, each awaited (the CPU paths' readbacks). */
async function _timeEach(reps: number, step: () => Promise<void>): Promise<number> {
  await step();
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) await step();
  return (performance.now() - t0) / 1000 / reps;
}

/** The markdown table at every k of {@linkcode SPD_SIZES}. */
export async function spdInverseTable(gpu: Gpu, runs = 3): Promise<string> {
  const reps = 10;
  const rows: string[][] = [];
  for (const k of SPD_SIZES) {
    const s = _setup(gpu, k);
    const bad = _setup(gpu, k, true);
    const gpuInv = await bestOf(runs, () => timeBatch(gpu, s.inverse, reps));
    const gpuGrow = await bestOf(runs, () => timeBatch(gpu, bad.inverse, reps));
    const cpuInvOnly = await bestOf(
      runs,
      () => _timeEach(reps, () => Promise.resolve(void invertSpd(s.host, k))),
    );
    const cpuInv = await bestOf(runs, () =>
      _timeEach(reps, async () => {
        const solved = invertSpd(await s.gram.toArray(), k);
        s.inv.write(Float32Array.from(solved.x));
      }));
    const gpuEig = await bestOf(runs, () => timeBatch(gpu, s.eigen, reps));
    const cpuEig = await bestOf(
      runs,
      () => _timeEach(reps, async () => void symmetricEigen(await s.gram.toArray(), k)),
    );
    rows.push([
      String(k),
      ms(gpuInv),
      ms(gpuGrow),
      ms(cpuInvOnly),
      ms(cpuInv),
      ms(gpuEig),
      ms(cpuEig),
    ]);
    s.dispose();
    bad.dispose();
  }
  return `${adapterLine(gpu)}; best of ${runs} runs of ${reps} calls (GPU: in one submit)\n\n` +
    markdownTable([
      "k",
      "GPU spdInverse ms",
      "GPU, rank-deficient (4-5 retries) ms",
      "CPU invertSpd alone ms",
      "CPU path: readback + invertSpd + upload ms",
      "GPU largestEigenvalue (8 iterations) ms",
      "CPU path: readback + symmetricEigen ms",
    ], rows);
}

if (import.meta.main) {
  const gpu = await Gpu.create({ log: null });
  console.log(await spdInverseTable(gpu));
  gpu.destroy();
} else {
  let gpu: Gpu | null = null;
  let bench: ReturnType<typeof _setup> | null = null;
  const k = 100;
  for (const kind of ["inverse", "eigen"] as const) {
    Deno.bench({
      name: `GPU ${kind === "inverse" ? "spdInverse" : "largestEigenvalue"} k=${k}`,
      group: "k x k",
      n: 20,
      warmup: 2,
      async fn() {
        gpu ??= await Gpu.create({ log: null }); // setup and compile fall in the warm-up
        bench ??= _setup(gpu, k);
        bench[kind]();
        await gpu.sync();
      },
    });
  }
}
