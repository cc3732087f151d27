// Elementwise update kernels (gpu/elementwise.ts: mu, semiNmf, clampMin, scale) and
// reductions (gpu/reduce.ts: sumSquares, squaredDistance) in GB/s = bytes moved / time,
// at 4096 x 2000 (an NMF data-sized matrix) and 16M elements. `deno task bench` runs the
// 4096 x 2000 cases through `deno bench`; `deno run -A bench/kernels_bench.ts` prints
// a table of both sizes (best of 3 runs, each a batch of repetitions in one submit).

import { elementwise, type ElementwiseOp } from "../gpu/elementwise.ts";
import { Gpu } from "../gpu/gpu.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { reduce, type ReduceTerm } from "../gpu/reduce.ts";
import { randomArray, seededRandom } from "../factorize/seeded_random.ts";
import { adapterLine, bestOf, markdownTable, ms, timeBatch } from "./_bench_utils.ts";

interface KernelCase {
  label: string;
  kind: "elementwise" | "reduce";
  op: ElementwiseOp | ReduceTerm;
  /** Matrices of the size read or written per element (each 4 bytes). */
  streams: number;
  /** Inputs besides `out` (elementwise) or besides x (reduce). */
  inputs: number;
}

const KERNELS: KernelCase[] = [
  // out = o·a / max(b + ...): reads out, a, b; writes out.
  { label: "mu", kind: "elementwise", op: "mu", streams: 4, inputs: 2 },
  // out = o·sqrt((a⁺ + b) / (a⁻ + c)): reads out, a, b, c; writes out.
  { label: "semiNmf", kind: "elementwise", op: "semiNmf", streams: 5, inputs: 3 },
  // out = max(a, s0): reads a, writes out.
  { label: "clampMin", kind: "elementwise", op: "clampMin", streams: 2, inputs: 1 },
  // out = s0·a: reads a, writes out.
  { label: "scale", kind: "elementwise", op: "scale", streams: 2, inputs: 1 },
  // Σ x²: reads x (the partial sums of later passes are < 1/256 of it).
  { label: "sumSquares", kind: "reduce", op: "sumSquares", streams: 1, inputs: 0 },
  // Σ (x − y)²: reads x, y.
  { label: "squaredDistance", kind: "reduce", op: "squaredDistance", streams: 2, inputs: 1 },
];

/** The sizes of the table: rows x cols. */
export const KERNEL_SIZES = [
  { label: "4096x2000", rows: 4096, cols: 2000 },
  { label: "16M (4096x4096)", rows: 4096, cols: 4096 },
];

/** Allocates the matrices of `c` (seeded values in [0.5, 1.5]) and returns a recorder. */
function _setup(gpu: Gpu, c: KernelCase, rows: number, cols: number) {
  const rand = seededRandom(11);
  const make = () => GpuMatrix.fromArray(gpu, rows, cols, randomArray(rand, rows * cols, 0.5, 1.5));
  const out = make();
  const ins = Array.from({ length: c.inputs }, make);
  const record = () => {
    if (c.kind === "elementwise") {
      // s: mu uses s2 as the floor; semiNmf s2; clampMin s0 = floor; scale s0 = factor.
      const s = c.op === "scale" ? [1.0001] : c.op === "clampMin" ? [0.6] : [0, 0, 1e-12];
      elementwise(c.op as ElementwiseOp, out, { a: ins[0], b: ins[1], c: ins[2], s });
    } else {
      reduce(c.op as ReduceTerm, out, { y: ins[0] }).dispose();
    }
  };
  const dispose = () => [out, ...ins].forEach((m) => m.dispose());
  return { record, dispose };
}

/** Seconds per kernel launch: `reps` launches recorded in one submit after a warm-up. */
export async function timeKernel(
  gpu: Gpu,
  c: KernelCase,
  rows: number,
  cols: number,
  reps: number,
): Promise<number> {
  const { record, dispose } = _setup(gpu, c, rows, cols);
  try {
    return await timeBatch(gpu, record, reps);
  } finally {
    dispose();
  }
}

/** The markdown table of every kernel at every size in {@linkcode KERNEL_SIZES}. */
export async function kernelsTable(gpu: Gpu, runs = 3): Promise<string> {
  const reps = gpu.adapter.isSoftware ? 5 : 100;
  const rows: string[][] = [];
  for (const size of KERNEL_SIZES) {
    const elements = size.rows * size.cols;
    for (const c of KERNELS) {
      const s = await bestOf(runs, () => timeKernel(gpu, c, size.rows, size.cols, reps));
      const bytes = c.streams * 4 * elements;
      rows.push([
        c.kind,
        c.label,
        size.label,
        (bytes / 2 ** 20).toFixed(0),
        ms(s),
        (bytes / s / 1e9).toFixed(1),
      ]);
    }
  }
  return `${adapterLine(gpu)}; best of ${runs} runs of ${reps} launches in one submit\n\n` +
    markdownTable(["kind", "kernel", "size", "MiB moved", "ms", "GB/s"], rows);
}

if (import.meta.main) {
  const gpu = await Gpu.create({ log: null });
  console.log(await kernelsTable(gpu));
  gpu.destroy();
} else {
  let gpu: Gpu | null = null;
  const [size] = KERNEL_SIZES;
  for (const c of KERNELS) {
    let bench: ReturnType<typeof _setup> | null = null;
    const mib = (c.streams * 4 * size.rows * size.cols / 2 ** 20).toFixed(0);
    Deno.bench({
      name: `${c.kind} ${c.label} ${size.label} (${mib} MiB moved)`,
      group: c.kind,
      n: 20,
      warmup: 2,
      async fn() {
        gpu ??= await Gpu.create({ log: null }); // setup and compile fall in the warm-up
        bench ??= _setup(gpu, c, size.rows, size.cols);
        bench.record();
        await gpu.sync();
      },
    });
  }
}
