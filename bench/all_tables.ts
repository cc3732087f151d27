// Every bench's table, in sequence, on one device: `deno task bench:tables [--large]`
// (--large adds the n=5000 sizes on a software adapter; FACET_GEMM=register|tiled sets the
// GEMM family of the solvers). Paste the output into
// bench/RESULTS.md.

import { parseArgs } from "node:util";
import { taskGpu } from "../tasks/_cli.ts";
import { dffTable } from "./dff_bench.ts";
import { gemmTable, splitTable } from "./gemm_bench.ts";
import { kernelsTable } from "./kernels_bench.ts";
import { pipelineTable } from "./pipeline_bench.ts";
import { sklearnTable } from "./sklearn_compare.ts";
import { solverTable } from "./solver_bench.ts";
import { sparseTable } from "./sparse_nmf_compare.ts";

const { values } = parseArgs({ args: Deno.args, options: { large: { type: "boolean" } } });
const large = values.large ?? false;
const gpu = await taskGpu("bench:tables", null); // FACET_GEMM picks the GEMM family
const tables: [string, () => Promise<string>][] = [
  ["GEMM (bench/gemm_bench.ts)", () => gemmTable(gpu)],
  ["GEMM split-K (bench/gemm_bench.ts --split)", () => splitTable(gpu)],
  ["Elementwise and reduction kernels (bench/kernels_bench.ts)", () => kernelsTable(gpu)],
  ["Solver iterations (bench/solver_bench.ts)", () => solverTable(gpu, { large })],
  ["facet vs scikit-learn (bench/sklearn_compare.ts)", () => sklearnTable(gpu, { large })],
  ["Sparse NMF vs scikit-learn (bench/sparse_nmf_compare.ts)", () => sparseTable(gpu)],
  ["Whole pipeline (bench/pipeline_bench.ts)", () => pipelineTable(gpu)],
  ["Deep Feature Factorization (bench/dff_bench.ts)", () => dffTable(gpu)],
];
const cores = navigator.hardwareConcurrency;
console.log(`# facet benches, ${new Date().toISOString().slice(0, 10)}, ${cores} cores\n`);
for (const [title, table] of tables) {
  const t0 = performance.now();
  const text = await table();
  console.log(`## ${title}\n\n${text}\n\n(${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
}
gpu.destroy();
