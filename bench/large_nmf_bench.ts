// NMF on data larger than one storage binding (CelebA's 200,000 x 4096 by default on a GPU):
// X arrives as u8 samples-as-rows and is split into row blocks that stream through every
// product (factorize/data_matrix.ts). Prints blocks, time per MU and HALS iteration
// ((t(long) − t(short)) / (long − short), random init, tol 0) and the final relative error.
//
// `deno run -A bench/large_nmf_bench.ts [--n 200000] [--d 4096] [--k 200] [--iters 25]`
// (defaults on a software adapter: n=8000, d=1024, k=32, iters 8, with 1 MiB blocks so that
// llvmpipe streams too).

import { parseArgs } from "node:util";
import { DataMatrix } from "../factorize/data_matrix.ts";
import { nmf } from "../factorize/nmf.ts";
import { taskGpu } from "../tasks/_cli.ts";
import { adapterLine, markdownTable, randomBytes } from "./_bench_utils.ts";

// Table mode only (it allocates the whole X): not a `deno bench` case.
if (import.meta.main) {
  const gpu = await taskGpu("large_nmf_bench", null);
  const sw = gpu.adapter.isSoftware;
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      n: { type: "string" },
      d: { type: "string" },
      k: { type: "string" },
      iters: { type: "string" },
    },
  });
  const n = Number(values.n ?? (sw ? 8000 : 200000));
  const d = Number(values.d ?? (sw ? 1024 : 4096));
  const k = Number(values.k ?? (sw ? 32 : 200)); // HALS takes k <= 200 (gpu/hals_sweep.ts)
  const long = Number(values.iters ?? (sw ? 8 : 25));
  const short = Math.max(1, Math.floor(long / 5));
  const maxBlockBytes = sw ? 1 << 20 : undefined;

  const t0 = performance.now();
  const data = randomBytes(n * d, 1);
  const genSeconds = (performance.now() - t0) / 1000;
  const input = { data, d, n, samplesAsRows: true, maxBlockBytes };
  const blocks = DataMatrix.blockRows(gpu, input);

  const rows: string[][] = [];
  for (const solver of ["mu", "cd"] as const) {
    const fit = async (iters: number) => {
      const t = performance.now();
      const r = await nmf(gpu, input, {
        rank: k,
        solver,
        init: "random",
        maxIter: iters,
        tol: 0,
        checkEvery: iters,
      });
      return { s: (performance.now() - t) / 1000, r };
    };
    await fit(1); // compile the kernels and warm the upload path outside the timing
    const a = await fit(short);
    const b = await fit(long);
    const perIter = (b.s - a.s) / (long - short);
    const rel = b.r.loss.at(-1)! / Math.sqrt(_sumSquares(data) / 255 / 255);
    rows.push([solver, (perIter * 1000).toFixed(1), b.s.toFixed(2), rel.toFixed(4)]);
    console.error(`${solver}: ${rows.at(-1)!.join(" | ")}`);
  }
  console.log(
    `${adapterLine(gpu)}; X ${n} x ${d} u8 (${(n * d / 2 ** 20).toFixed(0)} MiB, ` +
      `${(n * d * 4 / 2 ** 30).toFixed(2)} GiB as f32) in row blocks of ${blocks} samples; ` +
      `k=${k}; data generated in ${genSeconds.toFixed(1)} s\n`,
  );
  console.log(
    markdownTable(
      ["solver", "ms/iter", `seconds for ${long} iterations (with upload and init)`, "rel. error"],
      rows,
    ),
  );
  gpu.destroy();
}

function _sumSquares(x: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}
