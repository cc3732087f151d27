// Linear probe fit on the CPU (eval/logistic_probe.ts) against the GPU objective
// (eval/logistic_probe_gpu.ts) on seeded Gaussian blobs: seconds per fit, L-BFGS iterations,
// test accuracy and how far the GPU coefficients are from the CPU ones.
// `deno run -A bench/probe_bench.ts [--n 20000] [--f 512] [--classes 2] [--runs 1]`
// prints the table (binary, n=20,000, f=512 by default; best of --runs fits per path).

import { parseArgs } from "node:util";
import { Gpu } from "../gpu/gpu.ts";
import { logisticProbe, type ProbeResult } from "../eval/logistic_probe.ts";
import { logisticProbeGpu } from "../eval/logistic_probe_gpu.ts";
import { seededNormal, seededRandom } from "../factorize/seeded_random.ts";
import { adapterLine, markdownTable } from "./_bench_utils.ts";

/** Shape of one probe bench case. */
export interface ProbeCase {
  /** Training rows (the test split has n / 4). */
  n: number;
  /** Features. */
  f: number;
  /** Classes. */
  classes: number;
}

/** n rows of `classes` Gaussian blobs (centres 0.08 N(0, I) apart, unit noise) in f dims. */
function _blobs(n: number, f: number, classes: number, seed: number) {
  const rand = seededRandom(seed);
  const normal = seededNormal(rand);
  const centreRand = seededNormal(seededRandom(1));
  const centres = Array.from(
    { length: classes },
    () => Float64Array.from({ length: f }, () => 0.08 * centreRand()),
  );
  const data = new Float32Array(n * f);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = Math.floor(rand() * classes);
    for (let j = 0; j < f; j++) data[i * f + j] = centres[y[i]][j] + normal();
  }
  return { x: { data, rows: n, cols: f }, y };
}

async function _time(fit: () => Promise<ProbeResult>, runs: number) {
  let best = Infinity;
  let result: ProbeResult | null = null;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = await fit();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { seconds: best, result: result! };
}

/** The markdown table: one CPU row and one GPU row per case. */
export async function probeTable(
  gpu: Gpu,
  cases: ProbeCase[] = [{ n: 20000, f: 512, classes: 2 }],
  runs = 1,
): Promise<string> {
  const rows: string[][] = [];
  for (const { n, f, classes } of cases) {
    const train = _blobs(n, f, classes, 2);
    const test = _blobs(Math.ceil(n / 4), f, classes, 3);
    const cpu = await _time(() => Promise.resolve(logisticProbe(train, test)), runs);
    const gpuFit = await _time(() => logisticProbeGpu(train, test, { gpu, minGpuSize: 0 }), runs);
    let scale = 0;
    let err = 0;
    cpu.result.model.weights.forEach((v, i) => {
      scale = Math.max(scale, Math.abs(v));
      err = Math.max(err, Math.abs(v - gpuFit.result.model.weights[i]));
    });
    const label = `${n}x${f}, ${classes} classes`;
    for (
      const [path, t, diff] of [["CPU", cpu, "-"], [
        "GPU",
        gpuFit,
        (err / scale).toExponential(1),
      ]] as const
    ) {
      rows.push([
        label,
        path,
        t.seconds.toFixed(2),
        String(t.result.nIter),
        (t.seconds * 1000 / Math.max(1, t.result.nIter)).toFixed(1),
        String(t.result.converged),
        t.result.accuracy.toFixed(4),
        diff,
      ]);
    }
  }
  return `${adapterLine(gpu)}; C = 1, tol 1e-5; best of ${runs} fit(s) per path\n\n` +
    markdownTable(
      [
        "case",
        "path",
        "fit s",
        "L-BFGS iters",
        "ms / iter",
        "converged",
        "test acc",
        "GPU-CPU coef. diff (rel.)",
      ],
      rows,
    );
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      n: { type: "string" },
      f: { type: "string" },
      classes: { type: "string" },
      runs: { type: "string" },
    },
  });
  const num = (name: string, v: string | undefined, d: number) => {
    const x = v === undefined ? d : Number(v);
    if (!Number.isInteger(x) || x < 1) {
      throw new RangeError(`Option --${name} must be an integer >= 1, got ${v}`);
    }
    return x;
  };
  const gpu = await Gpu.create({ log: null });
  const c = {
    n: num("n", values.n, 20000),
    f: num("f", values.f, 512),
    classes: num("classes", values.classes, 2),
  };
  console.log(await probeTable(gpu, [c], num("runs", values.runs, 1)));
  gpu.destroy();
}
